//! The actor's own direct reads beside S3's Decrypt of the decoy (refused, failed), and the
//! Decrypt's role session carrying a long-term key id.

use super::*;

/// A case of the guide's records with, two hours before S3's Decrypt, the Decrypt's caller's
/// own `GetObject` of the decoy failing with `code` and `message`.
fn direct_read_then_decrypt(code: &str, message: &str) -> tempfile::TempDir {
    let records = doc_records();
    let mut direct = get_object(&records[1], "example_object");
    direct["eventTime"] = json!("2015-09-10T21:58:39Z");
    direct["errorCode"] = json!(code);
    direct["errorMessage"] = json!(message);
    let dir = tempfile::tempdir().unwrap();
    write_case(
        dir.path(),
        &[records[0].clone(), direct, records[1].clone()],
    );
    dir
}

/// A refused `GetObject` of the decoy and, later, S3's `kms:Decrypt` of it for the same
/// principal: the only successful read is the indirect one. It was told as a plain read: "was
/// used to read … at <the refused call's time>", "The actor obtained the … value", "The read.
/// At <the refused call's time> it read", "returned to the actor (1 successful read)", SC-26
/// "was read". Each sentence now says what rests on what: the refused call was refused, the
/// decryption is indirect and dated by the Decrypt.
#[test]
fn a_refused_read_and_s3_decrypting_the_decoy_are_told_apart() {
    let dir = direct_read_then_decrypt("AccessDenied", "Access Denied");
    let doc = timeline(dir.path());
    let inc = doc["incidents"].as_array().unwrap();
    assert_eq!(inc.len(), 1, "{doc:#}");
    let basis = inc[0]["severity_basis"].as_str().unwrap();
    assert!(
        basis.starts_with("S3 decrypted the honeytoken object for the actor (1 read known only from kms:Decrypt; the S3 call itself is not in the evidence); 1 read in the evidence was refused"),
        "{basis}"
    );
    let why: Vec<&str> = inc[0]["eradication"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert!(
        !why.contains(&"a read returned the honeytoken's value to the actor"),
        "{why:?}"
    );

    let text = report(dir.path());
    for claim in [
        "was used to read",
        "The actor obtained",
        "it read the decoy",
        "The decoy's value is in the actor's hands",
        "returned to the actor (1 successful read)",
        "no workload reads was read",
    ] {
        assert!(!text.contains(claim), "{claim}: {text}");
    }
    for said in [
        "for the credential of a role session of AWS account 111122223333 at 2015-09-10T23:58:39Z",
        "A direct read of the decoy storage object by that credential is in the evidence, and it was refused (at 2015-09-10T21:58:39Z).",
        "The attempt. At 2015-09-10T21:58:39Z it tried to read the decoy storage object example_bucket/example_object, and was refused.",
        "The read. At 2015-09-10T23:58:39Z S3 decrypted the decoy storage object",
        "the actor's direct read in the evidence was refused",
        "no workload reads was asked for directly (every such read in the evidence refused) and decrypted by S3 for a caller",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
}

/// The same direct GetObject failing with `NoSuchKey` (an error no access check gives) beside
/// S3's Decrypt of the decoy: the indirect-only sentences said "its direct read in the evidence
/// was refused", the severity "1 read in the evidence was refused" and SC-26 "every such read in
/// the evidence refused" whatever the code. They now say it failed, with its code, by the rule
/// of the direct reads.
#[test]
fn a_failed_direct_read_beside_s3_decrypting_the_decoy_is_not_called_refused() {
    let dir = direct_read_then_decrypt("NoSuchKey", "The specified key does not exist.");
    let doc = timeline(dir.path());
    let basis = doc["incidents"][0]["severity_basis"].as_str().unwrap();
    assert!(
        basis.contains("; 1 read in the evidence failed (NoSuchKey)"),
        "{basis}"
    );
    let text = report(dir.path());
    for said in [
        "A direct read of the decoy storage object by that credential is in the evidence, and it failed (NoSuchKey) (at 2015-09-10T21:58:39Z).",
        "it tried to read the decoy storage object example_bucket/example_object, and failed (NoSuchKey).",
        "the actor's direct read in the evidence failed (NoSuchKey)",
        "no workload reads was asked for directly (every such read in the evidence failed) and decrypted by S3 for a caller",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    assert!(!text.contains("in the evidence was refused"), "{text}");
    assert!(!text.contains("and was refused"), "{text}");
}

/// The KMS guide's Decrypt names a role session (`assumed-role/Admins/example-user`) with a
/// long-term key id (`AKIAIOSFODNN7EXAMPLE`; a role session's keys are `ASIA…`). The report
/// advised "Replace the compromised account's access key", as if a user's long-term key had
/// been used. The records disagree with themselves: no step now replaces or deactivates the
/// key, and the incident's unknowns say the disagreement, neither reading stated as fact.
#[test]
fn a_role_session_with_a_long_term_key_id_is_an_unknown_not_a_key_to_replace() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &doc_records());
    let doc = timeline(dir.path());
    let inc = &doc["incidents"][0];
    assert_eq!(inc["actor"]["type"], "AssumedRole");
    let steps = inc["eradication"].to_string();
    assert!(
        !steps.contains("Replace the compromised user") && !steps.contains("'s access key\""),
        "{steps}"
    );
    assert!(
        !steps.contains("access key(s) AKIAIOSFODNN7EXAMPLE"),
        "{steps}"
    );
    let unknowns = inc["unknowns"].to_string();
    assert!(
        unknowns.contains("carry the long-term access key id(s) AKIAIOSFODNN7EXAMPLE (AKIA…), where such an identity's keys are temporary (ASIA…): the records disagree, so whether a user's long-term key or the session's temporary key was used is not known"),
        "{unknowns}"
    );
    let text = report(dir.path());
    assert!(!text.contains("Replace the compromised account"), "{text}");
    assert!(!text.contains("Deactivate, then delete"), "{text}");
    assert!(text.contains("the records disagree"), "{text}");
}
