//! `userIdentity` objects met before: a trail file's records name a few principals, each in one
//! session for a while, so a record's `userIdentity` is nearly always byte for byte one of the
//! last few the reader read (98 % of the 100,748 records of one region-day of the benchmark set
//! are one of the four before). The reader remembers the last [`WAYS`] it read whole, each as a
//! copy of its bytes with the shape of the view it gave: which field was which string of those
//! bytes (as an offset and length), `true`, `false`, or none. An identity that is one of them
//! byte for byte at the same depth is not read again: its view is set from the shape, each
//! string borrowed from the text at the cursor.
//!
//! Exact: [`Reader::user_identity_into`](super::Reader) is a function of the object's bytes and
//! depth alone (as the skip is: `known.rs`), and what it leaves in the view is too (every field
//! it does not write it clears). So the same bytes give the same view, whose strings are the
//! same bytes at the same offsets from the object's start: the shape borrows exactly what a
//! reading would. Only an identity read whole is remembered, and only when every string of its
//! view is a slice of its bytes (a `true` or `false` is the word itself).

use super::Reader;
use crate::parse::lenient::Text;
use crate::parse::record::{
    OnBehalfOfView, SessionContextView, SessionIssuerView, UserIdentityView,
};
use std::borrow::Cow;

/// Identities remembered, the last read first.
const WAYS: usize = 4;
/// The longest identity remembered; longer ones are read each time.
const LONGEST: usize = 1024;

/// What one field of a remembered view held.
#[derive(Clone, Copy, Default, PartialEq, Debug)]
enum Piece {
    #[default]
    Null,
    True,
    False,
    /// The bytes at this offset from the object's `{`, of this length.
    At(u16, u16),
}

/// A remembered view: the identity's text fields in [`Shape::texts`]'s order, its session
/// context (the issuer's two fields, the source identity) and its `onBehalfOf`.
#[derive(Clone, Copy, Default, PartialEq, Debug)]
struct Shape {
    texts: [Piece; 8],
    session: Option<(Option<[Piece; 2]>, Piece)>,
    on_behalf_of: Option<[Piece; 2]>,
}

#[derive(Clone, Copy, Default)]
struct Way {
    slot: u8,
    /// 0: nothing remembered.
    len: u16,
    depth: u8,
    shape: Shape,
}

/// The remembered identities, and their copies (allocated when the first is remembered).
#[derive(Clone, Default)]
pub(super) struct Identities {
    ways: [Way; WAYS],
    copies: Vec<u8>,
}

/// The piece `t` is, for an object whose text is `object`; `None` when it is not one a shape
/// can hold (a string not among the object's bytes, nor `true` or `false`).
fn piece_of(t: &Text<'_>, object: &str) -> Option<Piece> {
    let Some(s) = &t.0 else {
        return Some(Piece::Null);
    };
    let Cow::Borrowed(s) = s else {
        return None;
    };
    let off = (s.as_ptr() as usize).wrapping_sub(object.as_ptr() as usize);
    if off < object.len() && off + s.len() <= object.len() {
        return Some(Piece::At(off as u16, s.len() as u16));
    }
    match *s {
        "true" => Some(Piece::True),
        "false" => Some(Piece::False),
        _ => None,
    }
}

/// `dst` set to the text `p` stands for in `object` (untouched when there is none): written
/// where the field is, not returned through the stack and copied (a stalled load per field).
#[inline(always)]
fn set<'a>(dst: &mut Text<'a>, p: Piece, object: &'a str) -> Option<()> {
    *dst = text_of(p, object)?;
    Some(())
}

/// The text `p` stands for in `object`, the remembered bytes found again.
#[inline(always)]
fn text_of<'a>(p: Piece, object: &'a str) -> Option<Text<'a>> {
    Some(Text(match p {
        Piece::Null => None,
        Piece::True => Some(Cow::Borrowed("true")),
        Piece::False => Some(Cow::Borrowed("false")),
        Piece::At(off, len) => {
            let off = usize::from(off);
            Some(Cow::Borrowed(object.get(off..off + usize::from(len))?))
        }
    }))
}

/// The shape of `u`, read from `object`; `None` when a field is not a piece.
fn shape_of(u: &UserIdentityView<'_>, object: &str) -> Option<Shape> {
    let p = |t: &Text<'_>| piece_of(t, object);
    let texts = [
        p(&u.kind)?,
        p(&u.arn)?,
        p(&u.principal_id)?,
        p(&u.account_id)?,
        p(&u.access_key_id)?,
        p(&u.user_name)?,
        p(&u.invoked_by)?,
        p(&u.identity_provider)?,
    ];
    let session = match &u.session_context {
        None => None,
        Some(c) => {
            let issuer = match &c.session_issuer {
                None => None,
                Some(s) => Some([p(&s.arn)?, p(&s.user_name)?]),
            };
            Some((issuer, p(&c.source_identity)?))
        }
    };
    let on_behalf_of = match &u.on_behalf_of {
        None => None,
        Some(o) => Some([p(&o.user_id)?, p(&o.identity_store_arn)?]),
    };
    Some(Shape {
        texts,
        session,
        on_behalf_of,
    })
}

