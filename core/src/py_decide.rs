//! The text decision's Python entry (`declutter._core.TextDecider`): built
//! once per Cleaner from its typed settings and rules, then one call per
//! page. Used by declutter/core_decide.py; see [`crate::decide`].

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};
use rustc_hash::FxHashMap;

use crate::decide::settings::{Classify, Features, ListRun, Region, Repeated, Table, Thread, Title};
use crate::decide::{Action, Decider, Hits, Kind, Late, Page, Pair, Rule, Settings, Where, SIGNALS};
use crate::prefilter::{Found, Pairs};

use crate::{candidate_lists, guarded, joined, measure, textpage, PyPrefilter, PyRx, StopLists};

/// `obj.a.b` for the dotted `path`, as T.
fn get<'py, T: pyo3::conversion::FromPyObjectOwned<'py>>(obj: &Bound<'py, PyAny>, path: &str) -> PyResult<T> {
    let mut at = obj.clone();
    for name in path.split('.') {
        at = at.getattr(name)?;
    }
    at.extract().map_err(Into::into)
}

/// Settings from declutter.settings.TextSettings.
fn settings(s: &Bound<'_, PyAny>) -> PyResult<Settings> {
    Ok(Settings {
        features: Features {
            unspaced_min_share: get(s, "features.unspaced_min_share")?,
            prose_min_words: get(s, "features.prose_min_words")?,
            menu_max_words: get(s, "features.menu_max_words")?,
            code_min_chars: get(s, "features.code_min_chars")?,
            code_max_space_share: get(s, "features.code_max_space_share")?,
            stop_max_chars: get(s, "features.stop_max_chars")?,
        },
        classify: Classify {
            good_min_words: get(s, "classify.good_min_words")?,
            good_min_stop_share: get(s, "classify.good_min_stop_share")?,
            good_min_chars_no_stopwords: get(s, "classify.good_min_chars_no_stopwords")?,
            good_min_chars_any: get(s, "classify.good_min_chars_any")?,
            menu_max_words: get(s, "classify.menu_max_words")?,
            menu_min_capital_share: get(s, "classify.menu_min_capital_share")?,
            bad_max_chars: get(s, "classify.bad_max_chars")?,
            code_min_share: get(s, "classify.code_min_share")?,
        },
        region: Region {
            unspaced_char_weight: get(s, "region.unspaced_char_weight")?,
            good_chars_per_point: get(s, "region.good_chars_per_point")?,
            good_max_points: get(s, "region.good_max_points")?,
            good_base_points: get(s, "region.good_base_points")?,
            short_cost: get(s, "region.short_cost")?,
            bad_cost: get(s, "region.bad_cost")?,
            dropped_cost: get(s, "region.dropped_cost")?,
        },
        table: Table {
            min_run: get(s, "table.min_run")?,
            min_numbers: get(s, "table.min_numbers")?,
            min_number_share: get(s, "table.min_number_share")?,
            points: get(s, "table.points")?,
        },
        repeated: Repeated {
            min_count: get(s, "repeated.min_count")?,
            max_chars: get(s, "repeated.max_chars")?,
            inside_min_count: get(s, "repeated.inside_min_count")?,
            edge_blocks: get(s, "repeated.edge_blocks")?,
            min_shared_share: get(s, "repeated.min_shared_share")?,
            word_min_chars: get(s, "repeated.word_min_chars")?,
        },
        title: Title {
            look_back: get(s, "title.look_back")?,
            min_words: get(s, "title.min_words")?,
            max_chars: get(s, "title.max_chars")?,
            distance_cost: get(s, "title.distance_cost")?,
            in_first_line_points: get(s, "title.in_first_line_points")?,
            repeated_points: get(s, "title.repeated_points")?,
            no_full_stop_points: get(s, "title.no_full_stop_points")?,
            anchor_search: get(s, "title.anchor_search")?,
            anchor_min_chars: get(s, "title.anchor_min_chars")?,
            anchor_points: get(s, "title.anchor_points")?,
            anchor_min_share: get(s, "title.anchor_min_share")?,
            anchor_near: get(s, "title.anchor_near")?,
            post_max_chars: get(s, "title.post_max_chars")?,
            post_max_lines: get(s, "title.post_max_lines")?,
            post_min_words: get(s, "title.post_min_words")?,
        },
        menu_run_min: get(s, "menu_run.min_run")?,
        body_min_chars: get(s, "edges.body_min_chars")?,
        list_run: ListRun {
            min_items: get(s, "list_run.min_items")?,
            max_items: get(s, "list_run.max_items")?,
            max_chars: get(s, "list_run.max_chars")?,
            min_shared_share: get(s, "list_run.min_shared_share")?,
            word_min_chars: get(s, "list_run.word_min_chars")?,
        },
        thread: Thread {
            min_posts: get(s, "thread.min_posts")?,
            max_chars: get(s, "thread.max_chars")?,
            min_words: get(s, "thread.min_words")?,
            min_body_chars: get(s, "thread.min_body_chars")?,
            prose_within: get(s, "thread.prose_within")?,
            min_dated_numbers: get(s, "thread.min_dated_numbers")?,
        },
    })
}

