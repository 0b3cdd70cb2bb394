//! Checks on the raw HTML a page writes among its Markdown: images without alt text, tables
//! without header cells and inline colours with too little contrast.
//!
//! A small tag scanner is enough: the HTML comes in pieces (one per line of an HTML block,
//! one per inline tag), so it is never a whole document, and the checks need each tag's
//! position in the source, which HTML parsers drop.

use super::contrast;
use crate::colour;
use crate::theme::Scheme;

/// A fault found in the HTML, at a byte offset into the text checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// An `<img>` with no `alt` attribute.
    ImageWithoutAlt,
    /// A `<table>` with no `<th>` cell.
    TableWithoutHeader,
    /// A `style` attribute whose colours have this contrast ratio, below 4.5:1; when it
    /// sets only one colour, the theme's colour scheme the other comes from.
    LowContrast(f64, Option<String>),
}

/// The contrast WCAG 2.x asks of body text (level AA).
pub const MINIMUM_CONTRAST: f64 = 4.5;

/// An opening or closing tag.
struct Tag<'a> {
    name: String,
    closing: bool,
    start: usize,
    /// (name in lower case, value, offset of the name).
    attributes: Vec<(String, &'a str, usize)>,
}

impl Tag<'_> {
    fn attribute(&self, name: &str) -> Option<(&str, usize)> {
        self.attributes
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|&(_, v, at)| (v, at))
    }
}

/// The faults in a page's raw HTML. `schemes` are the theme's colour schemes, which a style
/// that sets only one colour meets.
pub fn check(html: &str, schemes: &[Scheme]) -> Vec<(usize, Fault)> {
    let mut found = Vec::new();
    // Open tables: where each starts and whether a header cell was seen.
    let mut tables: Vec<(usize, bool)> = Vec::new();
    for tag in tags(html) {
        match (tag.name.as_str(), tag.closing) {
            ("table", false) => tables.push((tag.start, false)),
            ("table", true) => {
                if let Some((start, false)) = tables.pop() {
                    found.push((start, Fault::TableWithoutHeader));
                }
            }
            ("th", false) => {
                if let Some(table) = tables.last_mut() {
                    table.1 = true;
                }
            }
            ("img", false) if tag.attribute("alt").is_none() => {
                found.push((tag.start, Fault::ImageWithoutAlt));
            }
            _ => {}
        }
        if let Some((style, at)) = tag.attribute("style")
            && !tag.closing
            && let Some((ratio, scheme)) = worst_contrast(style, schemes)
            && ratio < MINIMUM_CONTRAST
        {
            found.push((at, Fault::LowContrast(ratio, scheme)));
        }
    }
    // A table never closed still has no header if none was seen.
    found.extend(
        tables
            .into_iter()
            .filter(|(_, header)| !header)
            .map(|(start, _)| (start, Fault::TableWithoutHeader)),
    );
    found.sort_by_key(|(at, _)| *at);
    found
}

/// The lowest contrast a style's colours give, and the scheme it is in when the style sets
/// only one of text and background. `None` when it sets neither.
fn worst_contrast(style: &str, schemes: &[Scheme]) -> Option<(f64, Option<String>)> {
    match contrast::style_colours(style) {
        (None, None) => None,
        (Some(text), Some(background)) => Some((colour::ratio(text, background), None)),
        (text, background) => schemes
            .iter()
            .map(|s| {
                let ratio =
                    colour::ratio(text.unwrap_or(s.text), background.unwrap_or(s.background));
                (ratio, Some(s.name.clone()))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0)),
    }
}

