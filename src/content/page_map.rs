//! Page ids, and values kept per page: a typed index instead of a raw `usize`, so a page's
//! parts cannot be looked up in another list by mistake.

use std::ops::{Index, IndexMut};

/// A page of the site: its position in [`crate::content::Site::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageId(u32);

impl PageId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The page at a position of the site's pages (for tests of what reads ids).
    #[cfg(test)]
    pub(crate) fn from_index(index: usize) -> PageId {
        PageId(index as u32)
    }
}

/// One value for each page of a site, indexed by [`PageId`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageMap<T>(Vec<T>);

impl<T> Default for PageMap<T> {
    fn default() -> Self {
        PageMap(Vec::new())
    }
}

impl<T> PageMap<T> {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = PageId> + use<T> {
        (0..self.0.len() as u32).map(PageId)
    }

    pub fn iter(&self) -> impl Iterator<Item = (PageId, &T)> {
        self.0
            .iter()
            .enumerate()
            .map(|(i, v)| (PageId(i as u32), v))
    }

    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }

    pub fn get(&self, id: PageId) -> Option<&T> {
        self.0.get(id.index())
    }

    /// A value for each page, made from the page's id and value, on every core.
    pub fn par_map<U: Send>(&self, f: impl Fn(PageId, &T) -> U + Sync + Send) -> PageMap<U>
    where
        T: Sync,
    {
        use rayon::prelude::*;
        PageMap(
            self.0
                .par_iter()
                .enumerate()
                .map(|(i, v)| f(PageId(i as u32), v))
                .collect(),
        )
    }
}

impl<T: Send> PageMap<T> {
    /// Turns each page's value into another, on every core.
    pub fn into_par_map<U: Send>(self, f: impl Fn(PageId, T) -> U + Sync + Send) -> PageMap<U> {
        use rayon::prelude::*;
        PageMap(
            self.0
                .into_par_iter()
                .enumerate()
                .map(|(i, v)| f(PageId(i as u32), v))
                .collect(),
        )
    }
}

impl<T> Index<PageId> for PageMap<T> {
    type Output = T;
    fn index(&self, id: PageId) -> &T {
        &self.0[id.index()]
    }
}

impl<T> IndexMut<PageId> for PageMap<T> {
    fn index_mut(&mut self, id: PageId) -> &mut T {
        &mut self.0[id.index()]
    }
}

impl<T> FromIterator<T> for PageMap<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        PageMap(iter.into_iter().collect())
    }
}
