//! Rule 5's secrets on a command line a person or a tool wrote: a secret option (`--password
//! x`, `--secret-key x`, `--token x`, also as the next element of a command array `["mysql",
//! "--password", "x"]`) and the password options of well-known clients (`mysql -px`, `sshpass
//! -p x`, `redis-cli -a x`, `curl -u user:x`, `sqlcmd -P x`, `mongosh -p x`, `keytool -new x`),
//! `aws configure set aws_secret_access_key x`, OpenSSL's `-passin pass:x`, `-k x` and `-K
//! hexkey` and Java's `-storepass x`. The value is replaced, the name kept: a responder still
//! sees that a password was passed, and to what.
//!
//! Exact by construction: a name is secret-bearing only by rule 1 ([`holds`]); a client's short
//! option counts only after the client's name in the same command. Pure: no I/O.

use serde_json::Value;

use super::{holds, is_secret_text, replaced, words, Holds, REDACTED};

/// The last word of an option's name that says the option takes no secret itself: it reads
/// one from elsewhere (`--password-stdin`, `--token-file`, `--secret-env`) or asks for it.
const NOT_A_VALUE: &[&str] = &["stdin", "file", "path", "prompt", "env", "dir", "command"];

/// The first word of an option's name that makes it a switch (`--no-password`).
const SWITCHES: &[&str] = &["no", "ask", "prompt", "use", "generate"];

/// A client whose short options pass a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Client {
    /// `-pSECRET`, attached only: `-p SECRET` asks for the password and `SECRET` is the database.
    MySql,
    /// `-p SECRET` or `-pSECRET`, before the command it runs.
    SshPass,
    /// `-a SECRET`.
    RedisCli,
    /// `-u user:SECRET`, `--user user:SECRET`, `-uuser:SECRET`.
    Curl,
    /// `aws configure set NAME SECRET`: how far the words have come (0 after `aws`, 1 after
    /// `configure`, 2 after `set`, the name next).
    Aws(u8),
    /// `-new SECRET` (a store's or a key's new password); `-storepass` and the like are
    /// [`JAVA_PASSWORD_OPTIONS`], whoever takes them.
    Keytool,
    /// `-P SECRET` or `-PSECRET` (SQL Server's `sqlcmd`, `bcp`, `osql`).
    SqlCmd,
    /// `-p SECRET` or `-pSECRET` (`--password SECRET` is any command's).
    Mongo,
    /// `-k SECRET` (a password) and `-K HEX` (the key itself) of `openssl enc` and the like;
    /// `-pass pass:SECRET` is [`OPENSSL_PASSWORD_OPTIONS`], whoever takes it. Elsewhere `-k`
    /// is no secret (`curl -k` skips a certificate check).
    OpenSsl,
}

/// The options of Java's `keytool` and `jarsigner` whose value is a password (`-storepass:env
/// VAR` and `-storepass:file path` name where it is, and are kept).
const JAVA_PASSWORD_OPTIONS: &[&str] = &[
    "-storepass",
    "-keypass",
    "-srcstorepass",
    "-deststorepass",
    "-srckeypass",
    "-destkeypass",
];

/// OpenSSL's password options: a value `pass:SECRET` is the password itself (`env:VAR`,
/// `file:path`, `fd:N` and `stdin` say where it is, and are kept).
const OPENSSL_PASSWORD_OPTIONS: &[&str] = &["-passin", "-passout", "-pass", "-password"];

/// The client a command word names (by its file name: `/usr/bin/mysql` too).
fn client(word: &str) -> Option<Client> {
    let name = word.rsplit('/').next().unwrap_or(word);
    match name {
        "mysql" | "mariadb" | "mysqldump" | "mysqladmin" | "mysqlimport" | "mysqlshow"
        | "mysqlcheck" | "mysqlpump" | "mysqlsh" | "mariadb-dump" | "mariadb-admin" => {
            Some(Client::MySql)
        }
        "sshpass" => Some(Client::SshPass),
        "redis-cli" => Some(Client::RedisCli),
        "curl" => Some(Client::Curl),
        "aws" | "aws.exe" => Some(Client::Aws(0)),
        "keytool" | "keytool.exe" => Some(Client::Keytool),
        "sqlcmd" | "sqlcmd.exe" | "bcp" | "bcp.exe" | "osql" => Some(Client::SqlCmd),
        "mongo" | "mongosh" | "mongodump" | "mongorestore" | "mongoexport" | "mongoimport"
        | "mongostat" | "mongotop" | "mongofiles" => Some(Client::Mongo),
        "openssl" | "openssl.exe" => Some(Client::OpenSsl),
        _ => None,
    }
}

