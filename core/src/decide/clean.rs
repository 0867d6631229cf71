//! The Cleaner's two loops (cleaner.py `_decide` with `_lazy_match`, and
//! `_revise`), simulated on eager hits.
//!
//! The Python loop tries plain drop rules only on the blocks whose drop can
//! change the output; a hit on a block it never tries is not in its report,
//! so here a block's drop hits count only once the simulated loop has tried
//! it, and the verdicts and reasons come out as the Python path's. A search
//! that timed out is reported only where the loop tried it.

use super::classify::{anchor_lines, first_pass};
use super::layout::{lay_out, Layout};
use super::page::Page;
use super::rules::{searched, Ask, Hits, Late, Reach, Rule};
use super::settings::Settings;
use super::verdicts::{decide, Verdict};

/// How a page is decided: the rules, the settings, the signals turned off
/// (by reason) and whether every rule is tried on every block.
pub struct Decider {
    pub rules: Vec<Rule>,
    pub settings: Settings,
    pub disabled: Vec<bool>,
    pub full_reasons: bool,
}

/// A page's decision: every block's verdict, the title's block, and the
/// (rule, block) pairs skipped on a timeout, as the Python path reports them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub verdicts: Vec<Verdict>,
    pub title: Option<usize>,
    pub timeouts: Vec<(u32, usize)>,
}

/// cleaner.py `Cleaner.MAX_ROUNDS`.
const MAX_ROUNDS: u32 = 3;

impl Decider {
    /// cleaner.py `clean_blocks` from the measures on: one round, then the
    /// idempotence rounds on what was kept.
    /// `late`: the pairs searched only where the loop needs them, by `ask`.
    pub fn clean(&self, page: &Page<'_>, hits: &Hits, late: &mut Late, ask: &mut Ask<'_>) -> Outcome {
        let mut out = self.round(page, hits, late, ask);
        let n = page.len();
        for round in 1..=MAX_ROUNDS {
            let kept: Vec<usize> = (0..n).filter(|&i| out.verdicts[i].keep).collect();
            if kept.len() == n || kept.is_empty() {
                break;
            }
            let again = self.round(
                &page.subset(&kept, &self.settings.features),
                &hits.subset(&kept),
                late,
                ask,
            );
            let before = out.timeouts.len();
            for &(rule, j) in &again.timeouts {
                let pair = (rule, kept[j]);
                if !out.timeouts[..before].contains(&pair) {
                    out.timeouts.push(pair);
                }
            }
            if again.verdicts.iter().all(|v| v.keep) {
                break;
            }
            for (j, v) in again.verdicts.iter().enumerate() {
                if !v.keep {
                    out.verdicts[kept[j]] = Verdict { round, ..*v };
                }
            }
        }
        out
    }

    /// cleaner.py `_decide`: classify, match (lazily unless full_reasons),
    /// lay out and give the verdicts of one round.
    fn round(&self, page: &Page<'_>, hits: &Hits, late: &mut Late, ask: &mut Ask<'_>) -> Outcome {
        let n = page.len();
        if n == 0 {
            return Outcome::default();
        }
        let s = &self.settings;
        let prior = first_pass(page, s);
        let bounds = prior.bounds();
        // the timeouts of the pairs the loop searches
        let acts = |&&(r, b): &&(u32, usize)| searched(&self.rules, r, b, bounds);
        let (layout, timeouts) = if self.full_reasons {
            let all: Vec<usize> = (0..n).collect();
            let searches = |r: u32, b: usize| searched(&self.rules, r, b, bounds);
            late.ensure(&all, hits.origin(), &searches, ask);
            let reach = Reach {
                hits,
                late: &*late,
                rules: &self.rules,
                bounds,
                tried: None,
            };
            // report order: the shaping group's, then the drop rules' late and floating ones
            let shapes = |p: &&(u32, usize)| self.rules[p.0 as usize].shapes();
            let mut timeouts: Vec<(u32, usize)> =
                hits.timeouts.iter().filter(|p| shapes(p) && acts(p)).copied().collect();
            timeouts.extend(late.timeouts(&all, hits.origin(), &searches));
            timeouts.extend(hits.timeouts.iter().filter(|p| !shapes(p) && acts(p)));
            (lay_out(page, &reach, s, &prior), timeouts)
        } else {
            self.lazy(page, hits, late, ask, &prior, bounds, &acts)
        };
        let verdicts = decide(page, &prior, &layout, s, &self.disabled);
        Outcome {
            verdicts,
            title: layout.title,
            timeouts,
        }
    }

    /// cleaner.py `_lazy_match`: the shaping rules tried everywhere, the drop
    /// rules on the region's blocks (and the anchor's), until the region
    /// holds only tried blocks.
    #[allow(clippy::too_many_arguments)]
    fn lazy(
        &self,
        page: &Page<'_>,
        hits: &Hits,
        late: &mut Late,
        ask: &mut Ask<'_>,
        prior: &super::classify::FirstPass,
        bounds: (i64, i64, i64),
        acts: &dyn Fn(&&(u32, usize)) -> bool,
    ) -> (Layout, Vec<(u32, usize)>) {
        let n = page.len();
        let s = &self.settings;
        let shapes = |r: u32| self.rules[r as usize].shapes();
        let mut timeouts: Vec<(u32, usize)> = hits
            .timeouts
            .iter()
            .filter(|p| shapes(p.0) && acts(p))
            .copied()
            .collect();
        let mut tried = vec![false; n];
        let mut todo = anchor_lines(page, s, prior);
        loop {
            let reach = Reach {
                hits,
                late: &*late,
                rules: &self.rules,
                bounds,
                tried: Some(&tried),
            };
            let layout = lay_out(page, &reach, s, prior);
            let mut fresh = vec![false; n];
            let mut any = false;
            for i in layout.needs_rules(s).into_iter().flatten().chain(todo.drain(..)) {
                if !tried[i] && !fresh[i] {
                    fresh[i] = true;
                    any = true;
                }
            }
            if !any {
                return (layout, timeouts);
            }
            for (t, f) in tried.iter_mut().zip(&fresh) {
                *t |= *f;
            }
            // the Python call on the fresh blocks: its late pairs, then its floating rules
            let blocks: Vec<usize> = (0..n).filter(|&i| fresh[i]).collect();
            let searches = |r: u32, b: usize| searched(&self.rules, r, b, bounds);
            late.ensure(&blocks, hits.origin(), &searches, ask);
            timeouts.extend(late.timeouts(&blocks, hits.origin(), &searches));
            timeouts.extend(
                hits.timeouts
                    .iter()
                    .filter(|p| !shapes(p.0) && fresh[p.1] && acts(p))
                    .copied(),
            );
        }
    }
}