fn action(name: &str) -> PyResult<Action> {
    Ok(match name {
        "drop" => Action::Drop,
        "drop-to-end" => Action::DropToEnd,
        "drop-before" => Action::DropBefore,
        "protect" => Action::Protect,
        _ => return Err(PyValueError::new_err(format!("no such action: {name:?}"))),
    })
}

fn place(name: &str) -> PyResult<Where> {
    Ok(match name {
        "anywhere" => Where::Anywhere,
        "top" => Where::Top,
        "bottom" => Where::Bottom,
        "edges" => Where::Edges,
        "after-body" => Where::AfterBody,
        _ => return Err(PyValueError::new_err(format!("no such where: {name:?}"))),
    })
}

/// The text decision of one Cleaner.
///
/// `TextDecider(settings, stoplists, actions, wheres, counts, floating,
/// disabled, full_reasons)`: `settings` a declutter.settings.TextSettings;
/// per rule of the RuleSet (in its order) its action, its `where`, whether
/// its id is one of `[signals.thread]` count_rules and whether the matcher
/// runs it over the joined lines (matching.py RuleIndex.floating);
/// `disabled` the signal ids turned off; `full_reasons` as the Cleaner's.
///
/// `rx`: an `Rx` holding per rule its pattern as declutter/rx.py translated
/// it and whether that is exact (the core confirms the rule itself) or a
/// filter (the core rules out the lines it does not match, Python confirms
/// the others); None: Python confirms it, through `confirm`; ("", True) for
/// a rule of phrases alone. Only for rules without a host scope (no
/// `domains`), and for a floating rule only an exact one that cannot match
/// a line break. Shared by the Cleaners of one RuleSet's rules: its
/// regexes compile once per process. `shaping`: per rank of the shaping group, its
/// rule's number (needed with `rx`).
#[pyclass(frozen, module = "declutter._core")]
pub struct TextDecider {
    decider: Decider,
    stops: Py<StopLists>,
    /// Per rank of the dropping group (the Prefilter's second), its rule's number.
    dropping: Vec<u32>,
    /// Per rank of the shaping group (the Prefilter's first), its rule's number.
    shaping: Vec<u32>,
    /// The rules the core confirms itself (see [`PyRx`]), if any.
    rx: Option<Py<PyRx>>,
}

