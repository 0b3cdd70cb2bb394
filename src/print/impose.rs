//! The print room's booklet: a booklet's pages imposed as A5, two to a side of A4 landscape,
//! in the order that, printed on both sides (flipped on the short edge), stacked and folded
//! down the middle, reads from the front cover to the back page.
//!
//! The imposition works on a PDF that folio has already typeset, not on the booklet's text:
//! each of its pages becomes a form (a vector copy, text, fonts and all) drawn on a side,
//! reduced to A5 when it is larger (an A4 page by 1/√2, exactly). Nothing is laid out again,
//! so it costs a few milliseconds, not a typesetting pass.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

use super::Pdf;

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

/// Imposes a typeset booklet for saddle stitching: two pages side by side on each A4
/// landscape side, meeting at the fold, each reduced to fit A5 if it is larger. The result is for printers, not readers: it is not
/// tagged (the booklet's own PDF is), so it drops the structure, outline and metadata that
/// claim it is, and takes `title` as its own.
pub fn impose(booklet: &Pdf, title: &str) -> Result<Pdf, String> {
    let mut doc = Document::load_mem(&booklet.bytes).map_err(|e| e.to_string())?;
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let mut forms = Vec::with_capacity(pages.len());
    let mut height: f32 = 0.0;
    let mut width: f32 = 0.0;
    for &page in &pages {
        let (form, [w, h]) = form_of(&doc, page)?;
        width = width.max(w);
        height = height.max(h);
        forms.push(doc.add_object(form));
    }
    // A4 landscape is twice A5 wide, give or take a millimetre: the two pages meet at its
    // middle, whatever is left over is shared by the outer edges.
    let (sheet_width, sheet_height) = (841.89_f32, 595.28_f32);
    let middle = sheet_width / 2.0;
    let scale = (middle / width).min(sheet_height / height).min(1.0);
    let (width, height) = (width * scale, height * scale);
    let bottom = (sheet_height - height) / 2.0;
    let tree = doc.new_object_id();
    let mut kids = Vec::new();
    for (left, right) in order(pages.len()) {
        let mut content = String::new();
        let mut xobjects = Dictionary::new();
        for (number, x) in [(left, middle - width), (right, middle)] {
            if let Some(n) = number {
                let name = format!("P{n}");
                content.push_str(&format!(
                    "q {scale:.5} 0 0 {scale:.5} {x:.3} {bottom:.3} cm /{name} Do Q\n"
                ));
                xobjects.set(name, forms[n - 1]);
            }
        }
        let content = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => tree,
            "MediaBox" => vec![0.into(), 0.into(), sheet_width.into(), sheet_height.into()],
            "Resources" => dictionary! { "XObject" => xobjects },
            "Contents" => content,
        })));
    }
    let sheets = kids.len();
    doc.objects.insert(
        tree,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => sheets as i64,
        }),
    );
    let catalog = doc.catalog_mut().map_err(|e| e.to_string())?;
    catalog.set("Pages", tree);
    // What belonged to the reader's copy: its tags, bookmarks, named places, and the
    // metadata that says it is PDF/UA and PDF/A.
    for key in [
        "StructTreeRoot",
        "MarkInfo",
        "Outlines",
        "PageMode",
        "PageLabels",
        "Names",
        "Dests",
        "Metadata",
        "OutputIntents",
    ] {
        catalog.remove(key.as_bytes());
    }
    if let Ok(info) = doc
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_dictionary_mut(id))
    {
        info.set("Title", lopdf::text_string(title));
    }
    doc.prune_objects();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(|e| e.to_string())?;
    Ok(Pdf {
        bytes,
        pages: sheets,
    })
}

/// A page of the booklet as a form to draw on a sheet, with its width and height.
fn form_of(doc: &Document, page: ObjectId) -> Result<(Stream, [f32; 2]), String> {
    let dict = doc.get_dictionary(page).map_err(|e| e.to_string())?;
    let number = |o: &Object| o.as_float().or_else(|_| o.as_i64().map(|i| i as f32));
    let media_box: Vec<f32> = dict
        .get(b"MediaBox")
        .and_then(Object::as_array)
        .map_err(|e| format!("a page has no size: {e}"))?
        .iter()
        .map(|o| number(doc.dereference(o).map(|(_, o)| o).unwrap_or(o)))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let [x0, y0, x1, y1] = media_box[..] else {
        return Err("a page's size is not four numbers".to_string());
    };
    let resources = dict
        .get(b"Resources")
        .cloned()
        .unwrap_or_else(|_| Object::Dictionary(Dictionary::new()));
    let contents = doc.get_page_contents(page);
    // One content stream (what Typst writes) is taken as it is, still compressed; several
    // are joined.
    let mut form = match contents[..] {
        [one] => doc
            .get_object(one)
            .and_then(Object::as_stream)
            .map_err(|e| e.to_string())?
            .clone(),
        _ => {
            let mut stream = Stream::new(
                Dictionary::new(),
                doc.get_page_content(page).map_err(|e| e.to_string())?,
            );
            stream.compress().map_err(|e| e.to_string())?;
            stream
        }
    };
    form.dict.set("Type", "XObject");
    form.dict.set("Subtype", "Form");
    form.dict
        .set("BBox", vec![x0.into(), y0.into(), x1.into(), y1.into()]);
    form.dict.set("Resources", resources);
    Ok((form, [x1 - x0, y1 - y0]))
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
