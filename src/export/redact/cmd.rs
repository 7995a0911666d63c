//! Rule 5's Windows `cmd` assignments to a secret-bearing environment variable (rule 1's names),
//! whose value the shell rules cut at its first space: `set "DB_PASSWORD=a b"` and `set
//! DB_PASSWORD=a b` (the value runs to the closing quote, or to the end of the command: `&`, `|`
//! or the line end), and `setx DB_PASSWORD "a b"` / `setx DB_PASSWORD a [/M]` (the next word,
//! inside its quotes). `setx`'s `/p PASSWORD` (the remote account's) is replaced whatever the
//! name. The value is replaced, the name kept. A value that only names another variable or an
//! argument (`%SECRET%`, `!SECRET!`, `%1`), `set /p` (a prompt), `set /a` (arithmetic) and `setx
//! NAME /k path` (read from the registry) are kept.
//!
//! A `set` is a command only where `cmd` would run one: at the start of a line, after `&`, `|`,
//! `(`, `@` or a quote, or after `/c`, `/k`, `do`, `else` or an `if` condition on its line. Elsewhere
//! it is prose (`then I ran set token=abc and it worked`): a quoted value is replaced inside its
//! quotes, the rest of the sentence kept; an unquoted one to the end of its command or line, as
//! `cmd` reads it (`set DB_PASSWORD=a b` sets `a b`): a value with a blank cannot be told from
//! the words after it, and a secret's second word must not be shown.
//!
//! Pure: no I/O.

use super::{holds, is_secret_text, replaced, Holds};

/// Rule 5: the value of every `set` or `setx` of a secret-bearing variable in `s`.
pub(super) fn assignments(s: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    let l = lower.as_bytes();
    let mut hits = memchr::memmem::find_iter(l, b"set").peekable();
    hits.peek()?;
    let b = s.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    // The end of the last command read: a `set` inside it is its text, not another command.
    let mut covered = 0;
    for at in hits {
        let starts_word = at == 0
            || b[at - 1].is_ascii_whitespace()
            || matches!(b[at - 1], b'&' | b'|' | b'(' | b'@' | b'"');
        if !starts_word || at < covered {
            continue;
        }
        let (setx, after) = match l.get(at + 3) {
            Some(b'x') => (true, at + 4),
            _ => (false, at + 3),
        };
        if !b.get(after).is_some_and(|&c| c == b' ' || c == b'\t') {
            continue;
        }
        let in_quotes = at > 0 && b[at - 1] == b'"';
        let end = match setx || in_quotes || runs_a_command(&lower, at) {
            true => command_end(b, after),
            false => prose_end(b, after),
        };
        covered = end;
        if setx {
            spans.extend(setx_secrets(s, after, end));
        } else {
            spans.extend(set_secret(s, after, end, in_quotes));
        }
    }
    (!spans.is_empty()).then(|| replaced(s, &spans))
}

/// Whether the `set` at `at` (of `lower`, the text lowercased) is where `cmd` would run a
/// command: first on its line or after `&`, `|`, `(`, `@`, or after `/c`, `/k`, `do`, `else`
/// (`cmd /c set …`, `for … do set …`), or in an `if`'s line (`if errorlevel 1 set …`).
fn runs_a_command(lower: &str, at: usize) -> bool {
    let b = lower.as_bytes();
    let from = b[..at]
        .iter()
        .rposition(|&c| matches!(c, b'&' | b'|' | b'(' | b'@' | b'\n' | b'\r'))
        .map_or(0, |p| p + 1);
    let before = lower[from..at].trim();
    let last = before.rsplit([' ', '\t']).next().unwrap_or("");
    before.is_empty() || matches!(last, "/c" | "/k" | "do" | "else") || before.starts_with("if ")
}

/// Where a value of a `set` in prose, its arguments at `from`, ends: a quoted value at its
/// closing quote, any other at the end of its command (`&`, `|`, the line end), as `cmd` would
/// read it: a blank does not end a value (`set DB_PASSWORD=a b` sets `a b`), so the words after
/// it may be the secret's.
fn prose_end(b: &[u8], from: usize) -> usize {
    let end = command_end(b, from);
    let mut i = from;
    while i < end && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    if b.get(i) == Some(&b'"') {
        return memchr::memchr(b'"', &b[i + 1..end]).map_or(end, |p| i + 1 + p + 1);
    }
    let Some(eq) = memchr::memchr(b'=', &b[i..end]).map(|p| i + p) else {
        return end;
    };
    if b.get(eq + 1) == Some(&b'"') {
        return memchr::memchr(b'"', &b[eq + 2..end]).map_or(end, |p| eq + 2 + p + 1);
    }
    end
}

