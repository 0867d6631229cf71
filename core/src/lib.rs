//! declutter's compiled core, the extension module `declutter._core`.
//!
//! An implementation detail of the Python package: its API, errors and docs
//! are Python's (`declutter.core` chooses between this module and the
//! pure-Python reference in `declutter/features.py`). Each entry takes one
//! whole page, does its work without the GIL, and returns plain data: flat
//! Python lists built once, never an object per line.
//!
//! A panic never crosses into Python: every entry runs inside [`guarded`],
//! which turns it into `declutter.errors.CoreError` (a `DeclutterError`).

use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

pub mod measure;
pub mod prefilter;
pub mod pystr;
mod tables;

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
fn guarded<T>(py: Python<'_>, entry: &str, body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
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

/// Measures every block of a page: the per-line part of
/// `declutter.features.measure`.
///
/// `text` is the page's blocks joined by "\n"; `lengths` is None when no
/// block holds a "\n" itself, else each block's length in code points. The
/// settings are FeatureSettings' `code_min_chars`, `code_max_space_share`,
/// `unspaced_min_share` and `menu_max_words`.
///
/// Returns a tuple of flat lists and values: (stripped, chars, words,
/// sentence_end, sentences, capital_share, code_share, keys, repeats,
/// numbers, unspaced, longest), each list with one entry per block.
///
/// Cost: linear in the text, without the GIL; then one Python object per
/// entry of the lists. Raises UnicodeEncodeError for a text with lone
/// surrogates (the caller measures those in Python), ValueError when the
/// lengths do not cut the text.
#[pyfunction]
#[pyo3(signature = (text, lengths, code_min_chars, code_max_space_share, unspaced_min_share, menu_max_words))]
fn measure_page<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyString>,
    lengths: Option<Vec<usize>>,
    code_min_chars: usize,
    code_max_space_share: f64,
    unspaced_min_share: f64,
    menu_max_words: usize,
) -> PyResult<Bound<'py, PyTuple>> {
    let page = text.to_str()?;
    let settings = measure::Settings {
        code_min_chars,
        code_max_space_share,
        unspaced_min_share,
        menu_max_words,
    };
    guarded(py, "measure_page", || {
        let m = py
            .detach(|| measure::measure(page, lengths.as_deref(), &settings))
            .map_err(|_| PyValueError::new_err("the block lengths do not cut the page's text"))?;
        let spans = |text: &str, spans: &[(usize, usize)]| {
            PyList::new(py, spans.iter().map(|&(a, b)| PyString::new(py, &text[a..b])))
        };
        (
            spans(page, &m.stripped)?,
            PyList::new(py, &m.chars)?,
            PyList::new(py, &m.words)?,
            PyList::new(py, &m.sentence_end)?,
            PyList::new(py, &m.sentences)?,
            PyList::new(py, &m.capital_share)?,
            PyList::new(py, &m.code_share)?,
            spans(&m.key_text, &m.keys)?,
            PyList::new(py, &m.repeats)?,
            PyList::new(py, &m.numbers)?,
            m.unspaced,
            PyList::new(py, &m.longest)?,
        )
            .into_pyobject(py)
    })
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
/// set of rules: `Prefilter(groups)`, each group a tuple (bounds, phrases,
/// prefixes, prefix_literals, literal_rules, everywhere) where every rule
/// is its rank (its index in the group): bounds is a list of (min_chars,
/// max_chars or None) per rank; phrases and prefixes lists of (text,
/// [rank, ...]); prefix_literals and literal_rules lists of (rank,
/// [folded literal, ...]); everywhere a list of ranks. Raises ValueError
/// for a rank without bounds.
#[pyclass(frozen, module = "declutter._core", name = "Prefilter")]
struct PyPrefilter {
    inner: prefilter::Prefilter,
}

#[pymethods]
impl PyPrefilter {
    #[new]
    fn new(groups: Vec<GroupTuple>) -> PyResult<Self> {
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
        let inner = prefilter::Prefilter::new(&specs)
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
        })
    }
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
    m.add_function(wrap_pyfunction!(measure_page, m)?)?;
    m.add_class::<PyPrefilter>()?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    Ok(())
}
