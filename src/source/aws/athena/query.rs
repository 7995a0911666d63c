//! Running one Athena query with the SDK, and keeping it as evidence: StartQueryExecution in
//! the user's workgroup, GetQueryExecution until it ends, GetQueryResults page by page. The SQL
//! text, the execution (its id, workgroup, engine version, data scanned, state and reason) and
//! every result page are stored in the case under `athena/NN-purpose/` (`query.json`, the
//! request as `aws athena start-query-execution --cli-input-json` takes it; `execution.json` and
//! `results-NNNN.json` as `aws athena ...` prints them). A query that is still running is listed in [`Running`], so that
//! Ctrl-C can stop it in Athena too ([`stop_all`]).

use super::super::error::{record, AwsError, Operation};
use super::super::json::{cli_time, Obj};
pub use super::super::plan::Running;
use super::super::sink::store_json;
use super::super::{Provenance, Sink};
use aws_sdk_athena::types::{
    QueryExecution, QueryExecutionContext, QueryExecutionState, ResultConfiguration,
};
use serde_json::Value;
use std::sync::Mutex;
use std::time::Duration;

const START: Operation = Operation::new("athena", "StartQueryExecution");
const GET: Operation = Operation::new("athena", "GetQueryExecution");
const RESULTS: Operation = Operation::new("athena", "GetQueryResults");
const STOP: Operation = Operation::new("athena", "StopQueryExecution");

/// Attempts of StartQueryExecution while Athena answers TooManyRequestsException (after the
/// SDK's own retries).
const START_ATTEMPTS: u32 = 5;

/// Where and how queries run.
pub struct Runner<'a> {
    pub client: aws_sdk_athena::Client,
    pub region: String,
    pub workgroup: Option<String>,
    pub output: Option<String>,
    pub database: String,
    pub running: Running,
    pub sink: &'a dyn Sink,
    /// Queries run so far (numbers the evidence folders).
    pub count: Mutex<usize>,
}

/// A query that ended well, with its rows (header row left out).
#[derive(Debug, Clone)]
pub struct Finished {
    pub id: String,
    pub folder: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
    pub scanned_bytes: u64,
    pub engine: Option<String>,
}

impl Finished {
    /// The column's value in `row`.
    pub fn get<'r>(&self, row: &'r [Option<String>], column: &str) -> Option<&'r str> {
        let i = self.columns.iter().position(|c| c == column)?;
        row.get(i)?.as_deref()
    }
}

/// Why a query gave no rows.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Aws(#[from] AwsError),
    #[error("Athena query {id} ({purpose}) ended {state}: {reason}")]
    Ended {
        id: String,
        purpose: String,
        state: String,
        reason: String,
    },
}

impl QueryError {
    pub fn permission(&self) -> Option<&str> {
        match self {
            QueryError::Aws(e) => e.permission(),
            QueryError::Ended { .. } => None,
        }
    }
}

