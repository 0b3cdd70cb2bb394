//! One error type for everything a person editing the site can get wrong.
//!
//! A `Diagnostic` says where (file, line, column), what is wrong, and how to fix it.
//! The build collects every diagnostic before it stops, so an editor sees all problems at once.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file the problem is in, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem is about the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// Where the faulty text ends (line and column just after it); 0 when only the start is
    /// known.
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    /// What to do about it, written for the person editing content.
    pub hint: Option<String>,
    /// The check that raised it, for warnings that can be allowed per page.
    pub rule: Option<Rule>,
}

/// The checks folio runs, by the names pages use to turn one off (`lint: allow:`). What each
/// finds, and how severe it is, lives with the checks in [`crate::lint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    ImageAlt,
    HeadingOrder,
    SingleH1,
    EmptyLink,
    VagueLink,
    TableHeader,
    DuplicateId,
    LowContrast,
    Callout,
    LongSentence,
    ReadingGrade,
    Acronym,
    WordsToAvoid,
    ReviewBy,
    DocumentControl,
    Approval,
    Placeholder,
    Glyph,
    HistoryOrder,
    HistoryFuture,
    HistoryVersion,
}

impl Rule {
    pub const ALL: [Rule; 21] = [
        Rule::ImageAlt,
        Rule::HeadingOrder,
        Rule::SingleH1,
        Rule::EmptyLink,
        Rule::VagueLink,
        Rule::TableHeader,
        Rule::DuplicateId,
        Rule::LowContrast,
        Rule::Callout,
        Rule::LongSentence,
        Rule::ReadingGrade,
        Rule::Acronym,
        Rule::WordsToAvoid,
        Rule::ReviewBy,
        Rule::DocumentControl,
        Rule::Approval,
        Rule::Placeholder,
        Rule::Glyph,
        Rule::HistoryOrder,
        Rule::HistoryFuture,
        Rule::HistoryVersion,
    ];

    /// The name written in front matter and reports: `long-sentence`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::ImageAlt => "image-alt",
            Rule::HeadingOrder => "heading-order",
            Rule::SingleH1 => "single-h1",
            Rule::EmptyLink => "empty-link",
            Rule::VagueLink => "vague-link",
            Rule::TableHeader => "table-header",
            Rule::DuplicateId => "duplicate-id",
            Rule::LowContrast => "low-contrast",
            Rule::Callout => "callout",
            Rule::LongSentence => "long-sentence",
            Rule::ReadingGrade => "reading-grade",
            Rule::Acronym => "acronym",
            Rule::WordsToAvoid => "words-to-avoid",
            Rule::ReviewBy => "review-by",
            Rule::DocumentControl => "document-control",
            Rule::Approval => "approval",
            Rule::Placeholder => "placeholder",
            Rule::Glyph => "glyph",
            Rule::HistoryOrder => "history-order",
            Rule::HistoryFuture => "history-future",
            Rule::HistoryVersion => "history-version",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A rule name that folio does not know, with the nearest one it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule {
    pub suggestion: Option<Rule>,
}

/// By its name, in reports and in the cache's records alike.
impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Separates a hint from the message in a custom deserialisation error, so that a type's own
/// check (a rule name, say) can say what to do, as the built-in errors do.
pub const HINT: &str = "\u{1f}hint: ";

/// Front matter names a rule by its name; a misspelt one is an error with a suggestion.
impl<'de> serde::Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Rule, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(|unknown: UnknownRule| {
            let hint = match unknown.suggestion {
                Some(rule) => format!("did you mean `{rule}`? The checks are listed in the README"),
                None => format!("the checks are: {}", Rule::ALL.map(Rule::name).join(", ")),
            };
            serde::de::Error::custom(format!("`{name}` is not a check folio knows{}{hint}", HINT))
        })
    }
}

impl std::str::FromStr for Rule {
    type Err = UnknownRule;

    fn from_str(name: &str) -> Result<Rule, UnknownRule> {
        if let Some(rule) = Rule::ALL.into_iter().find(|r| r.name() == name) {
            return Ok(rule);
        }
        let names = Rule::ALL.map(Rule::name);
        let suggestion = crate::text::nearest(name, &names)
            .and_then(|near| Rule::ALL.into_iter().find(|r| r.name() == near));
        Err(UnknownRule { suggestion })
    }
}

impl Diagnostic {
    pub fn error(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.as_ref().to_path_buf(),
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
            message: message.into(),
            hint: None,
            rule: None,
        }
    }

    pub fn warning(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Where the faulty text ends: the line and column just after it.
    pub fn to(mut self, line: usize, column: usize) -> Self {
        self.end_line = line;
        self.end_column = column;
        self
    }

    /// The faulty text as a byte range of the file's `text`.
    pub fn span(self, text: &str, range: std::ops::Range<usize>) -> Self {
        let (line, column) = line_column(text, range.start);
        let (end_line, end_column) = line_column(text, range.end.max(range.start));
        self.at(line, column).to(end_line, end_column)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn rule(mut self, rule: Rule) -> Self {
        self.rule = Some(rule);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `error: path:line:column: message` then an indented `hint:` line, like a compiler.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(rule) = self.rule {
            write!(f, " [{rule}]")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Converts a byte offset in `text` to a 1-based (line, column), counting columns in characters.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Sorts diagnostics by file, line and column so reports read top to bottom and are stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let text = "ab\ncé d\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // 'é' is two bytes; the 'd' after "cé " is the fourth character.
        assert_eq!(line_column(text, 7), (2, 4));
    }

    #[test]
    fn rule_names_parse_and_misspellings_get_a_suggestion() {
        assert_eq!("long-sentence".parse::<Rule>(), Ok(Rule::LongSentence));
        for rule in Rule::ALL {
            assert_eq!(rule.name().parse::<Rule>(), Ok(rule));
        }
        assert_eq!(
            "long-sentense".parse::<Rule>(),
            Err(UnknownRule {
                suggestion: Some(Rule::LongSentence)
            })
        );
        assert_eq!(
            "everything".parse::<Rule>(),
            Err(UnknownRule { suggestion: None })
        );
    }

    #[test]
    fn display_reads_like_a_compiler_message() {
        let d = Diagnostic::error("content/a.md", "missing title")
            .at(2, 1)
            .hint("add `title: ...`");
        assert_eq!(
            d.to_string(),
            "error: content/a.md:2:1: missing title\n  hint: add `title: ...`"
        );
    }
}
