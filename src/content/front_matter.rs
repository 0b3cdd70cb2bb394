//! Front matter: the YAML block between `---` lines at the top of a Markdown file.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Rule};
use crate::yaml;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub subtitle: Option<String>,
    /// A short label for the main menu, where the title would be too long to fit.
    pub menu_title: Option<String>,
    /// Position among siblings; pages without one come after those with one.
    pub order: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    /// `booklet` or `section` on a section's `_index.md`; a theme-declared kind on a page.
    pub kind: Option<String>,
    pub template: Option<String>,
    pub document_control: Option<DocumentControl>,
    /// Values for a theme-declared kind, validated against the theme's `kinds.yaml`.
    pub fields: Option<yaml::Mapping>,
    #[serde(default)]
    pub lint: LintSettings,
    /// Print options for a booklet's PDF (`paper: a5`), overriding site.yaml's.
    pub pdf: Option<crate::config::PdfOptions>,
    /// What changed on this page (a chapter or a page of its own), oldest first. A booklet
    /// keeps its changes in its document control.
    #[serde(default)]
    pub history: Vec<Change>,
    /// Old site paths of this page (`/old/place/`): each gets a page that sends the reader on.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Booklets only: which formats this booklet is made in, over site.yaml's `formats:`.
    pub formats: Option<crate::config::Formats>,
    /// The one free-form map, for templates.
    #[serde(default)]
    pub extra: yaml::Mapping,
}

/// Who owns a document, which version it is, whether (and by whom) it is approved and when
/// it is reviewed.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentControl {
    /// A role, not a person.
    pub owner: String,
    pub version: String,
    /// Whether the document is approved; only an approved one names who approved it and when.
    pub status: Status,
    /// Who approved it: only when `status: approved`.
    pub approved_by: Option<String>,
    /// When it was approved: only when `status: approved`.
    pub approved_on: Option<NaiveDate>,
    /// Who is to approve a draft, when known (or a `TBC:` placeholder).
    pub to_be_approved_by: Option<String>,
    pub review_by: Option<NaiveDate>,
    /// What changed in the document, one line a change, oldest first.
    #[serde(default)]
    pub history: Vec<Change>,
}

/// One change to a document or page: when, which version it made (if any), and what changed
/// in one line.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub date: NaiveDate,
    /// The version the change made; a change within a version (a chapter's) may leave it out.
    pub version: Option<String>,
    pub summary: String,
}

/// Where a document stands on its way to approval.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Being written: not yet put forward.
    #[default]
    Draft,
    /// Put forward for approval, not yet approved.
    ForApproval,
    Approved,
}

impl FrontMatter {
    /// The page kind's fields as templates get them: as written, with a readable date beside
    /// each ISO one (`review_by` and `review_by_text`).
    pub fn fields_value(&self) -> serde_json::Value {
        use serde_json::Value;
        let Some(mapping) = &self.fields else {
            return Value::Null;
        };
        let mut json = serde_json::to_value(mapping).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut json {
            let dates: Vec<(String, Value)> = map
                .iter()
                .filter_map(|(k, v)| {
                    let date = NaiveDate::parse_from_str(v.as_str()?, "%Y-%m-%d").ok()?;
                    Some((
                        format!("{k}_text"),
                        Value::String(crate::text::date_text(date)),
                    ))
                })
                .collect();
            map.extend(dates);
        }
        json
    }
}

impl Status {
    /// How the status reads to people: "Draft", "Draft for approval", "Approved".
    pub fn text(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::ForApproval => "Draft for approval",
            Status::Approved => "Approved",
        }
    }

    /// As written in front matter.
    pub fn name(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::ForApproval => "for-approval",
            Status::Approved => "approved",
        }
    }

    pub fn is_approved(self) -> bool {
        self == Status::Approved
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LintSettings {
    /// Checks turned off for this page: rule -> the reason, which the report lists.
    #[serde(default)]
    pub allow: BTreeMap<Rule, String>,
}

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// The file line the YAML starts on (1-based).
    pub yaml_line: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Finds the front matter. It must open on the first line with `---` and close with `---`.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let first_line_end = text_no_bom.find('\n').map_or(text_no_bom.len(), |i| i + 1);
    if text_no_bom[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error(file, "the file does not start with front matter")
            .at(1, 1)
            .hint("start the file with a line `---`, then `title: ...`, then a closing `---` line"));
    }
    let yaml_start = bom + first_line_end;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(file, "the front matter is not closed")
        .at(1, 1)
        .hint("add a line `---` after the last front matter field"))
}

