//! Trail files as CloudTrail stores them in S3: the key layout, one gzip member of `{"Records":[...]}`
//! per file, one file per region every five minutes, records shuffled inside a file, and one event
//! delivered twice. Generation is parallel per file; each file has its own RNG stream, so the bytes do
//! not depend on thread scheduling.

use std::io::Write;
use std::path::Path;

use flate2::{Compression, GzBuilder};
use rayon::prelude::*;

use crate::background::{self, diurnal, Rhythm, MAIN_SCHEDULED_PER_SLOT, SLOT};
use crate::digests::LogFileFacts;
use crate::identity::{ACCOUNT, MAIN_REGION};
use crate::record::Call;
use crate::rng::{Rng, Stream};
use crate::scenario::Incident;
use crate::time::{civil, compact_minute, Epoch, MINUTE};

/// What the trail part of a case is made of.
pub struct TrailPlan<'a> {
    pub seed: u64,
    pub start: Epoch,
    pub slots: u64,
    pub regions: &'a [&'static str],
    pub records: u64,
    /// The compromised principal is a busy one: its everyday calls are in about 40 % of the
    /// files before the incident (`--busy-actor`).
    pub busy_actor: bool,
}

/// Share of the files before the incident that hold a call of the busy actor, per mille.
const BUSY_ACTOR_PER_MILLE: u64 = 400;

/// What was written.
pub struct TrailSummary {
    pub files: usize,
    pub records: usize,
    pub bytes: u64,
    /// Every GetSecretValue record in the main region, for the LookupEvents pages.
    pub secret_reads: Vec<Call>,
    /// Every trail file written, for its digest; sorted by key.
    pub log_files: Vec<LogFileFacts>,
}

/// When CloudTrail delivers the file holding events of slot `k`: two minutes after the slot ends, so
/// each record arrives 2 to 7 minutes after its eventTime.
pub fn delivery_time(start: Epoch, k: u64) -> Epoch {
    start + (k as Epoch + 1) * SLOT + 2 * MINUTE
}

/// `AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<account>_CloudTrail_<region>_<yyyymmdd>T<hhmm>Z_<rand>.json.gz`
pub fn object_key(region: &str, delivered: Epoch, random: &str) -> String {
    let c = civil(delivered);
    format!(
        "AWSLogs/{ACCOUNT}/CloudTrail/{region}/{:04}/{:02}/{:02}/{ACCOUNT}_CloudTrail_{region}_{}_{random}.json.gz",
        c.year,
        c.month,
        c.day,
        compact_minute(delivered)
    )
}

/// Gzip with a fixed header (mtime 0, no file name, OS "unknown") so equal input gives equal bytes.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::with_capacity(data.len() / 8), Compression::default());
    enc.write_all(data).expect("writing to memory cannot fail");
    enc.finish().expect("writing to memory cannot fail")
}

/// `{"Records":[...]}` in CloudTrail's compact form.
pub fn records_document(calls: &[Call]) -> Vec<u8> {
    let mut out = Vec::with_capacity(calls.len() * 1400 + 16);
    out.extend_from_slice(b"{\"Records\":[");
    for (i, c) in calls.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &c.to_json()).expect("writing to memory cannot fail");
    }
    out.extend_from_slice(b"]}");
    out
}

/// Mean number of noise records per slot and region, so the whole set comes to about `plan.records`.
fn noise_means(plan: &TrailPlan, incident_len: usize) -> Vec<Vec<f64>> {
    let slot_weight: Vec<f64> = (0..plan.slots)
        .map(|k| diurnal(plan.start + k as Epoch * SLOT))
        .collect();
    let total_weight: f64 = slot_weight.iter().sum();
    let scheduled = MAIN_SCHEDULED_PER_SLOT * plan.slots as f64 + incident_len as f64;
    let budget = (plan.records as f64 - scheduled).max(0.0);
    let n = plan.regions.len();
    plan.regions
        .iter()
        .map(|r| {
            let share = match (n, *r == MAIN_REGION) {
                (1, _) => 1.0,
                (_, true) => 0.7,
                _ => 0.3 / (n - 1) as f64,
            };
            slot_weight
                .iter()
                .map(|w| budget * share * w / total_weight)
                .collect()
        })
        .collect()
}

/// One trail file written: its record count, gzip bytes, main-region secret reads, digest facts.
type FileWritten = (usize, u64, Vec<Call>, LogFileFacts);