/// What an option `--NAME` (without its dashes) takes, when it takes a secret.
fn secret_option(name: &str) -> Option<Holds> {
    let h = holds(name)?;
    let w = words(name);
    let switch = w.first().is_some_and(|f| SWITCHES.contains(&f.as_str()));
    let elsewhere = w.last().is_some_and(|l| NOT_A_VALUE.contains(&l.as_str()));
    (!switch && !elsewhere).then_some(h)
}

/// In one command's `args`, each argument that holds a secret and the byte of it where the
/// secret starts.
fn secret_args(args: &[&str]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut by: Option<Client> = None;
    let value_at = |j: usize| {
        args.get(j)
            .is_some_and(|v| !v.is_empty() && !v.starts_with('-') && *v != REDACTED)
    };
    let mut i = 0;
    while i < args.len() {
        let arg = args[i];
        if let Some(c) = client(arg) {
            by = Some(c);
            i += 1;
            continue;
        }
        let option = arg.strip_prefix("--").filter(|n| !n.contains('='));
        if let Some(h) = option.and_then(secret_option) {
            if value_at(i + 1) && is_secret_text(args[i + 1], h) {
                found.push((i + 1, 0));
                i += 2;
                continue;
            }
        }
        if OPENSSL_PASSWORD_OPTIONS.contains(&arg) {
            let pass = args.get(i + 1).and_then(|v| v.strip_prefix("pass:"));
            if pass.is_some_and(|p| !p.is_empty() && p != REDACTED) {
                found.push((i + 1, 5));
                i += 2;
                continue;
            }
        }
        if JAVA_PASSWORD_OPTIONS.contains(&arg) && value_at(i + 1) {
            found.push((i + 1, 0));
            i += 2;
            continue;
        }
        let short = |flag: &str| arg.strip_prefix(flag).filter(|rest| !rest.is_empty());
        match by {
            // `aws [options] configure set [--profile P] NAME VALUE`.
            Some(Client::Aws(stage)) if !arg.starts_with('-') => match (stage, arg) {
                (0, "configure") => by = Some(Client::Aws(1)),
                (0, _) => {}
                (1, "set") => by = Some(Client::Aws(2)),
                (2, name) => {
                    if let Some(h) = holds(name) {
                        if value_at(i + 1) && is_secret_text(args[i + 1], h) {
                            found.push((i + 1, 0));
                            i += 1;
                        }
                    }
                    by = None;
                }
                _ => by = None,
            },
            // `--profile P` before the name.
            Some(Client::Aws(2)) if arg.starts_with("--") && !arg.contains('=') => {
                i += usize::from(value_at(i + 1));
            }
            Some(Client::Keytool) if arg == "-new" && value_at(i + 1) => {
                found.push((i + 1, 0));
                i += 1;
            }
            Some(Client::SqlCmd) if arg == "-P" && value_at(i + 1) => {
                found.push((i + 1, 0));
                i += 1;
            }
            Some(Client::SqlCmd) if short("-P").is_some_and(|r| r != REDACTED) => {
                found.push((i, 2))
            }
            Some(Client::OpenSsl) if (arg == "-k" || arg == "-K") && value_at(i + 1) => {
                found.push((i + 1, 0));
                i += 1;
            }
            Some(Client::Mongo) if arg == "-p" && value_at(i + 1) => {
                found.push((i + 1, 0));
                i += 1;
            }
            Some(Client::Mongo)
                if !arg.starts_with("--") && short("-p").is_some_and(|r| r != REDACTED) =>
            {
                found.push((i, 2))
            }
            Some(Client::MySql)
                if !arg.starts_with("--") && short("-p").is_some_and(|r| r != REDACTED) =>
            {
                found.push((i, 2));
            }
            Some(Client::SshPass) if arg == "-p" && value_at(i + 1) => {
                found.push((i + 1, 0));
                i += 1;
            }
            Some(Client::RedisCli) if arg == "-a" && value_at(i + 1) => {
                found.push((i + 1, 0));
                i += 1;
            }
            Some(Client::SshPass) if short("-p").is_some_and(|r| r != REDACTED) => {
                found.push((i, 2))
            }
            // sshpass's options end where the command it runs begins.
            Some(Client::SshPass) if !arg.starts_with('-') => by = None,
            Some(Client::Curl) if arg == "-u" || arg == "--user" => {
                if let Some(colon) = args.get(i + 1).and_then(|v| v.find(':')) {
                    if colon + 1 < args[i + 1].len() && !redacted_already(args[i + 1]) {
                        found.push((i + 1, colon + 1));
                    }
                    i += 1;
                }
            }
            Some(Client::Curl) if !arg.starts_with("--") && short("-u").is_some() => {
                if let Some(colon) = arg.find(':').filter(|c| c + 1 < arg.len()) {
                    if !redacted_already(arg) {
                        found.push((i, colon + 1));
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// A command array (`["mysql", "--password", "x"]`: ECS, Batch, a container's `command`): each
/// argument that holds a secret replaced (from where the secret starts).
pub(super) fn command_array(items: &mut [Value]) -> bool {
    let Some(args) = items
        .iter()
        .map(Value::as_str)
        .collect::<Option<Vec<&str>>>()
    else {
        return false;
    };
    let found = secret_args(&args);
    for &(i, from) in &found {
        if let Value::String(s) = &mut items[i] {
            *s = replaced(s, &[(from, s.len())]);
        }
    }
    !found.is_empty()
}

/// One word of a command line: its bytes in the text, those of its text without the quotes
/// around it, and whether it starts a command.
struct Word {
    from: usize,
    to: usize,
    starts_command: bool,
}

/// The shell words of `s`: split at white space, quoted parts kept whole; `;`, `|`, `&`, `(`,
/// `)`, a backquote and a line end start another command.
fn shell_words(s: &str) -> Vec<Word> {
    let b = s.as_bytes();
    let ends_command = |c: u8| matches!(c, b';' | b'|' | b'&' | b'(' | b')' | b'`' | b'\n');
    let mut out = Vec::new();
    let (mut i, mut starts_command) = (0, true);
    while i < b.len() {
        let c = b[i];
        if ends_command(c) {
            starts_command = true;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut quoted_whole = None;
        while i < b.len() && !b[i].is_ascii_whitespace() && !ends_command(b[i]) {
            if let q @ (b'"' | b'\'') = b[i] {
                // A quote never closed runs to the end of its line, not over the rest of the
                // text: a password replaced with its closing quote (`-u user:"x"y` of a text
                // already redacted) must not take the lines after it on a second reading.
                let Some(close) = memchr::memchr(q, &b[i + 1..]).map(|p| i + 1 + p) else {
                    i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |p| i + p);
                    continue;
                };
                if i == start {
                    quoted_whole = Some(close);
                }
                i = close + 1;
            } else {
                i += 1;
            }
        }
        let (from, to) = match quoted_whole {
            Some(close) if close + 1 == i => (start + 1, close),
            // A quote left open runs to the line's end, its blanks not the word's.
            _ => (start, start + s[start..i].trim_end().len()),
        };
        out.push(Word {
            from,
            to,
            starts_command,
        });
        starts_command = false;
    }
    out
}

/// Rule 5: the secret options and clients' passwords of every command written in `s`.
pub(super) fn command_lines(s: &str) -> Option<String> {
    // An option starts a word: a `-` at the start or after a space or quote (not in a date).
    let b = s.as_bytes();
    memchr::memchr_iter(b'-', b)
        .find(|&i| i == 0 || b[i - 1].is_ascii_whitespace() || matches!(b[i - 1], b'"' | b'\''))?;
    let words = shell_words(s);
    let mut spans = Vec::new();
    let mut first = 0;
    for end in 1..=words.len() {
        if end < words.len() && !words[end].starts_command {
            continue;
        }
        let command = &words[first..end];
        let args: Vec<&str> = command.iter().map(|w| &s[w.from..w.to]).collect();
        for (i, from) in secret_args(&args) {
            let w = &command[i];
            let at = w.from + from;
            // A secret inside quotes that close later in the word (`-u":x"`, `-u "u:x"y`) keeps
            // the closing quote after the marker: a second reading sees the same words.
            let close = open_quote(b, w.from, at).filter(|_| open_quote(b, w.from, w.to).is_none());
            spans.push((at, w.to, close));
        }
        first = end;
    }
    if spans.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for (from, to, close) in spans {
        out.push_str(&s[at..from]);
        out.push_str(REDACTED);
        out.extend(close.map(char::from));
        at = to;
    }
    out.push_str(&s[at..]);
    Some(out)
}

/// The quote open at byte `at` of `b`, reading from `from` (a word's start) as [`shell_words`]
/// does: `None` when none is.
fn open_quote(b: &[u8], from: usize, at: usize) -> Option<u8> {
    b[from..at].iter().fold(None, |open, &c| match (open, c) {
        (None, b'"' | b'\'') => Some(c),
        (Some(q), c) if c == q => None,
        _ => open,
    })
}

/// Whether a curl credential was redacted already: it ends with the marker, or the marker and
/// the quote closing it.
fn redacted_already(arg: &str) -> bool {
    arg.trim_end_matches(['"', '\'']).ends_with(REDACTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(s: &str, scrub: fn(&str) -> Option<String>) -> String {
        scrub(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn command_lines_lose_secret_options_and_client_passwords() {
        let cases = [
            (
                "tool --password p1 --user admin",
                "tool --password [REDACTED] --user admin",
            ),
            (
                "aws configure set --secret-key 'p 2'",
                "aws configure set --secret-key '[REDACTED]'",
            ),
            (
                "curl --token p3 https://x; ls -p /tmp",
                "curl --token [REDACTED] https://x; ls -p /tmp",
            ),
            (
                "mysql -h db -u admin -pp4 app",
                "mysql -h db -u admin -p[REDACTED] app",
            ),
            (
                "mysql -u admin -p app -P3306",
                "mysql -u admin -p app -P3306",
            ),
            (
                "sudo /usr/bin/mysqldump -p\"p5\" x",
                "sudo /usr/bin/mysqldump -p[REDACTED] x",
            ),
            (
                "sshpass -p p6 ssh -p 2222 admin@h",
                "sshpass -p [REDACTED] ssh -p 2222 admin@h",
            ),
            (
                "redis-cli -h r -a p7 GET k",
                "redis-cli -h r -a [REDACTED] GET k",
            ),
            (
                "curl -u admin:p8 https://x && curl -uu:p9 y",
                "curl -u admin:[REDACTED] https://x && curl -uu:[REDACTED] y",
            ),
            (
                "docker login --password-stdin reg.example",
                "docker login --password-stdin reg.example",
            ),
            (
                "tool --no-password host --secret-id s1 --max-tokens 512",
                "tool --no-password host --secret-id s1 --max-tokens 512",
            ),
            (
                "ls -p /tmp && echo the token is -p x",
                "ls -p /tmp && echo the token is -p x",
            ),
            (
                "aws configure set aws_secret_access_key p10 && aws --profile dev configure set \
                 --profile dev aws_session_token p11",
                "aws configure set aws_secret_access_key [REDACTED] && aws --profile dev configure \
                 set --profile dev aws_session_token [REDACTED]",
            ),
            (
                "aws configure set aws_access_key_id AKIA1; aws configure set region us-east-1",
                "aws configure set aws_access_key_id AKIA1; aws configure set region us-east-1",
            ),
            (
                "openssl pkcs12 -export -passin pass:p12 -passout 'pass:p 13' -in k",
                "openssl pkcs12 -export -passin pass:[REDACTED] -passout 'pass:[REDACTED]' -in k",
            ),
            (
                "openssl enc -aes256 -pass env:PW -passin file:/p -passout stdin",
                "openssl enc -aes256 -pass env:PW -passin file:/p -passout stdin",
            ),
            (
                "keytool -importkeystore -srcstorepass p14 -deststorepass p15 -keypass p16",
                "keytool -importkeystore -srcstorepass [REDACTED] -deststorepass [REDACTED] \
                 -keypass [REDACTED]",
            ),
            (
                "keytool -storepasswd -new p17 -storepass:env SP -keystore ks",
                "keytool -storepasswd -new [REDACTED] -storepass:env SP -keystore ks",
            ),
            (
                "sqlcmd -S db -U sa -P p18 -Q x; bcp t out f -Pp19",
                "sqlcmd -S db -U sa -P [REDACTED] -Q x; bcp t out f -P[REDACTED]",
            ),
            (
                "mongosh -u admin -p p20 --port 27017; mongodump -pp21; ssh -p 22 h",
                "mongosh -u admin -p [REDACTED] --port 27017; mongodump -p[REDACTED]; ssh -p 22 h",
            ),
            (
                "openssl enc -aes-256-cbc -k p22 -in db.sql; openssl enc -d -K 0011aabb -iv 99 -in x",
                "openssl enc -aes-256-cbc -k [REDACTED] -in db.sql; openssl enc -d -K [REDACTED] -iv 99 -in x",
            ),
            (
                "openssl enc -aes256 -kfile /run/k -in x; curl -k https://x; sort -k 2 f",
                "openssl enc -aes256 -kfile /run/k -in x; curl -k https://x; sort -k 2 f",
            ),
            ("tool --password", "tool --password"),
            ("tool --password --verbose", "tool --password --verbose"),
        ];
        for (from, to) in cases {
            assert_eq!(scrubbed(from, command_lines), to, "{from}");
        }
        // The fuzzer's find: the password's closing quote goes with it; a second reading must
        // not take the next line with the quote left open.
        let once = scrubbed(
            "curl -u user\" : //\"x}\nDB_PASSWORD=[REDACTED]\n",
            command_lines,
        );
        assert_eq!(
            once,
            "curl -u user\" :[REDACTED]\"\nDB_PASSWORD=[REDACTED]\n"
        );
        assert_eq!(scrubbed(&once, command_lines), once);
        // And a password inside quotes closed later in its word keeps the closing quote
        // (tests/data/fuzz/redact/curl-u-quoted-colon).
        for (from, to) in [
            ("curl -u\":\" ", "curl -u\":[REDACTED]\" "),
            (
                "curl -u \"u:p\"x https://h",
                "curl -u \"u:[REDACTED]\" https://h",
            ),
        ] {
            let once = scrubbed(from, command_lines);
            assert_eq!(once, to, "{from}");
            assert_eq!(scrubbed(&once, command_lines), once, "{from}");
        }
    }

    proptest::proptest! {
        /// Whatever the text, scrubbing does not panic, keeps what it does not replace, and
        /// finds nothing more in what it wrote.
        #[test]
        fn scrubbing_is_total_and_settles(
            text in "(password|token|-p|--token|mysql|sshpass|curl|-u|a:b|é|Default: |NoEcho: true|\\\\n|\\\\\"|[ :=|>\"'\n\t;&{},-])*"
        ) {
            let once = scrubbed(&text, command_lines);
            proptest::prop_assert_eq!(scrubbed(&once, command_lines), once.clone());
            proptest::prop_assert!(once == text || once.contains(REDACTED));
        }
    }

    #[test]
    fn command_arrays_lose_the_argument_after_a_secret_option() {
        let mut v = serde_json::json!(["mysql", "--password", "p1", "-pp2", "-h", "db", "--token"]);
        assert!(command_array(v.as_array_mut().unwrap()));
        assert_eq!(
            v,
            serde_json::json!([
                "mysql",
                "--password",
                "[REDACTED]",
                "-p[REDACTED]",
                "-h",
                "db",
                "--token"
            ])
        );
        let mut kept = serde_json::json!(["ls", "-p", "/tmp", "--max-tokens", "5"]);
        assert!(!command_array(kept.as_array_mut().unwrap()));
    }
}
