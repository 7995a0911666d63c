//! Where evidence comes from. Today: files and directories on disk.
//!
//! A source yields raw bytes with their name; it never interprets them (that is `parse`).

pub mod files;

pub use files::{discover, read_input, Discovered, InputFile, ReadInput};