/// Generates and writes every trail file under `root` (the case's `cloudtrail/` directory).
pub fn write_trail(
    root: &Path,
    plan: &TrailPlan,
    incident: &Incident,
) -> std::io::Result<TrailSummary> {
    let means = noise_means(plan, incident.events.len());
    let rhythm = Rhythm {
        window_start: plan.start,
    };
    let main_idx = plan.regions.iter().position(|r| *r == MAIN_REGION);
    let incident_start = incident.events.iter().map(|e| e.call.time).min();

    // The incident's records by main-region slot, the duplicate also in the following file.
    let mut planted: Vec<Vec<&Call>> = vec![Vec::new(); plan.slots as usize];
    for (i, e) in incident.events.iter().enumerate() {
        let offset = e.call.time - plan.start;
        if offset < 0 || offset >= plan.slots as Epoch * SLOT || main_idx.is_none() {
            continue;
        }
        let k = (offset / SLOT) as usize;
        planted[k].push(&e.call);
        if i == incident.duplicated && k + 1 < planted.len() {
            planted[k + 1].push(&e.call);
        }
    }

    let jobs: Vec<(usize, u64)> = (0..plan.regions.len())
        .flat_map(|r| (0..plan.slots).map(move |k| (r, k)))
        .collect();
    let results: Vec<std::io::Result<FileWritten>> = jobs
        .par_iter()
        .map(|&(r, k)| {
            let region = plan.regions[r];
            let main = Some(r) == main_idx;
            let mut rng = Rng::derived(plan.seed, Stream::TrailFile { region: r, slot: k });
            let random = rng.alnum(16);
            let start = plan.start + k as Epoch * SLOT;
            let mut calls = background::slot_records(
                plan.seed,
                rhythm,
                region,
                main,
                start,
                means[r][k as usize],
                &mut rng,
            );
            // Drawn only with the option, so the default set keeps its bytes.
            let before_incident = incident_start.is_some_and(|i| start + SLOT <= i);
            if plan.busy_actor && before_incident && rng.chance(BUSY_ACTOR_PER_MILLE) {
                let t = start + rng.below(SLOT as u64) as Epoch;
                let mut cx = background::actors::Ctx {
                    seed: plan.seed,
                    region,
                    rng: &mut rng,
                    alice_since: None,
                };
                calls.push(background::actors::reporting_job(&mut cx, t));
            }
            if main {
                calls.extend(planted[k as usize].iter().map(|c| (*c).clone()));
            }
            rng.shuffle(&mut calls);
            let document = records_document(&calls);
            let bytes = gzip(&document);
            let delivered = delivery_time(plan.start, k);
            let key = object_key(region, delivered, &random);
            let facts = LogFileFacts {
                region,
                key: key.clone(),
                delivered,
                sha256: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&document)),
                oldest: calls.iter().map(|c| c.time).min().unwrap_or(start),
                newest: calls.iter().map(|c| c.time).max().unwrap_or(start),
            };
            let path = root.join(key);
            std::fs::create_dir_all(path.parent().expect("a key has directories"))?;
            std::fs::write(&path, &bytes)?;
            let count = calls.len();
            let reads = if main {
                calls
                    .into_iter()
                    .filter(|c| c.name == "GetSecretValue")
                    .collect()
            } else {
                Vec::new()
            };
            Ok((count, bytes.len() as u64, reads, facts))
        })
        .collect();

    let mut summary = TrailSummary {
        files: 0,
        records: 0,
        bytes: 0,
        secret_reads: Vec::new(),
        log_files: Vec::new(),
    };
    for result in results {
        let (count, bytes, reads, facts) = result?;
        summary.log_files.push(facts);
        summary.files += 1;
        summary.records += count;
        summary.bytes += bytes;
        summary.secret_reads.extend(reads);
    }
    summary.log_files.sort_by(|a, b| a.key.cmp(&b.key));
    // The duplicate delivery appears twice here; LookupEvents has each event once.
    summary
        .secret_reads
        .sort_by(|a, b| (a.time, &a.event_id).cmp(&(b.time, &b.event_id)));
    summary
        .secret_reads
        .dedup_by(|a, b| a.event_id == b.event_id);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::at;

    #[test]
    fn key_layout_matches_cloudtrail() {
        let start = at(2026, 11, 20, 12, 0, 0);
        let delivered = delivery_time(start, 24);
        assert_eq!(
            object_key("us-east-1", delivered, "AbCdEfGh12345678"),
            "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/20/123456789012_CloudTrail_us-east-1_20261120T1407Z_AbCdEfGh12345678.json.gz"
        );
    }

    #[test]
    fn delivery_is_two_to_seven_minutes_after_the_event() {
        let start = at(2026, 11, 20, 12, 0, 0);
        for k in 0..3u64 {
            let first = start + k as Epoch * SLOT;
            let last = first + SLOT - 1;
            let d = delivery_time(start, k);
            assert!((2 * MINUTE..=7 * MINUTE).contains(&(d - first)));
            assert!((2 * MINUTE..=7 * MINUTE).contains(&(d - last)));
        }
    }

    #[test]
    fn gzip_header_is_fixed() {
        let a = gzip(b"{\"Records\":[]}");
        assert_eq!(a, gzip(b"{\"Records\":[]}"));
        assert_eq!(&a[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    }
}
