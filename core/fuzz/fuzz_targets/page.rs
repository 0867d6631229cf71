//! Fuzzes the core's page entry: arbitrary bytes become a page (lossy UTF-8)
//! and rule hits; the page is measured, its language told with the real stop
//! lists, and it is decided, lazily and with full reasons. Beyond "no
//! panic", it checks what the code guarantees (see `check_*`).
//!
//! Input layout: byte 0 the number of hits (mod 64), byte 1 the number of
//! timeouts (mod 8), then two bytes per hit / timeout (block, rule, each
//! taken modulo the page's blocks / the rule table), then the page's text.
#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use _core::fuzzing::{decide_page, read_stop_lists, Decision, RuleSpec, FIRST_RULE_REASON};
use _core::language::StopLists;
use _core::measure::{self, Measures};
use _core::pystr;
use libfuzzer_sys::fuzz_target;

/// The default settings: `[signals.<table>] <key>` of rules/signals.toml as
/// "<table>.<key>", except `features.stop_max_chars`, which
/// declutter/settings.py takes from `[signals.classify] good_min_chars_any`.
const SETTINGS: &[(&str, f64)] = &[
    ("features.unspaced_min_share", 0.2),
    ("features.prose_min_words", 8.0),
    ("features.menu_max_words", 8.0),
    ("features.code_min_chars", 150.0),
    ("features.code_max_space_share", 0.1),
    ("features.stop_max_chars", 250.0),
    ("classify.good_min_words", 12.0),
    ("classify.good_min_stop_share", 0.22),
    ("classify.good_min_chars_no_stopwords", 60.0),
    ("classify.good_min_chars_any", 250.0),
    ("classify.menu_max_words", 6.0),
    ("classify.menu_min_capital_share", 0.6),
    ("classify.bad_max_chars", 3.0),
    ("classify.code_min_share", 0.1),
    ("region.unspaced_char_weight", 3.0),
    ("region.good_chars_per_point", 80.0),
    ("region.good_max_points", 6.0),
    ("region.good_base_points", 1.0),
    ("region.short_cost", 0.35),
    ("region.bad_cost", 2.0),
    ("region.dropped_cost", 1.5),
    ("table.min_run", 3.0),
    ("table.min_numbers", 2.0),
    ("table.min_number_share", 0.3),
    ("table.points", 0.5),
    ("repeated.min_count", 2.0),
    ("repeated.max_chars", 160.0),
    ("repeated.inside_min_count", 2.0),
    ("repeated.edge_blocks", 5.0),
    ("repeated.min_shared_share", 0.5),
    ("repeated.word_min_chars", 4.0),
    ("title.look_back", 12.0),
    ("title.min_words", 2.0),
    ("title.max_chars", 250.0),
    ("title.distance_cost", 0.05),
    ("title.in_first_line_points", 3.0),
    ("title.repeated_points", 2.0),
    ("title.no_full_stop_points", 0.5),
    ("title.anchor_search", 400.0),
    ("title.anchor_min_chars", 15.0),
    ("title.anchor_points", 2.5),
    ("title.anchor_min_share", 0.2),
    ("title.anchor_near", 25.0),
    ("title.post_max_chars", 400.0),
    ("title.post_max_lines", 6.0),
    ("title.post_min_words", 5.0),
    ("menu_run.min_run", 3.0),
    ("edges.body_min_chars", 150.0),
    ("list_run.min_items", 3.0),
    ("list_run.max_items", 200.0),
    ("list_run.max_chars", 200.0),
    ("list_run.min_shared_share", 0.5),
    ("list_run.word_min_chars", 4.0),
    ("thread.min_posts", 3.0),
    ("thread.max_chars", 120.0),
    ("thread.min_words", 3.0),
    ("thread.min_body_chars", 300.0),
    ("thread.prose_within", 1.0),
    ("thread.min_dated_numbers", 2.0),
];

/// Every action with every `where`, and a few with the thread's count flag
/// or matched floating (over the joined lines).
const RULES: &[RuleSpec<'static>] = &[
    ("drop", "anywhere", false, false),
    ("drop", "top", false, false),
    ("drop", "bottom", false, true),
    ("drop", "edges", false, false),
    ("drop", "after-body", false, false),
    ("drop-to-end", "anywhere", false, false),
    ("drop-to-end", "top", false, false),
    ("drop-to-end", "bottom", false, false),
    ("drop-to-end", "edges", false, true),
    ("drop-to-end", "after-body", false, false),
    ("drop-before", "anywhere", false, false),
    ("drop-before", "top", false, true),
    ("drop-before", "bottom", false, false),
    ("drop-before", "edges", false, false),
    ("drop-before", "after-body", false, false),
    ("protect", "anywhere", false, false),
    ("protect", "top", false, false),
    ("protect", "bottom", false, false),
    ("protect", "edges", false, false),
    ("protect", "after-body", false, true),
    ("drop", "anywhere", true, false),
    ("drop", "anywhere", true, true),
];

