//! The page entry without Python, for the fuzz target in core/fuzz
//! (`cargo +nightly fuzz run page`): [`decide_page`] measures a page, tells
//! its language and decides it exactly as `TextDecider.decide` does, with
//! the settings and rules given by name and the result as plain data; and
//! for `text_page`, [`TextState::clean`] cleans a whole page as
//! `TextDecider.clean_text` does (split, measure, prefilter, settle,
//! decide, render), Python's confirmations stood in for. The extension
//! module does not use it.

use crate::decide::settings::{Classify, Features, ListRun, Region, Repeated, Table, Thread, Title};
use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use crate::cleanpage::{Confirmer, Entry, ReadPage, TextCore};
use crate::decide::{measure_settings, Action, Decider, Hits, Kind, Late, Page, Pair, Rule, Settings, Where, SIGNALS};
use crate::language::StopLists;
use crate::measure;
use crate::prefilter::{GroupSpec, Prefilter};
use crate::rx::Rx;

/// language.py's lists, read from `dir` (declutter/data/stoplists):
/// its `*.txt` files in name order, the non-empty lines of each, with how
/// many lists there are. For the fuzz targets; panics on an unreadable list.
pub fn read_stop_lists(dir: &str) -> (StopLists, usize) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("declutter/data/stoplists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let lists: Vec<Vec<String>> = files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("a UTF-8 stop list");
            text.split('\n').filter(|w| !w.is_empty()).map(str::to_owned).collect()
        })
        .collect();
    assert!(lists.len() > 50, "the stop lists were found");
    (StopLists::new(&lists), lists.len())
}

/// A rule as `TextDecider` takes it: its action ("drop", "drop-to-end",
/// "drop-before", "protect"), its `where` ("anywhere", "top", "bottom",
/// "edges", "after-body"), whether it is one of `[signals.thread]`
/// count_rules, and whether it is matched over the joined lines.
pub type RuleSpec<'a> = (&'a str, &'a str, bool, bool);

/// The reason of rule r is `FIRST_RULE_REASON + r`; a smaller reason is a
/// signal, named by `declutter._core.DECIDE_SIGNALS`.
pub const FIRST_RULE_REASON: u32 = SIGNALS.len() as u32;

/// A page's decision, one entry per block in each vector (the blocks are
/// the text's lines, cut at "\n").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Whether the block is kept.
    pub keep: Vec<bool>,
    /// The reason of its verdict (see [`FIRST_RULE_REASON`]).
    pub reasons: Vec<u32>,
    /// Its first-pass class: 0 good, 1 short, 2 bad.
    pub classes: Vec<u8>,
    /// The idempotence round that dropped it (0: the first decision).
    pub rounds: Vec<u32>,
    /// The title's block.
    pub title: Option<usize>,
    /// The (rule, block) pairs whose timeout is reported, in report order.
    pub timeouts: Vec<(u32, usize)>,
}

