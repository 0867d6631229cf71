//! The article's region (decide.py `_scores`, `_anchor_after_headline`,
//! `_run_through`, `choose_region`, `_headline_post`, `_lone_post`,
//! `_post_lines`).

use super::classify::{best_region, FirstPass, Kind};
use super::page::Page;
use super::settings::{Settings, Title};

/// decide.py `_scores`: each block's worth to the region, rules applied;
/// an untried block scores the better of kept and dropped.
pub fn scores(
    prior: &FirstPass,
    dropped: &[bool],
    protected: &[bool],
    s: &Settings,
    tried: Option<&[bool]>,
) -> Vec<f64> {
    let cost = -s.region.dropped_cost;
    let mut out: Vec<f64> = prior
        .plain
        .iter()
        .zip(dropped)
        .map(|(&v, &d)| if d { cost } else { v })
        .collect();
    if protected.iter().any(|&p| p) {
        for (i, v) in out.iter_mut().enumerate() {
            if protected[i] {
                *v = prior.prose[i];
            }
        }
    }
    if let Some(tried) = tried {
        for (v, &t) in out.iter_mut().zip(tried) {
            if !(t || *v >= cost) {
                *v = cost;
            }
        }
    }
    out
}

/// decide.py `_run_through`: the best run holding block a, and its score.
pub fn run_through(scores: &[f64], a: usize) -> ((i64, i64), f64) {
    let (mut total, mut best, mut start) = (0.0, 0.0, a);
    for i in (0..a).rev() {
        total += scores[i];
        if total > best {
            (best, start) = (total, i);
        }
    }
    let before = best;
    let (mut total, mut best, mut end) = (0.0, 0.0, a);
    for (i, &v) in scores.iter().enumerate().skip(a + 1) {
        total += v;
        if total > best {
            (best, end) = (total, i);
        }
    }
    ((start as i64, end as i64), before + scores[a] + best)
}

/// decide.py `_anchor_after_headline`: the prose block after the copy of
/// the page's first line over the best run, given anchor_points in `scores`.
pub fn anchor_after_headline(
    f: &Page<'_>,
    prior: &FirstPass,
    dropped: &[bool],
    scores: &mut [f64],
    t: &Title,
) -> Option<usize> {
    let n = f.len();
    let classes = &prior.classes;
    if n == 0 || classes[0].0 == Kind::Good {
        return None;
    }
    let anchors: Vec<usize> = prior
        .headlines
        .iter()
        .filter(|&&i| !dropped[i])
        .filter_map(|&i| {
            let stop = (n as i64).min(i as i64 + t.look_back);
            (i as i64 + 1..stop)
                .map(|j| j as usize)
                .find(|&j| classes[j].0 == Kind::Good && !dropped[j])
        })
        .collect();
    let mut best = *anchors.first()?;
    if anchors.len() > 1 {
        // max(): the first of the highest
        let mut top = run_through(scores, best).1;
        for &j in &anchors[1..] {
            let score = run_through(scores, j).1;
            if score > top {
                (best, top) = (j, score);
            }
        }
    }
    scores[best] += t.anchor_points;
    Some(best)
}

/// decide.py `choose_region`.
pub fn choose_region(scores: &[f64], anchor: Option<usize>, min_share: f64, near: i64) -> Option<(i64, i64)> {
    let region = best_region(scores);
    let (Some(anchor), Some((a, b))) = (anchor, region) else {
        return region;
    };
    if a <= anchor as i64 && anchor as i64 <= b {
        return region;
    }
    let (span, score) = run_through(scores, anchor);
    if (0..=near).contains(&(a - span.1)) {
        return region;
    }
    let best = scores[a as usize..=b as usize].iter().fold(0.0, |sum, &v| sum + v);
    if score > 0.0 && score >= min_share * best {
        Some(span)
    } else {
        region
    }
}

/// decide.py `_post_lines`: the last line of a short post from `first`.
fn post_lines(prior: &FirstPass, dropped: &[bool], first: usize, stop: usize) -> i64 {
    let run = (first..stop)
        .take_while(|&i| !dropped[i] && prior.classes[i].0 != Kind::Bad)
        .count();
    (first + run) as i64 - 1
}

/// decide.py `_headline_post`: a picture or link post under a headline.
pub fn headline_post(
    f: &Page<'_>,
    prior: &FirstPass,
    dropped: &[bool],
    region: Option<(i64, i64)>,
    t: &Title,
) -> Option<(i64, i64)> {
    let classes = &prior.classes;
    if let Some((a, b)) = region {
        let prose: i64 = (a..=b)
            .map(|i| i as usize)
            .filter(|&i| classes[i].0 == Kind::Good && !dropped[i])
            .map(|i| f.chars[i] as i64)
            .sum();
        if prose >= t.post_max_chars {
            return None;
        }
    }
    let near = |h: usize| region.is_some_and(|(a, b)| a - t.look_back <= h as i64 && h as i64 <= b);
    let above: Vec<usize> = prior
        .headlines
        .iter()
        .copied()
        .filter(|&h| near(h) && region.is_some_and(|(a, _)| (h as i64) < a))
        .collect();
    let over = above
        .last()
        .into_iter()
        .copied()
        .chain(
            prior
                .headlines
                .iter()
                .copied()
                .filter(|&h| near(h) && !above.contains(&h)),
        )
        .map(|h| f.keys[h].chars().count())
        .max()
        .unwrap_or(0);
    let n = f.len();
    for &h in &prior.headlines {
        if dropped[h] || near(h) || f.keys[h].chars().count() <= over {
            continue;
        }
        let stop = (n as i64).min(h as i64 + 1 + t.post_max_lines).max(0) as usize;
        let last = post_lines(prior, dropped, h + 1, stop);
        if last > h as i64 && (h + 1..=last as usize).map(|i| f.words[i] as i64).sum::<i64>() >= t.post_min_words {
            return Some((h as i64 + 1, last));
        }
    }
    None
}

/// decide.py `_lone_post`: a page of a few short lines and no prose.
pub fn lone_post(f: &Page<'_>, prior: &FirstPass, dropped: &[bool], t: &Title) -> Option<(i64, i64)> {
    let n = f.len();
    if n as i64 > t.post_max_lines
        || post_lines(prior, dropped, 0, n) != n as i64 - 1
        || (f.words.iter().sum::<usize>() as i64) < t.post_min_words
    {
        return None;
    }
    Some((0, n as i64 - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_run_and_the_run_through_a_block() {
        let scores = [-1.0, 2.0, -0.5, 3.0, -4.0, 1.0];
        assert_eq!(best_region(&scores), Some((1, 3)));
        assert_eq!(best_region(&[-1.0, 0.0]), None);
        assert_eq!(run_through(&scores, 5), ((1, 5), 1.5));
        // the anchor's run wins when it scores at least min_share of the best
        assert_eq!(choose_region(&scores, Some(5), 0.3, 0), Some((1, 5)));
        assert_eq!(choose_region(&scores, Some(5), 0.4, 0), Some((1, 3)));
        assert_eq!(choose_region(&[3.0, -9.0, 2.0], Some(2), 0.5, 0), Some((2, 2)));
        assert_eq!(choose_region(&[3.0, -9.0, 1.0], Some(2), 0.5, 0), Some((0, 0)));
    }
}