/// cleaner.py `Cleaner.MAX_ROUNDS`.
const MAX_ROUNDS: u32 = 3;

/// language.py's lists, read once.
fn stops() -> &'static (StopLists, usize) {
    static STOPS: OnceLock<(StopLists, usize)> = OnceLock::new();
    STOPS.get_or_init(|| read_stop_lists(concat!(env!("CARGO_MANIFEST_DIR"), "/../../declutter/data/stoplists")))
}

fn measure_settings() -> measure::Settings {
    let get = |path: &str| SETTINGS.iter().find(|s| s.0 == path).unwrap().1;
    measure::Settings {
        code_min_chars: get("features.code_min_chars") as usize,
        code_max_space_share: get("features.code_max_space_share"),
        unspaced_min_share: get("features.unspaced_min_share"),
        menu_max_words: get("features.menu_max_words") as usize,
        prose_min_words: get("features.prose_min_words") as usize,
        stop_max_chars: get("features.stop_max_chars"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&[hit_count, timeout_count], rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let pairs = 2 * (hit_count as usize % 64 + timeout_count as usize % 8);
    if rest.len() < pairs {
        return;
    }
    let (picks, text) = rest.split_at(pairs);
    let text = String::from_utf8_lossy(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let n = lines.len();
    let r = RULES.len();
    let (hit_bytes, timeout_bytes) = picks.split_at(2 * (hit_count as usize % 64));
    let hits: Vec<(usize, u32)> = hit_bytes
        .chunks(2)
        .map(|p| (p[0] as usize % n, (p[1] as usize % r) as u32))
        .collect();
    // a search times out at most once per (rule, block)
    let mut timeouts: Vec<(u32, usize)> = Vec::new();
    for p in timeout_bytes.chunks(2) {
        let pair = ((p[1] as usize % r) as u32, p[0] as usize % n);
        if !timeouts.contains(&pair) {
            timeouts.push(pair);
        }
    }

    let (stops, languages) = stops();
    let m = measure::measure(&text, None, &measure_settings(), Some(stops)).expect("no lengths to mismatch");
    check_measures(&text, &lines, &m, *languages);

    let decide = |text: &str, hits: &[(usize, u32)], timeouts: &[(u32, usize)], full: bool| {
        decide_page(text, stops, SETTINGS, RULES, hits, timeouts, full).expect("a valid page, rules and hits")
    };
    let lazy = decide(&text, &hits, &timeouts, false);
    let full = decide(&text, &hits, &timeouts, true);
    for d in [&lazy, &full] {
        check_decision(n, &hits, &timeouts, d);
    }
    // README: "The text is the same either way" (full reasons or not).
    assert_eq!(lazy.keep, full.keep, "full_reasons changed the text");
    // No hash order or other state leaks into a decision.
    assert_eq!(decide(&text, &hits, &timeouts, false), lazy, "deciding again differs");
    check_idempotent(&lines, &hits, &lazy, |t, h| decide(t, h, &[], false));
});

/// What measure() promises of every block.
fn check_measures(text: &str, lines: &[&str], m: &Measures, languages: usize) {
    let n = lines.len();
    for v in [
        m.chars.len(),
        m.words.len(),
        m.sentence_end.len(),
        m.sentences.len(),
        m.capital_share.len(),
        m.code_share.len(),
        m.keys.len(),
        m.repeats.len(),
        m.numbers.len(),
        m.stop_share.len(),
    ] {
        assert_eq!(v, n, "one measure per block");
    }
    let mut line_start = 0;
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let keys: Vec<&str> = m
        .keys
        .iter()
        .map(|&(a, b)| {
            assert!(a <= b && b <= m.key_text.len(), "key span inside the key text");
            assert!(m.key_text.is_char_boundary(a) && m.key_text.is_char_boundary(b));
            &m.key_text[a..b]
        })
        .collect();
    for (i, line) in lines.iter().enumerate() {
        let (a, b) = m.stripped[i];
        let line_end = line_start + line.len();
        assert!(
            line_start <= a && a <= b && b <= line_end,
            "stripped span inside its line"
        );
        assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
        let s = &text[a..b];
        assert_eq!(s, pystr::strip(line), "the span is the stripped line");
        assert_eq!(m.chars[i], s.chars().count());
        assert!(m.sentences[i] <= 1);
        // Only the code share is at most 1: features.py counts a line's words
        // by the spaces of its key but its stop words and capitals over
        // str.split(), which also cuts at a "\r" the key keeps ("A B\rC": 2
        // words, 3 capitals), and the core does as the reference does.
        for share in [m.stop_share[i], m.capital_share[i], m.code_share[i]] {
            assert!(share.is_finite() && share >= 0.0, "a share >= 0: {share} on block {i}");
        }
        assert!(
            m.code_share[i] <= 1.0,
            "a code share <= 1: {} on block {i}",
            m.code_share[i]
        );
        let spaced = if keys[i].is_empty() {
            0
        } else {
            keys[i].matches(' ').count() + 1
        };
        let words = if m.unspaced { spaced.max(m.chars[i] / 2) } else { spaced };
        assert_eq!(m.words[i], words, "words of block {i}");
        *counts.entry(keys[i]).or_default() += 1;
        line_start = line_end + 1;
    }
    for (i, key) in keys.iter().enumerate() {
        assert!(m.repeats[i] >= 1 && m.repeats[i] == counts[key], "repeats of block {i}");
    }
    if m.unspaced {
        assert!(m.longest.is_empty() && m.language.is_none());
    } else {
        assert_eq!(m.longest.len(), n.min(6), "the longest lines");
        for w in m.longest.windows(2) {
            let (x, y) = (w[0], w[1]);
            assert!(
                m.chars[x] > m.chars[y] || (m.chars[x] == m.chars[y] && x < y),
                "longest first, ties first"
            );
        }
        assert!(m.longest.iter().all(|&i| i < n));
        assert!(m.language.map_or(true, |l| l < languages));
    }
}

/// What a decision promises: a verdict per block whose reason fits it, and
/// the rules' hits obeyed where their `where` is "anywhere".
fn check_decision(n: usize, hits: &[(usize, u32)], timeouts: &[(u32, usize)], d: &Decision) {
    for v in [d.keep.len(), d.reasons.len(), d.classes.len(), d.rounds.len()] {
        assert_eq!(v, n, "one verdict per block");
    }
    assert!(d.title.map_or(true, |t| t < n));
    let rule_of = |reason: u32| reason.checked_sub(FIRST_RULE_REASON).map(|r| RULES[r as usize]);
    for i in 0..n {
        assert!(d.classes[i] <= 2 && d.rounds[i] <= MAX_ROUNDS);
        match (d.keep[i], rule_of(d.reasons[i])) {
            (true, None) => assert_eq!(d.reasons[i], 1, "kept: signal.body"),
            (true, Some(rule)) => assert_eq!(rule.0, "protect", "kept by a protect rule"),
            // reasons.py: the signals that drop (not "", body, menu-like)
            (false, None) => assert!(![0, 1, 6].contains(&d.reasons[i]), "reason {} drops", d.reasons[i]),
            (false, Some(rule)) => assert_ne!(rule.0, "protect", "dropped by a protect rule"),
        }
        if d.keep[i] {
            assert_eq!(d.rounds[i], 0, "a kept block has no round");
        }
        if let Some(r) = d.reasons[i].checked_sub(FIRST_RULE_REASON) {
            assert!(hits.iter().any(|h| h.1 == r), "a rule's reason without a hit");
        }
    }
    let hit =
        |i: usize, what: &dyn Fn(RuleSpec<'_>) -> bool| hits.iter().any(|h| h.0 == i && what(RULES[h.1 as usize]));
    let protected = |i: usize| hit(i, &|r| r.0 == "protect");
    let anywhere = |action: &'static str| move |r: RuleSpec<'_>| r.0 == action && r.1 == "anywhere";
    for i in 0..n {
        if hit(i, &anywhere("protect")) {
            assert!(d.keep[i], "block {i}: a protect rule acting anywhere hits it");
        }
        if hit(i, &anywhere("drop")) && !protected(i) {
            assert!(!d.keep[i], "block {i}: a drop rule acting anywhere hits it");
        }
        if hit(i, &anywhere("drop-to-end")) {
            assert!((i..n).all(|j| protected(j) || !d.keep[j]), "drop-to-end from block {i}");
        }
        if hit(i, &anywhere("drop-before")) {
            assert!(
                (0..=i).all(|j| protected(j) || !d.keep[j]),
                "drop-before up to block {i}"
            );
        }
    }
    for (k, t) in d.timeouts.iter().enumerate() {
        assert!(timeouts.contains(t), "a timeout reported that did not happen");
        assert!(!d.timeouts[..k].contains(t), "a timeout reported twice");
    }
}

/// cleaner.py `_revise`: unless the last round dropped more, the kept lines
/// on their own (measured afresh, their hits alone) all stay.
fn check_idempotent(
    lines: &[&str],
    hits: &[(usize, u32)],
    d: &Decision,
    decide: impl Fn(&str, &[(usize, u32)]) -> Decision,
) {
    let kept: Vec<usize> = (0..lines.len()).filter(|&i| d.keep[i]).collect();
    if kept.is_empty() || kept.len() == lines.len() || d.rounds.contains(&MAX_ROUNDS) {
        return;
    }
    let mut position = vec![usize::MAX; lines.len()];
    for (new, &old) in kept.iter().enumerate() {
        position[old] = new;
    }
    let text = kept.iter().map(|&i| lines[i]).collect::<Vec<_>>().join("\n");
    let again_hits: Vec<(usize, u32)> = hits
        .iter()
        .filter(|h| position[h.0] != usize::MAX)
        .map(|&(b, r)| (position[b], r))
        .collect();
    let again = decide(&text, &again_hits);
    assert!(
        again.keep.iter().all(|&k| k),
        "the kept lines decided again lose {:?}",
        again.keep
    );
}
