//! Where the body ends (decide.py `_post_header`, `_post_follows`,
//! `_thread_start`, `_count_heading_end`, `_item_like`, `_list_run_end`).

use std::cell::{OnceCell, RefCell};

use rustc_hash::{FxHashMap, FxHashSet};

use super::classify::{Bad, FirstPass, Kind};
use super::page::Page;
use super::rules::Rule;
use super::settings::{ListRun, Thread};
use super::shape;

/// `_SAYS_SHAPE`: the shape post headers that say something are grouped under.
const SAYS_SHAPE: &str = "A a:";

/// A key that opens with a number or a bullet (`_ITEM_OPENING.match(key) or key[0] == "0"`).
fn numbered(key: &str) -> bool {
    shape::item_opening(key) || key.starts_with('0')
}

/// decide.py `_post_header`: the shape of line i if it may head a post.
pub fn post_header(f: &Page<'_>, i: usize, t: &Thread) -> Option<String> {
    if f.chars[i] as i64 > t.max_chars {
        return None;
    }
    let line = f.stripped[i];
    let is_numbered = numbered(f.keys[i]);
    let opening = if is_numbered {
        shape::item_number_end(line)
    } else {
        None
    };
    let rest = &line[opening.unwrap_or(0)..];
    let numbers = f.numbers[i] as i64;
    if numbers != 0
        && f.words[i] as i64 >= t.min_words
        && shape::lone_number(rest)
        && (!is_numbered || (opening.is_some() && numbers > t.min_dated_numbers))
    {
        let shaped = shape::shape(line);
        return (!shaped.starts_with("A:")).then_some(shaped);
    }
    if !is_numbered && numbers == 0 {
        let shaped = shape::shape(line);
        if shape::says(&shaped) {
            let verb = shape::words(f.keys[i]).last().unwrap_or("");
            return Some(format!("{SAYS_SHAPE} {verb}"));
        }
    }
    None
}

/// What the lazy steps of a round compute again and again, kept: per block
/// its [`post_header`] once asked (it reads the line alone), and the last
/// [`sharing`] count of `_list_run_end` with what it read.
#[derive(Clone, Debug)]
pub struct Memo {
    headers: Vec<OnceCell<Option<String>>>,
    /// (start, end, run_end), which body lines were dropped, and the count.
    sharing: RefCell<Option<(SharingAsked, usize)>>,
}

/// What a `_list_run_end` sharing count reads besides the round's page.
#[derive(Clone, Debug, PartialEq)]
struct SharingAsked {
    bounds: (i64, i64, i64),
    dropped: Vec<bool>,
}

impl Memo {
    /// Nothing asked yet, on a page of n blocks.
    pub fn new(n: usize) -> Self {
        Self {
            headers: vec![OnceCell::new(); n],
            sharing: RefCell::new(None),
        }
    }

    /// `post_header(f, i, t)`: `f` and `t` must be the same at every call.
    fn header(&self, f: &Page<'_>, i: usize, t: &Thread) -> Option<&str> {
        self.headers[i].get_or_init(|| post_header(f, i, t)).as_deref()
    }
}

/// decide.py `_post_follows`: whether a post follows header i before `stop`.
fn post_follows(f: &Page<'_>, prior: &FirstPass, i: usize, shaped: &str, t: &Thread, stop: usize) -> bool {
    let dated = f.numbers[i] as i64 >= t.min_dated_numbers || shaped.starts_with(SAYS_SHAPE) || shape::says_end(shaped);
    for j in i + 1..stop {
        if numbered(f.keys[j]) {
            return false;
        }
        let kind = prior.classes[j].0;
        if kind == Kind::Good {
            return true;
        }
        if dated && kind == Kind::Short && f.sentence_end[j] && prior.memo.header(f, j, t).is_none() {
            return true;
        }
    }
    false
}

