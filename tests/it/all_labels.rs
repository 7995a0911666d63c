//! `timeline --all` labels each record as `timeline` does. A `GetSecretValue` of
//! `…:secret:Production_Database_Credentials-backup` is another secret when the evidence gives
//! the honeytoken's full ARN (its own suffix, `-Xy12Ab`): `timeline` knew it, but `--all`
//! labelled the row `honeytoken_access`, classifying each record before the honeytoken's suffix
//! was learnt from the others.

use crate::support::honeytoken_calls::secret_read;
use crate::support::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:";
const HONEYTOKEN: &str = "secret:Production_Database_Credentials";
const BY_NAME: &str = "11111111-2222-3333-4444-000000000001";
const BACKUP: &str = "11111111-2222-3333-4444-555555555556";

/// The kind of each row by eventID, from `timeline --format jsonl` with or without `--all`.
fn kinds(evidence: &std::path::Path, all: bool) -> BTreeMap<String, String> {
    let mut args = vec!["timeline", "--quiet", "--format", "jsonl"];
    if all {
        args.push("--all");
    }
    args.extend(["--honeytoken", HONEYTOKEN, evidence.to_str().unwrap()]);
    let run = trailcase(args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.text()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["event_id"].is_string())
        .map(|r| {
            let kind = r["kind"].as_str().unwrap_or_default().to_string();
            (r["event_id"].as_str().unwrap().to_string(), kind)
        })
        .collect()
}

#[test]
fn all_labels_a_read_of_another_secret_as_timeline_does() {
    let own = format!("{ARN}Production_Database_Credentials-Xy12Ab");
    let backup = format!("{ARN}Production_Database_Credentials-backup");
    let dir = tempfile::tempdir().unwrap();
    let records = [
        // The other secret's read first: the stream labels it before it reads the full ARN.
        secret_read(BACKUP, "u", "2026-11-20T16:16:00Z", &backup, &[]),
        secret_read(
            BY_NAME,
            "w",
            "2026-11-20T15:00:00Z",
            "Production_Database_Credentials",
            &[&own],
        ),
    ];
    std::fs::write(
        dir.path().join("trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    let timeline = kinds(dir.path(), false);
    let all = kinds(dir.path(), true);
    assert_ne!(timeline[BACKUP], "honeytoken_access", "{timeline:?}");
    assert_eq!(
        all[BACKUP], timeline[BACKUP],
        "--all {all:?}, timeline {timeline:?}"
    );
    // The honeytoken's own read is still one, in both.
    assert_eq!(timeline[BY_NAME], "honeytoken_access", "{timeline:?}");
    assert_eq!(all[BY_NAME], "honeytoken_access", "{all:?}");
    // Every row `timeline` has is labelled the same by `--all`.
    for (id, kind) in &timeline {
        assert_eq!(all.get(id), Some(kind), "{id}: --all {all:?}");
    }
}
