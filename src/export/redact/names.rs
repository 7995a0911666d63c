//! Rule 1: what a key's name says of its value. A key is compared lowercased with `_`, `-` and
//! `.` removed; it holds a secret when it contains one of [`SECRET_WORDS`] or names a credential
//! token, unless it names an identifier or a property ([`NOT_SECRET_SUFFIXES`]) or a cursor's or
//! a request's token ([`NOT_CREDENTIAL_TOKENS`]). Every other rule asks these names.
//!
//! Pure: no I/O; depends on nothing else of the crate.

/// A normalised key containing one of these holds a secret (rule 1).
const SECRET_WORDS: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "passphrase",
    "privatekey",
    "keymaterial",
    "apikey",
    "authorization",
    "plaintext",
    "pwd",
    // An OAuth authorization code (`auth_code`, `authCode`): exchanged for tokens.
    "authcode",
];

/// Short forms of a password: a key whose last whole word is one of these holds a secret
/// (`DB_PASS`, `dbPass`, `MYSQL_PW`); inside a word they say nothing (`bypass`, `compass`).
const SHORT_SECRET_WORDS: &[&str] = &["pass", "pw"];

/// Rule 1 for `token`: a normalised key ending in one of these followed by `token` names a
/// position in a listing or a request's identity, not a credential (`nextToken`, `pageToken`,
/// `nextForwardToken`, `clientRequestToken`, `sequenceToken`). AWS's `nextToken` is an opaque
/// pagination cursor: it is valid only with the caller's own credentials and the same request,
/// grants nothing, and paging through a listing is evidence a responder needs to see.
const NOT_CREDENTIAL_TOKENS: &[&str] = &[
    "next",
    "page",
    "pagination",
    "continuation",
    "start",
    "forward",
    "backward",
    "resume",
    "client",
    "clientrequest",
    "idempotency",
    "sequence",
    "change",
    "sync",
];

/// Rule 1 for `token`: what follows `token` in a normalised key whose value is the token itself
/// (STS's `tokenCode`, the MFA code).
const TOKEN_VALUE_WORDS: &[&str] = &["code", "value", "string"];

/// Normalised key endings that name an identifier or a property of a secret, not its value
/// (rule 1): `secretId`, `secretArn`, `secretName`, `secretVersionId`, `tokenIssueTime`,
/// `passwordLastUsed`, `passwordPolicy`, `secretType`, `rotationEnabled`, …
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "id",
    "ids",
    "idlist",
    "arn",
    "arns",
    "name",
    "names",
    "type",
    "types",
    "lastused",
    "lastuseddate",
    "required",
    "policy",
    "expiration",
    "expiry",
    "expires",
    "time",
    "date",
    "age",
    "length",
    "count",
    "enabled",
    "status",
    "version",
    "versions",
    "stage",
    "stages",
    "rules",
    "filters",
    "location",
    "origin",
];

/// What a key says of its value (rule 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holds {
    /// A secret: its strings and numbers are replaced.
    Secret,
    /// Tokens, plural (`tokens`, `maxTokens`, `inputTokens`): a number is a count or a limit and
    /// is kept; a string may be a token and is replaced.
    Tokens,
}

/// Whether a key names a secret value (rule 1).
#[cfg(test)]
fn is_secret_key(key: &str) -> bool {
    holds(key) == Some(Holds::Secret)
}

/// Whether a key names an identifier or a property of a value rather than the value
/// ([`NOT_SECRET_SUFFIXES`]: `secretArn`, `name`, `type`), or where a value comes from (ECS's
/// `valueFrom`, an ARN): inside an object under a secret-bearing key, such a member is evidence.
pub(super) fn names_a_property(key: &str) -> bool {
    let k = normalised(key);
    NOT_SECRET_SUFFIXES.iter().any(|s| k.ends_with(s)) || k == "valuefrom"
}

/// What a key names (rule 1): `None` for anything but a secret.
pub(super) fn holds(key: &str) -> Option<Holds> {
    let k = normalised(key);
    if NOT_SECRET_SUFFIXES.iter().any(|s| k.ends_with(s)) {
        return None;
    }
    if SECRET_WORDS.iter().any(|w| k.contains(w)) {
        return Some(Holds::Secret);
    }
    // `DB_PASS`, `dbPass`, `MYSQL_PW`: the short forms as the key's last whole word (not
    // `bypass`, `compass`, `passThrough`).
    if (k.ends_with("pass") || k.ends_with("pw"))
        && words(key)
            .last()
            .is_some_and(|w| SHORT_SECRET_WORDS.contains(&w.as_str()))
    {
        return Some(Holds::Secret);
    }
    if k.ends_with("token") {
        return (!names_a_position(key)).then_some(Holds::Secret);
    }
    if TOKEN_VALUE_WORDS.iter().any(|w| {
        k.match_indices("token")
            .any(|(i, _)| k[i + 5..].starts_with(w))
    }) {
        return Some(Holds::Secret);
    }
    k.ends_with("tokens").then_some(Holds::Tokens)
}

/// Whether a key ending in `token` names a cursor or a request's identity: the words before
/// `token` end with one of [`NOT_CREDENTIAL_TOKENS`], whole words (`exchangeToken` is not a
/// `changeToken`).
fn names_a_position(key: &str) -> bool {
    let mut words = words(key);
    match words.last_mut() {
        Some(last) if last == "token" => {
            words.pop();
        }
        Some(last) => match last.strip_suffix("token") {
            Some(before) => *last = before.to_string(),
            None => return false,
        },
        None => return false,
    }
    (0..words.len()).any(|i| NOT_CREDENTIAL_TOKENS.contains(&words[i..].concat().as_str()))
}

/// The words of a key, lowercase: split at `_`, `-`, `.`, spaces and where the case changes
/// (`nextForwardToken`, `NEXT_TOKEN`, `XAmzSecurityToken`).
pub(super) fn words(key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        let starts = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase() || p.is_numeric() || (p.is_uppercase() && next_lower)
            });
        if starts && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// `k` lowercased with `_`, `-` and `.` removed.
pub(super) fn normalised(k: &str) -> String {
    k.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `k`, normalised as rule 1 does, is `target` (lowercase), without allocating.
pub(super) fn normalises_to(k: &str, target: &str) -> bool {
    k.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .eq(target.chars())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_named_like_secrets_are_kept() {
        for key in [
            "secretId",
            "SecretArn",
            "secretName",
            "secretIdList",
            "secretVersionId",
            "nextToken",
            "clientRequestToken",
            "tokenIssueTime",
            "passwordLastUsed",
            "accessKeyId",
            "roleSessionName",
            "tokenCount",
            "nextForwardToken",
            "NEXT_TOKEN",
            "pageToken",
            "sequenceToken",
            "tokenUrl",
            "bypass",
            "compass",
            "passThrough",
            "DB_PASS_ID",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
        for key in [
            "clientSecret",
            "masterUserPassword",
            "keyMaterial",
            "accessToken",
            "refreshToken",
            "idToken",
            "AWS_SESSION_TOKEN",
            "DB_PASSWORD",
            "secretAccessKey",
            "SecretString",
            "tokenCode",
            "privateKeyPem",
            "token",
            "sessionToken",
            "x-amz-security-token",
            "githubToken",
            "authToken",
            "exchangeToken",
            "DB_PASS",
            "dbPass",
            "MYSQL_PW",
            "pass",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
    }
}
