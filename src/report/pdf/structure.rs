//! The logical structure of the report (PDF/UA tagging): which structure element each drawing
//! operation belongs to, built during layout, and its conversion to krilla's tag tree.
//!
//! Layout opens and closes elements (`Role`) around what it draws; every operation it records
//! is marked either as content of the innermost open element (a `Leaf`) or as an artifact
//! (page furniture, rules, backgrounds, a table header repeated on a continuation page). The
//! painter wraps each run of equally marked operations in one marked-content sequence and hands
//! back krilla's identifiers, which [`Structure::tag_tree`] puts in their place in the tree.

use std::num::NonZeroU16;

use krilla::tagging::{
    ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope, Tag,
    TagGroup, TagKind, TagTree,
};

/// A structure element, in the renderer's words.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Role {
    /// A heading, level 1 to 3, with its text (PDF/UA wants it as the heading's title).
    Heading(u8, String),
    Paragraph,
    /// A bulleted list, its items, an item's bullet and its text.
    List,
    ListItem,
    Label,
    ListBody,
    Table,
    Row,
    /// A header cell: of its column (`false`) or of its row (`true`, a key of a key-value list).
    HeaderCell {
        row: bool,
    },
    Cell,
    Caption,
    /// Monospace text (inside a paragraph).
    Code,
    /// A chart or diagram, with the words that say what it shows.
    Figure(String),
    Contents,
    ContentsItem,
}

/// Why an operation is an artifact rather than content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Artifact {
    /// Rules, fills, bars, leaders: decoration.
    Layout,
    /// The running header.
    Header,
    /// A table's header row repeated on a continuation page.
    Repeated,
    /// The running footer and the cover's classification marking.
    Footer,
    /// "Page N of M".
    PageNumber,
}

/// How one drawing operation is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marking {
    /// Content of leaf `usize` (an index into the leaves); `figure` content is graphics, the
    /// rest text.
    Leaf {
        leaf: usize,
        figure: bool,
    },
    Artifact(Artifact),
}

impl Marking {
    /// krilla's content tag for a run of operations marked this way.
    pub(super) fn content_tag(self) -> ContentTag<'static> {
        match self {
            Marking::Leaf { figure: true, .. } => ContentTag::Other,
            Marking::Leaf { .. } => ContentTag::Span(SpanTag::empty()),
            Marking::Artifact(a) => {
                ContentTag::Artifact(krilla::tagging::Artifact::with_kind(match a {
                    Artifact::Layout => ArtifactType::Layout,
                    Artifact::Header => ArtifactType::Header,
                    Artifact::Repeated => ArtifactType::PaginationOther,
                    Artifact::Footer => ArtifactType::Footer,
                    Artifact::PageNumber => ArtifactType::PageNumber,
                }))
            }
        }
    }
}

/// A child of an element: another element (an index into the arena) or a leaf.
#[derive(Debug, Clone, Copy, PartialEq)]
enum SNode {
    Elem(usize),
    Leaf(usize),
}

/// One structure element.
#[derive(Debug)]
struct Elem {
    role: Role,
    children: Vec<SNode>,
    /// Inside a figure: its content is graphics.
    figure: bool,
    /// The leaf content goes to until a child element is added or the page changes.
    last_leaf: Option<(usize, usize)>,
}

/// The structure being built while laying out, in reading order.
#[derive(Debug, Default)]
pub(super) struct Structure {
    elems: Vec<Elem>,
    /// Top-level elements.
    roots: Vec<usize>,
    /// Open elements, outermost first.
    stack: Vec<usize>,
    leaves: usize,
}

/// An element that content can be added to by name ([`Structure::content_of`]), not only as
/// the innermost open one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ElemId(usize);

impl Structure {
    /// Opens an element inside the current one.
    pub(super) fn open(&mut self, role: Role) -> ElemId {
        let id = self.elems.len();
        let parent = self.stack.last().copied();
        let figure =
            matches!(role, Role::Figure(_)) || parent.is_some_and(|p| self.elems[p].figure);
        self.elems.push(Elem {
            role,
            children: Vec::new(),
            figure,
            last_leaf: None,
        });
        match parent {
            Some(p) => {
                self.elems[p].children.push(SNode::Elem(id));
                self.elems[p].last_leaf = None;
            }
            None => self.roots.push(id),
        }
        self.stack.push(id);
        ElemId(id)
    }

    /// Closes the innermost open element.
    pub(super) fn close(&mut self) {
        self.stack.pop();
    }

