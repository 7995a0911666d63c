//! Rule 3 in YAML text (a CloudFormation or SAM template, a compose file, a Kubernetes manifest, a
//! CodeBuild buildspec, in a `templateBody` or a command): every value of a process environment
//! is replaced whatever the variable's name, the names kept, as rule 3 does for JSON. An
//! environment is the block under a key `Environment`, `EnvironmentVariables` or `env` (any
//! case, [`is_environment_key`]) alone on its line: its `Variables:` map (Lambda, SAM, a
//! buildspec's `env:`), a list of `- Name: …` / `Value: …` items (ECS, CodeBuild, Batch,
//! Kubernetes' `env`) or of `- NAME=value` items (compose), or a map whose keys are all variable
//! names (`API_URL: …`); other keys beside (`ComputeType`, `Image`, a buildspec's
//! `parameter-store:`) follow the ordinary rules. A reference (`!Ref`, `!GetAtt`, `!Sub`,
//! `{{resolve:…}}`, the `Value` of an item of `Type: PARAMETER_STORE` or `SECRETS_MANAGER`)
//! names where a value comes from and is kept. A map written in flow style (`Environment:
//! {Variables: {…}}`, `Variables: {…}`) is [`yaml_flow`]'s.
//!
//! Pure: no I/O.

use super::environment::{is_environment_key, is_reference_type, is_variable_name};
use super::lines::{has_escaped_breaks, lines};
use super::yaml_flow;
use super::yaml_pairs::{key_value, secret};
use super::{normalises_to, replaced_merged, Holds, PAIR_VALUES};

/// Rule 3: the value of every variable of every environment written in YAML in `s`.
pub(super) fn environments(s: &str) -> Option<String> {
    let b = s.as_bytes();
    [&b"nvironment"[..], b"NVIRONMENT", b"env:", b"Env:", b"ENV:"]
        .iter()
        .find_map(|k| memchr::memmem::find(b, k))?;
    let lines = lines(s);
    let text = Text {
        s,
        lines: &lines,
        escaped: has_escaped_breaks(s),
    };
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for n in 0..lines.len() {
        let Some((key, col, value)) = text.mapping(n) else {
            continue;
        };
        if is_environment_key(key) && value.is_empty() {
            text.environment(text.block(n, col), &mut spans);
        } else if is_environment_key(key) && value.starts_with('{') {
            yaml_flow::environment(s, offset(s, value), &mut spans);
        }
    }
    replaced_merged(s, spans)
}

/// Where `part`, a slice of `s`, starts in `s`.
fn offset(s: &str, part: &str) -> usize {
    part.as_ptr() as usize - s.as_ptr() as usize
}

struct Text<'a> {
    s: &'a str,
    lines: &'a [(usize, usize)],
    escaped: bool,
}

impl<'a> Text<'a> {
    /// The column of line `n`'s text, and whether it is blank or a comment.
    fn indent(&self, n: usize) -> (usize, bool) {
        let line = &self.s[self.lines[n].0..self.lines[n].1];
        let body = line.trim_start_matches([' ', '\t']);
        (
            line.len() - body.len(),
            body.trim_end().is_empty() || body.starts_with('#'),
        )
    }

    /// The mapping line `n` (a list item's first key too): its key, the key's column and its
    /// value's text.
    fn mapping(&self, n: usize) -> Option<(&'a str, usize, &'a str)> {
        let (f, t) = self.lines[n];
        let line = &self.s[f..t];
        let mut col = self.indent(n).0;
        if let Some(rest) = line[col..].strip_prefix("- ") {
            col = line.len() - rest.trim_start_matches([' ', '\t']).len();
        }
        let (key, from, to) = key_value(self.s, f + col, t)?;
        Some((key, col, &self.s[from..to]))
    }

    /// The lines below line `n` deeper than `col` (blank lines and comments among them left
    /// out), up to the first line with text at `col` or less.
    fn below(&self, n: usize, col: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for m in n + 1..self.lines.len() {
            match self.indent(m) {
                (_, true) => {}
                (c, false) if c > col => out.push(m),
                _ => break,
            }
        }
        out
    }

    /// The value block of the key of line `n` at `col`: the lines below it deeper than `col`,
    /// or a list at `col` itself (`env:` / `- name: X`, as Kubernetes manifests write it).
    fn block(&self, n: usize, col: usize) -> Vec<usize> {
        let below = self.below(n, col);
        if !below.is_empty() {
            return below;
        }
        let mut out = Vec::new();
        for m in n + 1..self.lines.len() {
            match self.indent(m) {
                (_, true) => {}
                (c, false) if c > col || (c == col && self.is_item(m)) => out.push(m),
                _ => break,
            }
        }
        out
    }

