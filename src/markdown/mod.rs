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

/// Turns heading text into an id: lower case, letters and digits kept, runs of anything else
/// become one hyphen. "Who does what?" -> "who-does-what".
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.extend(c.to_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "children's" -> "childrens", not "children-s"
        } else {
            pending_hyphen = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

#[cfg(test)]
mod slug_tests {
    use super::slugify;

    #[test]
    fn slugs_are_lower_case_words_joined_by_hyphens() {
        assert_eq!(slugify("Who does what?"), "who-does-what");
        assert_eq!(slugify("  The Virtual School's role "), "the-virtual-schools-role");
        assert_eq!(slugify("Section 31 (CA89)"), "section-31-ca89");
        assert_eq!(slugify("???"), "section");
    }
}
