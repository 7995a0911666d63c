//! Writes a whole case directory: the trail files, their digests signed with the sample's TEST key,
//! every CLI-shaped document and the manifest, in the layout `ARCHITECTURE.md` gives for an evidence
//! case. The only module that touches the file system besides the trail, digest and manifest writers
//! it calls.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::background::SLOT;
use crate::cli_outputs::{cloudwatch, eventbridge, killswitch, lookup, posture, trail};
use crate::cloudtrail::{gzip, write_trail, TrailPlan, TrailSummary};
use crate::digests::write_digests;
use crate::json::J;
use crate::manifest::write_manifest;
use crate::scenario::{incident, Incident};
use crate::time::{Epoch, DAY, HOUR, MINUTE};

/// What to generate, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub out: PathBuf,
    pub seed: u64,
    pub start: Epoch,
    pub end: Epoch,
    pub regions: Vec<&'static str>,
    pub records: u64,
    pub busy_actor: bool,
}

const CASE_TOML: &str = "[case]\n\
id = \"IR-2026-001\"\n\
title = \"Honeytoken access: Production_Database_Credentials\"\n\
organisation = \"Example Corp\"\n\
analyst = \"Incident Response Team\"\n\
classification = \"TLP:AMBER\"\n";

/// Subdirectories the generator owns and replaces on every run.
const GENERATED_DIRS: &[&str] = &[
    "cloudtrail",
    "posture",
    "lookup-events",
    "cloudwatch",
    "logs",
    "events",
    "trail",
    "notifications",
];

fn write_json(path: &Path, doc: &J) -> io::Result<()> {
    fs::create_dir_all(path.parent().expect("case files live in a directory"))?;
    fs::write(path, doc.pretty())
}