impl Runner<'_> {
    fn provenance(&self, operation: &str, id: &str) -> Provenance {
        Provenance {
            source: format!("aws:athena:{operation}:{}:{id}", self.region),
            s3: None,
        }
    }

    /// Run `sql`; its evidence goes to `athena/NN-purpose/`.
    pub async fn run(&self, purpose: &str, sql: &str) -> Result<Finished, QueryError> {
        let folder = {
            let mut n = self.count.lock().unwrap_or_else(|e| e.into_inner());
            *n += 1;
            format!("athena/{:02}-{purpose}", *n)
        };
        // The request as `aws athena start-query-execution --cli-input-json` takes it: the
        // query can be run again by hand.
        let request = Obj::new()
            .put("QueryString", sql)
            .put(
                "QueryExecutionContext",
                Obj::new().put("Database", self.database.as_str()).build(),
            )
            .opt("WorkGroup", self.workgroup.as_deref())
            .opt(
                "ResultConfiguration",
                self.output
                    .as_deref()
                    .map(|o| Obj::new().put("OutputLocation", o).build()),
            )
            .build();
        store_json(
            self.sink,
            &format!("{folder}/query.json"),
            &request,
            Provenance {
                source: format!("trailcase:athena:{purpose}"),
                s3: None,
            },
        );
        let id = self.start(sql).await?;
        self.running.add(&id);
        self.sink.query(None);
        let execution = self.wait(&id).await;
        self.running.remove(&id);
        self.sink.query(Some(
            execution
                .as_ref()
                .ok()
                .and_then(|q| q.statistics())
                .and_then(|s| s.data_scanned_in_bytes())
                .unwrap_or(0)
                .max(0) as u64,
        ));
        let execution = execution?;
        store_json(
            self.sink,
            &format!("{folder}/execution.json"),
            &Obj::new()
                .put("QueryExecution", execution_json(&execution))
                .build(),
            self.provenance("GetQueryExecution", &id),
        );
        let status = execution.status();
        let state = status.and_then(|s| s.state()).cloned();
        let scanned_bytes = execution
            .statistics()
            .and_then(|s| s.data_scanned_in_bytes())
            .unwrap_or(0)
            .max(0) as u64;
        if state != Some(QueryExecutionState::Succeeded) {
            return Err(QueryError::Ended {
                id,
                purpose: purpose.to_string(),
                state: state.map_or("in an unknown state".into(), |s| s.as_str().to_string()),
                reason: status
                    .and_then(|s| s.state_change_reason())
                    .unwrap_or("Athena gave no reason")
                    .to_string(),
            });
        }
        let (columns, rows) = self.results(&id, &folder).await?;
        self.sink.notice(&format!(
            "Athena query {purpose} ({id}) done: {} row(s), {} scanned",
            rows.len(),
            super::human_bytes(scanned_bytes)
        ));
        Ok(Finished {
            id,
            folder,
            columns,
            rows,
            scanned_bytes,
            engine: execution
                .engine_version()
                .and_then(|e| e.effective_engine_version())
                .map(str::to_string),
        })
    }

    async fn start(&self, sql: &str) -> Result<String, AwsError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut req = self
                .client
                .start_query_execution()
                .query_string(sql)
                .query_execution_context(
                    QueryExecutionContext::builder()
                        .database(&self.database)
                        .build(),
                );
            if let Some(w) = &self.workgroup {
                req = req.work_group(w);
            }
            if let Some(o) = &self.output {
                req = req.result_configuration(
                    ResultConfiguration::builder().output_location(o).build(),
                );
            }
            match record(self.sink, START, &self.region, req.send().await) {
                Ok(out) => {
                    return out.query_execution_id().map(str::to_string).ok_or_else(|| {
                        AwsError::Service {
                            operation: START.name,
                            code: "NoQueryExecutionId".into(),
                            message: "StartQueryExecution answered without a QueryExecutionId"
                                .into(),
                        }
                    })
                }
                Err(e) if e.is_throttling() && attempt < START_ATTEMPTS => {
                    tokio::time::sleep(Duration::from_millis(500 << attempt)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Poll until the query ends (Athena's own timeout ends it too).
    async fn wait(&self, id: &str) -> Result<QueryExecution, AwsError> {
        let mut delay = Duration::from_millis(100);
        loop {
            let out = record(
                self.sink,
                GET,
                &self.region,
                self.client
                    .get_query_execution()
                    .query_execution_id(id)
                    .send()
                    .await,
            );
            let out = match out {
                Ok(o) => o,
                Err(e) if e.is_throttling() => {
                    tokio::time::sleep(delay).await;
                    continue;
                }
                Err(e) => return Err(e),
            };
            if let Some(q) = out.query_execution() {
                let ended = matches!(
                    q.status().and_then(|s| s.state()),
                    Some(
                        QueryExecutionState::Succeeded
                            | QueryExecutionState::Failed
                            | QueryExecutionState::Cancelled
                    )
                );
                if ended {
                    return Ok(q.clone());
                }
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(2));
        }
    }

    async fn results(
        &self,
        id: &str,
        folder: &str,
    ) -> Result<(Vec<String>, Vec<Vec<Option<String>>>), AwsError> {
        let mut columns = Vec::new();
        let mut rows = Vec::new();
        let mut token: Option<String> = None;
        let mut page = 0;
        loop {
            page += 1;
            let out = record(
                self.sink,
                RESULTS,
                &self.region,
                self.client
                    .get_query_results()
                    .query_execution_id(id)
                    .max_results(1000)
                    .set_next_token(token.clone())
                    .send()
                    .await,
            )?;
            let set = out.result_set();
            let page_rows: Vec<Vec<Option<String>>> = set
                .map(|s| {
                    s.rows()
                        .iter()
                        .map(|r| {
                            r.data()
                                .iter()
                                .map(|d| d.var_char_value().map(str::to_string))
                                .collect()
                        })
                        .collect()
                })
                .unwrap_or_default();
            if page == 1 {
                columns = set
                    .and_then(|s| s.result_set_metadata())
                    .map(|m| {
                        m.column_info()
                            .iter()
                            .map(|c| c.name().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
            }
            store_json(
                self.sink,
                &format!("{folder}/results-{page:04}.json"),
                &results_json(&out),
                self.provenance("GetQueryResults", &format!("{id}:page {page}")),
            );
            let mut it = page_rows.into_iter();
            if page == 1 {
                // A SELECT's first row holds the column names.
                let header = it.next();
                if header.as_ref().is_some_and(|h| {
                    h.iter()
                        .map(|c| c.as_deref())
                        .ne(columns.iter().map(|c| Some(c.as_str())))
                }) {
                    rows.extend(header);
                }
            }
            rows.extend(it);
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                return Ok((columns, rows));
            }
        }
    }
}

/// Ask Athena to stop every query still running (Ctrl-C): they would go on scanning, and
/// billing, after trailcase stopped waiting for them.
pub async fn stop_all(
    client: &aws_sdk_athena::Client,
    region: &str,
    running: &Running,
    sink: &dyn Sink,
) {
    for id in running.ids() {
        let r = record(
            sink,
            STOP,
            region,
            client
                .stop_query_execution()
                .query_execution_id(&id)
                .send()
                .await,
        );
        match r {
            Ok(_) => sink.notice(&format!("Athena query {id} stopped (interrupted)")),
            Err(e) => sink.gap(
                &format!("aws:athena:StopQueryExecution:{region}:{id}"),
                &format!("the query may still be running in Athena: {e}"),
                e.permission(),
            ),
        }
        running.remove(&id);
    }
}

fn execution_json(q: &QueryExecution) -> Value {
    let status = q.status().map(|s| {
        Obj::new()
            .opt("State", s.state().map(|x| x.as_str().to_string()))
            .opt("StateChangeReason", s.state_change_reason())
            .opt("SubmissionDateTime", s.submission_date_time().map(cli_time))
            .opt("CompletionDateTime", s.completion_date_time().map(cli_time))
            .opt(
                "AthenaError",
                s.athena_error().map(|e| {
                    Obj::new()
                        .opt("ErrorCategory", e.error_category())
                        .opt("ErrorType", e.error_type())
                        .opt("ErrorMessage", e.error_message())
                        .build()
                }),
            )
            .build()
    });
    let stats = q.statistics().map(|s| {
        Obj::new()
            .opt(
                "EngineExecutionTimeInMillis",
                s.engine_execution_time_in_millis(),
            )
            .opt("DataScannedInBytes", s.data_scanned_in_bytes())
            .opt(
                "TotalExecutionTimeInMillis",
                s.total_execution_time_in_millis(),
            )
            .opt("QueryQueueTimeInMillis", s.query_queue_time_in_millis())
            .build()
    });
    Obj::new()
        .opt("QueryExecutionId", q.query_execution_id())
        .opt("Query", q.query())
        .opt(
            "StatementType",
            q.statement_type().map(|s| s.as_str().to_string()),
        )
        .opt(
            "ResultConfiguration",
            q.result_configuration().map(|r| {
                Obj::new()
                    .opt("OutputLocation", r.output_location())
                    .build()
            }),
        )
        .opt(
            "QueryExecutionContext",
            q.query_execution_context().map(|c| {
                Obj::new()
                    .opt("Database", c.database())
                    .opt("Catalog", c.catalog())
                    .build()
            }),
        )
        .opt("Status", status)
        .opt("Statistics", stats)
        .opt("WorkGroup", q.work_group())
        .opt(
            "EngineVersion",
            q.engine_version().map(|e| {
                Obj::new()
                    .opt("SelectedEngineVersion", e.selected_engine_version())
                    .opt("EffectiveEngineVersion", e.effective_engine_version())
                    .build()
            }),
        )
        .build()
}

fn results_json(
    out: &aws_sdk_athena::operation::get_query_results::GetQueryResultsOutput,
) -> Value {
    let set = out.result_set().map(|s| {
        let rows: Vec<Value> = s
            .rows()
            .iter()
            .map(|r| {
                let data: Vec<Value> = r
                    .data()
                    .iter()
                    .map(|d| Obj::new().opt("VarCharValue", d.var_char_value()).build())
                    .collect();
                Obj::new().list("Data", data).build()
            })
            .collect();
        let columns: Vec<Value> = s
            .result_set_metadata()
            .map(|m| {
                m.column_info()
                    .iter()
                    .map(|c| {
                        Obj::new()
                            .opt("CatalogName", c.catalog_name())
                            .put("Name", c.name())
                            .put("Type", c.r#type())
                            .build()
                    })
                    .collect()
            })
            .unwrap_or_default();
        Obj::new()
            .list("Rows", rows)
            .put(
                "ResultSetMetadata",
                Obj::new().list("ColumnInfo", columns).build(),
            )
            .build()
    });
    Obj::new()
        .opt("UpdateCount", out.update_count())
        .opt("ResultSet", set)
        .opt("NextToken", out.next_token())
        .build()
}
