//! The rule prefilter: which (line, rule) pairs of a page are worth a regex
//! search. The compiled form of the candidate machinery of
//! declutter/matching.py, for one or more rule groups (a RuleIndex each):
//!
//! - phrase rules: the line's key (`line_key`) stripped of `PHRASE_TRIM`,
//!   looked up among the phrases (`RuleGroup._phrases`);
//! - indexed rules: the `prefix_key` of the line's first `KEY_CHARS + 2`
//!   characters, looked up one character longer while it is a stem of some
//!   prefix (`RuleIndex.candidates`), then kept within the rule's length
//!   bounds and, when the rule names literals, only if the folded line holds
//!   one (`RuleIndex.prefiltered`); the rules with nothing known
//!   (`everywhere`) follow on every line they fit;
//! - literal rules: the rules one of whose literals the folded line holds
//!   (`_holding`), within their length bounds.
//!
//! Every literal of every group is found by one Aho-Corasick automaton run
//! over each folded line (overlapping matches, so a literal inside another
//! is seen). Folding is `pystr::fold_each`, CPython's `str.casefold` from
//! generated tables, so the pairs are exactly Python's (the test
//! tests/test_core_prefilter.py compares them). Python confirms each pair
//! with the rule's regex; a rule's domains and `where` stay Python's too.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::{measure, pystr};

/// Prefixes are compared on their first KEY_CHARS characters (literals.py).
pub const KEY_CHARS: usize = 6;
/// The marks around a phrase (normalise.py `PHRASE_TRIM`).
pub const PHRASE_TRIM: &[char] = &[
    ' ', ':', '*', '…', '»', '«', '›', '‹', '|', '-', '–', '—', '•', '·', '.', '!', '?', '(', ')', '[', ']', '<', '>',
    '/', '\\',
];

/// A rule's number in its group: its position in the group's rule tuple.
pub type Rank = u32;

/// One group's rules as matching.py's RuleIndex holds them; every rule is
/// named by its rank.
#[derive(Clone, Debug, Default)]
pub struct GroupSpec {
    /// Per rank: `(min_chars, max_chars)`.
    pub bounds: Vec<(usize, Option<usize>)>,
    /// `RuleIndex.phrases`: a phrase and the ranks it names, in order.
    pub phrases: Vec<(String, Vec<Rank>)>,
    /// `RuleIndex.by_prefix`: a prefix key and the ranks it admits.
    pub prefixes: Vec<(String, Vec<Rank>)>,
    /// `RuleIndex.literals_of`: an indexed rule's literals (folded).
    pub prefix_literals: Vec<(Rank, Vec<String>)>,
    /// `RuleIndex.by_literal`: a literal rule and its literals (folded).
    pub literal_rules: Vec<(Rank, Vec<String>)>,
    /// `RuleIndex.everywhere`, in order.
    pub everywhere: Vec<Rank>,
}

/// The candidate pairs of one kind: `lines[k]` and `ranks[k]` make pair k.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pairs {
    pub lines: Vec<u32>,
    pub ranks: Vec<Rank>,
}

impl Pairs {
    fn push(&mut self, line: usize, rank: Rank) {
        self.lines.push(line as u32);
        self.ranks.push(rank);
    }
}

/// One group's candidates on a page, each kind in the order Python tries
/// them: by line, and within a line by rank (the anchored kind: the indexed
/// rules by rank, then the `everywhere` ones in their order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    pub phrase: Pairs,
    pub anchored: Pairs,
    pub literal: Pairs,
}

/// A spec named a rank it has no bounds for.
#[derive(Debug, PartialEq, Eq)]
pub struct BadRank(pub Rank);

/// A prefix key: the ranks it admits, and whether some longer key starts
/// with it (a "stem": the line's head is then looked up one longer).
#[derive(Default)]
struct Prefix {
    ranks: Vec<Rank>,
    stem: bool,
}

/// One group, ready to look up.
struct Group {
    /// Per rank: `(min_chars, max_chars or usize::MAX)`.
    bounds: Vec<(usize, usize)>,
    phrases: HashMap<String, Vec<Rank>>,
    prefixes: HashMap<String, Prefix>,
    /// Per rank: an indexed rule that must also hold one of its literals.
    needs_literal: Vec<bool>,
    /// Per rank: a literal rule.
    by_literal: Vec<bool>,
    everywhere: Vec<Rank>,
}

impl Group {
    fn fits(&self, rank: Rank, chars: usize) -> bool {
        let (least, most) = self.bounds[rank as usize];
        least <= chars && chars <= most
    }
}

/// The prefilter of some rule groups; read-only once built, so shared by threads.
pub struct Prefilter {
    groups: Vec<Group>,
    /// Every literal of every group (None: there is none).
    searcher: Option<AhoCorasick>,
    /// Per pattern of `searcher`: the (group, rank) pairs it is a literal of.
    owners: Vec<Vec<(usize, Rank)>>,
    /// The (group, rank) pairs with an empty literal, which every line holds.
    held_by_all: Vec<(usize, Rank)>,
    any_phrases: bool,
    any_prefixes: bool,
}

