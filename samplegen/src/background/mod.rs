//! Background noise for one trail file's five minutes in one region: how many calls, which actors, and
//! the scheduled service activity (sign-ins, Lambda and CloudTrail role sessions, key rotation).
//! Everything comes from the slot's own RNG stream; nothing here knows about files or gzip.

pub mod actors;

use crate::identity::{ORDERS_ROLE, TRAIL_LOGS_ROLE};
use crate::record::Call;
use crate::rng::Rng;
use crate::time::{Epoch, DAY, HOUR, MINUTE};
use actors::Ctx;

/// Length of a slot: one trail file per region covers this much eventTime.
pub const SLOT: Epoch = 5 * MINUTE;

/// The fixed rhythm of the account, relative to the window start.
#[derive(Clone, Copy)]
pub struct Rhythm {
    pub window_start: Epoch,
}

impl Rhythm {
    /// alice signs in 14 minutes into the window, and again every 24 hours; a session lasts 8 hours.
    fn alice_since(&self, t: Epoch) -> Option<Epoch> {
        let first = self.window_start + 14 * MINUTE + 3;
        if t < first {
            return None;
        }
        let login = first + (t - first).div_euclid(DAY) * DAY;
        (t < login + 8 * HOUR).then_some(login)
    }
}

/// The one instant of `phase + k * period` in `[start, start + SLOT)`, if any (`period >= SLOT`).
fn periodic(start: Epoch, phase: Epoch, period: Epoch) -> Option<Epoch> {
    let k = (start - phase + period - 1).div_euclid(period);
    let at = phase + k * period;
    (at < start + SLOT).then_some(at)
}

type Template = fn(&mut Ctx, Epoch) -> Call;

fn alice_or_collector(cx: &mut Ctx, t: Epoch) -> Call {
    actors::alice_console(cx, t).unwrap_or_else(|| actors::observability(cx, t))
}

const MAIN_MIX: &[(u32, Template)] = &[
    (100, actors::ci_cloudformation),
    (50, actors::ci_s3),
    (40, actors::ci_lambda),
    (30, actors::ci_iam),
    (70, alice_or_collector),
    (80, actors::observability),
    (1, actors::access_denied),
];

const OTHER_MIX: &[(u32, Template)] = &[
    (100, actors::ci_cloudformation),
    (50, actors::ci_s3),
    (40, actors::ci_lambda),
    (80, actors::observability),
    (1, actors::access_denied),
];

/// Relative activity by hour of day (UTC): people and pipelines work 07:00-19:00.
pub fn diurnal(t: Epoch) -> f64 {
    let hour = t.rem_euclid(DAY) / HOUR;
    if (7..19).contains(&hour) {
        1.0
    } else {
        0.4
    }
}

/// Generates the background records of one slot, unsorted.
pub fn slot_records(
    seed: u64,
    rhythm: Rhythm,
    region: &'static str,
    main: bool,
    start: Epoch,
    mean_noise: f64,
    rng: &mut Rng,
) -> Vec<Call> {
    // ±20 % around the mean, so file sizes vary as real ones do.
    let spread = (mean_noise * 0.2).round() as i64;
    let noise = (mean_noise.round() as i64 + rng.range(-spread, spread)).max(0) as usize;
    let mut out = Vec::with_capacity(noise + 8);
    let mix = if main { MAIN_MIX } else { OTHER_MIX };
    let weights: Vec<u32> = mix.iter().map(|(w, _)| *w).collect();

    let timed = |rng: &mut Rng| start + rng.below(SLOT as u64) as Epoch;
    for _ in 0..noise {
        let t = timed(rng);
        let template = mix[rng.weighted(&weights)].1;
        let mut cx = Ctx {
            seed,
            region,
            rng,
            alice_since: rhythm.alice_since(t),
        };
        out.push(template(&mut cx, t));
    }
    if !main {
        return out;
    }

    let reads = if rng.chance(667) { 2 } else { 1 };
    for _ in 0..reads {
        let t = timed(rng);
        let mut cx = Ctx {
            seed,
            region,
            rng,
            alice_since: None,
        };
        out.extend(actors::orders_secret_read(&mut cx, t));
    }
    let mut cx = Ctx {
        seed,
        region,
        rng,
        alice_since: None,
    };
    if let Some(t) = periodic(start, rhythm.window_start + 14 * MINUTE + 3, DAY) {
        out.push(actors::alice_login(&mut cx, t));
    }
    if let Some(t) = periodic(start, rhythm.window_start + HOUR + 12 * MINUTE + 44, DAY) {
        out.push(actors::kms_rotation(&mut cx, t));
    }
    // Lambda refreshes the orders function's credentials every 6 hours (the key actors.rs derives for
    // the same 6-hour bucket), CloudTrail its log-delivery role every hour.
    if let Some(t) = periodic(start, 7, 6 * HOUR) {
        out.push(actors::service_assume_role(
            &mut cx,
            t,
            "lambda.amazonaws.com",
            ORDERS_ROLE,
            "orders-api",
            2,
            6 * HOUR,
        ));
    }
    if let Some(t) = periodic(start, 41, HOUR) {
        out.push(actors::service_assume_role(
            &mut cx,
            t,
            "cloudtrail.amazonaws.com",
            TRAIL_LOGS_ROLE,
            "aws-cloudtrail-logs",
            5,
            HOUR,
        ));
    }
    out
}

/// Records per slot that `slot_records` adds on top of the noise in the main region, on average.
pub const MAIN_SCHEDULED_PER_SLOT: f64 = 2.0 * 1.667 + 0.1;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::at;

    #[test]
    fn periodic_finds_the_instant_in_its_slot_only() {
        let s = at(2026, 11, 20, 12, 0, 0);
        assert_eq!(periodic(s, 41, HOUR), Some(s + 41));
        assert_eq!(periodic(s + SLOT, 41, HOUR), None);
        assert_eq!(periodic(s - SLOT, 41, HOUR), None);
    }

    #[test]
    fn alice_is_signed_in_for_eight_hours_after_login() {
        let r = Rhythm {
            window_start: at(2026, 11, 20, 12, 0, 0),
        };
        assert_eq!(r.alice_since(at(2026, 11, 20, 12, 10, 0)), None);
        assert_eq!(
            r.alice_since(at(2026, 11, 20, 13, 0, 0)),
            Some(at(2026, 11, 20, 12, 14, 3))
        );
        assert_eq!(r.alice_since(at(2026, 11, 20, 21, 0, 0)), None);
    }
}
