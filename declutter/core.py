"""Which core measures pages: the compiled one (declutter._core, Rust) or the
pure-Python reference (declutter/features.py). Both give identical results
(tests/test_core_diff.py); the compiled one is faster.

The choice, in order: a Cleaner's `core=` argument, else the environment
variable DECLUTTER_CORE ("python" or "rust"), else the compiled core when it
is installed and the reference when it is not.
"""
from __future__ import annotations

import importlib
import os
from types import ModuleType

from .errors import ArgumentError

__all__ = ["CORES", "ENV", "compiled", "resolve"]

CORES = ("python", "rust")
ENV = "DECLUTTER_CORE"

_compiled: ModuleType | None
try:  # built by maturin beside the package (pip install ., pip install -e .)
    _compiled = importlib.import_module("declutter._core")
    _missing = ""
except ImportError as exc:  # a source checkout that was never built
    _compiled, _missing = None, str(exc)


def compiled() -> ModuleType | None:
    """The compiled core's module, or None when it is not installed."""
    return _compiled


def resolve(core: str | None = None) -> str:
    """The core to use, "python" or "rust": `core` if given, else
    DECLUTTER_CORE if set (and not empty), else "rust" when the compiled core
    is installed. Raises ArgumentError for an unknown name, or for "rust"
    when the compiled core is missing; TypeError for a core that is no str."""
    where = "core"
    if core is None:
        core, where = os.environ.get(ENV) or None, ENV
        if core is None:
            return "rust" if _compiled is not None else "python"
    if not isinstance(core, str):
        raise TypeError(f"core must be 'python', 'rust' or None, not {type(core).__name__}")
    if core not in CORES:
        raise ArgumentError(f"{where}={core!r}: the core is 'python' or 'rust'")
    if core == "rust" and _compiled is None:
        raise ArgumentError(f"{where}='rust', but the compiled core is not installed ({_missing}); "
                            "build it with `pip install .` (needs a Rust toolchain)")
    return core
