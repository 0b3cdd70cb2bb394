//! What each rule finds and how severe it is (the README's table of checks lists the same).

use crate::diagnostics::{Rule, Severity};

impl Rule {
    /// Errors stop the build; warnings are reported (and stop it with `--strict`).
    pub fn severity(self) -> Severity {
        match self {
            Rule::ImageAlt
            | Rule::HeadingOrder
            | Rule::SingleH1
            | Rule::EmptyLink
            | Rule::VagueLink
            | Rule::TableHeader
            | Rule::DuplicateId
            | Rule::LowContrast
            | Rule::Callout
            | Rule::Approval
            | Rule::HistoryOrder
            | Rule::HistoryFuture
            | Rule::HistoryVersion => Severity::Error,
            Rule::LongSentence
            | Rule::ReadingGrade
            | Rule::Acronym
            | Rule::WordsToAvoid
            | Rule::ReviewBy
            | Rule::DocumentControl
            | Rule::Placeholder
            | Rule::Glyph => Severity::Warning,
        }
    }

    /// What the rule looks for.
    pub fn checks(self) -> &'static str {
        match self {
            Rule::ImageAlt => {
                "an image without alt text (mark a decorative image with the title \"decorative\")"
            }
            Rule::HeadingOrder => "a heading that skips a level, such as ## followed by ####",
            Rule::SingleH1 => "a # heading in the body: the page title is the only level 1 heading",
            Rule::EmptyLink => "a link with no text",
            Rule::VagueLink => {
                "link text that means nothing on its own (\"click here\", \"read more\", a bare web address)"
            }
            Rule::TableHeader => "a table without a header row",
            Rule::DuplicateId => "two headings on a page with the same id after slugging",
            Rule::LowContrast => {
                "an inline style whose text and background contrast is below 4.5:1"
            }
            Rule::Callout => {
                "a callout of a type folio does not know, such as > [!NOTES]: it would show as a plain quotation"
            }
            Rule::LongSentence => "a sentence longer than lint.sentence_words (25) words",
            Rule::ReadingGrade => {
                "a paragraph of 30 words or more whose Flesch-Kincaid grade is above lint.reading_grade (9)"
            }
            Rule::Acronym => {
                "a glossary acronym used on a page before it is written out in full there"
            }
            Rule::WordsToAvoid => "a word from lint.words_to_avoid in site.yaml",
            Rule::ReviewBy => "a review_by date that has passed",
            Rule::DocumentControl => {
                "a booklet without document control (owner, version, status, review date)"
            }
            Rule::Approval => {
                "a document that claims an approval its status does not have, or an approved one that does not say who approved it and when"
            }
            Rule::Placeholder => "a TBC: placeholder still to be filled",
            Rule::Glyph => {
                "a character in a booklet that none of the print fonts has: an emoji prints as its name, anything else as ?"
            }
            Rule::HistoryOrder => {
                "a change in a page's history dated before the change listed above it (changes go oldest first)"
            }
            Rule::HistoryFuture => "a change in a page's history dated after today",
            Rule::HistoryVersion => {
                "a change whose version is not higher than the one before it, or higher than the document control's version"
            }
        }
    }

    /// Whether a page may turn the rule off with `lint: allow:`. A document's approval is a
    /// fact, not a matter of style: no page can hide a claim it does not have.
    pub fn can_be_turned_off(self) -> bool {
        self != Rule::Approval
    }
}
