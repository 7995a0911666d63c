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
        let dt = chrono::DateTime::from_timestamp_millis(self.0).unwrap_or_default();
        if self.0.rem_euclid(1000) == 0 {
            dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        } else {
            dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
        }
    }
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