#[pymethods]
impl TextDecider {
    #[new]
    #[pyo3(signature = (settings, stoplists, actions, wheres, counts, floating, disabled, full_reasons, dropping,
                        rx=None, shaping=None))]
    #[allow(clippy::too_many_arguments)] // per rule a list of each, as Python holds them
    fn new(
        settings: &Bound<'_, PyAny>,
        stoplists: Py<StopLists>,
        actions: Vec<String>,
        wheres: Vec<String>,
        counts: Vec<bool>,
        floating: Vec<bool>,
        disabled: Vec<String>,
        full_reasons: bool,
        dropping: Vec<u32>,
        rx: Option<Py<PyRx>>,
        shaping: Option<Vec<u32>>,
    ) -> PyResult<Self> {
        let n = actions.len();
        let shaping = shaping.unwrap_or_default();
        if rx.as_ref().is_some_and(|rx| rx.get().inner.len() != n) {
            return Err(PyValueError::new_err("one translated pattern (or None) per rule"));
        }
        if dropping.iter().chain(&shaping).any(|&r| r as usize >= n) {
            return Err(PyValueError::new_err("a dropping rule of no such number"));
        }
        if wheres.len() != n || counts.len() != n || floating.len() != n {
            return Err(PyValueError::new_err(
                "one action, where, count flag and floating flag per rule",
            ));
        }
        let rules = (0..n)
            .map(|i| {
                Ok(Rule {
                    action: action(&actions[i])?,
                    place: place(&wheres[i])?,
                    counts: counts[i],
                    floating: floating[i],
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        let disabled = SIGNALS
            .iter()
            .map(|id| !id.is_empty() && disabled.iter().any(|d| d == id))
            .collect();
        Ok(Self {
            decider: Decider {
                rules,
                settings: self::settings(settings)?,
                disabled,
                full_reasons,
            },
            stops: stoplists,
            dropping,
            shaping,
            rx,
        })
    }

    /// Reads one page: `text` and `lengths` as `measure_page` takes them,
    /// measured with the decider's settings, and the rules' candidates on
    /// its stripped blocks by `prefilter` (the RuleSet's two groups).
    ///
    /// Returns (page, stripped, language, candidates): `page` the text and
    /// its measures for [`TextDecider::decide`]; `stripped` the stripped
    /// blocks joined by "\n", or a list when one holds a "\n" itself;
    /// `language` its number in the stop lists or None; `candidates` as
    /// `Prefilter.candidates` gives them, but that the shaping group's
    /// indexed and literal pairs of rules the core confirms itself (`rx`)
    /// are confirmed already: only the matching ones are listed.
    ///
    /// Cost: linear in the text, without the GIL; then one Python object per
    /// column and one int per candidate pair, none per block. Raises
    /// UnicodeEncodeError for a text with lone surrogates, ValueError for
    /// lengths that do not cut the text.
    #[pyo3(signature = (text, lengths, prefilter))]
    fn read<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
        lengths: Option<Vec<usize>>,
        prefilter: &Bound<'py, PyPrefilter>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let text = text.to_str()?;
        let prefilter = &prefilter.get().inner;
        guarded(py, "TextDecider.read", || {
            let page = py
                .detach(|| self.read_page(text.to_owned(), lengths.as_deref(), prefilter, None))
                .map_err(|_: measure::LengthMismatch| {
                    PyValueError::new_err("the block lengths do not cut the page's text")
                })?;
            read_tuple(py, page, true)
        })
    }

    /// Reads one text page as it comes (a str, or the decoded bytes, with
    /// no lone surrogates): cut into blocks as blocks.py `split_text` cuts
    /// it (newlines normalised, blank lines left out), then as
    /// [`TextDecider::read`]; [`TextDecider::decide`] then renders its text too.
    ///
    /// Returns what `read` returns, but None for `stripped`: the page's
    /// `stripped()` gives them if asked (most pages: never). Cost: linear in
    /// the text, without the GIL. Raises UnicodeEncodeError for a text with
    /// lone surrogates.
    #[pyo3(signature = (text, prefilter))]
    fn read_text<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
        prefilter: &Bound<'py, PyPrefilter>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let text = text.to_str()?;
        let prefilter = &prefilter.get().inner;
        guarded(py, "TextDecider.read_text", || {
            let page = py
                .detach(|| {
                    let mut blocks = textpage::split(text);
                    let joined = std::mem::take(&mut blocks.joined);
                    // no block holds a "\n": cut at each, but an empty page has none
                    let none: &[usize] = &[];
                    let lengths = if blocks.spans.is_empty() { Some(none) } else { None };
                    self.read_page(joined, lengths, prefilter, Some(blocks))
                })
                .map_err(|_: measure::LengthMismatch| PyValueError::new_err("the blocks do not cut the page"))?;
            read_tuple(py, page, false)
        })
    }

    /// The hits of the floating rules the core confirms itself on a page
    /// read by [`TextDecider::read`]: per such rule (by number, ascending),
    /// the blocks its pattern matches, ascending (bounds and `where` not
    /// applied). A floating rule's translation cannot match a line break, so
    /// its search over the joined blocks finds exactly these.
    ///
    /// Cost: one search per rule and block, without the GIL.
    fn floating(&self, py: Python<'_>, page: &Bound<'_, ReadPage>) -> PyResult<Vec<(u32, Vec<usize>)>> {
        let read = page.get();
        guarded(py, "TextDecider.floating", || {
            Ok(py.detach(|| {
                let lines: Vec<&str> = read.measures.stripped.iter().map(|&(a, b)| &read.text[a..b]).collect();
                (0..self.decider.rules.len() as u32)
                    .filter(|&r| self.decider.rules[r as usize].floating && self.rx().exact(r))
                    .map(|r| {
                        let hits = (0..lines.len()).filter(|&i| self.rx().is_match(r, lines[i]) == Some(true));
                        (r, hits.collect())
                    })
                    .collect()
            }))
        })
    }

    /// Decides one page read by [`TextDecider::read`]: the hits as (block,
    /// rule) pairs in the order RuleSet.match reports them with every line
    /// and rule tried (rules by their number in the RuleSet); the pairs
    /// whose search timed out, in the same order.
    ///
    /// With `confirm`, the dropping group's candidates (but its floating
    /// rules) are not among the hits: they are searched only where the
    /// simulated lazy loop searches them, by calling `confirm(kinds, lines,
    /// ranks, texts)` (kinds as bytes: 0 phrase, 1 indexed, 2 literal; lines,
    /// ranks and the lines' stripped texts as lists) once per lazy step that needs some, which returns
    /// per pair 0 (no match), 1 (a match) or 2 (timed out) as bytes. An
    /// exception it raises is raised here.
    ///
    /// Returns (verdicts, index, title, timeout_rules, timeout_blocks,
    /// text, title_text):
    /// `verdicts` the distinct verdicts as tuples (keep, reason, class,
    /// round), `reason` a reason number (below `len(SIGNALS)` a signal,
    /// else `len(SIGNALS)` + a rule's number), `class` 0 good, 1 short, 2
    /// bad; `index` per block the number of its verdict in `verdicts`
    /// (native u32s, memoryview format "I"); `title` the title's block or -1;
    /// for a page read by [`TextDecider::read_text`], `text` the page
    /// rendered as render.py renders it and `title_text` the title's stripped
    /// block or None, else both None.
    ///
    /// Cost: linear in the blocks per lazy step, without the GIL but while
    /// `confirm` runs; the page is not measured again. Raises ValueError for
    /// a hit out of range.
    #[pyo3(signature = (page, hit_blocks, hit_rules, timeout_rules, timeout_blocks, confirm=None))]
    #[allow(clippy::too_many_arguments)]
    fn decide<'py>(
        &self,
        py: Python<'py>,
        page: &Bound<'py, ReadPage>,
        hit_blocks: Vec<usize>,
        hit_rules: Vec<u32>,
        timeout_rules: Vec<u32>,
        timeout_blocks: Vec<usize>,
        confirm: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let read = page.get();
        let rules = self.decider.rules.len();
        if hit_blocks.len() != hit_rules.len() || timeout_rules.len() != timeout_blocks.len() {
            return Err(PyValueError::new_err("one block per hit and per timeout"));
        }
        if hit_rules.iter().chain(&timeout_rules).any(|&r| r as usize >= rules) {
            return Err(PyValueError::new_err("a hit of no such rule"));
        }
        let late = match &confirm {
            None => Late::none(read.measures.stripped.len()),
            Some(_) => self.late(read)?,
        };
        let stops = &self.stops.get().0;
        guarded(py, "TextDecider.decide", || {
            let mut failed: Option<PyErr> = None;
            let mut late = late;
            let outcome = py.detach(|| {
                let page = Page::new(&read.text, &read.measures, stops);
                let pairs: Vec<(usize, u32)> = hit_blocks.iter().copied().zip(hit_rules.iter().copied()).collect();
                let timeouts = timeout_rules
                    .iter()
                    .copied()
                    .zip(timeout_blocks.iter().copied())
                    .collect();
                let hits = Hits::new(page.len(), &pairs, timeouts).ok_or("a hit on no such block")?;
                let mut ask = |asked: &[Pair]| -> Vec<u8> {
                    let (Some(confirm), None) = (&confirm, &failed) else {
                        return vec![0; asked.len()]; // after a failure: the outcome is not used
                    };
                    // The core's own rules first; Python gets only the rest.
                    let mut outcomes: Vec<u8> = asked
                        .iter()
                        .map(|p| self.settle(p, &read.text, &read.measures))
                        .collect();
                    let rest: Vec<Pair> = asked
                        .iter()
                        .zip(&outcomes)
                        .filter(|(_, &o)| o == UNSETTLED)
                        .map(|(p, _)| *p)
                        .collect();
                    if rest.is_empty() {
                        return outcomes;
                    }
                    match ask_python(confirm, &rest, &read.text, &read.measures) {
                        Ok(answers) => {
                            let mut answers = answers.into_iter();
                            for o in outcomes.iter_mut().filter(|o| **o == UNSETTLED) {
                                *o = answers.next().unwrap_or(0);
                            }
                            outcomes
                        }
                        Err(err) => {
                            failed = Some(err);
                            vec![0; asked.len()]
                        }
                    }
                };
                Ok::<_, &str>(self.decider.clean(&page, &hits, &mut late, &mut ask))
            });
            let outcome = outcome.map_err(PyValueError::new_err)?;
            if let Some(err) = failed {
                return Err(err);
            }
            let title = outcome.title.map_or(-1, |t| t as i64);
            let (t_rules, t_blocks): (Vec<u32>, Vec<usize>) = outcome.timeouts.iter().copied().unzip();
            // Without the GIL: the verdicts' numbers and, for a page read by
            // read_text, its text and title.
            let (distinct, index, text, title_text) = py.detach(|| {
                let (distinct, index) = numbered(&outcome.verdicts);
                let Some(blocks) = &read.blocks else {
                    return (distinct, index, None, None);
                };
                let text = textpage::render(&read.text, blocks, outcome.verdicts.iter().map(|v| v.keep));
                let title = outcome.title.map(|t| {
                    let (a, b) = read.measures.stripped[t];
                    read.text[a..b].to_owned()
                });
                (distinct, index, Some(text), title)
            });
            (
                distinct,
                PyBytes::new(py, &index),
                title,
                t_rules,
                t_blocks,
                text,
                title_text,
            )
                .into_pyobject(py)
        })
    }
}

