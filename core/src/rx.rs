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
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::Input;

/// Room for the largest translated pattern (the default rules' largest
/// compiles to a few MB; the crate's default limit is 10 MB).
const SIZE_LIMIT: usize = 256 << 20;

/// Room for each regex's lazy DFA cache. With the crate's default (2 MB)
/// the large multilingual patterns fill it, so the lazy DFA gives up and
/// the slower backtracker or PikeVM searches instead; the cache grows only
/// as far as the states a search meets. 8 MB is the smallest that keeps the
/// gain (181 dev dumps, best of 12 passes: 2 MB 101-139 ms, 4 MB 96-113,
/// 8 MB 92-97, 64 MB 92-112), and it bounds the worst case: there is one
/// cache per regex per thread that searches at once (the pool), so a larger
/// limit multiplies by both. Peak RSS over the dev and set pages grew 5-10
/// MB against the default, on one thread or two.
const DFA_CACHE: usize = 8 << 20;

/// A rule's regex as the core's own searches use it: they only ask whether
/// a line matches, so a forward lazy DFA over an NFA without captures is
/// all they need. A full `Regex` also compiles the reverse NFA that finds
/// where a match starts, which doubled the compiling (0.33 s for all the
/// default rules against 0.19 s), paid once by every process of a stream.
struct Matcher {
    dfa: DFA,
    /// One lazy DFA cache per thread searching at once.
    caches: Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync>>,
}

impl Matcher {
    fn new(source: &str) -> Option<Self> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(SIZE_LIMIT))
                    .which_captures(WhichCaptures::None),
            )
            .build(source)
            .ok()?;
        let dfa = DFA::builder()
            .configure(DFA::config().cache_capacity(DFA_CACHE))
            .build_from_nfa(nfa)
            .ok()?;
        let for_caches = dfa.clone();
        Some(Self {
            dfa,
            caches: Pool::new(Box::new(move || for_caches.create_cache())),
        })
    }

    /// Whether the regex matches somewhere in `line`; None if the lazy DFA
    /// could not say (it quits only on what the translations never hold,
    /// such as a Unicode word boundary): then Python confirms.
    fn is_match(&self, line: &str) -> Option<bool> {
        let input = Input::new(line).earliest(true);
        let found = self.dfa.try_search_fwd(&mut self.caches.get(), &input).ok()?;
        Some(found.is_some())
    }
}

/// Per rule (by its number in the RuleSet), its translated regex if any.
#[derive(Default)]
pub struct Rx {
    /// Per rule: its translation and whether it is exact.
    sources: Vec<Option<(String, bool)>>,
    /// Per rule: what the core's searches run, compiled on first use.
    matchers: Vec<OnceLock<Option<Matcher>>>,
    /// Per rule: the full regex, for `regex` (spans), compiled on first use.
    compiled: Vec<OnceLock<Option<Regex>>>,
}

impl std::fmt::Debug for Rx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rx")
            .field("sources", &self.sources)
            .finish_non_exhaustive()
    }
}

impl Rx {
    /// The translated sources, per rule, each with whether it is exact
    /// (None: Python confirms the rule). Nothing is parsed yet: parsing
    /// the default rules' sources alone costs 0.09 s, and a one-page run
    /// meets only some of them.
    pub fn new(sources: Vec<Option<(String, bool)>>) -> Self {
        let matchers = sources.iter().map(|_| OnceLock::new()).collect();
        let compiled = sources.iter().map(|_| OnceLock::new()).collect();
        Self {
            sources,
            matchers,
            compiled,
        }
    }

    /// No rule translated.
    pub const fn none() -> Self {
        Self {
            sources: Vec::new(),
            matchers: Vec::new(),
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

    /// The rule's full regex, compiled on first use, for where a match is
    /// (`Rx.search` and `Rx.find_all`, which the tests compare with the
    /// `regex` module's spans); None for a rule Python confirms, and for a
    /// source that does not compile (rx.py's output always does; the tests
    /// compile every default one).
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

    fn matcher(&self, rule: u32) -> Option<&Matcher> {
        let i = rule as usize;
        let (source, _) = self.sources.get(i)?.as_ref()?;
        self.matchers[i].get_or_init(|| Matcher::new(source)).as_ref()
    }

    /// Whether the rule's translation matches somewhere in `line` (an exact
    /// one: the rule's pattern; a filter: a superset), as the core's
    /// searches find it; None for a rule without one, or if the lazy DFA
    /// could not say.
    pub fn matches(&self, rule: u32, line: &str) -> Option<bool> {
        self.matcher(rule)?.is_match(line)
    }

    /// Whether the rule's pattern matches somewhere in `line`; None when
    /// Python must confirm it (no translation, or a filter that matches).
    pub fn is_match(&self, rule: u32, line: &str) -> Option<bool> {
        let hit = self.matches(rule, line)?;
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
    fn threads_search_one_matcher_at_once() {
        // each thread takes its own lazy DFA cache from the pool
        let rx = Rx::new(vec![Some((r"(?m:^)[aA]b".into(), true))]);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..200 {
                        assert_eq!(rx.is_match(0, "x\nAb c"), Some(true));
                        assert_eq!(rx.is_match(0, "c Ab"), Some(false));
                    }
                });
            }
        });
    }

    #[test]
    fn a_source_that_does_not_compile_leaves_the_rule_to_python() {
        let rx = Rx::new(vec![Some(("(".into(), true))]);
        assert_eq!(rx.is_match(0, "("), None);
    }
}
