//! declutter's compiled core, the extension module `declutter._core`.
//!
//! An implementation detail of the Python package: its API, errors and docs
//! are Python's (`declutter.core` chooses between this module and the
//! pure-Python reference in `declutter/features.py`). Each entry takes one
//! whole page, does its work without the GIL, and returns plain data: flat
//! Python lists built once, never an object per line.
//!
//! A panic never crosses into Python: every entry runs inside `guarded`,
//! which turns it into `declutter.errors.CoreError` (a `DeclutterError`).

#![warn(missing_docs)]

use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyList, PyString, PyTuple};

mod cleanpage;
mod decide;
pub mod fuzzing;
pub mod language;
pub mod measure;
pub mod prefilter;
mod py_decide;
pub mod pystr;
pub mod rx;
mod tables;
pub mod textpage;

pub use tables::UNICODE_VERSION;

thread_local! {
    /// Inside an entry: where a panic's message and place are kept for the
    /// error raised in Python, instead of being printed on stderr.
    static CAUGHT: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Installs, once, a panic hook that stays silent for panics inside an entry
/// (they become a Python exception that says the same) and leaves every
/// other panic to the hook that was there before.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let kept = CAUGHT.with(|c| match c.borrow_mut().as_mut() {
                Some(slot) => {
                    *slot = Some(match info.location() {
                        Some(at) => format!("{} at {}:{}", message(info.payload()), at.file(), at.line()),
                        None => message(info.payload()),
                    });
                    true
                }
                None => false,
            });
            if !kept {
                previous(info);
            }
        }));
    });
}

fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// Runs an entry's body; a panic in it (with or without the GIL) becomes
/// `declutter.errors.CoreError("declutter's compiled core failed in ENTRY:
/// MESSAGE at FILE:LINE")`.
pub(crate) fn guarded<T>(py: Python<'_>, entry: &str, body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    install_hook();
    let outer = CAUGHT.with(|c| c.borrow_mut().replace(None));
    let result = panic::catch_unwind(AssertUnwindSafe(body));
    let caught = CAUGHT.with(|c| std::mem::replace(&mut *c.borrow_mut(), outer));
    match result {
        Ok(value) => value,
        Err(payload) => {
            let what = caught.flatten().unwrap_or_else(|| message(payload.as_ref()));
            Err(core_error(
                py,
                &format!("declutter's compiled core failed in {entry}: {what}"),
            ))
        }
    }
}

/// `declutter.errors.CoreError(text)`; a RuntimeError if that cannot be had.
fn core_error(py: Python<'_>, text: &str) -> PyErr {
    let made = py
        .import("declutter.errors")
        .and_then(|m| m.getattr("CoreError"))
        .and_then(|cls| cls.call1((text,)));
    match made {
        Ok(err) => PyErr::from_value(err),
        Err(_) => PyRuntimeError::new_err(text.to_owned()),
    }
}

/// The stop-word lists of every language, indexed once per process
/// (`declutter.features` makes one from language.py's lists and passes it to
/// every [`measure_page`] call). Read-only, shared by threads.
#[pyclass(frozen, module = "declutter._core")]
pub(crate) struct StopLists(pub(crate) language::StopLists);

#[pymethods]
impl StopLists {
    /// `lists`: one list of words per language, in language.py's order.
    #[new]
    fn new(py: Python<'_>, lists: Vec<Vec<String>>) -> PyResult<Self> {
        guarded(py, "StopLists", || Ok(Self(language::StopLists::new(&lists))))
    }
}

