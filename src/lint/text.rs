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
    // One pass without allocating: this runs for every paragraph of every page.
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        // Closing quotes and brackets belong to the sentence they end.
        let ends = match chars.peek() {
            None => true,
            Some(&(_, n)) => n.is_whitespace() || matches!(n, '"' | '\u{201d}' | '\u{2019}' | ')'),
        };
        if !ends {
            continue;
        }
        if c == '.' {
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
        let end = at + c.len_utf8();
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

/// Words: runs between spaces that hold at least one letter or digit.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
}

/// Syllables in an English word, by counting groups of vowels (y included) and dropping a
/// silent final "e" ("care" has one, "table" has two). At least one per word.
pub fn syllables(word: &str) -> usize {
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    // One pass, no allocation: this runs for every word of every paragraph.
    let mut count = 0;
    let mut previous = false;
    let mut letters = 0;
    let mut last = ['\0'; 3];
    let letters_of = |c: &char| {
        if c.is_ascii() {
            c.is_ascii_alphabetic()
        } else {
            c.is_alphabetic()
        }
    };
    for c in word.chars().filter(letters_of) {
        let c = c.to_ascii_lowercase();
        let v = vowel(c);
        if v && !previous {
            count += 1;
        }
        previous = v;
        letters += 1;
        last = [last[1], last[2], c];
    }
    if letters == 0 {
        return 1;
    }
    // A final "e" after a consonant is silent, except in "-le" after a consonant ("table").
    let [third, second, final_letter] = last;
    let silent_e = letters > 2 && final_letter == 'e' && !vowel(second);
    let consonant_le = letters > 2 && second == 'l' && !vowel(third);
    if silent_e && !consonant_le {
        count -= 1;
    }
    count.max(1)
}

/// Flesch-Kincaid grade level:
/// 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59.
pub fn reading_grade(text: &str) -> Option<f64> {
    let (words, syllable_count) =
        words(text).fold((0, 0), |(w, s), word| (w + 1, s + syllables(word)));
    grade(sentences(text).len(), words, syllable_count)
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
}
