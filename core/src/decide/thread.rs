//! Where the body ends (decide.py `_post_header`, `_post_follows`,
//! `_thread_start`, `_count_heading_end`, `_item_like`, `_list_run_end`).

use std::collections::{HashMap, HashSet};

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
        if dated && kind == Kind::Short && f.sentence_end[j] && post_header(f, j, t).is_none() {
            return true;
        }
    }
    false
}

/// decide.py `_thread_start`: where a thread of posts begins inside the
/// body [start, end] (end + 1 if none).
pub fn thread_start(f: &Page<'_>, prior: &FirstPass, start: i64, end: i64, t: &Thread) -> i64 {
    let mut order: Vec<(String, Vec<usize>)> = Vec::new();
    let mut slot: HashMap<String, usize> = HashMap::new();
    for i in (start + 1..=end).map(|i| i as usize) {
        if prior.classes[i].0 == Kind::Good || prior.table[i] {
            continue;
        }
        let Some(shaped) = post_header(f, i, t) else {
            continue;
        };
        let stop = (i as i64 + 1 + t.prose_within).min(end + 1).max(0) as usize;
        if !post_follows(f, prior, i, &shaped, t, stop) {
            continue;
        }
        match slot.get(&shaped) {
            Some(&k) => order[k].1.push(i),
            None => {
                slot.insert(shaped.clone(), order.len());
                order.push((shaped, vec![i]));
            }
        }
    }
    let mut groups: Vec<(usize, usize)> = order
        .iter()
        .filter(|(shaped, found)| {
            found.len() as i64 >= t.min_posts
                && (!shaped.starts_with(SAYS_SHAPE)
                    || found.iter().map(|&i| f.keys[i]).collect::<HashSet<_>>().len() as i64 >= t.min_posts)
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
pub fn words_of<'a>(f: &Page<'a>, i: usize, min_chars: i64) -> HashSet<&'a str> {
    shape::words(f.keys[i])
        .filter(|w| w.chars().count() as i64 >= min_chars && !w.contains('0') && !f.is_stop(w))
        .collect()
}

/// decide.py `_content_words`: the words of the lines not dropped.
pub fn content_words<'a>(
    f: &Page<'a>,
    lines: impl Iterator<Item = usize>,
    dropped: Option<&[bool]>,
    min_chars: i64,
) -> HashSet<&'a str> {
    let mut out = HashSet::new();
    for i in lines {
        if dropped.map_or(true, |d| !d[i]) {
            out.extend(words_of(f, i, min_chars));
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
    let vocabulary = content_words(f, (start..=end).map(|i| i as usize), Some(dropped), t.word_min_chars);
    let shared = (end + 1..run_end)
        .filter(|&i| !words_of(f, i as usize, t.word_min_chars).is_disjoint(&vocabulary))
        .count();
    if (shared as f64) < t.min_shared_share * (run_end - end - 1) as f64 {
        return end;
    }
    run_end - 1
}
