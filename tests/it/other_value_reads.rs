//! An actor that read the decoy and the values of other secrets or parameters (Stratus Red
//! Team's secrets and SecureString retrieval, public records in `tests/data/SOURCES.md`): the
//! executive summary counted those reads among its "look-ups" ("it looked around the account
//! (20 successful look-ups)") and no output said other values had been returned. The JSON now
//! lists them (`impact.other_value_reads`), the summary says them, and the first steps rotate
//! them.

use crate::support;

use support::*;

/// A case of one Stratus Red Team file and a honeytoken among what it read.
fn case(dir: &std::path::Path, file: &str, kind: &str, pattern: &str) -> std::path::PathBuf {
    stratus_case(dir, file, Some((kind, pattern)))
}

#[test]
fn other_secrets_read_beside_the_decoy_are_not_look_ups() {
    let dir = tempfile::tempdir().unwrap();
    let case = case(
        dir.path(),
        "aws.credential-access.secretsmanager-retrieve-secrets.json",
        "secret",
        "stratus-red-team-retrieve-secret-3",
    );
    let (doc, text) = timeline_and_unverifiable_report(&case, &[]);
    let impact = &doc["incidents"][0]["impact"];
    // 20 GetSecretValue, one of them the decoy's, and one ListSecrets.
    assert_eq!(impact["reads_succeeded"], 1, "{impact:#}");
    assert_eq!(impact["other_value_reads"].as_array().unwrap().len(), 19);
    assert_eq!(impact["look_ups"], 1, "ListSecrets only");
    let first = &impact["other_value_reads"][0];
    assert_eq!(first["action"], "secretsmanager:GetSecretValue");
    assert!(!first["names"][0]
        .as_str()
        .unwrap()
        .contains("retrieve-secret-3-"));
    assert!(
        text.contains("Besides, it read other stored values: 19 successful calls asked for the values of 19 other secrets ("),
        "{text}"
    );
    assert!(
        text.contains("which may be real credentials; it also looked around the account (one successful look-up)."),
        "{text}"
    );
    assert!(!text.contains("20 successful look-ups"), "{text}");
    // Rotating them is among the next actions, before the key's replacement.
    assert!(
        text.contains(
            "Rotate the other secrets the actor read. Security operations; priority immediate."
        ),
        "{text}"
    );
    let steps = doc["incidents"][0]["eradication"].as_array().unwrap();
    let rotate = steps
        .iter()
        .find(|s| s["plain"] == "Rotate the other secrets the actor read")
        .expect("a rotation step");
    assert_eq!(rotate["event_ids"].as_array().unwrap().len(), 19);
}

#[test]
fn parameters_a_decoy_read_also_named_are_counted_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let case = case(
        dir.path(),
        "aws.credential-access.ssm-retrieve-securestring-parameters.json",
        "ssm-parameter",
        "/credentials/stratus-red-team/credentials-3",
    );
    let (doc, text) = timeline_and_unverifiable_report(&case, &[]);
    let reads = doc["incidents"][0]["impact"]["other_value_reads"]
        .as_array()
        .unwrap();
    // Five GetParameters of ten names each, one of them also the decoy's read: all five count,
    // by the 41 names other than the decoy's.
    assert_eq!(reads.len(), 5, "{reads:#?}");
    let names: usize = reads
        .iter()
        .map(|r| r["names"].as_array().unwrap().len())
        .sum();
    assert_eq!(names, 41);
    assert!(reads
        .iter()
        .flat_map(|r| r["names"].as_array().unwrap())
        .all(|n| n != "/credentials/stratus-red-team/credentials-3"));
    assert!(
        text.contains("5 successful calls asked for the values of 41 other parameters"),
        "{text}"
    );
}
