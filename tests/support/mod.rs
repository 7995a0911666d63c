//! Helpers shared by the integration tests: run the built binary, locate the shared data, and
//! check a JSON document against the repo's JSON Schema (type, required, properties, items, enum).
#![allow(dead_code)]

pub mod demo;
pub mod fuzz_checks;
pub mod honeytoken_calls;
pub mod posture_case;
pub mod props;
pub mod schema;

// Each test module uses a different part of this module.
#[allow(unused_imports)]
pub use schema::schema_violations;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The timeline of `inputs` as `trailcase` analyses them, with the configuration it would use
/// (the first input directory's `trailcase.toml`, else the defaults).
pub fn model(inputs: &[&Path]) -> (trailcase::model::Timeline, trailcase::config::Config) {
    let args: Vec<_> = inputs.iter().map(|p| p.to_path_buf()).collect();
    let d = trailcase::source::discover(&args).unwrap();
    let config = d
        .case_configs
        .first()
        .map(|p| trailcase::config::Config::load(p).unwrap())
        .unwrap_or_default();
    let t = trailcase::analyse::analyse(&d.files, d.gaps, &config.analysis_settings(), &|_| {});
    (t, config)
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The public samples the tests read (`tests/data/shared`, a copy of the team's shared data
/// with its `SOURCES.md`: sources, licences, quirks), inside the repository so that a clone
/// stands alone.
pub fn shared_data() -> PathBuf {
    repo().join("tests/data/shared")
}

/// A case directory `dir/case` holding one Stratus Red Team file (public records,
/// `tests/data/SOURCES.md`) as it was recorded, and, with `honeytoken` (kind, pattern), a
/// trailcase.toml naming one honeytoken among what it read.
pub fn stratus_case(dir: &Path, file: &str, honeytoken: Option<(&str, &str)>) -> PathBuf {
    let case = dir.join("case");
    std::fs::create_dir(&case).unwrap();
    std::fs::copy(
        shared_data().join("cloudtrail/stratus-red-team").join(file),
        case.join(file),
    )
    .unwrap();
    if let Some((kind, pattern)) = honeytoken {
        std::fs::write(
            case.join("trailcase.toml"),
            format!("[[honeytoken]]\nkind = \"{kind}\"\npattern = \"{pattern}\"\n"),
        )
        .unwrap();
    }
    case
}

pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr: {}", self.stderr))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Run `trailcase` with `args` in the repository directory.
pub fn trailcase<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    trailcase_env(args, &[])
}

/// Run `trailcase` with `args` and extra environment variables.
pub fn trailcase_env<I, S>(args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trailcase"));
    cmd.args(args)
        .current_dir(repo())
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run trailcase");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The SOURCE_DATE_EPOCH the report tests render at (2026-11-24T00:00:00Z).
pub const REPORT_EPOCH: &str = "1795622400";

/// `trailcase report --quiet --out OUT ARGS...` at [`REPORT_EPOCH`].
pub fn report_pdf(out: &Path, args: &[&str]) -> Run {
    let mut all = vec!["report", "--quiet", "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    trailcase_env(all, &[("SOURCE_DATE_EPOCH", REPORT_EPOCH)])
}

/// The report of `case` written into `dir` (it exits 0 or 1), and its text ([`pdf_text`]).
pub fn report_text(dir: &Path, case: &Path) -> String {
    let pdf = dir.join("r.pdf");
    let run = report_pdf(&pdf, &[case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    pdf_text(&pdf)
}

/// The bundled sample's report, rendered into `dir`, as text (`pdf_text`); the sample is
/// verified offline, so the run exits 0.
pub fn sample_report_text(dir: &Path) -> String {
    let pdf = dir.join("r.pdf");
    let run = report_pdf(
        &pdf,
        &[repo().join("samples/incident-01").to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    pdf_text(&pdf)
}

/// A PDF's text (pdftotext), whitespace folded: table cells wrap.
pub fn pdf_text(pdf: &Path) -> String {
    let (ok, text) = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(ok, "{text}");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every file attached to `pdf`, extracted with `pdfdetach -saveall` into the new folder `into`.
pub fn pdf_attachments(pdf: &Path, into: &Path) -> PathBuf {
    std::fs::create_dir_all(into).unwrap();
    let (ok, msg) = tool(
        "pdfdetach",
        &[
            "-saveall",
            "-o",
            into.to_str().unwrap(),
            pdf.to_str().unwrap(),
        ],
    );
    assert!(ok, "{msg}");
    into.to_path_buf()
}

/// Run an external tool; a missing tool fails the test with the package that provides it.
pub fn tool(name: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!(
            "`{name}` is required (apt-get install qpdf poppler-utils; scripts/test.sh does): {e}"
        )
    });
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

pub fn read_json(path: &Path) -> Value {
    serde_json::from_slice(
        &std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap()
}

/// The findings in `findings` (a JSON list of the timeline's or an incident's) of `kind`.
pub fn of_kind<'d>(findings: &'d Value, kind: &str) -> Vec<&'d Value> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .collect()
}

/// `trailcase timeline --quiet case`: it ran (complete or with gaps), and its JSON follows the
/// schema.
pub fn timeline_of(case: &Path) -> Value {
    let run = trailcase(["timeline", "--quiet", case.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let doc = run.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert_eq!(
        schema::schema_violations(&schema, &doc),
        Vec::<String>::new()
    );
    doc
}

/// `trailcase timeline --quiet EXTRA… case` (complete, its JSON following the schema) and
/// `trailcase report EXTRA… case` on loose records: exit 1, the PDF saying the evidence is not
/// verifiable (no manifest or digest: the integrity rule). The timeline's JSON and the PDF's text.
pub fn timeline_and_unverifiable_report(case: &Path, extra: &[&str]) -> (Value, String) {
    let mut args = vec!["timeline", "--quiet"];
    args.extend_from_slice(extra);
    args.push(case.to_str().unwrap());
    let t = trailcase(args);
    assert_eq!(t.code, 0, "{}", t.stderr);
    let doc = t.json();
    let schema = read_json(&repo().join("schema/timeline.schema.json"));
    assert!(schema::schema_violations(&schema, &doc).is_empty());
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("r.pdf");
    let mut args = extra.to_vec();
    args.push(case.to_str().unwrap());
    let r = report_pdf(&pdf, &args);
    // Exit 1: loose records with no manifest or digest are "not verifiable" (the integrity rule).
    assert_eq!(r.code, 1, "{}", r.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains("not verifiable"), "{text}");
    (doc, text)
}

/// The report document of `t` as `trailcase report` builds it: the built-in templates, A4,
/// generated at [`REPORT_EPOCH`], command line `trailcase report`, with `integrity`.
pub fn report_doc(
    t: &trailcase::model::Timeline,
    config: &trailcase::config::Config,
    integrity: trailcase::report::content::IntegrityStatement,
) -> trailcase::report::ReportDoc {
    let templates = trailcase::report::content::Templates::load(None).unwrap();
    trailcase::report::content::build(&trailcase::report::content::ReportInput {
        timeline: t,
        settings: config.report_settings(),
        generated_unix: REPORT_EPOCH.parse().unwrap(),
        command_line: vec!["trailcase".into(), "report".into()],
        paper: trailcase::report::Paper::A4,
        templates: &templates,
        integrity,
    })
    .unwrap()
}

/// The report's pipeline diagram (its first diagram).
pub fn diagram(doc: &trailcase::report::ReportDoc) -> &trailcase::report::DiagramSpec {
    doc.blocks
        .iter()
        .find_map(|b| match b {
            trailcase::report::Block::Diagram(d) => Some(d),
            _ => None,
        })
        .expect("a diagram in the report")
}

/// The report's incident timeline chart (its first).
pub fn timeline_chart(doc: &trailcase::report::ReportDoc) -> &trailcase::report::TimelineChart {
    doc.blocks
        .iter()
        .find_map(|b| match b {
            trailcase::report::Block::Chart(trailcase::report::ChartSpec::Timeline(c)) => Some(c),
            _ => None,
        })
        .expect("the report has a timeline chart")
}

/// The sample case copied to `dir/case` without its acquisition manifest (whose hashes an
/// altered copy would no longer match), for a test to alter.
pub fn sample_to_alter(dir: &Path) -> PathBuf {
    let case = dir.join("case");
    copy_dir(&repo().join("samples/incident-01"), &case);
    std::fs::remove_file(case.join("manifest.json")).unwrap();
    case
}

/// The sample's sts:AssumeRole that issued the role session the containment did not reach.
pub const SESSION_ISSUED_BY: &str = "6d0f53a2-5223-444b-adaa-24de7e743f20";

/// The sample copied into `dir` ([`sample_to_alter`]) with its role session (issued by
/// [`SESSION_ISSUED_BY`], to expire at 2026-11-20T15:59:30Z) issued to expire at
/// 2026-11-20T17:00:00Z instead, after the evidence's last record (15:59:49Z).
pub fn sample_session_expiring_at_five(dir: &Path) -> PathBuf {
    let case = sample_to_alter(dir);
    let changed = alter_records(&case, |r| {
        if r["eventID"] == SESSION_ISSUED_BY {
            r["responseElements"]["credentials"]["expiration"] = "Nov 20, 2026, 5:00:00 PM".into();
        }
        true
    });
    assert!(changed >= 1);
    case
}

/// The items of `case`'s alarm history (`cloudwatch/alarm-history.json`, describe-alarm-history's
/// `AlarmHistoryItems`) changed by `edit` and written back.
pub fn edit_history(case: &Path, edit: impl FnOnce(&mut Vec<Value>)) {
    let path = case.join("cloudwatch/alarm-history.json");
    let mut history = read_json(&path);
    edit(history["AlarmHistoryItems"].as_array_mut().unwrap());
    std::fs::write(&path, history.to_string()).unwrap();
}

/// The sample alarm's definition (camelCase) as the `Create` item of its history `items`
/// records it.
pub fn created_alarm(items: &[Value]) -> Value {
    let create = items
        .iter()
        .find(|i| i["HistoryItemType"] == "ConfigurationUpdate")
        .expect("the sample's Create item");
    let data: Value = serde_json::from_str(create["HistoryData"].as_str().unwrap()).unwrap();
    data["createdAlarm"].clone()
}

/// The history item of an `Update` of the sample's alarm at `timestamp` (as the history writes
/// it), to the definition `updated`, recording `original` as the changed fields' former values.
pub fn alarm_update_item(timestamp: &str, updated: Value, original: Value) -> Value {
    let data = serde_json::json!({"version": "1.0", "type": "Update", "updatedAlarm": updated,
        "originalUpdatedFields": original});
    serde_json::json!({
        "AlarmName": "HoneytokenSecretAccessAlarm",
        "AlarmType": "MetricAlarm",
        "Timestamp": timestamp,
        "HistoryItemType": "ConfigurationUpdate",
        "HistorySummary": "Alarm \"HoneytokenSecretAccessAlarm\" updated",
        "HistoryData": data.to_string(),
    })
}

/// `call`'s caller reading the honeytoken `Production_Database_Credentials` (a successful
/// `GetSecretValue`, read-only) at `time` under `event_id`: `call` with its own error and
/// resources removed and the read's fields in their place, every other field (identity, source
/// address, user agent, account) kept.
pub fn honeytoken_read_like(call: &Value, time: &str, event_id: &str) -> Value {
    let mut read = call.clone();
    let o = read.as_object_mut().unwrap();
    for k in ["errorCode", "errorMessage", "resources"] {
        o.remove(k);
    }
    o.insert("eventTime".into(), serde_json::json!(time));
    o.insert(
        "eventSource".into(),
        serde_json::json!("secretsmanager.amazonaws.com"),
    );
    o.insert("eventName".into(), serde_json::json!("GetSecretValue"));
    o.insert(
        "requestParameters".into(),
        serde_json::json!({"secretId": "Production_Database_Credentials"}),
    );
    o.insert("readOnly".into(), serde_json::json!(true));
    o.insert("eventID".into(), serde_json::json!(event_id));
    read
}

/// A trail file `name` of `region` (2026-11-20, 14:05) holding `records`, added to `case`.
pub fn add_trail_file(case: &Path, region: &str, name: &str, records: Vec<Value>) {
    let file = case.join(format!(
        "cloudtrail/AWSLogs/123456789012/CloudTrail/{region}/2026/11/20/123456789012_CloudTrail_{region}_20261120T1405Z_{name}.json.gz"
    ));
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        &file,
        crate::common::gzip(
            serde_json::json!({ "Records": records })
                .to_string()
                .as_bytes(),
        ),
    )
    .unwrap();
}

/// The EventBridge User Guide's PutRule record (`eb-logging-monitoring-L54.json`,
/// tests/data/SOURCES.md) made a call under `id` at `time` on the sample's flow-2 rule
/// `HoneytokenSecretAccessRule` in account 123456789012, setting `pattern`: its eventID, time,
/// account, rule name, pattern and the rule's ARN changed.
pub fn guide_put_rule(id: &str, time: &str, pattern: &str) -> Value {
    const RULE: &str = "HoneytokenSecretAccessRule";
    let mut r = read_json(
        &shared_data()
            .join("cloudtrail/awsdocs-eventbridge-user-guide/eb-logging-monitoring-L54.json"),
    );
    assert_eq!(r["eventName"], "PutRule");
    r["eventID"] = id.into();
    r["eventTime"] = time.into();
    r["recipientAccountId"] = "123456789012".into();
    r["requestParameters"]["name"] = RULE.into();
    r["requestParameters"]["eventPattern"] = pattern.into();
    r["responseElements"]["ruleArn"] =
        format!("arn:aws:events:us-east-1:123456789012:rule/{RULE}").into();
    r
}

/// A copy of the directory tree `from` at `to` (a sample case to alter in a test).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every CloudTrail record of `case` (its trail files `cloudtrail/**.json.gz` and its
/// LookupEvents pages `lookup-events/*.json`) passed to `edit`, which changes it in place or
/// returns false to drop it; only the files whose records changed are rewritten. Returns how
/// many records changed or were dropped (a test asserts it, so that an edit cannot miss).
pub fn alter_records(case: &Path, mut edit: impl FnMut(&mut Value) -> bool) -> usize {
    fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                files(&p, ext, out);
            } else if p.to_string_lossy().ends_with(ext) {
                out.push(p);
            }
        }
    }
    let mut changed = 0;
    let mut trail = Vec::new();
    files(&case.join("cloudtrail"), ".json.gz", &mut trail);
    trail.sort();
    for file in trail {
        let mut doc: Value =
            serde_json::from_slice(&crate::common::gunzip(&std::fs::read(&file).unwrap())).unwrap();
        let Some(records) = doc["Records"].as_array_mut() else {
            continue;
        };
        let before = changed;
        records.retain_mut(|r| {
            let old = r.clone();
            let keep = edit(r);
            if !keep || *r != old {
                changed += 1;
            }
            keep
        });
        if changed != before {
            std::fs::write(&file, crate::common::gzip(doc.to_string().as_bytes())).unwrap();
        }
    }
    let mut pages = Vec::new();
    files(&case.join("lookup-events"), ".json", &mut pages);
    pages.sort();
    for file in pages {
        let mut doc = read_json(&file);
        let Some(events) = doc["Events"].as_array_mut() else {
            continue;
        };
        let before = changed;
        events.retain_mut(|e| {
            let mut r: Value =
                serde_json::from_str(e["CloudTrailEvent"].as_str().unwrap()).unwrap();
            let old = r.clone();
            let keep = edit(&mut r);
            if !keep || r != old {
                changed += 1;
                e["CloudTrailEvent"] = Value::String(r.to_string());
            }
            keep
        });
        if changed != before {
            std::fs::write(&file, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
        }
    }
    changed
}

/// The replay's flow in timeline JSON `doc` that `pick` selects (`replay.flows[]`, e.g.
/// `|f| f["flow"] == "metric_filter"`); panics with the replay when there is none.
pub fn replay_flow(doc: &Value, pick: impl Fn(&&Value) -> bool) -> &Value {
    doc["replay"]["flows"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| pick(f))
        .unwrap_or_else(|| panic!("no such flow in {}", doc["replay"]))
}

/// The replay row of access `event_id` in `flow` (a [`replay_flow`]).
pub fn replay_row(flow: &Value, event_id: &str) -> Value {
    flow["accesses"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["event_id"] == event_id)
        .unwrap_or_else(|| panic!("no access {event_id} in {flow}"))
        .clone()
}

/// Checks that `needle` (a planted secret) is in none of `timeline`'s outputs, each format of
/// `formats` (with `--all` where its flag says), nor on their standard error; `extra` goes
/// before the evidence `dir` (`--honeytoken ...`).
pub fn not_in_timelines(extra: &[&str], dir: &str, formats: &[(&str, bool)], needle: &str) {
    for &(format, all) in formats {
        let mut args = vec!["timeline", "--quiet"];
        args.extend(extra);
        args.extend(["--format", format, dir]);
        if all {
            args.push("--all");
        }
        let run = trailcase(&args);
        assert!(run.code <= 1, "{format}: {}", run.stderr);
        let text = run.text();
        assert!(!text.contains(needle), "{format} --all {all}: {text}");
        assert!(!run.stderr.contains(needle), "{}", run.stderr);
    }
}

/// The sample with the honeytoken rule in `state` (none: the field removed) in both
/// describe-rule and list-rules, and, unless `fired`, no TriggeredRules in its metrics.
pub fn sample_with_rule_state(dir: &Path, state: Option<&str>, fired: bool) -> PathBuf {
    let case = sample_to_alter(dir);
    let set = |rule: &mut Value| match state {
        Some(s) => rule["State"] = serde_json::json!(s),
        None => {
            rule.as_object_mut().unwrap().remove("State");
        }
    };
    let path = case.join("events/describe-rule-HoneytokenSecretAccessRule.json");
    let mut rule = read_json(&path);
    set(&mut rule);
    std::fs::write(&path, rule.to_string()).unwrap();
    let path = case.join("events/rules.json");
    let mut rules = read_json(&path);
    for r in rules["Rules"].as_array_mut().unwrap() {
        if r["Name"] == "HoneytokenSecretAccessRule" {
            set(r);
        }
    }
    std::fs::write(&path, rules.to_string()).unwrap();
    if !fired {
        edit_triggered_rules(&case, |m| {
            m["Timestamps"] = serde_json::json!([]);
            m["Values"] = serde_json::json!([]);
        });
    }
    case
}

/// The sample's TriggeredRules series (picked by its `Id`, `triggeredrules`, whatever its label)
/// in `case` changed by `edit` and written back; panics when the case has none.
pub fn edit_triggered_rules(case: &Path, mut edit: impl FnMut(&mut Value)) {
    let path = case.join("cloudwatch/metric-data.json");
    let mut data = read_json(&path);
    let mut found = false;
    for m in data["MetricDataResults"].as_array_mut().unwrap() {
        if m["Id"] == "triggeredrules" {
            edit(m);
            found = true;
        }
    }
    assert!(found, "no TriggeredRules series in {}", path.display());
    std::fs::write(&path, data.to_string()).unwrap();
}

/// The sample's TriggeredRules series relabelled `label` ([`edit_triggered_rules`]):
/// "TriggeredRules" alone names no rule, as a CLI export without a label of one's own gives it.
pub fn label_triggered_rules(case: &Path, label: &str) {
    edit_triggered_rules(case, |m| m["Label"] = label.into());
}

/// The check `id` of a posture result (`checks[]`); panics with the result when it is missing.
pub fn posture_check<'r>(report: &'r Value, id: &str) -> &'r Value {
    report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {report}"))
}
