//! The web pages: every page through its template, in parallel, and the 404 page.

use rayon::prelude::*;

use super::{Input, Made, Needs, Output};
use crate::content::{PageId, Site};
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
        let globals = web::context::globals(site);
        let ids: Vec<PageId> = match only {
            Some(ids) => ids.to_vec(),
            None => site.pages.ids().collect(),
        };
        input.progress.step("Writing web pages", ids.len());
        // Each page goes to the writer as soon as it is rendered: a large site's pages are
        // never all in memory at once.
        let rendered: Vec<_> = ids
            .par_iter()
            .map(|&id| {
                let parts = &input.parts[id];
                let page = web::render_page(
                    site,
                    input.theme,
                    id,
                    &parts.html,
                    &parts.headings,
                    input.downloads,
                    &globals,
                )
                .and_then(|(path, bytes)| Ok((input.file(&path, bytes)?, path)));
                input.progress.advance();
                page
            })
            .collect();
        for result in rendered {
            match result {
                Ok((file, path)) => {
                    made.files.files.insert(path, file);
                }
                Err(d) => made.problems.push(d),
            }
        }
        if only.is_none() {
            let path = std::path::PathBuf::from("404.html");
            match web::render_not_found(site, input.theme, &globals)
                .and_then(|bytes| input.file(&path, bytes))
            {
                Ok(file) => {
                    made.files.files.insert(path, file);
                }
                Err(d) => made.problems.push(d),
            }
        }
    }
}
