//! The first pass (decide.py `classify`, `_table_rows`, `base_scores`,
//! `best_region`, `_first_last_good`, `_body_begun`, `_headline_copies`,
//! `first_pass`, `anchor_lines`): what is known of a page before any rule.

use super::page::Page;
use super::settings::Settings;
use super::shape;
use super::thread::Memo;

/// A block's first-pass class (reasons.py BlockClass).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Good,
    Short,
    Bad,
}

/// Why a bad block is bad (the signal id of decide.py's second tuple item).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bad {
    None,
    Tiny,
    Code,
    MenuLike,
}

/// A block's class and, for a bad block, why.
pub type Class = (Kind, Bad);

/// decide.py FirstPass. Positions are i64 as Python's ints: `first` may be
/// n and `last` -1 when there is no region.
#[derive(Clone, Debug)]
pub struct FirstPass {
    pub classes: Vec<Class>,
    pub first: i64,
    pub last: i64,
    pub begun: i64,
    pub plain: Vec<f64>,
    pub prose: Vec<f64>,
    pub headlines: Vec<usize>,
    pub table: Vec<bool>,
    /// What the round's lazy steps would compute again.
    pub memo: Memo,
    /// The grams of the page's first key (`key in keys[0]` is asked often).
    pub first_key: shape::Grams,
}

impl FirstPass {
    /// `FirstPass.bounds`: (first, last, begun).
    pub fn bounds(&self) -> (i64, i64, i64) {
        (self.first, self.last, self.begun)
    }
}

