//! Files copied as they are: the theme's static files (the site's own `static/` wins over
//! them), then files kept beside the Markdown in `content/` (images, downloads).

use std::path::PathBuf;

use super::{Input, Made, Output};
use crate::content::{CONTENT_DIR, PageId, Site};
use crate::theme::{self, Source, Theme};

pub struct Assets;

impl Output for Assets {
    fn name(&self) -> &'static str {
        "assets"
    }

    fn links(&self, _site: &Site, theme: &Theme) -> Vec<String> {
        theme
            .files_under(theme::STATIC)
            .map(|file| file.path[theme::STATIC.len()..].to_string())
            .collect()
    }

    fn make(&self, input: &Input, _only: Option<&[PageId]>, made: &mut Made) {
        for file in input.theme.files_under(theme::STATIC) {
            let path = PathBuf::from(&file.path[theme::STATIC.len() + 1..]);
            match &file.source {
                Source::BuiltIn(bytes) => made.files.add_static(path, bytes),
                Source::Disk(source) => made.files.copy(path, source.clone()),
            }
        }
        let content = input.site.root.join(CONTENT_DIR);
        for relative in &input.site.files {
            made.files.copy(relative.clone(), content.join(relative));
        }
    }
}
