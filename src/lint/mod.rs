//! The accessibility and plain-English gate: checks on each page's parsed Markdown, run by
//! `folio check` and `folio build`. Errors stop the build; warnings are reported (and stop
//! it with `--strict`). A page can turn a rule off with `lint: allow: {rule: reason}`.

mod contrast;
mod document;
mod html;
mod rules;
mod text;

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use pulldown_cmark::{Event, Tag, TagEnd};

use crate::config::LintOptions;
use crate::content::{GlossaryEntry, Page, Site, front_matter};
use crate::diagnostics::{Diagnostic, Rule, Severity, line_column};
use crate::markdown::{Document, find_word, heading_level};
use crate::text::slugify;
use crate::theme::Scheme;

pub use text::sentences;

/// Link texts that say nothing about where the link goes.
const VAGUE: &[&str] = &[
    "click here",
    "here",
    "click",
    "read more",
    "more",
    "more info",
    "more information",
    "find out more",
    "learn more",
    "this page",
    "this link",
    "link",
    "go",
    "see here",
];

/// Paragraphs shorter than this are not graded: the formula is noise on a few words.
const GRADE_MIN_WORDS: usize = 30;

/// What the checks need from the site and theme, gathered once per build.
pub struct Checks<'a> {
    options: &'a LintOptions,
    limits: crate::config::Limits,
    glossary: &'a [GlossaryEntry],
    /// The glossary page's path: a link to it explains an acronym.
    glossary_url: Option<&'a str>,
    /// The theme's colour schemes, for inline styles that set one colour only.
    schemes: &'a [Scheme],
    /// Review dates before this have passed.
    today: NaiveDate,
    /// How many glossary entries have an acronym.
    acronyms: usize,
}

impl<'a> Checks<'a> {
    pub fn new(site: &'a Site, schemes: &'a [Scheme], today: NaiveDate) -> Checks<'a> {
        Checks {
            options: &site.config.lint,
            limits: site.config.limits,
            glossary: &site.data.glossary,
            glossary_url: site.glossary_url(),
            schemes,
            today,
            acronyms: acronyms(&site.data.glossary),
        }
    }

    /// Everything one page's own file can get wrong, less the rules the page turned off:
    /// its `lint: allow:` settings, its document control, its text and its placeholders.
    pub fn page(&self, page: &Page, doc: &Document) -> Vec<Diagnostic> {
        let mut found = check_allowances(page);
        found.extend(document::check(page));
        found.extend(document::history(page, self.today));
        found.extend(check_page(page, doc, self));
        found.extend(placeholders(&page.file, page.text()));
        apply_page_allowances(page, &mut found);
        found
    }
}

/// How many glossary entries have an acronym.
fn acronyms(glossary: &[GlossaryEntry]) -> usize {
    glossary
        .iter()
        .filter(|e| e.abbr.as_deref().is_some_and(|a| !a.is_empty()))
        .count()
}

/// The checks of the site as a whole: a home page, the placeholders of `site.yaml` and the
/// data files, and a site address that is only an example.
pub fn site(site: &Site) -> Vec<Diagnostic> {
    let (root, config) = (site.root.as_path(), &site.config);
    let mut found = Vec::new();
    if site.home.is_none() {
        found.push(
            Diagnostic::warning(
                Path::new(crate::content::CONTENT_DIR).join("_index.md"),
                "the site has no home page: its address would show the 404 page",
            )
            .hint("run `folio new _index.md` to make one"),
        );
    }
    let files = [crate::config::FILE_NAME]
        .into_iter()
        .chain(crate::content::data::FILES);
    for file in files {
        if let Ok(text) = std::fs::read_to_string(root.join(file)) {
            found.extend(placeholders(Path::new(file), &text));
        }
    }
    found.extend(document::example_address(root, config));
    found
}

/// The text on a brand colour (the header's, the PDF cover's) is white.
const ON_BRAND: crate::colour::Colour = crate::colour::Colour(255, 255, 255);

/// site.yaml's `brand`: a colour white text can be read on, and a logo that exists, is SVG
/// or PNG, and says what it shows.
pub fn brand(
    root: &Path,
    brand: &crate::config::Brand,
    theme: &crate::theme::Theme,
) -> Vec<Diagnostic> {
    use crate::config::{FILE_NAME, line_of_nested};
    let mut found = Vec::new();
    if let Some(text) = &brand.colour {
        let at = line_of_nested(root, "brand", "colour");
        match crate::colour::parse(text) {
            None => found.push(
                Diagnostic::error(
                    FILE_NAME,
                    format!("the brand colour `{text}` is not a colour"),
                )
                .at(at, 1)
                .hint("write it as #rrggbb, such as colour: \"#00594f\""),
            ),
            Some(colour) => {
                let ratio = crate::colour::ratio(colour, ON_BRAND);
                if ratio < 4.5 {
                    let hint = match crate::colour::nearest_passing(colour, ON_BRAND, 4.5) {
                        Some(near) => {
                            format!("the nearest colour that passes is {near}: colour: \"{near}\"")
                        }
                        None => "choose a darker colour".to_string(),
                    };
                    found.push(
                        Diagnostic::error(
                            FILE_NAME,
                            format!("white text on the brand colour {colour} has a contrast of {ratio:.2}:1; the header and the PDF cover need at least 4.5:1"),
                        )
                        .at(at, 1)
                        .hint(hint),
                    );
                }
            }
        }
    }
    if let Some(logo) = &brand.logo {
        if logo.alt.trim().is_empty() {
            found.push(
                Diagnostic::error(
                    FILE_NAME,
                    "the logo has no alt text: people who cannot see it would not know whose it is",
                )
                .at(line_of_nested(root, "brand", "logo"), 1)
                .hint("add what the logo says, usually the council's name: alt: Example Council"),
            );
        }
        let at = line_of_nested(root, "brand", "file");
        let lower = logo.file.to_ascii_lowercase();
        if !(lower.ends_with(".svg") || lower.ends_with(".png")) {
            found.push(
                Diagnostic::error(
                    FILE_NAME,
                    format!("the logo `{}` is not an SVG or PNG file", logo.file),
                )
                .at(at, 1)
                .hint("use an SVG (best: sharp at every size) or a PNG"),
            );
        } else if theme.static_file(&logo.file).is_none() {
            found.push(
                Diagnostic::error(FILE_NAME, format!("the logo `{}` was not found", logo.file))
                    .at(at, 1)
                    .hint(format!(
                        "put it in the site's static/ folder as static/{}",
                        logo.file.trim_start_matches('/')
                    )),
            );
        }
    }
    found
}

