//! IR-4 and RS.AN-03 were graded supported beside a read while another configured honeytoken's
//! reads could not be seen (an S3 decoy whose bucket's data events the evidence does not
//! hold): the statement said whether it was read is unknown, the grade claimed the incident
//! handling and the analysis of what took place complete. They are now partly supported; with
//! every honeytoken's reads visible, supported as before.

use crate::support;

use serde_json::json;
use std::path::Path;
use support::*;
use trailcase::report::content::{nist, IntegrityStatement};

/// alice's session key (sts:GetSessionToken), her read of the decoy secret with it, and the
/// kill-switch's deny-all policy on her and deactivation of her long-term key: contained, the
/// key's origin in the evidence. `s3_decoy`: a second honeytoken configured, an S3 object.
fn case(dir: &Path, s3_decoy: bool) {
    let alice = json!({"type": "IAMUser", "principalId": "AIDAALICE", "accountId": "123456789012",
                       "arn": "arn:aws:iam::123456789012:user/alice", "userName": "alice"});
    let killswitch = json!({"type": "AssumedRole", "principalId": "AROAKS:HoneytokenKillSwitch",
        "arn": "arn:aws:sts::123456789012:assumed-role/HoneytokenKillSwitchRole/HoneytokenKillSwitch",
        "accountId": "123456789012",
        "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAKS",
            "arn": "arn:aws:iam::123456789012:role/HoneytokenKillSwitchRole",
            "accountId": "123456789012", "userName": "HoneytokenKillSwitchRole"}}});
    let record = |n: u32,
                  time: &str,
                  source: &str,
                  name: &str,
                  request,
                  response,
                  who: &serde_json::Value,
                  key: &str| {
        let mut identity = who.clone();
        identity["accessKeyId"] = json!(key);
        json!({"eventVersion": "1.09", "eventTime": time,
               "eventID": format!("00000000-0000-4000-8000-{n:012}"),
               "eventSource": source, "eventName": name, "awsRegion": "us-east-1",
               "sourceIPAddress": "198.51.100.23", "userAgent": "aws-cli/2.15.0",
               "requestParameters": request, "responseElements": response,
               "userIdentity": identity, "readOnly": name.starts_with("Get"),
               "eventType": "AwsApiCall", "managementEvent": true,
               "recipientAccountId": "123456789012"})
    };
    let records = vec![
        record(
            1,
            "2026-11-20T14:00:00Z",
            "sts.amazonaws.com",
            "GetSessionToken",
            json!({"durationSeconds": 3600}),
            json!({"credentials": {"accessKeyId": "ASIAALICESESSION0001", "sessionToken": "x",
                                      "expiration": "Nov 20, 2026, 3:00:00 PM"}}),
            &alice,
            "AKIAALICELONGTERM001",
        ),
        record(
            2,
            "2026-11-20T14:02:00Z",
            "secretsmanager.amazonaws.com",
            "GetSecretValue",
            json!({"secretId": "Production_Database_Credentials"}),
            json!(null),
            &alice,
            "ASIAALICESESSION0001",
        ),
        record(
            3,
            "2026-11-20T14:02:30Z",
            "iam.amazonaws.com",
            "PutUserPolicy",
            json!({"userName": "alice", "policyName": "HoneytokenDenyAll",
                      "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}),
            json!(null),
            &killswitch,
            "ASIAKILLSWITCH000001",
        ),
        record(
            4,
            "2026-11-20T14:02:31Z",
            "iam.amazonaws.com",
            "UpdateAccessKey",
            json!({"userName": "alice", "accessKeyId": "AKIAALICELONGTERM001", "status": "Inactive"}),
            json!(null),
            &killswitch,
            "ASIAKILLSWITCH000001",
        ),
    ];
    std::fs::create_dir_all(dir.join("cloudtrail")).unwrap();
    std::fs::write(
        dir.join("cloudtrail/trail.json"),
        json!({ "Records": records }).to_string(),
    )
    .unwrap();
    let mut config =
        "[[honeytoken]]\nkind = \"secret\"\npattern = \"Production_Database_Credentials\"\n"
            .to_string();
    if s3_decoy {
        config.push_str(
            "\n[[honeytoken]]\nkind = \"s3\"\npattern = \"decoy-bucket/passwords.csv\"\n",
        );
    }
    std::fs::write(dir.join("trailcase.toml"), config).unwrap();
}

fn grades(s3_decoy: bool) -> Vec<(String, nist::Support, String)> {
    let dir = tempfile::tempdir().unwrap();
    case(dir.path(), s3_decoy);
    let (t, _) = model(&[dir.path()]);
    assert_eq!(t.incidents.len(), 1);
    assert_eq!(
        t.incidents[0].containment_status,
        trailcase::model::ContainmentStatus::Contained
    );
    nist::rows(&t, &IntegrityStatement::default())
        .into_iter()
        .filter(|r| r.id == "IR-4" || r.id == "RS.AN-03")
        .map(|r| (r.id.to_string(), r.support, r.statement))
        .collect()
}

#[test]
fn incident_handling_and_analysis_are_partly_supported_when_another_decoys_reads_are_unseen() {
    let seen = grades(false);
    assert_eq!(seen.len(), 2);
    for (id, support, statement) in &seen {
        assert_eq!(*support, nist::Support::Supported, "{id}: {statement}");
    }
    let unseen = grades(true);
    assert_eq!(unseen.len(), 2);
    for (id, support, statement) in &unseen {
        assert_eq!(*support, nist::Support::Partial, "{id}: {statement}");
        assert!(
            statement.contains("Reads of another configured honeytoken could not be seen: s3:decoy-bucket/passwords.csv"),
            "{id}: {statement}"
        );
    }
    let (_, _, analysis) = unseen.iter().find(|(id, _, _)| id == "RS.AN-03").unwrap();
    assert!(
        analysis.starts_with(
            "Timeline, actor and findings establish what took place in the reads the records hold"
        ),
        "{analysis}"
    );
}
