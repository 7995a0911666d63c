//! Organisation scale: let Athena find the evidence, then fetch only the files that hold it.
//!
//! Athena's rows are re-serialised, so they are not the evidence; but every row knows the S3
//! object it came from (`"$path"`). [`select`] checks the table is a CloudTrail table
//! (GetTableMetadata), optionally measures what the search would scan (`--max-scan-gb`), then
//! runs the *find* query (honeytoken reads of the window), follows the actors it found through
//! the credentials issued to and by them (*sessions*), asks for the kill-switch's calls against
//! them (*containment*: IAM changes and SSM Automation runs naming them, whoever made them) and
//! for the files of everything they did, and of every record made from the addresses the
//! honeytoken was read from (*actors*). It returns the objects to fetch; the S3 side
//! (`s3::plan_selected`) fetches them byte for byte, with the digests of their region-hours.
//! Every query is evidence in the case (`athena/NN-purpose/`), and so is the selection itself
//! (`athena/selection.json`), which `verify` reads to tell files left out on purpose from
//! missing ones.

pub mod ddl;
pub mod query;
pub mod sql;

use super::error::{record, AwsError, Operation};
pub use super::plan::AthenaPlan;
use super::plan::{rfc3339, CollectPlan, S3Uri};
use super::sink::store_json;
use super::{AwsContext, Provenance, Sink};
use query::{Finished, QueryError, Runner};
use serde_json::{json, Value};
use sql::{Actors, Honeytoken, Partitions, Scope, TableName};
use std::collections::BTreeSet;
use std::sync::Mutex;

const TABLE_METADATA: Operation = Operation::new("athena", "GetTableMetadata");

/// Where the selection is recorded in the case (read back by `verify` and the coverage).
pub use crate::case::source::SELECTION_FILE;

/// Athena's published price, US dollars per TB scanned (10 MB minimum per query).
pub const USD_PER_TB: f64 = 5.0;

/// Rounds of following credentials from one identity to the next.
const MAX_SESSION_ROUNDS: usize = 4;

/// The objects the queries found, and what it cost.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `(bucket, key)` of every trail file that holds a row of a query.
    pub objects: BTreeSet<(String, String)>,
    pub scanned_bytes: u64,
    pub queries: usize,
}

impl Selection {
    /// The selected objects under one of `prefixes` (all of them when none is given); the others
    /// are not fetched, each a gap of the acquisition.
    pub fn within(&self, prefixes: &[S3Uri], sink: &dyn Sink) -> BTreeSet<(String, String)> {
        let (inside, outside): (BTreeSet<_>, BTreeSet<_>) =
            self.objects.iter().cloned().partition(|(b, k)| {
                prefixes.is_empty()
                    || prefixes
                        .iter()
                        .any(|p| &p.bucket == b && k.starts_with(&p.prefix))
            });
        // A gap, not a notice: the analysis must not read the case as the whole story.
        for (b, k) in &outside {
            sink.gap(
                &format!("s3://{b}/{k}"),
                "holds evidence the Athena search found, but it is not under the s3:// inputs given: not fetched",
                None,
            );
        }
        inside
    }
}

/// Why nothing could be selected.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("{table} is not a CloudTrail table trailcase can search: {why}")]
    NotCloudTrail { table: String, why: String },
    #[error("refused: searching the window would scan about {estimate} (measured on one partition: {probe} × {partitions} partitions), more than --max-scan-gb {max}")]
    TooLarge {
        estimate: String,
        probe: String,
        partitions: usize,
        max: String,
    },
}

impl SelectError {
    fn permission(&self) -> Option<&str> {
        match self {
            SelectError::Query(q) => q.permission(),
            _ => None,
        }
    }
}

/// `12.3 MiB`.
pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.2} GiB", n as f64 / f64::from(1u32 << 30)),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / f64::from(1u32 << 20)),
        n => format!("{:.1} KiB", n as f64 / 1024.0),
    }
}

/// What `bytes` scanned cost at [`USD_PER_TB`] (Athena bills at least 10 MB a query).
pub fn cost_usd(bytes: u64, queries: usize) -> f64 {
    let billed = bytes.max(10_000_000 * queries as u64);
    billed as f64 / 1e12 * USD_PER_TB
}

