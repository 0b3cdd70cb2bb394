//! The Typst `World` for one booklet: the generated main file, the theme's print template,
//! the booklet's data as JSON, images and fonts, all in memory. Nothing is read from disk
//! or the network while Typst compiles.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Fonts and the standard library, loaded once per build and shared by every booklet.
pub struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// The characters the fonts have.
    pub glyphs: super::glyphs::Glyphs,
}

impl Shared {
    /// Loads the theme's fonts (the body face) and Typst's bundled monospace face for code.
    pub fn new(theme_fonts: &[std::borrow::Cow<'_, [u8]>]) -> Self {
        let mut fonts: Vec<Font> = theme_fonts
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(data.to_vec())))
            .collect();
        // Only the monospace family: the theme's face covers body text, and a single
        // fallback keeps glyph choice predictable.
        fonts.extend(
            typst_assets::fonts()
                .flat_map(|data| Font::iter(Bytes::new(data)))
                .filter(|font| font.info().family == "DejaVu Sans Mono"),
        );
        Shared {
            // Row headers (`pdf.header-cell(scope: "row")`) for the tables of two columns
            // whose first column names each row.
            library: LazyHash::new(
                Library::builder()
                    .with_features([typst::Feature::A11yExtras].into_iter().collect())
                    .build(),
            ),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            glyphs: super::glyphs::Glyphs::new(&fonts),
            fonts,
        }
    }
}

/// Path of a file inside the booklet's virtual project.
fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

pub struct BookletWorld {
    shared: Arc<Shared>,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl BookletWorld {
    pub fn new(shared: Arc<Shared>, main_text: String, today: Datetime) -> Self {
        let main = file_id("/main.typ").expect("a constant, valid path");
        let mut sources = HashMap::new();
        sources.insert(main, Source::new(main, main_text));
        BookletWorld {
            shared,
            main,
            sources,
            files: HashMap::new(),
            today,
        }
    }

    /// Adds a file; `.typ` files become sources Typst can import.
    pub fn add(&mut self, path: &str, data: Vec<u8>) {
        let Some(id) = file_id(path) else {
            return;
        };
        if Path::new(path).extension().is_some_and(|e| e == "typ") {
            let text = String::from_utf8_lossy(&data).into_owned();
            self.sources.insert(id, Source::new(id, text));
        }
        self.files.insert(id, Bytes::new(data));
    }

    pub fn main_id(&self) -> FileId {
        self.main
    }
}

impl World for BookletWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.get().vpath().get_with_slash()))
}
