//! What changed and when: each page's own changes, a booklet's changes with its chapters',
//! and the date a page was last updated, which pages, feeds and the sitemap all show.

use chrono::NaiveDate;

use super::front_matter::Change;
use super::{PageId, Role, Site};

/// One change, with the page it changed.
#[derive(Debug, Clone, Copy)]
pub struct Changed<'a> {
    pub page: PageId,
    pub change: &'a Change,
    /// Its place in the page's own list (oldest first), which keeps ids of changes made on
    /// one day apart.
    pub index: usize,
}

impl Site {
    /// The changes a page records itself, oldest first: a booklet's (or the home page's) in
    /// its document control, then any in its own `history:`.
    pub fn own_changes(&self, id: PageId) -> impl Iterator<Item = &Change> {
        let front = &self.pages[id].front;
        front
            .document_control
            .iter()
            .flat_map(|dc| dc.history.iter())
            .chain(front.history.iter())
    }

    /// The changes a page's "See all updates" lists, newest first: for a booklet (or a
    /// chapter), the booklet's and every chapter's; for any other page, its own.
    pub fn changes_of(&self, id: PageId) -> Vec<Changed<'_>> {
        let pages = match self.pages[id].booklet {
            Some(booklet) => self.booklet_pages(booklet),
            None => vec![id],
        };
        self.changes_on(pages)
    }

    /// Every change on the site, newest first.
    pub fn changes(&self) -> Vec<Changed<'_>> {
        self.changes_on(self.pages.ids())
    }

    /// The changes recorded on `pages`, newest first.
    fn changes_on(&self, pages: impl IntoIterator<Item = PageId>) -> Vec<Changed<'_>> {
        newest_first(
            pages
                .into_iter()
                .flat_map(|page| {
                    self.own_changes(page)
                        .enumerate()
                        .map(move |(index, change)| Changed {
                            page,
                            change,
                            index,
                        })
                })
                .collect(),
        )
    }

    /// When a page was last updated: the latest of its own changes and, for a chapter, its
    /// booklet's; with none, the date its document was approved.
    pub fn last_updated(&self, id: PageId) -> Option<NaiveDate> {
        let page = &self.pages[id];
        let latest = |p: PageId| self.own_changes(p).map(|c| c.date).max();
        let booklet = page
            .booklet
            .filter(|&b| b != id && page.role == Role::Chapter)
            .and_then(latest);
        latest(id)
            .max(booklet)
            .or_else(|| page.document_control.as_ref()?.approved_on)
    }
}

fn newest_first(mut changes: Vec<Changed<'_>>) -> Vec<Changed<'_>> {
    changes.sort_by(|a, b| {
        b.change
            .date
            .cmp(&a.change.date)
            .then(b.page.cmp(&a.page))
            .then(b.index.cmp(&a.index))
    });
    changes
}
