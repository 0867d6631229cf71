//! The rules' regexes the core runs itself: patterns declutter/rx.py
//! translated from the `regex` module's parse tree into Rust `regex` syntax
//! with explicit code point classes, so that no Unicode table of Rust's is
//! read (the crate is built without them). A translation is exact (the core
//! confirms the rule) or a filter (a superset: where it does not match,
//! neither does the rule; where it does, Python confirms). A rule without
//! one is confirmed by Python as before.
//!
//! Cost: compiling is done once per Cleaner, lazily per rule on its first
//! search (a few ms for the large multilingual ones); a search is linear in
//! the line and cannot time out.

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};

/// Room for the largest translated pattern (the default rules' largest
/// compiles to a few MB; the crate's default limit is 10 MB).
const SIZE_LIMIT: usize = 256 << 20;

/// Room for each regex's lazy DFA cache. With the crate's default (2 MB)
/// the large multilingual patterns fill it, so the lazy DFA gives up and
/// the slower backtracker or PikeVM searches instead; the cache grows only
/// as far as the states a search meets. 8 MB is the smallest that keeps the
/// gain (181 dev dumps, best of 12 passes: 2 MB 101-139 ms, 4 MB 96-113,
/// 8 MB 92-97, 64 MB 92-112), and it bounds the worst case: there is one
/// cache per regex per thread that searches at once (the crate's pool), so
/// a larger limit multiplies by both. Peak RSS over the dev and set pages
/// grew 5-10 MB against the default, on one thread or two.
const DFA_CACHE: usize = 8 << 20;

/// Per rule (by its number in the RuleSet), its translated regex if any.
#[derive(Debug, Default)]
pub struct Rx {
    /// Per rule: its translation and whether it is exact.
    sources: Vec<Option<(String, bool)>>,
    compiled: Vec<OnceLock<Option<Regex>>>,
}

impl Rx {
    /// The translated sources, per rule, each with whether it is exact
    /// (None: Python confirms the rule). Nothing is parsed yet: parsing
    /// the default rules' sources alone costs 0.15 s, and a one-page run
    /// meets only some of them.
    pub fn new(sources: Vec<Option<(String, bool)>>) -> Self {
        let compiled = sources.iter().map(|_| OnceLock::new()).collect();
        Self { sources, compiled }
    }

    /// No rule translated.
    pub const fn none() -> Self {
        Self {
            sources: Vec::new(),
            compiled: Vec::new(),
        }
    }

    /// How many rules it holds.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Whether it holds no rule.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Whether the rule has a translation (exact or a filter).
    pub fn has(&self, rule: u32) -> bool {
        matches!(self.sources.get(rule as usize), Some(Some(_)))
    }

    /// Whether the rule's translation is exact: the core confirms it alone.
    pub fn exact(&self, rule: u32) -> bool {
        matches!(self.sources.get(rule as usize), Some(Some((_, true))))
    }

    /// The rule's regex, compiled on first use; None for a rule Python
    /// confirms, and for a source that does not compile (rx.py's output
    /// always does; the tests compile every default one).
    pub fn regex(&self, rule: u32) -> Option<&Regex> {
        let i = rule as usize;
        let (source, _) = self.sources.get(i)?.as_ref()?;
        self.compiled[i]
            .get_or_init(|| {
                RegexBuilder::new(source)
                    .size_limit(SIZE_LIMIT)
                    .dfa_size_limit(DFA_CACHE)
                    .build()
                    .ok()
            })
            .as_ref()
    }

    /// Whether the rule's pattern matches somewhere in `line`; None when
    /// Python must confirm it (no translation, or a filter that matches).
    pub fn is_match(&self, rule: u32, line: &str) -> Option<bool> {
        let hit = self.regex(rule)?.is_match(line);
        if hit && !self.exact(rule) {
            None
        } else {
            Some(hit)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translated_rules_match_and_others_ask_python() {
        let rx = Rx::new(vec![
            Some((r"(?m:^)[aA]b".into(), true)),
            None,
            Some(("b".into(), false)),
        ]);
        assert_eq!(rx.is_match(0, "Ab c"), Some(true));
        assert_eq!(rx.is_match(0, "c Ab"), Some(false));
        assert_eq!(rx.is_match(1, "Ab"), None);
        assert_eq!(rx.is_match(7, "Ab"), None);
        assert!(rx.has(0) && !rx.has(1) && rx.exact(0) && !rx.exact(2));
        // a filter rules out, never rules in
        assert_eq!(rx.is_match(2, "a"), Some(false));
        assert_eq!(rx.is_match(2, "ab"), None);
    }

    #[test]
    fn the_larger_dfa_cache_matches_as_the_default() {
        // a pattern as large as the multilingual rules' (a class of every
        // other code point, in runs): the default cache makes the lazy DFA
        // give up for the backtracker, the larger one does not; same answers
        let class: String = (0x100u32..0x3000)
            .step_by(2)
            .filter_map(char::from_u32)
            .map(|c| format!("\\x{{{:x}}}", u32::from(c)))
            .collect();
        let source = format!("(?m:^)(?:[{class}]+ ){{2,4}}(?:x|y)");
        let rx = Rx::new(vec![Some((source.clone(), true))]);
        let default = RegexBuilder::new(&source).size_limit(SIZE_LIMIT).build().unwrap();
        for line in ["Ā Ą x", "Ā ā x", "Ā Ą Ĉ Ċ y", "x", "Ā Ą", " Ā Ą x", "ĀĄ ĈĊ ĤĦ x"] {
            assert_eq!(rx.is_match(0, line), Some(default.is_match(line)), "{line:?}");
        }
    }

    #[test]
    fn a_source_that_does_not_compile_leaves_the_rule_to_python() {
        let rx = Rx::new(vec![Some(("(".into(), true))]);
        assert_eq!(rx.is_match(0, "("), None);
    }
}