/// Measures every block of a page: `declutter.features.measure` up to the
/// PageFeatures it returns.
///
/// `text` is the page's blocks joined by "\n"; `lengths` is None when no
/// block holds a "\n" itself, else each block's length in code points. The
/// settings are FeatureSettings' `code_min_chars`, `code_max_space_share`,
/// `unspaced_min_share`, `menu_max_words`, `prose_min_words` and
/// `stop_max_chars`; `stoplists` tells the language.
///
/// Returns a tuple (stripped, keys, chars, words, stop_share, sentence_end,
/// sentences, capital_share, code_share, repeats, numbers, language,
/// unspaced, longest): `keys` the blocks' keys joined by "\n"; `stripped`
/// the same, or a list when a stripped block holds a "\n" itself; the
/// per-block numbers as the bytes of native arrays (memoryview formats "Q",
/// "d" for the shares, "?" for sentence_end); `language` the language's
/// number in `stoplists`, or None; `longest` a list of block numbers.
///
/// Cost: linear in the text, without the GIL; then one Python object per
/// column, not per block. Raises
/// UnicodeEncodeError for a text with lone surrogates (the caller measures
/// those in Python), ValueError when the lengths do not cut the text.
#[pyfunction]
#[pyo3(signature = (text, lengths, stoplists, code_min_chars, code_max_space_share, unspaced_min_share,
                    menu_max_words, prose_min_words, stop_max_chars))]
#[allow(clippy::too_many_arguments)] // the settings, each a plain number, as Python holds them
fn measure_page<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyString>,
    lengths: Option<Vec<usize>>,
    stoplists: &Bound<'py, StopLists>,
    code_min_chars: usize,
    code_max_space_share: f64,
    unspaced_min_share: f64,
    menu_max_words: usize,
    prose_min_words: usize,
    stop_max_chars: f64,
) -> PyResult<Bound<'py, PyTuple>> {
    let page = text.to_str()?;
    let lists = &stoplists.get().0;
    let settings = measure::Settings {
        code_min_chars,
        code_max_space_share,
        unspaced_min_share,
        menu_max_words,
        prose_min_words,
        stop_max_chars,
    };
    guarded(py, "measure_page", || {
        let m = py
            .detach(|| measure::measure(page, lengths.as_deref(), &settings, Some(lists)))
            .map_err(|_| PyValueError::new_err("the block lengths do not cut the page's text"))?;
        // Strings as one text of "\n"-joined lines, numbers as the bytes of
        // native u64 / f64 / bool arrays: Python splits the text and reads
        // the arrays with memoryview.cast(...).tolist(), in C, far faster
        // than an FFI call per object.
        let stripped = if !m.stripped.iter().any(|&(a, b)| page[a..b].contains('\n')) {
            joined(py, page, &m.stripped).into_any()
        } else {
            PyList::new(py, m.stripped.iter().map(|&(a, b)| PyString::new(py, &page[a..b])))?.into_any()
        };
        let items: [Bound<'py, PyAny>; 14] = [
            stripped,
            joined(py, &m.key_text, &m.keys).into_any(),
            counts(py, &m.chars).into_any(),
            counts(py, &m.words).into_any(),
            floats(py, &m.stop_share).into_any(),
            PyBytes::new(py, &m.sentence_end.iter().map(|&b| u8::from(b)).collect::<Vec<u8>>()).into_any(),
            counts(py, &m.sentences).into_any(),
            floats(py, &m.capital_share).into_any(),
            floats(py, &m.code_share).into_any(),
            counts(py, &m.repeats).into_any(),
            counts(py, &m.numbers).into_any(),
            m.language.into_pyobject(py)?.into_any(),
            PyBool::new(py, m.unspaced).to_owned().into_any(),
            PyList::new(py, &m.longest)?.into_any(),
        ];
        PyTuple::new(py, items)
    })
}

/// The spans of `text` joined by "\n", as one Python string.
pub(crate) fn joined<'py>(py: Python<'py>, text: &str, spans: &[(usize, usize)]) -> Bound<'py, PyString> {
    let mut out = String::with_capacity(spans.iter().map(|&(a, b)| b - a + 1).sum());
    for (i, &(a, b)) in spans.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&text[a..b]);
    }
    PyString::new(py, &out)
}

/// The bytes of `values` as native u64s (memoryview format "Q").
fn counts<'py>(py: Python<'py>, values: &[usize]) -> Bound<'py, PyBytes> {
    PyBytes::new(
        py,
        &values
            .iter()
            .flat_map(|&v| (v as u64).to_ne_bytes())
            .collect::<Vec<u8>>(),
    )
}

