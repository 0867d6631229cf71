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
        })
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
        }
    }
}

/// The hits one round reads: those whose `where` lets them act, given the
/// first pass's bounds, and a drop rule's only on a tried block.
#[derive(Clone, Copy)]
pub struct Reach<'h> {
    pub hits: &'h Hits,
    pub rules: &'h [Rule],
    pub bounds: (i64, i64, i64),
    /// Per block whether its drop rules were tried (None: all were).
    pub tried: Option<&'h [bool]>,
}

impl Reach<'_> {
    /// The rules that act on block i, in order.
    pub fn on(&self, i: usize) -> impl Iterator<Item = (u32, &Rule)> + '_ {
        let tried = self.tried.map_or(true, |t| t[i]);
        self.hits.of(i).iter().filter_map(move |&r| {
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
        let reach = Reach {
            hits: &hits,
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
        let reach = Reach {
            hits: &hits,
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
    fn a_subset_keeps_each_blocks_hits_and_timeouts() {
        let hits = Hits::new(4, &[(3, 1), (0, 0), (3, 0)], vec![(2, 3), (1, 1)]).unwrap();
        let sub = hits.subset(&[0, 3]);
        assert_eq!((sub.of(0), sub.of(1)), (&[0][..], &[1, 0][..]));
        assert_eq!(sub.timeouts, [(2, 1)]);
        assert!(Hits::new(2, &[(2, 0)], vec![]).is_none());
    }
}