/// decide.py `_thread_start`: where a thread of posts begins inside the
/// body [start, end] (end + 1 if none).
pub fn thread_start(f: &Page<'_>, prior: &FirstPass, start: i64, end: i64, t: &Thread) -> i64 {
    let mut order: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut slot: FxHashMap<&str, usize> = FxHashMap::default();
    for i in (start + 1..=end).map(|i| i as usize) {
        if prior.classes[i].0 == Kind::Good || prior.table[i] {
            continue;
        }
        let Some(shaped) = prior.memo.header(f, i, t) else {
            continue;
        };
        let stop = (i as i64 + 1 + t.prose_within).min(end + 1).max(0) as usize;
        if !post_follows(f, prior, i, shaped, t, stop) {
            continue;
        }
        match slot.get(shaped) {
            Some(&k) => order[k].1.push(i),
            None => {
                slot.insert(shaped, order.len());
                order.push((shaped, vec![i]));
            }
        }
    }
    let mut groups: Vec<(usize, usize)> = order
        .iter()
        .filter(|(shaped, found)| {
            found.len() as i64 >= t.min_posts
                && (!shaped.starts_with(SAYS_SHAPE)
                    || found.iter().map(|&i| f.keys[i]).collect::<FxHashSet<_>>().len() as i64 >= t.min_posts)
        })
        .map(|(_, found)| (found[0], found[found.len() - 1]))
        .collect();
    groups.sort_unstable();
    let mut failed = -1i64;
    for (first, last) in groups {
        if first as i64 <= failed {
            continue;
        }
        let prose: i64 = (start..first as i64)
            .map(|i| i as usize)
            .filter(|&i| prior.classes[i].0 == Kind::Good)
            .map(|i| f.chars[i] as i64)
            .sum();
        if prose >= t.min_body_chars {
            return first as i64;
        }
        failed = failed.max(last as i64);
    }
    end + 1
}

/// decide.py `_count_heading_end`: the body cut before a comment count.
#[allow(clippy::too_many_arguments)] // decide.py's arguments, and the rules the drops name
pub fn count_heading_end(
    f: &Page<'_>,
    prior: &FirstPass,
    drop: &[Option<u32>],
    rules: &[Rule],
    start: i64,
    end: i64,
    headlines: &[Option<usize>],
    t: &Thread,
) -> i64 {
    let mut prose = 0i64;
    for i in start..=end {
        let at = i as usize;
        if headlines.contains(&Some(at)) {
            prose = 0;
        } else if prior.classes[at].0 == Kind::Good {
            prose += f.chars[at] as i64;
        } else if drop[at].is_some_and(|r| rules[r as usize].counts) && f.numbers[at] != 0 && prose >= t.min_body_chars
        {
            return i - 1;
        }
    }
    end
}

/// decide.py `_item_like`.
fn item_like(f: &Page<'_>, i: usize, max_chars: i64) -> bool {
    if f.chars[i] as i64 > max_chars {
        return false;
    }
    let key = f.keys[i];
    f.numbers[i] > 0 || shape::item_opening(key) || key.contains("http") || key.contains("www.")
}

/// decide.py `_words_of`: a line's words of at least min_chars, no stop
/// word, no number.
pub fn words_of<'a>(f: &Page<'a>, i: usize, min_chars: i64) -> FxHashSet<&'a str> {
    content_words_of(f, i, min_chars).collect()
}

/// The words `words_of` takes from line i, in order, repeats kept.
fn content_words_of<'a, 'p>(f: &'p Page<'a>, i: usize, min_chars: i64) -> impl Iterator<Item = &'a str> + 'p {
    shape::words(f.keys[i]).filter(move |w| {
        // fewer bytes than min_chars: fewer characters too
        w.len() as i64 >= min_chars && w.chars().count() as i64 >= min_chars && !w.contains('0') && !f.is_stop(w)
    })
}

/// How many of the lines `run` share a word with the lines `body`: `sum(not
/// _words_of(i).isdisjoint(_content_words(body)) for i in run)`.
///
/// Cost: the run's words go in a map (a run is a few short lines); the
/// body's words are only looked up in it, until every run line is found.
fn sharing(run: std::ops::Range<usize>, body: impl Iterator<Item = usize>, f: &Page<'_>, min_chars: i64) -> usize {
    let mut holders: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut left = 0; // the run lines with a word, not found yet
    let lines = run.len();
    for (k, i) in run.enumerate() {
        let mut any = false;
        for w in content_words_of(f, i, min_chars) {
            any = true;
            let holding = holders.entry(w).or_default();
            if holding.last() != Some(&k) {
                holding.push(k);
            }
        }
        left += usize::from(any);
    }
    let (mut found, mut shared) = (vec![false; lines], 0);
    if left == 0 {
        return 0;
    }
    // a word in `holders` passed `_words_of`'s tests, which read the word alone
    for i in body {
        for w in f.key_words(i) {
            for &k in holders.get(w).map_or(&[][..], Vec::as_slice) {
                if !found[k] {
                    found[k] = true;
                    shared += 1;
                    if shared == left {
                        return shared;
                    }
                }
            }
        }
    }
    shared
}

