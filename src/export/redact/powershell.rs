//! Rule 5's PowerShell environment assignments, whose secret the shell rules miss (spaces around
//! `=`, a `$` before the name): `$env:NAME = "value"` (any case of `env`, either quote, also
//! `${env:NAME} = …`) and `[Environment]::SetEnvironmentVariable("NAME", "value"[, "User"])`,
//! when `NAME` is secret-bearing by rule 1 (`$env:AWS_SECRET_ACCESS_KEY`, `DB_PASSWORD`). The
//! value is replaced, the name kept. A value that is an expression (`$secret`, `(Get-Secret
//! …)`, `$null`) names where the secret comes from and is kept, as is every read of a variable
//! (`Write-Output $env:PATH`, `$env:DB_PASSWORD -eq ''`). A write to the `Env:` drive is one
//! too: `Set-Item Env:DB_PASSWORD -Value x`, `Set-Item -Path Env:\DB_PASSWORD "x y"` (the value
//! positional), `New-Item -Path Env: -Name DB_PASSWORD -Value x`, `Set-Content` and the aliases
//! `si`, `ni`, `sc`; `Get-Item Env:DB_PASSWORD`, `Remove-Item` kept. Its quoted value is
//! replaced whole, whatever it holds (blanks, `;`, parentheses, the other quote, a doubled
//! quote), also when the path is quoted, the value is `-Value:'…'`, on the next line after a
//! backtick, or the command is inside a quoted `powershell -Command "…"`.
//!
//! Pure: no I/O.

use super::{holds, is_secret_text, replaced_merged};

/// Rule 5: the value of every PowerShell assignment to a secret-bearing environment variable.
pub(super) fn environment_assignments(s: &str) -> Option<String> {
    let b = s.as_bytes();
    memchr::memchr2(b'$', b':', b)?;
    let lower = s.to_ascii_lowercase();
    let l = lower.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for at in memchr::memmem::find_iter(l, b"env:") {
        let braced = at >= 2 && &l[at - 2..at] == b"${";
        if !(braced || at >= 1 && l[at - 1] == b'$') {
            continue;
        }
        let name_from = at + 4;
        let mut name_to = name_from;
        while name_to < b.len() && (b[name_to].is_ascii_alphanumeric() || b[name_to] == b'_') {
            name_to += 1;
        }
        let mut i = name_to;
        if braced {
            if b.get(i) != Some(&b'}') {
                continue;
            }
            i += 1;
        }
        i = skip_blanks(b, i);
        if b.get(i) != Some(&b'=') || b.get(i + 1) == Some(&b'=') {
            continue;
        }
        spans.extend(secret_value(
            s,
            &s[name_from..name_to],
            skip_blanks(b, i + 1),
        ));
    }
    for at in memchr::memmem::find_iter(l, b"setenvironmentvariable") {
        let mut i = skip_blanks(b, at + 22);
        if b.get(i) != Some(&b'(') {
            continue;
        }
        i = skip_blanks(b, i + 1);
        let Some((name_from, name_to)) = quoted(b, i) else {
            continue;
        };
        i = skip_blanks(b, name_to + 1);
        if b.get(i) != Some(&b',') {
            continue;
        }
        spans.extend(secret_value(
            s,
            &s[name_from..name_to],
            skip_blanks(b, i + 1),
        ));
    }
    if memchr::memmem::find(l, b"env:").is_some() {
        let mut list = Vec::new();
        statements(b, 0, b.len(), &mut list);
        spans.extend(list.iter().filter_map(|words| provider_write(s, words)));
    }
    // One value may hold another assignment: the outer span takes the inner one in.
    replaced_merged(s, spans)
}

/// The cmdlets that write an item of the `Env:` drive: `Set-Item`, `New-Item`, `Set-Content`
/// and their aliases.
const ENV_WRITERS: &[&str] = &["set-item", "si", "new-item", "ni", "set-content", "sc"];

