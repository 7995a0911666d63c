//! Rule 3 in any string: Spark's settings of an environment variable (`--conf
//! spark.executorEnv.DB_CONN=…` in a Glue job's `--conf` argument or an EMR step's
//! `spark-submit` arguments, `spark.yarn.appMasterEnv.…`, `spark.kubernetes.driverEnv.…`) set
//! a variable of the driver's or the executors' environment: its value is replaced, whatever the
//! variable's name, to the next blank, quote, `,`, `;` or `&` (a quoted value inside its quotes,
//! an unclosed one as a bare one); the setting and the name kept.
//!
//! Pure: no I/O.

use std::sync::LazyLock;

use super::{replaced_merged, REDACTED};

/// The settings whose suffix names an environment variable.
const SETTINGS: &[&str] = &[
    "spark.executorEnv.",
    "spark.yarn.appMasterEnv.",
    "spark.kubernetes.driverEnv.",
];

/// Rule 3: the value of every Spark environment setting in `s`.
pub(super) fn spark_environment(s: &str) -> Option<String> {
    static ENV: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"Env."));
    let mut spans = Vec::new();
    for i in ENV.find_iter(s.as_bytes()) {
        let at = i + "Env.".len();
        if !SETTINGS.iter().any(|p| s[..at].ends_with(p)) {
            continue;
        }
        let rest = &s[at..];
        let name = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if name == 0 || !rest[name..].starts_with('=') {
            continue;
        }
        let mut from = at + name + 1;
        let mut value = &s[from..];
        let len = match value.as_bytes().first() {
            // Quoted: inside its quotes (none when it does not close).
            Some(&q @ (b'"' | b'\'')) => {
                (from, value) = (from + 1, &value[1..]);
                value.find(q as char).unwrap_or_else(|| bare(value))
            }
            _ => bare(value),
        };
        if len > 0 && !value.starts_with(REDACTED) {
            spans.push((from, from + len));
        }
    }
    replaced_merged(s, spans)
}

/// The length of an unquoted value: to the next blank, quote, `,`, `;` or `&`.
fn bare(value: &str) -> usize {
    value
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '&'))
        .unwrap_or(value.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spark_environment_setting_loses_its_value() {
        for (text, want) in [
            (
                "spark.executorEnv.DB_CONN=postgres://h/db --conf spark.yarn.appMasterEnv.X='a'",
                Some("spark.executorEnv.DB_CONN=[REDACTED] --conf spark.yarn.appMasterEnv.X='[REDACTED]'"),
            ),
            ("spark.executorEnv.DB_CONN=[REDACTED]", None),
            ("spark.executorEnv.A=\"[REDACTED]\"", None),
            ("spark.executorEnv.A='unclosed x", Some("spark.executorEnv.A='[REDACTED] x")),
            ("spark.executorEnv.A='[REDACTED] x", None),
            ("spark.executor.memory=4g spark.executorEnv.=x", None),
            ("myEnv.X=1", None),
        ] {
            assert_eq!(spark_environment(text).as_deref(), want, "{text}");
        }
    }
}
