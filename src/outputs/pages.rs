//! The web pages: every page through its template, in parallel, and the 404 page.

use std::borrow::Cow;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Input, Made, Needs, Output, Sink};
use crate::cache::{Fingerprint, Records};
use crate::content::{PageId, Site};
use crate::diagnostics::Diagnostic;
use crate::files::File;
use crate::theme::Theme;
use crate::web;

pub struct Pages;

impl Output for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }

    fn needs(&self) -> Needs {
        Needs {
            pages: true,
            downloads: true,
        }
    }

    fn links(&self, _site: &Site, _theme: &Theme) -> Vec<String> {
        vec!["/404.html".into()]
    }

    fn make(&self, input: &Input, only: Option<&[PageId]>, made: &mut Made) {
        let site = input.site;
        let shared = web::context::Shared::of(site);
        let ids: Vec<PageId> = match only {
            Some(ids) => ids.to_vec(),
            None => site.pages.ids().collect(),
        };
        // What the last build wrote of each page: a page whose inputs did not change, and
        // whose file is still in the output folder as written, is not rendered again.
        let records: Records<Rendered> = match input.sink {
            Sink::Folder(_) => input.cache.records(self.name()),
            Sink::Memory | Sink::Nowhere => Records::default(),
        };
        input.progress.step("Writing web pages", ids.len());
        // Each page goes to the writer as soon as it is rendered: a large site's pages are
        // never all in memory at once.
        let rendered: Vec<_> = ids
            .par_iter()
            .map(|&id| {
                let page = render(input, id, &records, &shared);
                input.progress.advance();
                page
            })
            .collect();
        let mut kept = Records::default();
        for (id, result) in ids.iter().zip(rendered) {
            match result {
                Ok((path, file, record)) => {
                    if let Some(record) = record {
                        kept.pages.insert(site.page(*id).url.clone(), record);
                    }
                    made.files.files.insert(path, file);
                }
                Err(d) => made.problems.push(d),
            }
        }
        if only.is_none() {
            let path = std::path::PathBuf::from("404.html");
            match web::render_not_found(site, input.theme, &shared.globals)
                .and_then(|bytes| input.file(&path, bytes))
            {
                Ok(file) => {
                    made.files.files.insert(path, file);
                }
                Err(d) => made.problems.push(d),
            }
            // Unchanged, they are not written again.
            if let Sink::Folder(_) = input.sink
                && kept.pages != records.pages
            {
                input.cache.keep_records(self.name(), &kept);
            }
        }
    }
}

/// What the output folder holds of a page: the file, and the key of what it was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Rendered {
    key: u128,
    path: PathBuf,
    hash: u128,
    size: u64,
}

/// What a page's file is made from: its parts' key (its source, and everything site-wide)
/// and the downloads its booklet offers.
fn render_key(input: &Input, id: PageId) -> u128 {
    let mut key = Fingerprint::new();
    key.add(&input.parts[id].key.to_le_bytes());
    let downloads = input.site.pages[id]
        .booklet
        .and_then(|b| input.downloads.get(&b))
        .map(Vec::as_slice)
        .unwrap_or_default();
    for d in downloads {
        key.add(d.format.key().as_bytes())
            .add(d.title.as_bytes())
            .add(d.url.as_bytes())
            .add(&(d.bytes as u64).to_le_bytes())
            .add(&d.pages.map_or(u64::MAX, |p| p as u64).to_le_bytes());
    }
    key.finish()
}

/// One page's file: left as it is when the last build wrote it from the same inputs,
/// rendered otherwise.
fn render(
    input: &Input,
    id: PageId,
    records: &Records<Rendered>,
    shared: &web::context::Shared,
) -> Result<(PathBuf, File, Option<Rendered>), Diagnostic> {
    let site = input.site;
    let page = site.page(id);
    let key = render_key(input, id);
    if let Sink::Folder(writer) = input.sink
        && let Some(record) = records.pages.get(&page.url)
        && record.key == key
        && writer.unchanged(&record.path, record.hash, record.size)
    {
        let file = File::Written {
            hash: record.hash,
            size: record.size,
            staged: false,
        };
        return Ok((record.path.clone(), file, Some(record.clone())));
    }
    let parts = &input.parts[id];
    let html = match &parts.html {
        Some(html) => Cow::Borrowed(html.as_str()),
        None => Cow::Owned(crate::parts::html(site, page, input.targets)),
    };
    let (path, bytes) = web::render_page(
        site,
        input.theme,
        id,
        &html,
        &parts.headings,
        input.downloads,
        shared,
    )?;
    let file = input.file(&path, bytes)?;
    let record = match file {
        File::Written { hash, size, .. } => Some(Rendered {
            key,
            path: path.clone(),
            hash,
            size,
        }),
        _ => None,
    };
    Ok((path, file, record))
}
