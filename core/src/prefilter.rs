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

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap;

use crate::{measure, pystr};

mod heads;
use heads::Heads;

/// Prefixes are compared on their first KEY_CHARS characters (literals.py).
pub const KEY_CHARS: usize = 6;
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
    /// The pairs' lines (block indexes).
    pub lines: Vec<u32>,
    /// The pairs' rules, by rank.
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
    /// Phrase rules whose phrase is the line's phrase key.
    pub phrase: Pairs,
    /// Indexed rules the line's head admits, then the `everywhere` ones.
    pub anchored: Pairs,
    /// Literal rules one of whose literals the folded line holds.
    pub literal: Pairs,
}

/// A spec named a rank it has no bounds for.
#[derive(Debug, PartialEq, Eq)]
pub struct BadRank(pub Rank);

/// One group, ready to look up.
struct Group {
    /// Per rank: `(min_chars, max_chars or usize::MAX)`.
    bounds: Vec<(usize, usize)>,
    phrases: FxHashMap<String, Vec<Rank>>,
    /// The most characters a phrase has.
    longest_phrase: usize,
    /// Every prefix key and every proper beginning of one (a "stem"), with
    /// the ranks of all the keys it starts with, sorted and once each: what
    /// `RuleIndex.candidates` gathers on a head that long.
    heads: Heads,
    /// The ranks of the empty key, which only an empty head meets.
    empty_key: Vec<Rank>,
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
    /// Every literal of every group (None: there is none), searched in a
    /// line whose head admits a rule that needs one.
    all: Option<Literals>,
    /// The literals of the literal rules, whose owners are only those
    /// rules: searched over the page at once, since most lines need them
    /// (where most matches of `all` are of the rare prefixed rules').
    loose: Option<Literals>,
    /// The (group, rank) pairs with an empty literal, which every line holds.
    held_by_all: Vec<(usize, Rank)>,
    any_phrases: bool,
    longest_phrase: usize,
    /// The most bytes a phrase has.
    longest_phrase_bytes: usize,
    /// The fewest and the most characters any literal rule takes (a span
    /// holding no length when there is none): lines outside it are searched
    /// for literals only when an admitted indexed rule needs one.
    literal_lengths: (usize, usize),
    any_prefixes: bool,
    /// The marks around a phrase (normalise.py `PHRASE_TRIM`).
    trim: Trim,
}

