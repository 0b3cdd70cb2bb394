//! The print room's booklets: every booklet typeset on A5 and imposed for saddle stitching,
//! two pages side by side on each side of an A4 landscape sheet, padded with blanks to a
//! multiple of four, for duplex printing flipped on the short edge:
//! `/schools/schools-print-room.pdf`.
//!
//! It is for printers, not readers, so the download block does not list it; the booklet's
//! page links to it under "For printing". An A5 booklet's own PDF is the one imposed (read
//! from the PDF output's cache); any other booklet is typeset on A5 first.

use super::pdf::{links, typeset_booklets};
use super::{Group, Input, Made, Needs, Output};
use crate::config::Format;
use crate::content::{PageId, Site};
use crate::print::Variant;
use crate::theme::Theme;

pub struct PrintRoom;

impl Output for PrintRoom {
    fn name(&self) -> &'static str {
        "print-room"
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
        links(site, Format::PrintRoom)
    }

    fn make(&self, input: &Input, _only: Option<&[PageId]>, made: &mut Made) {
        typeset_booklets(
            self.name(),
            Format::PrintRoom,
            Variant::A5,
            input,
            made,
            |typesetter, input, booklet, a5| typesetter.impose(input.site, booklet, &a5),
        );
    }
}
