//! Rule 5's configuration lines in free text a person or a tool wrote: `password: x` in YAML,
//! `db_password = x` in INI or a properties file, `Password: "x"`, a YAML block `privateKey: |`
//! or a value on the lines below `password:`, a flow list spread over lines (`passwords: [` …
//! `]`), and a CloudFormation parameter's `Default` beside `NoEcho: true`. The value is
//! replaced, the name kept: a responder still sees that a password was set, and where.
//!
//! Exact by construction: a name is secret-bearing only by rule 1 ([`holds`]) and starts its
//! line (a newline real or written `\n`: [`super::lines`]). Pure: no I/O.

use super::lines::{bare_len, has_escaped_breaks, lines};
use super::{holds, is_secret_text, replaced, Holds, REDACTED};

/// Rule 5: the value of every configuration line `name: value` (YAML) or `name = value` (INI, a
/// properties file; `name=value` without spaces is an assignment, rule 5's own) whose name, at
/// the start of its line (a newline real or written `\n`: [`lines`]), is secret-bearing: to the
/// end of the line, inside the quotes when quoted (`\"…\"` too); the lines of a YAML block (`key:
/// |`) below it, or of a plain value under `key:` alone on its line; a flow list or mapping
/// spread over lines (`passwords: [` … `]`) to its closing bracket. A CloudFormation reference
/// (`!Ref DbPassword`, `!GetAtt`, `!ImportValue`) names where the value comes from and is kept.
pub(super) fn config_lines(s: &str) -> Option<String> {
    let b = s.as_bytes();
    memchr::memchr2(b':', b'=', b)?;
    let lines = lines(s);
    let escaped = has_escaped_breaks(s);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for n in 0..lines.len() {
        if spans.last().is_none_or(|&(_, to)| to <= lines[n].0) {
            if let Some(span) = config_line(s, &lines, n, escaped) {
                spans.push(span);
            }
        }
    }
    (!spans.is_empty()).then(|| replaced(s, &spans))
}

/// The secret of the configuration line `lines[n]` of `s` (see [`config_lines`]; `escaped`: `s`
/// has escaped line breaks, a bare value ends at an unescaped `"`).
fn config_line(
    s: &str,
    lines: &[(usize, usize)],
    n: usize,
    escaped: bool,
) -> Option<(usize, usize)> {
    let (line, end) = lines[n];
    let b = s.as_bytes();
    let blank = |c: u8| c == b' ' || c == b'\t';
    let skip = |mut i: usize| {
        while i < end && blank(b[i]) {
            i += 1;
        }
        i
    };
    let indent = skip(line);
    let mut i = indent;
    if b[i..end].starts_with(b"- ") {
        i = skip(i + 2);
    }
    let quote = b.get(i).copied().filter(|&c| c == b'"' || c == b'\'');
    let name_from = i + usize::from(quote.is_some());
    let mut name_to = name_from;
    while name_to < end && (b[name_to].is_ascii_alphanumeric() || b"_-.".contains(&b[name_to])) {
        name_to += 1;
    }
    i = name_to;
    if let Some(q) = quote {
        if b.get(i) != Some(&q) {
            return None;
        }
        i += 1;
    }
    if name_to == name_from || !b[name_from].is_ascii_alphabetic() && b[name_from] != b'_' {
        return None;
    }
    let spaced = skip(i) > i;
    i = skip(i);
    match b[..end].get(i) {
        Some(b':') if i + 1 == end || blank(b[i + 1]) => {}
        // `NAME=value` without spaces is the assignments' (to the next space, `&`, `;`, ...).
        Some(b'=') if spaced || b.get(i + 1).copied().is_some_and(blank) => {}
        _ => return None,
    }
    let name = &s[name_from..name_to];
    let h = match holds(name) {
        Some(h) => h,
        None if name == "Default" && no_echo_beside(s, line, indent - line) => Holds::Secret,
        None => return None,
    };
    let from = skip(i + 1);
    let mut to = end;
    while to > from && b[to - 1].is_ascii_whitespace() {
        to -= 1;
    }
    let value = &s[from..to];
    if ["!Ref ", "!GetAtt ", "!ImportValue "]
        .iter()
        .any(|r| value.starts_with(r))
    {
        return None;
    }
    if b[i] == b':' && (is_block_indicator(value) || value.is_empty() && plain_below(s, lines, n)) {
        return block(s, lines, n, indent - line);
    }
    // What an earlier reading wrote (`"p": [REDACTED],` of a flow mapping spread over lines):
    // the marker ends the secret, not the text after it.
    if value.starts_with(REDACTED) {
        return None;
    }
    if value.starts_with(['[', '{']) {
        let close = flow_end(b, from);
        if close > to {
            return Some((from, close));
        }
    }
    let (from, to) = match value.as_bytes() {
        [b'\\', q @ (b'"' | b'\''), ..] => {
            let close = [b'\\', *q];
            let f = from + 2;
            (
                f,
                memchr::memmem::find(&b[f..to], &close).map_or(to, |p| f + p),
            )
        }
        [q @ (b'"' | b'\''), ..] => {
            let close = memchr::memchr(*q, &b[from + 1..to]).map_or(to, |p| from + 1 + p);
            (from + 1, close)
        }
        _ => {
            let bare = s[from..from + bare_len(&s[from..to], escaped)].trim_end();
            (from, from + bare.len())
        }
    };
    is_secret_text(&s[from..to], h).then_some((from, to))
}