/// Every `TBC:` placeholder in a file (site.yaml, or a page with its front matter), as a
/// warning: they are honest gaps, but someone has to fill them before publishing.
pub fn placeholders(file: &Path, text: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // Most pages have none: one quick search of the whole text spares reading it line by line.
    if memchr::memmem::find(text.as_bytes(), crate::text::PLACEHOLDER.as_bytes()).is_none() {
        return found;
    }
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(crate::text::PLACEHOLDER) else {
            continue;
        };
        if line.trim_start().starts_with('#') {
            continue;
        }
        let what = line[at + crate::text::PLACEHOLDER.len()..]
            .trim()
            .trim_end_matches(['"', '\'']);
        let end = line.trim_end().trim_end_matches(['"', '\'']).len().max(at);
        found.push(
            Diagnostic::warning(file, format!("placeholder: {what}"))
                .at(i + 1, line[..at].chars().count() + 1)
                .to(i + 1, line[..end].chars().count() + 1)
                .hint("replace the placeholder with the real value when it is known")
                .rule(Rule::Placeholder),
        );
    }
    found
}

/// Drops the diagnostics of rules `page` has turned off from its own diagnostics.
fn apply_page_allowances(page: &Page, found: &mut Vec<Diagnostic>) {
    let allow = &page.front.lint.allow;
    if allow.is_empty() {
        return;
    }
    found.retain(|d| {
        d.file != page.file
            || d.rule
                .is_none_or(|rule| !rule.can_be_turned_off() || !allow.contains_key(&rule))
    });
}

/// The rules each page turned off, with its reasons, for the report.
pub fn allowances(site: &Site) -> Vec<Allowance> {
    site.pages
        .values()
        .flat_map(|p| {
            p.front.lint.allow.iter().map(|(rule, reason)| Allowance {
                file: p.file.clone(),
                rule: *rule,
                reason: reason.clone(),
            })
        })
        .collect()
}

/// A rule turned off on a page, and why; the report lists them.
#[derive(Debug, Clone)]
pub struct Allowance {
    pub file: std::path::PathBuf,
    pub rule: Rule,
    pub reason: String,
}

/// `lint: allow:` gives each rule a reason, and turns off only rules that can be.
fn check_allowances(page: &Page) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (rule, reason) in &page.front.lint.allow {
        let line = front_matter::line_of_key(page.front_text(), rule.name())
            .or_else(|| front_matter::line_of_key(page.front_text(), "allow"))
            .unwrap_or(1);
        if !rule.can_be_turned_off() {
            found.push(
                Diagnostic::error(&page.file, format!("`{rule}` cannot be turned off"))
                    .at(line, 1)
                    .hint(format!(
                        "fix what `{rule}` reports instead: {}",
                        rule.checks()
                    )),
            );
        } else if reason.trim().is_empty() {
            found.push(
                Diagnostic::error(&page.file, format!("turning off `{rule}` needs a reason"))
                    .at(line, 1)
                    .hint(format!(
                        "write why, for example `{rule}: quotes the Act word for word`"
                    )),
            );
        }
    }
    found
}

/// Text gathered from one block (a paragraph, list item, table cell or heading), with where
/// each piece came from in the source.
#[derive(Default)]
struct Block {
    text: String,
    /// (index in `text`, byte offset in the source) at the start of each piece.
    pieces: Vec<(usize, usize)>,
    start: usize,
    paragraph: bool,
    heading: bool,
    /// Code spans in `text`, which words to avoid may quote.
    code: Vec<Range<usize>>,
}

impl Block {
    fn push(&mut self, text: &str, offset: usize) {
        self.pieces.push((self.text.len(), offset));
        self.text.push_str(text);
    }

    /// The source offset of `index` in the gathered text.
    fn source_offset(&self, index: usize) -> usize {
        match self.pieces.iter().rev().find(|(at, _)| *at <= index) {
            Some(&(at, offset)) => offset + (index - at),
            None => self.start,
        }
    }
}

struct PageCheck<'a> {
    page: &'a Page,
    context: &'a Checks<'a>,
    found: Vec<Diagnostic>,
    /// Everything read so far on the page, lower case, to know whether an acronym's full
    /// form came first.
    read: String,
    acronyms_done: HashSet<&'a str>,
    words_done: HashSet<&'a str>,
}

impl<'a> PageCheck<'a> {
    fn at(&self, offset: usize) -> (usize, usize) {
        line_column(self.page.text(), offset)
    }

    /// Reports `rule` on the text at `span` (byte offsets in the page's source).
    fn report(&mut self, rule: Rule, span: Range<usize>, message: String, hint: String) {
        let d = match rule.severity() {
            Severity::Error => Diagnostic::error(&self.page.file, message),
            Severity::Warning => Diagnostic::warning(&self.page.file, message),
        };
        // A span ends before a final line break, so it underlines text, not the line's end.
        let source = self.page.text();
        let end = span.end.min(source.len()).max(span.start);
        let end = span.start + source[span.start.min(end)..end].trim_end().len();
        self.found
            .push(d.span(source, span.start..end).hint(hint).rule(rule));
    }

