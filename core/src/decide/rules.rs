//! The rules' hits and what they do (decide.py `apply_rules`, rulefile.py
//! `may_act`, verdicts.py `protect_reasons`).
//!
//! The hits come eagerly: every (line, rule) pair whose pattern matches, in
//! the order `RuleSet.match` reports them. Only the order of the hits on
//! one block matters to the decision (the first drop rule of a block names
//! it; the first protect rule protects it; a drop-to-end range starts at
//! the first block with one, named by that block's first), and matching
//! fewer lines or with bounds keeps that order, so the lazy loop is
//! simulated by reading a block's drop hits only once it is tried.

/// What a rule does (rulefile.py ACTIONS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Drop,
    DropToEnd,
    DropBefore,
    Protect,
}

/// Where a rule may act (a rule's `where`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Where {
    Anywhere,
    Top,
    Bottom,
    Edges,
    AfterBody,
}

/// One rule of the RuleSet, as the decision reads it.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub action: Action,
    pub place: Where,
    /// Its id is one of `[signals.thread]` count_rules.
    pub counts: bool,
    /// Matched in one pass over the joined lines (matching.py
    /// `_match_floating`): its timeouts are reported on every line of the
    /// call, whatever its own `where`.
    pub floating: bool,
}

impl Rule {
    /// Whether it shapes the page beyond its own block (tried on every block).
    pub fn shapes(&self) -> bool {
        self.action != Action::Drop
    }
}

/// rulefile.py `may_act`.
pub fn may_act(place: Where, i: i64, (first, last, begun): (i64, i64, i64)) -> bool {
    match place {
        Where::Anywhere => true,
        Where::Top => i <= first,
        Where::Bottom => i >= last,
        Where::Edges => i <= first || i >= last,
        Where::AfterBody => i > begun,
    }
}

/// matching.py `where_any`: whether one of the `where`s of the rules of a
/// group (`shapes`: the shaping or the dropping group) lets a rule act on
/// block i, so that the group's call tries it.
pub fn group_may_act(rules: &[Rule], shapes: bool, i: i64, bounds: (i64, i64, i64)) -> bool {
    rules
        .iter()
        .filter(|r| r.shapes() == shapes)
        .any(|r| may_act(r.place, i, bounds))
}

/// Whether the Python loop's call with these bounds, trying block i, would
/// search rule r there (and so report its timeout).
pub fn searched(rules: &[Rule], r: u32, i: usize, bounds: (i64, i64, i64)) -> bool {
    let rule = &rules[r as usize];
    if rule.floating {
        group_may_act(rules, rule.shapes(), i as i64, bounds)
    } else {
        may_act(rule.place, i as i64, bounds)
    }
}

/// Per block, the rules that hit it, in report order; and the pairs whose
/// search timed out, in report order (rule, block).
#[derive(Clone, Debug, Default)]
pub struct Hits {
    offsets: Vec<usize>,
    rules: Vec<u32>,
    pub timeouts: Vec<(u32, usize)>,
    /// Per block, its number on the whole page (a subset's blocks are some of its).
    origin: Vec<usize>,
}

impl Hits {
    /// From the pairs (block, rule) in report order, for a page of n blocks.
    /// Returns None when a block is out of range.
    pub fn new(n: usize, pairs: &[(usize, u32)], timeouts: Vec<(u32, usize)>) -> Option<Self> {
        let mut offsets = vec![0usize; n + 1];
        for &(block, _) in pairs {
            *offsets.get_mut(block + 1)? += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut rules = vec![0u32; pairs.len()];
        for &(block, rule) in pairs {
            rules[fill[block]] = rule;
            fill[block] += 1;
        }
        if timeouts.iter().any(|&(_, b)| b >= n) {
            return None;
        }
        Some(Self {
            offsets,
            rules,
            timeouts,
            origin: (0..n).collect(),
        })
    }

    /// Per block, its number on the whole page.
    pub fn origin(&self) -> &[usize] {
        &self.origin
    }

    /// The rules hitting block i, in order.
    pub fn of(&self, i: usize) -> &[u32] {
        &self.rules[self.offsets[i]..self.offsets[i + 1]]
    }

    /// The hits of the blocks `indexes` (ascending), numbered as in the list.
    pub fn subset(&self, indexes: &[usize]) -> Self {
        let mut position = vec![usize::MAX; self.offsets.len() - 1];
        let mut offsets = Vec::with_capacity(indexes.len() + 1);
        let mut rules = Vec::new();
        offsets.push(0);
        for (new, &old) in indexes.iter().enumerate() {
            position[old] = new;
            rules.extend_from_slice(self.of(old));
            offsets.push(rules.len());
        }
        let timeouts = self
            .timeouts
            .iter()
            .filter(|&&(_, b)| position[b] != usize::MAX)
            .map(|&(r, b)| (r, position[b]))
            .collect();
        Self {
            offsets,
            rules,
            timeouts,
            origin: indexes.iter().map(|&old| self.origin[old]).collect(),
        }
    }
}

/// A candidate pair whose search waits until the lazy loop needs it: a
/// plain drop rule (not floating) on a block of the page. `kind` is the
/// candidate's kind (0 phrase, 1 indexed, 2 literal), `rank` its rule's
/// number in its group, for the caller's confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    pub block: usize,
    pub kind: u8,
    pub rule: u32,
    pub rank: u32,
    state: State,
}