impl Prefilter {
    /// Builds the prefilter of the groups, phrases stripped of the marks
    /// `phrase_trim` (normalise.py `PHRASE_TRIM`). Cost: an Aho-Corasick
    /// automaton over all literals (milliseconds for the default rules'
    /// thousands). Fails on a rank beyond its group's bounds.
    pub fn new(specs: &[GroupSpec], phrase_trim: &str) -> Result<Prefilter, BadRank> {
        let mut groups = Vec::with_capacity(specs.len());
        // every (literal, group, rank)
        let mut all: Vec<(&str, usize, Rank)> = Vec::new();
        let mut held_by_all = Vec::new();
        for (g, spec) in specs.iter().enumerate() {
            let n = spec.bounds.len();
            let check = |r: Rank| if (r as usize) < n { Ok(r) } else { Err(BadRank(r)) };
            let mut group = Group {
                bounds: spec.bounds.iter().map(|&(a, b)| (a, b.unwrap_or(usize::MAX))).collect(),
                phrases: FxHashMap::default(),
                longest_phrase: spec.phrases.iter().map(|(p, _)| p.chars().count()).max().unwrap_or(0),
                heads: Heads::default(),
                empty_key: Vec::new(),
                needs_literal: vec![false; n],
                by_literal: vec![false; n],
                everywhere: spec.everywhere.iter().map(|&r| check(r)).collect::<Result<_, _>>()?,
            };
            for (phrase, ranks) in &spec.phrases {
                let ranks: Vec<Rank> = ranks.iter().map(|&r| check(r)).collect::<Result<_, _>>()?;
                group.phrases.entry(phrase.clone()).or_default().extend(ranks);
            }
            let mut keys: FxHashMap<&str, Vec<Rank>> = FxHashMap::default();
            // every key and every proper beginning of one, with its ranks
            let mut prefixes: FxHashMap<&str, Vec<Rank>> = FxHashMap::default();
            for (key, ranks) in &spec.prefixes {
                let ranks: Vec<Rank> = ranks.iter().map(|&r| check(r)).collect::<Result<_, _>>()?;
                if key.is_empty() {
                    group.empty_key.extend(ranks);
                    continue;
                }
                keys.entry(key).or_default().extend(ranks);
                for (at, _) in key.char_indices().skip(1) {
                    prefixes.entry(&key[..at]).or_default();
                }
                prefixes.entry(key).or_default();
            }
            for (entry, ranks) in prefixes.iter_mut() {
                let ends = entry
                    .char_indices()
                    .map(|(at, _)| at)
                    .skip(1)
                    .chain(std::iter::once(entry.len()));
                for end in ends {
                    ranks.extend(keys.get(&entry[..end]).into_iter().flatten());
                }
                ranks.sort_unstable();
                ranks.dedup();
            }
            group.heads = Heads::new(prefixes.iter().map(|(&entry, ranks)| (entry, ranks)));
            group.empty_key.sort_unstable();
            group.empty_key.dedup();
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
                    all.push((literal, g, rank));
                }
            }
            groups.push(group);
        }
        // The literal rules' own searcher holds every literal of theirs
        // (of both lists, if a rule were in both).
        let loose = all.iter().filter(|&&(_, g, r)| groups[g].by_literal[r as usize]);
        let loose = Literals::new(loose.copied());
        let all = Literals::new(all.into_iter());
        Ok(Prefilter {
            any_phrases: groups.iter().any(|g| !g.phrases.is_empty()),
            longest_phrase: groups.iter().map(|g| g.longest_phrase).max().unwrap_or(0),
            longest_phrase_bytes: groups
                .iter()
                .flat_map(|g| g.phrases.keys().map(String::len))
                .max()
                .unwrap_or(0),
            literal_lengths: literal_lengths(&groups),
            any_prefixes: groups.iter().any(|g| !g.heads.is_empty() || !g.everywhere.is_empty()),
            groups,
            all,
            loose,
            held_by_all,
            trim: Trim::new(phrase_trim),
        })
    }

    /// The candidate pairs of each group (in the order of the specs) on a
    /// page's stripped lines. Cost: one fold and one automaton run over
    /// each line, its key and its head's key, a few hash lookups per line;
    /// no allocation per line beyond the output's growth.
    pub fn candidates(&self, lines: &[&str]) -> Vec<Found> {
        self.candidates_of(lines, None)
    }

    /// [`Prefilter::candidates`] of lines measured already: per line its
    /// characters and its key, as [`measure::measure`] gives them (which
    /// spares the prefilter keying the short lines again).
    ///
    /// # Panics
    /// Unless there is one count and one key per line.
    pub fn candidates_measured(&self, lines: &[&str], chars: &[usize], keys: &[&str]) -> Vec<Found> {
        assert!(
            chars.len() == lines.len() && keys.len() == lines.len(),
            "one count and one key per line"
        );
        self.candidates_of(lines, Some((chars, keys)))
    }

    fn candidates_of(&self, lines: &[&str], measured: Option<(&[usize], &[&str])>) -> Vec<Found> {
        let mut found: Vec<Found> = self.groups.iter().map(|_| Found::default()).collect();
        // features.py makes a block's own line breaks spaces in every key
        // when some block of the page holds one.
        let inner_breaks = measured.is_none() && lines.iter().any(|s| s.contains('\n'));
        // Per group and rank: 1 + the last line found to hold its literal.
        let mut held: Vec<Vec<u32>> = self.groups.iter().map(|g| vec![0; g.bounds.len()]).collect();
        let mut literal_hits: Vec<Vec<Rank>> = vec![Vec::new(); self.groups.len()];
        // Per group: the ranks the line's head admits.
        let mut admits: Vec<Vec<Rank>> = vec![Vec::new(); self.groups.len()];
        let (mut key, mut head, mut folded) = (Vec::new(), String::new(), String::new());
        let counted: Vec<usize>;
        let chars = match measured {
            Some((chars, _)) => chars,
            None => {
                counted = lines.iter().map(|s| s.chars().count()).collect();
                &counted
            }
        };
        // The literals are searched only where a rule could use them: the
        // literal rules' on the lines of their lengths, all of them on a
        // line whose head admits a rule needing one.
        let (least, most) = self.literal_lengths;
        let fit = |i: usize| least <= chars[i] && chars[i] <= most;
        let holdings = self
            .loose
            .as_ref()
            .map_or_else(Vec::new, |l| holdings(&l.searcher, lines, fit));
        let mut next = 0; // the first of the holdings of the line
        for (i, line) in lines.iter().enumerate() {
            let mark = i as u32 + 1;
            let chars = chars[i];
            if self.any_prefixes {
                head.clear();
                head_key(line, &mut head);
            }
            let mut search_all = false;
            for ((group, ranks), hits) in self.groups.iter().zip(&mut admits).zip(&mut literal_hits) {
                ranks.clear();
                hits.clear();
                if !group.heads.is_empty() {
                    admitted(group, &head, ranks);
                    ranks.retain(|&r| group.fits(r, chars));
                    search_all |= ranks.iter().any(|&r| group.needs_literal[r as usize]);
                }
            }
            let mut hold = |g: usize, r: Rank| {
                if held[g][r as usize] != mark {
                    held[g][r as usize] = mark;
                    if self.groups[g].by_literal[r as usize] {
                        literal_hits[g].push(r);
                    }
                }
            };
            let first = next;
            while next < holdings.len() && holdings[next].0 as usize == i {
                next += 1;
            }
            match (search_all, &self.all) {
                (true, Some(all)) => {
                    // every literal: a superset of the holdings' owners
                    for pattern in all.search(line, &mut folded) {
                        for &(g, r) in &all.owners[pattern] {
                            hold(g, r);
                        }
                    }
                }
                _ => {
                    for &(_, pattern) in &holdings[first..next] {
                        for &(g, r) in self.loose.iter().flat_map(|l| &l.owners[pattern as usize]) {
                            hold(g, r);
                        }
                    }
                }
            }
            for &(g, r) in &self.held_by_all {
                hold(g, r);
            }
            let (key, may_be_phrase) = match measured {
                Some((_, keys)) => (keys[i], self.any_phrases),
                None => {
                    key.clear();
                    let may = self.any_phrases && self.trim.may_be_phrase(line, self.longest_phrase);
                    if may {
                        measure::push_key(&mut key, line, inner_breaks);
                    }
                    // push_key pushes whole characters, so the key is UTF-8
                    (std::str::from_utf8(&key).unwrap_or_default(), may)
                }
            };
            // The key phrases are looked up by, trimmed once for every group:
            // one longer than every phrase is none of them. (Its marks are at
            // its ends: a step or two, where counting the line's characters,
            // as may_be_phrase does before a key is made, takes up to
            // longest_phrase.)
            let phrase_key = if may_be_phrase {
                key.trim_matches(|c| self.trim.holds(c))
            } else {
                ""
            };
            let phrase_like = may_be_phrase && phrase_key.len() <= self.longest_phrase_bytes;
            for (g, group) in self.groups.iter().enumerate() {
                let out = &mut found[g];
                if phrase_like && !group.phrases.is_empty() {
                    if let Some(named) = group.phrases.get(phrase_key) {
                        for &r in named.iter().filter(|&&r| group.fits(r, chars)) {
                            out.phrase.push(i, r);
                        }
                    }
                }
                let held = &held[g];
                for &r in &admits[g] {
                    if !group.needs_literal[r as usize] || held[r as usize] == mark {
                        out.anchored.push(i, r);
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

/// Some literals in one automaton, each with the (group, rank) pairs it
/// is a literal of.
struct Literals {
    searcher: AhoCorasick,
    owners: Vec<Vec<(usize, Rank)>>,
}

impl Literals {
    /// The automaton of the (literal, group, rank) triples; None if there is none.
    fn new<'a>(triples: impl Iterator<Item = (&'a str, usize, Rank)>) -> Option<Literals> {
        let mut patterns: Vec<&str> = Vec::new();
        let mut pattern_of: HashMap<&str, usize> = HashMap::new();
        let mut owners: Vec<Vec<(usize, Rank)>> = Vec::new();
        for (literal, g, rank) in triples {
            let id = *pattern_of.entry(literal).or_insert_with(|| {
                patterns.push(literal);
                owners.push(Vec::new());
                patterns.len() - 1
            });
            owners[id].push((g, rank));
        }
        if patterns.is_empty() {
            return None;
        }
        // Standard semantics: the only kind that reports overlapping
        // matches; a DFA: the fastest per byte. The literals are folded,
        // so with ASCII case ignored an ASCII line is searched as it is.
        let built = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(&patterns);
        let searcher = built.expect("an automaton of a few thousand literals fits its limits");
        Some(Literals { searcher, owners })
    }

    /// The patterns `line` holds once folded (`folded` a buffer for it),
    /// once per place.
    fn search<'a>(&'a self, line: &'a str, folded: &'a mut String) -> impl Iterator<Item = usize> + 'a {
        let haystack = if line.is_ascii() {
            line // fold() of ASCII is its lower case, which the search ignores
        } else {
            folded.clear();
            push_folded(folded, line);
            folded.as_str()
        };
        self.searcher
            .find_overlapping_iter(haystack)
            .map(|m| m.pattern().as_usize())
    }
}

/// The (line, pattern) pairs where a folded line holds a literal, for the
/// lines `pick` picks, by line and once per place: one overlapping search
/// over the picked lines folded and joined by "\n", each match kept if it
/// lies within one line. A search of each line finds those very matches
/// (overlapping search reports every place of every literal, whatever
/// precedes it), at ~150 ns more per line.
fn holdings(searcher: &AhoCorasick, lines: &[&str], pick: impl Fn(usize) -> bool) -> Vec<(u32, u32)> {
    let mut haystack = String::with_capacity(lines.iter().map(|s| s.len() + 1).sum());
    // per picked line: its number and its end in the haystack
    let (mut picked, mut ends) = (Vec::new(), Vec::new());
    for (i, line) in lines.iter().enumerate().filter(|&(i, _)| pick(i)) {
        picked.push(i as u32);
        push_folded(&mut haystack, line);
        ends.push(haystack.len());
        haystack.push('\n');
    }
    let mut out = Vec::new();
    // The matches come by their ends, ascending: a cursor finds the line
    // whose end is the first at or after a match's end.
    let mut line = 0;
    for m in searcher.find_overlapping_iter(&haystack) {
        while line < ends.len() && ends[line] < m.end() {
            line += 1;
        }
        if line == ends.len() {
            break; // a literal holding the last "\n"
        }
        let start = if line == 0 { 0 } else { ends[line - 1] + 1 };
        if start <= m.start() {
            out.push((picked[line], m.pattern().as_u32()));
        }
    }
    out
}

/// Appends `line` folded for the literal search: its ASCII runs as they
/// are (fold() of ASCII is its lower case, which the search ignores), each
/// other character by `pystr::fold_each` (folding has no context, so a
/// character folds the same alone). Most lines are ASCII but for a few
/// quotes or dashes: their runs are copied at once.
fn push_folded(out: &mut String, line: &str) {
    let mut rest = line;
    while !rest.is_empty() {
        let ascii = measure::ascii_len(rest.as_bytes());
        out.push_str(&rest[..ascii]);
        rest = &rest[ascii..];
        if let Some(c) = rest.chars().next() {
            let (one, after) = rest.split_at(c.len_utf8());
            pystr::fold_each(one, |f| out.push(f));
            rest = after;
        }
    }
}

/// The fewest `min_chars` and the most `max_chars` of the groups' literal
/// rules; (1, 0), which holds no length, when there is none.
fn literal_lengths(groups: &[Group]) -> (usize, usize) {
    let bounds = groups.iter().flat_map(|g| {
        g.bounds
            .iter()
            .zip(&g.by_literal)
            .filter(|(_, &by_literal)| by_literal)
            .map(|(&b, _)| b)
    });
    bounds.fold((1, 0), |(least, most), (a, b)| {
        if least > most {
            (a, b)
        } else {
            (least.min(a), most.max(b))
        }
    })
}

/// The marks around a phrase (normalise.py `PHRASE_TRIM`), with tables of
/// the ASCII ones.
struct Trim {
    marks: Vec<char>,
    /// The ASCII characters of the marks.
    ascii: [bool; 128],
    /// The ASCII characters a phrase key may drop: white space and the marks.
    ascii_dropped: [bool; 128],
}

impl Trim {
    fn new(marks: &str) -> Trim {
        let mut ascii = [false; 128];
        for c in marks.chars().filter(char::is_ascii) {
            ascii[c as usize] = true;
        }
        let mut ascii_dropped = ascii;
        for (c, dropped) in ascii_dropped.iter_mut().enumerate() {
            *dropped |= matches!(c as u8, b'\t'..=b'\r' | 0x1c..=0x1f | b' ');
        }
        Trim {
            marks: marks.chars().collect(),
            ascii,
            ascii_dropped,
        }
    }

    /// Whether `c` is one of the marks.
    fn holds(&self, c: char) -> bool {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.marks.contains(&c)
        }
    }

    /// Whether a line's phrase key (its key without the marks around it)
    /// could have at most `longest` characters: lowering never shortens a
    /// character, and the key drops or merges only white space and, at its
    /// ends, the marks; so every other character of the line is in it.
    /// Stops counting early, which spares most lines (prose) their key.
    fn may_be_phrase(&self, line: &str, longest: usize) -> bool {
        let mut kept = 0;
        for c in line.chars() {
            let dropped = if c.is_ascii() {
                self.ascii_dropped[c as usize]
            } else {
                pystr::is_space(c) || self.holds(c)
            };
            kept += usize::from(!dropped);
            if kept > longest {
                return false;
            }
        }
        true
    }
}

