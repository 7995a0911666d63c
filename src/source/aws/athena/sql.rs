//! The SQL `collect --athena` sends, as pure functions of what it searches for: the honeytoken
//! reads of the window (the *find* query), the credentials issued to or by the actors it found
//! (*sessions*), the kill-switch's calls against them (*containment*), then everything they did
//! (*actors*). Every query restricts the partitions (day, region, and account for an
//! organisation table) so that Athena scans only the window, and asks only for `"$path"` and the
//! few columns trailcase needs to plan: never `SELECT *`.
//!
//! The dialect is Athena's engine version 3 (Trino). Strings are quoted with `'`, doubled inside;
//! LIKE patterns escape `%`, `_` and `\` with `ESCAPE '\'`.

use crate::model::HoneytokenKind;
use chrono::{DateTime, Duration, Utc};

pub use super::super::plan::TableName;
use super::super::plan::{rfc3339, DELIVERY_MARGIN_AFTER, DELIVERY_MARGIN_BEFORE};

/// The `eventSource`s of S3's object calls, quoted for SQL: S3, directory buckets (S3 Express
/// One Zone), S3 Object Lambda and S3 on Outposts (the classifier's `S3_EVENT_SOURCES`).
const S3_SOURCES: &str = "'s3.amazonaws.com', 's3express.amazonaws.com', 's3-object-lambda.amazonaws.com', 's3-outposts.amazonaws.com'";

/// What the partitions of the table are, as its metadata says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partitions {
    /// An organisation table: partitioned by `accountid` too.
    pub account: bool,
    /// Partitioned by `region` (tables over one region's folder are not).
    pub region: bool,
}

/// Where to search: the window, and the accounts and regions when the user narrowed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
}

impl Scope {
    /// The day partitions (`yyyy/MM/dd`) the files of the window can be in: a file is named
    /// (and filed) by its delivery time, up to [`DELIVERY_MARGIN_AFTER`] after its events.
    pub fn days(&self) -> (String, String) {
        let day = |t: DateTime<Utc>| t.format("%Y/%m/%d").to_string();
        (
            day(self.from - DELIVERY_MARGIN_BEFORE),
            day(self.to + DELIVERY_MARGIN_AFTER - Duration::seconds(1)),
        )
    }

    /// Every day partition of [`Scope::days`], oldest first.
    pub fn day_list(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut d = (self.from - DELIVERY_MARGIN_BEFORE).date_naive();
        let last = (self.to + DELIVERY_MARGIN_AFTER - Duration::seconds(1)).date_naive();
        while d <= last {
            out.push(d.format("%Y/%m/%d").to_string());
            d += Duration::days(1);
        }
        out
    }
}

/// A honeytoken as `collect` is given it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Honeytoken {
    pub kind: HoneytokenKind,
    /// `*` and `?` wildcards, case-insensitive.
    pub pattern: String,
}

impl Honeytoken {
    /// `secret:NAME`, `ssm:NAME`, `s3:NAME`, or a bare secret name.
    pub fn parse(text: &str) -> Self {
        let (kind, pattern) = match text.split_once(':') {
            Some(("secret", p)) => (HoneytokenKind::Secret, p),
            Some(("ssm", p)) => (HoneytokenKind::SsmParameter, p),
            Some(("s3", p)) => (HoneytokenKind::S3, p),
            _ => (HoneytokenKind::Secret, text),
        };
        Honeytoken {
            kind,
            pattern: pattern.to_string(),
        }
    }
}

