//! Every block's verdict (decide.py `decide`, `_boilerplate_copies`,
//! `_menu_runs`; verdicts.py `settle`).

use rustc_hash::{FxHashMap, FxHashSet};

use super::classify::{Bad, FirstPass, Kind};
use super::layout::Layout;
use super::page::Page;
use super::settings::{Repeated, Settings};
#[cfg(test)]
use super::thread::content_words;
use super::thread::words_of;

/// A reason id: one of declutter's own signals (below RULES) or rule
/// `r` as `RULES + r`; the names are in [`SIGNALS`].
pub type Reason = u32;
pub const NONE: Reason = 0;
pub const BODY: Reason = 1;
pub const TITLE: Reason = 2;
pub const REPEATED: Reason = 3;
pub const OUTSIDE_BODY: Reason = 4;
pub const MENU_RUN: Reason = 5;
pub const TINY: Reason = 7;
pub const CODE: Reason = 8;
/// The first rule's reason.
pub const RULES: Reason = 9;
/// The signal ids of the reasons below RULES (reasons.py), "" for NONE.
pub const SIGNALS: [&str; RULES as usize] = [
    "",
    "signal.body",
    "signal.title",
    "signal.repeated",
    "signal.outside-body",
    "signal.menu-run",
    "signal.menu-like", // a class's reason only: no verdict gives it
    "signal.tiny",
    "signal.code-like",
];

/// verdicts.py Verdict: keep or drop, the reason, the first-pass class and
/// the round that decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub keep: bool,
    pub reason: Reason,
    pub class: Kind,
    pub round: u32,
}

fn rule_reason(r: Option<u32>) -> Reason {
    r.map_or(NONE, |r| RULES + r)
}

/// decide.py `decide` with verdicts.py `settle`: `disabled` holds the
/// signals turned off (indexed by reason), which then decide no block.
pub fn decide(f: &Page<'_>, prior: &FirstPass, layout: &Layout, s: &Settings, disabled: &[bool]) -> Vec<Verdict> {
    let n = f.len();
    let classes = &prior.classes;
    let (start, end) = (layout.start, layout.end);
    let title_key = layout.title.map(|t| f.keys[t]);
    let rep = &s.repeated;
    let outside = boilerplate_copies(f, prior, start, end, rep);
    let runs = menu_runs(&prior.classes);
    let on = |r: Reason| {
        if disabled.get(r as usize).copied().unwrap_or(false) {
            NONE
        } else {
            r
        }
    };
    let inside = |i: usize| start <= i as i64 && i as i64 <= end;
    (0..n)
        .map(|i| {
            let (kind, bad) = classes[i];
            let verdict = |keep, reason| Verdict {
                keep,
                reason,
                class: kind,
                round: 0,
            };
            if let Some(r) = layout.applied.protect[i] {
                return verdict(true, RULES + r);
            }
            let title = if title_key == Some(f.keys[i]) { TITLE } else { NONE };
            let repeated = if !outside.is_empty()
                && f.repeats[i] as i64 >= rep.min_count
                && f.chars[i] as i64 <= rep.max_chars
                && outside.contains(f.keys[i])
                && !(kind == Kind::Good && inside(i))
            {
                REPEATED
            } else {
                NONE
            };
            let structure = if !inside(i) {
                OUTSIDE_BODY
            } else if kind != Kind::Bad {
                NONE
            } else {
                match bad {
                    Bad::Tiny => TINY,
                    Bad::Code => CODE,
                    _ if runs[i] as i64 >= s.menu_run_min => MENU_RUN,
                    _ => NONE,
                }
            };
            let stages = [
                rule_reason(layout.applied.drop[i]),
                on(title),
                on(repeated),
                rule_reason(layout.applied.in_range[i]),
                on(structure),
            ];
            match stages.into_iter().find(|&r| r != NONE) {
                Some(reason) => verdict(false, reason),
                None => verdict(true, BODY),
            }
        })
        .collect()
}

