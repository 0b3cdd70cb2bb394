//! What a build makes of the site, one part at a time. Each part is an [`Output`]: the web
//! pages, the registers and their open data, the feeds of changes, the pages at old
//! addresses, the files copied as they are, the sitemap, the search index, and each format
//! of the booklets (PDF, large print PDF, EPUB, the print room's imposed PDF).
//! `folio build` and `folio serve` run the list in [`all`] and name none of them.
//!
//! To add an output, write a file here with a type that implements [`Output`] and add one
//! line to [`all`]. Say what it reads ([`Needs`]) so that `folio serve` redoes it when that
//! changes, and whether it is slow (then it runs in the background in `folio serve`).

mod assets;
mod epub;
mod feeds;
mod pages;
mod pdf;
mod redirects;
mod register;
mod search;
mod sitemap;

use std::sync::Arc;
use std::time::Duration;

use crate::cache::Cache;
use crate::config::Format;
use crate::content::{PageId, PageMap, Site};
use crate::diagnostics::Diagnostic;
use crate::files::{Downloads, Files};
use crate::parts::PageParts;
use crate::theme::Theme;

pub use search::INDEX_DIR;

/// Every output, in the order a build makes them: those that make downloads come before the
/// pages that describe them.
pub fn all() -> Vec<Box<dyn Output>> {
    vec![
        Box::new(pdf::Booklets(Format::Pdf)),
        Box::new(pdf::Booklets(Format::LargePrint)),
        Box::new(epub::Epub),
        Box::new(pdf::Booklets(Format::PrintRoom)),
        Box::new(search::Search),
        Box::new(pages::Pages),
        Box::new(register::Registers),
        Box::new(feeds::Feeds),
        Box::new(redirects::Redirects),
        Box::new(assets::Assets),
        Box::new(sitemap::Sitemap),
    ]
}

/// Makes `outputs` side by side, each into its own [`Made`], returned in the order given.
/// For outputs that read only the pages and make files of their own (the slow ones: the
/// booklets' formats and the search index), so that none waits for another, except that
/// one reading another's cache comes after it. The booklets of one format are still
/// typeset one at a time. The progress shows them as one step.
pub fn make_side_by_side(outputs: &[&dyn Output], input: &Input) -> Vec<Made> {
    if let [output] = outputs {
        let mut made = Made::default();
        output.make(input, None, &mut made);
        return vec![made];
    }
    input.progress.step("Typesetting, indexing", 0);
    let together = Together(input.progress);
    let input = Input {
        progress: &together,
        ..*input
    };
    let lanes = lanes(
        &outputs
            .iter()
            .map(|o| (o.name(), o.reads_cache_of(input.site)))
            .collect::<Vec<_>>(),
    );
    let made = side_by_side(&lanes, &|i| {
        let mut made = Made::default();
        outputs[i].make(&input, None, &mut made);
        made
    });
    let mut in_order: Vec<Made> = outputs.iter().map(|_| Made::default()).collect();
    for (i, made) in made {
        in_order[i] = made;
    }
    in_order
}

