//! The crate's imports point one way along the data flow: `scripts/import_graph.py` finds no
//! cycle between the top-level modules, nor between the sibling files of any folder. A cycle
//! found here is a layering mistake to undo, not a graph to update. The graph
//! `docs/architecture.md` shows is the measured one (the script's `--check-doc`).

use std::path::Path;
use std::process::Command;

#[test]
fn the_modules_import_one_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var("TRAILCASE_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(python)
        .arg(root.join("scripts/import_graph.py"))
        .arg(root.join("src"))
        .arg("--check-doc")
        .arg(root.join("docs/architecture.md"))
        .output()
        .expect("python3 runs scripts/import_graph.py");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && !text.contains("CYCLE"),
        "import cycles, or docs/architecture.md's graph is not the code's:\n{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("sibling cycles: 0"), "{text}");
}
