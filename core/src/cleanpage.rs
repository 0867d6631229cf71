//! A whole text page cleaned in Rust: cut into blocks, measured, its rules'
//! candidates found and settled, decided and rendered ([`Entry::clean_page`]).
//! Python's part, the confirmations the core cannot settle itself, comes
//! through a [`Confirmer`]: `TextDecider.clean_text` (py_decide.rs) asks
//! Python, the fuzz target (fuzzing.rs) answers with a stand-in.

use std::sync::{Mutex, PoisonError};

use rustc_hash::FxHashMap;

use crate::decide::{Decider, Hits, Kind, Late, Page, Pair, Verdict};
use crate::language::StopLists;
use crate::prefilter::{Found, Pairs, Prefilter};
use crate::rx::Rx;
use crate::{measure, textpage};

/// A pair's outcome not known to the core: Python confirms it.
pub(crate) const UNSETTLED: u8 = u8::MAX;

/// The confirmations the core cannot make itself, asked at most once per
/// step. After a failure every answer is ignored and the page is given up.
pub(crate) trait Confirmer {
    /// Whether to go on at `stage` (a page's budget, a failed callback).
    fn checkpoint(&mut self, stage: &str) -> bool;
    /// Per pair 0 no match, 1 a match, 2 timed out: the shaping group's
    /// candidates (`shaping`), else the dropping group's.
    fn pairs(&mut self, shaping: bool, pairs: &[Pair], read: &ReadPage) -> Vec<u8>;
    /// Per floating rule of `rules` (which the core cannot search), its
    /// (hit blocks, timed-out blocks).
    fn floating(&mut self, rules: &[u32], read: &ReadPage) -> Vec<(Vec<usize>, Vec<usize>)>;
    /// Whether a confirmation failed (its answers are not to be used).
    fn failed(&self) -> bool;
}

/// The text decision of one Cleaner, without Python: its rules and
/// settings, the rule numbers of its groups' ranks, and the memo of
/// confirmations. `TextDecider` holds one.
pub(crate) struct TextCore {
    pub(crate) decider: Decider,
    /// Per rank of the dropping group (the Prefilter's second), its rule's number.
    pub(crate) dropping: Vec<u32>,
    /// Per rank of the shaping group (the Prefilter's first), its rule's number.
    pub(crate) shaping: Vec<u32>,
    /// Per rule its length bounds in characters (min, max), for the hits
    /// of the floating rules [`Entry::clean_page`] confirms itself.
    pub(crate) bounds: Vec<(usize, Option<usize>)>,
    /// Per rule whether it has a host scope: what Python answers for it
    /// depends on the page's host, so it is not remembered in `answers`.
    pub(crate) scoped: Vec<bool>,
    /// What Python answered for the pairs of unscoped rules, by line.
    pub(crate) answers: Mutex<Answers>,
}

/// What Python's confirmations gave, per stripped line the (rule, match)
/// pairs (a timeout is not remembered): [`Entry::clean_page`] asks
/// Python again only for lines it has not seen. Boilerplate lines recur
/// across a site's pages, so most pages of a stream make no callback.
/// Emptied past its bounds, so that a long stream cannot grow it.
#[derive(Default)]
pub(crate) struct Answers {
    by_line: FxHashMap<Box<str>, Vec<(u32, bool)>>,
    pairs: usize,
    chars: usize,
}

impl Answers {
    /// At most about a million characters of lines and 50,000 pairs.
    const CHARS: usize = 1_000_000;
    const PAIRS: usize = 50_000;

    fn get(&self, rule: u32, line: &str) -> Option<bool> {
        let known = self.by_line.get(line)?;
        known.iter().find(|&&(r, _)| r == rule).map(|&(_, hit)| hit)
    }

    fn remember(&mut self, rule: u32, line: &str, hit: bool) {
        if self.pairs >= Self::PAIRS || self.chars >= Self::CHARS {
            *self = Answers::default();
        }
        let known = self.by_line.entry(line.into()).or_default();
        if known.is_empty() {
            self.chars += line.len();
        }
        if !known.iter().any(|&(r, _)| r == rule) {
            known.push((rule, hit));
            self.pairs += 1;
        }
    }
}

/// A page read by [`Entry::read_page`]: its text and measures, held for
/// `TextDecider.decide` so that the page is measured once.
#[pyo3::pyclass(frozen, module = "declutter._core")]
pub struct ReadPage {
    pub(crate) text: String,
    pub(crate) measures: measure::Measures,
    /// The rules' candidates, per group (shaping, dropping).
    pub(crate) found: Vec<Found>,
}