/// Where the command going on at `from` ends: its `&`, `|`, or line end.
fn command_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| matches!(c, b'&' | b'|' | b'\n' | b'\r'))
        .map_or(b.len(), |p| from + p)
}

/// The secret of `set NAME=value` or `set "NAME=value"` whose arguments are at `from..end`
/// (`in_quotes`: the whole command is quoted, `cmd /c "set NAME=value"`).
fn set_secret(s: &str, from: usize, end: usize, in_quotes: bool) -> Option<(usize, usize)> {
    let text = &s[from..end];
    let args = text.trim_start_matches([' ', '\t']);
    let at = from + text.len() - args.len();
    let (quoted, body) = match args.strip_prefix('"') {
        Some(rest) => (true, rest),
        None => (false, args),
    };
    let eq = body.find('=')?;
    let name = &body[..eq];
    if name.is_empty()
        || !name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"_-.".contains(&c))
    {
        return None;
    }
    let h = holds(name)?;
    let value_from = at + usize::from(quoted) + eq + 1;
    let value = &s[value_from..end];
    let (skip, value) = match quoted {
        true => (0, value.find('"').map_or(value, |q| &value[..q])),
        false if in_quotes => (0, value.rfind('"').map_or(value, |q| &value[..q])),
        // `set NAME="a b"`: inside the quotes, which stay (in prose they end the value).
        false => {
            let v = value.trim_end();
            match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                Some(inner) => (1, inner),
                None => (0, v),
            }
        }
    };
    let value_from = value_from + skip;
    (is_secret_text(value, h) && !names_another(value))
        .then_some((value_from, value_from + value.len()))
}

/// Whether a value only names another variable or an argument (`%SECRET%`, `!SECRET!`, `%1`).
fn names_another(value: &str) -> bool {
    let v = value.as_bytes();
    let name = |inner: &[u8]| {
        !inner.is_empty()
            && inner
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
    };
    match v {
        [b'%', d] | [b'%', b'~', d] => d.is_ascii_digit() || *d == b'*',
        [q @ (b'%' | b'!'), inner @ .., last] if last == q => name(inner),
        _ => false,
    }
}

/// The words of `s[from..end]` as `cmd` splits them: at blanks, a quoted part kept whole.
fn words(s: &str, from: usize, end: usize) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = from;
    while i < end {
        if b[i] == b' ' || b[i] == b'\t' {
            i += 1;
            continue;
        }
        let start = i;
        while i < end && b[i] != b' ' && b[i] != b'\t' {
            if b[i] == b'"' {
                i = memchr::memchr(b'"', &b[i + 1..end]).map_or(end, |p| i + 1 + p);
            }
            i = (i + 1).min(end);
        }
        out.push((start, i));
    }
    out
}

/// The text of a word without the quotes around it (an unclosed one runs to the end).
fn unquoted(s: &str, (from, to): (usize, usize)) -> (usize, usize) {
    let w = &s[from..to];
    let Some(inner) = w.strip_prefix('"') else {
        return (from, to);
    };
    let inner = inner.strip_suffix('"').unwrap_or(inner).trim_end();
    (from + 1, from + 1 + inner.len())
}

/// Whether a word of `setx` is a value to replace: secret text, no quote left in it (its
/// quoting is then unclear), not a reference to another variable.
fn is_setx_secret(v: &str, h: Holds) -> bool {
    is_secret_text(v, h) && !v.contains('"') && !names_another(v)
}