/// The bytes of `values` as native f64s (memoryview format "d").
fn floats<'py>(py: Python<'py>, values: &[f64]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, &values.iter().flat_map(|v| v.to_ne_bytes()).collect::<Vec<u8>>())
}

/// One group's rules as `declutter.matching.RuleIndex` holds them, ranks
/// for rules: (bounds, phrases, prefixes, prefix_literals, literal_rules,
/// everywhere); see [`prefilter::GroupSpec`].
type GroupTuple = (
    Vec<(usize, Option<usize>)>,
    Vec<(String, Vec<u32>)>,
    Vec<(String, Vec<u32>)>,
    Vec<(u32, Vec<String>)>,
    Vec<(u32, Vec<String>)>,
    Vec<u32>,
);

/// The rule prefilter of some rule groups (`declutter.matching`'s
/// RuleIndex candidates, phrase lookups and literal holding), built once per
/// set of rules: `Prefilter(groups, phrase_trim)`, each group a tuple (bounds, phrases,
/// prefixes, prefix_literals, literal_rules, everywhere) where every rule
/// is its rank (its index in the group): bounds is a list of (min_chars,
/// max_chars or None) per rank; phrases and prefixes lists of (text,
/// [rank, ...]); prefix_literals and literal_rules lists of (rank,
/// [folded literal, ...]); everywhere a list of ranks. Raises ValueError
/// for a rank without bounds. `phrase_trim` is normalise.py's PHRASE_TRIM,
/// the marks stripped off a line's key before it is looked up as a phrase.
#[pyclass(frozen, module = "declutter._core", name = "Prefilter")]
pub(crate) struct PyPrefilter {
    pub(crate) inner: prefilter::Prefilter,
}

#[pymethods]
impl PyPrefilter {
    #[new]
    fn new(groups: Vec<GroupTuple>, phrase_trim: &str) -> PyResult<Self> {
        let specs: Vec<prefilter::GroupSpec> = groups
            .into_iter()
            .map(
                |(bounds, phrases, prefixes, prefix_literals, literal_rules, everywhere)| prefilter::GroupSpec {
                    bounds,
                    phrases,
                    prefixes,
                    prefix_literals,
                    literal_rules,
                    everywhere,
                },
            )
            .collect();
        let inner = prefilter::Prefilter::new(&specs, phrase_trim)
            .map_err(|prefilter::BadRank(r)| PyValueError::new_err(format!("rank {r} has no bounds")))?;
        Ok(PyPrefilter { inner })
    }

    /// The candidate (line, rank) pairs of a page's stripped lines, per
    /// group: a list with, for each group, the tuple (phrase_lines,
    /// phrase_ranks, anchored_lines, anchored_ranks, literal_lines,
    /// literal_ranks) of flat int lists, pair k of a kind being
    /// (lines[k], ranks[k]), by line and then in the order matching.py tries
    /// them. `text` and `lengths` cut the lines as measure_page's do.
    ///
    /// Cost: linear in the text, without the GIL; then one Python int per
    /// pair. Raises UnicodeEncodeError for a text with lone surrogates,
    /// ValueError when the lengths do not cut the text.
    #[pyo3(signature = (text, lengths))]
    fn candidates<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
        lengths: Option<Vec<usize>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let page = text.to_str()?;
        guarded(py, "Prefilter.candidates", || {
            let found = py
                .detach(|| {
                    let lines = measure::blocks(page, lengths.as_deref())?;
                    Ok(self.inner.candidates(&lines))
                })
                .map_err(|_: measure::LengthMismatch| {
                    PyValueError::new_err("the block lengths do not cut the page's text")
                })?;
            candidate_lists(py, &found)
        })
    }
}

/// The candidates of each group as Python takes them: a list with, per
/// group, the tuple (phrase_lines, phrase_ranks, anchored_lines,
/// anchored_ranks, literal_lines, literal_ranks) of int lists.
pub(crate) fn candidate_lists<'py>(py: Python<'py>, found: &[prefilter::Found]) -> PyResult<Bound<'py, PyList>> {
    let groups = found
        .iter()
        .map(|f| {
            (
                PyList::new(py, &f.phrase.lines)?,
                PyList::new(py, &f.phrase.ranks)?,
                PyList::new(py, &f.anchored.lines)?,
                PyList::new(py, &f.anchored.ranks)?,
                PyList::new(py, &f.literal.lines)?,
                PyList::new(py, &f.literal.ranks)?,
            )
                .into_pyobject(py)
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, groups)
}