/// Decides the page `text` (its blocks its lines): `settings` holds every
/// TextSettings value by its path (`"classify.good_min_words"`, as
/// declutter/settings.py names it; an integer setting must be a whole
/// number), `rules` the RuleSet's rules in order, `hits` the (block, rule)
/// pairs whose pattern matches in report order, `timeouts` the (rule, block)
/// pairs whose search timed out; `full_reasons` as the Cleaner's.
///
/// Cost: that of measuring and deciding, as for `TextDecider.decide`.
/// Fails with a message on a missing or malformed setting, an unknown
/// action or `where`, or a hit or timeout out of range.
pub fn decide_page(
    text: &str,
    stops: &StopLists,
    settings: &[(&str, f64)],
    rules: &[RuleSpec<'_>],
    hits: &[(usize, u32)],
    timeouts: &[(u32, usize)],
    full_reasons: bool,
) -> Result<Decision, String> {
    let rules = rules.iter().map(|&r| rule(r)).collect::<Result<Vec<_>, _>>()?;
    if hits
        .iter()
        .map(|h| h.1)
        .chain(timeouts.iter().map(|t| t.0))
        .any(|r| r as usize >= rules.len())
    {
        return Err("a hit of no such rule".into());
    }
    let decider = Decider {
        rules,
        settings: typed(settings)?,
        disabled: vec![false; SIGNALS.len()],
        full_reasons,
    };
    let m = measure::measure(text, None, &measure_settings(&decider.settings.features), Some(stops))
        .map_err(|_| "the lines do not cut the text")?;
    let page = Page::new(text, &m, stops);
    let hits = Hits::new(page.len(), hits, timeouts.to_vec()).ok_or("a hit on no such block")?;
    // every hit is given eagerly: no pair is left for the decision to ask about
    let mut late = Late::none(page.len());
    let mut ask = |pairs: &[crate::decide::Pair]| vec![0; pairs.len()];
    let outcome = decider.clean(&page, &hits, &mut late, &mut ask);
    let v = &outcome.verdicts;
    Ok(Decision {
        keep: v.iter().map(|v| v.keep).collect(),
        reasons: v.iter().map(|v| v.reason).collect(),
        classes: v
            .iter()
            .map(|v| match v.class {
                Kind::Good => 0,
                Kind::Short => 1,
                Kind::Bad => 2,
            })
            .collect(),
        rounds: v.iter().map(|v| v.round).collect(),
        title: outcome.title,
        timeouts: outcome.timeouts,
    })
}

fn rule((action, place, counts, floating): RuleSpec<'_>) -> Result<Rule, String> {
    let action = match action {
        "drop" => Action::Drop,
        "drop-to-end" => Action::DropToEnd,
        "drop-before" => Action::DropBefore,
        "protect" => Action::Protect,
        _ => return Err(format!("no such action: {action:?}")),
    };
    let place = match place {
        "anywhere" => Where::Anywhere,
        "top" => Where::Top,
        "bottom" => Where::Bottom,
        "edges" => Where::Edges,
        "after-body" => Where::AfterBody,
        _ => return Err(format!("no such where: {place:?}")),
    };
    Ok(Rule {
        action,
        place,
        counts,
        floating,
    })
}

/// The typed settings from their values by path (py_decide.rs `settings`).
fn typed(values: &[(&str, f64)]) -> Result<Settings, String> {
    let real = |path: &str| {
        values
            .iter()
            .find(|v| v.0 == path)
            .map(|v| v.1)
            .ok_or_else(|| format!("no setting {path}"))
    };
    let int = |path: &str| {
        let v = real(path)?;
        if v.fract() == 0.0 && v.abs() < 2f64.powi(53) {
            Ok(v as i64)
        } else {
            Err(format!("setting {path} is not a whole number: {v}"))
        }
    };
    Ok(Settings {
        features: Features {
            unspaced_min_share: real("features.unspaced_min_share")?,
            prose_min_words: int("features.prose_min_words")?,
            menu_max_words: int("features.menu_max_words")?,
            code_min_chars: int("features.code_min_chars")?,
            code_max_space_share: real("features.code_max_space_share")?,
            stop_max_chars: real("features.stop_max_chars")?,
        },
        classify: Classify {
            good_min_words: int("classify.good_min_words")?,
            good_min_stop_share: real("classify.good_min_stop_share")?,
            good_min_chars_no_stopwords: int("classify.good_min_chars_no_stopwords")?,
            good_min_chars_any: int("classify.good_min_chars_any")?,
            menu_max_words: int("classify.menu_max_words")?,
            menu_min_capital_share: real("classify.menu_min_capital_share")?,
            bad_max_chars: int("classify.bad_max_chars")?,
            code_min_share: real("classify.code_min_share")?,
        },
        region: Region {
            unspaced_char_weight: real("region.unspaced_char_weight")?,
            good_chars_per_point: real("region.good_chars_per_point")?,
            good_max_points: real("region.good_max_points")?,
            good_base_points: real("region.good_base_points")?,
            short_cost: real("region.short_cost")?,
            bad_cost: real("region.bad_cost")?,
            dropped_cost: real("region.dropped_cost")?,
        },
        table: Table {
            min_run: int("table.min_run")?,
            min_numbers: int("table.min_numbers")?,
            min_number_share: real("table.min_number_share")?,
            points: real("table.points")?,
        },
        repeated: Repeated {
            min_count: int("repeated.min_count")?,
            max_chars: int("repeated.max_chars")?,
            inside_min_count: int("repeated.inside_min_count")?,
            edge_blocks: int("repeated.edge_blocks")?,
            min_shared_share: real("repeated.min_shared_share")?,
            word_min_chars: int("repeated.word_min_chars")?,
        },
        title: Title {
            look_back: int("title.look_back")?,
            min_words: int("title.min_words")?,
            max_chars: int("title.max_chars")?,
            distance_cost: real("title.distance_cost")?,
            in_first_line_points: real("title.in_first_line_points")?,
            repeated_points: real("title.repeated_points")?,
            no_full_stop_points: real("title.no_full_stop_points")?,
            anchor_search: int("title.anchor_search")?,
            anchor_min_chars: int("title.anchor_min_chars")?,
            anchor_points: real("title.anchor_points")?,
            anchor_min_share: real("title.anchor_min_share")?,
            anchor_near: int("title.anchor_near")?,
            post_max_chars: int("title.post_max_chars")?,
            post_max_lines: int("title.post_max_lines")?,
            post_min_words: int("title.post_min_words")?,
        },
        menu_run_min: int("menu_run.min_run")?,
        body_min_chars: int("edges.body_min_chars")?,
        list_run: ListRun {
            min_items: int("list_run.min_items")?,
            max_items: int("list_run.max_items")?,
            max_chars: int("list_run.max_chars")?,
            min_shared_share: real("list_run.min_shared_share")?,
            word_min_chars: int("list_run.word_min_chars")?,
        },
        thread: Thread {
            min_posts: int("thread.min_posts")?,
            max_chars: int("thread.max_chars")?,
            min_words: int("thread.min_words")?,
            min_body_chars: int("thread.min_body_chars")?,
            prose_within: int("thread.prose_within")?,
            min_dated_numbers: int("thread.min_dated_numbers")?,
        },
    })
}

/// The text decision of one Cleaner without Python, for the `text_page`
/// fuzz target: what `TextDecider` and `Prefilter` are built from
/// (core_decide.py CompiledDecider; core/fuzz/export_state.py exports the
/// default rules' as JSON).
pub struct StateSpec<'a> {
    /// Every TextSettings value by its path (see [`decide_page`]).
    pub settings: &'a [(&'a str, f64)],
    /// The RuleSet's rules in order.
    pub rules: &'a [RuleSpec<'a>],
    /// The signal ids turned off.
    pub disabled: &'a [&'a str],
    /// Per rule its length bounds in characters.
    pub bounds: Vec<(usize, Option<usize>)>,
    /// Per rule whether it has a host scope.
    pub scoped: Vec<bool>,
    /// Per rule its translation and whether it is exact, as `Rx` takes them.
    pub rx: Vec<Option<(String, bool)>>,
    /// Per rank of the shaping group, its rule's number.
    pub shaping: Vec<u32>,
    /// Per rank of the dropping group, its rule's number.
    pub dropping: Vec<u32>,
    /// The prefilter's two groups (shaping, dropping).
    pub prefilter: Vec<GroupSpec>,
    /// The prefilter's phrase trim (normalise.py PHRASE_TRIM).
    pub phrase_trim: &'a str,
    /// As the Cleaner's.
    pub full_reasons: bool,
}