/// The secrets of `setx [/s host [/u user [/p PASSWORD]]] NAME VALUE [/m]` whose arguments are at
/// `from..end`: the value (when `NAME` is secret-bearing) and `/p`'s password.
fn setx_secrets(s: &str, from: usize, end: usize) -> Vec<(usize, usize)> {
    let words = words(s, from, end);
    let mut spans = Vec::new();
    let mut plain: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (f, t) = unquoted(s, words[i]);
        let word = &s[f..t];
        if s[words[i].0..].starts_with('/') {
            match word.to_ascii_lowercase().as_str() {
                "/s" | "/u" => i += 1,
                "/p" => {
                    if let Some(&next) = words.get(i + 1) {
                        let (pf, pt) = unquoted(s, next);
                        if !s[next.0..].starts_with('/')
                            && is_setx_secret(&s[pf..pt], Holds::Secret)
                        {
                            spans.push((pf, pt));
                        }
                    }
                    i += 1;
                }
                "/m" => {}
                // `/k` (a registry value), `/f` (a file): the value is not written here.
                _ => return spans,
            }
        } else {
            plain.push((f, t));
        }
        i += 1;
    }
    if let [name, value, ..] = plain[..] {
        let v = &s[value.0..value.1];
        if let Some(h) = holds(&s[name.0..name.1]) {
            if is_setx_secret(v, h) {
                spans.push(value);
            }
        }
    }
    spans.sort_unstable();
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(s: &str) -> String {
        assignments(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn set_and_setx_of_a_secret_variable_lose_the_whole_value() {
        let cases = [
            (
                "set \"DB_PASSWORD=p 1\" & echo done",
                "set \"DB_PASSWORD=[REDACTED]\" & echo done",
            ),
            (
                "@SET API_TOKEN=p 2 \r\nset PATH=C:\\bin;%PATH%",
                "@SET API_TOKEN=[REDACTED] \r\nset PATH=C:\\bin;%PATH%",
            ),
            (
                "setx DB_PASSWORD \"p 3\" /M && setx GITHUB_TOKEN p4",
                "setx DB_PASSWORD \"[REDACTED]\" /M && setx GITHUB_TOKEN [REDACTED]",
            ),
            (
                "setx /s host /u admin /p p5 DB_PASSWORD p6",
                "setx /s host /u admin /p [REDACTED] DB_PASSWORD [REDACTED]",
            ),
            (
                "cmd /c \"set DB_PASSWORD=[REDACTED] p7\"",
                "cmd /c \"set DB_PASSWORD=[REDACTED]\"",
            ),
        ];
        for (from, to) in cases {
            assert_eq!(scrubbed(from), to, "{from}");
        }
        for kept in [
            "set PATH=C:\\a b;%PATH% & setx JAVA_HOME \"C:\\Program Files\\java\"",
            "set DB_PASSWORD=%1 & set API_TOKEN=!TOKEN! & setx DB_PASSWORD %SECRET%",
            "set /p DB_PASSWORD=Enter the password: & set /a MAX_TOKENS=5",
            "setx DB_PASSWORD /k HKLM\\Software\\App\\Pw",
            "aws configure set region us-east-1; reset DB_PASSWORD=x y; offset x",
            "setx MAX_TOKENS 512 && set \"DB_PASSWORD=[REDACTED]\"",
        ] {
            assert_eq!(scrubbed(kept), kept);
        }
        // In prose a value is replaced inside its quotes, or to the end of its command or line.
        let prose = [
            (
                "then I ran set token=p8 and the deploy went fine",
                "then I ran set token=[REDACTED]",
            ),
            (
                "echo set DB_PASSWORD=a p8b & echo done\nnext line",
                "echo set DB_PASSWORD=[REDACTED] & echo done\nnext line",
            ),
            (
                "the job did set \"DB_PASSWORD=p 9\" then failed; see set API_TOKEN=\"p 10\" too",
                "the job did set \"DB_PASSWORD=[REDACTED]\" then failed; see set API_TOKEN=\"[REDACTED]\" too",
            ),
            (
                "cmd /c set API_TOKEN=p 11 & if errorlevel 1 set DB_PASSWORD=p 12\nfor %%a in (x) do set API_TOKEN=p 13",
                "cmd /c set API_TOKEN=[REDACTED] & if errorlevel 1 set DB_PASSWORD=[REDACTED]\nfor %%a in (x) do set API_TOKEN=[REDACTED]",
            ),
        ];
        for (from, to) in prose {
            assert_eq!(scrubbed(from), to, "{from}");
        }
        // A quoted value in prose keeps its quotes: they end it, on a second reading too.
        let once = scrubbed("/p SET DB_PASSWORD=\"x\"set ");
        assert_eq!(once, "/p SET DB_PASSWORD=\"[REDACTED]\"set ");
        assert_eq!(scrubbed(&once), once);
        // A `setx` inside another's quoted word is that word's text, whatever was replaced.
        let once = scrubbed("setx \"setx /p set \"/p /p %");
        assert_eq!(scrubbed(&once), once);
    }

    proptest::proptest! {
        /// Whatever the text, scrubbing does not panic and finds nothing more in what it wrote.
        #[test]
        fn scrubbing_is_total_and_settles(
            text in "(set |setx |SET |DB_PASSWORD|=|/p |/k |%|!|é|\"|[ &|\r\n])*"
        ) {
            let once = scrubbed(&text);
            proptest::prop_assert_eq!(scrubbed(&once), once.clone());
        }
    }
}
