//! The page's language and its stop-word shares: declutter/language.py
//! `detect` and features.py `_stop_shares`, on lists handed over once from
//! Python (declutter/data/stoplists, read by language.py).

use rustc_hash::{FxHashMap, FxHashSet};

use crate::pystr;

/// language.py `detect`'s `limit`: at most this many distinct words vote.
pub const VOTE_WORDS: usize = 200;

/// The stop-word lists of every language, indexed by word.
#[derive(Debug, Default)]
pub struct StopLists {
    /// Every word of any list, with the languages (ascending) whose list holds it.
    by_word: FxHashMap<Box<str>, Vec<u16>>,
    /// Per language, its list: a small table per page's language, where
    /// `by_word` is one large one.
    lists: Vec<FxHashSet<Box<str>>>,
    languages: usize,
}

impl StopLists {
    /// Indexes `lists`, one list of words per language, in the order of
    /// language.py's `_index()` (the language's number is its position).
    ///
    /// # Panics
    /// With more than 65,536 languages.
    pub fn new<S: AsRef<str>>(lists: &[Vec<S>]) -> Self {
        let mut by_word: FxHashMap<Box<str>, Vec<u16>> = FxHashMap::default();
        for (lang, words) in lists.iter().enumerate() {
            let lang = u16::try_from(lang).expect("fewer than 65,536 languages");
            for w in words {
                let langs = by_word.entry(w.as_ref().into()).or_default();
                if langs.last() != Some(&lang) {
                    langs.push(lang);
                }
            }
        }
        Self {
            by_word,
            lists: lists
                .iter()
                .map(|words| words.iter().map(|w| w.as_ref().into()).collect())
                .collect(),
            languages: lists.len(),
        }
    }

    /// language.py `detect` on the lines `keys[i]` for i in `longest`: the
    /// number of the language whose list holds the most of the first
    /// VOTE_WORDS distinct words over two letters (ties: the language that
    /// got a vote first, as `Counter.most_common` has it), None when no list
    /// holds three of them. (`detect` reads long lines in pieces cut at
    /// spaces; the words, and so the vote, are the same.)
    pub fn vote(&self, keys: &[&str], longest: &[usize]) -> Option<usize> {
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        let mut votes = vec![0u32; self.languages];
        let mut order: Vec<usize> = Vec::new();
        let mut counted = 0;
        'lines: for &i in longest {
            for w in pystr::split(keys[i]) {
                if w.chars().nth(2).is_none() || !seen.insert(w) {
                    continue;
                }
                for &lang in self.by_word.get(w).map_or(&[][..], Vec::as_slice) {
                    let lang = usize::from(lang);
                    if votes[lang] == 0 {
                        order.push(lang);
                    }
                    votes[lang] += 1;
                }
                counted += 1;
                if counted == VOTE_WORDS {
                    break 'lines;
                }
            }
        }
        let best = order
            .into_iter()
            .reduce(|best, lang| if votes[lang] > votes[best] { lang } else { best })?;
        (votes[best] >= 3).then_some(best)
    }

    /// Whether `word` is in the list of language `lang`.
    pub fn is_stop(&self, word: &str, lang: usize) -> bool {
        self.lists.get(lang).is_some_and(|list| list.contains(word))
    }

    /// features.py `_stop_shares`: per line, the share of its words (cut at
    /// the key's spaces, as `words` counts them) that are stop words of
    /// `lang`, on lines of at least `prose_min_words` words and under
    /// `stop_max_chars` characters (0 elsewhere).
    pub fn shares(
        &self,
        lang: usize,
        keys: &[&str],
        words: &[usize],
        chars: &[usize],
        prose_min_words: usize,
        stop_max_chars: f64,
    ) -> Vec<f64> {
        keys.iter()
            .zip(words)
            .zip(chars)
            .map(|((k, &w), &c)| {
                if w >= prose_min_words && (c as f64) < stop_max_chars && w > 0 {
                    k.split(' ').filter(|t| !t.is_empty() && self.is_stop(t, lang)).count() as f64 / w as f64
                } else {
                    0.0
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists() -> StopLists {
        StopLists::new(&[
            vec!["the", "and", "was", "with"],
            vec!["und", "der", "die", "the"],
            vec!["the", "and"],
        ])
    }

    #[test]
    fn the_vote_goes_to_the_list_holding_most_words() {
        let keys = ["the cat was with the dog and of", "und der die"];
        assert_eq!(lists().vote(&keys, &[0]), Some(0)); // 4 against 1 and 2; "of" is too short to vote
                                                        // 4 each: the list that got a vote first wins, as Counter.most_common has it
        assert_eq!(lists().vote(&keys, &[1, 0]), Some(1));
        assert_eq!(lists().vote(&["the and"], &[0]), None); // under three
    }

    #[test]
    fn ties_go_to_the_first_voted() {
        // "the" votes 0, 1, 2; "and" 0, 2; "of" 0; "was" 0 -> 0 wins, clear
        assert_eq!(lists().vote(&["and the"], &[0]), None);
        let tied = StopLists::new(&[vec!["aaa", "bbb", "ccc"], vec!["ccc", "bbb", "aaa"]]);
        assert_eq!(tied.vote(&["ccc bbb aaa"], &[0]), Some(0));
    }

    #[test]
    fn shares_count_stop_words_on_prose_lines() {
        let l = lists();
        let shares = l.shares(0, &["the cat and", "x"], &[3, 1], &[11, 1], 2, 1000.0);
        assert_eq!(shares, [2.0 / 3.0, 0.0]);
    }
}
