//! The kill-switch's published result (`ContainmentResult`, `schema_version` 1): what it
//! decided, about whom, when, and each step's outcome. The kill-switch writes it (to SNS and its
//! log), samplegen writes it for the sample case, trailcase reads it as evidence.
//! `schema/killswitch-result.schema.json` describes the same document for other readers.
//!
//! Two shapes of one format: [`ContainmentResult`] is what is written (strict, the caller a
//! tagged enum); [`PublishedResult`] is what trailcase accepts (lenient: results of older
//! kill-switch versions lack fields, and the caller is read as a flat record of optional fields
//! whatever its `type`). The parts both sides share ([`Decision`], [`Step`], [`Trigger`]) are
//! single types.

mod parts;
mod read;
mod written;

pub use parts::{Decision, Step, StepOutcome, Trigger};
pub use read::{PublishedCaller, PublishedResult};
pub use written::{Caller, ContainmentResult};

/// The `schema_version` this format has; a reader refuses any other.
pub const SCHEMA_VERSION: u32 = 1;

/// The `tool` the kill-switch writes into every result.
pub const TOOL: &str = "trailcase-killswitch";