    /// The lines of `block` at its first line's column: its direct children.
    fn children(&self, block: &[usize]) -> Vec<usize> {
        let Some(&first) = block.first() else {
            return Vec::new();
        };
        let col = self.indent(first).0;
        block
            .iter()
            .copied()
            .filter(|&m| self.indent(m).0 == col)
            .collect()
    }

    /// Whether line `n`'s text is a list item.
    fn is_item(&self, n: usize) -> bool {
        let (f, t) = self.lines[n];
        self.s[f..t]
            .trim_start_matches([' ', '\t'])
            .starts_with("- ")
    }

    /// The block under an environment key: a list or a map of variables, or a mapping whose
    /// `Variables` (or nested environment key) holds them.
    fn environment(&self, block: Vec<usize>, spans: &mut Vec<(usize, usize)>) {
        let children = self.children(&block);
        let all_variables = children.iter().all(|&m| {
            self.mapping(m)
                .is_some_and(|(key, _, _)| is_variable_name(key))
        });
        if children.first().is_some_and(|&m| self.is_item(m)) || all_variables {
            return self.variables(&block, spans);
        }
        for m in children {
            let Some((key, col, value)) = self.mapping(m) else {
                continue;
            };
            let variables = normalises_to(key, "variables") || is_environment_key(key);
            if value.is_empty() && variables {
                self.variables(&self.block(m, col), spans);
            } else if variables && value.starts_with('{') {
                // `Variables: {DB_URL: x}` (flow style) under a block `Environment:`.
                yaml_flow::variables(self.s, offset(self.s, value), spans);
            }
        }
    }

    /// Every value of a block of variables: `NAME: value` lines, `- Name:` / `Value:` items,
    /// `- NAME=value` items.
    fn variables(&self, block: &[usize], spans: &mut Vec<(usize, usize)>) {
        for m in self.children(block) {
            if !self.is_item(m) {
                if let Some((_, col, _)) = self.mapping(m) {
                    spans.extend(self.value_of(m, col));
                }
                continue;
            }
            let (f, t) = self.lines[m];
            let item_col = self.indent(m).0;
            let Some((key, col, _)) = self.mapping(m) else {
                // `- NAME=value`: the value after the first `=`.
                let item = self.s[f + item_col + 2..t].trim_start_matches([' ', '\t']);
                let start = t - item.len();
                if let Some(eq) = item.find('=') {
                    let name = &item[..eq];
                    if !name.is_empty() && !name.contains([' ', ':']) {
                        spans.extend(secret(
                            self.s,
                            self.lines,
                            m,
                            item_col,
                            (start + eq + 1, t - (item.len() - item.trim_end().len())),
                            Holds::Secret,
                            self.escaped,
                        ));
                    }
                }
                continue;
            };
            // The item's keys: its first line's and the lines below it at the same column.
            let mut keys = vec![(m, key)];
            for k in self.below(m, item_col) {
                if self.indent(k).0 == col {
                    if let Some((key, _, _)) = self.mapping(k) {
                        keys.push((k, key));
                    }
                }
            }
            // A CodeBuild variable of `Type: SECRETS_MANAGER` names a secret: kept.
            let reference = keys.iter().any(|&(k, key)| {
                normalises_to(key, "type")
                    && self
                        .mapping(k)
                        .is_some_and(|(_, _, value)| is_reference_type(value))
            });
            for (k, key) in keys {
                if PAIR_VALUES.contains(&key) && !reference {
                    spans.extend(self.value_of(k, col));
                }
            }
        }
    }