/// Whether the first line with text below `lines[n]` is deeper and holds a plain value, not a
/// list item nor a mapping's key (`password:` alone, then `  s3cr3t` below it).
fn plain_below(s: &str, lines: &[(usize, usize)], n: usize) -> bool {
    let indent = |(f, t): (usize, usize)| s[f..t].len() - s[f..t].trim_start().len();
    let Some(&next) = lines[n + 1..]
        .iter()
        .find(|&&(f, t)| !s[f..t].trim().is_empty())
    else {
        return false;
    };
    let text = s[next.0..next.1].trim();
    indent(next) > indent(lines[n])
        && !(text == "-" || text.starts_with("- ") || text.starts_with('#'))
        && !(text.ends_with(':') || text.contains(": "))
}

/// Where the flow list or mapping opening at `open` ends: after its matching bracket (brackets
/// inside quotes not counted), or the end of `b`.
fn flow_end(b: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            q @ (b'"' | b'\'') => {
                i = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |p| i + 1 + p);
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// Whether the YAML mapping holding the line at `line` (indented by `indent`) has `NoEcho: true`
/// (a CloudFormation parameter whose `Default` the template keeps from view): a line of the same
/// indentation above or below it, within the lines indented at least as deep.
fn no_echo_beside(s: &str, line: usize, indent: usize) -> bool {
    let is_no_echo = |l: &str| {
        let l = l.trim_end();
        l.len() > indent
            && l.as_bytes()[..indent].iter().all(|&c| c == b' ')
            && matches!(
                l[indent..].strip_prefix("NoEcho:").map(str::trim),
                Some("true" | "\"true\"" | "'true'" | "True")
            )
    };
    let inside = |l: &str| {
        let text = l.trim_start();
        text.is_empty() || l.len() - text.len() >= indent
    };
    let (before, after) = (&s[..line], &s[line..]);
    before
        .lines()
        .rev()
        .take_while(|l| inside(l))
        .any(is_no_echo)
        || after
            .lines()
            .skip(1)
            .take_while(|l| inside(l))
            .any(is_no_echo)
}

/// Whether a YAML value is a block scalar's header (`|`, `>-`, `|2`): the value is on the lines
/// below.
fn is_block_indicator(value: &str) -> bool {
    value.starts_with(['|', '>'])
        && value[1..]
            .bytes()
            .all(|c| matches!(c, b'-' | b'+' | b'1'..=b'9'))
}

/// The lines of a YAML block below `lines[n]`: those indented deeper than `indent` (blank lines
/// among them too), from the first one's text to the last one's end.
pub(super) fn block(
    s: &str,
    lines: &[(usize, usize)],
    n: usize,
    indent: usize,
) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let (mut from, mut to) = (None, None);
    for &(line, end) in &lines[n + 1..] {
        let text = b[line..end]
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .map(|p| line + p);
        match text {
            None => {}
            Some(t) if t - line > indent => {
                from.get_or_insert(t);
                to = Some(end);
            }
            Some(_) => break,
        }
    }
    from.zip(to)
        .filter(|(f, t)| f < t && &s[*f..*t] != REDACTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(s: &str, scrub: fn(&str) -> Option<String>) -> String {
        scrub(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn configuration_lines_lose_their_secrets_and_keep_everything_else() {
        let template = "Resources:\n  DB:\n    Properties:\n      MasterUsername: admin\n      \
                        password: s3cr3t\n      Password: \"s3 cr3t\" \n      \
                        MasterUserPassword: !Ref DbPassword\n      \
                        Description: the password: rotated daily\n      PasswordLength: 16\n\
                        [client]\ndb_password = s3cr3t\nuser = admin\n- token: t1\n\
                        PrivateKey: |\n  -----BEGIN KEY-----\n  abc\n\n  def\nNext: x\n\
                        maxTokens: 512\nAWS::Region: x\n";
        assert_eq!(
            scrubbed(template, config_lines),
            "Resources:\n  DB:\n    Properties:\n      MasterUsername: admin\n      \
             password: [REDACTED]\n      Password: \"[REDACTED]\" \n      \
             MasterUserPassword: !Ref DbPassword\n      \
             Description: the password: rotated daily\n      PasswordLength: 16\n\
             [client]\ndb_password = [REDACTED]\nuser = admin\n- token: [REDACTED]\n\
             PrivateKey: |\n  [REDACTED]\nNext: x\nmaxTokens: 512\nAWS::Region: x\n"
        );
        for kept in [
            "password:",
            "see password:x",
            "the token: expired",
            "password: [REDACTED]",
        ] {
            assert_eq!(scrubbed(kept, config_lines), kept);
        }
    }

    #[test]
    fn configuration_lines_spread_over_lines_or_escaped_lose_their_secrets() {
        let cases = [
            (
                "echo 'db:\\n  password: p1\\n  user: admin'",
                "echo 'db:\\n  password: [REDACTED]\\n  user: admin'",
            ),
            (
                "body={\"cfg\": \"db:\\n  password: p2\"} 200",
                "body={\"cfg\": \"db:\\n  password: [REDACTED]\"} 200",
            ),
            (
                "printf \"db:\\n  token: \\\"p 3\\\"\\n\"",
                "printf \"db:\\n  token: \\\"[REDACTED]\\\"\\n\"",
            ),
            (
                "passwords: [\n  p4,\n  p5\n]\nuser: admin\n",
                "passwords: [REDACTED]\nuser: admin\n",
            ),
            (
                "db_password:\n  p6\n  p7\nuser: admin\n",
                "db_password:\n  [REDACTED]\nuser: admin\n",
            ),
        ];
        for (from, to) in cases {
            assert_eq!(scrubbed(from, config_lines), to, "{from}");
        }
        for kept in [
            "secrets:\n  db: x\n",
            "passwords:\n  - a\n",
            "password: [a, b",
        ] {
            assert_eq!(
                scrubbed(kept, config_lines),
                kept.replace("[a, b", "[REDACTED]")
            );
        }
    }

    #[test]
    fn a_no_echo_parameters_default_is_redacted_others_kept() {
        let template = "Parameters:\n  DbPass:\n    Type: String\n    Default: s3cr3t\n    \
                        NoEcho: true\n  Env:\n    Type: String\n    Default: prod\n";
        assert_eq!(
            scrubbed(template, config_lines),
            "Parameters:\n  DbPass:\n    Type: String\n    Default: [REDACTED]\n    \
             NoEcho: true\n  Env:\n    Type: String\n    Default: prod\n"
        );
    }

    proptest::proptest! {
        /// Whatever the text, scrubbing does not panic, keeps what it does not replace, and
        /// finds nothing more in what it wrote.
        #[test]
        fn scrubbing_is_total_and_settles(
            text in "(password|token|-p|--token|mysql|sshpass|curl|-u|a:b|é|Default: |NoEcho: true|\\\\n|\\\\\"|[ :=|>\"'\n\t;&{},-])*"
        ) {
            let once = scrubbed(&text, config_lines);
            proptest::prop_assert_eq!(scrubbed(&once, config_lines), once.clone());
            proptest::prop_assert!(once == text || once.contains(REDACTED));
        }
    }
}
