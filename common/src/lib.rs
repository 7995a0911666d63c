//! What trailcase, its kill-switch and its sample generator share, so that each is defined once:
//! the kill-switch's published result format ([`killswitch`]), IAM policy documents as IAM
//! returns them ([`policy`]) and wildcard patterns ([`glob`]).
//!
//! Plain data and pure functions: no AWS SDK, no I/O, no clock. Depends only on serde,
//! serde_json and memchr, which every member already builds.

#![forbid(unsafe_code)]

pub mod glob;
pub mod killswitch;
pub mod policy;
