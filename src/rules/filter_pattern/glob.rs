//! `*` wildcards in filter-pattern values (no escapes: CloudWatch Logs has none).

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == text;
    }
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn wildcards() {
        assert!(glob("*", ""));
        assert!(glob("123.123.*", "123.123.4.5"));
        assert!(!glob("123.123.*", "111.111.111.111"));
        assert!(glob(
            "*secret because it was deleted*",
            "You can't get the secret because it was deleted."
        ));
        assert!(glob("4*", "404"));
        assert!(!glob("abc", "abcd"));
    }
}
