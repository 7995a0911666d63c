//! Does the honeytoken exist? One check, its id naming the kind: `honeytoken.secret`
//! (DescribeSecret), `honeytoken.parameter` (SSM DescribeParameters with a Name filter) or
//! `honeytoken.object` (S3 ListObjectsV2 with the key as prefix). None of them reads the decoy:
//! a read is what its detection catches, so the reasons say which call was made instead.

use super::Checks;
use crate::model::posture_snapshot::Snapshot;
use crate::model::{HoneytokenKind, HoneytokenRule};

/// The check's id for a honeytoken of `kind`.
pub fn id(kind: HoneytokenKind) -> &'static str {
    match kind {
        HoneytokenKind::Secret => "honeytoken.secret",
        HoneytokenKind::SsmParameter => "honeytoken.parameter",
        HoneytokenKind::S3 => "honeytoken.object",
    }
}

pub fn check(s: &Snapshot, c: &mut Checks) {
    let rule = HoneytokenRule::from_flag(&s.honeytoken);
    let id = id(rule.kind);
    match rule.kind {
        HoneytokenKind::Secret => secret(s, c),
        _ if rule.pattern.contains(['*', '?']) => c.unknown(
            id,
            format!(
                "the honeytoken {} is a pattern, not one name: whether what it matches exists is not examined",
                s.honeytoken
            ),
        ),
        HoneytokenKind::SsmParameter => parameter(s, &rule.pattern, c),
        HoneytokenKind::S3 => object(s, &rule.pattern, c),
    }
}

fn secret(s: &Snapshot, c: &mut Checks) {
    const ID: &str = "honeytoken.secret";
    match &s.secret {
        Err(e) => c.unknown(ID, format!("cannot describe secret {}: {e}", s.honeytoken)),
        Ok(None) => c.fail(ID, format!("secret {} does not exist", s.honeytoken)),
        Ok(Some(x)) if x.deleted => {
            c.fail(ID, format!("secret {} is scheduled for deletion", x.arn))
        }
        Ok(Some(x)) => c.pass(ID, format!("secret {} exists", x.arn)),
    }
}

fn parameter(s: &Snapshot, name: &str, c: &mut Checks) {
    const ID: &str = "honeytoken.parameter";
    const HOW: &str = "DescribeParameters with a Name filter, which returns no value; never \
                       GetParameter, the read its detection catches";
    match &s.decoy {
        Err(e) => c.unknown(ID, format!("cannot look up SSM parameter {name}: {e}")),
        Ok(None) => c.fail(
            ID,
            format!("SSM parameter {name} does not exist (looked up by {HOW})"),
        ),
        Ok(Some(p)) => c.pass(
            ID,
            format!(
                "SSM parameter {} exists{} (looked up by {HOW})",
                p.name,
                p.arn
                    .as_deref()
                    .map(|a| format!(", {a}"))
                    .unwrap_or_default()
            ),
        ),
    }
}

fn object(s: &Snapshot, path: &str, c: &mut Checks) {
    const ID: &str = "honeytoken.object";
    const HOW: &str = "ListObjectsV2 of its bucket with the key as prefix, a call whose record \
                       names the bucket and the prefix, not the object; never GetObject or \
                       HeadObject, calls on the object itself that its detection may catch";
    let object = format!("s3://{}", path.trim_start_matches("arn:aws:s3:::"));
    match &s.decoy {
        Err(e) => c.unknown(ID, format!("cannot look up S3 object {object}: {e}")),
        Ok(None) => c.fail(
            ID,
            format!("S3 object {object} does not exist (looked up by {HOW})"),
        ),
        Ok(Some(o)) => c.pass(ID, format!("S3 object {} exists (listed by {HOW})", o.name)),
    }
}
