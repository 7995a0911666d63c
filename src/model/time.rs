//! UTC instants with millisecond precision, formatted the one way every output uses.

use std::fmt;

/// Milliseconds since the Unix epoch, UTC. CloudTrail's `eventTime` has second precision;
/// alarm history and metric timestamps carry milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn from_secs(secs: i64) -> Self {
        Timestamp(secs * 1000)
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// Seconds from `self` to `later` (negative when `later` is earlier).
    pub fn seconds_until(self, later: Timestamp) -> f64 {
        (later.0 - self.0) as f64 / 1000.0
    }

    /// RFC 3339 UTC, `2026-11-20T14:02:17Z`, with `.mmm` only when the instant has milliseconds.
    pub fn to_rfc3339(self) -> String {
        let mut text = Vec::with_capacity(24);
        self.push_rfc3339(&mut text);
        String::from_utf8(text).unwrap_or_else(|_| self.by_chrono())
    }

    /// [`Timestamp::to_rfc3339`]'s text, appended to `out`.
    pub fn push_rfc3339(self, out: &mut Vec<u8>) {
        match self.four_digit_year() {
            Some(text) => {
                let len = if self.0.rem_euclid(1000) == 0 { 19 } else { 23 };
                out.extend_from_slice(&text[..len]);
                out.push(b'Z');
            }
            None => out.extend_from_slice(self.by_chrono().as_bytes()),
        }
    }

    /// The general case (years before 0 or past 9999, or out of chrono's range), as chrono
    /// writes it.
    fn by_chrono(self) -> String {
        let dt = chrono::DateTime::from_timestamp_millis(self.0).unwrap_or_default();
        if self.0.rem_euclid(1000) == 0 {
            dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        } else {
            dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmm` for an instant in the years 0000 to 9999 (every record's: the
    /// timeline writes one per row), without chrono's format machinery.
    fn four_digit_year(self) -> Option<[u8; 23]> {
        let (days, ms) = (self.0.div_euclid(86_400_000), self.0.rem_euclid(86_400_000));
        let (y, m, d) = civil_from_days(days);
        if !(0..=9999).contains(&y) {
            return None;
        }
        let (secs, milli) = (ms / 1000, ms % 1000);
        let mut out = *b"0000-00-00T00:00:00.000";
        let mut put = |at: usize, width: usize, mut n: i64| {
            for i in (at..at + width).rev() {
                out[i] = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        put(0, 4, y);
        put(5, 2, m);
        put(8, 2, d);
        put(11, 2, secs / 3600);
        put(14, 2, secs / 60 % 60);
        put(17, 2, secs % 60);
        put(20, 3, milli);
        Some(out)
    }
}

/// The proleptic Gregorian (year, month, day) of a day count from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_chrono_does_from_before_year_0_to_past_9999() {
        // Day boundaries and odd milliseconds from before year 0 to past 9999, and chrono's
        // limits (where it gives up, the epoch).
        let day = 86_400_000i64;
        let mut at: Vec<i64> = vec![0, -1, 1, i64::MIN, i64::MAX, -62_167_219_200_001];
        let (mut t, mut step) = (-62_300_000_000_000i64, 1i64);
        while t < 253_500_000_000_000 {
            at.extend([t, t + 999, t - 1, t + 61_001]);
            step = (step * 7 + 13) % (40 * day) + 1;
            t += step;
        }
        for ms in at {
            let ts = Timestamp(ms);
            assert_eq!(ts.to_rfc3339(), ts.by_chrono(), "{ms}");
        }
    }

    #[test]
    fn formats_whole_seconds_without_fraction() {
        assert_eq!(
            Timestamp::from_secs(1_795_615_337).to_rfc3339(),
            "2026-11-25T14:02:17Z"
        );
        assert_eq!(
            Timestamp(1_795_615_337_532).to_rfc3339(),
            "2026-11-25T14:02:17.532Z"
        );
    }
}
