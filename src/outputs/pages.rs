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
        let rendered: Vec<_> = ids
            .par_iter()
            .map(|&id| {
                input.progress.advance();
                let parts = &input.parts[id];
                web::render_page(
                    site,
                    input.theme,
                    id,
                    &parts.html,
                    &parts.document.headings,
                    input.downloads,
                    &globals,
                )
            })
            .collect();
        for result in rendered {
            match result {
                Ok((path, bytes)) => made.files.add(path, bytes),
                Err(d) => made.problems.push(d),
            }
        }
        if only.is_none() {
            match web::render_not_found(site, input.theme, &globals) {
                Ok(bytes) => made.files.add("404.html".into(), bytes),
                Err(d) => made.problems.push(d),
            }
        }
    }
}
