//! Where an access falls among the recorded calls that changed what judges it: a flow's
//! pattern (`definitions`), flow 2's rule state (`state_at`), flow 1's alarm (`alarm_calls`).
//! CloudTrail's eventTime is to the second, so a call in the same second as an access is not
//! ordered with it: what was in force at the access is then unknown, said naming both
//! records, and the replay judges by what was in force before the call. One rule for all three.
//!
//! Pure.

use crate::model::Timestamp;

/// Where an access falls among the calls (in time order).
pub enum At<'c, T> {
    /// Before every call.
    BeforeAll,
    /// After call `n`, the last before the access, and in another second than any call.
    After(usize, &'c T),
    /// In the same second as `same` (the first such call); `before`: the last call before.
    SameSecond { before: Option<usize>, same: &'c T },
}

/// Where an access at `t` falls among `calls`, whose times `time` gives (in time order).
pub fn at<T>(calls: &[T], time: impl Fn(&T) -> Timestamp, t: Timestamp) -> At<'_, T> {
    let s = t.secs();
    let before = calls.iter().rposition(|c| time(c).secs() < s);
    match calls.iter().find(|c| time(c).secs() == s) {
        Some(same) => At::SameSecond { before, same },
        None => match before {
            Some(n) => At::After(n, &calls[n]),
            None => At::BeforeAll,
        },
    }
}

/// Why what was in force at `access` is unknown when `call` (its label) is in its second.
pub fn unordered(call: &str, access: &str) -> String {
    format!(
        "{call} is in the same second as this access ({access}), and CloudTrail's eventTime, to the second, does not show which came first"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_in_the_access_s_second_is_not_ordered_with_it() {
        let calls = [100_000i64, 200_000, 200_500];
        let time = |c: &i64| Timestamp(*c);
        let at_ms = |ms| at(&calls, time, Timestamp(ms));
        assert!(matches!(at_ms(50_000), At::BeforeAll));
        assert!(matches!(at_ms(150_000), At::After(0, _)));
        assert!(matches!(
            at_ms(200_900),
            At::SameSecond {
                before: Some(0),
                same: &200_000
            }
        ));
        assert!(matches!(at_ms(201_000), At::After(2, _)));
    }
}