/// Runs `make` for each index of each lane, a lane's in order, the lanes side by side:
/// each index with what it gave.
///
/// A thread of its own for each lane, not a task on rayon's: each output's own parallel
/// work (Typst's layout, the search shards) still goes to rayon's threads, but a rayon
/// thread that waits inside one lane's work takes up a whole other lane and finishes it
/// first, so lanes ran one or two at a time and left cores idle (a 50,000-page site's PDFs
/// began only once its EPUBs, index and most large print were done). Called on a pool's
/// thread (the dev server's low-priority one), the lanes stay on that pool, so that none
/// of their work competes with an edit.
fn side_by_side<T: Send>(
    lanes: &[Vec<usize>],
    make: &(dyn Fn(usize) -> T + Sync),
) -> Vec<(usize, T)> {
    let run = |lane: &Vec<usize>| lane.iter().map(|&i| (i, make(i))).collect::<Vec<_>>();
    let made: Vec<Vec<(usize, T)>> = if rayon::current_thread_index().is_some() {
        use rayon::prelude::*;
        lanes.par_iter().map(run).collect()
    } else {
        std::thread::scope(|scope| {
            let running: Vec<_> = lanes
                .iter()
                .map(|lane| scope.spawn(move || run(lane)))
                .collect();
            running
                .into_iter()
                .map(|lane| {
                    lane.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    };
    made.into_iter().flatten().collect()
}

/// The outputs (by name, with the names whose cache each reads) in lanes that can run side
/// by side, each lane's one after another: an output goes after those whose cache it reads,
/// in their lane (their lanes joined into one when it reads from several). Indexes into
/// `outputs`.
fn lanes(outputs: &[(&str, Vec<&str>)]) -> Vec<Vec<usize>> {
    let mut lanes: Vec<Vec<usize>> = Vec::new();
    for (i, (_, reads)) in outputs.iter().enumerate() {
        let read: Vec<usize> = (0..lanes.len())
            .filter(|&l| lanes[l].iter().any(|&j| reads.contains(&outputs[j].0)))
            .collect();
        match read[..] {
            [] => lanes.push(vec![i]),
            [first, ..] => {
                for &other in read[1..].iter().rev() {
                    let joined = lanes.remove(other);
                    lanes[first].extend(joined);
                }
                lanes[first].push(i);
            }
        }
    }
    lanes
}

/// One step's progress for outputs made side by side: each adds its own count to it.
struct Together<'a>(&'a dyn crate::build::Progress);

impl crate::build::Progress for Together<'_> {
    fn step(&self, _name: &str, total: usize) {
        self.0.more(total);
    }

    fn advance(&self) {
        self.0.advance();
    }
}

/// One part of what a build makes.
pub trait Output: Send + Sync {
    /// Its name, for timings and the cache (`.folio/cache/<name>/`).
    fn name(&self) -> &'static str;

    /// What it reads beyond the site's shape (front matter, the page tree, settings, theme
    /// and data, any change to which makes every output again).
    fn needs(&self) -> Needs {
        Needs::default()
    }

    /// A slow output runs after the pages in `folio serve`, in the background, so that an
    /// edit is served at once; the pages then show what it made.
    fn slow(&self) -> bool {
        false
    }

    /// The outputs whose cache it reads for this site (the print room imposes the PDF or
    /// the large print from there): made after them, not beside them.
    fn reads_cache_of(&self, _site: &Site) -> Vec<&'static str> {
        Vec::new()
    }

    /// Which build option can leave it out.
    fn group(&self) -> Group {
        Group::Always
    }

    /// The site paths of the files it will make that a page may link to (a booklet's PDF, a
    /// stylesheet), so that such links are checked before anything is made.
    fn links(&self, _site: &Site, _theme: &Theme) -> Vec<String> {
        Vec::new()
    }

    /// Makes the output: for every page, or (when `only` is given) again for those pages
    /// alone, whose text or downloads changed.
    fn make(&self, input: &Input, only: Option<&[PageId]>, made: &mut Made);
}

/// What an output reads, so that `folio serve` knows which edits concern it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// The pages' text: an edit to a page's body makes it again.
    pub pages: bool,
    /// What the booklets offer for download: new downloads make it again.
    pub downloads: bool,
}

/// Outputs a build can leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Always,
    /// The booklets' documents (PDF, large print, EPUB, print room): `--no-pdf` leaves
    /// them out.
    Typeset,
    /// The search index: `--no-search` leaves it out.
    Search,
}

/// Everything an output can read.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    /// Each page's checked, rendered parts.
    pub parts: &'a PageMap<Arc<PageParts>>,
    /// Every page, heading and file a link can point at: what a page's text is read with.
    pub targets: &'a crate::markdown::LinkTargets,
    /// What the booklets offer for download, as made so far.
    pub downloads: &'a Downloads,
    pub cache: &'a Cache,
    /// Told how the output goes, for long builds.
    pub progress: &'a dyn crate::build::Progress,
    /// Where the files go as they are made.
    pub sink: Sink<'a>,
}

/// Where a build's files go as they are made.
#[derive(Clone, Copy)]
pub enum Sink<'a> {
    /// Kept in memory: the dev server serves them from there.
    Memory,
    /// Handed to the output folder's writer at once, so that a large site's pages are
    /// never all held in memory.
    Folder(&'a crate::write::Writer),
    /// Let go: `folio check` keeps no file, only what it found.
    Nowhere,
}