/// A pair's outcome not known to the core: Python confirms it.
const UNSETTLED: u8 = u8::MAX;

/// No translated rule: Python confirms them all.
static NO_RX: crate::rx::Rx = crate::rx::Rx::none();

impl TextDecider {
    fn rx(&self) -> &crate::rx::Rx {
        self.rx.as_ref().map_or(&NO_RX, |rx| &rx.get().inner)
    }

    /// A late pair's outcome as `confirm` gives it (0 no match, 1 a match),
    /// when the core confirms its rule itself; else UNSETTLED. A phrase pair
    /// is a hit (the prefilter kept the rule within its bounds; a rule the
    /// core confirms has no host scope).
    fn settle(&self, pair: &Pair, text: &str, measures: &measure::Measures) -> u8 {
        if !self.rx().has(pair.rule) {
            return UNSETTLED;
        }
        if pair.kind == 0 {
            return 1;
        }
        let (a, b) = measures.stripped[pair.block];
        match self.rx().is_match(pair.rule, &text[a..b]) {
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
                let rule = self.shaping.get(rank as usize).copied();
                let settled = rule.and_then(|r| self.rx().is_match(r, lines[line as usize]));
                if settled != Some(false) {
                    kept.lines.push(line);
                    kept.ranks.push(rank);
                }
            }
            *pairs = kept;
        }
    }

    /// Measures a page (`text` cut as [`measure::blocks`] cuts it) and
    /// finds its rules' candidates; `blocks` as [`textpage::split`] cut it, if so.
    fn read_page(
        &self,
        text: String,
        lengths: Option<&[usize]>,
        prefilter: &crate::prefilter::Prefilter,
        blocks: Option<textpage::Blocks>,
    ) -> Result<ReadPage, measure::LengthMismatch> {
        let settings = crate::decide::measure_settings(&self.decider.settings.features);
        let measures = measure::measure(&text, lengths, &settings, Some(&self.stops.get().0))?;
        let lines: Vec<&str> = measures.stripped.iter().map(|&(a, b)| &text[a..b]).collect();
        let keys: Vec<&str> = measures.keys.iter().map(|&(a, b)| &measures.key_text[a..b]).collect();
        let mut found = prefilter.candidates_measured(&lines, &measures.chars, &keys);
        if let Some(shaping) = found.first_mut() {
            self.settle_shaping(shaping, &lines);
        }
        Ok(ReadPage {
            text,
            measures,
            found,
            blocks,
        })
    }

    /// The late pairs of a page: its dropping group's candidates.
    fn late(&self, read: &ReadPage) -> PyResult<Late> {
        let found = read
            .found
            .get(1)
            .ok_or_else(|| PyValueError::new_err("the prefilter has no dropping group"))?;
        let kinds = [&found.phrase, &found.anchored, &found.literal];
        let mut pairs = Vec::with_capacity(kinds.iter().map(|k| k.lines.len()).sum());
        for (kind, of) in kinds.into_iter().enumerate() {
            for (&line, &rank) in of.lines.iter().zip(&of.ranks) {
                let rule = *self
                    .dropping
                    .get(rank as usize)
                    .ok_or_else(|| PyValueError::new_err("a candidate of no such dropping rule"))?;
                pairs.push(Pair::new(line as usize, kind as u8, rule, rank));
            }
        }
        Late::new(read.measures.stripped.len(), pairs)
            .ok_or_else(|| PyValueError::new_err("a candidate on no such block"))
    }
}