    /// The secret of the mapping value of line `m`, whose key is at `col`.
    fn value_of(&self, m: usize, col: usize) -> Option<(usize, usize)> {
        let (f, t) = self.lines[m];
        let (_, from, to) = key_value(self.s, f + col, t)?;
        secret(
            self.s,
            self.lines,
            m,
            col,
            (from, to),
            Holds::Secret,
            self.escaped,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::redact::REDACTED;

    fn scrubbed(s: &str) -> String {
        environments(s).unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn every_variable_of_a_yaml_environment_loses_its_value_names_and_references_kept() {
        let cases = [
            (
                "Fn:\n  Properties:\n    Environment:\n      Variables:\n        DATABASE_URL: postgres://h/x\n        LOG_LEVEL: \"debug 1\"\n        TABLE: !Ref Table\n    Handler: app.h\n",
                "Fn:\n  Properties:\n    Environment:\n      Variables:\n        DATABASE_URL: [REDACTED]\n        LOG_LEVEL: \"[REDACTED]\"\n        TABLE: !Ref Table\n    Handler: app.h\n",
            ),
            (
                "ContainerDefinitions:\n  - Name: app\n    Environment:\n      - Name: CONN\n        Value: c1\n      -   Value: 'c 2'\n          Name: X\n    Image: img\n",
                "ContainerDefinitions:\n  - Name: app\n    Environment:\n      - Name: CONN\n        Value: [REDACTED]\n      -   Value: '[REDACTED]'\n          Name: X\n    Image: img\n",
            ),
            (
                "services:\n  web:\n    environment:\n      - API_URL=https://u:p@h\n      - MODE=prod\n    environment_b: x\n  db:\n    environment:\n      API_URL: u1\n",
                "services:\n  web:\n    environment:\n      - API_URL=[REDACTED]\n      - MODE=[REDACTED]\n    environment_b: x\n  db:\n    environment:\n      API_URL: [REDACTED]\n",
            ),
            (
                "Environment:\n  ComputeType: SMALL\n  Image: aws/codebuild:7\n  EnvironmentVariables:\n    - Name: X\n      Type: PLAINTEXT\n      Value: v1\n",
                "Environment:\n  ComputeType: SMALL\n  Image: aws/codebuild:7\n  EnvironmentVariables:\n    - Name: X\n      Type: PLAINTEXT\n      Value: [REDACTED]\n",
            ),
            (
                "containers:\n- name: app\n  env:\n  - name: DB_CONN\n    value: c3\n  ports:\n  - containerPort: 80\n",
                "containers:\n- name: app\n  env:\n  - name: DB_CONN\n    value: [REDACTED]\n  ports:\n  - containerPort: 80\n",
            ),
            (
                "env:\n  variables:\n    CONN: c4\n  parameter-store:\n    NPM: /ci/npm\n",
                "env:\n  variables:\n    CONN: [REDACTED]\n  parameter-store:\n    NPM: /ci/npm\n",
            ),
            (
                "EnvironmentVariables:\n  - Name: S\n    Type: SECRETS_MANAGER\n    Value: ci/db\n  - Name: P\n    Value: v3\n",
                "EnvironmentVariables:\n  - Name: S\n    Type: SECRETS_MANAGER\n    Value: ci/db\n  - Name: P\n    Value: [REDACTED]\n",
            ),
            (
                "Fn:\n  Properties:\n    Environment: {Variables: {DB_URL: u1, T: !Ref T}}\n    Handler: h\n",
                "Fn:\n  Properties:\n    Environment: {Variables: {DB_URL: [REDACTED], T: !Ref T}}\n    Handler: h\n",
            ),
            (
                "Globals:\n  Function:\n    Environment:\n      Variables: {DB_URL: u2, MODE: \"p 3\"}\n",
                "Globals:\n  Function:\n    Environment:\n      Variables: {DB_URL: [REDACTED], MODE: \"[REDACTED]\"}\n",
            ),
            (
                "bash -c \"cat > t.yml <<E\\nEnvironment:\\n  Variables:\\n    STRIPE: v2\\nE\"",
                "bash -c \"cat > t.yml <<E\\nEnvironment:\\n  Variables:\\n    STRIPE: [REDACTED]\\nE\"",
            ),
        ];
        for (from, to) in cases {
            assert_eq!(scrubbed(from), to, "{from}");
            assert_eq!(scrubbed(to), to, "{to}");
        }
        for kept in [
            "Environment: prod\nVariables:\n  X: y\n",
            "Tags:\n  Environment: prod\n  Owner: me\n",
            "env: prod\nports:\n- 80\n",
            "Environment:\n  Variables:\n    DB: !GetAtt DB.Endpoint\n    S: '{{resolve:secretsmanager:db}}'\n",
        ] {
            assert_eq!(scrubbed(kept), kept);
        }
    }

    proptest::proptest! {
        /// Whatever the text, scrubbing does not panic, keeps what it does not replace, and
        /// finds nothing more in what it wrote.
        #[test]
        fn scrubbing_is_total_and_settles(
            text in "(- |Environment:|env:|Variables:|Name: |Value: |Type: SECRETS_MANAGER|X: |A=|x|é|\\||'|\"|\\\\n|[ \t\n])*"
        ) {
            let once = scrubbed(&text);
            proptest::prop_assert_eq!(scrubbed(&once), once.clone());
            proptest::prop_assert!(once == text || once.contains(REDACTED));
        }
    }
}
