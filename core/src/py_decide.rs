//! The text decision's Python entry (`declutter._core.TextDecider`): built
//! once per Cleaner from its typed settings and rules, then one call per
//! page. Used by declutter/core_decide.py; see [`crate::decide`].

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};
use std::borrow::Cow;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::decide::settings::{Classify, Features, ListRun, Region, Repeated, Table, Thread, Title};
use crate::decide::{Action, Decider, Hits, Late, Page, Pair, Rule, Settings, Where, SIGNALS};

use crate::cleanpage::{self, numbered, Confirmer, Entry, ReadPage, TextCore, NO_RX, UNSETTLED};
use crate::{candidate_lists, guarded, joined, measure, PyPrefilter, PyRx, StopLists};

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
/// rule's number (needed with `rx`). `bounds`: per rule (min_chars,
/// max_chars or None); `scoped`: per rule whether it has a host scope
/// (`domains`), for [`TextDecider::clean_text`].
#[pyclass(frozen, module = "declutter._core")]
pub struct TextDecider {
    core: TextCore,
    stops: Py<StopLists>,
    /// The rules the core confirms itself (see [`PyRx`]), if any.
    rx: Option<Py<PyRx>>,
}

#[pymethods]
impl TextDecider {
    #[new]
    #[pyo3(signature = (settings, stoplists, actions, wheres, counts, floating, disabled, full_reasons, dropping,
                        rx=None, shaping=None, bounds=None, scoped=None))]
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
        bounds: Option<Vec<(usize, Option<usize>)>>,
        scoped: Option<Vec<bool>>,
    ) -> PyResult<Self> {
        let n = actions.len();
        let shaping = shaping.unwrap_or_default();
        let bounds = bounds.unwrap_or_else(|| vec![(0, None); n]);
        let scoped = scoped.unwrap_or_else(|| vec![true; n]); // unknown: none remembered
        if rx.as_ref().is_some_and(|rx| rx.get().inner.len() != n) {
            return Err(PyValueError::new_err("one translated pattern (or None) per rule"));
        }
        if dropping.iter().chain(&shaping).any(|&r| r as usize >= n) {
            return Err(PyValueError::new_err("a dropping rule of no such number"));
        }
        if [wheres.len(), counts.len(), floating.len(), bounds.len(), scoped.len()] != [n; 5] {
            return Err(PyValueError::new_err(
                "one action, where, count flag, floating flag, bounds and scope flag per rule",
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
            core: TextCore {
                decider: Decider {
                    rules,
                    settings: self::settings(settings)?,
                    disabled,
                    full_reasons,
                },
                dropping,
                shaping,
                bounds,
                scoped,
                answers: Mutex::default(),
            },
            stops: stoplists,
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
                .detach(|| {
                    self.entry()
                        .read_page(text.to_owned(), lengths.as_deref(), prefilter, true)
                })
                .map_err(|_: measure::LengthMismatch| {
                    PyValueError::new_err("the block lengths do not cut the page's text")
                })?;
            read_tuple(py, page)
        })
    }

    /// Cleans one text page as it comes, in one call (a str with no lone
    /// surrogates, or bytes, decoded as blocks.py `decode_bytes` decodes
    /// them: UTF-8, a BOM left out, invalid bytes replaced): cut into blocks as blocks.py `split_text` cuts it,
    /// measured, its rules' candidates found and confirmed, decided as
    /// [`TextDecider::decide`] decides and rendered as render.py renders.
    ///
    /// Python is called, with the GIL, only for what the core cannot do
    /// itself, and at most once per step: `shaping(kinds, lines, ranks,
    /// texts)` for the shaping group's candidates the core cannot confirm
    /// (as `decide`'s `confirm`, once per page), `dropping(...)` the same
    /// for the dropping group's, once per lazy step that needs some,
    /// `floating(rules, lines)` (None where every floating rule is the
    /// core's) for the floating rules without an exact translation: their
    /// numbers and the stripped blocks joined by "\n", giving per rule
    /// (hit blocks, timed-out blocks) with its host scope and bounds
    /// applied; and `checkpoint(stage)` between the stages (after
    /// measuring, between floating rules, after matching) once `due`
    /// seconds have passed (None: never), for the page's time budget.
    ///
    /// Returns None for a `strict` page where a search timed out (the
    /// reference says where), else (verdicts, index, timeout_rules,
    /// timeout_blocks, text, title, language, removed_chars): the first four
    /// as `decide` gives them, `title` the title's stripped block or None,
    /// `language` its number in the stop lists or None, `removed_chars` the
    /// code points of the dropped blocks' stripped text. An exception a callback
    /// raises is raised here, with no later callback made.
    ///
    /// Cost: linear in the text, without the GIL but while a callback runs;
    /// one Python object per column, none per block. Raises
    /// UnicodeEncodeError for a text with lone surrogates.
    #[pyo3(signature = (text, prefilter, shaping, dropping, floating, checkpoint, due, strict))]
    #[allow(clippy::too_many_arguments)] // the page, its callbacks and its budget
    fn clean_text<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        prefilter: &Bound<'py, PyPrefilter>,
        shaping: Py<PyAny>,
        dropping: Py<PyAny>,
        floating: Option<Py<PyAny>>,
        checkpoint: Py<PyAny>,
        due: Option<f64>,
        strict: bool,
    ) -> PyResult<Option<Bound<'py, PyTuple>>> {
        let text = if let Ok(bytes) = text.cast::<PyBytes>() {
            Given::Bytes(bytes.as_bytes())
        } else {
            Given::Str(text.cast::<PyString>()?.to_str()?)
        };
        let prefilter = &prefilter.get().inner;
        let due = due.map(|s| Instant::now() + Duration::from_secs_f64(s.clamp(0.0, 1e9)));
        guarded(py, "TextDecider.clean_text", || {
            let mut calls = Calls {
                shaping: &shaping,
                dropping: &dropping,
                floating: floating.as_ref(),
                checkpoint: &checkpoint,
                due,
                failed: None,
            };
            let cleaned = py.detach(|| self.entry().clean_page(&text.decoded(), prefilter, strict, &mut calls));
            if let Some(err) = calls.failed {
                return Err(err);
            }
            let Some(c) = cleaned.map_err(PyValueError::new_err)? else {
                return Ok(None);
            };
            let (t_rules, t_blocks): (Vec<u32>, Vec<usize>) = c.timeouts.into_iter().unzip();
            let tuple = (
                c.distinct,
                PyBytes::new(py, &c.index),
                t_rules,
                t_blocks,
                c.text,
                c.title,
                c.language,
                c.removed_chars,
            );
            Ok(Some(tuple.into_pyobject(py)?))
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
                let entry = self.entry();
                let rules = &self.core.decider.rules;
                (0..rules.len() as u32)
                    .filter(|&r| rules[r as usize].floating && entry.rx.exact(r))
                    .map(|r| {
                        let hits = (0..lines.len()).filter(|&i| entry.rx.is_match(r, lines[i]) == Some(true));
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
    /// Returns (verdicts, index, title, timeout_rules, timeout_blocks):
    /// `verdicts` the distinct verdicts as tuples (keep, reason, class,
    /// round), `reason` a reason number (below `len(SIGNALS)` a signal,
    /// else `len(SIGNALS)` + a rule's number), `class` 0 good, 1 short, 2
    /// bad; `index` per block the number of its verdict in `verdicts`
    /// (native u32s, memoryview format "I"); `title` the title's block or -1.
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
        let rules = self.core.decider.rules.len();
        if hit_blocks.len() != hit_rules.len() || timeout_rules.len() != timeout_blocks.len() {
            return Err(PyValueError::new_err("one block per hit and per timeout"));
        }
        if hit_rules.iter().chain(&timeout_rules).any(|&r| r as usize >= rules) {
            return Err(PyValueError::new_err("a hit of no such rule"));
        }
        let late = match &confirm {
            None => Late::none(read.measures.stripped.len()),
            Some(_) => self.entry().late(read).map_err(PyValueError::new_err)?,
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
                        .map(|p| self.entry().settle(p, &read.text, &read.measures))
                        .collect();
                    let rest = cleanpage::unsettled(asked, &outcomes);
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
                Ok::<_, &str>(self.core.decider.clean(&page, &hits, &mut late, &mut ask))
            });
            let outcome = outcome.map_err(PyValueError::new_err)?;
            if let Some(err) = failed {
                return Err(err);
            }
            let title = outcome.title.map_or(-1, |t| t as i64);
            let (t_rules, t_blocks): (Vec<u32>, Vec<usize>) = outcome.timeouts.iter().copied().unzip();
            let (distinct, index) = py.detach(|| numbered(&outcome.verdicts));
            (distinct, PyBytes::new(py, &index), title, t_rules, t_blocks).into_pyobject(py)
        })
    }
}