/// `'text'` with `'` doubled.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A case-insensitive glob (`*`, `?`) as a LIKE pattern that matches it anywhere in a text
/// (lower case; `%`, `_` and `\` escaped with `\`).
pub fn like_anywhere(glob: &str) -> String {
    let mut out = String::from("%");
    for c in glob.to_lowercase().chars() {
        match c {
            '*' => out.push('%'),
            '?' => out.push('_'),
            '%' | '_' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('%');
    literal(&out)
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| literal(s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The partition and time predicates every query starts with.
pub fn window_predicates(scope: &Scope, parts: &Partitions) -> Vec<String> {
    let mut out = Vec::new();
    if parts.account && !scope.accounts.is_empty() {
        out.push(format!("accountid IN ({})", list(&scope.accounts)));
    }
    if parts.region && !scope.regions.is_empty() {
        out.push(format!("region IN ({})", list(&scope.regions)));
    }
    let (first, last) = scope.days();
    out.push(format!(
        "\"timestamp\" BETWEEN {} AND {}",
        literal(&first),
        literal(&last)
    ));
    out.push(format!(
        "eventtime >= {} AND eventtime < {}",
        literal(&rfc3339(scope.from)),
        literal(&rfc3339(scope.to))
    ));
    out
}

/// The read APIs trailcase classifies for each honeytoken kind (see `classify`), and where the
/// call names the resource.
fn reads(h: &Honeytoken) -> String {
    let like = like_anywhere(&h.pattern);
    match h.kind {
        HoneytokenKind::Secret => format!(
            "(eventsource = 'secretsmanager.amazonaws.com' AND eventname IN ('GetSecretValue', 'BatchGetSecretValue', 'DescribeSecret') \
             AND (lower(requestparameters) LIKE {like} ESCAPE '\\' \
             OR cardinality(filter(resources, r -> lower(r.arn) LIKE {like} ESCAPE '\\')) > 0)) \
             OR (eventsource = 'kms.amazonaws.com' AND eventname = 'Decrypt' AND lower(requestparameters) LIKE {like} ESCAPE '\\')"
        ),
        HoneytokenKind::SsmParameter => format!(
            "(eventsource = 'ssm.amazonaws.com' AND ((eventname IN ('GetParameter', 'GetParameters', 'GetParameterHistory') \
             AND lower(requestparameters) LIKE {like} ESCAPE '\\') OR eventname = 'GetParametersByPath')) \
             OR (eventsource = 'kms.amazonaws.com' AND eventname = 'Decrypt' AND lower(requestparameters) LIKE {like} ESCAPE '\\')"
        ),
        HoneytokenKind::S3 => format!(
            "(eventsource IN ({S3_SOURCES}) AND eventname IN ('GetObject', 'SelectObjectContent', 'CopyObject') \
             AND {}) \
             OR (eventsource = 'kms.amazonaws.com' AND eventname = 'Decrypt' AND lower(requestparameters) LIKE {like} ESCAPE '\\')",
            s3_named(h).0
        ),
    }
}

/// Where an S3 record names the decoy object: `bucket/key` in its `requestParameters` (a
/// copy's `x-amz-copy-source`) or in a resource's ARN, or the bucket and the key apart
/// (`bucketName`, `key`), which is all a record without `resources` names them by. The
/// condition, and the bucket's LIKE pattern (a batch delete names the bucket alone).
fn s3_named(h: &Honeytoken) -> (String, String) {
    let like = like_anywhere(&h.pattern);
    let pattern = h
        .pattern
        .strip_prefix("arn:aws:s3:::")
        .unwrap_or(&h.pattern);
    let (bucket, key) = pattern.split_once('/').unwrap_or((pattern, ""));
    let apart = if key.is_empty() {
        String::new()
    } else {
        format!(
            " OR (lower(requestparameters) LIKE {} ESCAPE '\\' AND lower(requestparameters) LIKE {} ESCAPE '\\')",
            like_anywhere(bucket),
            like_anywhere(key)
        )
    };
    (
        format!(
            "(lower(requestparameters) LIKE {like} ESCAPE '\\' \
             OR cardinality(filter(resources, r -> lower(r.arn) LIKE {like} ESCAPE '\\')) > 0{apart})"
        ),
        like_anywhere(bucket),
    )
}

/// The calls that change a honeytoken without reading it, by kind: the classifier's
/// `classify/changes.rs` list (a unit test there holds the two together).
pub const S3_CHANGES: &[&str] = &[
    "PutObject",
    "CopyObject",
    "CompleteMultipartUpload",
    "CreateMultipartUpload",
    "DeleteObject",
    "DeleteObjects",
    "PutObjectAcl",
    "PutObjectTagging",
    "DeleteObjectTagging",
    "PutObjectRetention",
    "PutObjectLegalHold",
    "RestoreObject",
];
/// See [`S3_CHANGES`].
pub const SECRET_CHANGES: &[&str] = &[
    "PutSecretValue",
    "UpdateSecret",
    "DeleteSecret",
    "RestoreSecret",
    "PutResourcePolicy",
    "DeleteResourcePolicy",
    "RotateSecret",
    "CancelRotateSecret",
    "UpdateSecretVersionStage",
    "TagResource",
    "UntagResource",
];
/// See [`S3_CHANGES`].
pub const PARAMETER_CHANGES: &[&str] = &[
    "PutParameter",
    "DeleteParameter",
    "DeleteParameters",
    "LabelParameterVersion",
];

fn names(apis: &[&str]) -> String {
    apis.iter()
        .map(|a| literal(a))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The calls that change a honeytoken without reading it (writes, deletes, ACL, tag, policy
/// and retention changes: `honeytoken_changed`), where the call names the resource; for an S3
/// decoy also its bucket's batch deletes (`DeleteObjects`), whose records name the bucket and
/// no key (`decoy_bucket_batch_delete`).
fn changes(h: &Honeytoken) -> String {
    let like = like_anywhere(&h.pattern);
    let named = format!(
        "(lower(requestparameters) LIKE {like} ESCAPE '\\' \
         OR cardinality(filter(resources, r -> lower(r.arn) LIKE {like} ESCAPE '\\')) > 0)"
    );
    match h.kind {
        HoneytokenKind::Secret => format!(
            "(eventsource = 'secretsmanager.amazonaws.com' AND eventname IN ({}) AND {named})",
            names(SECRET_CHANGES)
        ),
        HoneytokenKind::SsmParameter => format!(
            "(eventsource = 'ssm.amazonaws.com' AND eventname IN ({}) AND lower(requestparameters) LIKE {like} ESCAPE '\\')",
            names(PARAMETER_CHANGES)
        ),
        HoneytokenKind::S3 => {
            let (named, bucket) = s3_named(h);
            format!(
                "(eventsource IN ({S3_SOURCES}) AND ((eventname IN ({}) AND {named}) \
                 OR (eventname = 'DeleteObjects' AND lower(requestparameters) LIKE {bucket} ESCAPE '\\')))",
                names(S3_CHANGES),
            )
        }
    }
}

/// The columns every row-level query returns, in this order (read by name with [`super::query::Finished::get`]).
pub const ROW_COLUMNS: &str = "\"$path\" AS object, eventid, eventtime, eventsource, eventname, errorcode, \
useridentity.arn AS arn, useridentity.principalid AS principalid, useridentity.accesskeyid AS accesskeyid, \
json_extract_scalar(responseelements, '$.credentials.accessKeyId') AS issued_key, sourceipaddress";

/// Query 1: every read of a honeytoken (successful or denied, by name or ARN), with who made it,
/// and every call that changed one without reading it: the `found` column says which
/// ([`FOUND_READ`] or [`FOUND_CHANGE`]). Readers are the actors the next queries follow; a
/// change's file is fetched, its caller not followed.
pub fn find(
    table: &TableName,
    parts: &Partitions,
    scope: &Scope,
    honeytokens: &[Honeytoken],
) -> String {
    let read: Vec<String> = honeytokens.iter().map(reads).collect();
    let changed: Vec<String> = honeytokens.iter().map(changes).collect();
    let read = read.join("\n    OR ");
    let mut preds = window_predicates(scope, parts);
    preds.push(format!(
        "(\n    {read}\n    OR {}\n  )",
        changed.join("\n    OR ")
    ));
    format!(
        "SELECT {ROW_COLUMNS},\n  CASE WHEN (\n    {read}\n  ) THEN '{FOUND_READ}' ELSE '{FOUND_CHANGE}' END AS found\nFROM {}\nWHERE {}\nORDER BY object, eventid",
        table.quoted(),
        preds.join("\n  AND ")
    )
}

/// The `found` column of a [`find`] row that is a read.
pub const FOUND_READ: &str = "read";
/// The `found` column of a [`find`] row that changed a honeytoken without reading it.
pub const FOUND_CHANGE: &str = "change";

/// Who an actor is, as the records name them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actors {
    pub arns: Vec<String>,
    pub principal_ids: Vec<String>,
    pub access_keys: Vec<String>,
}

impl Actors {
    pub fn is_empty(&self) -> bool {
        self.arns.is_empty() && self.principal_ids.is_empty() && self.access_keys.is_empty()
    }

    fn predicate(&self) -> String {
        let mut any = Vec::new();
        if !self.arns.is_empty() {
            any.push(format!("useridentity.arn IN ({})", list(&self.arns)));
        }
        if !self.principal_ids.is_empty() {
            any.push(format!(
                "useridentity.principalid IN ({})",
                list(&self.principal_ids)
            ));
        }
        if !self.access_keys.is_empty() {
            any.push(format!(
                "useridentity.accesskeyid IN ({})",
                list(&self.access_keys)
            ));
        }
        format!("({})", any.join(" OR "))
    }
}

/// The names a kill-switch's calls give its target by: the user or role name of each actor's
/// ARN (`user/NAME`, `assumed-role/ROLE/session`, `role/ROLE`), and the actors' access keys.
pub fn target_names(actors: &Actors) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for arn in &actors.arns {
        let resource = arn.splitn(6, ':').nth(5).unwrap_or("");
        let parts: Vec<&str> = resource.split('/').collect();
        let name = match parts.as_slice() {
            ["user", .., name] => Some(*name),
            ["assumed-role", role, ..] => Some(*role),
            ["role", .., role] => Some(*role),
            _ => None,
        };
        if let Some(n) = name.filter(|n| !n.is_empty()) {
            if !out.iter().any(|x| x == n) {
                out.push(n.to_string());
            }
        }
    }
    for k in &actors.access_keys {
        if !out.contains(k) {
            out.push(k.clone());
        }
    }
    out
}

/// The kill-switch's calls against the actors: IAM changes and SSM Automation runs whose
/// request names one of them (by user or role name, or access key), whoever made them.
pub fn containment(
    table: &TableName,
    parts: &Partitions,
    scope: &Scope,
    names: &[String],
) -> String {
    let mentions: Vec<String> = names
        .iter()
        .map(|n| {
            format!(
                "lower(requestparameters) LIKE {} ESCAPE '\\'",
                like_anywhere(&n.replace(['*', '?'], ""))
            )
        })
        .collect();
    let mut preds = window_predicates(scope, parts);
    preds.push(
        "((eventsource = 'iam.amazonaws.com' AND eventname NOT LIKE 'Get%' AND eventname NOT LIKE 'List%' \
         AND eventname NOT LIKE 'Generate%' AND eventname NOT LIKE 'Simulate%') \
         OR (eventsource = 'ssm.amazonaws.com' AND eventname = 'StartAutomationExecution'))"
            .to_string(),
    );
    preds.push(format!("({})", mentions.join(" OR ")));
    format!(
        "SELECT {ROW_COLUMNS}\nFROM {}\nWHERE {}\nORDER BY object, eventid",
        table.quoted(),
        preds.join("\n  AND ")
    )
}

/// Query 2: the files holding anything the actors did in the window, or anything made from
/// `addresses` (the IP addresses the honeytoken reads came from: the local analysis reports the
/// other principals there), and how many of those events each holds.
pub fn actor_files(
    table: &TableName,
    parts: &Partitions,
    scope: &Scope,
    actors: &Actors,
    addresses: &[String],
) -> String {
    let mut preds = window_predicates(scope, parts);
    if addresses.is_empty() {
        preds.push(actors.predicate());
    } else {
        preds.push(format!(
            "({} OR sourceipaddress IN ({}))",
            actors.predicate(),
            list(addresses)
        ));
    }
    format!(
        "SELECT \"$path\" AS object, count(*) AS events\nFROM {}\nWHERE {}\nGROUP BY \"$path\"\nORDER BY object",
        table.quoted(),
        preds.join("\n  AND ")
    )
}

/// Query 3: the credentials the actors were issued (AssumeRole, GetSessionToken, ... they
/// called), and the calls that issued the session keys they used (whoever made them).
pub fn sessions(table: &TableName, parts: &Partitions, scope: &Scope, actors: &Actors) -> String {
    let mut preds = window_predicates(scope, parts);
    preds.push(
        "eventsource = 'sts.amazonaws.com' AND eventname IN ('AssumeRole', 'AssumeRoleWithSAML', \
         'AssumeRoleWithWebIdentity', 'GetSessionToken', 'GetFederationToken')"
            .to_string(),
    );
    let mut by = vec![actors.predicate()];
    let sessions: Vec<&String> = actors
        .access_keys
        .iter()
        .filter(|k| k.starts_with("ASIA"))
        .collect();
    if !sessions.is_empty() {
        let keys: Vec<String> = sessions.iter().map(|k| (*k).clone()).collect();
        by.push(format!(
            "json_extract_scalar(responseelements, '$.credentials.accessKeyId') IN ({})",
            list(&keys)
        ));
    }
    preds.push(format!("({})", by.join(" OR ")));
    format!(
        "SELECT {ROW_COLUMNS}\nFROM {}\nWHERE {}\nORDER BY object, eventid",
        table.quoted(),
        preds.join("\n  AND ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> Scope {
        Scope {
            from: "2026-11-20T00:00:00Z".parse().unwrap(),
            to: "2026-11-21T00:00:00Z".parse().unwrap(),
            accounts: vec!["111111111111".into()],
            regions: vec!["us-east-1".into(), "eu-west-1".into()],
        }
    }

    #[test]
    fn table_names() {
        let t = TableName::parse("cloudtrail.Org_Trail").unwrap();
        assert_eq!(t.quoted(), "\"cloudtrail\".\"org_trail\"");
        assert!(TableName::parse("org_trail").is_err());
        assert!(TableName::parse("a.b\"; DROP").is_err());
    }

    #[test]
    fn like_patterns_escape_and_translate_wildcards() {
        assert_eq!(like_anywhere("Prod_DB*"), r"'%prod\_db%%'");
        assert_eq!(like_anywhere("it's?"), r"'%it''s_%'");
        assert_eq!(like_anywhere(r"50%\x"), r"'%50\%\\x%'");
    }

    /// The SQL a responder can read in the case, byte for byte (tests/golden/athena/; set
    /// TRAILCASE_UPDATE_GOLDEN=1 to rewrite them after an intended change).
    fn golden(name: &str, sql: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden/athena")
            .join(name);
        if std::env::var_os("TRAILCASE_UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, sql).unwrap();
        }
        let want = std::fs::read_to_string(&path).unwrap();
        assert_eq!(sql, want, "{} differs", path.display());
    }

    #[test]
    fn golden_queries() {
        let table = TableName::parse("cloudtrail.org_trail").unwrap();
        let parts = Partitions {
            account: true,
            region: true,
        };
        let h = [
            Honeytoken::parse("Production_Database_Credentials"),
            Honeytoken::parse("ssm:/prod/db/*"),
            Honeytoken::parse("s3:finance-exports/payroll/*.csv"),
        ];
        let find_sql = find(&table, &parts, &scope(), &h);
        golden("find.sql", &find_sql);
        let actors = Actors {
            arns: vec!["arn:aws:iam::111111111111:user/mallory".into()],
            principal_ids: vec!["AIDAMALLORY".into()],
            access_keys: vec!["AKIAMALLORY".into(), "ASIASESSION".into()],
        };
        golden(
            "actors.sql",
            &actor_files(
                &table,
                &parts,
                &scope(),
                &actors,
                &["203.0.113.45".to_string()],
            ),
        );
        golden("sessions.sql", &sessions(&table, &parts, &scope(), &actors));
        let names = target_names(&Actors {
            arns: vec![
                "arn:aws:iam::111111111111:user/mallory".into(),
                "arn:aws:sts::111111111111:assumed-role/Deploy/i-0abc".into(),
            ],
            ..actors.clone()
        });
        assert_eq!(names, ["mallory", "Deploy", "AKIAMALLORY", "ASIASESSION"]);
        golden(
            "containment.sql",
            &containment(&table, &parts, &scope(), &names),
        );
        // What a reader checks in each: the partitions restrict the scan, the honeytoken is
        // sought by name and by ARN, and only the planning columns are asked for.
        {
            let sql = &find_sql;
            assert!(sql.contains("accountid IN ('111111111111')"));
            assert!(sql.contains("region IN ('us-east-1', 'eu-west-1')"));
            assert!(sql.contains("\"timestamp\" BETWEEN '2026/11/19' AND '2026/11/21'"));
            assert!(sql
                .contains(r"lower(requestparameters) LIKE '%production\_database\_credentials%'"));
            assert!(sql.contains(r"lower(r.arn) LIKE '%production\_database\_credentials%'"));
            assert!(!sql.to_lowercase().contains("select *"));
            // An S3 read or change whose record has no resources names the bucket and the key
            // apart (bucketName, key): both are sought, for reads as for changes.
            let apart = r"(lower(requestparameters) LIKE '%finance-exports%' ESCAPE '\' AND lower(requestparameters) LIKE '%payroll/%.csv%' ESCAPE '\')";
            assert_eq!(sql.matches(apart).count(), 3, "{sql}");
        }
        // Without --accounts/--regions the partitions are not listed, but the days always are.
        let open = Scope {
            accounts: vec![],
            regions: vec![],
            ..scope()
        };
        let sql = find(&table, &parts, &open, &h[..1]);
        assert!(!sql.contains("accountid IN"));
        assert!(sql.contains("\"timestamp\" BETWEEN"));
    }

    #[test]
    fn days_cover_the_delivery_margins() {
        let s = scope();
        assert_eq!(s.days(), ("2026/11/19".into(), "2026/11/21".into()));
        assert_eq!(s.day_list(), ["2026/11/19", "2026/11/20", "2026/11/21"]);
    }
}
