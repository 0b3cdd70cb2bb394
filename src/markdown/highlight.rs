//! Fenced code highlighted by syntect as CSS classes (`hl-` prefixed); the theme ships the
//! colours, so light and dark schemes both work.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::text::escape_html;

/// Loaded once per process from syntect's bundled binary dump: a few milliseconds.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A `<pre>` block for `code` in `language` (a fence's info string; empty for none).
pub fn code_block(code: &str, language: &str) -> String {
    let language = language.split([' ', ',', '{']).next().unwrap_or_default();
    let set = syntaxes();
    let syntax = (!language.is_empty())
        .then(|| set.find_syntax_by_token(language))
        .flatten();
    let body = match syntax {
        Some(syntax) => {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                set,
                ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            let ok = LinesWithEndings::from(code).all(|line| {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_ok()
            });
            if ok {
                generator.finalize()
            } else {
                escape_html(code)
            }
        }
        None => escape_html(code),
    };
    let lang_attr = if language.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape_html(language))
    };
    // tabindex lets keyboard users scroll a wide block (WCAG 2.1.1).
    format!("<pre class=\"code\"{lang_attr} tabindex=\"0\"><code>{body}</code></pre>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes_and_unknown_ones_are_escaped() {
        let html = code_block("fn main() {}\n", "rust");
        assert!(html.contains("class=\"hl-"), "{html}");
        let plain = code_block("<b>\n", "no-such-language");
        assert!(plain.contains("&lt;b&gt;"));
        assert!(!plain.contains("hl-"));
    }
}
