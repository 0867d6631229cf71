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
    /// Per language, the [`Sieve`] of its list; and of every list.
    sieves: Vec<Sieve>,
    any: Sieve,
    languages: usize,
}

/// A bit per (length, first byte, last byte) class of words, set for the
/// classes of a list's words: a word whose bit is clear is in no list, which
/// most words of a page are, told without hashing it or touching the large
/// tables (cache misses). A set bit says nothing: the table is asked.
#[derive(Debug)]
struct Sieve(Box<[u64]>);

impl Sieve {
    const BITS: usize = 1 << 16;

    fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> Self {
        let mut bits = vec![0u64; Self::BITS / 64].into_boxed_slice();
        for w in words {
            let at = Self::slot(w.as_bytes());
            bits[at / 64] |= 1 << (at % 64);
        }
        Self(bits)
    }

    /// The word's class: 4 bits of its length in bytes, 6 of its first and
    /// 6 of its last byte.
    fn slot(b: &[u8]) -> usize {
        let (first, last) = (b.first().copied().unwrap_or(0), b.last().copied().unwrap_or(0));
        (b.len() & 15) << 12 | usize::from(first & 63) << 6 | usize::from(last & 63)
    }

    /// False when `w` is surely none of the sieved words.
    fn may_hold(&self, w: &[u8]) -> bool {
        let at = Self::slot(w);
        self.0[at / 64] & (1 << (at % 64)) != 0
    }
}

impl Default for Sieve {
    fn default() -> Self {
        Self::new([])
    }
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
            sieves: lists
                .iter()
                .map(|words| Sieve::new(words.iter().map(AsRef::as_ref)))
                .collect(),
            any: Sieve::new(by_word.keys().map(AsRef::as_ref)),
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
        seen.reserve(2 * VOTE_WORDS);
        let mut votes = vec![0u32; self.languages];
        let mut order: Vec<usize> = Vec::new();
        let mut counted = 0;
        'lines: for &i in longest {
            for w in pystr::split(keys[i]) {
                if w.chars().nth(2).is_none() || !seen.insert(w) {
                    continue;
                }
                let langs = if self.any.may_hold(w.as_bytes()) {
                    self.by_word.get(w)
                } else {
                    None
                };
                for &lang in langs.map_or(&[][..], Vec::as_slice) {
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
        self.lists
            .get(lang)
            .is_some_and(|list| self.sieves[lang].may_hold(word.as_bytes()) && list.contains(word))
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
        let (Some(list), Some(sieve)) = (self.lists.get(lang), self.sieves.get(lang)) else {
            return vec![0.0; keys.len()];
        };
        // Words cut at each " " by hand: `str::split` sets up a byte search
        // per word, which costs more than the sieve that turns most away.
        let stops = |k: &str| {
            k.as_bytes()
                .split(|&b| b == b' ')
                .filter(|t| !t.is_empty() && sieve.may_hold(t) && list.contains(k_word(k, t)))
                .count()
        };
        keys.iter()
            .zip(words)
            .zip(chars)
            .map(|((k, &w), &c)| {
                if w >= prose_min_words && (c as f64) < stop_max_chars && w > 0 {
                    stops(k) as f64 / w as f64
                } else {
                    0.0
                }
            })
            .collect()
    }
}

/// The word `t`, a piece of `k`'s bytes cut at spaces, as text: a cut at an
/// ASCII byte is a cut between characters.
fn k_word<'k>(k: &'k str, t: &[u8]) -> &'k str {
    let at = t.as_ptr() as usize - k.as_ptr() as usize;
    &k[at..at + t.len()]
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
    fn the_sieve_lets_every_listed_word_through() {
        let words: Vec<String> = (0..3000u32)
            .map(|i| {
                format!(
                    "{}{}",
                    char::from_u32(0x61 + i % 26).unwrap(),
                    "é".repeat(i as usize % 9)
                )
            })
            .collect();
        let sieve = Sieve::new(words.iter().map(String::as_str));
        assert!(words.iter().all(|w| sieve.may_hold(w.as_bytes())));
        assert!(!Sieve::new(["the"]).may_hold(b"cat"));
        let l = lists();
        for (lang, list) in l.lists.iter().enumerate() {
            for w in list {
                assert!(l.is_stop(w, lang) && l.any.may_hold(w.as_bytes()));
            }
        }
        assert!(!l.is_stop("dog", 0) && !l.is_stop("the", 9));
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
        let shares = l.shares(
            1,
            &["  der  é die x", "der", "déé der"],
            &[4, 1, 2],
            &[9, 3, 7],
            2,
            1000.0,
        );
        assert_eq!(shares, [2.0 / 4.0, 0.0, 1.0 / 2.0]);
        assert_eq!(l.shares(7, &["the and x"], &[3], &[9], 2, 1000.0), [0.0]);
    }
}
