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
    /// The address the site is published at, with any path it lives under
    /// (`https://www.example.gov.uk/corporate-parenting/`): every link the site writes starts
    /// with that path.
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub organisation: Organisation,
    #[serde(default)]
    pub brand: Brand,
    #[serde(default)]
    pub accessibility: Accessibility,
    #[serde(default)]
    pub markdown: MarkdownOptions,
    #[serde(default)]
    pub pdf: PdfOptions,
    /// Which formats every booklet is made in; a booklet's front matter can change each.
    #[serde(default)]
    pub formats: Formats,
    #[serde(default)]
    pub lint: LintOptions,
    #[serde(default)]
    pub limits: Limits,
}

/// How big content may be: past these, a page is an error rather than a build that takes
/// minutes and gigabytes. Each can be raised in site.yaml.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// The largest page file, in bytes.
    #[serde(default = "default_page_bytes")]
    pub page_bytes: usize,
    /// The most rows of one table.
    #[serde(default = "default_table_rows")]
    pub table_rows: usize,
    /// The deepest nesting of lists and quotations.
    #[serde(default = "default_nesting")]
    pub nesting: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            page_bytes: default_page_bytes(),
            table_rows: default_table_rows(),
            nesting: default_nesting(),
        }
    }
}

fn default_page_bytes() -> usize {
    2 * 1024 * 1024
}
fn default_table_rows() -> usize {
    2000
}
fn default_nesting() -> usize {
    16
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

/// The council's own look, without forking the theme: a logo and a colour, in the web
/// pages' header and on the PDF cover.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// The header's and the cover's background (`#00594f`), under white text.
    pub colour: Option<String>,
    pub logo: Option<Logo>,
}

impl Brand {
    /// The brand colour, when it is one (the build refuses one that is not).
    pub fn colour(&self) -> Option<crate::colour::Colour> {
        self.colour.as_deref().and_then(crate::colour::parse)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Logo {
    /// An SVG or PNG file in the site's `static/` folder (or the theme's): `logo.svg`.
    pub file: String,
    /// What the logo says, for people who cannot see it: usually the council's name. Empty
    /// only by mistake, so it has no default meaning; the build refuses it.
    #[serde(default)]
    pub alt: String,
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

/// A format a booklet is made in, besides its web pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// The tagged PDF, on the booklet's paper.
    Pdf,
    /// A tagged PDF in large print, for readers with low vision.
    LargePrint,
    /// A reflowable EPUB 3, for e-readers and reading apps.
    Epub,
    /// The booklet on A5, imposed two pages to an A4 side, for a print room to print and fold.
    PrintRoom,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::Pdf,
        Format::LargePrint,
        Format::Epub,
        Format::PrintRoom,
    ];

    /// Its key under `formats:` in site.yaml and front matter.
    pub fn key(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::LargePrint => "large_print",
            Format::Epub => "epub",
            Format::PrintRoom => "print_room",
        }
    }

    /// The kind of file, as a download block names it: "PDF".
    pub fn file_type(self) -> &'static str {
        match self {
            Format::Pdf | Format::LargePrint | Format::PrintRoom => "PDF",
            Format::Epub => "EPUB",
        }
    }
}

/// `formats:` in site.yaml or a booklet's front matter: each format on (`true`) or off
/// (`false`). What a booklet leaves out comes from site.yaml; what site.yaml leaves out is on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Formats {
    pub pdf: Option<bool>,
    pub large_print: Option<bool>,
    pub epub: Option<bool>,
    pub print_room: Option<bool>,
}

