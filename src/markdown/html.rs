//! Parsed Markdown events to the HTML of a page body, with folio's accessible patterns:
//! callouts, scrollable tables with names, charts, highlighted code, `<abbr>` for acronyms.

use std::collections::HashSet;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::{Document, chart, highlight};
use crate::content::{Chart, GlossaryEntry};
use crate::text::{PLACEHOLDER, escape_html};

/// How a placeholder in a page's text reads: [`crate::text::TO_BE_CONFIRMED`], marked.
const PLACEHOLDER_HTML: &str = "<strong class=\"placeholder\">To be confirmed:</strong>";

/// Site-wide things the HTML of a page can draw on.
pub struct HtmlContext<'a> {
    pub charts: &'a [Chart],
    pub glossary: &'a [GlossaryEntry],
    /// The path the site lives under (`/` or `/corporate-parenting/`): links to site paths
    /// start with it.
    pub base_path: &'a str,
}

fn callout_name(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Renders a page body to HTML.
pub fn to_html(doc: &Document, context: &HtmlContext) -> String {
    let mut out: Vec<Event> = Vec::with_capacity(doc.events.len());
    let mut expanded: HashSet<&str> = HashSet::new();
    let mut charts_on_page = 0;
    let mut last_heading = String::new();
    let mut in_heading = false;
    let mut link_depth = 0usize;
    // Each paragraph's direction, in order: one in a right-to-left script says so.
    let mut directions = paragraph_directions(doc).into_iter();
    let mut open_paragraphs: Vec<bool> = Vec::new();
    let mut events = doc.events.iter().map(|(e, _)| e).peekable();
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::Paragraph) => {
                let rtl = directions.next().unwrap_or(false);
                open_paragraphs.push(rtl);
                if rtl {
                    out.push(Event::Html("<p dir=\"rtl\">".into()));
                } else {
                    out.push(event.clone());
                }
            }
            Event::End(TagEnd::Paragraph) => {
                if open_paragraphs.pop() == Some(true) {
                    out.push(Event::Html("</p>\n".into()));
                } else {
                    out.push(event.clone());
                }
            }
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                last_heading.clear();
                out.push(event.clone());
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                out.push(event.clone());
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                for inner in events.by_ref() {
                    match inner {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(t),
                        _ => {}
                    }
                }
                let html = if info.trim() == "chart" {
                    match context.charts.iter().find(|c| c.id == code.trim()) {
                        Some(found) => {
                            charts_on_page += 1;
                            chart::render(found, charts_on_page)
                        }
                        // Unknown ids are reported when links are resolved; render nothing.
                        None => String::new(),
                    }
                } else {
                    highlight::code_block(&code, info.trim())
                };
                out.push(Event::Html(CowStr::from(html)));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = callout_name(*kind);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"callout callout-{class}\" role=\"note\" aria-label=\"{title}\">\n<p class=\"callout-title\">{title}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => out.push(Event::Html("</div>\n".into())),
            Event::Start(Tag::Table(_)) => {
                let name = if last_heading.is_empty() {
                    "Table".to_string()
                } else {
                    format!("Table: {last_heading}")
                };
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-wrap\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">\n",
                    escape_html(&name)
                ))));
                out.push(event.clone());
            }
            Event::End(TagEnd::Table) => {
                out.push(event.clone());
                out.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let mut alt = String::new();
                for inner in events.by_ref() {
                    match inner {
                        Event::End(TagEnd::Image) => break,
                        Event::Text(t) | Event::Code(t) => alt.push_str(t),
                        _ => {}
                    }
                }
                let decorative = title.as_ref() == "decorative";
                let title_attr = if title.is_empty() || decorative {
                    String::new()
                } else {
                    format!(" title=\"{}\"", escape_html(title))
                };
                let alt = if decorative { String::new() } else { alt };
                out.push(Event::Html(CowStr::from(format!(
                    "<img src=\"{}\" alt=\"{}\"{title_attr} loading=\"lazy\">",
                    escape_html(&under_base(dest_url, context.base_path)),
                    escape_html(&alt)
                ))));
            }
            Event::TaskListMarker(done) => {
                let (class, label) = if *done {
                    ("task-done", "Done: ")
                } else {
                    ("task-todo", "To do: ")
                };
                out.push(Event::Html(CowStr::from(format!(
                    "<span class=\"task-box {class}\" aria-hidden=\"true\"></span><span class=\"visually-hidden\">{label}</span>"
                ))));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if context.base_path != "/" => {
                link_depth += 1;
                out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: under_base(dest_url, context.base_path),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Link { .. }) => {
                link_depth += 1;
                out.push(event.clone());
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                out.push(event.clone());
            }
            Event::Text(text) if in_heading => {
                last_heading.push_str(text);
                out.push(event.clone());
            }
            Event::Text(text) if link_depth == 0 => {
                // A placeholder in the body reads as one on the page, as in front matter.
                let (lead, rest) = match text.strip_prefix(PLACEHOLDER) {
                    Some(rest) => (PLACEHOLDER_HTML, rest),
                    None => ("", text.as_ref()),
                };
                match with_abbreviations(rest, context.glossary, &mut expanded) {
                    Some(html) => out.push(Event::Html(CowStr::from(format!("{lead}{html}")))),
                    None if lead.is_empty() => out.push(event.clone()),
                    None => out.push(Event::Html(CowStr::from(format!(
                        "{lead}{}",
                        escape_html(rest)
                    )))),
                }
            }
            _ => out.push(event.clone()),
        }
    }
    let mut html = String::with_capacity(doc.events.len() * 16);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html
}