impl Prefilter {
    /// Builds the prefilter of the groups. Cost: an Aho-Corasick automaton
    /// over all literals (milliseconds for the default rules' thousands).
    /// Fails on a rank beyond its group's bounds.
    pub fn new(specs: &[GroupSpec]) -> Result<Prefilter, BadRank> {
        let mut groups = Vec::with_capacity(specs.len());
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_of: HashMap<String, usize> = HashMap::new();
        let mut owners: Vec<Vec<(usize, Rank)>> = Vec::new();
        let mut held_by_all = Vec::new();
        for (g, spec) in specs.iter().enumerate() {
            let n = spec.bounds.len();
            let check = |r: Rank| if (r as usize) < n { Ok(r) } else { Err(BadRank(r)) };
            let mut group = Group {
                bounds: spec.bounds.iter().map(|&(a, b)| (a, b.unwrap_or(usize::MAX))).collect(),
                phrases: HashMap::with_capacity(spec.phrases.len()),
                prefixes: HashMap::with_capacity(spec.prefixes.len() * 2),
                needs_literal: vec![false; n],
                by_literal: vec![false; n],
                everywhere: spec.everywhere.iter().map(|&r| check(r)).collect::<Result<_, _>>()?,
            };
            for (phrase, ranks) in &spec.phrases {
                let ranks: Vec<Rank> = ranks.iter().map(|&r| check(r)).collect::<Result<_, _>>()?;
                group.phrases.entry(phrase.clone()).or_default().extend(ranks);
            }
            for (key, ranks) in &spec.prefixes {
                let ranks: Vec<Rank> = ranks.iter().map(|&r| check(r)).collect::<Result<_, _>>()?;
                group.prefixes.entry(key.clone()).or_default().ranks.extend(ranks);
                // every proper beginning of the key is a stem
                for (at, _) in key.char_indices().skip(1) {
                    group.prefixes.entry(key[..at].to_owned()).or_default().stem = true;
                }
            }
            let literal_sets = spec.prefix_literals.iter().map(|x| (x, false));
            for ((rank, literals), by_literal) in literal_sets.chain(spec.literal_rules.iter().map(|x| (x, true))) {
                let rank = check(*rank)?;
                if literals.is_empty() {
                    continue; // matching.py: no literals, no second test
                }
                if by_literal {
                    group.by_literal[rank as usize] = true;
                } else {
                    group.needs_literal[rank as usize] = true;
                }
                for literal in literals {
                    if literal.is_empty() {
                        held_by_all.push((g, rank));
                        continue;
                    }
                    let id = *pattern_of.entry(literal.clone()).or_insert_with(|| {
                        patterns.push(literal.clone());
                        owners.push(Vec::new());
                        patterns.len() - 1
                    });
                    owners[id].push((g, rank));
                }
            }
            groups.push(group);
        }
        let searcher = if patterns.is_empty() {
            None
        } else {
            // Standard semantics: the only kind that reports overlapping matches.
            let built = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&patterns);
            Some(built.expect("an automaton of a few thousand literals fits its limits"))
        };
        Ok(Prefilter {
            any_phrases: groups.iter().any(|g| !g.phrases.is_empty()),
            any_prefixes: groups
                .iter()
                .any(|g| !g.prefixes.is_empty() || !g.everywhere.is_empty()),
            groups,
            searcher,
            owners,
            held_by_all,
        })
    }

    /// The candidate pairs of each group (in the order of the specs) on a
    /// page's stripped lines. Cost: one fold and one automaton run over
    /// each line, its key and its head's key, a few hash lookups per line;
    /// no allocation per line beyond the output's growth.
    pub fn candidates(&self, lines: &[&str]) -> Vec<Found> {
        let mut found: Vec<Found> = self.groups.iter().map(|_| Found::default()).collect();
        // features.py makes a block's own line breaks spaces in every key
        // when some block of the page holds one.
        let inner_breaks = lines.iter().any(|s| s.contains('\n'));
        // Per group and rank: 1 + the last line found to hold its literal.
        let mut held: Vec<Vec<u32>> = self.groups.iter().map(|g| vec![0; g.bounds.len()]).collect();
        let mut literal_hits: Vec<Vec<Rank>> = vec![Vec::new(); self.groups.len()];
        let (mut folded, mut key, mut head) = (String::new(), String::new(), String::new());
        let mut ranks: Vec<Rank> = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let mark = i as u32 + 1;
            let chars = line.chars().count();
            literal_hits.iter_mut().for_each(Vec::clear);
            let mut hold = |g: usize, r: Rank| {
                if held[g][r as usize] != mark {
                    held[g][r as usize] = mark;
                    if self.groups[g].by_literal[r as usize] {
                        literal_hits[g].push(r);
                    }
                }
            };
            if let Some(searcher) = &self.searcher {
                folded.clear();
                pystr::fold_each(line, |c| folded.push(c));
                for m in searcher.find_overlapping_iter(folded.as_str()) {
                    for &(g, r) in &self.owners[m.pattern().as_usize()] {
                        hold(g, r);
                    }
                }
            }
            for &(g, r) in &self.held_by_all {
                hold(g, r);
            }
            if self.any_phrases {
                key.clear();
                measure::push_key(&mut key, line, inner_breaks);
            }
            if self.any_prefixes {
                head.clear();
                let end = line.char_indices().nth(KEY_CHARS + 2).map_or(line.len(), |(at, _)| at);
                pystr::push_prefix_key(&mut head, &line[..end]);
            }
            for (g, group) in self.groups.iter().enumerate() {
                let out = &mut found[g];
                if !group.phrases.is_empty() {
                    if let Some(named) = group.phrases.get(key.trim_matches(PHRASE_TRIM)) {
                        for &r in named.iter().filter(|&&r| group.fits(r, chars)) {
                            out.phrase.push(i, r);
                        }
                    }
                }
                if !group.prefixes.is_empty() {
                    ranks.clear();
                    admitted(group, &head, &mut ranks);
                    let held = &held[g];
                    for &r in &ranks {
                        if group.fits(r, chars) && (!group.needs_literal[r as usize] || held[r as usize] == mark) {
                            out.anchored.push(i, r);
                        }
                    }
                }
                for &r in group.everywhere.iter().filter(|&&r| group.fits(r, chars)) {
                    out.anchored.push(i, r);
                }
                let hits = &mut literal_hits[g];
                hits.sort_unstable();
                for &r in hits.iter().filter(|&&r| group.fits(r, chars)) {
                    out.literal.push(i, r);
                }
            }
        }
        found
    }
}