/// Generates the case; returns the trail summary and the planted incident.
pub fn write_case(cfg: &Config) -> io::Result<(TrailSummary, Incident)> {
    for dir in GENERATED_DIRS {
        let p = cfg.out.join(dir);
        if p.exists() {
            fs::remove_dir_all(&p)?;
        }
    }
    fs::create_dir_all(&cfg.out)?;
    let incident = incident(cfg.seed);
    let plan = TrailPlan {
        seed: cfg.seed,
        start: cfg.start,
        slots: ((cfg.end - cfg.start) / SLOT) as u64,
        regions: &cfg.regions,
        records: cfg.records,
        busy_actor: cfg.busy_actor,
    };
    let summary = write_trail(&cfg.out.join("cloudtrail"), &plan, &incident)?;
    write_digests(&cfg.out.join("cloudtrail"), &summary.log_files, gzip)?;

    let out = &cfg.out;
    for (i, page) in lookup::pages(cfg.seed, &summary.secret_reads)
        .iter()
        .enumerate()
    {
        let name = format!("us-east-1-GetSecretValue-page-{}.json", i + 1);
        write_json(&out.join("lookup-events").join(name), page)?;
    }
    write_json(
        &out.join("cloudwatch/alarms.json"),
        &cloudwatch::describe_alarms(),
    )?;
    write_json(
        &out.join("cloudwatch/alarm-history.json"),
        &cloudwatch::alarm_history(),
    )?;
    write_json(
        &out.join("cloudwatch/metric-data.json"),
        &cloudwatch::rule_metric_data(),
    )?;
    write_json(
        &out.join("logs/metric-filters.json"),
        &cloudwatch::metric_filters(),
    )?;
    let rule = eventbridge::RULE_NAME;
    write_json(&out.join("events/rules.json"), &eventbridge::list_rules())?;
    write_json(
        &out.join(format!("events/describe-rule-{rule}.json")),
        &eventbridge::describe_rule(),
    )?;
    write_json(
        &out.join(format!("events/targets-{rule}.json")),
        &eventbridge::targets(),
    )?;
    write_json(&out.join("trail/trails.json"), &trail::describe_trails())?;
    write_json(
        &out.join("trail/trail-status.json"),
        &trail::trail_status(cfg.end + 30 * MINUTE),
    )?;
    write_json(
        &out.join("trail/event-selectors.json"),
        &trail::event_selectors(),
    )?;
    for (name, doc) in killswitch::sns_results(&incident) {
        write_json(&out.join("notifications").join(name), &doc)?;
    }
    // Checked the next morning, as a responder would before closing the case.
    let checked_at = (cfg.end / DAY + 1) * DAY + 9 * HOUR;
    write_json(
        &out.join("posture/posture.json"),
        &posture::posture(checked_at),
    )?;
    fs::write(out.join("trailcase.toml"), CASE_TOML)?;
    // Written last, over every file above, as if acquired when the trail status was read.
    write_manifest(
        out,
        GENERATED_DIRS,
        &["trailcase.toml"],
        cfg.seed,
        cfg.end + 30 * MINUTE,
    )?;
    Ok((summary, incident))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{at, HOUR};
    use std::collections::BTreeMap;

    fn small(out: PathBuf, seed: u64) -> Config {
        let start = at(2026, 11, 20, 13, 0, 0);
        Config {
            out,
            seed,
            start,
            end: start + 2 * HOUR,
            regions: vec!["us-east-1", "eu-west-1"],
            records: 300,
            busy_actor: false,
        }
    }

    fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.insert(
                        path.strip_prefix(root).unwrap().to_path_buf(),
                        fs::read(&path).unwrap(),
                    );
                }
            }
        }
        files
    }

    #[test]
    fn same_seed_gives_the_same_bytes() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        write_case(&small(a.path().into(), 42)).unwrap();
        write_case(&small(b.path().into(), 42)).unwrap();
        let (ta, tb) = (tree(a.path()), tree(b.path()));
        assert_eq!(
            ta.len(),
            24 * 2 + 11 + 2 + 1 + 1 + 3 * 2 + 2 + 1 + 1,
            "48 trail files, 11 CLI documents (one lookup page), 2 kill-switch results, the posture result, the toml, \
             3 digests per region, the newest's signature, public-keys.json, manifest.json"
        );
        assert_eq!(ta, tb);
    }

    #[test]
    fn another_seed_changes_the_noise_but_a_rerun_replaces_old_files() {
        let dir = tempfile::tempdir().unwrap();
        write_case(&small(dir.path().into(), 1)).unwrap();
        let first = tree(dir.path());
        write_case(&small(dir.path().into(), 2)).unwrap();
        let second = tree(dir.path());
        assert_eq!(
            first.len(),
            second.len(),
            "trail files of the earlier run are removed"
        );
        assert_ne!(first, second);
    }

    /// `--busy-actor`: the compromised key works in about 40 % of the files before the
    /// incident; without it, in none (the default set is unchanged).
    #[test]
    fn busy_actor_calls_are_in_about_two_files_of_five_before_the_incident() {
        use flate2::read::GzDecoder;
        use std::io::Read;
        let share = |busy: bool| {
            let dir = tempfile::tempdir().unwrap();
            let start = at(2026, 11, 20, 0, 0, 0);
            let cfg = Config {
                busy_actor: busy,
                end: start + 13 * HOUR,
                start,
                records: 2000,
                ..small(dir.path().into(), 7)
            };
            write_case(&cfg).unwrap();
            let trail: Vec<_> = tree(dir.path())
                .into_iter()
                // The log files only: the case also holds digests, their signatures and keys.
                .filter(|(p, _)| {
                    let p = p.to_string_lossy();
                    p.starts_with("cloudtrail")
                        && p.contains("/CloudTrail/")
                        && p.ends_with(".json.gz")
                })
                .collect();
            let with = trail
                .iter()
                .filter(|(_, gz)| {
                    let mut text = String::new();
                    GzDecoder::new(&gz[..]).read_to_string(&mut text).unwrap();
                    text.contains(crate::identity::VICTIM_ACCESS_KEY)
                })
                .count();
            with as f64 / trail.len() as f64
        };
        assert_eq!(share(false), 0.0);
        let busy = share(true);
        assert!((0.3..0.5).contains(&busy), "{busy}");
    }
}
