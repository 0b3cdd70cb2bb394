//! Parsed Markdown events to Typst markup, for the PDF booklets.
//!
//! Every piece of content text is escaped, and URLs, paths, alt text and code are passed as
//! Typst string literals, so nothing a page says can change the structure of the document.
//! Block structure uses function-call forms (`#heading(level: 2)[..]`, `#list(..)`,
//! `#table(..)`) rather than Typst's own Markdown-like shorthands.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, CowStr, Event, Tag, TagEnd};

use crate::content::PageId;
use crate::markdown::Document;

/// Where a stretch of the generated markup came from, so Typst's errors can point at the
/// Markdown file and line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Byte offset in the generated markup.
    pub at: usize,
    /// Index of the page in the site.
    pub page: PageId,
    /// Byte offset in that page's source file.
    pub offset: usize,
    /// The markup from `at` is escaped text of the source from `offset`, so a position
    /// inside it can be traced to the exact character.
    pub text: bool,
}

/// Generated markup for a booklet, with the map back to the Markdown it came from.
#[derive(Debug, Default)]
pub struct Markup {
    pub text: String,
    pub origins: Vec<Origin>,
    /// Images the markup refers to: virtual path in the Typst project -> site URL.
    pub images: Vec<(String, String)>,
}

impl Markup {
    /// The page and source offset that produced the markup at `at`.
    pub fn origin_of(&self, at: usize) -> Option<Origin> {
        let i = self.origins.partition_point(|o| o.at <= at);
        let origin = self.origins[i.checked_sub(1)?];
        if !origin.text {
            return Some(origin);
        }
        // Undo the escaping: each `\x` pair stands for one source character.
        let mut offset = origin.offset;
        let mut chars = self.text.get(origin.at..at).unwrap_or("").chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(next) = chars.next() {
                    offset += next.len_utf8();
                }
            } else {
                offset += c.len_utf8();
            }
        }
        Some(Origin { offset, ..origin })
    }

    pub fn push_raw(&mut self, text: &str) {
        self.text.push_str(text);
    }
}

/// Where a link goes in print.
pub enum LinkTarget {
    /// A heading or chapter in this booklet: an internal link.
    Label(String),
    /// Anywhere else: a full URL.
    Url(String),
}

/// What the converter needs to know about the booklet around a page.
pub trait Links {
    /// `url` as the page's Markdown left it after folio resolved `.md` links to site URLs.
    fn target(&self, page: PageId, url: &str) -> LinkTarget;
}

/// The label of a chapter (`id` empty) or of a heading in it. Labels reach Typst as string
/// literals, so the heading's id is kept whole: two ids that differ only in punctuation or
/// accents ("café", "cafè") must not share a label, or a link to either fails to compile.
pub fn label(chapter: usize, id: &str) -> String {
    if id.is_empty() {
        format!("c{chapter}")
    } else {
        format!("c{chapter}#{id}")
    }
}

/// The label of a footnote, apart from headings' so a heading id can never take it.
fn footnote_label(chapter: usize, name: &str) -> String {
    format!("c{chapter}^{name}")
}

/// A Typst string literal.
pub fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Content text as Typst markup: every ASCII punctuation character is escaped, so text can
/// never open a function call, a label, a heading, a list or a comment.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else if matches!(c, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}') {
            // Typst reads the Unicode line and paragraph separators as line ends, where a
            // blank "line" would split the paragraph: they are white space here, as on the web.
            out.push(' ');
        } else if c.is_control() {
            // Control characters have no glyph; dropping them keeps the PDF valid.
        } else {
            out.push(c);
        }
    }
}

