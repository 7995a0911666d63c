//! Shared test fixtures.
pub mod demo;