/// A text page cleaned by [`Entry::clean_page`], before it becomes Python objects.
pub(crate) struct Cleaned {
    /// One entry per distinct verdict, and per block its number (see [`numbered`]).
    pub(crate) distinct: Vec<(bool, u32, u8, u32)>,
    pub(crate) index: Vec<u8>,
    /// The (rule, block) pairs whose search timed out, in report order.
    pub(crate) timeouts: Vec<(u32, usize)>,
    /// The rendered page.
    pub(crate) text: String,
    /// The title's stripped block.
    pub(crate) title: Option<String>,
    /// Its language's number in the stop lists.
    pub(crate) language: Option<usize>,
    /// The code points of the dropped blocks' stripped text: what a stream
    /// counts as removed, without making the blocks (`CleanResult.removed_chars`).
    pub(crate) removed_chars: usize,
}

/// No translated rule: Python confirms them all.
pub(crate) static NO_RX: Rx = Rx::none();

/// A [`TextCore`] with the stop lists and the rules' translations it
/// works with (held by `TextDecider` as Python objects).
#[derive(Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub(crate) core: &'a TextCore,
    pub(crate) stops: &'a StopLists,
    pub(crate) rx: &'a Rx,
}

impl Entry<'_> {
    /// Cleans the page `text` (see `TextDecider.clean_text`): None where it
    /// stops (`confirmer` failed or said not to go on, or `strict` and a
    /// search timed out). Fails with a message on candidates or hits out of
    /// range, which is a bug.
    ///
    /// Cost: linear in the text, plus the regex searches of the rules the
    /// core settles and what `confirmer` costs.
    pub(crate) fn clean_page(
        &self,
        text: &str,
        prefilter: &Prefilter,
        strict: bool,
        confirmer: &mut dyn Confirmer,
    ) -> Result<Option<Cleaned>, &'static str> {
        let mut blocks = textpage::split(text);
        let joined = std::mem::take(&mut blocks.joined);
        // no block holds a "\n": cut at each, but an empty page has none
        let none: &[usize] = &[];
        let lengths = if blocks.spans.is_empty() { Some(none) } else { None };
        let read = self
            .read_page(joined, lengths, prefilter, false)
            .map_err(|_| "the blocks do not cut the page")?;
        if !confirmer.checkpoint("measuring blocks") {
            return Ok(None);
        }
        let m = &read.measures;
        let n = m.stripped.len();
        let (mut hits, mut timeouts) = (Vec::new(), Vec::new());
        let mut late = Late::none(n);
        // as core_decide.py's clean: some block's stripped text (one block may strip to "")
        if n > 1 || (n == 1 && m.chars[0] > 0) {
            self.eager(&read, confirmer, &mut hits, &mut timeouts)?;
            if !confirmer.checkpoint("matching rules") || (strict && !timeouts.is_empty()) {
                return Ok(None);
            }
            late = self.late(&read)?;
        }
        let page = Page::new(&read.text, m, self.stops);
        let hits = Hits::new(n, &hits, timeouts).ok_or("a hit on no such block")?;
        let mut late_timeout = false;
        let mut ask = |asked: &[Pair]| {
            let outcomes = self.confirm(asked, &read, confirmer, false);
            late_timeout |= outcomes.contains(&2);
            outcomes
        };
        let outcome = self.core.decider.clean(&page, &hits, &mut late, &mut ask);
        if confirmer.failed() || (strict && late_timeout) {
            return Ok(None);
        }
        let (distinct, index) = numbered(&outcome.verdicts);
        let removed_chars = (outcome.verdicts.iter().zip(&m.chars))
            .filter(|(v, _)| !v.keep)
            .map(|(_, &c)| c)
            .sum();
        let text = textpage::render(&read.text, &blocks, outcome.verdicts.iter().map(|v| v.keep));
        let title = outcome.title.map(|t| {
            let (a, b) = m.stripped[t];
            read.text[a..b].to_owned()
        });
        Ok(Some(Cleaned {
            distinct,
            index,
            timeouts: outcome.timeouts,
            text,
            title,
            language: m.language,
            removed_chars,
        }))
    }

    /// The eager hits and timeouts of a page, in report order: the shaping
    /// group's candidates, then the floating rules (the shaping group's,
    /// then the dropping group's, each in the RuleSet's order), as
    /// core_decide.py's `_decide` and RuleGroup.match find them.
    fn eager(
        &self,
        read: &ReadPage,
        confirmer: &mut dyn Confirmer,
        hits: &mut Vec<(usize, u32)>,
        timeouts: &mut Vec<(u32, usize)>,
    ) -> Result<(), &'static str> {
        if let Some(found) = read.found.first() {
            let mut pairs = Vec::new();
            for (kind, of) in [&found.phrase, &found.anchored, &found.literal].into_iter().enumerate() {
                for (&line, &rank) in of.lines.iter().zip(&of.ranks) {
                    let rule = *self
                        .core
                        .shaping
                        .get(rank as usize)
                        .ok_or("a candidate of no such shaping rule")?;
                    pairs.push(Pair::new(line as usize, kind as u8, rule, rank));
                }
            }
            for (p, o) in pairs.iter().zip(self.confirm(&pairs, read, confirmer, true)) {
                match o {
                    1 => hits.push((p.block, p.rule)),
                    2 => timeouts.push((p.rule, p.block)),
                    _ => {}
                }
            }
        }
        let rules = &self.core.decider.rules;
        let order: Vec<u32> = [true, false]
            .into_iter()
            .flat_map(|shapes| {
                (0..rules.len() as u32)
                    .filter(move |&r| rules[r as usize].floating && rules[r as usize].shapes() == shapes)
            })
            .collect();
        let python: Vec<u32> = order.iter().copied().filter(|&r| !self.rx.exact(r)).collect();
        let mut answers = if python.is_empty() {
            Vec::new()
        } else {
            confirmer.floating(&python, read)
        }
        .into_iter();
        let m = &read.measures;
        for r in order {
            if !confirmer.checkpoint("matching rules") {
                break;
            }
            if !self.rx.exact(r) {
                let (found, timed_out) = answers.next().unwrap_or_default();
                hits.extend(found.into_iter().map(|b| (b, r)));
                timeouts.extend(timed_out.into_iter().map(|b| (r, b)));
                continue;
            }
            let (least, most) = self.core.bounds[r as usize];
            for (i, &(a, b)) in m.stripped.iter().enumerate() {
                let fits = m.chars[i] >= least && most.map_or(true, |most| m.chars[i] <= most);
                if fits && self.rx.is_match(r, &read.text[a..b]) == Some(true) {
                    hits.push((i, r));
                }
            }
        }
        Ok(())
    }

    /// The outcome of each pair, 0 no match, 1 a match, 2 timed out: the
    /// core's own rules settled here, the rest by `confirmer` (for the
    /// `shaping` group or the dropping one), in one call.
    pub(crate) fn confirm(
        &self,
        pairs: &[Pair],
        read: &ReadPage,
        confirmer: &mut dyn Confirmer,
        shaping: bool,
    ) -> Vec<u8> {
        let line = |p: &Pair| {
            let (a, b) = read.measures.stripped[p.block];
            &read.text[a..b]
        };
        let mut outcomes: Vec<u8> = pairs
            .iter()
            .map(|p| self.settle(p, &read.text, &read.measures))
            .collect();
        let scoped = &self.core.scoped;
        {
            let answers = self.core.answers.lock().unwrap_or_else(PoisonError::into_inner);
            for (p, o) in pairs.iter().zip(outcomes.iter_mut()) {
                if *o == UNSETTLED && !scoped[p.rule as usize] {
                    *o = answers.get(p.rule, line(p)).map_or(UNSETTLED, u8::from);
                }
            }
        }
        let rest = unsettled(pairs, &outcomes);
        if rest.is_empty() {
            return outcomes;
        }
        let given = confirmer.pairs(shaping, &rest, read);
        if !confirmer.failed() {
            let mut answers = self.core.answers.lock().unwrap_or_else(PoisonError::into_inner);
            for (p, &o) in rest.iter().zip(&given) {
                if o < 2 && !scoped[p.rule as usize] {
                    answers.remember(p.rule, line(p), o == 1);
                }
            }
        }
        let mut given = given.into_iter();
        for o in outcomes.iter_mut().filter(|o| **o == UNSETTLED) {
            *o = given.next().unwrap_or(0);
        }
        outcomes
    }

    /// A late pair's outcome as `confirm` gives it (0 no match, 1 a match),
    /// when the core confirms its rule itself; else UNSETTLED. A phrase pair
    /// is a hit (the prefilter kept the rule within its bounds; a rule the
    /// core confirms has no host scope).
    pub(crate) fn settle(&self, pair: &Pair, text: &str, measures: &measure::Measures) -> u8 {
        if !self.rx.has(pair.rule) {
            return UNSETTLED;
        }
        if pair.kind == 0 {
            return 1;
        }
        let (a, b) = measures.stripped[pair.block];
        match self.rx.is_match(pair.rule, &text[a..b]) {
            Some(hit) => u8::from(hit),
            None => UNSETTLED,
        }
    }

    /// Keeps, of the shaping group's indexed and literal pairs of rules the
    /// core confirms, those that match; the others stay for Python.
    fn settle_shaping(&self, found: &mut Found, lines: &[&str]) {
        for pairs in [&mut found.anchored, &mut found.literal] {
            let mut kept = Pairs::default();
            for (&line, &rank) in pairs.lines.iter().zip(&pairs.ranks) {
                let rule = self.core.shaping.get(rank as usize).copied();
                let settled = rule.and_then(|r| self.rx.is_match(r, lines[line as usize]));
                if settled != Some(false) {
                    kept.lines.push(line);
                    kept.ranks.push(rank);
                }
            }
            *pairs = kept;
        }
    }

    /// Measures a page (`text` cut as [`measure::blocks`] cuts it) and
    /// finds its rules' candidates; with `settle`, the shaping group's pairs
    /// the core confirms itself are confirmed (see `settle_shaping`).
    pub(crate) fn read_page(
        &self,
        text: String,
        lengths: Option<&[usize]>,
        prefilter: &Prefilter,
        settle: bool,
    ) -> Result<ReadPage, measure::LengthMismatch> {
        let settings = crate::decide::measure_settings(&self.core.decider.settings.features);
        let measures = measure::measure(&text, lengths, &settings, Some(self.stops))?;
        let lines: Vec<&str> = measures.stripped.iter().map(|&(a, b)| &text[a..b]).collect();
        let keys: Vec<&str> = measures.keys.iter().map(|&(a, b)| &measures.key_text[a..b]).collect();
        let mut found = prefilter.candidates_measured(&lines, &measures.chars, &keys);
        if let (true, Some(shaping)) = (settle, found.first_mut()) {
            self.settle_shaping(shaping, &lines);
        }
        Ok(ReadPage { text, measures, found })
    }

    /// The late pairs of a page: its dropping group's candidates.
    pub(crate) fn late(&self, read: &ReadPage) -> Result<Late, &'static str> {
        let found = read.found.get(1).ok_or("the prefilter has no dropping group")?;
        let kinds = [&found.phrase, &found.anchored, &found.literal];
        let mut pairs = Vec::with_capacity(kinds.iter().map(|k| k.lines.len()).sum());
        for (kind, of) in kinds.into_iter().enumerate() {
            for (&line, &rank) in of.lines.iter().zip(&of.ranks) {
                let rule = *self
                    .core
                    .dropping
                    .get(rank as usize)
                    .ok_or("a candidate of no such dropping rule")?;
                pairs.push(Pair::new(line as usize, kind as u8, rule, rank));
            }
        }
        Late::new(read.measures.stripped.len(), pairs).ok_or("a candidate on no such block")
    }
}

