//! `collect` against moto when it cannot have everything: what cannot be acquired is a gap naming
//! the permission, the rest is kept; regions and bad arguments are told apart.

use super::*;

#[test]
fn what_cannot_be_acquired_is_a_gap_naming_the_permission_and_the_rest_is_kept() {
    let moto = Moto::start();
    let seeded = seed(&moto);
    let denied = seeded.inside[0].0.clone();
    let mut s = seeded.extra.clone();
    s["deny_get"] = json!([denied]);
    s["deny_lookup"] = json!(["us-east-1"]);
    s["cloudwatch"]["us-east-1"]["deny"] = json!(["DescribeAlarmHistory"]);
    moto.seed(&s);
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let mut args = vec![
        "collect",
        "--case",
        case.to_str().unwrap(),
        "--s3",
        "s3://trail-bucket/AWSLogs/",
        "--lookup",
    ];
    args.extend(WINDOW);
    let out = trailcase(&args, &moto.endpoint);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let m = manifest(&case);
    let gaps = m["gaps"].as_array().unwrap();
    let permission = |p: &str| {
        gaps.iter()
            .find(|g| g["permission"] == p)
            .unwrap_or_else(|| panic!("a gap needing {p}: {gaps:#?}"))
            .clone()
    };
    assert_eq!(
        permission("s3:GetObject")["source"],
        format!("s3://{BUCKET}/{denied}")
    );
    assert!(permission("cloudtrail:LookupEvents")["source"]
        .as_str()
        .unwrap()
        .contains("us-east-1"));
    permission("cloudwatch:DescribeAlarmHistory");
    assert!(stderr.contains("[needs s3:GetObject]"), "{stderr}");
    assert!(!case.join(format!("cloudtrail/{denied}")).exists());
    for (key, bytes) in &seeded.inside[1..] {
        assert_eq!(
            &std::fs::read(case.join(format!("cloudtrail/{key}"))).unwrap(),
            bytes
        );
    }
    assert!(case.join("cloudwatch/alarms.json").is_file());
    assert!(case.join("events/targets-HoneytokenRule.json").is_file());

    // Once the permission is granted, a rerun fetches only what was missing.
    let mut s2 = s.clone();
    s2["deny_get"] = json!([]);
    s2["deny_lookup"] = json!([]);
    s2["cloudwatch"]["us-east-1"]["deny"] = json!([]);
    moto.seed(&s2);
    let out = trailcase(&args, &moto.endpoint);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = manifest(&case);
    let gets = m["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["operation"] == "GetObject")
        .unwrap();
    assert_eq!(gets["calls"], 1);
    assert!(case.join(format!("cloudtrail/{denied}")).exists());
}

#[test]
fn regions_and_bad_arguments() {
    let moto = Moto::start();
    let seeded = seed(&moto);
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let mut args = vec![
        "collect",
        "--case",
        case.to_str().unwrap(),
        "--s3",
        "s3://trail-bucket/AWSLogs/",
        "--regions",
        "eu-west-1",
    ];
    args.extend(WINDOW);
    let out = trailcase(&args, &moto.endpoint);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stored: Vec<&String> = seeded
        .inside
        .iter()
        .map(|(k, _)| k)
        .filter(|k| case.join(format!("cloudtrail/{k}")).exists())
        .collect();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert!(stored[0].contains("/eu-west-1/"));

    // A region with no trail files in the window: nothing to fetch is a gap, not a silent success.
    let empty = dir.path().join("empty");
    let mut args = vec![
        "collect",
        "--case",
        empty.to_str().unwrap(),
        "--s3",
        "s3://trail-bucket/AWSLogs/",
        "--regions",
        "ap-south-1",
    ];
    args.extend(WINDOW);
    let out = trailcase(&args, &moto.endpoint);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gaps = manifest(&empty)["gaps"].clone();
    assert!(
        gaps[0]["reason"]
            .as_str()
            .unwrap()
            .contains("no CloudTrail files"),
        "{gaps:#}"
    );

    let out = trailcase(
        &[
            "collect",
            "--case",
            "x",
            "--from",
            "20 Nov 2026",
            "--to",
            "2026-11-21T00:00Z",
        ],
        &moto.endpoint,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--from"));
    let out = trailcase(
        &["collect", "--case", "x", "--s3", "https://bucket"],
        &moto.endpoint,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--s3"));
}
