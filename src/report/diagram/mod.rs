//! Box-and-arrow diagrams of the monitoring pipeline, as data.
//!
//! Nodes sit on a grid (`row`, `col`); edges join nodes by id. A node missing from the
//! evidence is drawn dashed and grey with the words "missing from evidence", never invented.

mod draw;

pub(crate) use draw::draw_diagram;

/// A diagram to draw at the full text width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramSpec {
    /// Title drawn above the diagram.
    pub title: String,
    /// Boxes.
    pub nodes: Vec<DiagramNode>,
    /// Arrows.
    pub edges: Vec<DiagramEdge>,
}

/// One box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramNode {
    /// Identifier used by edges; unique within the diagram.
    pub id: String,
    /// Kind of component ("CloudWatch alarm").
    pub title: String,
    /// Details: real names, patterns, thresholds. Long lines wrap.
    pub lines: Vec<String>,
    /// Whether the evidence shows this component.
    pub status: NodeStatus,
    /// Grid row, from the top.
    pub row: usize,
    /// Grid column, from the left.
    pub col: usize,
}

/// Whether a component was found in the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeStatus {
    /// Found in the collected configuration.
    Present,
    /// Expected but not found: drawn dashed and grey.
    Missing,
    /// Found, but a `trailcase posture` check of it failed: drawn with a red border.
    Failing,
}

/// One arrow from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramEdge {
    /// Source node id.
    pub from: String,
    /// Target node id.
    pub to: String,
    /// Short label ("subscription", "target"); may be empty.
    pub label: String,
}

/// Why a diagram could not be drawn.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DiagramError {
    /// An edge names a node id that is not in the diagram.
    #[error("diagram edge {from:?} -> {to:?} names an unknown node")]
    UnknownNode { from: String, to: String },
    /// Two nodes occupy the same grid cell.
    #[error("diagram nodes {first:?} and {second:?} share grid cell ({row}, {col})")]
    SameCell {
        first: String,
        second: String,
        row: usize,
        col: usize,
    },
}
