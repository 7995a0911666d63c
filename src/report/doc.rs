//! The report as plain data: metadata, paper size and a flat list of blocks.
//!
//! Built by the report content code, rendered by `report::pdf`. It knows nothing of AWS and
//! nothing of PDF, so it can be asserted on in tests. Time is always given by the caller.

/// A whole report document.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDoc {
    /// Document information and running header text.
    pub meta: DocMeta,
    /// Paper size of every page.
    pub paper: Paper,
    /// Content, in reading order.
    pub blocks: Vec<Block>,
    /// Files carried inside the PDF (e.g. the full list of inputs with their SHA-256), in order.
    pub attachments: Vec<Attachment>,
}

/// A file embedded in the PDF, which a PDF reader lists as an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// File name shown by the reader.
    pub name: String,
    /// MIME type, e.g. `text/csv`.
    pub mime: String,
    /// What the file is, for the reader.
    pub description: String,
    /// The file's bytes.
    pub data: Vec<u8>,
}

/// Document metadata; also feeds the running header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocMeta {
    /// PDF title.
    pub title: String,
    /// PDF subject.
    pub subject: String,
    /// PDF author (a person or a team).
    pub author: String,
    /// PDF keywords.
    pub keywords: Vec<String>,
    /// Case identifier, shown in the running header.
    pub case_id: String,
    /// Classification marking (for example "CONFIDENTIAL"), shown in the running header.
    pub classification: String,
    /// Creation time, Unix seconds UTC, given by the caller (never read from the clock).
    pub created_unix: i64,
    /// Producing tool and version, stored as the PDF creator.
    pub creator: String,
}

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// ISO A4, 210 x 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 x 11 in.
    Letter,
}

impl Paper {
    /// Width and height in PDF points.
    pub fn size_pt(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// One unit of content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A title page; the page after it starts fresh. Has no running header.
    Cover {
        title: String,
        subtitle: String,
        fields: Vec<(String, String)>,
    },
    /// Section heading, level 1..=3. Levels 1 and 2 become bookmarks; level 1 starts a page unless
    /// a good part of the current one is left.
    Heading { level: u8, text: String },
    /// Running text with optional bold spans.
    Paragraph(Vec<Span>),
    /// A bulleted list, one item per string; `**text**` in an item is bold.
    Bullets(Vec<String>),
    /// A two-column definition list.
    KeyValue(Vec<(String, String)>),
    /// A table that breaks across pages, repeating its header row.
    Table(Table),
    /// Monospace text (policy documents, raw records); long lines wrap.
    Preformatted(String),
    /// A vector chart.
    Chart(crate::report::ChartSpec),
    /// A vector box-and-arrow diagram.
    Diagram(crate::report::DiagramSpec),
    /// A table of contents on a page of its own: each entry with the page its heading lands on
    /// (known only after layout, so the renderer lays the document out twice).
    Contents(Vec<ContentsEntry>),
    /// Continue on a new page.
    PageBreak,
    /// A highlighted note.
    Callout { tone: Tone, text: String },
}

impl Block {
    /// A heading block.
    pub fn heading(level: u8, text: impl Into<String>) -> Block {
        Block::Heading {
            level,
            text: text.into(),
        }
    }

    /// A paragraph with no bold spans.
    pub fn para(text: impl Into<String>) -> Block {
        Block::Paragraph(vec![Span::plain(text)])
    }
}

/// One line of a table of contents: a heading of the document, found by level and text (the
/// first such heading after the previous entry's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentsEntry {
    /// The heading's level (1 or 2); level 2 is indented.
    pub level: u8,
    /// The heading's text, as in its `Block::Heading`.
    pub text: String,
}

/// A run of paragraph text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text; whitespace is collapsed, `\n` forces a line break.
    pub text: String,
    /// Set in bold.
    pub bold: bool,
}

impl Span {
    /// Regular text.
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            bold: false,
        }
    }

    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            bold: true,
        }
    }
}

/// Colour and label of a callout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Neutral information.
    Info,
    /// Something the reader should check.
    Warning,
    /// A finding that needs action.
    Critical,
}

/// A table with weighted columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column headers and widths.
    pub columns: Vec<Column>,
    /// Rows; a row shorter than `columns` is padded with empty cells.
    pub rows: Vec<Vec<Cell>>,
    /// Caption shown under the table, if any.
    pub caption: Option<String>,
}

/// One table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text.
    pub title: String,
    /// Relative width; widths are shared out in proportion to the weights.
    pub weight: f32,
    /// Horizontal alignment of the column's cells.
    pub align: Align,
}

impl Column {
    /// A left-aligned column.
    pub fn new(title: impl Into<String>, weight: f32) -> Column {
        Column {
            title: title.into(),
            weight,
            align: Align::Left,
        }
    }

    /// A right-aligned column (numbers).
    pub fn right(title: impl Into<String>, weight: f32) -> Column {
        Column {
            align: Align::Right,
            ..Column::new(title, weight)
        }
    }
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Flush left.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Flush right (numbers).
    Right,
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Cell text; long tokens wrap, very long cells are shortened with an ellipsis.
    pub text: String,
    /// How the text is set.
    pub style: CellStyle,
}

impl Cell {
    /// A cell in the body face.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            style: CellStyle::Normal,
        }
    }

    /// A cell in the monospace face (identifiers, ARNs, event ids).
    pub fn mono(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            style: CellStyle::Mono,
        }
    }

    /// A cell set in bold red ("failed", "AccessDenied").
    pub fn alert(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            style: CellStyle::Alert,
        }
    }
}

/// How a cell's text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CellStyle {
    /// Body face.
    #[default]
    Normal,
    /// Monospace face.
    Mono,
    /// Bold red, for failures and denials.
    Alert,
}
