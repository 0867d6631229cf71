//! Fuzzes the core's whole text page entry, `TextDecider.clean_text` less
//! its Python plumbing (`_core::fuzzing::TextState::clean`): arbitrary bytes
//! become a page (lossy UTF-8, a BOM left out, as `clean_text` decodes
//! bytes), which is cut into blocks, measured, its language told, the
//! default rules' candidates found by the prefilter and settled by their
//! translations (rx) or by a deterministic stand-in for Python's regex,
//! through the memo of answers, decided and rendered.
//!
//! The state is the default Cleaner's, exported by `export_state.py`
//! (core/fuzz/default_state.json, generated, not checked in). Beyond "no
//! panic" and no error, it checks what the README promises (see `check`).
#![no_main]

use std::sync::OnceLock;

use _core::fuzzing::{read_stop_lists, CleanedPage, RuleSpec, StateSpec, TextState};
use _core::language::StopLists;
use _core::prefilter::GroupSpec;
use _core::{pystr, textpage};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const STATE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/default_state.json");

/// language.py's lists.
fn stop_lists() -> (StopLists, usize) {
    read_stop_lists(concat!(env!("CARGO_MANIFEST_DIR"), "/../../declutter/data/stoplists"))
}

fn s(v: &Value) -> &str {
    v.as_str().expect("a string")
}
fn u(v: &Value) -> usize {
    v.as_u64().expect("a whole number") as usize
}
fn arr(v: &Value) -> &Vec<Value> {
    v.as_array().expect("an array")
}
fn ranks(v: &Value) -> Vec<u32> {
    arr(v).iter().map(|r| u(r) as u32).collect()
}
fn strings(v: &Value) -> Vec<String> {
    arr(v).iter().map(|x| s(x).to_owned()).collect()
}
fn bounds(v: &Value) -> Vec<(usize, Option<usize>)> {
    arr(v)
        .iter()
        .map(|b| (u(&b[0]), b[1].as_u64().map(|m| m as usize)))
        .collect()
}

/// matching.py `prefilter_spec`'s tuple as a GroupSpec.
fn group(v: &Value) -> GroupSpec {
    let keyed = |v: &Value| arr(v).iter().map(|p| (s(&p[0]).to_owned(), ranks(&p[1]))).collect();
    let ranked = |v: &Value| arr(v).iter().map(|p| (u(&p[0]) as u32, strings(&p[1]))).collect();
    GroupSpec {
        bounds: bounds(&v[0]),
        phrases: keyed(&v[1]),
        prefixes: keyed(&v[2]),
        prefix_literals: ranked(&v[3]),
        literal_rules: ranked(&v[4]),
        everywhere: ranks(&v[5]),
    }
}

/// The default Cleaner's text decision and the number of stop lists.
fn state() -> &'static (TextState, usize) {
    static STATE_: OnceLock<(TextState, usize)> = OnceLock::new();
    STATE_.get_or_init(|| {
        let text = std::fs::read_to_string(STATE)
            .unwrap_or_else(|e| panic!("{STATE}: {e} (run python core/fuzz/export_state.py)"));
        let j: Value = serde_json::from_str(&text).expect("the exported state is JSON");
        let settings: Vec<(&str, f64)> = arr(&j["settings"])
            .iter()
            .map(|p| (s(&p[0]), p[1].as_f64().expect("a number")))
            .collect();
        let rules: Vec<RuleSpec<'_>> = arr(&j["rules"])
            .iter()
            .map(|r| (s(&r[0]), s(&r[1]), r[2].as_bool().unwrap(), r[3].as_bool().unwrap()))
            .collect();
        let disabled: Vec<&str> = arr(&j["disabled"]).iter().map(s).collect();
        let rx = arr(&j["rx"])
            .iter()
            .map(|t| (!t.is_null()).then(|| (s(&t[0]).to_owned(), t[1].as_bool().unwrap())))
            .collect();
        let spec = StateSpec {
            settings: &settings,
            rules: &rules,
            disabled: &disabled,
            bounds: bounds(&j["bounds"]),
            scoped: arr(&j["scoped"]).iter().map(|b| b.as_bool().unwrap()).collect(),
            rx,
            shaping: ranks(&j["shaping"]),
            dropping: ranks(&j["dropping"]),
            prefilter: arr(&j["prefilter"]).iter().map(group).collect(),
            phrase_trim: s(&j["phrase_trim"]),
            full_reasons: false, // the default Cleaner's: the lazy loop
        };
        let (stops, languages) = stop_lists();
        (TextState::new(spec, stops).expect("a valid exported state"), languages)
    })
}

fn clean(text: &str) -> CleanedPage {
    state().0.clean(text).unwrap_or_else(|e| panic!("the core failed: {e}"))
}

fuzz_target!(|data: &[u8]| {
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let text = String::from_utf8_lossy(data);
    let page = clean(&text);
    check(&text, &page);
});

/// The promises: one verdict per block; the output is the kept blocks,
/// whole and in order, joined by "\n" or "\n\n"; the title one of the
/// blocks, stripped; the language one of the stop lists; no timeout (the
/// stand-in never times out); the same page again gives the same result
/// (the memo of answers changes nothing); cleaning the output again
/// changes nothing (README, "Whole lines, nothing rewritten").
fn check(text: &str, page: &CleanedPage) {
    let blocks = textpage::split(text);
    let lines: Vec<&str> = blocks.spans.iter().map(|&(a, b)| &blocks.joined[a..b]).collect();
    assert_eq!(page.keep.len(), lines.len(), "one verdict per block");
    assert_eq!(page.reasons.len(), lines.len(), "one reason per block");
    let kept: Vec<&str> = lines
        .iter()
        .zip(&page.keep)
        .filter(|(_, &k)| k)
        .map(|(l, _)| *l)
        .collect();
    let out: Vec<&str> = page.text.split('\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(out, kept, "the output is the kept blocks, whole and in order");
    assert!(
        !page.text.starts_with('\n') && !page.text.ends_with('\n') && !page.text.contains("\n\n\n"),
        "kept blocks joined by one newline or one blank line"
    );
    if let Some(title) = &page.title {
        assert!(
            lines.iter().any(|l| pystr::strip(l) == title),
            "the title is a stripped block: {title:?}"
        );
    }
    assert!(
        page.language.is_none_or(|l| l < state().1),
        "a language of the stop lists"
    );
    assert!(page.timeouts.is_empty(), "no search times out");
    assert_eq!(&clean(text), page, "the same page, the same result");
    let again = clean(&page.text);
    assert_eq!(again.text, page.text, "cleaning the output again changes nothing");
}