/// The secret of a write to the `Env:` drive, one statement's `words`: `Set-Item Env:NAME
/// -Value "v"`, `Set-Item -Path Env:\NAME v` (the value positional, after the path), `-Value:v`,
/// `New-Item -Path Env: -Name NAME -Value v`, when `NAME` is secret-bearing. A quoted value is
/// replaced inside its quotes whatever it holds (`'a;b'`, `"it's"`, `'it''s'`), to the end of
/// the text when its quote is not closed.
fn provider_write(s: &str, words: &[(usize, usize)]) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let command = words.first().map(|&(f, t)| s[f..t].to_ascii_lowercase())?;
    if !ENV_WRITERS.contains(&command.as_str()) {
        return None;
    }
    let unquoted = |(f, t): (usize, usize)| match b[f] {
        q @ (b'"' | b'\'') if t > f + 1 && b[t - 1] == q => (f + 1, t - 1),
        b'"' | b'\'' => (f + 1, t),
        _ => (f, t),
    };
    let path = words.iter().position(|&w| {
        let (f, t) = unquoted(w);
        t >= f + 4 && s[f..f + 4].eq_ignore_ascii_case("env:")
    })?;
    let (path_from, path_to) = unquoted(words[path]);
    // A parameter by a prefix of its name (`-Va`), its value the next word or after a colon.
    let named = |long: &str| {
        words.iter().enumerate().find_map(|(i, &(f, t))| {
            let w = s[f..t].to_ascii_lowercase();
            let (param, inline) = match w.find(':') {
                Some(c) => (&w[..c], Some(f + c + 1)),
                None => (w.as_str(), None),
            };
            (param.len() >= 3 && param.starts_with('-') && long.starts_with(param))
                .then_some((i, inline))
        })
    };
    let mut name_from = path_from + 4;
    if matches!(b.get(name_from), Some(b'\\' | b'/')) && name_from < path_to {
        name_from += 1;
    }
    let mut name_to = name_from;
    while name_to < path_to && (b[name_to].is_ascii_alphanumeric() || b[name_to] == b'_') {
        name_to += 1;
    }
    let name = match (name_from == name_to, named("-name")) {
        (false, _) => &s[name_from..name_to],
        (true, Some((n, inline))) => match inline {
            Some(f) => s[f..words[n].1].trim_matches(['"', '\'']),
            None => {
                let &(f, t) = words.get(n + 1)?;
                s[f..t].trim_matches(['"', '\''])
            }
        },
        (true, None) => return None,
    };
    let value = match named("-value") {
        Some((_, Some(inline))) => inline,
        Some((v, None)) => words.get(v + 1)?.0,
        None => words
            .get(path + 1)
            .filter(|&&(f, _)| b[f] != b'-')
            .map(|&(f, _)| f)?,
    };
    let quoted_value = matches!(b.get(value), Some(b'"' | b'\''));
    // The value ends with its word: a `{` or `;` after it is the next statement's.
    let word_end = words
        .iter()
        .find(|&&(f, t)| f <= value && value < t)
        .map_or(b.len(), |&(_, t)| t);
    let (f, t) = secret_value(s, name, value)?;
    let t = t.min(word_end);
    // A quote inside a bare value would change the words once it is replaced.
    (f < t && (quoted_value || !s[f..t].contains(['"', '\'']))).then_some((f, t))
}

