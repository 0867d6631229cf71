//! A page as the decision reads it: features.py's PageFeatures, built from
//! the measures of core/src/measure.rs plus the language vote, and
//! `features.subset` for the idempotence rounds.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::rc::Rc;

use crate::language::StopLists;
use crate::measure::{self, Measures};

use super::settings::Features;

/// How many of the longest lines the language is told from (features.py `_LONGEST`).
const LONGEST: usize = 6;

/// features.py's PageFeatures: per block, its text and measures; `stops`
/// with `language` are the page's stop words (none when `language` is None).
/// The columns of a whole page are borrowed from its [`Measures`]; only a
/// subset (an idempotence round) owns its own.
#[derive(Clone, Debug)]
pub struct Page<'a> {
    pub stripped: Vec<&'a str>,
    pub keys: Vec<&'a str>,
    pub chars: Cow<'a, [usize]>,
    pub words: Cow<'a, [usize]>,
    pub stop_share: Cow<'a, [f64]>,
    pub sentence_end: Cow<'a, [bool]>,
    pub sentences: Cow<'a, [usize]>,
    pub capital_share: Cow<'a, [f64]>,
    pub code_share: Cow<'a, [f64]>,
    pub repeats: Cow<'a, [usize]>,
    /// Per block its key's number on the whole page (see `Measures::key_ids`).
    key_ids: Cow<'a, [u32]>,
    /// How many distinct keys the whole page has (its numbers are below it).
    distinct_keys: usize,
    pub numbers: Cow<'a, [usize]>,
    /// The language's number in `stops`, or None.
    pub language: Option<usize>,
    pub unspaced: bool,
    pub longest: Cow<'a, [usize]>,
    pub stops: &'a StopLists,
    /// Whether some line has a byte that may start a character of a script
    /// written without spaces (see [`unspaced_lead`]); asked by `subset`.
    unspaced_leads: OnceCell<bool>,
    /// Per block of the whole page, the byte spans of its key's words once
    /// asked, shared by its subsets (a key's words are its own).
    word_spans: Rc<[OnceCell<Spans>]>,
    /// Per block, its number on the whole page (None: the whole page).
    origin: Option<Vec<usize>>,
}

/// Byte spans (start, end) into a line's key.
type Spans = Box<[(usize, usize)]>;

/// Whether `b` may start the UTF-8 of a character `measure::unspaced`
/// counts (Thai to Myanmar, U+0E00-U+109F and U+1780-U+17FF; U+3000-U+9FFF;
/// U+F900-U+FFEF): all are 3 bytes long, led by E0, E1, E3-E9 or EF. Not
/// E2 (U+2000-U+2FFF: the curly quotes and dashes of many Latin pages).
fn unspaced_lead(b: u8) -> bool {
    matches!(b, 0xe0 | 0xe1 | 0xe3..=0xe9 | 0xef)
}

/// The measuring settings of FeatureSettings.
pub fn measure_settings(f: &Features) -> measure::Settings {
    measure::Settings {
        code_min_chars: usize::try_from(f.code_min_chars).unwrap_or(0),
        code_max_space_share: f.code_max_space_share,
        unspaced_min_share: f.unspaced_min_share,
        menu_max_words: usize::try_from(f.menu_max_words).unwrap_or(0),
        prose_min_words: usize::try_from(f.prose_min_words).unwrap_or(0),
        stop_max_chars: f.stop_max_chars,
    }
}

