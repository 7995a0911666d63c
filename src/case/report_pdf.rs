//! Reading back a trailcase report PDF for `verify --report`: its embedded files (the attachments)
//! and the text of its pages, decoded through each font's ToUnicode map (krilla writes 2-byte
//! Identity-H codes with `bfchar` maps; lopdf's own text extraction cannot parse them).
//!
//! Pure: bytes in, attachments and text out; the PDF is untrusted input, so every failure is a typed
//! error or a missing piece, never a panic. Uses lopdf only; knows nothing of how the report is laid out
//! beyond its Creator (`trailcase ...`).

use std::collections::{BTreeMap, HashMap};

use lopdf::content::Content;
use lopdf::{Document, Object};

#[derive(Debug, thiserror::Error)]
pub enum ReportPdfError {
    #[error("not a PDF: {0}")]
    NotPdf(String),
    #[error("not a trailcase report: {0}")]
    NotTrailcaseReport(String),
}

/// What `verify --report` reads of a report.
#[derive(Debug, Clone, Default)]
pub struct ReportPdf {
    /// The Creator of the document information dictionary (`trailcase 0.1.0`).
    pub creator: String,
    /// Embedded files by name, with their bytes.
    pub attachments: BTreeMap<String, Vec<u8>>,
    /// The text of every page in order, one shown string after another, separated by spaces.
    pub text: String,
}

/// A PDF text string: UTF-16BE with its byte order mark, else PDFDocEncoding (read as Latin-1).
fn text_string(bytes: &[u8]) -> String {
    match bytes {
        [0xFE, 0xFF, rest @ ..] => {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, o)| o)
}

fn creator(doc: &Document) -> Option<String> {
    let info = resolve(doc, doc.trailer.get(b"Info").ok()?)?
        .as_dict()
        .ok()?;
    let creator = resolve(doc, info.get(b"Creator").ok()?)?.as_str().ok()?;
    Some(text_string(creator))
}

/// Every file specification with an embedded file, by its name (`/UF`, else `/F`).
fn attachments(doc: &Document) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"Filespec".as_slice()) {
            continue;
        }
        let name = [b"UF".as_slice(), b"F"]
            .iter()
            .find_map(|k| dict.get(k).ok().and_then(|o| resolve(doc, o)))
            .and_then(|o| o.as_str().ok())
            .map(text_string);
        let stream = dict
            .get(b"EF")
            .ok()
            .and_then(|o| resolve(doc, o))
            .and_then(|o| o.as_dict().ok())
            .and_then(|ef| ef.get(b"F").ok())
            .and_then(|o| resolve(doc, o))
            .and_then(|o| o.as_stream().ok());
        if let (Some(name), Some(stream)) = (name, stream) {
            let bytes = if stream.dict.get(b"Filter").is_ok() {
                stream.decompressed_content().unwrap_or_default()
            } else {
                stream.content.clone()
            };
            files.insert(name, bytes);
        }
    }
    files
}

/// The `<hex>` tokens of a CMap section, in order.
fn hex_tokens(section: &str) -> Vec<Vec<u8>> {
    section
        .split('<')
        .skip(1)
        .filter_map(|t| t.split('>').next())
        .filter_map(|h| hex::decode(h.trim()).ok())
        .collect()
}

fn code(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0, |acc, b| (acc << 8) | u32::from(*b))
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// A ToUnicode CMap's `bfchar` and `bfrange` (with a single destination) entries.
fn to_unicode(cmap: &str) -> HashMap<u32, String> {
    let mut map = HashMap::new();
    for block in cmap.split("beginbfchar").skip(1) {
        let body = block.split("endbfchar").next().unwrap_or("");
        for pair in hex_tokens(body).chunks_exact(2) {
            map.insert(code(&pair[0]), utf16(&pair[1]));
        }
    }
    for block in cmap.split("beginbfrange").skip(1) {
        let body = block.split("endbfrange").next().unwrap_or("");
        for triple in hex_tokens(body).chunks_exact(3) {
            let (lo, hi, dst) = (code(&triple[0]), code(&triple[1]), code(&triple[2]));
            for (i, c) in (lo..=hi.min(lo.saturating_add(0xFFFF))).enumerate() {
                if let Some(ch) = char::from_u32(dst + i as u32) {
                    map.insert(c, ch.to_string());
                }
            }
        }
    }
    map
}

/// The text a page shows, font by font through their ToUnicode maps.
fn page_text(doc: &Document, page: lopdf::ObjectId, out: &mut String) {
    let mut fonts: HashMap<Vec<u8>, HashMap<u32, String>> = HashMap::new();
    for (name, font) in doc.get_page_fonts(page).unwrap_or_default() {
        let cmap = font
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| resolve(doc, o))
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| {
                s.decompressed_content()
                    .ok()
                    .or_else(|| Some(s.content.clone()))
            });
        if let Some(cmap) = cmap {
            fonts.insert(name, to_unicode(&String::from_utf8_lossy(&cmap)));
        }
    }
    let Ok(content) = doc.get_page_content(page) else {
        return;
    };
    let Ok(content) = Content::decode(&content) else {
        return;
    };
    let empty = HashMap::new();
    let mut current = &empty;
    let show = |bytes: &[u8], map: &HashMap<u32, String>, out: &mut String| {
        for pair in bytes.chunks(2) {
            if let Some(s) = map.get(&code(pair)) {
                out.push_str(s);
            }
        }
    };
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => {
                current = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|n| fonts.get(n))
                    .unwrap_or(&empty);
            }
            "Tj" | "'" | "\"" => {
                if let Some(Ok(bytes)) = op.operands.last().map(Object::as_str) {
                    show(bytes, current, out);
                    out.push(' ');
                }
            }
            "TJ" => {
                if let Some(Ok(items)) = op.operands.first().map(Object::as_array) {
                    for item in items {
                        if let Ok(bytes) = item.as_str() {
                            show(bytes, current, out);
                        }
                    }
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

/// Reads a report: its Creator must be trailcase's, and its attachments and text are returned.
pub fn read_report(bytes: &[u8]) -> Result<ReportPdf, ReportPdfError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(ReportPdfError::NotPdf(
            "the file does not start with %PDF-".into(),
        ));
    }
    let doc = Document::load_mem(bytes).map_err(|e| ReportPdfError::NotPdf(e.to_string()))?;
    let creator = creator(&doc).unwrap_or_default();
    if !creator.starts_with("trailcase") {
        return Err(ReportPdfError::NotTrailcaseReport(if creator.is_empty() {
            "the PDF names no Creator".into()
        } else {
            format!("it was made by {creator:?}, not trailcase")
        }));
    }
    let mut text = String::new();
    for page in doc.get_pages().values() {
        page_text(&doc, *page, &mut text);
    }
    Ok(ReportPdf {
        creator,
        attachments: attachments(&doc),
        text,
    })
}
