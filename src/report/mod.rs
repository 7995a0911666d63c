//! The report layer: a document model ([`ReportDoc`]) and its PDF renderer ([`render_pdf`]).
//!
//! Content code builds a `ReportDoc` from the timeline; this module knows nothing of AWS.
//! Only `pdf` uses the PDF crate; charts go through plotters into vector operations.

mod canvas;
pub mod chart;
pub mod content;
pub mod diagram;
pub mod doc;
mod fonts;
pub mod pdf;
mod wrap;

pub use chart::{
    BarChart, BarSeries, ChartError, ChartSpec, LegendEntry, LegendSymbol, MarkerShape, TimeMarker,
    TimelineChart, TimelinePoint, TimelineSpan,
};
pub use diagram::{DiagramEdge, DiagramNode, DiagramSpec, NodeStatus};
pub use doc::{
    Align, Attachment, Block, Cell, CellStyle, Column, ContentsEntry, DocMeta, Paper, ReportDoc,
    Span, Table, Tone,
};
pub use fonts::FontKind;
pub use pdf::{render_pdf, RenderError};