/// decide.py `_boilerplate_copies`: the keys of repeated lines with a copy
/// outside the body [start, end], less those the body itself repeats and
/// speaks the words of.
fn boilerplate_copies<'a>(f: &Page<'a>, prior: &FirstPass, start: i64, end: i64, rep: &Repeated) -> FxHashSet<&'a str> {
    let n = f.len();
    let keys = &f.keys;
    let mut order: Vec<&'a str> = Vec::new();
    // per key: its copies outside the body, and the first of them (a
    // line's repeats and words are its key's: any copy stands for all)
    let mut outside: FxHashMap<&'a str, (i64, usize)> = FxHashMap::default();
    for (i, &key) in keys.iter().enumerate() {
        if f.repeats[i] > 1 && !(start <= i as i64 && i as i64 <= end) {
            let (count, _) = outside.entry(key).or_insert((0, i));
            if *count == 0 {
                order.push(key);
            }
            *count += 1;
        }
    }
    let all = || outside.keys().copied().collect::<FxHashSet<_>>();
    if outside.is_empty() || start > end {
        return all();
    }
    let (edge, least) = (rep.edge_blocks, rep.inside_min_count);
    let n_i = n as i64;
    let at_edges: FxHashSet<&str> = (0..edge.min(start).min(n_i))
        .chain((end + 1).max(n_i - edge)..n_i)
        .map(|i| keys[i as usize])
        .collect();
    let copy_of = |k: &str| outside[k].1;
    let candidates: Vec<&str> = order
        .iter()
        .copied()
        .filter(|k| {
            let out = outside[k].0;
            !at_edges.contains(k) && f.repeats[copy_of(k)] as i64 - out >= least.max(out + 1)
        })
        .collect();
    if candidates.is_empty() {
        return all();
    }
    let prose = (start..=end)
        .map(|i| i as usize)
        .filter(|&i| prior.classes[i].0 == Kind::Good);
    let words: Vec<FxHashSet<&str>> = candidates
        .iter()
        .map(|&k| words_of(f, copy_of(k), rep.word_min_chars))
        .collect();
    let vocabulary = vocabulary_of(f, prose, &words);
    let mut kept = all();
    for (k, words) in candidates.into_iter().zip(words) {
        if !words.is_empty()
            && words.intersection(&vocabulary).count() as f64 >= rep.min_shared_share * words.len() as f64
        {
            kept.remove(k);
        }
    }
    kept
}

/// `_content_words(f, lines)` less the words none of `wanted` holds: the
/// lines' words are only looked up in the few wanted, not gathered.
fn vocabulary_of<'a>(
    f: &Page<'a>,
    lines: impl Iterator<Item = usize>,
    wanted: &[FxHashSet<&'a str>],
) -> FxHashSet<&'a str> {
    let all: FxHashSet<&str> = wanted.iter().flatten().copied().collect();
    let mut found = FxHashSet::default();
    // a wanted word passed `_words_of`'s tests, which read the word alone
    for i in lines {
        for w in f.key_words(i) {
            if all.contains(w) {
                found.insert(w);
                if found.len() == all.len() {
                    return found;
                }
            }
        }
    }
    found
}

/// decide.py `_menu_runs`: per block, the length of the run of bad blocks it is in.
fn menu_runs(classes: &[(Kind, Bad)]) -> Vec<usize> {
    let mut out = vec![0; classes.len()];
    let mut i = 0;
    while i < classes.len() {
        if classes[i].0 != Kind::Bad {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < classes.len() && classes[j].0 == Kind::Bad {
            j += 1;
        }
        out[i..j].fill(j - i);
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::thread::tests::with_page;

    #[test]
    fn the_wanted_vocabulary_meets_the_words_the_whole_one_meets() {
        with_page(|f| {
            let n = f.len();
            for min_chars in [0, 3, 5] {
                let wanted: Vec<FxHashSet<&str>> = (0..n).map(|i| words_of(f, i, min_chars)).collect();
                for a in 0..n {
                    for b in a..=n {
                        let whole = content_words(f, a..b, None, min_chars);
                        for k in 0..n {
                            let asked = &wanted[k..(k + 2).min(n)];
                            let found = vocabulary_of(f, a..b, asked);
                            for words in asked {
                                assert_eq!(words.intersection(&found).count(), words.intersection(&whole).count());
                            }
                        }
                    }
                }
            }
        });
    }
}
