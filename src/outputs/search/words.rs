//! How a page's text becomes the words of the search index. The rules are Pagefind 1.6's, so
//! that the browser's search (Pagefind's scripts, which stem a query with the same Snowball
//! stemmers) finds what Pagefind's own index would: a token is what lies between spaces; it is
//! indexed by its letters and digits, lower-cased, with accents folded (the accented form kept
//! beside it) and stemmed; a token with punctuation or inner capitals is also indexed by its
//! parts (`child-friendly`: `child`, `friend`), each at a share of the token's weight.
//!
//! Most of a page's tokens are words seen on many pages, so each distinct token is split once
//! per shard and its words remembered ([`Splitter`]); Pagefind splits and stems every token.

use std::collections::{HashMap, HashSet};

use convert_case::{Case, Casing};
use pagefind_stem::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// A word's number in its shard's [`Words`].
pub type WordId = u32;

/// The weight of ordinary text (Pagefind's weight 1, times its scale of 24).
pub const TEXT_WEIGHT: u8 = 24;

/// Characters kept inside a word besides letters and digits: the Unicode connector
/// punctuation, as Pagefind keeps them (it lists them to the browser in its entry file).
pub const WORD_SYMBOLS: [char; 10] = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'];

/// Pagefind's longest dotted tail and katakana suffix, in characters.
const MAX_TAIL_CHARS: usize = 64;
const MAX_KATAKANA_SUFFIX_CHARS: usize = 16;

/// One word a token is indexed under.
#[derive(Debug, Clone, PartialEq)]
struct Indexable {
    /// The stemmed, accent-folded form the index is searched by.
    stem: String,
    /// The form before its accents were folded, when they were.
    original: Option<String>,
    /// Whether it is a part of a compound token, which shares the token's weight.
    part: bool,
}

/// One word of a token, as the index stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenWord {
    pub word: WordId,
    pub original: Option<WordId>,
    pub weight: u8,
}

/// The shard's words: each stem and accented form once, by number.
#[derive(Default)]
pub struct Words {
    ids: HashMap<Box<str>, WordId>,
    list: Vec<Box<str>>,
}

impl Words {
    fn id(&mut self, word: &str) -> WordId {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.list.len() as WordId;
        self.list.push(word.into());
        self.ids.insert(word.into(), id);
        id
    }

    pub fn text(&self, id: WordId) -> &str {
        &self.list[id as usize]
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }
}

/// Splits a shard's text into indexed words, each distinct token once.
pub struct Splitter {
    stemmer: Option<Stemmer>,
    pub words: Words,
    known: HashMap<Box<str>, Box<[TokenWord]>>,
}

impl Splitter {
    pub fn new(language: &str) -> Splitter {
        Splitter {
            stemmer: stemmer(language),
            words: Words::default(),
            known: HashMap::new(),
        }
    }

    /// The words a token of body text is indexed under, at the text's weight.
    pub fn token(&mut self, token: &str) -> &[TokenWord] {
        if !self.known.contains_key(token) {
            let mut found = indexable(token, self.stemmer.as_ref());
            let tails = dotted_tails(token, self.stemmer.as_ref(), &found);
            found.extend(tails);
            let parts = found.iter().filter(|w| w.part).count();
            let part_weight = (TEXT_WEIGHT / u8::try_from(parts).unwrap_or(u8::MAX).max(1)).max(1);
            let words = found
                .iter()
                .map(|w| TokenWord {
                    word: self.words.id(&w.stem),
                    original: w.original.as_deref().map(|o| self.words.id(o)),
                    weight: if w.part { part_weight } else { TEXT_WEIGHT },
                })
                .collect();
            self.known.insert(token.into(), words);
        }
        &self.known[token]
    }

    /// The words a token of a metadata field (a title, say) is indexed under: no dotted
    /// tails, and no weight (the field says where it was found).
    pub fn meta_token(&mut self, token: &str) -> Vec<TokenWord> {
        indexable(token, self.stemmer.as_ref())
            .iter()
            .map(|w| TokenWord {
                word: self.words.id(&w.stem),
                original: w.original.as_deref().map(|o| self.words.id(o)),
                weight: 0,
            })
            .collect()
    }
}