    /// Acronyms and words to avoid, on a piece of text as it is read.
    fn read_text(&mut self, text: &str, offset: usize, heading: bool, glossary_link: bool) {
        // What was read matters only to acronyms still to be met on the page.
        if self.acronyms_done.len() == self.context.acronyms {
            return;
        }
        let lower = text.to_lowercase();
        for entry in self.context.glossary {
            let Some(abbr) = entry.abbr.as_deref().filter(|a| !a.is_empty()) else {
                continue;
            };
            if self.acronyms_done.contains(abbr) {
                continue;
            }
            let Some(at) = find_word(text, abbr) else {
                continue;
            };
            // Text pieces split at line breaks and emphasis, so compare with spaces squashed.
            let seen = squash(&format!("{}{lower}", self.read));
            let expanded = full_forms(entry).any(|form| seen.contains(&form));
            // A heading is read before the text under it; judge the first use in the body.
            if heading && !expanded {
                continue;
            }
            self.acronyms_done.insert(abbr);
            if !expanded && !glossary_link {
                self.report(
                    Rule::Acronym,
                    offset + at..offset + at + abbr.len(),
                    format!("{abbr} is used before it is written out in full on this page"),
                    format!(
                        "write \"{} ({abbr})\" the first time, or link it to the glossary",
                        entry.term
                    ),
                );
            }
        }
        self.read.push_str(&lower);
    }

    /// The first use on the page of each word to avoid, in a block's text (so a phrase may
    /// run over a line break), not in code. A word in capitals ("LAC") matches only in
    /// capitals; others match in any case.
    fn words_to_avoid(&mut self, block: &Block) {
        // ASCII lower case keeps byte offsets the same as in the text.
        let lower = block.text.to_ascii_lowercase();
        for (word, instead) in &self.context.options.words_to_avoid {
            if word.trim().is_empty() || self.words_done.contains(word.as_str()) {
                continue;
            }
            let exact = word.chars().all(|c| !c.is_lowercase());
            let (haystack, needle) = if exact {
                (block.text.as_str(), word.clone())
            } else {
                (lower.as_str(), word.to_ascii_lowercase())
            };
            let mut from = 0;
            let found = loop {
                let Some(at) = find_word(&haystack[from..], &needle).map(|i| from + i) else {
                    break None;
                };
                if !block.code.iter().any(|c| c.contains(&at)) {
                    break Some(at);
                }
                from = at + needle.len();
            };
            if let Some(at) = found {
                self.words_done.insert(word.as_str());
                self.report(
                    Rule::WordsToAvoid,
                    block.source_offset(at)
                        ..block.source_offset(at + needle.len().saturating_sub(1)) + 1,
                    format!("\"{word}\" is on the site's list of words to avoid"),
                    format!("use \"{instead}\" instead"),
                );
            }
        }
    }

    fn finish_block(&mut self, block: &Block) {
        self.read.push(' ');
        if block.heading {
            return;
        }
        self.words_to_avoid(block);
        let limit = self.context.options.sentence_words;
        // Sentences, words and syllables are counted once, for both checks.
        let found = sentences(&block.text);
        let (mut words, mut syllables) = (0, 0);
        for range in &found {
            let sentence = &block.text[range.clone()];
            let counts = text::count(sentence);
            let count = counts.words;
            words += count;
            syllables += counts.syllables;
            if count > limit {
                let lead = sentence.len() - sentence.trim_start().len();
                let offset = block.source_offset(range.start + lead);
                self.report(
                    Rule::LongSentence,
                    offset..block.source_offset(range.end.saturating_sub(1)) + 1,
                    format!("this sentence has {count} words; keep sentences to {limit} or fewer"),
                    "split it into two or more sentences".into(),
                );
            }
        }
        if block.paragraph && words >= GRADE_MIN_WORDS {
            let threshold = self.context.options.reading_grade;
            if let Some(grade) =
                text::grade(found.len(), words, syllables).filter(|g| *g > threshold)
            {
                self.report(
                    Rule::ReadingGrade,
                    block.start..block.source_offset(block.text.len().saturating_sub(1)) + 1,
                    format!(
                        "this paragraph reads at grade {grade:.1} (Flesch-Kincaid); the site aims for {threshold} or lower"
                    ),
                    "use shorter sentences and shorter, everyday words".into(),
                );
            }
        }
    }
}

