//! Where evidence comes from: files and directories on disk, and AWS itself (`aws`).
//!
//! A source yields raw bytes with their name; it never interprets them (that is `parse`).

pub mod aws;
pub mod files;

pub use files::{
    decode, decode_input, discover, gzip_trailer, read_input, read_stored, Discovered, Head,
    InputFile, ReadInput, Recorded,
};
