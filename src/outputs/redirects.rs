//! Old addresses (`aliases:` in front matter): a page at each that sends the reader on to
//! the page's new address (a meta refresh, and a link for anyone it does not move), and
//! `_redirects`, one `old new 301` line each, for hosts that read one (Netlify, Cloudflare
//! Pages). Both honour the path the site lives under.

use super::{Input, Made, Output};
use crate::content::{PageId, Site};
use crate::diagnostics::Diagnostic;
use crate::theme::Theme;
use crate::web;

pub struct Redirects;

/// The file of redirects for hosts that read one.
const REDIRECTS_FILE: &str = "_redirects";

impl Output for Redirects {
    fn name(&self) -> &'static str {
        "redirects"
    }

    fn links(&self, site: &Site, _theme: &Theme) -> Vec<String> {
        if site.aliases.is_empty() {
            return Vec::new();
        }
        vec![format!("/{REDIRECTS_FILE}")]
    }

    fn make(&self, input: &Input, _only: Option<&[PageId]>, made: &mut Made) {
        let site = input.site;
        if site.aliases.is_empty() {
            return;
        }
        // An old address must not be a file another output makes (a feed, a register's
        // view): the alias would hide it.
        let others: Vec<String> = super::all()
            .iter()
            .filter(|o| o.name() != self.name())
            .flat_map(|o| o.links(site, input.theme))
            .collect();
        let shared = web::context::Shared::of(site);
        let mut lines = String::new();
        for alias in &site.aliases {
            let page = &site.pages[alias.to];
            let written = alias.from.trim_end_matches('/');
            if others.iter().any(|o| o.trim_end_matches('/') == written) {
                let (line, column) = page
                    .front_text()
                    .lines()
                    .position(|l| l.contains(written))
                    .map_or((page.line_of("aliases"), 1), |i| (i + 1, 1));
                made.problems.push(
                    Diagnostic::error(
                        &page.file,
                        format!(
                            "the alias {} is the address of a file the site makes",
                            alias.from
                        ),
                    )
                    .at(line, column)
                    .hint("remove the alias: an old address must be one the site no longer uses"),
                );
                continue;
            }
            match web::render_redirect(site, input.theme, alias, &shared.globals) {
                Ok(bytes) => input.keep(made, alias.file(), bytes),
                Err(d) => made.problems.push(d),
            }
            lines.push_str(&format!(
                "{} {} 301\n",
                site.config.href(&alias.from),
                site.config.href(&page.url)
            ));
        }
        input.keep(made, REDIRECTS_FILE.into(), lines.into_bytes());
    }
}
