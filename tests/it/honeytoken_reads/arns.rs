//! Reads by ARN: a secret's ARN ends in a random suffix that may be part of another secret's
//! name; the case says so, or settles it from the evidence.

use super::*;

const SECRET_ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:";

/// AWS ends every secret's ARN with `-` and six random characters, and a call may name a secret
/// by a partial ARN: `…:secret:Production_Database_Credentials-backup` is the honeytoken with the
/// suffix `backup`, or a secret named `Production_Database_Credentials-backup`. With no full ARN
/// of the honeytoken in the evidence, the read stays an incident that says so; with one, the
/// suffix settles it.
#[test]
fn a_read_by_an_arn_whose_suffix_may_be_part_of_another_name_says_so_or_is_settled() {
    let backup = format!("{SECRET_ARN}Production_Database_Credentials-backup");
    let own = format!("{SECRET_ARN}Production_Database_Credentials-Xy12Ab");
    let read = secret_read(
        "11111111-2222-3333-4444-555555555556",
        "u",
        "2026-11-20T16:16:00Z",
        &backup,
        &[],
    );
    let doc = case(
        std::slice::from_ref(&read),
        "secret:Production_Database_Credentials",
    );
    let inc = incidents(&doc);
    assert_eq!(inc.len(), 1, "{doc}");
    let unknowns = inc[0]["unknowns"].as_array().unwrap();
    let said: Vec<&str> = unknowns
        .iter()
        .filter_map(Value::as_str)
        .filter(|u| u.contains(&backup))
        .collect();
    assert_eq!(said.len(), 1, "{unknowns:?}");
    assert!(
        said[0].contains("`backup` is the honeytoken's own random suffix"),
        "{}",
        said[0]
    );
    assert!(
        said[0].contains("is not shown by the evidence"),
        "{}",
        said[0]
    );
    assert_ne!(inc[0]["severity"], json!("low"), "{}", inc[0]);
    // The report says it where it says an incident's unknowns.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("trail.json"),
        json!({ "Records": [read.clone()] }).to_string(),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let run = report_pdf(
        &pdf,
        &[
            "--honeytoken",
            "secret:Production_Database_Credentials",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    let text = pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Unknown: honeytoken: the read names the secret by the ARN"),
        "{text}"
    );
    assert!(text.contains("is not shown by the evidence"), "{text}");

    // Another record gives the honeytoken's full ARN (suffix `Xy12Ab`): `backup` is another
    // secret's name, no incident, and its record stays a row of the timeline; a read by the
    // honeytoken's own ARN is certain.
    let by_name = secret_read(
        "11111111-2222-3333-4444-000000000001",
        "w",
        "2026-11-20T15:00:00Z",
        "Production_Database_Credentials",
        &[&own],
    );
    let by_own_arn = secret_read(
        "11111111-2222-3333-4444-000000000002",
        "v",
        "2026-11-20T15:30:00Z",
        &own,
        &[],
    );
    let doc = case(
        &[by_name, by_own_arn, read.clone()],
        "secret:Production_Database_Credentials",
    );
    let inc = incidents(&doc);
    let actors: Vec<&str> = inc
        .iter()
        .map(|i| i["actor"]["arn"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        actors,
        [
            "arn:aws:iam::123456789012:user/w",
            "arn:aws:iam::123456789012:user/v"
        ],
        "{doc}"
    );
    for i in inc {
        assert!(
            !i["unknowns"]
                .to_string()
                .contains("the read names the secret by the ARN"),
            "{i}"
        );
    }
    let row = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_id"] == read["eventID"])
        .unwrap_or_else(|| panic!("no row: {doc}"));
    assert_ne!(row["kind"], "honeytoken_access", "{row}");
    assert_eq!(row["incidents"], json!([]), "{row}");

    // The read's own record shows the secret it read (`resources`): another secret.
    let shown = secret_read(
        "11111111-2222-3333-4444-000000000003",
        "u",
        "2026-11-20T16:16:00Z",
        &backup,
        &[&format!("{backup}-AbCdEf")],
    );
    let doc = case(&[shown], "secret:Production_Database_Credentials");
    assert!(incidents(&doc).is_empty(), "{doc}");
}
