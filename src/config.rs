//! `site.yaml` -> `Config`. Strict: an unknown key is an error that suggests the nearest one.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::yaml;

pub const FILE_NAME: &str = "site.yaml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The address the site is published at; used for the sitemap and absolute links.
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub organisation: Organisation,
    #[serde(default)]
    pub accessibility: Accessibility,
    #[serde(default)]
    pub markdown: MarkdownOptions,
    #[serde(default)]
    pub pdf: PdfOptions,
    #[serde(default)]
    pub lint: LintOptions,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ComplianceStatus {
    Full,
    #[default]
    Partial,
    None,
}

/// What the accessibility statement, required of UK public sector sites, says.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    #[serde(default)]
    pub status: ComplianceStatus,
    pub prepared_on: Option<NaiveDate>,
    pub reviewed_on: Option<NaiveDate>,
    #[serde(default)]
    pub tested_with: String,
    #[serde(default)]
    pub known_issues: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownOptions {
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        Self {
            smart_punctuation: true,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    A5,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PdfOptions {
    #[serde(default)]
    pub paper: Paper,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LintOptions {
    /// Longest sentence, in words, before a warning.
    #[serde(default = "default_sentence_words")]
    pub sentence_words: usize,
    /// Highest Flesch-Kincaid grade for a paragraph before a warning.
    #[serde(default = "default_reading_grade")]
    pub reading_grade: f64,
    /// Words that label children in care, with the words to use instead.
    #[serde(default)]
    pub words_to_avoid: BTreeMap<String, String>,
}

impl Default for LintOptions {
    fn default() -> Self {
        Self {
            sentence_words: default_sentence_words(),
            reading_grade: default_reading_grade(),
            words_to_avoid: BTreeMap::new(),
        }
    }
}

fn default_language() -> String {
    "en-GB".into()
}
fn default_theme() -> String {
    "default".into()
}
fn yes() -> bool {
    true
}
fn default_sentence_words() -> usize {
    25
}
fn default_reading_grade() -> f64 {
    9.0
}

impl Config {
    /// Reads `site.yaml` from the site root.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::NotFound {
                "run folio in the site's folder, or point at it with --root DIR"
            } else {
                "check the file's permissions and that it is UTF-8 text"
            };
            Diagnostic::error(FILE_NAME, format!("cannot read {FILE_NAME}: {e}")).hint(hint)
        })?;
        let mut config: Config = yaml::parse(&text, Path::new(FILE_NAME), 1)?;
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        Ok(config)
    }

    /// The settings a build goes on with when site.yaml does not parse, so that the
    /// content's own problems are reported in the same run as the settings' problem.
    pub fn fallback() -> Config {
        Config {
            title: String::new(),
            description: String::new(),
            base_url: "/".into(),
            language: default_language(),
            theme: default_theme(),
            organisation: Organisation::default(),
            accessibility: Accessibility::default(),
            markdown: MarkdownOptions::default(),
            pdf: PdfOptions::default(),
            lint: LintOptions::default(),
        }
    }

    /// The absolute address of a site path such as `/schools/`.
    pub fn permalink(&self, url: &str) -> String {
        format!("{}{}", self.base_url, url.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_the_file_leaves_out() {
        let config: Config = yaml::parse(
            "title: T\nbase_url: https://x.example/\n",
            Path::new("site.yaml"),
            1,
        )
        .unwrap();
        assert_eq!(config.language, "en-GB");
        assert_eq!(config.theme, "default");
        assert_eq!(config.pdf.paper, Paper::A4);
        assert_eq!(config.lint.sentence_words, 25);
    }

    #[test]
    fn unknown_nested_key_is_an_error_with_a_suggestion() {
        let err = yaml::parse::<Config>(
            "title: T\nbase_url: x\norganisation:\n  nmae: Council\n",
            Path::new("site.yaml"),
            1,
        )
        .unwrap_err();
        assert_eq!(err.line, 4);
        assert!(
            err.message.contains("unknown field `nmae`"),
            "{}",
            err.message
        );
        assert!(err.hint.unwrap().contains("did you mean `name`?"));
    }
}