/// Whether each paragraph of the page, in order, is written right to left: decided by its
/// first letter that has a direction.
fn paragraph_directions(doc: &Document) -> Vec<bool> {
    let mut directions = Vec::new();
    // In a paragraph: its direction once a letter has told it.
    let mut open: Option<Option<bool>> = None;
    for (event, _) in &doc.events {
        match event {
            Event::Start(Tag::Paragraph) => open = Some(None),
            Event::End(TagEnd::Paragraph) => directions.push(open.take().flatten() == Some(true)),
            Event::Text(t) | Event::Code(t) => {
                if let Some(direction @ None) = open.as_mut() {
                    *direction = crate::text::direction(t);
                }
            }
            _ => {}
        }
    }
    directions
}

/// A link to a site path (`/schools/`) under the path the site lives at; any other
/// address as it is.
fn under_base<'a>(url: &CowStr<'a>, base_path: &str) -> CowStr<'a> {
    match url.strip_prefix('/') {
        Some(rest) if base_path != "/" && !rest.starts_with('/') => {
            CowStr::from(format!("{base_path}{rest}"))
        }
        _ => url.clone(),
    }
}

/// Wraps the first use on the page of each glossary acronym in `<abbr title="term">`.
/// Returns `None` when the text has nothing to wrap.
fn with_abbreviations<'g>(
    text: &str,
    glossary: &'g [GlossaryEntry],
    done: &mut HashSet<&'g str>,
) -> Option<String> {
    let mut hits: Vec<(usize, &'g str, &'g str)> = Vec::new();
    for entry in glossary {
        let Some(abbr) = entry.abbr.as_deref() else {
            continue;
        };
        if abbr.is_empty() || done.contains(abbr) {
            continue;
        }
        if let Some(at) = find_word(text, abbr) {
            hits.push((at, abbr, entry.term.as_str()));
        }
    }
    if hits.is_empty() {
        return None;
    }
    hits.sort_by_key(|h| h.0);
    let mut html = String::with_capacity(text.len() + 64);
    let mut cursor = 0;
    for (at, abbr, term) in hits {
        if at < cursor {
            continue;
        }
        done.insert(abbr);
        html.push_str(&escape_html(&text[cursor..at]));
        html.push_str(&format!(
            "<abbr title=\"{}\">{}</abbr>",
            escape_html(term),
            escape_html(abbr)
        ));
        cursor = at + abbr.len();
    }
    html.push_str(&escape_html(&text[cursor..]));
    Some(html)
}

/// Byte offset of `word` in `text` where it stands as a whole word.
pub fn find_word(text: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let start = from + found;
        let end = start + word.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if boundary(before) && boundary(after) {
            return Some(start);
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse;

    #[test]
    fn body_placeholders_read_to_be_confirmed() {
        assert!(PLACEHOLDER_HTML.contains(crate::text::TO_BE_CONFIRMED));
        let html = render("> TBC: the team & its mailbox.\n");
        assert!(
            html.contains(
                "<strong class=\"placeholder\">To be confirmed:</strong> the team &amp; its"
            ),
            "{html}"
        );
        assert!(!html.contains("TBC:"));
    }

    fn render(markdown: &str) -> String {
        let glossary = vec![GlossaryEntry {
            term: "Personal Education Plan".into(),
            abbr: Some("PEP".into()),
            aliases: vec![],
            definition: String::new(),
            id: String::new(),
        }];
        to_html(
            &parse(markdown, 0, true),
            &HtmlContext {
                charts: &[],
                glossary: &glossary,
                base_path: "/",
            },
        )
    }

    #[test]
    fn callouts_become_notes_with_a_title() {
        let html = render("> [!WARNING]\n> Act now.\n");
        assert!(
            html.contains(
                "<div class=\"callout callout-warning\" role=\"note\" aria-label=\"Warning\">"
            ),
            "{html}"
        );
        assert!(html.contains("<p>Act now.</p>"));
    }

    #[test]
    fn tables_scroll_in_a_named_region() {
        let html = render("## Costs\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            html.contains("role=\"region\" aria-label=\"Table: Costs\" tabindex=\"0\""),
            "{html}"
        );
    }

    #[test]
    fn decorative_images_have_empty_alt_and_no_title() {
        let html = render("![](line.svg \"decorative\") ![A chart](c.png)");
        assert!(
            html.contains("<img src=\"line.svg\" alt=\"\" loading=\"lazy\">"),
            "{html}"
        );
        assert!(html.contains("alt=\"A chart\""));
    }

    #[test]
    fn first_acronym_use_is_wrapped_in_abbr() {
        let html = render("A PEP is a plan. Each PEP (not PEPS) is reviewed.");
        assert_eq!(
            html.matches("<abbr title=\"Personal Education Plan\">PEP</abbr>")
                .count(),
            1,
            "{html}"
        );
    }

    #[test]
    fn task_items_say_their_state_to_screen_readers() {
        let html = render("- [ ] Ask\n- [x] Done\n");
        assert!(html.contains("To do: "));
        assert!(html.contains("Done: "));
        assert!(!html.contains("<input"));
    }

    #[test]
    fn words_are_found_only_whole() {
        assert_eq!(find_word("PEPS and PEP", "PEP"), Some(9));
        assert_eq!(find_word("CAMHS", "CAM"), None);
    }
}
