//! Where the rules and signals put the article (decide.py `lay_out`,
//! `find_title`, `Layout.needs_rules`).

use super::classify::{first_last_good, FirstPass, Kind};
use super::page::Page;
use super::region;
use super::rules::{apply_rules, Applied, Reach};
use super::settings::Settings;
use super::shape;
use super::thread;

/// decide.py Layout: what the rules do per block, the best-scoring region,
/// the body's first prose block and last block, and the title.
#[derive(Clone, Debug)]
pub struct Layout {
    pub applied: Applied,
    pub region: Option<(i64, i64)>,
    pub start: i64,
    pub end: i64,
    pub title: Option<usize>,
}

impl Layout {
    /// `Layout.needs_rules`: the blocks whose plain drop rules can change
    /// the output (None: no region).
    pub fn needs_rules(&self, s: &Settings) -> Option<std::ops::Range<usize>> {
        let (a, b) = self.region?;
        let from = a.min(self.start - s.title.look_back).max(0);
        Some(from as usize..(b.max(self.end) + 1).max(0) as usize)
    }
}

/// decide.py `find_title`: the block just before the body that is the page's headline.
pub fn find_title(f: &Page<'_>, prior: &FirstPass, dropped: &[bool], body_start: i64, s: &Settings) -> Option<usize> {
    let t = &s.title;
    let n = f.len() as i64;
    let (mut best, mut best_score) = (None, 0.0);
    let first_key = f.keys.first().copied().unwrap_or("");
    for i in (body_start - t.look_back).max(0)..body_start.min(n) {
        let at = i as usize;
        if dropped[at]
            || prior.classes[at].0 == Kind::Good
            || (f.words[at] as i64) < t.min_words
            || f.chars[at] as i64 > t.max_chars
        {
            continue;
        }
        let key = f.keys[at];
        let mut score = 1.0 - t.distance_cost * (body_start - i) as f64;
        if i > 0
            && key.len() as i64 >= t.anchor_min_chars
            && shape::contains(first_key, &prior.first_key, key)
            && key.chars().count() as i64 >= t.anchor_min_chars
        {
            score += t.in_first_line_points;
        }
        // keys.index(key, body_start, n - 1): a copy after the body's start, the last line left out
        if (body_start..n - 1).any(|j| f.keys[j as usize] == key) {
            score += t.repeated_points;
        }
        if i == 0 && f.repeats[at] > 1 && f.keys[(n - 1) as usize] == key {
            continue;
        }
        if !f.sentence_end[at] {
            score += t.no_full_stop_points;
        }
        if score > best_score {
            (best, best_score) = (Some(at), score);
        }
    }
    best
}

/// decide.py `lay_out`: the layout the hits `reach` lets act give.
pub fn lay_out(f: &Page<'_>, reach: &Reach<'_>, s: &Settings, prior: &FirstPass) -> Layout {
    let n = f.len();
    let applied = apply_rules(n, reach);
    let dropped: Vec<bool> = (0..n)
        .map(|i| applied.drop[i].is_some() || applied.in_range[i].is_some())
        .collect();
    let protected: Vec<bool> = applied.protect.iter().map(Option::is_some).collect();
    let mut scores = region::scores(prior, &dropped, &protected, s, reach.tried);
    let anchor = region::anchor_after_headline(f, prior, &dropped, &mut scores, &s.title);
    let mut best = region::choose_region(&scores, anchor, s.title.anchor_min_share, s.title.anchor_near);
    best = region::headline_post(f, prior, &dropped, best, &s.title).or(best);
    if best.is_none() {
        best = region::lone_post(f, prior, &dropped, &s.title);
    }
    let (mut start, mut end) = best.unwrap_or((n as i64, -1));
    if best.is_some() {
        start = first_last_good(&prior.classes, best).0;
    }
    let title = find_title(f, prior, &dropped, start, s);
    if best.is_some() {
        end = thread::thread_start(f, prior, start, end, &s.thread) - 1;
        let mut headlines: Vec<Option<usize>> = prior.headlines.iter().map(|&h| Some(h)).collect();
        headlines.push(title);
        end = thread::count_heading_end(f, prior, &applied.drop, reach.rules, start, end, &headlines, &s.thread);
        end = thread::list_run_end(f, prior, &dropped, start, end, &s.list_run);
    }
    Layout {
        applied,
        region: best,
        start,
        end,
        title,
    }
}