/// Appends the prefix key of the line's first KEY_CHARS + 2 characters
/// (`prefix_key(line[:KEY_CHARS + 2])`), the head `RuleIndex.candidates`
/// looks up; an ASCII head is keyed byte by byte.
fn head_key(line: &str, out: &mut String) {
    let bytes = &line.as_bytes()[..line.len().min(KEY_CHARS + 2)];
    if !bytes.is_ascii() {
        let end = line.char_indices().nth(KEY_CHARS + 2).map_or(line.len(), |(at, _)| at);
        return pystr::push_prefix_key(out, &line[..end]);
    }
    let mut space = false;
    for &b in bytes {
        // ASCII's isdecimal, isspace and casefold
        let c = match b {
            b'0'..=b'9' => b'0',
            b'\t'..=b'\r' | 0x1c..=0x1f | b' ' => b' ',
            _ => b.to_ascii_lowercase(),
        };
        if !(c == b' ' && space) {
            out.push(char::from(c));
        }
        space = c == b' ';
    }
}

/// The ranks whose prefix keys `head` (a line head's prefix key) starts
/// with, sorted and once each: `RuleIndex.candidates`, which looks the head
/// up one character longer, up to KEY_CHARS, while it is a stem, gathering
/// the ranks of each key met. Every beginning of an entry of the trie is
/// one too, so the entries a head meets are its first 1..=m characters,
/// and the entry of the largest m holds what the loop gathers. An empty
/// head meets the empty key alone.
fn admitted(group: &Group, head: &str, ranks: &mut Vec<Rank>) {
    if head.is_empty() {
        ranks.extend_from_slice(&group.empty_key);
    } else if let Some(entry) = group.heads.longest(head, KEY_CHARS) {
        ranks.extend_from_slice(entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// normalise.py's PHRASE_TRIM.
    const TRIM: &str = " :：*…»«›‹|-–—•·.!?()[]<>/\\";

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
        let pf = Prefilter::new(&[spec()], TRIM).unwrap();
        let lines = ["» Share  THIS:", "share this now", "Share\u{a0}this", "Share this："];
        let found = &pf.candidates(&lines)[0];
        assert_eq!(pairs(&found.phrase), [(0, 0), (2, 0), (3, 0)]);
    }

    #[test]
    fn prefixes_are_looked_up_while_they_are_stems() {
        let pf = Prefilter::new(&[spec()], TRIM).unwrap();
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
        let pf = Prefilter::new(&[spec()], TRIM).unwrap();
        let found = &pf.candidates(&["We use COOKIES", "© 2024", "nothing"])[0];
        assert_eq!(pairs(&found.literal), [(0, 4), (1, 4)]);
    }

    #[test]
    fn ascii_fast_paths_agree_with_the_general_ones() {
        for line in [
            "Read  MORE now",
            "\x1cA\t 9x",
            "ab",
            "",
            "Ünï 12345",
            "12345678\u{e9}",
            "a\r\n b",
        ] {
            let mut fast = String::new();
            head_key(line, &mut fast);
            let end = line.char_indices().nth(KEY_CHARS + 2).map_or(line.len(), |(at, _)| at);
            assert_eq!(fast, pystr::prefix_key(&line[..end]), "{line:?}");
            let kept = line
                .chars()
                .filter(|&c| !(pystr::is_space(c) || TRIM.contains(c)))
                .count();
            let trim = Trim::new(TRIM);
            for longest in 0..12 {
                assert_eq!(trim.may_be_phrase(line, longest), kept <= longest, "{line:?} {longest}");
            }
        }
    }

    #[test]
    fn measured_lines_have_the_candidates_of_lines() {
        let pf = Prefilter::new(&[spec(), spec()], TRIM).unwrap();
        let lines = [
            "» Share  THIS:",
            "READ MORE",
            "",
            "We use COOKIES",
            "1 Comments",
            "Share\u{a0}this",
            "  © 2024 Read me ",
        ];
        let page = lines.join("\n");
        let pairs: Vec<String> = lines.chunks(2).map(|c| c.join("\n")).collect();
        let lengths: Vec<usize> = pairs.iter().map(|b| b.chars().count()).collect();
        for lengths in [None, Some(&lengths[..])] {
            let page = page.as_str();
            let m = measure::measure(page, lengths, &measure::tests::SETTINGS, None).unwrap();
            let lines: Vec<&str> = m.stripped.iter().map(|&(a, b)| &page[a..b]).collect();
            let keys: Vec<&str> = m.keys.iter().map(|&(a, b)| &m.key_text[a..b]).collect();
            assert_eq!(pf.candidates_measured(&lines, &m.chars, &keys), pf.candidates(&lines));
        }
    }

    #[test]
    fn folded_runs_search_as_the_folded_line() {
        let chars = ["a", "B", "ß", "É", "\u{130}", "\u{307}", "Σ", " ", "ﬁ"];
        let lines = crate::measure::tests::lines_of(&chars, 3);
        for line in &lines {
            let mut out = String::new();
            push_folded(&mut out, line);
            assert_eq!(
                out.to_ascii_lowercase(),
                pystr::fold(line).to_ascii_lowercase(),
                "{line:?}"
            );
        }
    }

    /// [`holdings`] line by line, as the prefilter searched before: its
    /// reference, sorted (the order within a line does not matter).
    fn holdings_by_line(searcher: &AhoCorasick, lines: &[&str], pick: fn(usize) -> bool) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for (i, line) in lines.iter().enumerate().filter(|&(i, _)| pick(i)) {
            let folded = pystr::fold(line);
            out.extend(
                searcher
                    .find_overlapping_iter(&folded)
                    .map(|m| (i as u32, m.pattern().as_u32())),
            );
        }
        out.sort_unstable();
        out
    }

    /// [`holdings`], checked to come by line, sorted.
    fn holdings_sorted(searcher: &AhoCorasick, lines: &[&str], pick: fn(usize) -> bool) -> Vec<(u32, u32)> {
        let mut found = holdings(searcher, lines, pick);
        assert!(found.windows(2).all(|w| w[0].0 <= w[1].0), "by line: {lines:?}");
        found.sort_unstable();
        found
    }

    #[test]
    fn holdings_of_the_page_are_those_of_each_line() {
        let literals = ["cookie", "ookies", "ss", "a\nb", "b", "é", "ab", "ba", "σ"];
        let searcher = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(literals)
            .unwrap();
        let chars = ["a", "B", "\n", "ß", "É", "Σ", "ς", "cOOkies", " "];
        let lines = crate::measure::tests::lines_of(&chars, 3);
        // pages of a few lines each, every line in some page's every place
        for (k, window) in lines.windows(3).enumerate().step_by(2) {
            let page: Vec<&str> = window.iter().map(String::as_str).collect();
            for pick in [|_| true, |i| i != 1] {
                let (found, by_line) = (
                    holdings_sorted(&searcher, &page, pick),
                    holdings_by_line(&searcher, &page, pick),
                );
                assert_eq!(found, by_line, "{k} {page:?}");
            }
        }
        let all: Vec<&str> = lines.iter().map(String::as_str).collect();
        for pick in [|_| true, |i| i % 3 != 1] {
            assert_eq!(
                holdings_sorted(&searcher, &all, pick),
                holdings_by_line(&searcher, &all, pick)
            );
        }
    }

    /// `RuleIndex.candidates` as matching.py runs it, on a head's prefix
    /// key: the reference of [`admitted`]'s trie.
    fn candidates_by_loop(spec: &GroupSpec, head: &str) -> Vec<Rank> {
        let prefix = |s: &str, n: usize| s.chars().take(n).collect::<String>();
        let is_stem = |key: &str| {
            spec.prefixes.iter().any(|(k, _)| {
                let n = key.chars().count();
                k.chars().count() > n && prefix(k, n) == key
            })
        };
        let mut found = Vec::new();
        for size in 1..=KEY_CHARS {
            let key = prefix(head, size);
            for (k, ranks) in &spec.prefixes {
                if *k == key {
                    found.extend(ranks);
                }
            }
            if !is_stem(&key) || size == head.chars().count() {
                break;
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    #[test]
    fn heads_meet_the_keys_the_loop_gathers() {
        let keys = [
            "re", "read m", "read", "rédigé", "ré", "r", "0 comm", "0 c", "漢字", "漢字ab", "ab cd", "abcdefgh",
        ];
        let spec = GroupSpec {
            bounds: vec![(0, None); keys.len()],
            prefixes: keys
                .iter()
                .enumerate()
                .map(|(r, k)| (k.to_string(), vec![r as Rank]))
                .collect(),
            ..GroupSpec::default()
        };
        let pf = Prefilter::new(std::slice::from_ref(&spec), TRIM).unwrap();
        let chars = ["r", "e", "a", "d", " ", "m", "é", "漢", "字", "0", "c", "b", "x"];
        let mut heads = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = heads
                .iter()
                .flat_map(|l| chars.iter().map(move |c| format!("{l}{c}")))
                .collect();
            heads.extend(longer);
        }
        heads.extend(keys.iter().map(|k| format!("{k}zz")));
        let mut ranks = Vec::new();
        for head in heads.iter().filter(|h| !h.is_empty()) {
            ranks.clear();
            admitted(&pf.groups[0], head, &mut ranks);
            assert_eq!(ranks, candidates_by_loop(&spec, head), "{head:?}");
        }
    }

    #[test]
    fn a_bad_rank_is_refused() {
        let mut bad = spec();
        bad.everywhere = vec![9];
        assert_eq!(Prefilter::new(&[bad], TRIM).err(), Some(BadRank(9)));
    }
}
