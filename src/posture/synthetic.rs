//! The synthetic CloudTrail records the checks feed to the rule engines: reads of the
//! honeytoken by its kind's own read API (a secret: GetSecretValue by name and by ARN; an SSM
//! parameter: GetParameter by name and by ARN; an S3 object: GetObject, a data event), which must
//! be caught, and the same read of another resource of that kind, which must not be.

use crate::model::posture_snapshot::Snapshot;
use crate::model::{HoneytokenKind, HoneytokenRule};
use crate::rules::event_pattern::wrap_cloudtrail_record;
use serde_json::{json, Value};

/// A documentation account, used when no ARN in the snapshot names the real one.
const FALLBACK_ACCOUNT: &str = "123456789012";

pub struct Reads {
    /// (description, CloudTrail record) that must match.
    pub honeytoken: Vec<(String, Value)>,
    /// A read of another resource of the honeytoken's kind, which must not match.
    pub other: Value,
    /// The read API the records call (GetSecretValue, GetParameter, GetObject).
    pub api: &'static str,
    /// What `other` reads, in words: "secret", "SSM parameter", "S3 object".
    pub thing: &'static str,
}

impl Reads {
    pub fn new(s: &Snapshot) -> Reads {
        let account = account(s).unwrap_or_else(|| FALLBACK_ACCOUNT.to_string());
        let region = &s.region;
        let rule = HoneytokenRule::from_flag(&s.honeytoken);
        // A pattern's wildcards stand for any text: the synthetic name puts one in.
        let name = rule.pattern.replace(['*', '?'], "x");
        match rule.kind {
            HoneytokenKind::Secret => {
                let arn = match &s.secret {
                    Ok(Some(secret)) => secret.arn.clone(),
                    // The ARN AWS would give it: name, a dash and six random characters.
                    _ => format!("arn:aws:secretsmanager:{region}:{account}:secret:{name}-AbCdEf"),
                };
                let other = format!(
                    "arn:aws:secretsmanager:{region}:{account}:secret:prod/orders/api-key-AbCdEf"
                );
                let read = |id: &str| {
                    call(
                        region,
                        &account,
                        ("secretsmanager", "GetSecretValue"),
                        json!({"secretId": id}),
                        None,
                    )
                };
                Reads {
                    honeytoken: vec![
                        (format!("a GetSecretValue of {name} by name"), read(&name)),
                        ("a GetSecretValue of it by ARN".to_string(), read(&arn)),
                    ],
                    other: read(&other),
                    api: "GetSecretValue",
                    thing: "secret",
                }
            }
            HoneytokenKind::SsmParameter => {
                // The parameter's own ARN when DescribeParameters gave it.
                let own = match &s.decoy {
                    Ok(Some(d)) => d.arn.clone(),
                    _ => None,
                };
                let arn = |n: &str| {
                    own.clone().unwrap_or_else(|| {
                        format!(
                            "arn:aws:ssm:{region}:{account}:parameter/{}",
                            n.trim_start_matches('/')
                        )
                    })
                };
                let read = |id: &str| {
                    call(
                        region,
                        &account,
                        ("ssm", "GetParameter"),
                        json!({"name": id, "withDecryption": true}),
                        None,
                    )
                };
                Reads {
                    honeytoken: vec![
                        (format!("a GetParameter of {name} by name"), read(&name)),
                        ("a GetParameter of it by ARN".to_string(), read(&arn(&name))),
                    ],
                    other: read("/prod/orders/api-key"),
                    api: "GetParameter",
                    thing: "SSM parameter",
                }
            }
            HoneytokenKind::S3 => {
                let path = name.trim_start_matches("arn:aws:s3:::");
                let (bucket, key) = path.split_once('/').unwrap_or((path, "decoy"));
                let read = |key: &str| {
                    let object = format!("arn:aws:s3:::{bucket}/{key}");
                    call(
                        region,
                        &account,
                        ("s3", "GetObject"),
                        json!({"bucketName": bucket, "key": key, "Host": format!("{bucket}.s3.{region}.amazonaws.com")}),
                        Some(json!([
                            {"type": "AWS::S3::Object", "ARN": object},
                            {"accountId": account, "type": "AWS::S3::Bucket", "ARN": format!("arn:aws:s3:::{bucket}")}
                        ])),
                    )
                };
                Reads {
                    honeytoken: vec![(format!("a GetObject of s3://{bucket}/{key}"), read(key))],
                    other: read("reports/not-the-decoy.csv"),
                    api: "GetObject",
                    thing: "S3 object",
                }
            }
        }
    }

    /// The EventBridge events for the same reads.
    pub fn wrapped(&self) -> (Vec<(String, Value)>, Value) {
        (
            self.honeytoken
                .iter()
                .map(|(d, r)| (d.clone(), wrap_cloudtrail_record(r)))
                .collect(),
            wrap_cloudtrail_record(&self.other),
        )
    }

    /// How a pass says the rule tells the honeytoken apart: "by name and by ARN, not other
    /// secrets" (as a secret's always has), or "(a GetObject), not another S3 object".
    pub fn caught(&self) -> String {
        match self.api {
            "GetSecretValue" => "by name and by ARN, not other secrets".into(),
            "GetParameter" => {
                "by name and by ARN (a GetParameter), not other SSM parameters".into()
            }
            api => format!("({api}), not another {} of its bucket", self.thing),
        }
    }
}

/// The account the honeytoken is in: its own ARN's (the secret's, or the parameter's as
/// DescribeParameters gave it), else the first rule's.
fn account(s: &Snapshot) -> Option<String> {
    let from_arn = |arn: &str| arn.split(':').nth(4).map(str::to_owned);
    if let Ok(Some(arn)) = s
        .decoy
        .as_ref()
        .map(|d| d.as_ref().and_then(|d| d.arn.as_deref()))
    {
        return from_arn(arn);
    }
    if let Ok(Some(secret)) = &s.secret {
        return from_arn(&secret.arn);
    }
    if let Ok(rules) = &s.rules {
        return rules.first().and_then(|r| from_arn(&r.arn));
    }
    None
}

/// A CloudTrail record of `service`'s `api` with `request` by the posture check's user; an S3
/// object-level call is a data event (`resources` given), the others management events.
fn call(
    region: &str,
    account: &str,
    (service, api): (&str, &str),
    request: Value,
    resources: Option<Value>,
) -> Value {
    let data = resources.is_some();
    let mut r = json!({
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser", "principalId": "AIDAPOSTURECHECK", "accountId": account,
            "arn": format!("arn:aws:iam::{account}:user/trailcase-posture-check"),
            "accessKeyId": "AKIAPOSTURECHECKEXAMPLE", "userName": "trailcase-posture-check"
        },
        "eventTime": "2026-01-01T00:00:00Z",
        "eventSource": format!("{service}.amazonaws.com"),
        "eventName": api,
        "awsRegion": region,
        "sourceIPAddress": "203.0.113.10",
        "userAgent": "trailcase-posture",
        "requestParameters": request,
        "responseElements": null,
        "requestID": "00000000-0000-4000-8000-000000000000",
        "eventID": "00000000-0000-4000-8000-000000000001",
        "readOnly": true,
        "eventType": "AwsApiCall",
        "managementEvent": !data,
        "recipientAccountId": account,
        "eventCategory": if data { "Data" } else { "Management" }
    });
    if let Some(resources) = resources {
        r["resources"] = resources;
    }
    r
}