/// The pairs whose outcome is still UNSETTLED, in order: those the core
/// could not settle itself, for Python.
pub(crate) fn unsettled(pairs: &[Pair], outcomes: &[u8]) -> Vec<Pair> {
    pairs
        .iter()
        .zip(outcomes)
        .filter(|(_, &o)| o == UNSETTLED)
        .map(|(p, _)| *p)
        .collect()
}

/// One entry per distinct verdict (keep, reason, class, round), in order of
/// first use, and per block the number of its entry as native u32 bytes:
/// Python makes one object per distinct verdict, and the list of them by
/// indexing in C.
pub(crate) type Numbered = (Vec<(bool, u32, u8, u32)>, Vec<u8>);

pub(crate) fn numbered(verdicts: &[Verdict]) -> Numbered {
    let mut number: FxHashMap<(bool, u32, u8, u32), u32> = FxHashMap::default();
    let mut distinct: Vec<(bool, u32, u8, u32)> = Vec::new();
    let mut index = Vec::with_capacity(verdicts.len() * 4);
    for v in verdicts {
        let class = match v.class {
            Kind::Good => 0,
            Kind::Short => 1,
            Kind::Bad => 2,
        };
        let key = (v.keep, v.reason, class, v.round);
        let at = *number.entry(key).or_insert_with(|| {
            distinct.push(key);
            distinct.len() as u32 - 1
        });
        index.extend_from_slice(&at.to_ne_bytes());
    }
    (distinct, index)
}