/// A Cleaner's text decision, built once ([`TextState::new`]); its memo of
/// confirmations lives across pages as a Cleaner's does.
pub struct TextState {
    core: TextCore,
    stops: StopLists,
    rx: Rx,
    prefilter: Prefilter,
}

/// A page cleaned by [`TextState::clean`], one entry per block (the
/// page's non-blank lines) in each vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanedPage {
    /// The rendered page.
    pub text: String,
    /// Whether each block is kept.
    pub keep: Vec<bool>,
    /// The reason of each block's verdict (see [`FIRST_RULE_REASON`]).
    pub reasons: Vec<u32>,
    /// The title's stripped block.
    pub title: Option<String>,
    /// The page's language, by number in the stop lists.
    pub language: Option<usize>,
    /// The (rule, block) pairs whose timeout is reported.
    pub timeouts: Vec<(u32, usize)>,
}

impl TextState {
    /// Builds the state; fails with a message on a bad setting, rule, rank
    /// or prefilter group, or vectors of the wrong length.
    pub fn new(spec: StateSpec<'_>, stops: StopLists) -> Result<Self, String> {
        let n = spec.rules.len();
        if [spec.bounds.len(), spec.scoped.len(), spec.rx.len()] != [n; 3] {
            return Err("one bounds, scope flag and translation per rule".into());
        }
        if spec.shaping.iter().chain(&spec.dropping).any(|&r| r as usize >= n) || spec.prefilter.len() != 2 {
            return Err("a group rank of no such rule, or not two groups".into());
        }
        let rules = spec.rules.iter().map(|&r| rule(r)).collect::<Result<Vec<_>, _>>()?;
        let disabled = SIGNALS
            .iter()
            .map(|id| !id.is_empty() && spec.disabled.contains(id))
            .collect();
        let prefilter =
            Prefilter::new(&spec.prefilter, spec.phrase_trim).map_err(|e| format!("a prefilter rank {}", e.0))?;
        Ok(TextState {
            core: TextCore {
                decider: Decider {
                    rules,
                    settings: typed(spec.settings)?,
                    disabled,
                    full_reasons: spec.full_reasons,
                },
                dropping: spec.dropping,
                shaping: spec.shaping,
                bounds: spec.bounds,
                scoped: spec.scoped,
                answers: Default::default(),
            },
            stops,
            rx: Rx::new(spec.rx),
            prefilter,
        })
    }