/// Run the queries and record the selection; failures are gaps of the acquisition.
pub async fn select(
    ctx: &AwsContext,
    plan: &CollectPlan,
    athena: &AthenaPlan,
    sink: &dyn Sink,
) -> Option<Selection> {
    let region = ctx
        .configured_region()
        .unwrap_or_else(|| super::config::FALLBACK_REGION.to_string());
    // A resumed run searches again: its queries and selection replace the earlier run's (the
    // files that run fetched stay, and are skipped when unchanged).
    sink.replace_prefix("athena/");
    let runner = Runner {
        client: ctx.athena(&region),
        region: region.clone(),
        workgroup: athena.workgroup.clone(),
        output: athena.output.clone(),
        database: athena.table.database.clone(),
        running: athena.running.clone(),
        sink,
        count: Mutex::new(0),
    };
    let source = format!("athena:{}", athena.table);
    match search(&runner, plan, athena).await {
        Ok((selection, record_doc)) => {
            store_json(
                sink,
                SELECTION_FILE,
                &record_doc,
                Provenance {
                    source: format!("trailcase:athena:{}", athena.table),
                    s3: None,
                },
            );
            sink.notice(&format!(
                "Athena: {} quer{} scanned {} (about ${:.4} at ${USD_PER_TB}/TB); {} trail file(s) selected",
                selection.queries,
                if selection.queries == 1 { "y" } else { "ies" },
                human_bytes(selection.scanned_bytes),
                cost_usd(selection.scanned_bytes, selection.queries),
                selection.objects.len()
            ));
            Some(selection)
        }
        Err(e) => {
            sink.gap(&source, &e.to_string(), e.permission());
            None
        }
    }
}

