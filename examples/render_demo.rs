//! Renders the demo report to a PDF so it can be looked at:
//! `cargo run --release --example render_demo -- demo.pdf [letter]`.

#[path = "../tests/support/demo.rs"]
mod demo;

use std::time::Instant;

use trailcase::report::{render_pdf, Paper};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "demo.pdf".to_string());
    let paper = if args.next().as_deref() == Some("letter") {
        Paper::Letter
    } else {
        Paper::A4
    };
    let doc = demo::demo_doc(paper);
    let start = Instant::now();
    let bytes = render_pdf(&doc)?;
    let elapsed = start.elapsed();
    std::fs::write(&out, &bytes)?;
    eprintln!(
        "wrote {out}: {} bytes in {:.1} ms",
        bytes.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    Ok(())
}
