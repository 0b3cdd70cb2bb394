//! Plain-English measures: sentences, words, syllables and the Flesch-Kincaid grade.

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g.", "i.e.", "mr.", "mrs.", "ms.", "dr.", "st.", "vs.", "approx.", "cllr.",
];

/// Abbreviations that may also end a sentence: "no." only abbreviates before a number
/// ("No. 5", not "say no. Then"), and "etc." ends one when a capital letter follows.
fn ends_after_abbreviation(word: &str, next_word: Option<&str>) -> bool {
    let next = next_word.and_then(|w| w.chars().find(|c| c.is_alphanumeric()));
    match word {
        "no." => !next.is_some_and(|c| c.is_ascii_digit()),
        "etc." => next.is_none_or(char::is_uppercase),
        _ => !ABBREVIATIONS.contains(&word),
    }
}

/// The longest abbreviation, in bytes: a longer word before a full stop ends a sentence.
const LONGEST_ABBREVIATION: usize = 7;

/// Byte ranges of the sentences in `text`. A sentence ends at `.`, `!` or `?` followed by a
/// space or the end, unless the word is a known abbreviation.
pub fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut start = 0;
    // This runs for every paragraph of every page: jump from stop to stop (ASCII bytes are
    // never part of a longer UTF-8 character) without allocating.
    for at in memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes()) {
        // Closing quotes and brackets belong to the sentence they end.
        let ends = match text[at + 1..].chars().next() {
            None => true,
            Some(n) => n.is_whitespace() || matches!(n, '"' | '\u{201d}' | '\u{2019}' | ')'),
        };
        if !ends {
            continue;
        }
        if text.as_bytes()[at] == b'.' {
            // After the last white space, which may be more than one byte (a no-break space).
            let word_start = text[..at]
                .char_indices()
                .rfind(|(_, c)| c.is_whitespace())
                .map_or(0, |(w, c)| w + c.len_utf8());
            // The whole word must be the abbreviation: "exams." does not end with "ms.".
            let bare = text[word_start..=at].trim_start_matches(|c: char| !c.is_alphanumeric());
            if bare.len() <= LONGEST_ABBREVIATION
                && !ends_after_abbreviation(
                    &bare.to_lowercase(),
                    text[at + 1..].split_whitespace().next(),
                )
            {
                continue;
            }
        }
        let end = at + 1;
        if !text[start..end].trim().is_empty() {
            found.push(start..end);
        }
        start = end;
    }
    if !text[start..].trim().is_empty() {
        found.push(start..text.len());
    }
    found
}

/// The words of a piece of text and their syllables.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub words: usize,
    pub syllables: usize,
}

/// Counts words (runs between white space that hold at least one letter or digit) and their
/// syllables in one pass over the text, without allocating: this runs for every sentence of
/// every page, and ASCII text, nearly all of it, takes the short way.
pub fn count(text: &str) -> Counts {
    let mut counts = Counts::default();
    let mut word = Syllables::default();
    let mut alphanumeric = false;
    let mut in_word = false;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        let (space, alnum, letter) = if b.is_ascii() {
            at += 1;
            // `char::is_whitespace` on ASCII: the vertical tab too, unlike `is_ascii_whitespace`.
            let space = matches!(b, b' ' | b'\t'..=b'\r');
            let letter = b.is_ascii_alphabetic().then(|| b.to_ascii_lowercase());
            (space, b.is_ascii_alphanumeric(), letter)
        } else {
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            at += c.len_utf8();
            // A letter beyond ASCII is never one of the vowels counted.
            (
                c.is_whitespace(),
                c.is_alphanumeric(),
                c.is_alphabetic().then_some(0),
            )
        };
        if space {
            if in_word && alphanumeric {
                counts.words += 1;
                counts.syllables += word.total();
            }
            (word, alphanumeric, in_word) = (Syllables::default(), false, false);
            continue;
        }
        in_word = true;
        alphanumeric |= alnum;
        if let Some(letter) = letter {
            word.letter(letter);
        }
    }
    if in_word && alphanumeric {
        counts.words += 1;
        counts.syllables += word.total();
    }
    counts
}

/// Syllables in an English word, by counting groups of vowels (y included) and dropping a
/// silent final "e" ("care" has one, "table" has two). At least one per word.
#[cfg(test)]
fn syllables(word: &str) -> usize {
    count(word).syllables.max(1)
}

/// A word's syllables, counted as its letters arrive (ASCII letters in lower case; 0 for a
/// letter beyond ASCII).
#[derive(Default)]
struct Syllables {
    count: usize,
    after_vowel: bool,
    letters: usize,
    last: [u8; 3],
}

impl Syllables {
    fn is_vowel(c: u8) -> bool {
        matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
    }

    fn letter(&mut self, c: u8) {
        let vowel = Self::is_vowel(c);
        if vowel && !self.after_vowel {
            self.count += 1;
        }
        self.after_vowel = vowel;
        self.letters += 1;
        self.last = [self.last[1], self.last[2], c];
    }

    fn total(&self) -> usize {
        if self.letters == 0 {
            return 1;
        }
        // A final "e" after a consonant is silent, except in "-le" after a consonant ("table").
        let [third, second, last] = self.last;
        let silent_e = self.letters > 2 && last == b'e' && !Self::is_vowel(second);
        let consonant_le = self.letters > 2 && second == b'l' && !Self::is_vowel(third);
        let count = if silent_e && !consonant_le {
            self.count - 1
        } else {
            self.count
        };
        count.max(1)
    }
}