impl<'a> Page<'a> {
    /// The page `measure()` gives: `m` measured from `text` with the stop
    /// lists `stops` (its language is their number).
    pub fn new(text: &'a str, m: &'a Measures, stops: &'a StopLists) -> Self {
        Page {
            stripped: m.stripped.iter().map(|&(a, b)| &text[a..b]).collect(),
            keys: m.keys.iter().map(|&(a, b)| &m.key_text[a..b]).collect(),
            chars: Cow::Borrowed(&m.chars),
            words: Cow::Borrowed(&m.words),
            stop_share: Cow::Borrowed(&m.stop_share),
            sentence_end: Cow::Borrowed(&m.sentence_end),
            sentences: Cow::Borrowed(&m.sentences),
            capital_share: Cow::Borrowed(&m.capital_share),
            code_share: Cow::Borrowed(&m.code_share),
            repeats: Cow::Borrowed(&m.repeats),
            key_ids: Cow::Borrowed(&m.key_ids),
            distinct_keys: m.key_ids.iter().max().map_or(0, |&id| id as usize + 1),
            numbers: Cow::Borrowed(&m.numbers),
            language: m.language,
            unspaced: m.unspaced,
            longest: Cow::Borrowed(&m.longest),
            stops,
            unspaced_leads: OnceCell::new(),
            word_spans: m.chars.iter().map(|_| OnceCell::new()).collect(),
            origin: None,
        }
    }

    /// How many blocks.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// `word in f.stops`.
    pub fn is_stop(&self, word: &str) -> bool {
        self.language.is_some_and(|lang| self.stops.is_stop(word, lang))
    }

    /// features.py `_stop_shares` with the page's language.
    fn shares(&self, f: &Features) -> Vec<f64> {
        match self.language {
            None => vec![0.0; self.len()],
            Some(lang) => self.stops.shares(
                lang,
                &self.keys,
                &self.words,
                &self.chars,
                usize::try_from(f.prose_min_words).unwrap_or(0),
                f.stop_max_chars,
            ),
        }
    }

    /// Block i's number on the whole page.
    fn whole(&self, i: usize) -> usize {
        self.origin.as_ref().map_or(i, |o| o[i])
    }

    /// `shape::words(self.keys[i])`, the spans found once per page and
    /// block: every lazy step of every round reads them again.
    pub fn key_words(&self, i: usize) -> impl Iterator<Item = &'a str> + '_ {
        let key = self.keys[i];
        let spans = self.word_spans[self.whole(i)].get_or_init(|| {
            let base = key.as_ptr() as usize;
            super::shape::words(key)
                .map(|w| {
                    let at = w.as_ptr() as usize - base;
                    (at, at + w.len())
                })
                .collect()
        });
        spans.iter().map(move |&(a, b)| &key[a..b])
    }

    /// Whether some line has a byte [`unspaced_lead`] (once per page: one
    /// pass over its bytes, against `measure::unspaced` per round).
    fn has_unspaced_leads(&self) -> bool {
        *self.unspaced_leads.get_or_init(|| {
            // a fold over every byte without an early exit, which vectorises
            let line_has = |s: &str| s.bytes().fold(false, |any, b| any | unspaced_lead(b));
            self.stripped.iter().any(|s| line_has(s))
        })
    }

