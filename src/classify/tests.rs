//! Tests of the classifier: which records name a honeytoken (by name, ARN, resources,
//! parameter path, S3 bucket and key) and which are the kill-switch's.

use super::*;

fn hit(json: &str) -> Option<HoneytokenHit> {
    Classifier::new(&crate::config::Config::default().analysis_settings())
        .honeytoken(&RecordView::parse(json).unwrap())
}

#[test]
fn secret_by_name_arn_or_resources() {
    let by_name = hit(
        r#"{"eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue",
        "requestParameters":{"secretId":"Production_Database_Credentials"}}"#,
    )
    .unwrap();
    assert!(by_name.read);
    assert_eq!(by_name.name, "Production_Database_Credentials");
    let by_arn = hit(r#"{"eventSource":"secretsmanager.amazonaws.com","eventName":"DescribeSecret",
        "requestParameters":{"secretId":"arn:aws:secretsmanager:us-east-1:1:secret:Production_Database_Credentials-Xy12Ab"}}"#)
    .unwrap();
    assert!(!by_arn.read);
    assert_eq!(by_arn.name, "Production_Database_Credentials");
    let other = hit(
        r#"{"eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue",
        "requestParameters":{"secretId":"prod/orders/api-key"}}"#,
    );
    assert!(other.is_none());
}