fn check_page(page: &Page, doc: &Document, context: &Checks) -> Vec<Diagnostic> {
    let mut check = PageCheck {
        page,
        context,
        found: Vec::new(),
        read: page.front.title.to_lowercase(),
        acronyms_done: HashSet::new(),
        words_done: HashSet::new(),
    };
    check.read.push(' ');
    check_review_dates(&mut check);
    check_heading_ids(&mut check, doc);

    let mut blocks: Vec<Block> = Vec::new();
    let mut level = 1u8;
    let mut in_code = false;
    // Open links: (start offset, destination, text so far, has an image).
    let mut links: Vec<(usize, String, String, bool)> = Vec::new();
    let mut head: Option<(usize, String)> = None;
    // How deep lists and quotations are nested here, and the table being read: where it
    // starts and how many rows it has had.
    let mut nesting = 0usize;
    let mut nested_too_deep = false;
    let mut table: Option<(usize, usize)> = None;
    // All the page's raw HTML, checked at the end: a block's lines arrive one by one.
    let mut raw = Block::default();
    let mut events = doc.events.iter().peekable();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) => nesting += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) => {
                nesting = nesting.saturating_sub(1)
            }
            _ => {}
        }
        if nesting > check.context.limits.nesting && !nested_too_deep {
            nested_too_deep = true;
            let (line, column) = check.at(range.start);
            check.found.push(
                Diagnostic::error(
                    &check.page.file,
                    format!(
                        "lists and quotations are nested more than {} deep here",
                        check.context.limits.nesting
                    ),
                )
                .at(line, column)
                .hint("flatten the nesting, or raise `limits: nesting:` in site.yaml"),
            );
        }
        match event {
            Event::Start(Tag::Heading { level: l, .. }) => {
                let l = heading_level(*l);
                if l == 1 {
                    check.report(
                        Rule::SingleH1,
                        range.clone(),
                        "a level 1 heading in the body: the page title is already the level 1 heading".into(),
                        "start the body's headings at ## (level 2)".into(),
                    );
                } else if l > level + 1 {
                    check.report(
                        Rule::HeadingOrder,
                        range.clone(),
                        if level == 1 {
                            format!(
                                "this level {l} heading skips a level: the page title is level 1, so the first heading is level 2"
                            )
                        } else {
                            format!(
                                "this level {l} heading skips a level: the one before is level {level}"
                            )
                        },
                        format!(
                            "make it a level {} heading ({})",
                            level + 1,
                            "#".repeat(level as usize + 1)
                        ),
                    );
                }
                level = l;
                blocks.push(Block {
                    start: range.start,
                    heading: true,
                    ..Block::default()
                });
            }
            Event::Start(Tag::Paragraph) => {
                blocks.push(Block {
                    start: range.start,
                    paragraph: true,
                    ..Block::default()
                });
            }
            Event::Start(Tag::Item)
            | Event::Start(Tag::TableCell)
            | Event::Start(Tag::DefinitionListDefinition) => {
                blocks.push(Block {
                    start: range.start,
                    ..Block::default()
                });
            }
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::DefinitionListDefinition,
            ) => {
                if let Some(block) = blocks.pop() {
                    check.finish_block(&block);
                }
            }
            Event::Start(Tag::BlockQuote(None)) => check_callout(&mut check, range.clone()),
            Event::Start(Tag::Table(_)) => table = Some((range.start, 0)),
            Event::Start(Tag::TableRow) => {
                if let Some((start, rows)) = table.as_mut() {
                    *rows += 1;
                    if *rows == check.context.limits.table_rows + 1 {
                        let (line, column) = check.at(*start);
                        check.found.push(
                            Diagnostic::error(
                                &check.page.file,
                                format!(
                                    "this table has more than {} rows",
                                    check.context.limits.table_rows
                                ),
                            )
                            .at(line, column)
                            .hint("split it into several tables or pages, or raise `limits: table_rows:` in site.yaml"),
                        );
                    }
                }
            }
            Event::Start(Tag::TableHead) => head = Some((range.start, String::new())),
            Event::End(TagEnd::TableHead) => {
                if let Some((start, text)) = head.take()
                    && text.trim().is_empty()
                {
                    check.report(
                        Rule::TableHeader,
                        start..start + 1,
                        "this table has no header row: its first row is empty".into(),
                        "put the column names in the first row".into(),
                    );
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push((range.start, dest_url.to_string(), String::new(), false));
            }
            Event::End(TagEnd::Link) => {
                if let Some((start, url, text, has_image)) = links.pop() {
                    check_link(&mut check, start..range.end, &url, &text, has_image);
                }
            }
            Event::Start(Tag::Image { title, .. }) => {
                let mut alt = String::new();
                for (inner, _) in events.by_ref() {
                    match inner {
                        Event::End(TagEnd::Image) => break,
                        Event::Text(t) | Event::Code(t) => alt.push_str(t),
                        _ => {}
                    }
                }
                if let Some(link) = links.last_mut() {
                    link.3 = true;
                    link.2.push_str(&alt);
                }
                if alt.trim().is_empty() && title.as_ref() != "decorative" {
                    check.report(
                        Rule::ImageAlt,
                        range.clone(),
                        "this image has no alt text".into(),
                        "describe what the image shows: ![A bar chart of ...](file.png), or mark a purely decorative image: ![](file.png \"decorative\")".into(),
                    );
                }
            }
            Event::Text(t) | Event::Code(t) if !in_code => {
                if let Some((_, text)) = head.as_mut() {
                    text.push_str(t);
                }
                for link in links.iter_mut() {
                    link.2.push_str(t);
                }
                let heading = blocks.last().is_some_and(|b| b.heading);
                let glossary_link = check
                    .context
                    .glossary_url
                    .is_some_and(|g| links.iter().any(|l| l.1.starts_with(g)));
                if matches!(event, Event::Text(_)) {
                    check.read_text(t, range.start, heading, glossary_link);
                }
                if let Some(block) = blocks.last_mut() {
                    let at = block.text.len();
                    block.push(t, range.start);
                    if matches!(event, Event::Code(_)) {
                        block.code.push(at..block.text.len());
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                check.read.push(' ');
                if let Some(block) = blocks.last_mut() {
                    block.push(" ", range.start);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                raw.push(html, range.start);
                raw.text.push('\n');
            }
            _ => {}
        }
    }
    check_html(&mut check, &raw);
    check.found
}

/// The length of the line that `offset` is on, from `offset` to its end.
fn line_length(source: &str, offset: usize) -> usize {
    source[offset.min(source.len())..]
        .find('\n')
        .unwrap_or(source.len() - offset.min(source.len()))
}

/// Lower case with every run of white space as one space.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The written-out forms of a glossary entry: its term and the aliases that are words, not
/// other acronyms.
fn full_forms(entry: &GlossaryEntry) -> impl Iterator<Item = String> + '_ {
    std::iter::once(&entry.term)
        .chain(
            entry
                .aliases
                .iter()
                .filter(|a| a.chars().any(char::is_lowercase)),
        )
        .map(|form| squash(&form.to_lowercase()))
}