impl Formats {
    /// What this says of a format, if anything.
    pub fn get(&self, format: Format) -> Option<bool> {
        match format {
            Format::Pdf => self.pdf,
            Format::LargePrint => self.large_print,
            Format::Epub => self.epub,
            Format::PrintRoom => self.print_room,
        }
    }
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

/// The 1-based line of a top-level key in the site's `site.yaml`, or 1.
pub fn line_of(root: &Path, key: &str) -> usize {
    std::fs::read_to_string(root.join(FILE_NAME))
        .ok()
        .and_then(|text| {
            text.lines()
                .position(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
        })
        .map_or(1, |i| i + 1)
}

/// The 1-based line of `key` inside the top-level mapping `parent` of `site.yaml`, or of
/// `parent` itself when `key` is not found, or 1.
pub fn line_of_nested(root: &Path, parent: &str, key: &str) -> usize {
    let start = line_of(root, parent);
    std::fs::read_to_string(root.join(FILE_NAME))
        .ok()
        .and_then(|text| {
            text.lines()
                .enumerate()
                .skip(start)
                .take_while(|(_, l)| l.is_empty() || l.starts_with([' ', '\t', '#']))
                .find(|(_, l)| {
                    l.trim_start()
                        .strip_prefix(key)
                        .is_some_and(|r| r.starts_with(':'))
                })
                .map(|(i, _)| i + 1)
        })
        .unwrap_or(start)
}

impl Config {
    /// Reads `site.yaml` from the site root. `base_url` replaces the file's own (for preview
    /// deployments).
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config, Diagnostic> {
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
        if let Some(base_url) = base_url {
            config.base_url = base_url.to_string();
        }
        config.base_url = normalise_base_url(&config.base_url).map_err(|problem| {
            let at = if base_url.is_some() { 0 } else { line_of(root, "base_url") };
            let d = Diagnostic::error(FILE_NAME, format!("the base_url `{}` {problem}", config.base_url))
                .hint("write the full address the site is published at, such as https://www.example.gov.uk/ or https://www.example.gov.uk/corporate-parenting/");
            if base_url.is_some() { d } else { d.at(at, 1) }
        })?;
        Ok(config)
    }

    /// The path the site lives under: `/` at a domain's root, `/corporate-parenting/` in a
    /// folder of it.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        self.base_url[after_scheme..]
            .find('/')
            .map_or("/", |i| &self.base_url[after_scheme + i..])
    }

    /// The link to a site path (`/schools/`) as the published site writes it, under the
    /// base path: `/corporate-parenting/schools/`.
    pub fn href(&self, site_path: &str) -> String {
        format!("{}{}", self.base_path(), site_path.trim_start_matches('/'))
    }

    /// The settings a build goes on with when site.yaml does not parse, so that the
    /// content's own problems are reported in the same run as the settings' problem.
    pub fn fallback() -> Config {
        Config {
            title: String::new(),
            description: String::new(),
            base_url: "http://localhost/".into(),
            language: default_language(),
            theme: default_theme(),
            organisation: Organisation::default(),
            brand: Brand::default(),
            accessibility: Accessibility::default(),
            markdown: MarkdownOptions::default(),
            pdf: PdfOptions::default(),
            formats: Formats::default(),
            lint: LintOptions::default(),
            limits: Limits::default(),
        }
    }

    /// The absolute address of a site path such as `/schools/`.
    pub fn permalink(&self, url: &str) -> String {
        format!("{}{}", self.base_url, url.trim_start_matches('/'))
    }
}

/// A base URL as folio uses it: absolute, http or https, no query or fragment, ending in `/`.
fn normalise_base_url(text: &str) -> Result<String, &'static str> {
    let url = url::Url::parse(text.trim()).map_err(|_| "is not a full web address")?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must start with https:// (or http://)");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("has no host name");
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("cannot have a query (`?`) or fragment (`#`)");
    }
    let mut normal = url.to_string();
    if !normal.ends_with('/') {
        normal.push('/');
    }
    Ok(normal)
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
    fn formats_are_on_unless_turned_off_and_a_misspelt_one_is_named() {
        let config: Config = yaml::parse(
            "title: T\nbase_url: https://x.example/\nformats:\n  epub: false\n",
            Path::new("site.yaml"),
            1,
        )
        .unwrap();
        assert_eq!(config.formats.get(Format::Epub), Some(false));
        assert_eq!(config.formats.get(Format::LargePrint), None);
        let err = yaml::parse::<Config>(
            "title: T\nbase_url: x\nformats:\n  large-print: false\n",
            Path::new("site.yaml"),
            1,
        )
        .unwrap_err();
        assert_eq!(err.line, 4);
        assert!(
            err.message.contains("unknown field `large-print`"),
            "{}",
            err.message
        );
        assert!(
            err.hint.unwrap().starts_with("did you mean `large_print`?"),
            "the hint suggests the format's name"
        );
    }

    #[test]
    fn the_base_path_comes_from_base_url() {
        let mut config = Config::fallback();
        config.base_url = normalise_base_url("https://x.example/some/path").unwrap();
        assert_eq!(config.base_url, "https://x.example/some/path/");
        assert_eq!(config.base_path(), "/some/path/");
        assert_eq!(config.href("/schools/"), "/some/path/schools/");
        assert_eq!(config.href("/"), "/some/path/");
        config.base_url = normalise_base_url("https://x.example").unwrap();
        assert_eq!(config.base_path(), "/");
        assert_eq!(config.href("/css/folio.css"), "/css/folio.css");
        for bad in [
            "x.example/",
            "ftp://x.example/",
            "https://x.example/?a=1",
            "/path/",
        ] {
            assert!(normalise_base_url(bad).is_err(), "{bad}");
        }
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