impl Input<'_> {
    /// A page's Markdown, parsed, its links resolved: read again when an output needs it.
    pub fn document(&self, id: PageId) -> crate::markdown::Document {
        crate::parts::document(self.site, self.site.page(id), self.targets)
    }

    /// A page's body as HTML: the rendered parts' when this build made them, made again
    /// otherwise (the page came unchanged from the last build's records).
    pub fn html(&self, id: PageId) -> std::borrow::Cow<'_, str> {
        match &self.parts[id].html {
            Some(html) => std::borrow::Cow::Borrowed(html.as_str()),
            None => std::borrow::Cow::Owned(crate::parts::html(
                self.site,
                self.site.page(id),
                self.targets,
            )),
        }
    }

    /// A file as the build keeps it (see [`Sink`]).
    pub fn file(
        &self,
        path: &std::path::Path,
        bytes: Vec<u8>,
    ) -> Result<crate::files::File, Diagnostic> {
        match self.sink {
            Sink::Memory => Ok(crate::files::File::Bytes(bytes.into())),
            Sink::Nowhere => Ok(crate::files::File::Discarded {
                size: bytes.len() as u64,
            }),
            Sink::Folder(writer) => writer.put(path, &bytes).map_err(|e| {
                Diagnostic::error(path, format!("cannot write this file of the site: {e}"))
                    .hint("check that the output folder is writable and the disk is not full")
            }),
        }
    }

    /// Hands a file to the writer (see [`Input::file`]) and keeps it among what `made`
    /// holds, or notes why it could not be.
    pub fn keep(&self, made: &mut Made, path: std::path::PathBuf, bytes: Vec<u8>) {
        match self.file(&path, bytes) {
            Ok(file) => {
                made.files.files.insert(path, file);
            }
            Err(problem) => made.problems.push(problem),
        }
    }
}

/// What an output made.
#[derive(Debug, Default)]
pub struct Made {
    pub files: Files,
    pub downloads: Downloads,
    /// What went wrong; the files of a failed output are not used.
    pub problems: Vec<Diagnostic>,
    /// Each document typeset (or read from the cache), for the summary and measurements.
    pub typeset: Vec<Typeset>,
}

/// One document made of a booklet (typeset, or an EPUB packed).
#[derive(Debug, Clone)]
pub struct Typeset {
    pub booklet: PageId,
    pub format: crate::config::Format,
    /// Read from the cache rather than typeset.
    pub cached: bool,
    pub time: Duration,
}

#[cfg(test)]
mod tests {
    use super::{lanes, side_by_side};
    use std::sync::{Condvar, Mutex};
    use std::time::Duration;

    #[test]
    fn every_lane_runs_at_once_however_few_threads_rayon_has() {
        // One lane more than rayon has threads, each waiting until all have started: lanes
        // on rayon's threads would never all start.
        let count = rayon::current_num_threads() + 1;
        let lanes: Vec<Vec<usize>> = (0..count).map(|i| vec![i, count + i]).collect();
        let started = (Mutex::new(0), Condvar::new());
        let made = side_by_side(&lanes, &|i| {
            if i >= count {
                return true;
            }
            let (number, all) = &started;
            let mut number = number.lock().unwrap();
            *number += 1;
            all.notify_all();
            let (number, waited) = all
                .wait_timeout_while(number, Duration::from_secs(30), |n| *n < count)
                .unwrap();
            drop(number);
            !waited.timed_out()
        });
        assert!(
            made.iter().all(|(_, met)| *met),
            "some lanes waited in vain for the others to start: {made:?}"
        );
        // Each lane's in its order, every index once.
        let mut order: Vec<usize> = made.iter().map(|(i, _)| *i).collect();
        for lane in order.chunks(2) {
            assert_eq!(lane[1], lane[0] + count);
        }
        order.sort();
        assert_eq!(order, (0..2 * count).collect::<Vec<_>>());
    }

    #[test]
    fn an_output_reading_another_s_cache_comes_after_it_in_its_lane() {
        let outputs = [
            ("pdf", vec![]),
            ("large-print", vec![]),
            ("epub", vec![]),
            ("print-room", vec!["large-print"]),
            ("search", vec![]),
        ];
        assert_eq!(lanes(&outputs), vec![vec![0], vec![1, 3], vec![2], vec![4]]);
        // Without the one it reads, it has a lane of its own.
        assert_eq!(lanes(&outputs[3..]), vec![vec![0], vec![1]]);
        // Reading two (a site with A4 and A5 booklets), it joins their lanes and goes last.
        let mut both = outputs.clone();
        both[3].1 = vec!["pdf", "large-print"];
        assert_eq!(lanes(&both), vec![vec![0, 1, 3], vec![2], vec![4]]);
    }
}
