//! Fuzz the CSV cell neutralisation (`trailcase::export::csv_cell`): whatever text the evidence
//! holds, the written cell reads back as a cell a spreadsheet does not run (it never starts with
//! `=`, `+`, `-`, `@`, tab or CR) and holds no control character, and it is the original value
//! with its control characters written as `\u{hex}` and at most a leading `'`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailcase::export::csv_cell;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let cell = csv_cell::neutralise(text);
    let mut w = csv_cell::writer(Vec::new(), false);
    w.write_record([cell.as_ref(), "x"]).unwrap();
    let bytes = w.into_inner().unwrap();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let back = r.records().next().unwrap().unwrap();
    let first = back.get(0).unwrap();
    assert!(
        !first.starts_with(['=', '+', '-', '@', '\t', '\r']),
        "{first:?}"
    );
    assert!(!first.chars().any(char::is_control), "{first:?}");
    let escaped: String = text
        .chars()
        .map(|c| {
            let acts =
                c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if acts {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect();
    assert!(first == escaped || first.strip_prefix('\'') == Some(escaped.as_str()));
});
