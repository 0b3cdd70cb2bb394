//! Markdown to HTML: pulldown-cmark events, heading ids, table of contents, callouts,
//! internal links and syntax highlighting.

use pulldown_cmark::Options;

/// The Markdown extensions folio turns on, shared by the HTML and PDF renderers so both read
/// a page the same way.
pub fn options(smart_punctuation: bool) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST;
    if smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}
