//! `sitemap.xml`, listing every published page with the date it was last updated, and
//! `robots.txt`, pointing at it.

use super::{Input, Made, Output};
use crate::content::{PageId, Role, Site};
use crate::text::escape_html;
use crate::theme::Theme;

pub struct Sitemap;

impl Output for Sitemap {
    fn name(&self) -> &'static str {
        "sitemap"
    }

    fn links(&self, _site: &Site, _theme: &Theme) -> Vec<String> {
        vec!["/sitemap.xml".into(), "/robots.txt".into()]
    }

    fn make(&self, input: &Input, _only: Option<&[PageId]>, made: &mut Made) {
        input.keep(made, "sitemap.xml".into(), sitemap(input.site).into_bytes());
        input.keep(made, "robots.txt".into(), robots(input.site).into_bytes());
    }
}

/// Every published page, in URL order.
fn sitemap(site: &Site) -> String {
    // Search and the A to Z help readers find content; they are not content to index.
    let mut urls: Vec<(&str, Option<chrono::NaiveDate>)> = site
        .pages
        .iter()
        .filter(|(_, p)| p.role != Role::Utility)
        .map(|(id, p)| (p.url.as_str(), site.last_updated(id)))
        .collect();
    urls.sort_unstable();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, updated) in urls {
        // The date the page itself says it was last updated, the same as it shows.
        let lastmod = updated
            .map(|d| format!("<lastmod>{}</lastmod>", d.format("%Y-%m-%d")))
            .unwrap_or_default();
        xml.push_str(&format!(
            "  <url><loc>{}</loc>{lastmod}</url>\n",
            escape_html(&site.config.permalink(url))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: {}\nSitemap: {}\n",
        site.config.base_path(),
        site.config.permalink("/sitemap.xml")
    )
}
