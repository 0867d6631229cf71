//! declutter's compiled core, the extension module `declutter._core`.
//!
//! An implementation detail of the Python package: its API, errors and docs
//! are Python's (`declutter.core` chooses between this module and the
//! pure-Python reference). Each entry takes one whole page, works without
//! the GIL, and returns plain data.

use pyo3::prelude::*;

/// The module `declutter._core`.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
