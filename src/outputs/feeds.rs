//! Atom 1.0 feeds of changes: one for the whole site (`/atom.xml`) and one for each booklet
//! with changes (`/schools/atom.xml`), each entry a change from a page's history that links
//! to the page it changed.
//!
//! Ids are tag URIs (RFC 4151) made of the site's host, the change's date, the page's path
//! and its version (or its place in the page's history): the same change keeps its id from
//! build to build, and a new change gets a new one.

use super::{Input, Made, Output};
use crate::content::{Changed, PageId, Site};
use crate::text::escape_html;
use crate::theme::Theme;

pub struct Feeds;

impl Output for Feeds {
    fn name(&self) -> &'static str {
        "feeds"
    }

    fn links(&self, site: &Site, _theme: &Theme) -> Vec<String> {
        std::iter::once(None)
            .chain(site.booklets().map(Some))
            .filter_map(|b| site.feed_url(b))
            .collect()
    }

    fn make(&self, input: &Input, _only: Option<&[PageId]>, made: &mut Made) {
        let site = input.site;
        for booklet in std::iter::once(None).chain(site.booklets().map(Some)) {
            let Some(url) = site.feed_url(booklet) else {
                continue;
            };
            let (title, changes) = match booklet {
                None => (site.config.title.clone(), site.changes()),
                Some(b) => (
                    format!("{}: {}", site.config.title, site.pages[b].front.title),
                    site.changes_of(b),
                ),
            };
            let about = booklet.map_or("/", |b| site.pages[b].url.as_str());
            input.keep(
                made,
                url.trim_start_matches('/').into(),
                feed(site, &title, &url, about, &changes).into_bytes(),
            );
        }
    }
}

/// A feed: `url` is its own site path, `about` the page it is the feed of.
fn feed(site: &Site, title: &str, url: &str, about: &str, changes: &[Changed]) -> String {
    let config = &site.config;
    let author = if config.organisation.name.is_empty() {
        &config.title
    } else {
        &config.organisation.name
    };
    let updated = changes
        .iter()
        .map(|c| c.change.date)
        .max()
        .map(timestamp)
        .unwrap_or_default();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    xml.push_str(&escape_html(&config.language));
    xml.push_str("\">\n");
    push(&mut xml, 1, "id", &config.permalink(url));
    push(&mut xml, 1, "title", &format!("{title}: updates"));
    push(&mut xml, 1, "updated", &updated);
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape_html(&config.permalink(url))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape_html(&config.permalink(about))
    ));
    xml.push_str("  <author>\n");
    push(&mut xml, 2, "name", author);
    xml.push_str("  </author>\n");
    for change in changes {
        let page = &site.pages[change.page];
        let entry_title = match &change.change.version {
            Some(version) => format!("{}: version {version}", page.front.title),
            None => format!("{}: updated", page.front.title),
        };
        xml.push_str("  <entry>\n");
        push(&mut xml, 2, "id", &entry_id(site, change));
        push(&mut xml, 2, "title", &entry_title);
        push(&mut xml, 2, "updated", &timestamp(change.change.date));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape_html(&config.permalink(&page.url))
        ));
        push(&mut xml, 2, "summary", &change.change.summary);
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

fn push(xml: &mut String, depth: usize, element: &str, text: &str) {
    xml.push_str(&"  ".repeat(depth));
    xml.push_str(&format!("<{element}>{}</{element}>\n", escape_html(text)));
}

/// A date as Atom's timestamps write it: the start of the day, in UTC.
fn timestamp(date: chrono::NaiveDate) -> String {
    format!("{}T00:00:00Z", date.format("%Y-%m-%d"))
}

/// A change's id: `tag:<host>,<date>:<site path>v<version>`, or `...change-<n>` for a change
/// that made no version (`n` its place in the page's history, from 1).
fn entry_id(site: &Site, change: &Changed) -> String {
    let host = url::Url::parse(&site.config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_lowercase))
        .unwrap_or_else(|| "localhost".into());
    let path = site.config.href(&site.pages[change.page].url);
    let specific = match &change.change.version {
        Some(version) => format!("v{}", encode(version)),
        None => format!("change-{}", change.index + 1),
    };
    format!(
        "tag:{host},{}:{path}{specific}",
        change.change.date.format("%Y-%m-%d")
    )
}

/// Percent-encodes what a tag URI cannot hold as it is.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_encoded_for_an_id() {
        assert_eq!(encode("1.0"), "1.0");
        assert_eq!(encode("0.1 (draft)"), "0.1%20%28draft%29");
    }
}