    /// features.py `subset`: the page made of the blocks `indexes` (ascending),
    /// as measure() would give it; the measures of a line alone are reused,
    /// the page-wide ones (repeats, script, language) taken again.
    pub fn subset(&self, indexes: &[usize], f: &Features) -> Page<'a> {
        let mut position = vec![usize::MAX; self.len()];
        for (new, &old) in indexes.iter().enumerate() {
            position[old] = new;
        }
        let same_language =
            self.longest.iter().all(|&i| position[i] != usize::MAX) && self.longest.len() == LONGEST.min(indexes.len());
        fn pick<'a, T: Copy>(v: &[T], indexes: &[usize]) -> Cow<'a, [T]> {
            Cow::Owned(indexes.iter().map(|&i| v[i]).collect())
        }
        let stripped: Vec<&'a str> = indexes.iter().map(|&i| self.stripped[i]).collect();
        let keys: Vec<&'a str> = indexes.iter().map(|&i| self.keys[i]).collect();
        let settings = measure_settings(f);
        // A page without a character of those scripts has none in a subset
        // either, and a share of none is not above a share of 0 or more.
        let unspaced =
            (settings.unspaced_min_share < 0.0 || self.has_unspaced_leads()) && measure::unspaced(&stripped, &settings);
        // the same key has the same number: counted by number, not hashed again
        let mut counts = vec![0usize; self.distinct_keys];
        let ids = pick(&self.key_ids, indexes);
        for &id in ids.iter() {
            counts[id as usize] += 1;
        }
        let mut page = Page {
            repeats: Cow::Owned(ids.iter().map(|&id| counts[id as usize]).collect()),
            key_ids: ids,
            distinct_keys: self.distinct_keys,
            chars: pick(&self.chars, indexes),
            sentence_end: pick(&self.sentence_end, indexes),
            sentences: pick(&self.sentences, indexes),
            numbers: pick(&self.numbers, indexes),
            code_share: pick(&self.code_share, indexes),
            stripped,
            keys,
            words: Cow::Owned(Vec::new()),
            stop_share: Cow::Owned(Vec::new()),
            capital_share: Cow::Owned(Vec::new()),
            language: None,
            unspaced,
            longest: Cow::Owned(Vec::new()),
            stops: self.stops,
            unspaced_leads: OnceCell::new(),
            word_spans: Rc::clone(&self.word_spans),
            origin: Some(indexes.iter().map(|&i| self.whole(i)).collect()),
        };
        let known = same_language.then(|| {
            (
                self.longest.iter().map(|&i| position[i]).collect::<Vec<_>>(),
                self.language,
            )
        });
        // features.py `_page_measures`: the longest lines and the language vote
        let (longest, language) = match known {
            _ if unspaced => (Vec::new(), None),
            Some(known) => known,
            None => {
                let longest = measure::longest(&page.chars);
                let language = self.stops.vote(&page.keys, &longest);
                (longest, language)
            }
        };
        page.longest = Cow::Owned(longest);
        page.language = language;
        if unspaced == self.unspaced && language == self.language {
            // words, stop words and capitals depend on the line, the script and the language alone
            page.words = pick(&self.words, indexes);
            page.stop_share = pick(&self.stop_share, indexes);
            page.capital_share = pick(&self.capital_share, indexes);
            return page;
        }
        let mut words: Vec<usize> = page.keys.iter().map(|k| measure::key_words(k)).collect();
        if unspaced {
            for (w, &c) in words.iter_mut().zip(page.chars.iter()) {
                *w = (*w).max(c / 2);
            }
            page.capital_share = Cow::Owned(vec![0.0; page.len()]);
        } else {
            page.capital_share = Cow::Owned(
                page.stripped
                    .iter()
                    .zip(&words)
                    .map(|(s, &w)| measure::capital_share(s, w, &settings))
                    .collect(),
            );
        }
        page.words = Cow::Owned(words);
        page.stop_share = Cow::Owned(page.shares(f));
        page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subsets_key_words_are_its_keys_words() {
        let text = "Ann Lee, 12 May\n\nfoo_bar x2 -- é!\n\nthe end";
        let m = measure::measure(text, None, &measure::tests::SETTINGS, None).unwrap();
        let stops = StopLists::new(&[vec!["the"]]);
        let page = Page::new(text, &m, &stops);
        let f = Features::default();
        // one asked on the page first, one first on the subset
        assert!(page.key_words(1).eq(super::super::shape::words(page.keys[1])));
        let sub = page.subset(&[1, 2], &f);
        for (j, i) in [(0, 1), (1, 2)] {
            assert!(sub.key_words(j).eq(super::super::shape::words(page.keys[i])));
        }
        assert!(page.key_words(2).eq(super::super::shape::words(page.keys[2])));
    }

    #[test]
    fn only_the_unspaced_leads_start_an_unspaced_character() {
        let settings = measure::Settings {
            code_min_chars: 10,
            code_max_space_share: 0.1,
            unspaced_min_share: 0.0,
            menu_max_words: 6,
            prose_min_words: 3,
            stop_max_chars: 400.0,
        };
        let mut buf = [0u8; 4];
        for c in (0x80..=0x10ffff).filter_map(char::from_u32) {
            if !unspaced_lead(c.encode_utf8(&mut buf).as_bytes()[0]) {
                // the slow path's answer, which the fast one takes as read
                assert!(!measure::unspaced(&[&c.to_string()], &settings), "{c:?}");
            }
        }
        assert!(measure::unspaced(&["漢字"], &settings) && measure::unspaced(&["ไทย"], &settings));
    }
}