/// `u` set to what `shape` says, its strings borrowed from `object`. The pattern names every
/// field of the view, so a field added to it without a piece here does not compile.
fn fill<'a>(u: &mut UserIdentityView<'a>, shape: &Shape, object: &'a str) -> Option<()> {
    let UserIdentityView {
        kind,
        arn,
        principal_id,
        account_id,
        access_key_id,
        user_name,
        invoked_by,
        session_context,
        identity_provider,
        on_behalf_of,
    } = u;
    let [p0, p1, p2, p3, p4, p5, p6, p7] = shape.texts;
    set(kind, p0, object)?;
    set(arn, p1, object)?;
    set(principal_id, p2, object)?;
    set(account_id, p3, object)?;
    set(access_key_id, p4, object)?;
    set(user_name, p5, object)?;
    set(invoked_by, p6, object)?;
    set(identity_provider, p7, object)?;
    match shape.session {
        None => *session_context = None,
        Some((issuer, source)) => {
            let c = session_context.get_or_insert_with(SessionContextView::default);
            set(&mut c.source_identity, source, object)?;
            match issuer {
                None => c.session_issuer = None,
                Some([arn, user_name]) => {
                    let s = c
                        .session_issuer
                        .get_or_insert_with(SessionIssuerView::default);
                    set(&mut s.arn, arn, object)?;
                    set(&mut s.user_name, user_name, object)?;
                }
            }
        }
    }
    *on_behalf_of = match shape.on_behalf_of {
        None => None,
        Some([user_id, identity_store_arn]) => Some(OnBehalfOfView {
            user_id: text_of(user_id, object)?,
            identity_store_arn: text_of(identity_store_arn, object)?,
        }),
    };
    Some(())
}

impl Identities {
    /// The way whose bytes the text at `i` begins with, read at `depth`.
    #[inline]
    fn find(&self, b: &[u8], i: usize, depth: u32) -> Option<usize> {
        if self.copies.is_empty() {
            return None;
        }
        let rest = b.get(i..)?;
        self.ways.iter().position(|w| {
            let len = usize::from(w.len);
            let at = usize::from(w.slot) * LONGEST;
            len != 0
                && u32::from(w.depth) == depth
                && rest.get(..len) == Some(&self.copies[at..at + len])
                && u32::try_from(i + len).is_ok()
        })
    }

    /// Remembers the identity read whole at `object` (the text from its `{` to its `}`) as `u`,
    /// first; the oldest is forgotten.
    fn learn(&mut self, object: &str, depth: u32, u: &UserIdentityView<'_>) {
        if object.len() > LONGEST || depth > u32::from(u8::MAX) {
            return;
        }
        let Some(shape) = shape_of(u, object) else {
            return;
        };
        if self.copies.is_empty() {
            self.copies = vec![0; WAYS * LONGEST];
            for (n, w) in self.ways.iter_mut().enumerate() {
                w.slot = n as u8;
            }
        }
        self.ways.rotate_right(1);
        let w = &mut self.ways[0];
        let at = usize::from(w.slot) * LONGEST;
        self.copies[at..at + object.len()].copy_from_slice(object.as_bytes());
        w.len = object.len() as u16;
        w.depth = depth as u8;
        w.shape = shape;
    }
}

