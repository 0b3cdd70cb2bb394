//! The large print PDFs: every booklet typeset again for readers with low vision, following
//! UK clear print guidance (UKAAF, RNIB): A4, body text of 16 pt or more, larger headings,
//! generous line spacing, left aligned, a page number on every page and a contents page.
//! Tagged PDF/UA-1 like the standard PDF, next to it: `/schools/schools-large-print.pdf`.
//!
//! The print template reads `meta.large_print` and sets its sizes from it; the content and
//! the cache key are the standard PDF's, with the variant in the data.

use super::pdf::{links, typeset_booklets};
use super::{Group, Input, Made, Needs, Output};
use crate::config::Format;
use crate::content::{PageId, Site};
use crate::print::Variant;
use crate::theme::Theme;

pub struct LargePrint;

impl Output for LargePrint {
    fn name(&self) -> &'static str {
        "large-print"
    }

    fn needs(&self) -> Needs {
        Needs {
            pages: true,
            downloads: false,
        }
    }

    fn slow(&self) -> bool {
        true
    }

    fn group(&self) -> Group {
        Group::Typeset
    }

    fn links(&self, site: &Site, _theme: &Theme) -> Vec<String> {
        links(site, Format::LargePrint)
    }

    fn make(&self, input: &Input, _only: Option<&[PageId]>, made: &mut Made) {
        typeset_booklets(
            self.name(),
            Format::LargePrint,
            Variant::LargePrint,
            input,
            made,
            |_, _, _, pdf| Ok(pdf),
        );
    }
}