/// The Snowball stemmer Pagefind's browser search uses for a language, if it has one.
fn stemmer(language: &str) -> Option<Stemmer> {
    let algorithm = match language.split('-').next().unwrap_or_default() {
        "ar" => Algorithm::Arabic,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "eo" => Algorithm::Esperanto,
        "et" => Algorithm::Estonian,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hi" => Algorithm::Hindi,
        "hu" => Algorithm::Hungarian,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "it" => Algorithm::Italian,
        "lt" => Algorithm::Lithuanian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "ne" => Algorithm::Nepali,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "pl" => Algorithm::Polish,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "yi" => Algorithm::Yiddish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// A token's words: the whole token, katakana suffixes, compound parts and emoji.
fn indexable(raw: &str, stemmer: Option<&Stemmer>) -> Vec<Indexable> {
    let mut found = Vec::new();
    let normalized = letters(raw);
    if !normalized.is_empty() {
        found.push(stem(&normalized, stemmer, false));
    }
    for suffix in katakana_suffixes(raw) {
        let folded = fold(suffix);
        found.push(Indexable {
            stem: folded.clone().unwrap_or_else(|| suffix.to_string()),
            original: folded.map(|_| suffix.to_string()),
            part: true,
        });
    }
    let compound =
        raw.chars().any(|c| !c.is_alphanumeric()) || raw.chars().skip(1).any(char::is_uppercase);
    if !compound {
        return found;
    }
    let parts = raw
        .replace(|c: char| c.is_ascii_punctuation(), " ")
        .to_case(Case::Lower)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !normalized.is_empty()
        && (parts.contains(char::is_whitespace) || !normalized.starts_with(&parts))
    {
        // Parts of one byte are left out, as Pagefind does.
        for part in parts.split_whitespace().filter(|p| p.len() > 1) {
            let folded = fold(part);
            let base = folded.as_deref().unwrap_or(part);
            found.push(Indexable {
                stem: match stemmer {
                    Some(s) => s.stem(base).into_owned(),
                    None => base.to_string(),
                },
                original: folded.as_ref().map(|_| part.to_string()),
                part: true,
            });
        }
    }
    // Every emoji is outside ASCII.
    if !raw.is_ascii() {
        for grapheme in raw.graphemes(true).filter(|g| emojis::get(g).is_some()) {
            found.push(Indexable {
                stem: grapheme.to_string(),
                original: None,
                part: false,
            });
        }
    }
    found
}

/// What follows each dot of a dotted token (`config.is_python_build`), when it is itself a
/// compound, so that the tail can be searched for.
fn dotted_tails(raw: &str, stemmer: Option<&Stemmer>, found: &[Indexable]) -> Vec<Indexable> {
    let mut tails = Vec::new();
    if !raw.contains('.') {
        return tails;
    }
    let seen: HashSet<&str> = found.iter().map(|w| w.stem.as_str()).collect();
    let mut taken = HashSet::new();
    for (i, _) in raw.match_indices('.') {
        let rest = &raw[i + 1..];
        let tail = match rest.char_indices().nth(MAX_TAIL_CHARS) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        let compound = tail.chars().any(|c| !c.is_alphanumeric())
            || tail.chars().skip(1).any(char::is_uppercase);
        if !compound {
            continue;
        }
        let normalized = letters(tail);
        if normalized.chars().count() < 2 {
            continue;
        }
        let word = stem(&normalized, stemmer, true);
        if !seen.contains(word.stem.as_str()) && taken.insert(word.stem.clone()) {
            tails.push(word);
        }
    }
    tails
}

/// A token's letters, digits and word symbols, lower-cased.
fn letters(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for mut c in raw.chars() {
        if c.is_alphanumeric() || WORD_SYMBOLS.contains(&c) {
            c.make_ascii_lowercase();
            if c.is_uppercase() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        }
    }
    out
}

fn stem(normalized: &str, stemmer: Option<&Stemmer>, part: bool) -> Indexable {
    let folded = fold(normalized);
    let base = folded.as_deref().unwrap_or(normalized);
    Indexable {
        stem: match stemmer {
            Some(s) => s.stem(base).into_owned(),
            None => base.to_string(),
        },
        original: folded.map(|_| normalized.to_string()),
        part,
    }
}

/// The word with its accents taken off (`café`: `cafe`), if it has any. The kana voicing
/// marks are kept, since they tell words apart.
fn fold(word: &str) -> Option<String> {
    if word.is_ascii() || !decomposes(word) {
        return None;
    }
    let voicing = |c: char| matches!(c, '\u{3099}' | '\u{309A}');
    let stripped: String = word
        .nfd()
        .filter(|&c| !unicode_normalization::char::is_combining_mark(c) || voicing(c))
        .collect();
    let folded = if stripped.chars().any(voicing) {
        stripped.nfc().collect()
    } else {
        stripped
    };
    (folded != word).then_some(folded)
}

fn decomposes(word: &str) -> bool {
    word.chars().any(|c| {
        let mut differs = unicode_normalization::char::is_combining_mark(c);
        unicode_normalization::char::decompose_canonical(c, |part| differs |= part != c);
        differs
    })
}

fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// Each suffix of a katakana word of three or more characters, so that a search for part of
/// it finds it (words of katakana are not split further).
fn katakana_suffixes(word: &str) -> Vec<&str> {
    if word.chars().count() < 3 || !word.chars().all(is_katakana) {
        return Vec::new();
    }
    let mut seen = HashSet::new();
    let mut suffixes = Vec::new();
    for (i, _) in word.char_indices().skip(1) {
        let rest = &word[i..];
        let suffix = match rest.char_indices().nth(MAX_KATAKANA_SUFFIX_CHARS) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        if suffix.chars().count() >= 2 && seen.insert(suffix) {
            suffixes.push(suffix);
        }
    }
    suffixes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(token: &str) -> Vec<(String, bool)> {
        indexable(token, stemmer("en").as_ref())
            .into_iter()
            .map(|w| (w.stem, w.part))
            .collect()
    }

    #[test]
    fn a_word_is_stemmed_and_a_compound_also_indexed_by_its_parts() {
        assert_eq!(stems("Children"), [("children".to_string(), false)]);
        assert_eq!(stems("caring,"), [("care".to_string(), false)]);
        assert_eq!(
            stems("child-friendly"),
            [
                ("childfriend".to_string(), false),
                ("child".to_string(), true),
                ("friend".to_string(), true)
            ]
        );
        let cafe = indexable("Café", stemmer("en").as_ref());
        assert_eq!(cafe[0].stem, "cafe");
        assert_eq!(cafe[0].original.as_deref(), Some("café"));
    }

    #[test]
    fn a_token_is_split_once_and_its_parts_share_its_weight() {
        let mut splitter = Splitter::new("en");
        let first = splitter.token("well-being").to_vec();
        assert_eq!(first.len(), 3);
        assert_eq!(first[0].weight, TEXT_WEIGHT);
        assert!(first[1..].iter().all(|w| w.weight == TEXT_WEIGHT / 2));
        let words = splitter.words.len();
        assert_eq!(splitter.token("well-being"), first.as_slice());
        assert_eq!(splitter.words.len(), words);
        assert_eq!(splitter.words.text(first[1].word), "well");
    }
}
