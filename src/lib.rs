//! trailcase: turn AWS audit evidence (CloudTrail, CloudWatch, EventBridge) into a forensic
//! incident case.
//!
//! Data flows one way: `source` (bytes) -> `parse` (records) -> `scan` (kept events) ->
//! `correlate` (incidents) -> `model::Timeline` -> `export` / `report`. Only `app` touches
//! the environment, the clock and output files.
//!
//! Imports never form a cycle. From the bottom: `model` (plain data, imports nothing of the
//! crate), `gzip_member` (one gzip member inflated whole), `per_thread`, `phases` and `write_behind`; `rules` and `parse` (import
//! `model`); `case` (the evidence directory and the sink the sources write to); `source`
//! (acquires into the case); `classify` (what a record is, below both `scan` and `correlate`);
//! `scan`, `correlate`, `posture`; then `analyse`, the outputs and `app`.

pub mod analyse;
pub mod app;
pub mod case;
pub mod classify;
pub mod cli;
pub mod config;
pub mod correlate;
pub mod export;
mod gzip_member;
pub mod mem;
pub mod model;
pub mod parse;
pub mod per_thread;
pub mod phases;
pub mod posture;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod write_behind;
