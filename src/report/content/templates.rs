//! The report's prose comes from tera templates: built in (from `templates/`), or the user's own
//! (`--templates DIR`, a file of the same name replaces the built-in one).

use serde_json::Value;
use std::path::Path;

const BUILT_IN: &[(&str, &str)] = &[
    (
        "executive_summary.tera",
        include_str!("../../../templates/executive_summary.tera"),
    ),
    (
        "lessons_learned.tera",
        include_str!("../../../templates/lessons_learned.tera"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot read template {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("template {name}: {message}")]
    Invalid { name: String, message: String },
    #[error("--templates {dir}: not a directory")]
    NotADirectory { dir: String },
    #[error("--templates {dir}: holds none of the report's templates ({expected}); the built-in ones would be used, so nothing of the directory would apply")]
    NoTemplate { dir: String, expected: String },
}

/// The loaded templates.
pub struct Templates {
    tera: tera::Tera,
    /// Which templates came from the user's directory.
    pub overridden: Vec<String>,
}

impl Templates {
    /// Built-in templates, each replaced by `dir/<name>` when that file exists.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        if let Some(d) = dir {
            let shown = d.display().to_string();
            if !d.is_dir() {
                return Err(TemplateError::NotADirectory { dir: shown });
            }
            if !BUILT_IN.iter().any(|(name, _)| d.join(name).is_file()) {
                let expected: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
                return Err(TemplateError::NoTemplate {
                    dir: shown,
                    expected: expected.join(", "),
                });
            }
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![]);
        let mut overridden = Vec::new();
        for (name, text) in BUILT_IN {
            let custom = dir.map(|d| d.join(name)).filter(|p| p.is_file());
            let body = match &custom {
                Some(p) => {
                    overridden.push(name.to_string());
                    std::fs::read_to_string(p).map_err(|source| TemplateError::Read {
                        path: p.display().to_string(),
                        source,
                    })?
                }
                None => text.to_string(),
            };
            tera.add_raw_template(name, &body)
                .map_err(|e| invalid(name, &e))?;
        }
        Ok(Templates { tera, overridden })
    }

    pub fn render(&self, name: &str, context: &Value) -> Result<String, TemplateError> {
        let ctx = tera::Context::from_value(context.clone()).map_err(|e| invalid(name, &e))?;
        self.tera.render(name, &ctx).map_err(|e| invalid(name, &e))
    }
}

fn invalid(name: &str, e: &tera::Error) -> TemplateError {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    TemplateError::Invalid {
        name: name.to_string(),
        message,
    }
}
