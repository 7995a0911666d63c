//! The hourly chain: each digest must point back to the one before it, by key, bucket, hash and signature.
//!
//! A link that points to a digest not in the case is a gap; a starting digest after others is a restart.
//! Backfill digests form a chain of their own per trail (see [`chain::is_backfill_digest_key`]), checked
//! the same way, except that they are not hourly: a new backfill chain is no restart, and a gap in one
//! counts as at least one missing digest rather than a number of hours.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

use super::chain;
use super::digest::{DigestFile, ParsedDigest};
use super::report::{ChainSummary, FindingKind};
use super::time::format_timestamp;
use super::verify::{Entry, Run};

fn hours_between(from: DateTime<Utc>, to: DateTime<Utc>) -> usize {
    let seconds = (to - from).num_seconds().max(0);
    usize::try_from((seconds + 1800) / 3600).unwrap_or(0).max(1)
}

impl Run<'_> {
    /// Walk each chain oldest first and check that every digest points back to the one before it.
    pub(super) fn check_chains(
        &mut self,
        digests: &BTreeMap<String, Entry>,
        chains: &BTreeMap<String, Vec<String>>,
    ) {
        for (chain_id, keys) in chains {
            let backfill = chain::is_backfill_digest_key(&keys[0]);
            let mut missing_in_chain = 0;
            for (i, key) in keys.iter().enumerate() {
                let entry = &digests[key];
                let file = &entry.parsed.file;
                let before = i.checked_sub(1).map(|j| (&keys[j], &digests[&keys[j]]));
                let Some(previous_key) = &file.previous_digest_s3_object else {
                    match before {
                        None => self.push(
                            FindingKind::ChainStart,
                            key,
                            "starting digest: no previous digest",
                        ),
                        Some((before_key, _)) if backfill => self.push(
                            FindingKind::ChainStart,
                            key,
                            format!("starting backfill digest after {before_key}: backfill digests come only when CloudTrail adds late log files, so a new backfill chain is no gap"),
                        ),
                        Some((before_key, b)) => {
                            let detail = format!(
                                "starting digest after {before_key}: the chain restarts, so logging or log file validation was off between {} and {}",
                                b.parsed.file.digest_end_time, file.digest_start_time
                            );
                            self.push(FindingKind::ChainRestart, key, detail);
                        }
                    }
                    continue;
                };
                if self.malformed.contains(previous_key) {
                    continue;
                }
                match (before, digests.get(previous_key)) {
                    (Some((before_key, b)), Some(previous)) if before_key == previous_key => {
                        self.check_link(
                            key,
                            file,
                            before_key,
                            b.verified_with.as_deref().or(b.sidecar.as_deref()),
                            &previous.parsed,
                        );
                    }
                    (_, Some(previous))
                        if backfill
                            && chain::chain_id(previous_key) == chain::hourly_chain_id(key) =>
                    {
                        // A backfill digest that points back into its trail's hourly chain: the link is
                        // checked against that digest like any other.
                        self.check_link(
                            key,
                            file,
                            previous_key,
                            previous
                                .verified_with
                                .as_deref()
                                .or(previous.sidecar.as_deref()),
                            &previous.parsed,
                        );
                    }
                    (Some((before_key, _)), Some(_)) => {
                        let detail = format!("points back to {previous_key}, but the digest before it in time is {before_key}");
                        self.push(FindingKind::ChainBroken, key, detail);
                    }
                    (None, Some(_)) => {
                        // The previous digest is in the case but in another chain: a different trail or region.
                        self.push(
                            FindingKind::ChainBroken,
                            key,
                            format!(
                                "points back to {previous_key}, which belongs to another chain"
                            ),
                        );
                    }
                    (None, None) => {
                        let detail = format!("points back to {previous_key}, which is not in the case: the case starts here");
                        self.push(FindingKind::ChainStartOutsideCase, key, detail);
                    }
                    (Some((before_key, _)), None) if backfill => {
                        // Backfill digests are not hourly: how many are missing cannot be counted.
                        missing_in_chain += 1;
                        let detail = format!(
                            "referenced as previous digest by {key} but not in the case; at least one backfill digest missing between {before_key} and {key}"
                        );
                        self.push(FindingKind::DigestMissing, previous_key, detail);
                    }
                    (Some((before_key, b)), None) => {
                        let hours = hours_between(b.parsed.end, entry.parsed.start);
                        missing_in_chain += hours;
                        let detail = format!(
                            "referenced as previous digest by {key} but not in the case; {hours} hourly digest(s) missing between {before_key} (ends {}) and {key} (starts {})",
                            b.parsed.file.digest_end_time, file.digest_start_time
                        );
                        self.push(FindingKind::DigestMissing, previous_key, detail);
                    }
                }
            }
            let first = &digests[&keys[0]].parsed;
            let last = &digests[&keys[keys.len() - 1]].parsed;
            self.report.summary.digests_missing += missing_in_chain;
            self.report.chains.push(ChainSummary {
                chain: chain_id.clone(),
                region: chain::scope_of(&keys[0])
                    .map(|s| s.region)
                    .unwrap_or_default(),
                backfill,
                digests: keys.len(),
                first_start: format_timestamp(first.start),
                last_end: format_timestamp(last.end),
                digests_missing: missing_in_chain,
            });
        }
    }

    /// `key` says its previous digest is `previous_key`, the digest just before it in its chain.
    fn check_link(
        &mut self,
        key: &str,
        file: &DigestFile,
        previous_key: &str,
        previous_signature: Option<&str>,
        previous: &ParsedDigest,
    ) {
        let mut problems = Vec::new();
        if file.previous_digest_s3_bucket.as_deref()
            != Some(previous.file.digest_s3_bucket.as_str())
        {
            problems.push(format!(
                "previousDigestS3Bucket is {:?}, the previous digest says {:?}",
                file.previous_digest_s3_bucket, previous.file.digest_s3_bucket
            ));
        }
        match (
            file.previous_digest_hash_algorithm.as_deref(),
            file.previous_digest_hash_value.as_deref(),
        ) {
            (Some("SHA-256") | None, Some(hash))
                if hash.eq_ignore_ascii_case(&previous.content_sha256) => {}
            (Some("SHA-256") | None, hash) => problems.push(format!(
                "previousDigestHashValue is {:?} but {previous_key} hashes to {}",
                hash.unwrap_or("null"),
                previous.content_sha256
            )),
            (Some(other), _) => problems.push(format!(
                "previousDigestHashAlgorithm {other:?} is not SHA-256"
            )),
        }
        // The previous digest's own signature: the one it verified with, else its sidecar. (When it verified
        // with this very link's value, the comparison holds trivially; see `check_signatures`.)
        if let Some(expected) = previous_signature {
            let signature = file.previous_digest_signature.as_deref().unwrap_or("null");
            if !signature.trim().eq_ignore_ascii_case(expected) {
                problems.push(format!(
                    "previousDigestSignature differs from the signature of {previous_key}"
                ));
            }
        }
        if !problems.is_empty() {
            self.push(FindingKind::ChainBroken, key, problems.join("; "));
        }
    }
}