    /// Cleans `text` as `TextDecider.clean_text` does (not strict, no
    /// budget), but that the confirmations Python would make are answered
    /// by [`stand_in`]. Fails with a message where the core finds a bug of
    /// its own (a candidate or hit out of range).
    pub fn clean(&self, text: &str) -> Result<CleanedPage, String> {
        let entry = Entry {
            core: &self.core,
            stops: &self.stops,
            rx: &self.rx,
        };
        let mut confirmer = StandIn {
            bounds: &self.core.bounds,
        };
        let c = entry
            .clean_page(text, &self.prefilter, false, &mut confirmer)?
            .ok_or("a page given up with no budget and no failure")?;
        let index = c
            .index
            .chunks_exact(4)
            .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as usize);
        let (keep, reasons) = index.map(|k| (c.distinct[k].0, c.distinct[k].1)).unzip();
        Ok(CleanedPage {
            text: c.text,
            keep,
            reasons,
            title: c.title,
            language: c.language,
            timeouts: c.timeouts,
        })
    }
}

/// Python's answer for `rule` on the stripped `line`, stood in for: a hit
/// for about one pair in four, by a hash of both, so that the same pair
/// always gets the same answer (as a regex gives) and Python's hits are
/// exercised too.
pub fn stand_in(rule: u32, line: &str) -> bool {
    let mut h = FxHasher::default();
    (rule, line).hash(&mut h);
    h.finish() % 4 == 0
}

/// The [`Confirmer`] of [`TextState::clean`]: [`stand_in`] answers, no
/// timeout, never a failure.
struct StandIn<'a> {
    bounds: &'a [(usize, Option<usize>)],
}

