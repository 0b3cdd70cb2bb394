//! Markdown to HTML: pulldown-cmark events parsed once per page, heading ids, table of
//! contents, internal links, callouts, charts and syntax highlighting.

mod chart;
mod highlight;
mod html;
mod links;

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

pub use html::{HtmlContext, find_word, to_html};
pub use links::{FragmentLink, LinkTargets, check_fragments, percent_decode, resolve_links};

/// One page's Markdown, parsed once and shared by the HTML and PDF renderers.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Body events; ranges are byte offsets into the page's whole source file.
    pub events: Vec<(Event<'static>, Range<usize>)>,
    pub headings: Vec<Heading>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    /// Byte offset in the page's source.
    #[serde(skip)]
    pub offset: usize,
    /// The author's own `{#id}`, as written: `id` differs if another heading had it first.
    #[serde(skip)]
    pub explicit: Option<String>,
}

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

/// Parses a page body. `body_offset` is where the body starts in the file, so that event
/// ranges point into the whole file. Every heading gets a unique id.
pub fn parse(source: &str, body_offset: usize, smart_punctuation: bool) -> Document {
    let body = &source[body_offset..];
    let mut events: Vec<(Event<'static>, Range<usize>)> =
        Parser::new_ext(body, options(smart_punctuation))
            .into_offset_iter()
            .map(|(event, range)| {
                (
                    event.into_static(),
                    range.start + body_offset..range.end + body_offset,
                )
            })
            .collect();
    let headings = assign_heading_ids(&mut events);
    Document { events, headings }
}

/// Gives headings their ids: the author's own `{#id}` or a slug of the text, made unique on
/// the page by a number.
#[derive(Default)]
struct HeadingIds {
    used: HashMap<String, usize>,
}

impl HeadingIds {
    fn heading(
        &mut self,
        level: u8,
        explicit: Option<String>,
        offset: usize,
        title: &str,
    ) -> Heading {
        let base = explicit
            .clone()
            .unwrap_or_else(|| crate::text::slugify(title));
        let count = self.used.entry(base.clone()).or_insert(0);
        *count += 1;
        let id = if *count == 1 {
            base
        } else {
            format!("{base}-{count}")
        };
        Heading {
            level,
            id,
            title: title.trim().to_string(),
            offset,
            explicit,
        }
    }
}

/// Gives every heading an id (its own `{#id}` or a slug of its text), unique on the page.
fn assign_heading_ids(events: &mut [(Event<'static>, Range<usize>)]) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut ids = HeadingIds::default();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let level = heading_level(*level);
            let explicit = id.as_ref().map(|s| s.to_string());
            let offset = events[i].1.start;
            let mut title = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    title.push_str(t);
                }
                j += 1;
            }
            let heading = ids.heading(level, explicit, offset, &title);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
                *id = Some(CowStr::from(heading.id.clone()));
            }
            headings.push(heading);
            i = j;
        }
        i += 1;
    }
    headings
}

pub fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_ids_and_ranges_point_into_the_file() {
        let source = "---\ntitle: T\n---\n## Aims\n\n## Aims\n\n### Own {#mine}\n";
        let doc = parse(source, 16, true);
        let ids: Vec<_> = doc.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["aims", "aims-2", "mine"]);
        assert_eq!(
            &source[doc.headings[0].offset..doc.headings[0].offset + 7],
            "## Aims"
        );
    }
}
