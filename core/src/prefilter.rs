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
    prefixes: FxHashMap<String, Vec<Rank>>,
    /// The entries of `prefixes` of at most 7 bytes, by [`short_key`]: an
    /// integer to hash and compare, where a line's head meets most entries.
    short_prefixes: FxHashMap<u64, Vec<Rank>>,
    /// The ranks of the empty key, which only an empty head meets.
    empty_key: Vec<Rank>,
    /// Per rank: an indexed rule that must also hold one of its literals.
    needs_literal: Vec<bool>,
    /// Per rank: a literal rule.
    by_literal: Vec<bool>,
    everywhere: Vec<Rank>,
}

impl Group {
    /// The ranks of an entry of `prefixes`, if `stem` is one.
    fn stem(&self, stem: &str) -> Option<&Vec<Rank>> {
        match short_key(stem) {
            Some(key) => self.short_prefixes.get(&key),
            None => self.prefixes.get(stem),
        }
    }

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
    longest_phrase: usize,
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
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_of: HashMap<String, usize> = HashMap::new();
        let mut owners: Vec<Vec<(usize, Rank)>> = Vec::new();
        let mut held_by_all = Vec::new();
        for (g, spec) in specs.iter().enumerate() {
            let n = spec.bounds.len();
            let check = |r: Rank| if (r as usize) < n { Ok(r) } else { Err(BadRank(r)) };
            let mut group = Group {
                bounds: spec.bounds.iter().map(|&(a, b)| (a, b.unwrap_or(usize::MAX))).collect(),
                phrases: FxHashMap::default(),
                longest_phrase: spec.phrases.iter().map(|(p, _)| p.chars().count()).max().unwrap_or(0),
                prefixes: FxHashMap::default(),
                short_prefixes: FxHashMap::default(),
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
            for (key, ranks) in &spec.prefixes {
                let ranks: Vec<Rank> = ranks.iter().map(|&r| check(r)).collect::<Result<_, _>>()?;
                if key.is_empty() {
                    group.empty_key.extend(ranks);
                    continue;
                }
                keys.entry(key).or_default().extend(ranks);
                for (at, _) in key.char_indices().skip(1) {
                    group.prefixes.entry(key[..at].to_owned()).or_default();
                }
                group.prefixes.entry(key.clone()).or_default();
            }
            for (entry, ranks) in group.prefixes.iter_mut() {
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
            group.short_prefixes = group
                .prefixes
                .iter()
                .filter_map(|(entry, ranks)| Some((short_key(entry)?, ranks.clone())))
                .collect();
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
            // Standard semantics: the only kind that reports overlapping
            // matches; a DFA: the fastest per byte. The literals are folded,
            // so with ASCII case ignored an ASCII line is searched as it is.
            let built = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .ascii_case_insensitive(true)
                .build(&patterns);
            Some(built.expect("an automaton of a few thousand literals fits its limits"))
        };
        Ok(Prefilter {
            any_phrases: groups.iter().any(|g| !g.phrases.is_empty()),
            longest_phrase: groups.iter().map(|g| g.longest_phrase).max().unwrap_or(0),
            literal_lengths: literal_lengths(&groups),
            any_prefixes: groups
                .iter()
                .any(|g| !g.prefixes.is_empty() || !g.everywhere.is_empty()),
            groups,
            searcher,
            owners,
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
        let (mut folded, mut key, mut head) = (String::new(), Vec::new(), String::new());
        for (i, line) in lines.iter().enumerate() {
            let mark = i as u32 + 1;
            let chars = measured.map_or_else(|| line.chars().count(), |(chars, _)| chars[i]);
            if self.any_prefixes {
                head.clear();
                head_key(line, &mut head);
            }
            // The literals are searched only where a rule could use them: a
            // literal rule of this length, or an admitted rule needing one.
            let mut search = self.literal_lengths.0 <= chars && chars <= self.literal_lengths.1;
            for ((group, ranks), hits) in self.groups.iter().zip(&mut admits).zip(&mut literal_hits) {
                ranks.clear();
                hits.clear();
                if !group.prefixes.is_empty() {
                    admitted(group, &head, ranks);
                    ranks.retain(|&r| group.fits(r, chars));
                    search |= ranks.iter().any(|&r| group.needs_literal[r as usize]);
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
            if let (true, Some(searcher)) = (search, &self.searcher) {
                let haystack = if line.is_ascii() {
                    line // fold() of ASCII is its lower case, which the search ignores
                } else {
                    folded.clear();
                    pystr::fold_each(line, |c| folded.push(c));
                    folded.as_str()
                };
                for m in searcher.find_overlapping_iter(haystack) {
                    for &(g, r) in &self.owners[m.pattern().as_usize()] {
                        hold(g, r);
                    }
                }
            }
            for &(g, r) in &self.held_by_all {
                hold(g, r);
            }
            let phrase_like = self.any_phrases && self.trim.may_be_phrase(line, self.longest_phrase);
            let key = match measured {
                Some((_, keys)) => keys[i],
                None => {
                    key.clear();
                    if phrase_like {
                        measure::push_key(&mut key, line, inner_breaks);
                    }
                    // push_key pushes whole characters, so the key is UTF-8
                    std::str::from_utf8(&key).unwrap_or_default()
                }
            };
            for (g, group) in self.groups.iter().enumerate() {
                let out = &mut found[g];
                if phrase_like && !group.phrases.is_empty() {
                    if let Some(named) = group.phrases.get(key.trim_matches(|c| self.trim.holds(c))) {
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

/// A text of at most 7 bytes as one integer: its bytes, then its length in
/// the top byte (so that texts ending in NUL bytes differ); None if longer.
fn short_key(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() > 7 {
        return None;
    }
    let mut key = [0u8; 8];
    key[..b.len()].copy_from_slice(b);
    key[7] = b.len() as u8;
    Some(u64::from_le_bytes(key))
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
/// the ranks of each key met. Every beginning of an entry of `prefixes` is
/// one too, so the entries a head meets are its first 1..=m characters: m
/// is found by bisection and its entry holds what the loop gathers. An
/// empty head meets the empty key alone.
fn admitted(group: &Group, head: &str, ranks: &mut Vec<Rank>) {
    if head.is_empty() {
        ranks.extend_from_slice(&group.empty_key);
        return;
    }
    // ends[s]: the byte length of the head's first s characters
    let mut ends = [0usize; KEY_CHARS + 1];
    let mut size = 0;
    for (at, c) in head.char_indices().take(KEY_CHARS) {
        size += 1;
        ends[size] = at + c.len_utf8();
    }
    // sizes up to `known` are met (with `met`'s ranks), from `over` on not
    let (mut known, mut over, mut met) = (0, size + 1, None);
    while known + 1 < over {
        let mid = (known + over) / 2;
        match group.stem(&head[..ends[mid]]) {
            Some(entry) => (known, met) = (mid, Some(entry)),
            None => over = mid,
        }
    }
    if let Some(entry) = met {
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
    fn short_keys_differ_as_their_texts_do() {
        assert_ne!(short_key("a"), short_key("a\0"));
        assert_eq!(short_key("read mo"), short_key("read mo"));
        assert_eq!(short_key("read mor"), None);
        assert_eq!(short_key("").map(|k| k >> 56), Some(0));
    }

    #[test]
    fn a_bad_rank_is_refused() {
        let mut bad = spec();
        bad.everywhere = vec![9];
        assert_eq!(Prefilter::new(&[bad], TRIM).err(), Some(BadRank(9)));
    }
}