/// blocks.py `split_text(text)` as the core cuts a text page (for the
/// tests): (texts, first_lines, gaps), lists with one item per block.
/// Raises UnicodeEncodeError for a text with lone surrogates.
#[pyfunction]
fn split_text<'py>(py: Python<'py>, text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyTuple>> {
    let text = text.to_str()?;
    guarded(py, "split_text", || {
        let b = textpage::split(text);
        let texts = PyList::new(py, b.spans.iter().map(|&(s, e)| &b.joined[s..e]))?;
        (texts, b.lines, b.gaps).into_pyobject(py)
    })
}

/// Panics with `message`, inside the same guard as every entry, with the
/// GIL released if `detached`: for the tests that a panic reaches Python as
/// a CoreError, never as pyo3's PanicException.
#[pyfunction]
fn _panic_for_test(py: Python<'_>, message: String, detached: bool) -> PyResult<()> {
    guarded(py, "_panic_for_test", || {
        if detached {
            py.detach(|| panic!("{message}"))
        } else {
            panic!("{message}")
        }
    })
}

/// The module `declutter._core`.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("UNICODE_VERSION", UNICODE_VERSION)?;
    m.add_class::<StopLists>()?;
    m.add_function(wrap_pyfunction!(measure_page, m)?)?;
    m.add_class::<py_decide::TextDecider>()?;
    m.add_class::<cleanpage::ReadPage>()?;
    m.add("DECIDE_SIGNALS", py_decide::signals())?;
    m.add_class::<PyPrefilter>()?;
    m.add_class::<PyRx>()?;
    m.add_function(wrap_pyfunction!(split_text, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    Ok(())
}

/// Translated rule patterns (see [`rx`]): `Rx(sources)`, one (source,
/// exact) or None per rule of a RuleSet, given to TextDecider; each regex
/// compiles on its first search, once per process where one Rx is shared.
/// `search`, `find_all` and `matches` run one alone (tests/test_core_rx.py).
#[pyclass(frozen, module = "declutter._core", name = "Rx")]
pub struct PyRx {
    pub(crate) inner: rx::Rx,
}

#[pymethods]
impl PyRx {
    #[new]
    fn new(sources: Vec<Option<(String, bool)>>) -> PyResult<Self> {
        Ok(Self {
            inner: rx::Rx::new(sources),
        })
    }

    /// The leftmost-first match of rule `rule` in `text` as (start, end) in
    /// characters, or None; ValueError for a rule without a translation
    /// (or one that does not compile).
    fn search(&self, rule: u32, text: &str) -> PyResult<Option<(usize, usize)>> {
        let re = self
            .inner
            .regex(rule)
            .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("no translation for this rule"))?;
        Ok(re.find(text).map(|m| {
            let start = text[..m.start()].chars().count();
            (start, start + m.as_str().chars().count())
        }))
    }

    /// Whether rule `rule`'s translation matches somewhere in `text`, as
    /// the core's own searches find it (a forward lazy DFA, not the regex
    /// `search` runs); ValueError for a rule without a translation.
    fn matches(&self, rule: u32, text: &str) -> PyResult<bool> {
        self.inner
            .matches(rule, text)
            .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("no translation for this rule"))
    }

    /// Every match of rule `rule` in `text`, as `search` gives one.
    fn find_all(&self, rule: u32, text: &str) -> PyResult<Vec<(usize, usize)>> {
        let re = self
            .inner
            .regex(rule)
            .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("no translation for this rule"))?;
        let mut out = Vec::new();
        let (mut at, mut chars) = (0, 0);
        for m in re.find_iter(text) {
            chars += text[at..m.start()].chars().count();
            let len = m.as_str().chars().count();
            out.push((chars, chars + len));
            chars += len;
            at = m.end();
        }
        Ok(out)
    }
}