impl Pair {
    /// A pair not searched yet.
    pub fn new(block: usize, kind: u8, rule: u32, rank: u32) -> Self {
        Self {
            block,
            kind,
            rule,
            rank,
            state: State::Unknown,
        }
    }
}

/// What a pair's search gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Unknown,
    Miss,
    Hit,
    TimedOut,
}

/// What searches the pairs asked for: per pair 0 no match, 1 a match, 2
/// the search timed out. Called with the GIL taken again, so each call
/// asks for every pair one lazy step needs.
pub type Ask<'a> = dyn FnMut(&[Pair]) -> Vec<u8> + 'a;

/// The page's late pairs (page numbering), searched only where the
/// simulated lazy loop would search them: on a block it tries, where the
/// rule's `where` lets it act. Their hits come in report order after a
/// block's shaping hits and before its floating drop hits (RuleSet.match
/// runs the shaping group first, a group's floating rules last).
#[derive(Clone, Debug, Default)]
pub struct Late {
    /// Per page block, where its pairs start in `pairs`; one more at the end.
    starts: Vec<usize>,
    /// By block, then in report order (kind, then the group's order).
    pairs: Vec<Pair>,
}

impl Late {
    /// No late pairs on a page of n blocks: every hit is eager.
    pub fn none(n: usize) -> Self {
        Self {
            starts: vec![0; n + 1],
            pairs: Vec::new(),
        }
    }

    /// The pairs of a page of n blocks, given by kind, then block, then the
    /// group's order (as the prefilter lists them). None for a block out of
    /// range.
    pub fn new(n: usize, mut pairs: Vec<Pair>) -> Option<Self> {
        if pairs.iter().any(|p| p.block >= n) {
            return None;
        }
        pairs.sort_by_key(|p| p.block); // stable: each block's keep their order
        let mut starts = vec![0; n + 1];
        for p in &pairs {
            starts[p.block + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        Some(Self { starts, pairs })
    }

    fn range(&self, block: usize) -> std::ops::Range<usize> {
        self.starts[block]..self.starts[block + 1]
    }

    /// Searches, in one call of `ask`, the pairs never searched on the
    /// blocks `blocks` of a round (`origin`: their page numbers) that
    /// `acts(rule, block)` lets act, in the order the Python call searches
    /// them (by kind, then block).
    pub fn ensure(&mut self, blocks: &[usize], origin: &[usize], acts: &dyn Fn(u32, usize) -> bool, ask: &mut Ask<'_>) {
        let mut todo = Vec::new();
        for kind in 0..3 {
            for &j in blocks {
                for k in self.range(origin[j]) {
                    let p = &self.pairs[k];
                    if p.kind == kind && p.state == State::Unknown && acts(p.rule, j) {
                        todo.push(k);
                    }
                }
            }
        }
        if todo.is_empty() {
            return;
        }
        let asked: Vec<Pair> = todo.iter().map(|&k| self.pairs[k]).collect();
        for (&k, outcome) in todo.iter().zip(ask(&asked)) {
            self.pairs[k].state = match outcome {
                1 => State::Hit,
                2 => State::TimedOut,
                _ => State::Miss,
            };
        }
    }

    /// The rules of the page block's late pairs that matched, in report order.
    pub fn hits(&self, block: usize) -> impl Iterator<Item = u32> + '_ {
        self.pairs[self.range(block)]
            .iter()
            .filter(|p| p.state == State::Hit)
            .map(|p| p.rule)
    }

    /// The (rule, block) pairs of the round's `blocks` whose search timed
    /// out and that `acts` lets act, in the Python call's report order (by
    /// kind, then block).
    pub fn timeouts(&self, blocks: &[usize], origin: &[usize], acts: &dyn Fn(u32, usize) -> bool) -> Vec<(u32, usize)> {
        let mut out = Vec::new();
        for kind in 0..3 {
            for &j in blocks {
                for p in &self.pairs[self.range(origin[j])] {
                    if p.kind == kind && p.state == State::TimedOut && acts(p.rule, j) {
                        out.push((p.rule, j));
                    }
                }
            }
        }
        out
    }
}

/// The hits one round reads: those whose `where` lets them act, given the
/// first pass's bounds, and a drop rule's only on a tried block.
#[derive(Clone, Copy)]
pub struct Reach<'h> {
    pub hits: &'h Hits,
    /// The late pairs' hits, searched on every tried block where they act.
    pub late: &'h Late,
    pub rules: &'h [Rule],
    pub bounds: (i64, i64, i64),
    /// Per block whether its drop rules were tried (None: all were).
    pub tried: Option<&'h [bool]>,
}