/// `min(a, b)` as Python's builtin: b only when it is smaller.
pub fn py_min(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// decide.py `classify`.
pub fn classify(f: &Page<'_>, s: &Settings) -> Vec<Class> {
    let c = &s.classify;
    let has_stops = f.language.is_some();
    let weight = if f.unspaced { s.region.unspaced_char_weight } else { 1.0 };
    (0..f.len())
        .map(|i| {
            let n = f.chars[i] as f64 * weight;
            let ends = f.sentence_end[i];
            let words = f.words[i] as i64;
            let sentence = ends || f.sentences[i] > 0;
            if n <= c.bad_max_chars as f64 {
                (Kind::Bad, Bad::Tiny)
            } else if f.code_share[i] >= c.code_min_share {
                (Kind::Bad, Bad::Code)
            } else if sentence
                && (n >= c.good_min_chars_any as f64
                    || if has_stops {
                        words >= c.good_min_words && f.stop_share[i] >= c.good_min_stop_share
                    } else {
                        n >= c.good_min_chars_no_stopwords as f64
                    })
            {
                (Kind::Good, Bad::None)
            } else if words <= c.menu_max_words && f.capital_share[i] >= c.menu_min_capital_share && !ends {
                (Kind::Bad, Bad::MenuLike)
            } else {
                (Kind::Short, Bad::None)
            }
        })
        .collect()
}

/// decide.py `best_region`: the run with the highest total (Kadane), or
/// None if none is above zero.
pub fn best_region(scores: &[f64]) -> Option<(i64, i64)> {
    let (mut best, mut span) = (0.0, None);
    let (mut total, mut start) = (0.0, 0);
    for (i, &v) in scores.iter().enumerate() {
        if total <= 0.0 {
            (total, start) = (v, i);
        } else {
            total += v;
        }
        if total > best {
            (best, span) = (total, Some((start as i64, i as i64)));
        }
    }
    span
}

/// decide.py `_table_rows`: rows of a data table.
fn table_rows(f: &Page<'_>, s: &Settings) -> Vec<bool> {
    let t = &s.table;
    let data: Vec<bool> = (0..f.len())
        .map(|i| {
            let numbers = f.numbers[i] as i64;
            numbers >= t.min_numbers && numbers as f64 >= t.min_number_share * f.words[i] as f64
        })
        .collect();
    let mut out = vec![false; data.len()];
    let mut i = 0;
    while i < data.len() {
        if !data[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < data.len() && data[j] {
            j += 1;
        }
        if (j - i) as i64 >= t.min_run {
            out[i..j].fill(true);
        }
        i = j;
    }
    out
}

/// decide.py `base_scores`: (as it is, as prose) per block.
fn base_scores(f: &Page<'_>, classes: &[Class], s: &Settings, table: &[bool]) -> (Vec<f64>, Vec<f64>) {
    let r = &s.region;
    let per_point = r.good_chars_per_point / if f.unspaced { r.unspaced_char_weight } else { 1.0 };
    let prose: Vec<f64> = f
        .chars
        .iter()
        .map(|&n| r.good_base_points + py_min(n as f64 / per_point, r.good_max_points))
        .collect();
    let plain = prose
        .iter()
        .zip(classes)
        .zip(table)
        .map(|((&p, &(kind, _)), &t)| match kind {
            Kind::Good => p,
            _ if t => s.table.points,
            Kind::Bad => -r.bad_cost,
            Kind::Short => -r.short_cost,
        })
        .collect();
    (plain, prose)
}

/// decide.py `_first_last_good`.
pub fn first_last_good(classes: &[Class], region: Option<(i64, i64)>) -> (i64, i64) {
    let Some((a, b)) = region else {
        return (classes.len() as i64, -1);
    };
    let mut goods = (a..=b).filter(|&i| classes[i as usize].0 == Kind::Good);
    match goods.next() {
        Some(first) => (first, goods.next_back().unwrap_or(first)),
        None => (a, b),
    }
}

/// decide.py `_body_begun`.
fn body_begun(f: &Page<'_>, classes: &[Class], min_chars: i64) -> i64 {
    let mut total = 0i64;
    for (i, &(kind, _)) in classes.iter().enumerate() {
        if kind == Kind::Good {
            total += f.chars[i] as i64;
            if total >= min_chars {
                return i as i64;
            }
        }
    }
    classes.len() as i64
}

/// decide.py `_headline_copies`: the lines among the first anchor_search
/// that repeat the page's first line.
fn headline_copies(f: &Page<'_>, s: &Settings, grams: &shape::Grams) -> Vec<usize> {
    let t = &s.title;
    let Some(first) = f.keys.first() else {
        return Vec::new();
    };
    let stop = (f.len() as i64).min(t.anchor_search).max(0) as usize;
    (1..stop)
        .filter(|&i| {
            let key = shape::without_count(f.keys[i]);
            // cheap tests first: a key of fewer bytes than anchor_min_chars
            // has fewer characters
            key.len() as i64 >= t.anchor_min_chars
                && shape::contains(first, grams, key)
                && key.chars().count() as i64 >= t.anchor_min_chars
        })
        .collect()
}

/// decide.py `first_pass`.
pub fn first_pass(f: &Page<'_>, s: &Settings) -> FirstPass {
    let classes = classify(f, s);
    let table = table_rows(f, s);
    let (plain, prose) = base_scores(f, &classes, s, &table);
    let (first, last) = first_last_good(&classes, best_region(&plain));
    let begun = body_begun(f, &classes, s.body_min_chars);
    let first_key = shape::Grams::of(f.keys.first().copied().unwrap_or(""));
    FirstPass {
        headlines: headline_copies(f, s, &first_key),
        first_key,
        classes,
        first,
        last,
        begun,
        plain,
        prose,
        table,
        memo: Memo::new(f.len()),
    }
}

/// decide.py `anchor_lines`: the lines that repeat the first line and the
/// prose search window after each (repeats kept, as the list has them).
pub fn anchor_lines(f: &Page<'_>, s: &Settings, prior: &FirstPass) -> Vec<usize> {
    let n = f.len() as i64;
    prior
        .headlines
        .iter()
        .flat_map(|&i| (i as i64..n.min(i as i64 + s.title.look_back)).map(|j| j as usize))
        .collect()
}
