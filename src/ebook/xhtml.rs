//! A page's body HTML, as the web pages have it, written again as the XHTML an EPUB holds:
//! well-formed XML, no named entities, void elements closed, SVG in its namespace. The
//! structure, text and alt text stay as they are; links and images are pointed into the
//! book, and what an e-reader must not run (scripts, forms, frames) is left out.

use ego_tree::NodeRef;
use scraper::{Html, Node};

/// Elements left out with everything inside them: active content has no place in a book,
/// and the web page's own chrome does not come through a page body.
const DROPPED: &[&str] = &[
    "script", "noscript", "style", "iframe", "object", "embed", "form", "input", "button",
    "select", "textarea", "link", "meta", "template", "base",
];

/// Attributes of the web that an EPUB's HTML has no use for, or that older EPUB checkers
/// do not know (`loading`).
const DROPPED_ATTRIBUTES: &[&str] = &["loading", "decoding", "fetchpriority"];

const VOID: &[&str] = &["area", "br", "col", "hr", "img", "source", "track", "wbr"];

const SVG: &str = "http://www.w3.org/2000/svg";
const XLINK: &str = "http://www.w3.org/1999/xlink";

/// What rewriting a body needs to know.
pub trait Rewrite {
    /// Where a link goes in the book: its `href` written for the book.
    fn href(&self, href: &str) -> String;
    /// The book's path of an image (`images/3.png`), or `None` when the book does not hold
    /// it: then its alt text stands in its place.
    fn image(&mut self, src: &str) -> Option<String>;
}

/// What came out: the XHTML, and whether it holds inline SVG (the package says so).
pub struct Converted {
    pub xhtml: String,
    pub svg: bool,
}

/// Converts the HTML of a page body.
pub fn convert(html: &str, rewrite: &mut dyn Rewrite) -> Converted {
    let fragment = Html::parse_fragment(html);
    let mut out = Converted {
        xhtml: String::with_capacity(html.len() + html.len() / 8),
        svg: false,
    };
    for child in fragment.root_element().children() {
        write_node(child, rewrite, &mut out, false);
    }
    out
}

fn write_node(node: NodeRef<Node>, rewrite: &mut dyn Rewrite, out: &mut Converted, in_svg: bool) {
    match node.value() {
        Node::Text(text) => out.xhtml.push_str(&escape(text)),
        Node::Element(element) => {
            let name = element.name();
            if DROPPED.contains(&name) {
                return;
            }
            let svg = &*element.name.ns == SVG;
            if name == "img" && !svg {
                write_image(element, rewrite, out);
                return;
            }
            out.xhtml.push('<');
            out.xhtml.push_str(name);
            if svg && !in_svg {
                out.svg = true;
                out.xhtml.push_str(" xmlns=\"");
                out.xhtml.push_str(SVG);
                out.xhtml.push('"');
                if element.attrs.iter().any(|(n, _)| &*n.ns == XLINK) {
                    out.xhtml.push_str(" xmlns:xlink=\"");
                    out.xhtml.push_str(XLINK);
                    out.xhtml.push('"');
                }
            }
            for (attribute, value) in element.attrs.iter() {
                let local = &*attribute.local;
                if DROPPED_ATTRIBUTES.contains(&local) || local.starts_with("on") {
                    continue;
                }
                let value = if local == "href" && !svg {
                    rewrite.href(value)
                } else {
                    value.to_string()
                };
                out.xhtml.push(' ');
                if &*attribute.ns == XLINK {
                    out.xhtml.push_str("xlink:");
                } else if &*attribute.ns == "http://www.w3.org/XML/1998/namespace" {
                    out.xhtml.push_str("xml:");
                }
                out.xhtml.push_str(local);
                out.xhtml.push_str("=\"");
                out.xhtml.push_str(&escape(&value));
                out.xhtml.push('"');
            }
            if VOID.contains(&name) && !svg {
                out.xhtml.push_str("/>");
                return;
            }
            out.xhtml.push('>');
            for child in node.children() {
                write_node(child, rewrite, out, in_svg || svg);
            }
            out.xhtml.push_str("</");
            out.xhtml.push_str(name);
            out.xhtml.push('>');
        }
        // Comments, doctypes and processing instructions say nothing to a reader.
        _ => {}
    }
}

fn write_image(element: &scraper::node::Element, rewrite: &mut dyn Rewrite, out: &mut Converted) {
    let alt = element.attr("alt").unwrap_or("");
    let Some(src) = element.attr("src").and_then(|s| rewrite.image(s)) else {
        // An image the book cannot hold: its description stays in the text.
        if !alt.is_empty() {
            out.xhtml.push_str("<span class=\"image-text\">");
            out.xhtml.push_str(&escape(alt));
            out.xhtml.push_str("</span>");
        }
        return;
    };
    out.xhtml.push_str("<img src=\"");
    out.xhtml.push_str(&escape(&src));
    out.xhtml.push_str("\" alt=\"");
    out.xhtml.push_str(&escape(alt));
    out.xhtml.push('"');
    if let Some(title) = element.attr("title") {
        out.xhtml.push_str(" title=\"");
        out.xhtml.push_str(&escape(title));
        out.xhtml.push('"');
    }
    out.xhtml.push_str("/>");
}

/// Text as XML, by the one escaper of page bodies; characters XML 1.0 does not allow at all
/// (control characters) are left out.
pub fn escape(text: &str) -> String {
    if text
        .chars()
        .any(|c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
    {
        let allowed: String = text
            .chars()
            .filter(|&c| (c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
            .collect();
        return crate::text::escape_html(&allowed);
    }
    crate::text::escape_html(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Plain;

    impl Rewrite for Plain {
        fn href(&self, href: &str) -> String {
            format!("book:{href}")
        }
        fn image(&mut self, src: &str) -> Option<String> {
            (src == "a.png").then(|| "images/1.png".to_string())
        }
    }

    #[test]
    fn html_becomes_well_formed_xhtml() {
        let html = "<p>One&nbsp;two <br> <a href=\"/x/\" onclick=\"y()\">x</a></p>\
                    <img src=\"a.png\" alt=\"A &amp; B\" loading=\"lazy\"><img src=\"b.png\" alt=\"gone\">\
                    <script>alert(1)</script><svg viewBox=\"0 0 1 1\"><title>t</title><rect></rect></svg>";
        let out = convert(html, &mut Plain);
        assert_eq!(
            out.xhtml,
            "<p>One\u{a0}two <br/> <a href=\"book:/x/\">x</a></p>\
             <img src=\"images/1.png\" alt=\"A &amp; B\"/><span class=\"image-text\">gone</span>\
             <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><title>t</title><rect></rect></svg>"
        );
        assert!(out.svg);
    }
}