async fn search(
    runner: &Runner<'_>,
    plan: &CollectPlan,
    athena: &AthenaPlan,
) -> Result<(Selection, Value), SelectError> {
    let meta = table_metadata(runner, &athena.table).await?;
    let parts = meta.partitions(&athena.table)?;
    let scope = Scope {
        from: plan.window.from,
        to: plan.window.to,
        accounts: athena.accounts.clone(),
        regions: plan.regions.clone().unwrap_or_default(),
    };
    let honeytokens: Vec<Honeytoken> = plan
        .honeytokens
        .iter()
        .map(|h| Honeytoken::parse(h))
        .collect();
    let mut selection = Selection::default();
    let mut queries: Vec<Value> = Vec::new();
    let mut note = |f: &Finished, purpose: &str, selection: &mut Selection| {
        selection.scanned_bytes += f.scanned_bytes;
        selection.queries += 1;
        queries.push(json!({
            "purpose": purpose,
            "evidence": f.folder,
            "query_execution_id": f.id,
            "engine_version": f.engine,
            "data_scanned_bytes": f.scanned_bytes,
            "rows": f.rows.len(),
        }));
    };
    if let Some(max) = athena.max_scan_bytes {
        let probe = runner
            .run("probe", &probe_sql(&athena.table, &parts, &scope, &meta))
            .await?;
        note(&probe, "probe", &mut selection);
        let partitions = meta.partition_count(&parts, &scope);
        let estimate = probe.scanned_bytes.saturating_mul(partitions as u64);
        if probe.scanned_bytes == 0 {
            runner.sink.notice(&format!(
                "--max-scan-gb: the partition measured ({}) is empty, so what the search scans cannot be estimated; searching anyway",
                probe.folder
            ));
        }
        if estimate > max {
            return Err(SelectError::TooLarge {
                estimate: human_bytes(estimate),
                probe: human_bytes(probe.scanned_bytes),
                partitions,
                max: format!("{:.3}", max as f64 / 1e9),
            });
        }
    }

    let found = runner
        .run(
            "find",
            &sql::find(&athena.table, &parts, &scope, &honeytokens),
        )
        .await?;
    note(&found, "find", &mut selection);
    let mut actors = Actors::default();
    let mut addresses: Vec<String> = Vec::new();
    for row in &found.rows {
        add_object(&mut selection, found.get(row, "object"));
        // A call that changed a decoy without reading it: its file is fetched (the case shows
        // the change), its caller is no actor to follow.
        if found.get(row, "found") == Some(sql::FOUND_CHANGE) {
            continue;
        }
        add_identity(&mut actors, &found, row);
        let ip = found.get(row, "sourceipaddress");
        push_new(
            &mut addresses,
            ip.filter(|ip| ip.parse::<std::net::IpAddr>().is_ok()),
        );
    }
    addresses.sort();
    if !actors.is_empty() {
        for _ in 0..MAX_SESSION_ROUNDS {
            let before = actors.clone();
            let s = match runner
                .run(
                    "sessions",
                    &sql::sessions(&athena.table, &parts, &scope, &actors),
                )
                .await
            {
                Ok(s) => s,
                Err(e) => {
                    partial(runner, athena, &e);
                    break;
                }
            };
            note(&s, "sessions", &mut selection);
            for row in &s.rows {
                add_object(&mut selection, s.get(row, "object"));
                let issued = s.get(row, "issued_key");
                if let Some(k) = issued {
                    if actors.access_keys.iter().any(|a| a == k) {
                        // The call that issued a key an actor used: its caller is an actor too.
                        add_identity(&mut actors, &s, row);
                    } else {
                        push_new(&mut actors.access_keys, Some(k));
                    }
                }
            }
            if actors == before {
                break;
            }
        }
        let names = sql::target_names(&actors);
        let last_queries = [
            (
                "containment",
                sql::containment(&athena.table, &parts, &scope, &names),
            ),
            (
                "actors",
                sql::actor_files(&athena.table, &parts, &scope, &actors, &addresses),
            ),
        ];
        for (purpose, text) in &last_queries {
            match runner.run(purpose, text).await {
                Ok(f) => {
                    note(&f, purpose, &mut selection);
                    for row in &f.rows {
                        add_object(&mut selection, f.get(row, "object"));
                    }
                }
                Err(e) => partial(runner, athena, &e),
            }
        }
    }
    let (first, last) = scope.days();
    let doc = json!({
        "trailcase_athena_selection": 1,
        "table": athena.table.to_string(),
        "workgroup": runner.workgroup.clone().unwrap_or_else(|| "primary".into()),
        "region": runner.region,
        "window": {"from": rfc3339(scope.from), "to": rfc3339(scope.to)},
        "searched": {
            "accounts": if parts.account { json!(if scope.accounts.is_empty() { meta.enum_values("accountid") } else { scope.accounts.clone() }) } else { Value::Null },
            "regions": if scope.regions.is_empty() { json!(meta.enum_values("region")) } else { json!(scope.regions) },
            "days": {"first": first, "last": last},
        },
        "actors": {
            "arns": actors.arns,
            "principal_ids": actors.principal_ids,
            "access_keys": actors.access_keys,
        },
        "addresses": addresses,
        "queries": queries,
        "data_scanned_bytes": selection.scanned_bytes,
        "objects": selection.objects.iter().map(|(b, k)| format!("s3://{b}/{k}")).collect::<Vec<_>>(),
    });
    Ok((selection, doc))
}

/// A later query failed: what the earlier ones found is still fetched, and the gap says what
/// was not searched.
fn partial(runner: &Runner<'_>, athena: &AthenaPlan, e: &QueryError) {
    runner.sink.gap(
        &format!("athena:{}", athena.table),
        &format!("{e}; the actors' activity was not fully searched: only the files the earlier queries found are fetched"),
        e.permission(),
    );
}

fn push_new(list: &mut Vec<String>, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        if !list.iter().any(|x| x == v) {
            list.push(v.to_string());
        }
    }
}

fn add_identity(actors: &mut Actors, f: &Finished, row: &[Option<String>]) {
    push_new(&mut actors.arns, f.get(row, "arn"));
    push_new(&mut actors.principal_ids, f.get(row, "principalid"));
    push_new(&mut actors.access_keys, f.get(row, "accesskeyid"));
}

fn add_object(selection: &mut Selection, path: Option<&str>) {
    if let Some((bucket, key)) = path
        .and_then(|p| p.strip_prefix("s3://"))
        .and_then(|p| p.split_once('/'))
    {
        selection
            .objects
            .insert((bucket.to_string(), key.to_string()));
    }
}

/// The table as Athena's catalogue describes it.
struct TableMeta {
    columns: Vec<String>,
    partitions: Vec<String>,
    parameters: std::collections::HashMap<String, String>,
}