impl Reach<'_> {
    /// The rules that act on block i, in order.
    pub fn on(&self, i: usize) -> impl Iterator<Item = (u32, &Rule)> + '_ {
        let tried = self.tried.map_or(true, |t| t[i]);
        let eager = self.hits.of(i);
        // the late hits go after the shaping ones (report order)
        let split = eager
            .iter()
            .position(|&r| !self.rules[r as usize].shapes())
            .unwrap_or(eager.len());
        let late = self.late.hits(self.hits.origin[i]);
        eager[..split]
            .iter()
            .copied()
            .chain(late)
            .chain(eager[split..].iter().copied())
            .filter_map(move |r| {
                let rule = &self.rules[r as usize];
                (may_act(rule.place, i as i64, self.bounds) && (tried || rule.shapes())).then_some((r, rule))
            })
    }
}

/// What the rules do to each block (decide.py `apply_rules`, with
/// verdicts.py `protect_reasons`): the rule dropping it, the range rule
/// covering it, and the protect rule keeping it.
#[derive(Clone, Debug)]
pub struct Applied {
    pub drop: Vec<Option<u32>>,
    pub in_range: Vec<Option<u32>>,
    pub protect: Vec<Option<u32>>,
}

/// decide.py `apply_rules` over the hits `reach` lets act.
pub fn apply_rules(n: usize, reach: &Reach<'_>) -> Applied {
    let mut drop: Vec<Option<u32>> = vec![None; n];
    let mut in_range: Vec<Option<u32>> = vec![None; n];
    let mut protect: Vec<Option<u32>> = vec![None; n];
    let mut cut_end: Option<(usize, u32)> = None;
    let mut cut_start: Option<(usize, u32)> = None;
    for i in 0..n {
        for (r, rule) in reach.on(i) {
            match rule.action {
                Action::Protect => {
                    protect[i] = protect[i].or(Some(r));
                }
                Action::DropToEnd => {
                    if cut_end.map_or(true, |(at, _)| i < at) {
                        cut_end = Some((i, r));
                    }
                }
                Action::DropBefore => {
                    if cut_start.map_or(true, |(at, _)| i > at) {
                        cut_start = Some((i, r));
                    }
                }
                Action::Drop => {
                    drop[i] = drop[i].or(Some(r));
                }
            }
        }
    }
    if let Some((at, r)) = cut_end {
        drop[at] = drop[at].or(Some(r));
        in_range[at..].fill(Some(r));
    }
    if let Some((at, r)) = cut_start {
        drop[at] = drop[at].or(Some(r));
        for slot in &mut in_range[..=at] {
            *slot = slot.or(Some(r));
        }
    }
    for i in 0..n {
        if protect[i].is_some() {
            drop[i] = None;
            in_range[i] = None;
        }
    }
    Applied {
        drop,
        in_range,
        protect,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn rule(action: Action, place: Where) -> Rule {
        Rule {
            action,
            place,
            counts: false,
            floating: false,
        }
    }

    const RULES: [Rule; 5] = [
        rule(Action::Drop, Where::Anywhere),
        rule(Action::Drop, Where::Top),
        rule(Action::DropToEnd, Where::Anywhere),
        rule(Action::Protect, Where::Anywhere),
        rule(Action::DropBefore, Where::Anywhere),
    ];

    #[test]
    fn a_blocks_first_hit_names_it_and_ranges_start_at_the_first_block() {
        // block 1: drops 1 then 0; drop-to-end on blocks 4 and 3: the earlier block wins
        let hits = Hits::new(6, &[(4, 2), (1, 1), (1, 0), (3, 2), (5, 3), (0, 4)], vec![]).unwrap();
        let none = Late::none(hits.origin().len());
        let reach = Reach {
            hits: &hits,
            late: &none,
            rules: &RULES,
            bounds: (2, 4, 0),
            tried: None,
        };
        let a = apply_rules(6, &reach);
        assert_eq!(a.drop, [Some(4), Some(1), None, Some(2), None, None]);
        assert_eq!(a.in_range, [Some(4), None, None, Some(2), Some(2), None]); // protected: none
        assert_eq!(a.protect[5], Some(3));
    }

    #[test]
    fn where_and_untried_blocks_hold_back_drop_hits() {
        let hits = Hits::new(4, &[(3, 1), (3, 0), (2, 3)], vec![]).unwrap();
        let tried = [false, false, false, true];
        let none = Late::none(hits.origin().len());
        let reach = Reach {
            hits: &hits,
            late: &none,
            rules: &RULES,
            bounds: (1, 2, 0),
            tried: Some(&tried),
        };
        let a = apply_rules(4, &reach);
        assert_eq!(a.drop, [None, None, None, Some(0)]); // rule 1 acts at the top only
        assert_eq!(a.protect[2], Some(3)); // shaping rules act on untried blocks
        let untried = [false; 4];
        let reach = Reach {
            tried: Some(&untried),
            ..reach
        };
        assert_eq!(apply_rules(4, &reach).drop, [None; 4]);
    }

    #[test]
    fn late_pairs_are_searched_once_where_they_act_and_read_in_report_order() {
        // block 2: a literal pair (rule 0) listed before an indexed one (rule 1)
        let pairs = vec![
            Pair::new(2, 1, 1, 10),
            Pair::new(0, 1, 1, 10),
            Pair::new(2, 2, 0, 11),
            Pair::new(3, 2, 1, 10),
        ];
        let mut late = Late::new(4, pairs.clone()).unwrap();
        let mut asked: Vec<Vec<(usize, u8)>> = Vec::new();
        let mut ask = |p: &[Pair]| {
            asked.push(p.iter().map(|p| (p.block, p.kind)).collect());
            p.iter().map(|p| if p.block == 3 { 2 } else { 1 }).collect()
        };
        let origin = [0, 1, 2, 3];
        let not_at_0 = |_: u32, b: usize| b != 0;
        late.ensure(&[0, 2, 3], &origin, &not_at_0, &mut ask);
        late.ensure(&[2, 3], &origin, &not_at_0, &mut ask); // all searched already: no call
        late.ensure(&[0], &origin, &|_, _| true, &mut ask); // another round may act on block 0
        assert_eq!(asked, [vec![(2, 1), (2, 2), (3, 2)], vec![(0, 1)]]);
        assert_eq!(late.hits(2).collect::<Vec<_>>(), [1, 0]);
        assert_eq!(late.hits(3).count(), 0);
        assert_eq!(late.timeouts(&[0, 2, 3], &origin, &not_at_0), [(1, 3)]);
        // a subset's block 1 is the page's block 3
        assert_eq!(late.timeouts(&[1], &[2, 3], &|_, _| true), [(1, 1)]);
        assert!(Late::new(3, pairs).is_none());
    }

    #[test]
    fn a_blocks_late_hits_come_between_its_shaping_and_its_eager_drop_hits() {
        let hits = Hits::new(2, &[(1, 3), (1, 0)], vec![]).unwrap();
        let mut late = Late::new(2, vec![Pair::new(1, 1, 1, 0)]).unwrap();
        late.ensure(&[1], hits.origin(), &|_, _| true, &mut |p: &[Pair]| vec![1; p.len()]);
        let reach = Reach {
            hits: &hits,
            late: &late,
            rules: &RULES,
            bounds: (2, 4, 0),
            tried: None,
        };
        assert_eq!(reach.on(1).map(|(r, _)| r).collect::<Vec<_>>(), [3, 1, 0]);
    }

    #[test]
    fn a_subset_keeps_each_blocks_hits_and_timeouts() {
        let hits = Hits::new(4, &[(3, 1), (0, 0), (3, 0)], vec![(2, 3), (1, 1)]).unwrap();
        let sub = hits.subset(&[0, 3]);
        assert_eq!((sub.of(0), sub.of(1)), (&[0][..], &[1, 0][..]));
        assert_eq!(sub.timeouts, [(2, 1)]);
        assert_eq!(sub.origin(), [0, 3]);
        assert_eq!(sub.subset(&[1]).origin(), [3]);
        assert!(Hits::new(2, &[(2, 0)], vec![]).is_none());
    }
}
