"""Resource limits of one page: its size, and a budget of CPU time.

Both are settings of `[signals.limits]` in rules/signals.toml (a user rule
file may retune them) and can be overridden per Cleaner (the CLI's
``--max-bytes``, ``--oversize`` and ``--time-budget``):

max_bytes            pages larger than this many bytes (UTF-8) are oversized;
                     0 means no limit
oversize             what happens to an oversized page:
                       pass      returned untouched (not cleaned), with a warning
                       flag      not cleaned: empty text, with a warning
                       truncate  its first max_bytes (cut at a line break) are
                                 cleaned, with a warning
                       error     PageTooLargeError (exit status 1; an error
                                 record in streams)
time_budget_seconds  CPU seconds one page may take; over it the page fails
                     with PageBudgetError (exit status 1; an error record in
                     streams); 0 means no budget

The budget is checked between the stages of the pipeline and between rules
(and lines) while patterns are matched, so a page stops soon after its budget
is spent; one stage that cannot be interrupted (lxml parsing a page, one regex
search, itself bounded by ``regex_timeout_seconds``) runs to its end first.
CPU time is the calling thread's (``time.thread_time``), so threads sharing a
Cleaner do not spend each other's budgets.

A warning lands in ``result.metadata["warnings"]`` (the CLI prints it as one
line on stderr) and ``result.metadata["oversize"]`` holds the facts.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .defaults import shipped_signals
from .errors import ArgumentError, PageBudgetError, PageTooLargeError, RuleFileError

__all__ = ["OVERSIZE_ACTIONS", "Limits", "budget_due", "check_budget", "end_budget", "page_budget", "start_budget",
           "truncate", "utf8_size"]

OVERSIZE_ACTIONS = ("pass", "flag", "truncate", "error")
OVERSIZE = "limits.oversize"  # the reason id in metadata
@dataclass(frozen=True, slots=True)
class Limits:
    """Per-page limits (see the module docstring)."""

    # None: the shipped rule files' value (`[signals.limits]` in
    # rules/signals.toml, the one place a default is written)
    max_bytes: int = None  # type: ignore[assignment]
    oversize: str = None  # type: ignore[assignment]
    time_budget: float = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        # the shipped file is read only for a limit left out (a Cleaner's
        # rule files always give all three)
        for name, key in (("max_bytes", "max_bytes"), ("oversize", "oversize"), ("time_budget", "time_budget_seconds")):
            if getattr(self, name) is None:
                object.__setattr__(self, name, shipped_signals("limits")[key])
        # A wrong type is a TypeError, a wrong value an ArgumentError (a
        # DeclutterError): never a bare ValueError out of the library.
        if isinstance(self.max_bytes, bool) or not isinstance(self.max_bytes, int):
            raise TypeError(f"max_bytes must be an int, not {type(self.max_bytes).__name__}")
        if self.max_bytes < 0:
            raise ArgumentError(f"max_bytes must be a whole number >= 0 (0: no limit), not {self.max_bytes!r}")
        if not isinstance(self.oversize, str):
            raise TypeError(f"oversize must be a str, not {type(self.oversize).__name__}")
        if self.oversize not in OVERSIZE_ACTIONS:
            raise ArgumentError(f"oversize must be one of {', '.join(OVERSIZE_ACTIONS)}, not {self.oversize!r}")
        if isinstance(self.time_budget, bool) or not isinstance(self.time_budget, (int, float)):
            raise TypeError(f"time_budget must be a number of seconds, not {type(self.time_budget).__name__}")
        if not self.time_budget >= 0:  # also refuses NaN
            raise ArgumentError(f"time_budget must be a number of seconds >= 0 (0: none), not {self.time_budget!r}")

    @classmethod
    def from_settings(cls, signals: Mapping[str, Mapping[str, Any]], *, max_bytes: int | None = None,
                      oversize: str | None = None, time_budget: float | None = None) -> Limits:
        """The limits of the rule files' `[signals.limits]`, each overridden
        by an argument that is not None. A bad value in a rule file is a
        RuleFileError; a bad argument an ArgumentError (a wrong type a TypeError)."""
        table = signals.get("limits", {})
        try:
            base = cls(_as(int, table, "max_bytes"), _as(str, table, "oversize"),
                       _as(float, table, "time_budget_seconds"))
        except (ValueError, TypeError) as exc:  # ArgumentError is a ValueError
            raise RuleFileError("[signals.limits]", str(exc)) from None
        return cls(base.max_bytes if max_bytes is None else max_bytes,
                   base.oversize if oversize is None else oversize,
                   base.time_budget if time_budget is None else time_budget)

    def oversized(self, page: object) -> int | None:
        """The page's size in bytes when it is over max_bytes, else None."""
        if not self.max_bytes or not isinstance(page, (str, bytes, bytearray, memoryview)):
            return None
        size = utf8_size(page, self.max_bytes)
        return size if size > self.max_bytes else None


