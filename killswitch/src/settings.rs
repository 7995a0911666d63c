//! The kill-switch's settings, from its environment variables: `DRY_RUN` (`true` reports what
//! would be done), `PROTECTED_PRINCIPALS` (comma-separated ARN patterns with `*`/`?`),
//! `KILLSWITCH_ROLE_ARN` (its own role, never touched), `RESULT_TOPIC_ARN` (where the result goes).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub dry_run: bool,
    pub protected: Vec<String>,
    pub own_role_arn: Option<String>,
    pub result_topic_arn: Option<String>,
}

/// Disarmed: a kill-switch must be armed on purpose.
impl Default for Settings {
    fn default() -> Self {
        Settings {
            dry_run: true,
            protected: Vec::new(),
            own_role_arn: None,
            result_topic_arn: None,
        }
    }
}

impl Settings {
    /// Read from `var` (the process environment in `main`, a map in tests). An unknown `DRY_RUN`
    /// value means dry run: a typo must not arm the kill-switch.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Settings {
        let nonempty = |k: &str| {
            var(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let dry_run = !matches!(
            nonempty("DRY_RUN")
                .map(|v| v.to_ascii_lowercase())
                .as_deref(),
            Some("false" | "0" | "no")
        );
        Settings {
            dry_run,
            protected: nonempty("PROTECTED_PRINCIPALS")
                .map(|v| {
                    v.split(',')
                        .map(|p| p.trim().to_string())
                        .filter(|p| !p.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            own_role_arn: nonempty("KILLSWITCH_ROLE_ARN"),
            result_topic_arn: nonempty("RESULT_TOPIC_ARN"),
        }
    }

    /// The first protected pattern matching one of `arns`.
    pub fn protected_match(&self, arns: &[&str]) -> Option<&str> {
        self.protected
            .iter()
            .find(|p| arns.iter().any(|a| glob_match(p, a)))
            .map(String::as_str)
    }
}

/// Case-sensitive wildcard match (ARNs are case-sensitive): `*` any run, `?` one character.
pub use trailcase_common::glob::matches as glob_match;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Settings {
        let m: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_vars(|k| m.get(k).cloned())
    }

    #[test]
    fn dry_run_unless_clearly_armed() {
        assert!(settings(&[]).dry_run);
        assert!(settings(&[("DRY_RUN", "ture")]).dry_run);
        assert!(!settings(&[("DRY_RUN", "False")]).dry_run);
    }

    #[test]
    fn protected_patterns_are_comma_separated_globs() {
        let s = settings(&[(
            "PROTECTED_PRINCIPALS",
            " arn:aws:iam::1:user/breakglass-* ,, arn:aws:iam::1:role/Admin",
        )]);
        assert_eq!(s.protected.len(), 2);
        assert!(s
            .protected_match(&["arn:aws:iam::1:user/breakglass-alice"])
            .is_some());
        assert!(s.protected_match(&["arn:aws:iam::1:user/alice"]).is_none());
        assert!(s.protected_match(&["arn:aws:iam::1:role/admin"]).is_none());
    }
}