impl Confirmer for StandIn<'_> {
    fn checkpoint(&mut self, _stage: &str) -> bool {
        true
    }

    fn pairs(&mut self, _shaping: bool, pairs: &[Pair], read: &ReadPage) -> Vec<u8> {
        let m = &read.measures;
        pairs
            .iter()
            .map(|p| {
                let (a, b) = m.stripped[p.block];
                u8::from(stand_in(p.rule, &read.text[a..b]))
            })
            .collect()
    }

    fn floating(&mut self, rules: &[u32], read: &ReadPage) -> Vec<(Vec<usize>, Vec<usize>)> {
        let m = &read.measures;
        rules
            .iter()
            .map(|&r| {
                let (least, most) = self.bounds[r as usize];
                let hits = (0..m.stripped.len()).filter(|&i| {
                    let (a, b) = m.stripped[i];
                    let fits = m.chars[i] >= least && most.map_or(true, |most| m.chars[i] <= most);
                    fits && stand_in(r, &read.text[a..b])
                });
                (hits.collect(), Vec::new())
            })
            .collect()
    }

    fn failed(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every setting 1.0: enough to decide a page.
    fn ones() -> Vec<(&'static str, f64)> {
        let paths = "features.unspaced_min_share features.prose_min_words features.menu_max_words \
            features.code_min_chars features.code_max_space_share features.stop_max_chars \
            classify.good_min_words classify.good_min_stop_share classify.good_min_chars_no_stopwords \
            classify.good_min_chars_any classify.menu_max_words classify.menu_min_capital_share \
            classify.bad_max_chars classify.code_min_share region.unspaced_char_weight \
            region.good_chars_per_point region.good_max_points region.good_base_points region.short_cost \
            region.bad_cost region.dropped_cost table.min_run table.min_numbers table.min_number_share \
            table.points repeated.min_count repeated.max_chars repeated.inside_min_count repeated.edge_blocks \
            repeated.min_shared_share repeated.word_min_chars title.look_back title.min_words title.max_chars \
            title.distance_cost title.in_first_line_points title.repeated_points title.no_full_stop_points \
            title.anchor_search title.anchor_min_chars title.anchor_points title.anchor_min_share \
            title.anchor_near title.post_max_chars title.post_max_lines title.post_min_words menu_run.min_run \
            edges.body_min_chars list_run.min_items list_run.max_items list_run.max_chars \
            list_run.min_shared_share list_run.word_min_chars thread.min_posts thread.max_chars \
            thread.min_words thread.min_body_chars thread.prose_within thread.min_dated_numbers";
        paths.split_whitespace().map(|p| (p, 1.0)).collect()
    }

    #[test]
    fn a_page_gets_one_verdict_per_line_and_a_protect_hit_keeps_its_line() {
        let stops = StopLists::new(&[vec!["the", "and", "was"]]);
        let rules = [
            ("drop", "anywhere", false, false),
            ("protect", "anywhere", false, false),
        ];
        let d = decide_page(
            "Home\nthe cat and the dog was here\n\n",
            &stops,
            &ones(),
            &rules,
            &[(0, 0), (2, 1)],
            &[],
            true,
        )
        .unwrap();
        assert_eq!(d.keep.len(), 4);
        assert_eq!((d.keep[0], d.reasons[0]), (false, FIRST_RULE_REASON));
        assert_eq!((d.keep[2], d.reasons[2]), (true, FIRST_RULE_REASON + 1));
    }

    #[test]
    fn bad_settings_rules_and_hits_are_errors() {
        let stops = StopLists::default();
        let rules = [("drop", "anywhere", false, false)];
        let mut missing = ones();
        missing.pop();
        assert!(decide_page("a", &stops, &missing, &rules, &[], &[], false).is_err());
        let mut fractional = ones();
        fractional[1].1 = 1.5;
        assert!(decide_page("a", &stops, &fractional, &rules, &[], &[], false).is_err());
        assert!(decide_page("a", &stops, &ones(), &[("cut", "top", false, false)], &[], &[], false).is_err());
        assert!(decide_page("a", &stops, &ones(), &rules, &[(1, 0)], &[], false).is_err());
        assert!(decide_page("a", &stops, &ones(), &rules, &[(0, 1)], &[], false).is_err());
        assert!(decide_page("a", &stops, &ones(), &rules, &[], &[(0, 0)], false).is_ok());
    }
    fn spec<'a>(settings: &'a [(&'a str, f64)], rules: &'a [RuleSpec<'a>]) -> StateSpec<'a> {
        let group = GroupSpec {
            bounds: vec![(0, None); 2],
            everywhere: vec![0, 1],
            ..GroupSpec::default()
        };
        StateSpec {
            settings,
            rules,
            disabled: &[],
            bounds: vec![(0, None); 2],
            scoped: vec![false; 2],
            rx: vec![Some(("^Share this".into(), true)), None],
            shaping: vec![],
            dropping: vec![0, 1],
            prefilter: vec![GroupSpec::default(), group],
            phrase_trim: " ",
            full_reasons: true,
        }
    }

    #[test]
    fn a_whole_page_is_cleaned_with_rx_rules_and_stand_in_answers_alike_every_time() {
        let settings = ones();
        let rules = [("drop", "anywhere", false, false), ("drop", "anywhere", false, false)];
        let stops = StopLists::new(&[vec!["the", "and", "was"]]);
        let state = TextState::new(spec(&settings, &rules), stops).unwrap();
        let text = "Share this page\r\n\r\nthe cat and the dog was here\nand the bird was there\n";
        let first = state.clean(text).unwrap();
        assert_eq!(first.keep.len(), 3);
        assert_eq!((first.keep[0], first.reasons[0]), (false, FIRST_RULE_REASON));
        assert!(!first.text.contains("Share"));
        let kept: Vec<&str> = text
            .lines()
            .skip(2)
            .zip(&first.keep[1..])
            .filter(|p| *p.1)
            .map(|p| p.0)
            .collect();
        assert_eq!(first.text, kept.join("\n"));
        // the second time the memo answers for the stand-in: the same result
        assert_eq!(state.clean(text).unwrap(), first);
        assert_eq!(state.clean("").unwrap().keep, Vec::<bool>::new());
    }

    #[test]
    fn a_state_of_mismatched_vectors_is_an_error() {
        let settings = ones();
        let rules = [("drop", "anywhere", false, false)];
        assert!(TextState::new(spec(&settings, &rules), StopLists::default()).is_err());
    }
}