impl<'a> Reader<'a, '_> {
    /// The `userIdentity` at `self.i` (its `{` or `null`) into `slot`, as
    /// [`Reader::nested_into`] with [`Reader::user_identity_into`] reads it, but set from a
    /// remembered shape when its bytes are those of an identity read before.
    pub(super) fn identity_into(
        &mut self,
        d: u32,
        slot: &mut Option<UserIdentityView<'a>>,
    ) -> Option<()> {
        let at = self.i;
        if self.peek()? == b'{' && !(cfg!(test) && self.m.blind) {
            if let Some(n) = self.m.identities.find(self.b, at, d + 1) {
                let w = self.m.identities.ways[n];
                let end = at + usize::from(w.len);
                // Cannot fail (the same bytes were sliced so before); if it did, the identity
                // is read below, which sets every field again.
                let filled = self.s.get(at..end).and_then(|object| {
                    fill(
                        slot.get_or_insert_with(UserIdentityView::default),
                        &w.shape,
                        object,
                    )
                });
                if filled.is_some() {
                    self.i = end;
                    return Some(());
                }
            }
        }
        self.nested_into(d, slot, Reader::user_identity_into)?;
        if let (Some(u), Some(object)) = (slot.as_ref(), self.s.get(at..self.i)) {
            if object.starts_with('{') {
                self.m.identities.learn(object, d + 1, u);
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{read_plain_into, Memo};
    use crate::parse::lenient::Text;
    use crate::parse::record::RecordView;

    /// Where each string of a view's identity lies in `text` (offset and length), or the word
    /// itself when it is not in the text (a `true` or `false`).
    fn places(v: &RecordView<'_>, text: &str) -> Vec<Option<Result<(usize, usize), String>>> {
        let at = |t: &Text<'_>| {
            t.0.as_deref().map(|s| {
                let off = (s.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
                if off <= text.len() {
                    Ok((off, s.len()))
                } else {
                    Err(s.to_string())
                }
            })
        };
        let Some(u) = &v.user_identity else {
            return Vec::new();
        };
        let mut all: Vec<_> = [
            &u.kind,
            &u.arn,
            &u.principal_id,
            &u.account_id,
            &u.access_key_id,
            &u.user_name,
            &u.invoked_by,
            &u.identity_provider,
        ]
        .into_iter()
        .map(at)
        .collect();
        if let Some(c) = &u.session_context {
            all.push(at(&c.source_identity));
            if let Some(s) = &c.session_issuer {
                all.extend([at(&s.arn), at(&s.user_name)]);
            }
        }
        if let Some(o) = &u.on_behalf_of {
            all.extend([at(&o.user_id), at(&o.identity_store_arn)]);
        }
        all
    }

    /// Records whose identities come back in every order of three (the same bytes, one byte
    /// changed, the same bytes and one more member, another shape, `null`, none, one the plain
    /// reader refuses), read one after the other with one memo and view, as a trail window reads
    /// them: each gives the view, the end and the very string places that a memo remembering
    /// nothing gives.
    #[test]
    fn an_identity_met_again_gives_the_view_a_reading_gives() {
        let deep = format!("{}1{}", r#"{"k":"#.repeat(60), "}".repeat(60));
        let identities = [
            r#"{"type":"AssumedRole","principalId":"P:s","arn":"a","accountId":"1","accessKeyId":"K","sessionContext":{"sessionIssuer":{"type":"Role","arn":"i","userName":"u"},"attributes":{"creationDate":"2026-11-20T10:00:55Z","mfaAuthenticated":"false"}}}"#.to_string(),
            r#"{"type":"AssumedRole","principalId":"P:s","arn":"a","accountId":"1","accessKeyId":"L","sessionContext":{"sessionIssuer":{"type":"Role","arn":"i","userName":"u"},"attributes":{"creationDate":"2026-11-20T10:00:55Z","mfaAuthenticated":"false"}}}"#.to_string(),
            r#"{"type":"AssumedRole","principalId":"P:s","arn":"a","accountId":"1","accessKeyId":"K","sessionContext":{"sessionIssuer":{"type":"Role","arn":"i","userName":"u"},"attributes":{"creationDate":"2026-11-20T10:00:55Z","mfaAuthenticated":"false"}},"userName":"v"}"#.to_string(),
            r#"{"type":"IAMUser","arn":"a","userName":true,"invokedBy":null,"accountId":{"x":[1,2]},"principalId":false,"identityProvider":""}"#.to_string(),
            r#"{"type":"X","onBehalfOf":{"userId":"u","identityStoreArn":"s"},"sessionContext":{"sourceIdentity":"me","sessionIssuer":null}}"#.to_string(),
            r#"{"type":"X","sessionContext":null,"arn":"true"}"#.to_string(),
            r#"{ "type" : "A" , "arn" : "b" }"#.to_string(),
            r#"{"type":"A","arn":"a\"b"}"#.to_string(),
            r#"{"type":"A","type":"A"}"#.to_string(),
            format!(r#"{{"type":"D","sessionContext":{{"attributes":{deep}}}}}"#),
            "{}".to_string(),
            "null".to_string(),
        ];
        let record = |id: &str| format!(r#"{{"eventName":"N","userIdentity":{id},"eventID":"e"}}"#);
        let mut records: Vec<String> = identities.iter().map(|i| record(i)).collect();
        records.push(r#"{"eventName":"N"}"#.to_string());
        let n = records.len();
        for a in 0..n {
            for b in 0..n {
                for c in 0..n {
                    let text = [&records[a], &records[b], &records[c], &records[a]]
                        .map(|r| r.as_str())
                        .join(",");
                    let (mut view, mut memo) = (RecordView::default(), Memo::default());
                    let mut pos = 0;
                    while pos < text.len() {
                        let mut fresh = RecordView::default();
                        let want = read_plain_into(&text, pos, &mut fresh, &mut Memo::blind());
                        let got = read_plain_into(&text, pos, &mut view, &mut memo);
                        assert_eq!(got, want, "{text} at {pos}");
                        let Some(end) = want else {
                            view = RecordView::default();
                            pos += text[pos..].find(",{").map_or(text.len(), |e| e + 1);
                            continue;
                        };
                        assert_eq!(view, fresh, "{text} at {pos}");
                        assert_eq!(
                            places(&view, &text),
                            places(&fresh, &text),
                            "{text} at {pos}"
                        );
                        pos = end + 1;
                    }
                }
            }
        }
    }
}