/// The text of inline events, as a reader sees it (for comparing with a link's title).
fn plain_text(events: &[(Event<'static>, std::ops::Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text
}

/// A link's title, unless it is empty or only repeats the link text.
fn link_title(title: &str, text: &str) -> Option<String> {
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = squeeze(title);
    (!title.is_empty() && !title.eq_ignore_ascii_case(&squeeze(text))).then_some(title)
}

/// The text a browser shows for a block of raw HTML, as paragraphs: tags dropped (block
/// tags end a paragraph), comments, scripts and styles left out, common entities decoded.
fn html_text(html: &str) -> Vec<String> {
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "details",
        "summary",
        "blockquote",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "hr",
    ];
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    let finish = |current: &mut String, paragraphs: &mut Vec<String>| {
        let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            paragraphs.push(decode_entities(&text));
        }
        current.clear();
    };
    // A `<` starts a tag only before a letter, `/` or `!`, as in HTML: "a < b" is text.
    let tag_start = |text: &str| {
        text.match_indices('<')
            .find(|(at, _)| {
                text[at + 1..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
            })
            .map(|(at, _)| at)
    };
    while let Some(open) = tag_start(rest) {
        current.push_str(&rest[..open]);
        current.push(' ');
        let tag = &rest[open..];
        if tag.starts_with("<!--") {
            rest = tag.find("-->").map_or("", |end| &tag[end + 3..]);
            continue;
        }
        let Some(close) = tag.find('>') else {
            // Not a tag after all: keep the text as it is.
            current.push_str(tag);
            rest = "";
            break;
        };
        let name: String = tag[1..close]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &tag[close + 1..];
        if (name == "script" || name == "style") && !tag[1..].starts_with('/') {
            let end = format!("</{name}");
            rest = rest
                .to_ascii_lowercase()
                .find(&end)
                .map_or("", |at| &rest[at..]);
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            finish(&mut current, &mut paragraphs);
        }
    }
    current.push_str(rest);
    finish(&mut current, &mut paragraphs);
    paragraphs
}

fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// `<br>`, `<br/>`, `<br />` in any case.
fn is_line_break(html: &str) -> bool {
    let inner = html.trim().trim_start_matches('<').trim_end_matches('>');
    let inner = inner.trim_end_matches('/').trim();
    inner.eq_ignore_ascii_case("br")
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

/// One page of the booklet to convert.
pub struct PageInput<'a> {
    pub page: PageId,
    /// Position in the booklet: 0 for the booklet's own page, then chapters from 1.
    pub chapter: usize,
    pub document: &'a Document,
    /// The heading level the page's own title has in the PDF (0 when it has none), so the
    /// body's headings continue from it without skipping a level.
    pub title_level: u8,
    /// Chart ids known to the site; other `chart` blocks print nothing.
    pub charts: &'a HashSet<String>,
    /// What the print fonts can draw: text they cannot is printed otherwise.
    pub glyphs: &'a super::glyphs::Glyphs,
}

/// Appends one page's body to `markup`.
pub fn convert(input: &PageInput, links: &dyn Links, markup: &mut Markup) {
    let events = &input.document.events;
    let footnotes = footnote_definitions(events);
    let mut state = State {
        input,
        links,
        footnotes: &footnotes,
        footnotes_used: HashMap::new(),
        last_level: input.title_level,
        lists: Vec::new(),
        term_open: false,
        heading_label: None,
        link_titles: Vec::new(),
        link_labels: Vec::new(),
        paragraphs: Vec::new(),
    };
    state.run(events, 0, events.len(), markup);
}

/// Footnote label -> the range of events inside its definition.
fn footnote_definitions(
    events: &[(Event<'static>, std::ops::Range<usize>)],
) -> HashMap<String, (usize, usize)> {
    let mut found = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::FootnoteDefinition(name)) = &events[i].0 {
            let start = i + 1;
            let end = matching_end(events, i);
            found.insert(name.to_string(), (start, end));
            i = end;
        }
        i += 1;
    }
    found
}

/// Index of the event that closes the tag opened at `open`.
fn matching_end(events: &[(Event<'static>, std::ops::Range<usize>)], open: usize) -> usize {
    let mut depth = 0usize;
    for (j, (event, _)) in events.iter().enumerate().skip(open) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len()
}

struct State<'a> {
    input: &'a PageInput<'a>,
    links: &'a dyn Links,
    footnotes: &'a HashMap<String, (usize, usize)>,
    /// Footnotes already printed once: label -> Typst label, so a second reference points
    /// at the same note.
    footnotes_used: HashMap<String, String>,
    last_level: u8,
    /// For each open list: is it a list of tasks (no bullet drawn by Typst).
    lists: Vec<bool>,
    /// A definition list term was printed and no definition has followed yet.
    term_open: bool,
    /// The label of the heading being printed, attached when it ends.
    heading_label: Option<String>,
    /// For each open link: the title to print after it, if it has one worth printing.
    link_titles: Vec<Option<String>>,
    /// The label each open link goes to inside the booklet, for its page number.
    link_labels: Vec<Option<String>>,
    /// For each open paragraph: whether it is set right to left.
    paragraphs: Vec<bool>,
}

impl State<'_> {
    fn run(
        &mut self,
        events: &[(Event<'static>, std::ops::Range<usize>)],
        from: usize,
        to: usize,
        m: &mut Markup,
    ) {
        let mut i = from;
        while i < to {
            let (event, range) = &events[i];
            m.origins.push(Origin {
                at: m.text.len(),
                page: self.input.page,
                offset: range.start,
                text: matches!(event, Event::Text(t) if !t.starts_with(crate::text::PLACEHOLDER)),
            });
            match event {
                Event::Start(Tag::FootnoteDefinition(_)) => {
                    // Printed where it is referenced.
                    i = matching_end(events, i);
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let end = matching_end(events, i);
                    let mut code = String::new();
                    for (inner, _) in &events[i + 1..end] {
                        if let Event::Text(t) = inner {
                            code.push_str(t);
                        }
                    }
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info.trim().to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    self.code_block(&info, &code, m);
                    i = end;
                }
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    let end = matching_end(events, i);
                    let alt = plain_text(&events[i + 1..end]);
                    self.image(dest_url, title, &alt, m);
                    i = end;
                }
                Event::Start(tag @ Tag::Link { title, .. }) => {
                    let end = matching_end(events, i);
                    self.link_titles
                        .push(link_title(title, &plain_text(&events[i + 1..end])));
                    self.start(tag, m);
                }
                Event::Start(Tag::HtmlBlock) => {
                    // The web page shows what a raw HTML block says; print keeps its text.
                    let end = matching_end(events, i);
                    let html: String = events[i + 1..end]
                        .iter()
                        .filter_map(|(e, _)| match e {
                            Event::Html(h) | Event::InlineHtml(h) | Event::Text(h) => Some(&**h),
                            _ => None,
                        })
                        .collect();
                    for paragraph in html_text(&html) {
                        m.text.push_str("\n\n");
                        escape(&self.input.glyphs.printable(&paragraph), &mut m.text);
                        m.text.push_str("\n\n");
                    }
                    i = end;
                }
                Event::Start(Tag::Paragraph) => {
                    // A paragraph in a right-to-left script is set right to left.
                    let end = matching_end(events, i);
                    let rtl = events[i + 1..end].iter().find_map(|(e, _)| match e {
                        Event::Text(t) | Event::Code(t) => crate::text::direction(t),
                        _ => None,
                    }) == Some(true);
                    if rtl {
                        m.text.push_str("#text(dir: rtl)[");
                    }
                    self.paragraphs.push(rtl);
                }
                Event::Start(tag) => self.start(tag, m),
                Event::End(tag) => self.end(*tag, m),
                Event::Text(text) => match text.strip_prefix(crate::text::PLACEHOLDER) {
                    Some(rest) => {
                        m.text.push_str("#strong[To be confirmed:]");
                        escape(&self.input.glyphs.printable(rest), &mut m.text);
                    }
                    None => escape(&self.input.glyphs.printable(text), &mut m.text),
                },
                Event::Code(code) => {
                    let code = self.input.glyphs.printable(code);
                    let _ = write!(m.text, "#raw({})", literal(&code));
                }
                Event::InlineMath(text) | Event::DisplayMath(text) => {
                    escape(&self.input.glyphs.printable(text), &mut m.text)
                }
                // A line break is the one inline tag with a meaning in print.
                Event::InlineHtml(html) if is_line_break(html) => m.text.push_str("#linebreak()"),
                // Other raw HTML is markup for the browser: the web page shows its effect,
                // never the tag itself, so the PDF drops the tag too and keeps the text
                // between tags. Authors write a literal `<tag>` as `&lt;tag&gt;` or code.
                Event::Html(_) | Event::InlineHtml(_) => {}
                Event::FootnoteReference(name) => self.footnote(events, name, m),
                Event::SoftBreak => m.text.push(' '),
                Event::HardBreak => m.text.push_str("#linebreak()"),
                Event::Rule => m.text.push_str("\n#rule()\n\n"),
                Event::TaskListMarker(done) => {
                    let _ = write!(m.text, "#task({done})");
                }
            }
            i += 1;
        }
    }

    fn start(&mut self, tag: &Tag, m: &mut Markup) {
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, id, .. } => {
                let wanted = (crate::markdown::heading_level(*level) + self.input.title_level)
                    .saturating_sub(1)
                    .max(1);
                // Never skip a level, whatever the Markdown did.
                let level = wanted.min(self.last_level + 1).min(6);
                self.last_level = level;
                self.heading_label = Some(label(self.input.chapter, id.as_deref().unwrap_or("")));
                let _ = write!(m.text, "\n#heading(level: {level})[");
            }
            Tag::BlockQuote(None) => m.text.push_str("\n#quote(block: true)["),
            Tag::BlockQuote(Some(kind)) => {
                let (class, title) = callout_name(*kind);
                let _ = write!(
                    m.text,
                    "\n#callout({}, {})[",
                    literal(class),
                    literal(title)
                );
            }
            Tag::List(start) => {
                self.lists.push(false);
                match start {
                    Some(n) => {
                        let _ = write!(m.text, "\n#enum(start: {n}, ");
                    }
                    None => m.text.push_str("\n#list("),
                }
            }
            Tag::Item => m.text.push('['),
            Tag::Table(aligns) => {
                let columns = aligns.len().max(1);
                let align: Vec<&str> = aligns
                    .iter()
                    .map(|a| match a {
                        Alignment::Center => "center",
                        Alignment::Right => "right",
                        Alignment::None | Alignment::Left => "left",
                    })
                    .collect();
                let _ = write!(
                    m.text,
                    "\n#data-table(columns: {columns}, align: ({},), ",
                    align.join(", ")
                );
            }
            Tag::TableHead => m.text.push_str("table.header("),
            Tag::TableRow => {}
            Tag::TableCell => m.text.push('['),
            Tag::Emphasis => m.text.push_str("#emph["),
            Tag::Strong => m.text.push_str("#strong["),
            Tag::Strikethrough => m.text.push_str("#strike["),
            Tag::Superscript => m.text.push_str("#super["),
            Tag::Subscript => m.text.push_str("#sub["),
            Tag::Link { dest_url, .. } => match self.links.target(self.input.page, dest_url) {
                LinkTarget::Label(label) => {
                    let _ = write!(m.text, "#link(label({}))[", literal(&label));
                    self.link_labels.push(Some(label));
                }
                LinkTarget::Url(url) => {
                    let _ = write!(m.text, "#link({})[", literal(&url));
                    self.link_labels.push(None);
                }
            },
            Tag::DefinitionList => m.text.push_str("\n#terms("),
            Tag::DefinitionListTitle => {
                if self.term_open {
                    m.text.push_str("[]), ");
                }
                m.text.push_str("terms.item([");
            }
            Tag::DefinitionListDefinition => {
                if !self.term_open {
                    m.text.push_str("terms.item([], ");
                }
                self.term_open = false;
                m.text.push('[');
            }
            Tag::HtmlBlock | Tag::MetadataBlock(_) => {}
            // Handled in `run`: they consume their whole content.
            Tag::FootnoteDefinition(_) | Tag::CodeBlock(_) | Tag::Image { .. } => {}
        }
    }

    fn end(&mut self, tag: TagEnd, m: &mut Markup) {
        match tag {
            TagEnd::Paragraph => {
                if self.paragraphs.pop() == Some(true) {
                    m.text.push(']');
                }
                m.text.push_str("\n\n")
            }
            TagEnd::Heading(_) => {
                let label = self.heading_label.take().unwrap_or_default();
                let _ = writeln!(m.text, "] #label({})\n", literal(&label));
            }
            TagEnd::BlockQuote(_) => m.text.push_str("]\n\n"),
            TagEnd::List(_) => {
                self.lists.pop();
                m.text.push_str(")\n\n");
            }
            TagEnd::Item => m.text.push_str("], "),
            TagEnd::Table => m.text.push_str(")\n\n"),
            TagEnd::TableHead => m.text.push_str("), "),
            TagEnd::TableRow => {}
            TagEnd::TableCell => m.text.push_str("], "),
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => m.text.push(']'),
            TagEnd::Link => {
                m.text.push(']');
                // Typst 0.15 gives a link no alternate text of our choosing (its annotation
                // says where it goes), and paper has no tooltips: a title is printed after
                // the link, so sighted readers and screen readers both get it.
                if let Some(Some(title)) = self.link_titles.pop() {
                    let title = self.input.glyphs.printable(&title);
                    let _ = write!(m.text, " #link-title({})", literal(&title));
                }
                // Paper cannot follow a link: a reference inside the booklet says which
                // page it leads to.
                if let Some(Some(label)) = self.link_labels.pop() {
                    let _ = write!(m.text, "#page-ref(label({}))", literal(&label));
                }
            }
            TagEnd::DefinitionList => {
                if self.term_open {
                    m.text.push_str("[]), ");
                    self.term_open = false;
                }
                m.text.push_str(")\n\n");
            }
            TagEnd::DefinitionListTitle => {
                m.text.push_str("], ");
                self.term_open = true;
            }
            TagEnd::DefinitionListDefinition => m.text.push_str("]), "),
            TagEnd::HtmlBlock
            | TagEnd::MetadataBlock(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::CodeBlock
            | TagEnd::Image => {}
        }
    }

    fn code_block(&mut self, info: &str, code: &str, m: &mut Markup) {
        if info == "chart" {
            let id = code.trim();
            if self.input.charts.contains(id) {
                let _ = write!(m.text, "\n#chart({})\n\n", literal(id));
            }
            return;
        }
        let lang = info.split_whitespace().next().unwrap_or("");
        let code = self.input.glyphs.printable(code);
        let code = code.strip_suffix('\n').unwrap_or(&code);
        if lang.is_empty() {
            let _ = write!(m.text, "\n#code-block({})\n\n", literal(code));
        } else {
            let _ = write!(
                m.text,
                "\n#code-block({}, lang: {})\n\n",
                literal(code),
                literal(lang)
            );
        }
    }

    fn image(&mut self, url: &CowStr, title: &CowStr, alt: &str, m: &mut Markup) {
        let decorative = title.as_ref() == "decorative";
        let local = url.starts_with('/') && !url.starts_with("//");
        if !local {
            // Remote images are not fetched: print what the picture shows instead.
            if !decorative && !alt.is_empty() {
                m.text.push_str("#emph[");
                escape(
                    &self.input.glyphs.printable(&format!("[Picture: {alt}]")),
                    &mut m.text,
                );
                m.text.push(']');
            }
            return;
        }
        let path = format!("/images{}", url.split(['?', '#']).next().unwrap_or(""));
        m.images.push((path.clone(), url.to_string()));
        // Typst's own `image` call sits in the generated file, so an export fault (such as
        // missing alt text) points at this image's line in the Markdown.
        if decorative {
            let _ = write!(m.text, "#pdf.artifact(image({}))", literal(&path));
        } else {
            let _ = write!(
                m.text,
                "#box(image({}, alt: {}))",
                literal(&path),
                literal(alt)
            );
        }
    }

    fn footnote(
        &mut self,
        events: &[(Event<'static>, std::ops::Range<usize>)],
        name: &str,
        m: &mut Markup,
    ) {
        if let Some(label) = self.footnotes_used.get(name) {
            let _ = write!(m.text, "#footnote(label({}))", literal(label));
            return;
        }
        let Some(&(start, end)) = self.footnotes.get(name) else {
            return;
        };
        let label = footnote_label(self.input.chapter, name);
        self.footnotes_used.insert(name.to_string(), label.clone());
        m.text.push_str("#footnote[");
        // A footnote's paragraphs end with blank lines; trim them so the note stays inline.
        let mark = m.text.len();
        self.run(events, start, end, m);
        let trimmed = m.text[mark..].trim_end().len();
        m.text.truncate(mark + trimmed);
        let _ = write!(m.text, "]#label({})", literal(&label));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse;

    struct NoLinks;
    impl Links for NoLinks {
        fn target(&self, _page: PageId, url: &str) -> LinkTarget {
            if let Some(id) = url.strip_prefix('#') {
                LinkTarget::Label(label(1, id))
            } else {
                LinkTarget::Url(url.to_string())
            }
        }
    }

    fn typst(markdown: &str) -> Markup {
        let doc = parse(markdown, 0, false);
        let charts: HashSet<String> = ["carers".to_string()].into();
        let mut markup = Markup::default();
        convert(
            &PageInput {
                page: PageId::from_index(0),
                chapter: 1,
                document: &doc,
                title_level: 1,
                charts: &charts,
                glyphs: &super::super::glyphs::Glyphs::all(),
            },
            &NoLinks,
            &mut markup,
        );
        markup
    }

    #[test]
    fn text_is_escaped_so_it_cannot_become_markup() {
        let m = typst("Use #set page(paper: \"a3\") and <b> or $x$ // not a comment\n");
        assert!(
            m.text
                .contains("Use \\#set page\\(paper\\: \\\"a3\\\"\\) and")
        );
        assert!(m.text.contains("\\/\\/ not a comment"));
        assert!(!m.text.contains(" #set"));
    }

    #[test]
    fn headings_never_skip_a_level_and_carry_labels() {
        let m = typst("## Aims\n\n#### Deep\n\n## Next {#own}\n");
        let levels: Vec<&str> = m
            .text
            .match_indices("#heading(level: ")
            .map(|(i, _)| &m.text[i + 16..i + 17])
            .collect();
        assert_eq!(levels, ["2", "3", "2"]);
        assert!(m.text.contains("#label(\"c1#aims\")"));
        assert!(m.text.contains("#label(\"c1#own\")"));
    }

    #[test]
    fn code_urls_and_alt_text_are_string_literals() {
        let m = typst(
            "[a \"link\"](https://example.org/?q=\"x\")\n\n![A \"quoted\" chart](/img/a.png)\n\n```rust\nlet x = \"]\";\n```\n",
        );
        assert!(
            m.text
                .contains("#link(\"https://example.org/?q=\\\"x\\\"\")[")
        );
        assert!(
            m.text
                .contains("#box(image(\"/images/img/a.png\", alt: \"A \\\"quoted\\\" chart\"))")
        );
        assert!(
            m.text
                .contains("#code-block(\"let x = \\\"]\\\";\", lang: \"rust\")")
        );
        assert_eq!(
            m.images,
            [("/images/img/a.png".to_string(), "/img/a.png".to_string())]
        );
    }

    #[test]
    fn lists_tables_callouts_and_footnotes_use_function_calls() {
        let m = typst(
            "3. three\n4. four\n\n- [ ] to do\n- [x] done\n\n| A | B |\n|---|--:|\n| 1 | 2 |\n\n> [!WARNING]\n> Careful.\n\nSee note.[^n]\n\n[^n]: The note.\n",
        );
        assert!(
            m.text.contains("#enum(start: 3, [three], [four], )"),
            "{}",
            m.text
        );
        assert!(m.text.contains("[#task(false)to do], [#task(true)done]"));
        assert!(m.text.contains(
            "#data-table(columns: 2, align: (left, right,), table.header([A], [B], ), [1], [2], )"
        ));
        assert!(
            m.text
                .contains("#callout(\"warning\", \"Warning\")[Careful\\.\n\n]")
        );
        assert!(
            m.text
                .contains("See note\\.#footnote[The note\\.]#label(\"c1^n\")")
        );
    }

    #[test]
    fn origins_point_back_into_the_markdown() {
        let source = "Intro.\n\n## Second\n\nText.\n";
        let m = typst(source);
        let at = m.text.find("Text").unwrap();
        let origin = m.origin_of(at).unwrap();
        assert_eq!(&source[origin.offset..origin.offset + 4], "Text");
        // Inside escaped text, the position of one character is kept.
        let at = m.text.find("ond").unwrap();
        let origin = m.origin_of(at).unwrap();
        assert_eq!(&source[origin.offset..origin.offset + 3], "ond");
    }

    #[test]
    fn labels_keep_ids_apart_that_differ_only_in_punctuation_or_accents() {
        let labels = [
            label(1, ""),
            label(1, "café"),
            label(1, "cafè"),
            label(1, "a.b"),
            label(1, "a-b"),
            label(11, ""),
            label(1, "1"),
            footnote_label(1, "a.b"),
            footnote_label(1, "a-b"),
        ];
        let unique: HashSet<&String> = labels.iter().collect();
        assert_eq!(unique.len(), labels.len(), "{labels:?}");
    }

    #[test]
    fn link_titles_print_after_the_link_unless_they_repeat_it() {
        let m = typst(
            "[the act](https://example.org \"Children Act 1989, section \\\"22\\\" #x\")\n\n[Same](https://example.org \"same\")\n",
        );
        assert!(
            m.text.contains(
                "#link(\"https://example.org\")[the act] #link-title(\"Children Act 1989, section \\\"22\\\" #x\")"
            ),
            "{}",
            m.text
        );
        assert!(
            m.text.contains("#link(\"https://example.org\")[Same]\n"),
            "{}",
            m.text
        );
    }

    #[test]
    fn raw_html_blocks_keep_their_text() {
        assert_eq!(
            html_text(
                "<details>\n<summary>Who to ask</summary>\n<p>The team &amp; <b>you</b>.</p>\n\
                 <!-- not shown --><script>alert('x')</script><style>p{}</style></details>"
            ),
            ["Who to ask", "The team & you ."]
        );
        assert_eq!(html_text("<div>a < b</div>"), ["a < b"]);
        let m = typst("Before.\n\n<div class=\"note\">\n*Kept* = [text] #here\n</div>\n\nAfter.\n");
        assert!(
            m.text.contains("\\*Kept\\* \\= \\[text\\] \\#here"),
            "{}",
            m.text
        );
    }

    #[test]
    fn inline_html_tags_are_dropped_as_on_the_web_but_line_breaks_kept() {
        let m = typst("One<br>two<BR />three <label>kept</label> &lt;label&gt;\u{2028}x\n");
        assert!(
            m.text
                .contains("One#linebreak()two#linebreak()three kept \\<label\\> x"),
            "{}",
            m.text
        );
    }
}