/// One entry per distinct verdict (keep, reason, class, round), in order of
/// first use, and per block the number of its entry as native u32 bytes:
/// Python makes one object per distinct verdict, and the list of them by
/// indexing in C.
type Numbered = (Vec<(bool, u32, u8, u32)>, Vec<u8>);

fn numbered(verdicts: &[crate::decide::Verdict]) -> Numbered {
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

/// Calls `confirm(kinds, lines, ranks, texts)` for the pairs, with the GIL
/// (`texts` the pairs' stripped blocks, so that Python cuts no line): its
/// outcome per pair, or its exception (ValueError for a wrong count).
fn ask_python(confirm: &Py<PyAny>, asked: &[Pair], text: &str, measures: &measure::Measures) -> PyResult<Vec<u8>> {
    let kinds: Vec<u8> = asked.iter().map(|p| p.kind).collect();
    let lines: Vec<usize> = asked.iter().map(|p| p.block).collect();
    let ranks: Vec<u32> = asked.iter().map(|p| p.rank).collect();
    Python::attach(|py| {
        let texts = PyList::new(
            py,
            asked.iter().map(|p| {
                let (a, b) = measures.stripped[p.block];
                PyString::new(py, &text[a..b])
            }),
        )?;
        let outcome = confirm.call1(py, (PyBytes::new(py, &kinds), lines, ranks, texts))?;
        let outcome: Vec<u8> = outcome.bind(py).cast::<PyBytes>()?.as_bytes().to_vec();
        if outcome.len() != asked.len() {
            return Err(PyValueError::new_err("confirm gave not one outcome per pair"));
        }
        Ok(outcome)
    })
}

/// A page read by [`TextDecider::read`]: its text and measures, held for
/// [`TextDecider::decide`] so that the page is measured once.
#[pyclass(frozen, module = "declutter._core")]
pub struct ReadPage {
    text: String,
    measures: measure::Measures,
    /// The rules' candidates, per group (shaping, dropping).
    found: Vec<Found>,
    /// For a page read by [`TextDecider::read_text`], its blocks (their
    /// text moved to `text`).
    blocks: Option<textpage::Blocks>,
}

/// (page, stripped, language, candidates) of [`TextDecider::read`]; for
/// [`TextDecider::read_text`] (`lines` false), `stripped` is None: the page
/// gives its lines only if asked ([`ReadPage::stripped`]).
fn read_tuple(py: Python<'_>, page: ReadPage, lines: bool) -> PyResult<Bound<'_, PyTuple>> {
    let stripped = if lines {
        page.stripped(py)?
    } else {
        py.None().into_bound(py)
    };
    let language = page.measures.language.into_pyobject(py)?.into_any();
    let candidates = candidate_lists(py, &page.found)?.into_any();
    let page = Bound::new(py, page)?.into_any();
    PyTuple::new(py, [page, stripped, language, candidates])
}

#[pymethods]
impl ReadPage {
    /// The stripped blocks joined by "\n", or a list when one holds a "\n"
    /// itself. Cost: one copy of the page's text, with the GIL.
    fn stripped<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let m = &self.measures;
        let text = &self.text;
        Ok(if !m.stripped.iter().any(|&(a, b)| text[a..b].contains('\n')) {
            joined(py, text, &m.stripped).into_any()
        } else {
            PyList::new(py, m.stripped.iter().map(|&(a, b)| PyString::new(py, &text[a..b])))?.into_any()
        })
    }

    /// The number of blocks.
    fn __len__(&self) -> usize {
        self.measures.stripped.len()
    }
}

/// The names of the signal reasons below the first rule's: `SIGNALS[k]` for reason k.
pub fn signals() -> Vec<&'static str> {
    SIGNALS.to_vec()
}