/// Flesch-Kincaid grade level:
/// 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59.
#[cfg(test)]
fn reading_grade(text: &str) -> Option<f64> {
    let counts = count(text);
    grade(sentences(text).len(), counts.words, counts.syllables)
}

/// The Flesch-Kincaid grade from counts already made; `None` without sentences or words.
pub fn grade(sentences: usize, words: usize, syllables: usize) -> Option<f64> {
    if sentences == 0 || words == 0 {
        return None;
    }
    let w = words as f64;
    Some(0.39 * (w / sentences as f64) + 11.8 * (syllables as f64 / w) - 15.59)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_stops_but_not_after_abbreviations() {
        let text = "Ask for help (e.g. from the team). Ask about exams. Is it done? Yes! The end";
        let found: Vec<&str> = sentences(text)
            .into_iter()
            .map(|r| text[r].trim())
            .collect();
        assert_eq!(
            found,
            [
                "Ask for help (e.g. from the team).",
                "Ask about exams.",
                "Is it done?",
                "Yes!",
                "The end"
            ]
        );
    }

    #[test]
    fn no_and_etc_end_a_sentence_unless_a_number_or_more_words_follow() {
        let split = |text: &str| -> Vec<String> {
            sentences(text)
                .into_iter()
                .map(|r| text[r].trim().to_string())
                .collect()
        };
        assert_eq!(split("See No. 5 on the list."), ["See No. 5 on the list."]);
        assert_eq!(
            split("They said no. Then we met."),
            ["They said no.", "Then we met."]
        );
        assert_eq!(
            split("Bring forms, letters etc. to the meeting. Then wait."),
            ["Bring forms, letters etc. to the meeting.", "Then wait."]
        );
        assert_eq!(
            split("Forms, letters etc. Then wait."),
            ["Forms, letters etc.", "Then wait."]
        );
    }

    #[test]
    fn wide_spaces_and_letters_before_a_stop_do_not_break_splitting() {
        let text = "Café\u{a0}au lait\u{a0}etc. Ends\u{2003}here. Ω.";
        let found: Vec<&str> = sentences(text)
            .into_iter()
            .map(|r| text[r].trim())
            .collect();
        assert_eq!(
            found,
            ["Café\u{a0}au lait\u{a0}etc.", "Ends\u{2003}here.", "Ω."]
        );
    }

    #[test]
    fn syllables_follow_the_usual_rules() {
        assert_eq!(syllables("care"), 1);
        assert_eq!(syllables("table"), 2);
        assert_eq!(syllables("children"), 2);
        assert_eq!(syllables("responsibility"), 6);
        assert_eq!(syllables("the"), 1);
        assert_eq!(syllables("2020"), 1);
    }

    #[test]
    fn grade_is_low_for_plain_text_and_high_for_dense_text() {
        let plain =
            "The council looks after children. It wants them to do well. We ask you to help.";
        let dense = "Notwithstanding organisational responsibilities, multidisciplinary \
                     partnerships necessitate comprehensive interagency accountability \
                     arrangements encompassing safeguarding considerations.";
        assert!(reading_grade(plain).unwrap() < 5.0);
        assert!(reading_grade(dense).unwrap() > 20.0);
    }

    /// The counts word by word, as the rules say them, to hold the one-pass count to.
    fn counted_word_by_word(text: &str) -> Counts {
        let mut counts = Counts::default();
        for word in text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
        {
            let letters: Vec<char> = word
                .chars()
                .filter(|c| c.is_alphabetic())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            let vowel = |c: char| "aeiouy".contains(c);
            let mut groups = 0;
            for (i, &c) in letters.iter().enumerate() {
                if vowel(c) && (i == 0 || !vowel(letters[i - 1])) {
                    groups += 1;
                }
            }
            let n = letters.len();
            // A silent final "e" after a consonant, but not "-le" after one ("table").
            let silent_e = n > 2 && letters[n - 1] == 'e' && !vowel(letters[n - 2]);
            let consonant_le = n > 2 && letters[n - 2] == 'l' && !vowel(letters[n - 3]);
            if silent_e && !consonant_le {
                groups -= 1;
            }
            counts.words += 1;
            counts.syllables += groups.max(1);
        }
        counts
    }

    #[test]
    fn counts_words_and_syllables_in_one_pass() {
        let counts = count("The table, the care\u{a0}plan and 2020 \u{2014} done.");
        assert_eq!(
            counts,
            Counts {
                words: 8,
                syllables: 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1
            }
        );
    }

    proptest::proptest! {
        #[test]
        fn the_one_pass_count_equals_counting_word_by_word(
            text in "[a-zA-Z0-9éÉßΩ .,'!?\t\n\u{0b}\u{0c}\u{85}\u{a0}\u{2003}\u{2014}-]{0,80}"
        ) {
            proptest::prop_assert_eq!(count(&text), counted_word_by_word(&text));
        }

        #[test]
        fn any_text_counts_as_word_by_word(text in "\\PC{0,60}") {
            proptest::prop_assert_eq!(count(&text), counted_word_by_word(&text));
        }
    }
}
