//! The trail: multi-region, logging, log-file validation, and recent delivery to the CloudWatch
//! Logs group that flow 1's metric filter reads.

use super::synthetic::Reads;
use super::Checks;
use crate::model::posture_snapshot::{Snapshot, TrailState};
use crate::rules::filter_pattern::FilterPattern;
use chrono::{DateTime, Duration, Utc};

/// A trail that has not delivered to CloudWatch Logs for longer than this is stale: an account
/// with a honeytoken always has some API activity within an hour.
pub const MAX_DELIVERY_AGE_MINUTES: i64 = 60;

/// Check the trail that feeds the pipeline, and return it for flow 1.
pub fn check<'s>(
    s: &'s Snapshot,
    reads: &Reads,
    now: DateTime<Utc>,
    c: &mut Checks,
) -> Option<&'s TrailState> {
    const IDS: [&str; 4] = [
        "trail.multi-region",
        "trail.logging",
        "trail.log-file-validation",
        "trail.cloudwatch-logs",
    ];
    let trails = match &s.trails {
        Ok(t) => t,
        Err(e) => {
            for id in IDS {
                c.unknown(id, format!("cannot read the trails: {e}"));
            }
            return None;
        }
    };
    let Some(t) = pick(s, trails, reads) else {
        for id in IDS {
            c.fail(id, format!("no trail records {}", s.region));
        }
        return None;
    };
    let name = &t.name;
    c.verdict(
        IDS[0],
        t.multi_region,
        format!(
            "trail {name} records every region (home {})",
            t.home_region.as_deref().unwrap_or("?")
        ),
        format!("trail {name} records only its home region: a read in another region is missed"),
    );
    match &t.status {
        Ok(status) => c.verdict(
            IDS[1],
            status.is_logging,
            format!("trail {name} is logging"),
            format!("trail {name} is not logging (StopLogging was called): nothing is recorded"),
        ),
        Err(e) => c.unknown(IDS[1], format!("cannot read trail {name}'s status: {e}")),
    }
    c.verdict(
        IDS[2],
        t.log_file_validation,
        format!("trail {name} writes signed digest files"),
        format!(
            "trail {name} has log-file validation off: tampering with its files cannot be proven"
        ),
    );
    cloudwatch_logs(t, now, c);
    Some(t)
}

/// The trail the pipeline uses: the one whose log group holds a filter catching the honeytoken,
/// else one delivering to CloudWatch Logs, else the first.
fn pick<'s>(s: &Snapshot, trails: &'s [TrailState], reads: &Reads) -> Option<&'s TrailState> {
    let catches = |t: &TrailState| {
        let (Some(group), Ok(filters)) = (t.log_group_name(), &s.metric_filters) else {
            return false;
        };
        filters.iter().any(|f| {
            f.log_group == group
                && FilterPattern::parse(&f.pattern)
                    .is_ok_and(|p| reads.honeytoken.iter().any(|(_, r)| p.matches_json(r)))
        })
    };
    trails
        .iter()
        .find(|t| catches(t))
        .or_else(|| trails.iter().find(|t| t.log_group_arn.is_some()))
        .or_else(|| trails.first())
}

fn cloudwatch_logs(t: &TrailState, now: DateTime<Utc>, c: &mut Checks) {
    const ID: &str = "trail.cloudwatch-logs";
    let name = &t.name;
    let Some(group) = t.log_group_name() else {
        return c.fail(
            ID,
            format!("trail {name} does not deliver to CloudWatch Logs: flow 1 sees nothing"),
        );
    };
    let status = match &t.status {
        Ok(s) => s,
        Err(e) => return c.unknown(ID, format!("cannot read trail {name}'s status: {e}")),
    };
    if let Some(err) = &status.latest_cloudwatch_logs_error {
        return c.fail(
            ID,
            format!("delivery to {group} fails: {err} (check the trail's CloudWatch Logs role)"),
        );
    }
    match status.latest_cloudwatch_logs_delivery {
        None => c.unknown(
            ID,
            format!("trail {name} delivers to {group} but has reported no delivery yet"),
        ),
        Some(at) if now - at > Duration::minutes(MAX_DELIVERY_AGE_MINUTES) => c.fail(
            ID,
            format!(
                "last delivery to {group} was at {} ({} minutes ago, more than {MAX_DELIVERY_AGE_MINUTES})",
                at.format("%Y-%m-%dT%H:%M:%SZ"),
                (now - at).num_minutes()
            ),
        ),
        Some(at) => c.pass(
            ID,
            format!(
                "delivers to {group}, last at {}",
                at.format("%Y-%m-%dT%H:%M:%SZ")
            ),
        ),
    }
}