impl TableMeta {
    fn partitions(&self, table: &TableName) -> Result<Partitions, SelectError> {
        let missing: Vec<&str> = ddl::REQUIRED_COLUMNS
            .iter()
            .copied()
            .filter(|c| !self.columns.iter().any(|x| x == c))
            .collect();
        let not = |why: String| SelectError::NotCloudTrail {
            table: table.to_string(),
            why,
        };
        if !missing.is_empty() {
            return Err(not(format!(
                "it lacks the column(s) {} (create it with `trailcase athena ddl`)",
                missing.join(", ")
            )));
        }
        if !self.partitions.iter().any(|p| p == "timestamp") {
            return Err(not(
                "it is not partitioned by day (`timestamp`, yyyy/MM/dd): every query would scan the whole trail (create it with `trailcase athena ddl`)".into(),
            ));
        }
        Ok(Partitions {
            account: self.partitions.iter().any(|p| p == "accountid"),
            region: self.partitions.iter().any(|p| p == "region"),
        })
    }

    fn enum_values(&self, column: &str) -> Vec<String> {
        self.parameters
            .get(&format!("projection.{column}.values"))
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many partitions the window spans (at least 1 per dimension).
    fn partition_count(&self, parts: &Partitions, scope: &Scope) -> usize {
        let n = |given: &[String], column: &str, used: bool| {
            if !used {
                1
            } else if !given.is_empty() {
                given.len()
            } else {
                self.enum_values(column).len().max(1)
            }
        };
        scope.day_list().len()
            * n(&scope.regions, "region", parts.region)
            * n(&scope.accounts, "accountid", parts.account)
    }
}

/// One partition of the window: what one day of one region (of one account) costs to scan.
fn probe_sql(table: &TableName, parts: &Partitions, scope: &Scope, meta: &TableMeta) -> String {
    let mut preds = Vec::new();
    let first = |given: &[String], column: &str| {
        given
            .first()
            .cloned()
            .or_else(|| meta.enum_values(column).into_iter().next())
    };
    if parts.account {
        if let Some(a) = first(&scope.accounts, "accountid") {
            preds.push(format!("accountid = {}", sql::literal(&a)));
        }
    }
    if parts.region {
        // us-east-1 holds the global services' events: the busiest region, the safer measure.
        let east = meta.enum_values("region").iter().any(|r| r == "us-east-1");
        let region = match scope.regions.first() {
            Some(r) => Some(r.clone()),
            None if east => Some("us-east-1".to_string()),
            None => first(&scope.regions, "region"),
        };
        if let Some(r) = region {
            preds.push(format!("region = {}", sql::literal(&r)));
        }
    }
    // The window's first day itself (not the day the delivery margin reaches back to).
    let day = scope.from.format("%Y/%m/%d").to_string();
    preds.push(format!("\"timestamp\" = {}", sql::literal(&day)));
    format!(
        "SELECT count(*) AS events\nFROM {}\nWHERE {}",
        table.quoted(),
        preds.join("\n  AND ")
    )
}

async fn table_metadata(runner: &Runner<'_>, table: &TableName) -> Result<TableMeta, SelectError> {
    let out = record(
        runner.sink,
        TABLE_METADATA,
        &runner.region,
        runner
            .client
            .get_table_metadata()
            .catalog_name("AwsDataCatalog")
            .database_name(&table.database)
            .table_name(&table.table)
            .send()
            .await,
    )
    .map_err(|e: AwsError| SelectError::Query(QueryError::Aws(e)))?;
    let Some(t) = out.table_metadata() else {
        return Err(SelectError::NotCloudTrail {
            table: table.to_string(),
            why: "Athena returned no metadata for it".into(),
        });
    };
    Ok(TableMeta {
        columns: t
            .columns()
            .iter()
            .map(|c| c.name().to_ascii_lowercase())
            .collect(),
        partitions: t
            .partition_keys()
            .iter()
            .map(|c| c.name().to_ascii_lowercase())
            .collect(),
        parameters: t.parameters().cloned().unwrap_or_default(),
    })
}

/// Stop the queries Ctrl-C left running.
pub async fn stop_running(ctx: &AwsContext, athena: &AthenaPlan, sink: &dyn Sink) {
    let region = ctx
        .configured_region()
        .unwrap_or_else(|| super::config::FALLBACK_REGION.to_string());
    query::stop_all(&ctx.athena(&region), &region, &athena.running, sink).await;
}
