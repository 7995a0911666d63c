//! The `CREATE EXTERNAL TABLE` for a trail's S3 prefix, with partition projection, as the AWS
//! documentation gives it for CloudTrail (Athena user guide, "Create the table for CloudTrail
//! logs in Athena using partition projection"): the CloudTrail columns, JSON SerDe with
//! CloudTrail's input format, and partitions that Athena computes from the key instead of
//! listing them: the day (`yyyy/MM/dd`), the region, and for an organisation trail the account.
//! Pure: `trailcase athena ddl` prints it, and the user runs it in their workgroup.

use super::super::plan::S3Uri;

/// The regions a trail writes to, for the region partition's enum (the commercial regions; a
/// region missing here is simply not searched, so the list errs on the long side).
pub const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// The table's columns: the CloudTrail record's fields, lower case (JSON SerDe matches them
/// case-insensitively); nested objects the analysis reads as JSON text are STRING.
pub const COLUMNS: &str = "  eventversion STRING,
  useridentity STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING, accesskeyid: STRING, username: STRING, onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>, sessioncontext: STRUCT<attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>, sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>, sourceidentity: STRING, ec2roledelivery: STRING>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  eventcategory STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>";

/// The columns a query of trailcase needs: a table without one of them is not a CloudTrail
/// table trailcase can search.
pub const REQUIRED_COLUMNS: &[&str] = &[
    "useridentity",
    "eventtime",
    "eventsource",
    "eventname",
    "errorcode",
    "requestparameters",
    "responseelements",
    "eventid",
    "resources",
];

/// What the table is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSpec {
    /// `database.table`.
    pub name: String,
    /// `s3://bucket/.../AWSLogs/` (account trail: the folder holding the account folders, or one
    /// account's folder) or `s3://bucket/.../AWSLogs/o-xxxx/` (organisation trail).
    pub location: S3Uri,
    /// An organisation trail: one folder per member account under the location.
    pub org: bool,
    /// The account ids (organisation trail, or an account trail whose location holds several).
    /// Empty for an account trail whose location ends with the account's folder.
    pub accounts: Vec<String>,
    /// The region partition's values; empty: [`REGIONS`].
    pub regions: Vec<String>,
    /// First day of the projection range, `yyyy/MM/dd`.
    pub since: String,
}

/// The account folder a location ends with (`…/AWSLogs/123456789012/`), if it does.
pub fn account_of_location(location: &S3Uri) -> Option<&str> {
    let last = location.prefix.trim_end_matches('/').rsplit('/').next()?;
    (last.len() == 12 && last.bytes().all(|b| b.is_ascii_digit())).then_some(last)
}

/// The DDL.
pub fn create_table(spec: &TableSpec) -> String {
    let regions = if spec.regions.is_empty() {
        REGIONS.join(",")
    } else {
        spec.regions.join(",")
    };
    let base = spec.location.to_string();
    let by_account = spec.org || account_of_location(&spec.location).is_none();
    let (partitions, template, comment) = if by_account {
        (
            "accountid STRING, region STRING, `timestamp` STRING",
            format!("{base}${{accountid}}/CloudTrail/${{region}}/${{timestamp}}"),
            if spec.org {
                "CloudTrail organisation trail (trailcase athena ddl)"
            } else {
                "CloudTrail trail of several accounts (trailcase athena ddl)"
            },
        )
    } else {
        (
            "region STRING, `timestamp` STRING",
            format!("{base}CloudTrail/${{region}}/${{timestamp}}"),
            "CloudTrail trail (trailcase athena ddl)",
        )
    };
    let mut props = vec![("projection.enabled".to_string(), "true".to_string())];
    if by_account {
        props.push(("projection.accountid.type".into(), "enum".into()));
        props.push((
            "projection.accountid.values".into(),
            spec.accounts.join(","),
        ));
    }
    props.extend([
        ("projection.region.type".to_string(), "enum".to_string()),
        ("projection.region.values".into(), regions),
        ("projection.timestamp.type".into(), "date".into()),
        ("projection.timestamp.format".into(), "yyyy/MM/dd".into()),
        ("projection.timestamp.interval".into(), "1".into()),
        ("projection.timestamp.interval.unit".into(), "DAYS".into()),
        (
            "projection.timestamp.range".into(),
            format!("{},NOW", spec.since),
        ),
        ("storage.location.template".into(), template),
    ]);
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("  {}={}", super::sql::literal(k), super::sql::literal(v)))
        .collect();
    format!(
        "CREATE EXTERNAL TABLE IF NOT EXISTS {name} (\n{COLUMNS}\n)\nCOMMENT {comment}\nPARTITIONED BY ({partitions})\n\
         ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'\n\
         STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'\n\
         OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n\
         LOCATION {location}\nTBLPROPERTIES (\n{props}\n)\n",
        name = spec.name,
        comment = super::sql::literal(comment),
        location = super::sql::literal(&base),
        props = props.join(",\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_account_location_partitions_by_region_and_day() {
        let spec = TableSpec {
            name: "cloudtrail.trail".into(),
            location: S3Uri::parse("s3://trail-bucket/AWSLogs/111111111111").unwrap(),
            org: false,
            accounts: vec![],
            regions: vec!["us-east-1".into()],
            since: "2026/01/01".into(),
        };
        let ddl = create_table(&spec);
        assert!(ddl.contains("PARTITIONED BY (region STRING, `timestamp` STRING)"));
        assert!(ddl.contains("'storage.location.template'='s3://trail-bucket/AWSLogs/111111111111/CloudTrail/${region}/${timestamp}'"));
        assert!(!ddl.contains("projection.accountid"));
        assert!(ddl.contains("'projection.timestamp.range'='2026/01/01,NOW'"));
    }

    #[test]
    fn organisation_location_partitions_by_account_too() {
        let spec = TableSpec {
            name: "cloudtrail.org_trail".into(),
            location: S3Uri::parse("s3://org-trail/AWSLogs/o-abc123/").unwrap(),
            org: true,
            accounts: vec!["111111111111".into(), "222222222222".into()],
            regions: vec![],
            since: "2020/01/01".into(),
        };
        let ddl = create_table(&spec);
        assert!(
            ddl.contains("PARTITIONED BY (accountid STRING, region STRING, `timestamp` STRING)")
        );
        assert!(ddl.contains("'projection.accountid.values'='111111111111,222222222222'"));
        assert!(ddl.contains("${accountid}/CloudTrail/${region}/${timestamp}'"));
        assert!(ddl.contains("us-west-2"));
    }
}