/// Splits and parses the front matter of a Markdown file.
pub fn parse<'a>(text: &'a str, file: &Path) -> Result<(FrontMatter, Split<'a>), Diagnostic> {
    let split = split(text, file)?;
    let front: FrontMatter = yaml::parse(split.yaml, file, split.yaml_line)?;
    if front.title.trim().is_empty() {
        return Err(Diagnostic::error(file, "the title is empty")
            .at(line_of_key(text, "title").unwrap_or(2), 1)
            .hint("give the page a title: `title: What the page is about`"));
    }
    Ok((front, split))
}

/// The file line of the first `key:` in the front matter, to point diagnostics at it.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(1)
        .take_while(|(_, l)| l.trim_end() != "---")
        .find(|(_, l)| {
            let t = l.trim_start();
            t.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
        })
        .map(|(i, _)| i + 1)
}

/// The items of the front matter list under the first `key:`, each as the range of file
/// lines (1-based, end exclusive) it spans, to point diagnostics at one item.
pub fn list_items(text: &str, key: &str) -> Vec<std::ops::Range<usize>> {
    let Some(start) = line_of_key(text, key) else {
        return Vec::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let key_indent = indent(lines[start - 1]);
    let mut items: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(start) {
        let trimmed = line.trim_start();
        if line.trim_end() == "---" {
            break;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let is_item = trimmed.starts_with("- ") || trimmed == "-";
        if indent(line) < key_indent || (indent(line) == key_indent && !is_item) {
            break;
        }
        if is_item && items.last().is_none_or(|_| indent(line) <= key_indent + 2) {
            if let Some(last) = items.last_mut() {
                last.end = i + 1;
            }
            items.push(i + 1..i + 2);
        } else if let Some(last) = items.last_mut() {
            last.end = i + 2;
        }
    }
    items
}

/// Where `key:`'s value is written within `lines` of `text`: its line, and the columns of
/// the value's start and just after its end (1-based). The first line of `lines` when the
/// key is not found there.
pub fn value_in(text: &str, lines: std::ops::Range<usize>, key: &str) -> (usize, usize, usize) {
    let pattern = format!("{key}:");
    for (i, line) in text
        .lines()
        .enumerate()
        .skip(lines.start.saturating_sub(1))
        .take(lines.len())
    {
        let Some(at) = line.find(&pattern) else {
            continue;
        };
        let before = &line[..at];
        if !(before.is_empty() || before.ends_with([' ', '-', '{', ','])) {
            continue;
        }
        let after = &line[at + pattern.len()..];
        let value = after.trim_start();
        let value = value
            .split_once([',', '}'])
            .filter(|_| before.contains('{'))
            .map_or(value, |(v, _)| v)
            .trim_end();
        let start = at + pattern.len() + (after.len() - after.trim_start().len());
        let start_column = line[..start].chars().count() + 1;
        return (i + 1, start_column, start_column + value.chars().count());
    }
    (lines.start, 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_items_of_a_list_and_their_values() {
        let text = "---\ntitle: A\nhistory:\n  - date: 2026-01-02\n    version: \"1.0\"\n    summary: First\n  - {date: 2026-02-03, summary: Second}\naliases: [/a/]\n---\n";
        let items = list_items(text, "history");
        assert_eq!(items, vec![4..7, 7..8]);
        assert_eq!(value_in(text, items[0].clone(), "version"), (5, 14, 19));
        assert_eq!(value_in(text, items[1].clone(), "date"), (7, 12, 22));
        let nested = "---\ndocument_control:\n  owner: X\n  history:\n  - date: 2026-01-02\n    summary: S\n  review_by: 2027-01-01\n---\n";
        assert_eq!(list_items(nested, "history"), vec![5..7]);
    }

    #[test]
    fn splits_front_matter_from_body() {
        let text = "---\ntitle: A\n---\nBody\n";
        let s = split(text, Path::new("a.md")).unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(&text[s.body_offset..], "Body\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split("---\ntitle: A\n", Path::new("a.md")).unwrap_err();
        assert!(err.message.contains("not closed"));
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let err = parse("---\ntitle: A\norder: [\n---\n", Path::new("a.md")).unwrap_err();
        assert!(err.line >= 3, "line {}", err.line);
    }

    #[test]
    fn missing_title_is_reported() {
        let err = parse("---\norder: 1\n---\n", Path::new("a.md")).unwrap_err();
        assert_eq!(err.message, "missing required field `title`");
    }

    #[test]
    fn finds_the_line_of_a_key() {
        assert_eq!(
            line_of_key("---\ntitle: A\n  review_by: 2020-01-01\n---\n", "review_by"),
            Some(3)
        );
    }
}