/// The tags in `html`, skipping comments.
fn tags(html: &str) -> Vec<Tag<'_>> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        let start = i + lt;
        i = start + 1;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let name_end = html[i..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(html.len(), |e| i + e);
        if name_end == i || !bytes[i].is_ascii_alphabetic() {
            continue;
        }
        let name = html[i..name_end].to_ascii_lowercase();
        i = name_end;
        let mut attributes = Vec::new();
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                i = (i + 1).min(bytes.len());
                break;
            }
            let attr_start = i;
            while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b'/') {
                if bytes[i].is_ascii_whitespace() {
                    break;
                }
                i += 1;
            }
            let attr_name = html[attr_start..i].to_ascii_lowercase();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = "";
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[i + 1..]
                            .find(q as char)
                            .map_or(html.len(), |e| i + 1 + e);
                        value = &html[i + 1..end];
                        i = (end + 1).min(html.len());
                    }
                    _ => {
                        let end = html[i..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(html.len(), |e| i + e);
                        value = &html[i..end];
                        i = end;
                    }
                }
            }
            if attr_name.is_empty() {
                // Not an attribute after all (a stray character): step over it, whole, as
                // it may be more than one byte.
                i += html[i..].chars().next().map_or(1, char::len_utf8);
            } else {
                attributes.push((attr_name, value, attr_start));
            }
        }
        found.push(Tag {
            name,
            closing,
            start,
            attributes,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default theme's colour schemes.
    fn schemes() -> Vec<Scheme> {
        let scheme = |name: &str, text: &str, background: &str| Scheme {
            name: name.into(),
            text: colour::parse(text).unwrap(),
            background: colour::parse(background).unwrap(),
        };
        vec![
            scheme("light", "#0b0c0c", "#ffffff"),
            scheme("dark", "#f3f2f1", "#141516"),
        ]
    }

    fn check(html: &str) -> Vec<(usize, Fault)> {
        super::check(html, &schemes())
    }

    #[test]
    fn images_need_an_alt_attribute_but_it_may_be_empty() {
        assert_eq!(
            check("<p><img src=\"a.png\"></p>"),
            [(3, Fault::ImageWithoutAlt)]
        );
        assert!(check("<img src=\"a.png\" alt=\"A map of Sefton\">").is_empty());
        assert!(check("<img src=\"line.svg\" alt=\"\">").is_empty());
        assert!(check("<img src=a.png alt>").is_empty());
    }

    #[test]
    fn tables_need_a_header_cell_even_across_pieces() {
        assert_eq!(
            check("<table>\n<tr><td>a</td></tr>\n</table>\n"),
            [(0, Fault::TableWithoutHeader)]
        );
        assert!(check("<table>\n<thead><tr><th>Who</th></tr></thead>\n</table>").is_empty());
        // An inner table without headers inside one with them.
        assert_eq!(
            check("<table><tr><th>a</th><td><table><tr><td>b</td></tr></table></td></tr></table>"),
            [(25, Fault::TableWithoutHeader)]
        );
        assert_eq!(check("<table><tr><td>a"), [(0, Fault::TableWithoutHeader)]);
    }

    #[test]
    fn contrast_is_checked_at_the_style_attribute() {
        let found = check("<span class='x' style='color: #aaa; background: #fff'>faint</span>");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 16);
        assert!(matches!(found[0].1, Fault::LowContrast(r, None) if (r - 2.32).abs() < 0.01));
        assert!(check("<span style=\"color: #0b0c0c; background: #fff\">dark</span>").is_empty());
        assert!(check("<div style=\"margin: 0\">no colours</div>").is_empty());
    }

    #[test]
    fn one_colour_alone_must_pass_on_both_schemes() {
        // Near-black text passes on the light background but vanishes on the dark one.
        let found = check("<span style=\"color: #0b0c0c\">dark</span>");
        assert!(
            matches!(&found[..], [(6, Fault::LowContrast(r, Some(s)))] if *r < 1.5 && s == "dark"),
            "{found:?}"
        );
        // A mid-blue background with white text set too passes either way.
        assert!(check("<p style=\"background: #005ea5; color: #fff\">ok</p>").is_empty());
        // A pale background alone leaves the dark scheme's pale text on it.
        assert!(matches!(
            &check("<p style=\"background-color: #ffdd00\">x</p>")[..],
            [(3, Fault::LowContrast(_, Some(s)))] if s == "dark"
        ));
    }

    #[test]
    fn comments_and_stray_angle_brackets_are_not_tags() {
        assert!(check("<!-- <img src=\"a.png\"> -->").is_empty());
        assert!(check("a < b and <3").is_empty());
    }

    #[test]
    fn broken_html_is_read_without_panicking() {
        for html in [
            "<img src=a.png",
            "<img",
            "<",
            "</",
            "<p style=\"color: #fff",
            "<p style='",
            "<p style=",
            "<p =x é=\"ü\" style=\"color:rgb(nan, 1e9, -4)\">",
            "<é><ü style=\"color: #fff\">",
            "<!-- unclosed",
            "<table><th",
            "<p =\"x\"ü>Text</p>",
            "<p ü=1 =é>",
        ] {
            check(html);
        }
        assert_eq!(check("<img src=a.png"), [(0, Fault::ImageWithoutAlt)]);
    }
}