/// The statements of `b[from..to]` as PowerShell splits them, each a list of its words: words
/// split at blanks (a quoted string kept whole, a backtick escaping the next character, a
/// backtick before a line end joining the lines), statements at `;`, `|`, a line end, a brace or
/// a parenthesis outside quotes. The inside of a quoted word that names `env:` (`powershell
/// -Command "Set-Item Env:…"`) is read as statements too.
fn statements(b: &[u8], from: usize, to: usize, out: &mut Vec<Vec<(usize, usize)>>) {
    let ends = |c: u8| matches!(c, b';' | b'|' | b'\n' | b'{' | b'}' | b'(' | b')');
    let mut words = Vec::new();
    let mut i = from;
    while i < to {
        let c = b[i];
        if c == b'`' && matches!(b.get(i + 1), Some(b'\n' | b'\r')) {
            i += 2;
            continue;
        }
        if ends(c) {
            if !words.is_empty() {
                out.push(std::mem::take(&mut words));
            }
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < to && !b[i].is_ascii_whitespace() && !ends(b[i]) {
            match b[i] {
                b'"' | b'\'' => {
                    let (inner, close) = quoted_within(b, i, to);
                    let names_env = b[inner..close]
                        .windows(4)
                        .any(|w| w.eq_ignore_ascii_case(b"env:"));
                    if names_env {
                        statements(b, inner, close, out);
                    }
                    i = (close + 1).min(to);
                }
                b'`' => i = (i + 2).min(to),
                _ => i += 1,
            }
        }
        words.push((start, i));
    }
    if !words.is_empty() {
        out.push(words);
    }
}

/// The text inside the quoted string whose opening quote is at `at`, within `..to`: from after
/// the quote to its closing quote (see [`quoted`]) or `to`.
fn quoted_within(b: &[u8], at: usize, to: usize) -> (usize, usize) {
    let q = b[at];
    let mut i = at + 1;
    while i < to {
        match b[i] {
            b'`' => i += 2,
            c if c == q && i + 1 < to && b[i + 1] == q => i += 2,
            c if c == q => break,
            _ => i += 1,
        }
    }
    (at + 1, i.min(to))
}

/// The secret of the value starting at `from` assigned to the variable `name`: a quoted string
/// (inside its quotes) or a bare word; `None` for an expression, or when `name` is no secret's.
fn secret_value(s: &str, name: &str, from: usize) -> Option<(usize, usize)> {
    let h = holds(name)?;
    let b = s.as_bytes();
    let (from, to) = match b.get(from)? {
        b'"' | b'\'' => quoted(b, from)?,
        b'$' | b'(' | b'[' | b'@' | b'{' => return None,
        _ => {
            let to = b[from..]
                .iter()
                .position(|&c| c.is_ascii_whitespace() || matches!(c, b';' | b'|' | b')' | b'}'))
                .map_or(b.len(), |p| from + p);
            (from, to)
        }
    };
    is_secret_text(&s[from..to], h).then_some((from, to))
}

/// The text inside the quoted string whose opening quote is at `at`: to its closing quote (a
/// backtick escapes a quote in PowerShell, as does a doubled quote), or the end of `b`.
fn quoted(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let q = *b.get(at).filter(|&&c| c == b'"' || c == b'\'')?;
    let mut i = at + 1;
    while i < b.len() {
        match b[i] {
            b'`' => i += 2,
            c if c == q && b.get(i + 1) == Some(&q) => i += 2,
            c if c == q => break,
            _ => i += 1,
        }
    }
    Some((at + 1, i.min(b.len())))
}

/// The first byte at or after `i` that is not a space or a tab.
fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(s: &str) -> String {
        environment_assignments(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn secret_environment_assignments_lose_their_values_and_keep_their_names() {
        let cases = [
            (
                "$env:AWS_SECRET_ACCESS_KEY = \"p1\"; $Env:DB_PASSWORD='p 2'",
                "$env:AWS_SECRET_ACCESS_KEY = \"[REDACTED]\"; $Env:DB_PASSWORD='[REDACTED]'",
            ),
            (
                "${env:API_TOKEN} = 'it''s p3'\n$ENV:DB_PWD = p4; x",
                "${env:API_TOKEN} = '[REDACTED]'\n$ENV:DB_PWD = [REDACTED]; x",
            ),
            (
                "[Environment]::SetEnvironmentVariable(\"DB_PASSWORD\", \"x `\" y\", 'Machine')",
                "[Environment]::SetEnvironmentVariable(\"DB_PASSWORD\", \"[REDACTED]\", 'Machine')",
            ),
            (
                "$env:DB_PASSWORD = \"[Environment]::SetEnvironmentVariable('API_TOKEN', 'p6')\"",
                "$env:DB_PASSWORD = \"[REDACTED]\"",
            ),
            (
                "Set-Item Env:DB_PASSWORD -Value p8; Set-Item -Path Env:\\API_TOKEN -Value \"p 9\"",
                "Set-Item Env:DB_PASSWORD -Value [REDACTED]; Set-Item -Path Env:\\API_TOKEN -Value \"[REDACTED]\"",
            ),
            (
                "si env:DB_PWD 'p10' -Force\nNew-Item -Path Env: -Name GITHUB_TOKEN -Value p11",
                "si env:DB_PWD '[REDACTED]' -Force\nNew-Item -Path Env: -Name GITHUB_TOKEN -Value [REDACTED]",
            ),
            (
                "[System.Environment]::SetEnvironmentVariable( 'GITHUB_TOKEN' ,'p5')",
                "[System.Environment]::SetEnvironmentVariable( 'GITHUB_TOKEN' ,'[REDACTED]')",
            ),
        ];
        for (from, to) in cases {
            assert_eq!(scrubbed(from), to, "{from}");
        }
        // Quoted values with blanks and what splits words or statements elsewhere.
        let quoted = [
            (
                "Set-Item -Path Env:API_KEY -Value 'a;b (c) p12'; Write-Host ok",
                "Set-Item -Path Env:API_KEY -Value '[REDACTED]'; Write-Host ok",
            ),
            (
                "Set-Content -Path \"Env:API_KEY\" -Value \"it's p13\" -Force",
                "Set-Content -Path \"Env:API_KEY\" -Value \"[REDACTED]\" -Force",
            ),
            (
                "Set-Item -Path Env:API_KEY -Value 'it''s p14'",
                "Set-Item -Path Env:API_KEY -Value '[REDACTED]'",
            ),
            (
                "Set-Item -Path Env:API_KEY -Value:'a b p15'",
                "Set-Item -Path Env:API_KEY -Value:'[REDACTED]'",
            ),
            (
                "powershell -Command \"Set-Item -Path Env:API_KEY -Value 'a b p16'\"",
                "powershell -Command \"Set-Item -Path Env:API_KEY -Value '[REDACTED]'\"",
            ),
            (
                "Set-Item -Path Env:API_KEY -Value `\n  'a b p17'",
                "Set-Item -Path Env:API_KEY -Value `\n  '[REDACTED]'",
            ),
            (
                "Set-Item Env:DB_PASSWORD -Value 'unclosed p18",
                "Set-Item Env:DB_PASSWORD -Value '[REDACTED]",
            ),
        ];
        for (from, to) in quoted {
            assert_eq!(scrubbed(from), to, "{from}");
        }
        for kept in [
            "Write-Output $env:PATH; $env:PATH = \"C:\\tools;$env:PATH\"",
            "$env:DB_PASSWORD = $secret.Password; $env:API_TOKEN = (Get-Secret t)",
            "if ($env:DB_PASSWORD -eq '') { $env:DB_PASSWORD == 'x' }",
            "[Environment]::SetEnvironmentVariable('Path', 'C:\\bin', 'User')",
            "[Environment]::GetEnvironmentVariable('DB_PASSWORD')",
            "$env:MAX_TOKENS = 512; $env:DB_PASSWORD = '[REDACTED]'",
            "printenv: $env:",
            "Set-Item Env:PATH -Value C:\\bin; Get-Item Env:DB_PASSWORD; Get-ChildItem env:",
            "Set-Item Env:DB_PASSWORD -Value $pw; Set-Item Env:API_TOKEN (Get-Secret t)",
            "Set-Item Env:DB_PASSWORD -Value '[REDACTED]'; Remove-Item Env:DB_PASSWORD",
        ] {
            assert_eq!(scrubbed(kept), kept);
        }
        let once = scrubbed("Set-Item -Name env:DB_PASSWORDSet-Item env:'-Value -Value Set-Item ");
        assert_eq!(scrubbed(&once), once);
        // A bare value ends with its word: the `{` after it starts another statement.
        let once =
            scrubbed("Set-Item env:DB_PASSWORDSet-Item DB_PASSWORD${env:Set-Item -Value Set-Item ");
        assert_eq!(scrubbed(&once), once);
    }

    proptest::proptest! {
        /// Whatever the text, scrubbing does not panic and finds nothing more in what it wrote.
        #[test]
        fn scrubbing_is_total_and_settles(
            text in "(\\$env:|\\$\\{env:|Set-Item |env:|-Value |-Name |DB_PASSWORD|PATH|SetEnvironmentVariable|[ =;'\"`(),}é])*"
        ) {
            let once = scrubbed(&text);
            proptest::prop_assert_eq!(scrubbed(&once), once.clone());
        }
    }
}
