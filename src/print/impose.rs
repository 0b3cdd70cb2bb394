//! The print room's booklet: an A5 booklet's pages imposed two to a side of A4 landscape,
//! in the order that, printed on both sides (flipped on the short edge), stacked and folded
//! down the middle, reads from the front cover to the back page.
//!
//! The imposition is done by Typst itself: since 0.14 it places a page of a PDF as an image
//! (a vector copy, text and all), so the A5 PDF that folio has just typeset is placed twice
//! a side with no other PDF library, and exported through the same code as every PDF.

use typst::diag::Warned;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use super::{Pdf, Typesetter, literal, typst_date, typst_datetime, world};

/// Where each page of a booklet of `pages` pages goes: the sides of the sheets in printing
/// order, each a (left, right) pair of page numbers (from 1), `None` for a blank.
///
/// The pages are padded with blanks to a multiple of four. The blanks go before the last
/// page, so that the back page (contact details) stays on the outside of the back cover.
/// Sheet `s` (from 0) of `n` padded pages has on its front the positions `n - 2s` and
/// `2s + 1`, and on its back `2s + 2` and `n - 2s - 1`.
pub fn order(pages: usize) -> Vec<(Option<usize>, Option<usize>)> {
    let padded = pages.max(1).div_ceil(4) * 4;
    // The page at each position of the padded booklet.
    let at = |position: usize| -> Option<usize> {
        if pages >= 2 && position == padded {
            Some(pages)
        } else if position < pages || (pages == 1 && position == 1) {
            Some(position)
        } else {
            None
        }
    };
    let mut sides = Vec::with_capacity(padded / 2);
    for sheet in 0..padded / 4 {
        sides.push((at(padded - 2 * sheet), at(2 * sheet + 1)));
        sides.push((at(2 * sheet + 2), at(padded - 2 * sheet - 1)));
    }
    sides
}

/// Imposes a typeset A5 booklet for saddle stitching: two A5 pages side by side on each A4
/// landscape side, meeting at the fold. The result is for printers, not readers: it is not
/// tagged (the booklet's own PDF is).
pub fn impose(
    typesetter: &Typesetter,
    booklet: &Pdf,
    title: &str,
    ident: &str,
    date: chrono::NaiveDate,
) -> Result<Pdf, String> {
    let mut main = String::new();
    main.push_str(&format!(
        "#set document(title: {})\n#set page(paper: \"a4\", flipped: true, margin: 0pt)\n\
         #let leaf(n, dx) = if n != none {{ place(top + left, dx: dx, image(\"/booklet.pdf\", \
         page: n, width: 148mm, height: 210mm, fit: \"stretch\")) }}\n",
        literal(title)
    ));
    let number = |n: Option<usize>| n.map_or_else(|| "none".to_string(), |n| n.to_string());
    for (left, right) in order(booklet.pages) {
        // A4 landscape is 297 mm wide: the two A5 pages (148 mm each) meet at its middle.
        main.push_str(&format!(
            "#page[#leaf({}, 0.5mm)#leaf({}, 148.5mm)]\n",
            number(left),
            number(right)
        ));
    }
    let mut world = world::BookletWorld::new(typesetter.shared.clone(), main, typst_date(date));
    world.add("/booklet.pdf", booklet.bytes.clone());
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| describe(&errors))?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("folio {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(typst_datetime(date))),
        page_ranges: None,
        standards: Default::default(),
        tagged: false,
        pretty: false,
    };
    let bytes = typst_pdf::pdf(&document, &options).map_err(|errors| describe(&errors))?;
    Ok(Pdf {
        bytes,
        pages: document.pages().len(),
    })
}

fn describe(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::order;

    #[test]
    fn eight_pages_make_two_sheets_in_booklet_order() {
        let s = |l: usize, r: usize| (Some(l), Some(r));
        assert_eq!(order(8), vec![s(8, 1), s(2, 7), s(6, 3), s(4, 5)]);
    }

    #[test]
    fn blanks_pad_to_four_before_the_back_page() {
        // Five pages: 1 to 4, three blanks, then page 5 on the back cover.
        assert_eq!(
            order(5),
            vec![
                (Some(5), Some(1)),
                (Some(2), None),
                (None, Some(3)),
                (Some(4), None),
            ]
        );
        assert_eq!(order(1), vec![(None, Some(1)), (None, None)]);
        for pages in 1..40 {
            let sides = order(pages);
            assert_eq!(sides.len(), pages.div_ceil(4) * 4 / 2, "{pages}");
            let mut placed: Vec<usize> =
                sides.iter().flat_map(|(l, r)| [*l, *r]).flatten().collect();
            placed.sort();
            assert_eq!(placed, (1..=pages).collect::<Vec<_>>(), "{pages}");
        }
    }
}