def _as(kind: type[Any], table: Mapping[str, Any], key: str) -> Any:
    """A setting of a rule file's limits table as `kind`, or None (the
    shipped value) when the table leaves it out."""
    return kind(table[key]) if key in table else None


def utf8_size(page: str | bytes | bytearray | memoryview, bound: int) -> int:
    """The page's size in bytes (a str counts as UTF-8). Cheap when the
    answer is obviously on one side of ``bound``: a str of n characters takes
    between n and 4n bytes."""
    if not isinstance(page, str):
        return memoryview(page).nbytes
    n = len(page)
    if 4 * n <= bound:
        return n  # certainly within the bound; the exact size does not matter
    return len(page.encode("utf-8", "surrogatepass"))


def truncate(page: str | bytes | bytearray | memoryview, max_bytes: int) -> str | bytes:
    """The page's first max_bytes bytes, cut back to the last line break in
    them (or, on a page without one, at a character boundary)."""
    if isinstance(page, str):
        data = page.encode("utf-8", "surrogatepass")[:max_bytes]
        cut = data.rfind(b"\n")
        if cut > 0:
            data = data[: cut + 1]
        return data.decode("utf-8", "ignore")  # a character split at the cut is dropped whole
    data = bytes(memoryview(page)[:max_bytes])
    cut = data.rfind(b"\n")
    return data[: cut + 1] if cut > 0 else data


def oversize_note(size: int, limits: Limits) -> tuple[str, dict[str, Any]]:
    """The one-line warning and the metadata facts of an oversized page."""
    what = {"pass": "passed through untouched (not cleaned)", "flag": "not cleaned (text left empty)",
            "truncate": f"only its first {limits.max_bytes:,} bytes cleaned"}[limits.oversize]
    warning = f"page of {size:,} bytes is over the limit of {limits.max_bytes:,} bytes: {what}"
    return warning, {"bytes": size, "max_bytes": limits.max_bytes, "action": limits.oversize}


def too_large(size: int, limits: Limits) -> PageTooLargeError:
    return PageTooLargeError(f"page of {size:,} bytes is over the limit of {limits.max_bytes:,} bytes")


# -- the time budget ---------------------------------------------------------------

_local = threading.local()


@contextmanager
def page_budget(seconds: float) -> Iterator[None]:
    """Run the body under a budget of ``seconds`` of this thread's CPU time
    (0: none). A budget nested in another keeps the earlier deadline."""
    outer = start_budget(seconds)
    try:
        yield
    finally:
        end_budget(outer)


def start_budget(seconds: float) -> Any:
    """page_budget's start, without a context manager (Cleaner.clean, once
    per page): returns what end_budget(), called in a `finally`, restores."""
    outer = getattr(_local, "budget", None)
    if seconds and seconds > 0:
        mine = _budget(seconds)
        if outer is None or mine[0] < outer[0]:
            _local.budget = mine
    return outer


def end_budget(outer: Any) -> None:
    """Restore the budget start_budget() found."""
    _local.budget = outer


def _budget(seconds: float) -> tuple[float, float, float]:
    """A budget as (CPU deadline, seconds, wall-clock moment before which
    it cannot be spent): a thread spends at most one CPU second per
    second, so check_budget reads the thread's CPU time (a system call,
    ~10 µs on some machines) only after that moment."""
    return time.thread_time() + seconds, seconds, time.perf_counter() + seconds


def budget_due() -> float | None:
    """The seconds until the current page's budget could be spent (see
    _budget), or None without a budget: the compiled core calls
    check_budget only from then on (core_decide.py)."""
    budget = getattr(_local, "budget", None)
    return None if budget is None else budget[2] - time.perf_counter()


def check_budget(stage: str) -> None:
    """Raise PageBudgetError when the current page's budget is spent."""
    budget = getattr(_local, "budget", None)
    if budget is None or time.perf_counter() < budget[2]:
        return  # no budget, or too little time has passed to have spent it
    if time.thread_time() > budget[0]:
        _local.budget = None  # one error per page; page_budget() restores the outer budget
        raise PageBudgetError(f"page over its time budget of {budget[1]:g} s of CPU time "
                              f"(stopped while {stage})")
