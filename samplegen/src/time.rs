//! UTC instants as epoch seconds and the text forms AWS uses for them.
//!
//! CloudTrail `eventTime` (`...Z`), CLI v2 timestamps (`...+00:00`, microseconds when non-zero),
//! CloudWatch's Java-style `...+0000`, alarm reasons (`dd/MM/yy HH:mm:ss`) and STS expirations
//! (`Nov 20, 2026, 3:59:30 PM`). Pure functions, no clock.

/// Seconds since the Unix epoch, UTC.
pub type Epoch = i64;

pub const MINUTE: Epoch = 60;
pub const HOUR: Epoch = 3600;
pub const DAY: Epoch = 86_400;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date of a day count (`civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// The instant of a UTC civil time.
pub fn at(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> Epoch {
    days_from_civil(y, mo, d) * DAY + h * HOUR + mi * MINUTE + s
}

/// Broken-down UTC time.
pub struct Civil {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

pub fn civil(t: Epoch) -> Civil {
    let (year, month, day) = civil_from_days(t.div_euclid(DAY));
    let s = t.rem_euclid(DAY);
    Civil {
        year,
        month,
        day,
        hour: s / HOUR,
        minute: s % HOUR / MINUTE,
        second: s % MINUTE,
    }
}

/// `2026-11-20T14:02:17Z` (CloudTrail eventTime, STS creationDate).
pub fn iso_z(t: Epoch) -> String {
    let c = civil(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// `2026-11-20T14:02:17+00:00`, or with `.532000` when `millis` is non-zero (AWS CLI v2 output).
pub fn cli(t: Epoch, millis: u32) -> String {
    let c = civil(t);
    let frac = if millis == 0 {
        String::new()
    } else {
        format!(".{:06}", millis * 1000)
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{frac}+00:00",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// `2026-11-20T14:05:21.532+0000` (CloudWatch HistoryData and SNS alarm messages).
pub fn cw(t: Epoch, millis: u32) -> String {
    let c = civil(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{millis:03}+0000",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// `20/11/26 14:02:00` (datapoint times inside alarm state reasons).
pub fn alarm_reason(t: Epoch) -> String {
    let c = civil(t);
    format!(
        "{:02}/{:02}/{:02} {:02}:{:02}:{:02}",
        c.day,
        c.month,
        c.year % 100,
        c.hour,
        c.minute,
        c.second
    )
}

/// `Nov 20, 2026, 3:59:30 PM` (STS credential expiration inside CloudTrail responseElements).
pub fn java(t: Epoch) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = civil(t);
    let (h12, ampm) = match c.hour {
        0 => (12, "AM"),
        1..=11 => (c.hour, "AM"),
        12 => (12, "PM"),
        h => (h - 12, "PM"),
    };
    format!(
        "{} {}, {}, {}:{:02}:{:02} {}",
        MONTHS[(c.month - 1) as usize],
        c.day,
        c.year,
        h12,
        c.minute,
        c.second,
        ampm
    )
}

/// `20261120T1407Z` (the time part of a trail file name).
pub fn compact_minute(t: Epoch) -> String {
    let c = civil(t);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute
    )
}

/// Milliseconds since the epoch.
pub fn epoch_ms(t: Epoch, millis: u32) -> i64 {
    t * 1000 + i64::from(millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_incident_instant() {
        let t = at(2026, 11, 20, 14, 2, 17);
        assert_eq!(iso_z(t), "2026-11-20T14:02:17Z");
        assert_eq!(cli(t, 0), "2026-11-20T14:02:17+00:00");
        assert_eq!(cli(t, 532), "2026-11-20T14:02:17.532000+00:00");
        assert_eq!(cw(t, 5), "2026-11-20T14:02:17.005+0000");
        assert_eq!(alarm_reason(t), "20/11/26 14:02:17");
        assert_eq!(
            java(at(2026, 11, 20, 15, 59, 30)),
            "Nov 20, 2026, 3:59:30 PM"
        );
        assert_eq!(compact_minute(t), "20261120T1402Z");
        assert_eq!(
            iso_z(at(2024, 2, 29, 0, 0, 0) + DAY),
            "2024-03-01T00:00:00Z"
        );
        assert_eq!(at(1970, 1, 1, 0, 0, 0), 0);
    }
}