/// The ranks whose prefix keys `head` (a line head's prefix key) starts
/// with, sorted and once each: `RuleIndex.candidates`, which looks the head
/// up one character longer, up to KEY_CHARS, while the shorter head is a
/// stem of some key (an empty head is looked up as it is).
fn admitted(group: &Group, head: &str, ranks: &mut Vec<Rank>) {
    let mut ends = head
        .char_indices()
        .map(|(at, _)| at)
        .skip(1)
        .chain(std::iter::once(head.len()));
    for size in 1..=KEY_CHARS {
        let end = ends.next().unwrap_or(head.len());
        let Some(prefix) = group.prefixes.get(&head[..end]) else {
            break;
        };
        ranks.extend_from_slice(&prefix.ranks);
        if !prefix.stem || end == head.len() || size == KEY_CHARS {
            break;
        }
    }
    if ranks.len() > 1 {
        ranks.sort_unstable();
        ranks.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> GroupSpec {
        GroupSpec {
            bounds: vec![(0, None), (0, Some(10)), (0, None), (3, None), (0, None)],
            phrases: vec![("share this".into(), vec![0])],
            prefixes: vec![
                ("read m".into(), vec![1, 2]),
                ("re".into(), vec![2]),
                ("0 comm".into(), vec![3]),
            ],
            prefix_literals: vec![(2, vec!["more".into()])],
            literal_rules: vec![(4, vec!["©".into(), "cookie".into(), "ookies".into()])],
            everywhere: vec![],
        }
    }

    fn pairs(p: &Pairs) -> Vec<(u32, Rank)> {
        p.lines.iter().copied().zip(p.ranks.iter().copied()).collect()
    }

    #[test]
    fn phrases_are_whole_keys_without_their_marks() {
        let pf = Prefilter::new(&[spec()]).unwrap();
        let found = &pf.candidates(&["» Share  THIS:", "share this now", "Share\u{a0}this"])[0];
        assert_eq!(pairs(&found.phrase), [(0, 0), (2, 0)]);
    }

    #[test]
    fn prefixes_are_looked_up_while_they_are_stems() {
        let pf = Prefilter::new(&[spec()]).unwrap();
        let lines = [
            "READ MORE",
            "Read me",
            "Read me a story",
            "Rest more",
            "1 Comments",
            "x read more",
        ];
        let found = &pf.candidates(&lines)[0];
        // rank 1 fits 10 characters; rank 2 needs "more"; digits key as 0
        assert_eq!(pairs(&found.anchored), [(0, 1), (0, 2), (1, 1), (3, 2), (4, 3)]);
    }

    #[test]
    fn literals_are_found_folded_and_overlapping() {
        let pf = Prefilter::new(&[spec()]).unwrap();
        let found = &pf.candidates(&["We use COOKIES", "© 2024", "nothing"])[0];
        assert_eq!(pairs(&found.literal), [(0, 4), (1, 4)]);
    }

    #[test]
    fn a_bad_rank_is_refused() {
        let mut bad = spec();
        bad.everywhere = vec![9];
        assert_eq!(Prefilter::new(&[bad]).err(), Some(BadRank(9)));
    }
}