#[test]
fn an_arn_whose_suffix_may_end_another_name_is_settled_by_the_honeytoken_own_arn() {
    let settings = crate::config::Config::default().analysis_settings();
    let read = |id: &str, resources: &str| {
        format!(
            r#"{{"eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue",
            "requestParameters":{{"secretId":"{id}"}}{resources}}}"#
        )
    };
    let arn = "arn:aws:secretsmanager:us-east-1:1:secret:Production_Database_Credentials";
    let backup = format!("{arn}-backup");
    let identity = |c: &Classifier, json: &str| {
        c.honeytoken(&RecordView::parse(json).unwrap())
            .map(|h| (h.read, h.identity))
    };
    let ignorant = Classifier::new(&settings);
    assert_eq!(
        identity(&ignorant, &read(&backup, "")),
        Some((
            true,
            SecretIdentity::Unsettled {
                arn: backup.clone(),
                suffix: "backup".into()
            }
        ))
    );
    // A partial ARN without the suffix and the bare name are certain.
    for id in [arn, "Production_Database_Credentials"] {
        assert_eq!(
            identity(&ignorant, &read(id, "")),
            Some((true, SecretIdentity::Certain))
        );
    }
    // A partial ARN of a honeytoken whose name ends in `-` and six characters.
    let mut app = settings.clone();
    app.honeytokens[0].pattern = "app-secret".into();
    let partial = "arn:aws:secretsmanager:us-east-1:1:secret:app-secret";
    let h = Classifier::new(&app)
        .honeytoken(&RecordView::parse(&read(partial, "")).unwrap())
        .unwrap();
    assert_eq!(
        (h.read, h.identity, h.name.as_str()),
        (true, SecretIdentity::Certain, "app-secret")
    );
    // The record's own full ARN shows another secret.
    let of_other = format!(r#","resources":[{{"ARN":"{backup}-AbCdEf"}}]"#);
    assert_eq!(
        identity(&ignorant, &read(&backup, &of_other)),
        Some((
            false,
            SecretIdentity::Other {
                arn: backup.clone()
            }
        ))
    );
    // The honeytoken's own ARN in the evidence settles both suffixes.
    let own = format!(r#","resources":[{{"ARN":"{arn}-Xy12Ab"}}]"#);
    let event = crate::model::Event::for_test(
        crate::model::Timestamp::from_secs(0),
        "e",
        "secretsmanager.amazonaws.com",
        "GetSecretValue",
        &read("Production_Database_Credentials", &own),
    );
    let knowing = Classifier::new(&settings).knowing(&[event]);
    assert_eq!(
        identity(&knowing, &read(&format!("{arn}-Xy12Ab"), "")),
        Some((true, SecretIdentity::Certain))
    );
    assert_eq!(
        identity(&knowing, &read(&backup, "")),
        Some((
            false,
            SecretIdentity::Other {
                arn: backup.clone()
            }
        ))
    );
    // Another region's ARN is not settled by it.
    let west = backup.replace("us-east-1", "us-west-2");
    assert!(matches!(
        identity(&knowing, &read(&west, "")),
        Some((true, SecretIdentity::Unsettled { .. }))
    ));
}

#[test]
fn a_parameter_arn_names_a_parameter_with_or_without_its_leading_slash() {
    let mut settings = crate::config::Config::default().analysis_settings();
    settings.honeytokens = vec![HoneytokenRule {
        kind: HoneytokenKind::SsmParameter,
        pattern: "db-password".into(),
        access_points: Vec::new(),
    }];
    let c = Classifier::new(&settings);
    let read = |name: &str| {
        c.honeytoken(
            &RecordView::parse(&format!(
                r#"{{"eventSource":"ssm.amazonaws.com","eventName":"GetParameter","requestParameters":{{"name":"{name}"}}}}"#
            ))
            .unwrap(),
        )
        .map(|h| (h.read, h.name))
    };
    let want = Some((true, "db-password".to_string()));
    assert_eq!(read("db-password"), want);
    assert_eq!(read("arn:aws:ssm:us-east-1:1:parameter/db-password"), want);
    assert_eq!(read("arn:aws:ssm:us-east-1:1:parameter/other"), None);
}

#[test]
fn s3_data_events_by_category_flag_or_object_api() {
    let data = |json: &str| is_s3_data_event(&RecordView::parse(json).unwrap(), json);
    // An object write by its name; an object read only with a data event's fields.
    assert!(data(
        r#"{"eventSource":"s3.amazonaws.com","eventName":"PutObject"}"#
    ));
    assert!(!data(
        r#"{"eventSource":"s3.amazonaws.com","eventName":"GetObject"}"#
    ));
    assert!(data(
        r#"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k"}]}"#
    ));
    assert!(data(
        r#"{"eventSource":"s3.amazonaws.com","eventName":"ListObjects","eventCategory" : "Data"}"#
    ));
    assert!(data(
        r#"{"eventSource":"s3.amazonaws.com","eventName":"X","managementEvent":false}"#
    ));
    assert!(!data(
        r#"{"eventSource":"s3.amazonaws.com","eventName":"PutBucketAcl","eventCategory":"Management","managementEvent":true}"#
    ));
    assert!(!data(
        r#"{"eventSource":"kms.amazonaws.com","eventName":"GetObject"}"#
    ));
}

#[test]
fn every_s3_event_source_reads_the_decoy_by_bucket_and_key() {
    let mut settings = crate::config::Config::default().analysis_settings();
    settings.honeytokens = vec![HoneytokenRule {
        kind: HoneytokenKind::S3,
        pattern: "vault--use1-az4--x-s3/k.csv".into(),
        access_points: Vec::new(),
    }];
    let c = Classifier::new(&settings);
    for source in S3_EVENT_SOURCES {
        let json = format!(
            r#"{{"eventSource":"{source}","eventName":"GetObject","eventCategory":"Data","requestParameters":{{"bucketName":"vault--use1-az4--x-s3","key":"k.csv"}}}}"#
        );
        let view = RecordView::parse(&json).unwrap();
        let hit = c.honeytoken(&view).unwrap_or_else(|| panic!("{source}"));
        assert!(hit.read, "{source}");
        assert!(is_s3_data_event(&view, &json), "{source}");
    }
    assert_eq!(
        canonical_name(
            HoneytokenKind::S3,
            "arn:aws:s3express:us-east-1:1:bucket/vault--use1-az4--x-s3/k.csv"
        ),
        "vault--use1-az4--x-s3/k.csv"
    );
}

#[test]
fn killswitch_by_session_issuer() {
    let c = Classifier::new(&crate::config::Config::default().analysis_settings());
    let v = RecordView::parse(r#"{"userIdentity":{"type":"AssumedRole",
        "arn":"arn:aws:sts::1:assumed-role/HoneytokenKillSwitchRole/fn",
        "sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/HoneytokenKillSwitchRole"}}}}"#)
    .unwrap();
    assert!(c.is_killswitch(&v));
}