/// The callout types of GitHub's alert syntax, which folio shows as notes and warnings.
const CALLOUTS: [&str; 5] = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];

/// A quotation that opens with `[!WORD]` meant to be a callout; one of a known type is
/// parsed as one, so this one's type is unknown.
fn check_callout(check: &mut PageCheck, range: Range<usize>) {
    let source = check.page.text();
    let quote = &source[range.start..range.end.min(source.len())];
    let first = quote.trim_start().trim_start_matches('>').trim_start();
    let Some(rest) = first.strip_prefix("[!") else {
        return;
    };
    let Some(end) = rest.find(']') else { return };
    let name = &rest[..end];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return;
    }
    let at = range.start + (quote.len() - first.len());
    let hint = match crate::text::nearest(name, &CALLOUTS) {
        Some(near) => format!(
            "did you mean [!{near}]? The callouts are: {}",
            CALLOUTS.map(|c| format!("[!{c}]")).join(", ")
        ),
        None => format!(
            "use one of: {}",
            CALLOUTS.map(|c| format!("[!{c}]")).join(", ")
        ),
    };
    check.report(
        Rule::Callout,
        at..at + name.len() + 3,
        format!("`[!{name}]` is not a callout folio knows: it would show as a plain quotation"),
        hint,
    );
}

fn check_link(check: &mut PageCheck, span: Range<usize>, url: &str, text: &str, has_image: bool) {
    let said = text.trim();
    if said.is_empty() && !has_image {
        check.report(
            Rule::EmptyLink,
            span.clone(),
            "this link has no text".into(),
            "write where the link goes: [the schools booklet](schools/_index.md)".into(),
        );
        return;
    }
    let plain: String = said
        .to_lowercase()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    let bare_url =
        said.starts_with("http://") || said.starts_with("https://") || said.starts_with("www.");
    if VAGUE.contains(&plain.as_str()) || bare_url {
        let what = if bare_url {
            "a bare web address"
        } else {
            "vague"
        };
        check.report(
            Rule::VagueLink,
            span,
            format!("the link text \"{said}\" is {what}: it does not say where the link goes"),
            format!(
                "make the link text say what the reader will find: [what is at the link]({url})"
            ),
        );
    }
}

fn check_html(check: &mut PageCheck, raw: &Block) {
    for (at, fault) in html::check(&raw.text, check.context.schemes) {
        let offset = raw.source_offset(at);
        match fault {
            html::Fault::ImageWithoutAlt => check.report(
                Rule::ImageAlt,
                offset..offset + 4,
                "this <img> has no alt attribute".into(),
                "describe the image: <img src=\"map.png\" alt=\"A map of Sefton\">, or write alt=\"\" if it is purely decorative".into(),
            ),
            html::Fault::TableWithoutHeader => check.report(
                Rule::TableHeader,
                offset..offset + 6,
                "this HTML table has no header cells (<th>)".into(),
                "use a Markdown table, whose first row is its header, or mark the header cells with <th>".into(),
            ),
            html::Fault::LowContrast(ratio, scheme) => {
                let (where_, hint) = match scheme {
                    Some(scheme) => (
                        format!(" with the theme's {scheme} colour scheme"),
                        "set both color and background, so the text reads in the light and dark colour schemes, or remove the inline colours (the theme's pass)",
                    ),
                    None => (
                        String::new(),
                        "remove the inline colours (the theme's colours pass), or pick darker text or a lighter background",
                    ),
                };
                check.report(
                    Rule::LowContrast,
                    offset..offset + 5,
                    format!(
                        "the colours in this style have a contrast of {ratio:.2}:1{where_}; text needs at least {}:1",
                        html::MINIMUM_CONTRAST
                    ),
                    hint.into(),
                );
            }
        }
    }
}

fn check_review_dates(check: &mut PageCheck) {
    let page = check.page;
    let own = page
        .front
        .document_control
        .as_ref()
        .and_then(|dc| dc.review_by);
    let field = page
        .front
        .fields
        .as_ref()
        .and_then(|f| f.get("review_by"))
        .and_then(|v| v.as_str())
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
    for date in [own, field].into_iter().flatten() {
        if date < check.context.today {
            // Point at the date itself; `split_inclusive` keeps "\r\n" line ends counted.
            let front = page.front_text();
            let line = front_matter::line_of_key(front, "review_by").unwrap_or(1);
            let line_start: usize = front
                .split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum();
            let text = front[line_start..].lines().next().unwrap_or("");
            let value = text
                .find("review_by:")
                .map(|at| {
                    let after = &text[at + "review_by:".len()..];
                    at + "review_by:".len() + (after.len() - after.trim_start().len())
                })
                .unwrap_or(0);
            let offset = line_start + value;
            check.report(
                Rule::ReviewBy,
                offset..offset + 10,
                format!("the review date {} has passed", date.format("%-d %B %Y")),
                "review the document, then set a new review_by date".into(),
            );
        }
    }
}