impl TextDecider {
    /// The decision without Python, with the stop lists and translations.
    fn entry(&self) -> Entry<'_> {
        Entry {
            core: &self.core,
            stops: &self.stops.get().0,
            rx: self.rx.as_ref().map_or(&NO_RX, |rx| &rx.get().inner),
        }
    }
}

/// A text page as [`TextDecider::clean_text`] is given it.
enum Given<'a> {
    Str(&'a str),
    Bytes(&'a [u8]),
}

impl Given<'_> {
    /// The page's text: bytes as blocks.py `decode_bytes` decodes them,
    /// each maximal invalid subpart one U+FFFD as Python's "replace" does
    /// (tests/test_glue.py). Cost: a copy of bytes with invalid UTF-8.
    fn decoded(&self) -> Cow<'_, str> {
        match *self {
            Given::Str(text) => Cow::Borrowed(text),
            Given::Bytes(data) => String::from_utf8_lossy(data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data)),
        }
    }
}

/// The Python callbacks of one [`TextDecider::clean_text`] call, and the
/// first exception one raised: no callback is made after it.
struct Calls<'a> {
    shaping: &'a Py<PyAny>,
    dropping: &'a Py<PyAny>,
    floating: Option<&'a Py<PyAny>>,
    checkpoint: &'a Py<PyAny>,
    /// When the page's budget could be spent, if it has one.
    due: Option<Instant>,
    failed: Option<PyErr>,
}

