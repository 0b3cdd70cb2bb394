//! Which characters the print fonts can draw, and what is printed instead of one they
//! cannot: an emoji by its name, anything else as `?`, each with a warning at its line. A
//! tagged PDF may not show a character as a blank box, and one such character must not stop
//! a whole site's build.

use std::borrow::Cow;

use typst::text::Font;

use crate::diagnostics::{Diagnostic, Rule, line_column};

/// The characters of a set of fonts.
pub struct Glyphs {
    coverage: Vec<typst::text::Coverage>,
    /// Every character prints (for tests of what does not depend on fonts).
    #[cfg(test)]
    all: bool,
}

/// What to do about a character the print fonts do not have.
const HINT: &str = "write it in words, or add a font that has it to the theme's print/fonts/; the web page shows it as it is";

/// The longest emoji sequence looked for (a family, a flag with its tags).
const LONGEST_EMOJI: usize = 10;

impl Glyphs {
    pub fn new(fonts: &[Font]) -> Glyphs {
        Glyphs {
            coverage: fonts.iter().map(|f| f.info().coverage.clone()).collect(),
            #[cfg(test)]
            all: false,
        }
    }

    /// Glyphs that print every character.
    #[cfg(test)]
    pub fn all() -> Glyphs {
        Glyphs {
            coverage: Vec::new(),
            all: true,
        }
    }

    /// Whether a character prints: a font has it, or it needs no glyph.
    pub fn covers(&self, c: char) -> bool {
        #[cfg(test)]
        if self.all {
            return true;
        }
        needs_no_glyph(c) || self.coverage.iter().any(|cov| cov.contains(c as u32))
    }

    /// `text` with each character no font has replaced: an emoji (or emoji sequence) by its
    /// name in brackets, anything else by `?`.
    pub fn printable<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if text.chars().all(|c| self.covers(c)) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if self.covers(c) {
                out.push(c);
                rest = &rest[c.len_utf8()..];
                continue;
            }
            match emoji_at(rest) {
                Some((length, name)) => {
                    out.push('(');
                    out.push_str(name);
                    out.push(')');
                    rest = &rest[length..];
                }
                None => {
                    out.push('?');
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        Cow::Owned(out)
    }

    /// A warning for each character of `source` (a page's whole file) that no print font
    /// has, at its line and column.
    pub fn check(&self, file: &std::path::Path, source: &str) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        let mut at = 0;
        while at < source.len() {
            let rest = &source[at..];
            let Some(c) = rest.chars().next() else { break };
            if self.covers(c) {
                at += c.len_utf8();
                continue;
            }
            let (length, message, hint) = match emoji_at(rest) {
                Some((length, name)) => (
                    length,
                    format!(
                        "the emoji {} is printed in the PDF as its name, ({name})",
                        &rest[..length]
                    ),
                    HINT.to_string(),
                ),
                None => (
                    c.len_utf8(),
                    format!(
                        "the character {} (U+{:04X}) is in none of the print fonts: the PDF shows ? instead",
                        c.escape_debug(),
                        c as u32
                    ),
                    HINT.to_string(),
                ),
            };
            let (line, column) = line_column(source, at);
            found.push(
                Diagnostic::warning(file, message)
                    .at(line, column)
                    .to(line, column + rest[..length].chars().count())
                    .hint(hint)
                    .rule(Rule::Glyph),
            );
            at += length;
        }
        found
    }
}

/// The longest emoji sequence at the start of `text`: its length in bytes and its name.
fn emoji_at(text: &str) -> Option<(usize, &'static str)> {
    let ends: Vec<usize> = text
        .char_indices()
        .skip(1)
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .take(LONGEST_EMOJI)
        .collect();
    ends.iter()
        .rev()
        .find_map(|&end| emojis::get(&text[..end]).map(|e| (end, e.name())))
}

/// Characters that take no space of their own: white space, controls, joiners and the
/// variation selectors that choose a glyph's style.
fn needs_no_glyph(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c as u32, 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs() -> Glyphs {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(typst::foundations::Bytes::new(data)))
            .filter(|f| f.info().family == "DejaVu Sans Mono")
            .collect();
        Glyphs::new(&fonts)
    }

    #[test]
    fn emoji_print_as_their_names_and_other_gaps_as_question_marks() {
        let g = glyphs();
        assert_eq!(g.printable("plain text"), "plain text");
        assert_eq!(g.printable("Call 📞 now"), "Call (telephone receiver) now");
        assert_eq!(g.printable("👍🏽"), "(thumbs up: medium skin tone)");
        assert_eq!(g.printable("中"), "?");
        let found = g.check(
            std::path::Path::new("a.md"),
            "---\ntitle: A\n---\nHi 😀 and 中.\n",
        );
        let places: Vec<_> = found.iter().map(|d| (d.line, d.column, d.rule)).collect();
        assert_eq!(
            places,
            [(4, 4, Some(Rule::Glyph)), (4, 10, Some(Rule::Glyph))]
        );
        assert!(
            found[0].message.contains("(grinning face)"),
            "{}",
            found[0].message
        );
    }
}