/// Heading ids that clash. Titles that slug the same are made unique by the renderer
/// ("aims", "aims-2"), so they are fine; but an author's own `{#id}` that another heading
/// already has (or gives) would be renamed or would take a link meant for the other, and an
/// id the renaming produces can clash with a real title ("Aims 2").
fn check_heading_ids(check: &mut PageCheck, doc: &Document) {
    // Bases clash only where an author gave an id: most pages give none, and need no slugs.
    let explicit = doc.headings.iter().any(|h| h.explicit.is_some());
    let bases: Vec<String> = if explicit {
        doc.headings
            .iter()
            .map(|h| h.explicit.clone().unwrap_or_else(|| slugify(&h.title)))
            .collect()
    } else {
        Vec::new()
    };
    for (i, heading) in doc.headings.iter().enumerate() {
        let earlier = doc.headings[..i].iter().zip(&bases[..bases.len().min(i)]);
        let clash = earlier
            .clone()
            .find(|(other, base)| {
                **base == bases[i] && (heading.explicit.is_some() || other.explicit.is_some())
            })
            .map(|(other, _)| (other, bases[i].clone()))
            .or_else(|| {
                doc.headings[..i]
                    .iter()
                    .find(|other| other.id == heading.id)
                    .map(|other| (other, heading.id.clone()))
            });
        let Some((other, id)) = clash else { continue };
        let (other_line, _) = check.at(other.offset);
        check.report(
            Rule::DuplicateId,
            heading.offset..heading.offset + line_length(check.page.text(), heading.offset),
            format!("this heading's id \"{id}\" is also the id of the heading on line {other_line}"),
            "ids must be unique on a page, or links to #id go to the wrong heading: give this one its own id, ## Title {#another-id}".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page from a whole file: front matter and body.
    fn page_of(source: &str) -> (Page, Document) {
        let (front, split) =
            crate::content::front_matter::parse(source, std::path::Path::new("t.md")).unwrap();
        let body_offset = split.body_offset;
        let page = Page {
            file: "t.md".into(),
            source: crate::content::Source::read(
                source.to_string(),
                "t.md".into(),
                "t.md".into(),
                None,
            ),
            body_offset,
            document_control: front.document_control.clone(),
            front,
            role: crate::content::Role::Page,
            url: "/t/".into(),
            parent: None,
            children: vec![],
            booklet: None,
            prev: None,
            next: None,
        };
        let doc = crate::markdown::parse(source, body_offset, true);
        (page, doc)
    }

    fn lint_source(
        source: &str,
        options: LintOptions,
        glossary: Vec<GlossaryEntry>,
    ) -> Vec<(&'static str, usize, usize)> {
        let (page, doc) = page_of(source);
        let schemes = crate::theme::Theme::load(Path::new("/nonexistent"), "default")
            .unwrap()
            .0
            .schemes;
        let context = Checks {
            options: &options,
            limits: crate::config::Limits::default(),
            glossary: &glossary,
            glossary_url: Some("/glossary/"),
            schemes: &schemes,
            today: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            acronyms: acronyms(&glossary),
        };
        let mut found = check_allowances(&page);
        found.extend(check_page(&page, &doc, &context));
        let mut found: Vec<_> = found
            .iter()
            .map(|d| (d.rule.map_or("-", Rule::name), d.line, d.column))
            .collect();
        found.sort_by_key(|f| (f.1, f.2));
        found
    }

    /// Lints a body under a three-line front matter, so the body starts on line 4.
    fn lint_with(
        markdown: &str,
        options: LintOptions,
        glossary: Vec<GlossaryEntry>,
    ) -> Vec<(&'static str, usize, usize)> {
        lint_source(
            &format!("---\ntitle: Test page\n---\n{markdown}"),
            options,
            glossary,
        )
    }

    fn lint(markdown: &str) -> Vec<(&'static str, usize, usize)> {
        lint_with(markdown, LintOptions::default(), vec![])
    }

    fn rules(markdown: &str) -> Vec<&'static str> {
        lint(markdown).into_iter().map(|f| f.0).collect()
    }

    #[test]
    fn every_rule_is_in_the_readme() {
        let readme = include_str!("../../README.md");
        for rule in Rule::ALL {
            assert!(
                readme.contains(&format!("| `{rule}` |")),
                "{rule} is missing from the README's table of checks"
            );
        }
    }

    #[test]
    fn odd_pages_are_checked_without_panicking() {
        let mut options = LintOptions::default();
        options.words_to_avoid.insert("naïve".into(), "new".into());
        for md in [
            "Café\u{a0}etc. Ω. Naïve\u{2003}ideas.\n",
            "- <img src=a.png\n- item\n",
            "> <table>\n> <tr><td>x\n",
            "| a |\n|---|\n| <span style=\"color:#fff\">é</span> |\n",
            "[![](x.png)]()\n\n[](#)\n",
            "######## Not a heading\n\n#\n",
            "Text<",
            "",
        ] {
            lint_with(md, options.clone(), vec![]);
        }
    }

    #[test]
    fn image_alt() {
        assert_eq!(lint("\n![](a.png)\n"), [("image-alt", 5, 1)]);
        assert!(rules("![A map of Sefton](a.png)\n").is_empty());
        assert!(rules("![](line.png \"decorative\")\n").is_empty());
        assert_eq!(
            lint("A map: <img src=\"map.png\">\n"),
            [("image-alt", 4, 8)]
        );
        assert!(rules("<img src=\"line.svg\" alt=\"\">\n").is_empty());
    }

    #[test]
    fn heading_order_and_single_h1() {
        assert_eq!(lint("## A\n\n#### B\n"), [("heading-order", 6, 1)]);
        assert_eq!(lint("# Again\n"), [("single-h1", 4, 1)]);
        // The title is the h1, so the body starts at h2.
        assert_eq!(lint("Intro.\n\n### Too deep\n"), [("heading-order", 6, 1)]);
        assert!(rules("## A\n\n### B\n\n## C\n").is_empty());
    }

    #[test]
    fn empty_and_vague_links() {
        assert_eq!(lint("Go [](/a/) now.\n"), [("empty-link", 4, 4)]);
        assert_eq!(
            lint("To apply, [click here](/a/).\n"),
            [("vague-link", 4, 11)]
        );
        assert_eq!(
            lint("See [https://example.org](https://example.org).\n"),
            [("vague-link", 4, 5)]
        );
        assert_eq!(lint("[Read more.](/a/)\n"), [("vague-link", 4, 1)]);
        assert!(rules("[![The schools booklet cover](cover.png)](/schools/)\n").is_empty());
        assert!(rules("Read [the schools booklet](/schools/).\n").is_empty());
    }

    #[test]
    fn table_header() {
        assert_eq!(
            lint("|  |  |\n|--|--|\n| a | b |\n"),
            [("table-header", 4, 1)]
        );
        assert_eq!(
            lint("Text.\n\n<table>\n  <tr><td>a</td></tr>\n</table>\n"),
            [("table-header", 6, 1)]
        );
        assert!(
            rules("<table>\n  <tr><th>Who</th></tr>\n  <tr><td>a</td></tr>\n</table>\n").is_empty()
        );
        assert!(rules("| Who | What |\n|--|--|\n| a | b |\n").is_empty());
    }

    #[test]
    fn duplicate_id() {
        // Same titles get unique ids from the renderer ("next-steps", "next-steps-2").
        assert!(rules("## Next steps\n\n## Next steps\n").is_empty());
        assert_eq!(
            lint("## One {#same}\n\n## Two {#same}\n"),
            [("duplicate-id", 6, 1)]
        );
        // An explicit id that a title already slugs to, either way round.
        assert_eq!(
            lint("## Next steps\n\n## Later {#next-steps}\n"),
            [("duplicate-id", 6, 1)]
        );
        assert_eq!(
            lint("## Later {#next-steps}\n\n## Next steps\n"),
            [("duplicate-id", 6, 1)]
        );
        // The renamed second "Aims" is "aims-2", which the third heading also is.
        assert_eq!(
            lint("## Aims\n\n## Aims\n\n## Aims 2\n"),
            [("duplicate-id", 8, 1)]
        );
        assert!(rules("## Next steps\n\n## Next steps {#later}\n").is_empty());
    }

    #[test]
    fn low_contrast() {
        assert_eq!(
            lint("A <span style=\"color: #aaa; background: #fff\">faint</span> word.\n"),
            [("low-contrast", 4, 9)]
        );
        assert!(
            rules("A <span style=\"color: #0b0c0c; background: #fff\">dark</span> word.\n")
                .is_empty()
        );
        // Only the text colour: the dark scheme's background shows through.
        assert_eq!(
            lint("A <span style=\"color: #0b0c0c\">dark</span> word.\n"),
            [("low-contrast", 4, 9)]
        );
        // A block of HTML over several lines, the style on the second.
        assert_eq!(
            lint("<div>\n<p style=\"color: white; background-color: yellow\">Hi</p>\n</div>\n"),
            [("low-contrast", 5, 4)]
        );
    }

    #[test]
    fn long_sentence() {
        let long = "word ".repeat(26);
        assert_eq!(
            lint(&format!("Short one. {}end.\n", long)),
            [("long-sentence", 4, 12)]
        );
        assert!(rules(&format!("{}end.\n", "word ".repeat(20))).is_empty());
    }

    #[test]
    fn reading_grade() {
        let dense = "Notwithstanding organisational responsibilities, multidisciplinary partnerships necessitate comprehensive interagency accountability arrangements. ".repeat(3);
        assert_eq!(
            lint(&format!("Short one.\n\n{dense}\n")),
            [("reading-grade", 6, 1)]
        );
        let plain = "The council looks after children. It wants them to do well. ".repeat(4);
        assert!(rules(&format!("{plain}\n")).is_empty());
    }

    #[test]
    fn acronym() {
        let glossary = vec![GlossaryEntry {
            term: "Personal Education Plan".into(),
            abbr: Some("PEP".into()),
            aliases: vec![],
            definition: String::new(),
            id: "pep".into(),
        }];
        let run = |md: &str| lint_with(md, LintOptions::default(), glossary.clone());
        assert_eq!(run("Every child has a PEP.\n"), [("acronym", 4, 19)]);
        assert!(run("A Personal Education Plan (PEP) helps. The PEP is reviewed.\n").is_empty());
        assert!(run("See the [PEP](/glossary/#pep).\n").is_empty());
        // The full form may wrap onto the next line or carry emphasis.
        assert!(run("A *Personal* Education\nPlan (PEP) helps.\n").is_empty());
        // Used in a heading first: judged where the body first uses it.
        assert_eq!(
            run("## The PEP\n\nEach PEP is reviewed.\n"),
            [("acronym", 6, 6)]
        );
        let cic = vec![GlossaryEntry {
            term: "Child in care".into(),
            abbr: Some("CIC".into()),
            aliases: vec!["children in care".into(), "LAC".into()],
            definition: String::new(),
            id: "child-in-care".into(),
        }];
        let run = |md: &str| lint_with(md, LintOptions::default(), cic.clone());
        assert!(run("Children in care (CIC) come first.\n").is_empty());
        // Another acronym is not a written-out form.
        assert_eq!(run("LAC, or CIC.\n"), [("acronym", 4, 9)]);
    }

    #[test]
    fn words_to_avoid() {
        let mut options = LintOptions::default();
        options
            .words_to_avoid
            .insert("placement".into(), "home".into());
        options
            .words_to_avoid
            .insert("LAC".into(), "children in care".into());
        let run = |md: &str| lint_with(md, options.clone(), vec![]);
        assert_eq!(
            run("Her Placement ended. LAC reviews.\n"),
            [("words-to-avoid", 4, 5), ("words-to-avoid", 4, 22)]
        );
        assert!(run("Her home is stable. A lactose-free diet.\n").is_empty());
        // A phrase over a line break; not in code, nor in headings.
        options
            .words_to_avoid
            .insert("contact visit".into(), "family time".into());
        let run = |md: &str| lint_with(md, options.clone(), vec![]);
        assert_eq!(
            run(
                "## Contact visit plans\n\nThe `placement` field. Each contact\nvisit is planned.\n"
            ),
            [("words-to-avoid", 6, 29)]
        );
    }

    #[test]
    fn review_by() {
        let page = |date: &str| {
            format!(
                "---\ntitle: T\nkind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1\"\n  status: draft\n  review_by: {date}\n---\nText.\n"
            )
        };
        let run = |date: &str| lint_source(&page(date), LintOptions::default(), vec![]);
        assert_eq!(run("2026-01-31"), [("review-by", 8, 14)]);
        // A file with Windows line ends points at the same place.
        let crlf = page("2026-01-31").replace('\n', "\r\n");
        assert_eq!(
            lint_source(&crlf, LintOptions::default(), vec![]),
            [("review-by", 8, 14)]
        );
        assert!(run("2027-01-31").is_empty());
    }

    #[test]
    fn allowances_need_known_rules_and_reasons() {
        let source = |front: &str| format!("---\ntitle: T\n{front}---\nText.\n");
        let errors = |front: &str| {
            let (page, _) = page_of(&source(front));
            check_allowances(&page)
                .into_iter()
                .map(|d| (d.line, d.message, d.hint.unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        // A misspelt rule does not parse: the error is at its line, with a suggestion.
        let misspelt = source("lint:\n  allow:\n    long-sentense: quotes the Act\n");
        let err = front_matter::parse(&misspelt, Path::new("t.md")).unwrap_err();
        assert_eq!(err.line, 5);
        assert_eq!(
            err.message,
            "lint.allow: `long-sentense` is not a check folio knows"
        );
        assert!(
            err.hint
                .unwrap()
                .starts_with("did you mean `long-sentence`?")
        );
        let found = errors("lint:\n  allow:\n    long-sentence: \"\"\n");
        assert!(found[0].1.contains("needs a reason"));
        assert!(errors("lint:\n  allow:\n    long-sentence: quotes the Act\n").is_empty());
        let found = errors("lint:\n  allow:\n    approval: it is nearly approved\n");
        assert_eq!(found[0].1, "`approval` cannot be turned off");
    }

    #[test]
    fn single_h1() {
        assert_eq!(lint("Intro.\n\n# A second title\n"), [("single-h1", 6, 1)]);
        // Level 2 headings, and a `#` line in code or escaped, are not level 1 headings.
        assert!(rules("## Start\n\n```sh\n# a comment\n```\n\n\\# Not a heading\n").is_empty());
    }

    #[test]
    fn empty_link() {
        assert_eq!(lint("Go [ ](/a/) now.\n"), [("empty-link", 4, 4)]);
        // Text, code or an image's alt text all say where the link goes.
        for md in [
            "Read [the schools booklet](/schools/).\n",
            "Run [`folio check`](/help/check/).\n",
            "[![The schools booklet](cover.png)](/schools/)\n",
        ] {
            assert!(rules(md).is_empty(), "{md}");
        }
    }

    /// What a build of a small site reports: (rule, file, line, column), errors and warnings.
    fn build_reports(files: &[(&str, &str)]) -> Vec<(&'static str, String, usize, usize)> {
        let dir = tempfile::tempdir().unwrap();
        let site_yaml = "title: Test\nbase_url: https://test.example/\n";
        for (path, text) in [("site.yaml", site_yaml)].iter().chain(files) {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        let mut options = crate::build::BuildOptions::new(dir.path());
        options.pdf = false;
        options.search = false;
        options.today = NaiveDate::from_ymd_opt(2026, 11, 23);
        let found = match crate::build::build(&options) {
            Ok(built) => built.warnings,
            Err(failure) => failure.diagnostics,
        };
        found
            .into_iter()
            .map(|d| {
                let file = d.file.to_string_lossy().into_owned();
                (d.rule.map_or("-", Rule::name), file, d.line, d.column)
            })
            .collect()
    }

    const HOME: (&str, &str) = ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");

    #[test]
    fn document_control() {
        let booklet =
            |front: &str| format!("---\ntitle: Guide\nkind: booklet\n{front}---\nText.\n");
        assert_eq!(
            build_reports(&[HOME, ("content/guide/_index.md", &booklet(""))]),
            [(
                "document-control",
                "content/guide/_index.md".to_string(),
                1,
                1
            )]
        );
        let control = "document_control:\n  owner: Head of Service\n  version: \"1\"\n  status: draft\n  review_by: 2030-01-31\n";
        assert!(build_reports(&[HOME, ("content/guide/_index.md", &booklet(control))]).is_empty());
        // A section that is not a booklet needs none.
        let section = "---\ntitle: News\n---\nText.\n";
        assert!(build_reports(&[HOME, ("content/news/_index.md", section)]).is_empty());
    }

    #[test]
    fn placeholder() {
        let site_yaml = "title: Test\nbase_url: https://test.example/\norganisation:\n  phone: \"TBC: the switchboard number\"\n";
        let pledge = "---\ntitle: Pledge\nextra:\n  contact: \"TBC: the team that answers\"\n---\n\n> TBC: the shared mailbox.\n";
        assert_eq!(
            build_reports(&[
                HOME,
                ("site.yaml", site_yaml),
                ("content/pledge.md", pledge)
            ]),
            [
                ("placeholder", "content/pledge.md".to_string(), 4, 13),
                ("placeholder", "content/pledge.md".to_string(), 7, 3),
                ("placeholder", "site.yaml".to_string(), 4, 11),
            ]
        );
        // Real values, a comment that explains placeholders, and "TBC" as a word pass.
        let filled = "title: Test\nbase_url: https://test.example/\n# Write \"TBC: what is missing\" for an unknown value.\norganisation:\n  phone: \"0100 000 0000\"\n";
        let page = "---\ntitle: Pledge\nextra:\n  contact: The children in care team\n---\n\nThe date is TBC until Cabinet meets.\n";
        assert!(
            build_reports(&[HOME, ("site.yaml", filled), ("content/pledge.md", page)]).is_empty()
        );
    }
}