/// decide.py `_content_words`: the words of the lines not dropped (the
/// reference the faster counts are tested against).
#[cfg(test)]
pub fn content_words<'a>(
    f: &Page<'a>,
    lines: impl Iterator<Item = usize>,
    dropped: Option<&[bool]>,
    min_chars: i64,
) -> FxHashSet<&'a str> {
    let mut out = FxHashSet::default();
    for i in lines {
        if dropped.map_or(true, |d| !d[i]) {
            out.extend(content_words_of(f, i, min_chars));
        }
    }
    out
}

/// decide.py `_list_run_end`: the body's end, extended over a list that
/// runs on from it.
pub fn list_run_end(f: &Page<'_>, prior: &FirstPass, dropped: &[bool], start: i64, end: i64, t: &ListRun) -> i64 {
    let n = f.len() as i64;
    let classes = &prior.classes;
    let max_chars = t.max_chars;
    let mut j = end + 1;
    if j < n {
        let at = j as usize;
        if !dropped[at] && classes[at].0 != Kind::Bad && f.chars[at] as i64 <= max_chars && !item_like(f, at, max_chars)
        {
            j += 1; // a lead-in line
        }
    }
    let mut run_end = j;
    while run_end < n && run_end - j < t.max_items {
        let at = run_end as usize;
        if dropped[at] || matches!(classes[at].1, Bad::Tiny | Bad::Code) || !item_like(f, at, max_chars) {
            break;
        }
        run_end += 1;
    }
    if run_end - j < t.min_items {
        return end;
    }
    // the lazy steps of a round mostly ask again with the same body
    let asked = SharingAsked {
        bounds: (start, end, run_end),
        dropped: (start..=end).map(|i| dropped[i as usize]).collect(),
    };
    let known = match &*prior.memo.sharing.borrow() {
        Some((before, shared)) if *before == asked => Some(*shared),
        _ => None,
    };
    let shared = known.unwrap_or_else(|| {
        let body = (start..=end).map(|i| i as usize).filter(|&i| !dropped[i]);
        let shared = sharing((end + 1) as usize..run_end as usize, body, f, t.word_min_chars);
        *prior.memo.sharing.borrow_mut() = Some((asked, shared));
        shared
    });
    if (shared as f64) < t.min_shared_share * (run_end - end - 1) as f64 {
        return end;
    }
    run_end - 1
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::language::StopLists;
    use crate::measure;

    /// decide.py's own way: the body's vocabulary as a set, then each run
    /// line's words as a set against it.
    fn sharing_by_sets(run: std::ops::Range<usize>, body: &[usize], f: &Page<'_>, min_chars: i64) -> usize {
        let vocabulary = content_words(f, body.iter().copied(), None, min_chars);
        run.filter(|&i| !words_of(f, i, min_chars).is_disjoint(&vocabulary))
            .count()
    }

    /// A page of lines sharing some words, with English-like stop words.
    pub fn with_page(check: impl FnOnce(&Page<'_>)) {
        let stops = StopLists::new(&[vec!["the", "and", "with", "was", "for"]]);
        let text = "The garden was full of roses and tulips\nwith the roses in the corner for the bees\n\
                    Roses 12 for sale\n- tulips\n- daisies and more\nnothing here\n- roses again\n\
                    the and with\nbees bees bees\n\nGarden tools 2024";
        let settings = measure::Settings {
            code_min_chars: 200,
            code_max_space_share: 0.05,
            unspaced_min_share: 0.3,
            menu_max_words: 6,
            prose_min_words: 3,
            stop_max_chars: 400.0,
        };
        let m = measure::measure(text, None, &settings, Some(&stops)).unwrap();
        check(&Page::new(text, &m, &stops));
    }

    #[test]
    fn sharing_counts_the_run_lines_the_sets_count() {
        with_page(sharing_as_sets);
    }

    fn sharing_as_sets(f: &Page<'_>) {
        let f = f.clone();
        let n = f.len();
        for min_chars in [0, 3, 5] {
            for a in 0..n {
                for b in a..=n {
                    for split in 0..=n {
                        let body: Vec<usize> = (0..split).filter(|&i| i % 3 != 2 || a % 2 == 0).collect();
                        assert_eq!(
                            sharing(a..b, body.iter().copied(), &f, min_chars),
                            sharing_by_sets(a..b, &body, &f, min_chars),
                            "run {a}..{b}, body {body:?}, min_chars {min_chars}"
                        );
                    }
                }
            }
        }
    }
}