impl Confirmer for Calls<'_> {
    /// Calls `checkpoint(stage)` once the budget could be spent; whether
    /// to go on (false once a callback failed).
    fn checkpoint(&mut self, stage: &str) -> bool {
        if self.failed.is_none() && self.due.is_some_and(|due| Instant::now() >= due) {
            let checkpoint = self.checkpoint;
            if let Err(err) = Python::attach(|py| checkpoint.call1(py, (stage,)).map(drop)) {
                self.failed = Some(err);
            }
        }
        self.failed.is_none()
    }

    /// The outcome of each pair by the group's callback (see
    /// [`ask_python`]); all 0 after a failure, whose outcome is not used.
    fn pairs(&mut self, shaping: bool, pairs: &[Pair], read: &ReadPage) -> Vec<u8> {
        if self.failed.is_none() {
            let confirm = if shaping { self.shaping } else { self.dropping };
            match ask_python(confirm, pairs, &read.text, &read.measures) {
                Ok(outcomes) => return outcomes,
                Err(err) => self.failed = Some(err),
            }
        }
        vec![0; pairs.len()]
    }

    /// Per floating rule of `rules`, its (hit blocks, timed-out blocks) by
    /// the `floating` callback; empty after a failure.
    fn floating(&mut self, rules: &[u32], read: &ReadPage) -> Vec<(Vec<usize>, Vec<usize>)> {
        if self.failed.is_none() {
            let n = read.measures.stripped.len();
            let made = Python::attach(|py| -> PyResult<Vec<(Vec<usize>, Vec<usize>)>> {
                let floating = self
                    .floating
                    .ok_or_else(|| PyValueError::new_err("floating rules for Python but no floating callback"))?;
                let lines = joined(py, &read.text, &read.measures.stripped);
                let out: Vec<(Vec<usize>, Vec<usize>)> = floating.call1(py, (rules.to_vec(), lines))?.extract(py)?;
                if out.len() != rules.len() || out.iter().flat_map(|(h, t)| h.iter().chain(t)).any(|&b| b >= n) {
                    return Err(PyValueError::new_err(
                        "floating gave not one (hits, timeouts) per rule on the page",
                    ));
                }
                Ok(out)
            });
            match made {
                Ok(out) => return out,
                Err(err) => self.failed = Some(err),
            }
        }
        vec![Default::default(); rules.len()]
    }

    fn failed(&self) -> bool {
        self.failed.is_some()
    }
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

/// (page, stripped, language, candidates) of [`TextDecider::read`].
fn read_tuple(py: Python<'_>, page: ReadPage) -> PyResult<Bound<'_, PyTuple>> {
    let stripped = page.stripped(py)?;
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