    /// The marking of content drawn now on `page` in the innermost open element. Content
    /// outside every element is a paragraph of its own.
    pub(super) fn content(&mut self, page: usize) -> Marking {
        match self.stack.last().copied() {
            Some(e) => self.content_of(ElemId(e), page),
            None => {
                let p = self.open(Role::Paragraph);
                let m = self.content_of(p, page);
                self.close();
                m
            }
        }
    }

    /// The marking of content drawn now on `page` in element `e` (its current leaf, or a new
    /// one).
    pub(super) fn content_of(&mut self, e: ElemId, page: usize) -> Marking {
        let Some(elem) = self.elems.get_mut(e.0) else {
            return Marking::Artifact(Artifact::Layout);
        };
        let leaf = match elem.last_leaf {
            Some((p, leaf)) if p == page => leaf,
            _ => {
                let leaf = self.leaves;
                self.leaves += 1;
                elem.children.push(SNode::Leaf(leaf));
                elem.last_leaf = Some((page, leaf));
                leaf
            }
        };
        Marking::Leaf {
            leaf,
            figure: elem.figure,
        }
    }

    /// How many leaves were handed out (the size of the identifier table the painter fills).
    pub(super) fn leaf_count(&self) -> usize {
        self.leaves
    }

    /// The tag tree, with each leaf replaced by the identifiers the painter got for its runs.
    pub(super) fn tag_tree(&self, ids: &[Vec<Identifier>], lang: &str) -> TagTree {
        let mut tree = TagTree::new().with_lang(Some(lang.to_string()));
        for &r in &self.roots {
            for n in self.convert(SNode::Elem(r), ids) {
                tree.push(n);
            }
        }
        tree
    }

    fn convert(&self, node: SNode, ids: &[Vec<Identifier>]) -> Vec<Node> {
        match node {
            SNode::Leaf(l) => ids
                .get(l)
                .into_iter()
                .flatten()
                .map(|id| Node::Leaf(*id))
                .collect(),
            SNode::Elem(e) => {
                let elem = &self.elems[e];
                let children: Vec<Node> = elem
                    .children
                    .iter()
                    .flat_map(|c| self.convert(*c, ids))
                    .collect();
                vec![Node::Group(TagGroup::with_children(
                    tag(&elem.role),
                    children,
                ))]
            }
        }
    }

    /// The roles of the top-level elements (for tests).
    #[cfg(test)]
    fn roles(&self) -> Vec<Role> {
        self.roots
            .iter()
            .map(|&r| self.elems[r].role.clone())
            .collect()
    }
}

fn tag(role: &Role) -> TagKind {
    match role {
        Role::Heading(level, text) => {
            let level = NonZeroU16::new(u16::from(*level)).unwrap_or(NonZeroU16::MIN);
            Tag::Hn(level, Some(text.clone())).into()
        }
        Role::Paragraph => Tag::P.into(),
        Role::List => Tag::L(ListNumbering::Disc).into(),
        Role::ListItem => Tag::LI.into(),
        Role::Label => Tag::Lbl.into(),
        Role::ListBody => Tag::LBody.into(),
        Role::Table => Tag::Table.into(),
        Role::Row => Tag::TR.into(),
        Role::HeaderCell { row: false } => Tag::TH(TableHeaderScope::Column).into(),
        Role::HeaderCell { row: true } => Tag::TH(TableHeaderScope::Row).into(),
        Role::Cell => Tag::TD.into(),
        Role::Caption => Tag::Caption.into(),
        Role::Code => Tag::Code.into(),
        Role::Figure(alt) => Tag::Figure(Some(alt.clone())).into(),
        Role::Contents => Tag::TOC.into(),
        Role::ContentsItem => Tag::TOCI.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_continues_one_leaf_until_the_element_or_the_page_changes() {
        let mut s = Structure::default();
        s.open(Role::Paragraph);
        let a = s.content(0);
        assert_eq!(s.content(0), a);
        let b = s.content(1);
        assert_ne!(a, b, "a new page starts a new leaf");
        s.close();
        s.open(Role::Figure("a chart".into()));
        assert!(matches!(s.content(1), Marking::Leaf { figure: true, .. }));
        s.close();
        assert_eq!(s.leaf_count(), 3);
        assert_eq!(s.roles(), [Role::Paragraph, Role::Figure("a chart".into())]);
    }

    #[test]
    fn stray_content_becomes_a_paragraph() {
        let mut s = Structure::default();
        s.content(0);
        assert_eq!(s.roles(), [Role::Paragraph]);
    }
}
