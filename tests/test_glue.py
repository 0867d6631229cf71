"""The Python side of a compiled text page (issue 15, "glue"): the lazy
result's machinery stays out of the dataclass, the time budget reads the
thread's CPU clock (a system call) only when it could be spent, and the late
confirmations get their lines from the core, so no list of lines is cut."""
from __future__ import annotations

import dataclasses
import time

import pytest

import declutter.core_decide as core_decide
import declutter.limits as limits
from declutter import Cleaner
from declutter.core import compiled
from declutter.errors import PageBudgetError
from declutter.result import CleanResult

from test_properties import BOILERPLATE, MENU, PROSE

PAGE = "\n\n".join([*PROSE[:4], *MENU[:3], *BOILERPLATE[:3], *PROSE[4:8]])
needs_core = pytest.mark.skipif(compiled() is None, reason="the compiled core is not built in this checkout")


@needs_core
def test_a_lazy_result_shows_only_its_fields():
    lazy = Cleaner(core="rust").clean(PAGE, html=False)
    made = Cleaner(core="python").clean(PAGE, html=False)
    names = ["text", "title", "metadata", "blocks", "verdicts", "skipped_rules"]
    assert [f.name for f in dataclasses.fields(lazy)] == names
    assert repr(lazy) == repr(made)
    assert lazy == made
    assert dataclasses.asdict(lazy) == dataclasses.asdict(made)
    assert list(dataclasses.asdict(lazy)) == names


def test_a_plain_result_has_no_lazy_part():
    result = CleanResult("text", None)
    assert result.blocks == [] and result.verdicts == []
    with pytest.raises(AttributeError):
        result._make  # noqa: B018  (set only by CleanResult.lazy)


def test_the_budget_reads_the_cpu_clock_once_per_page(monkeypatch):
    cleaner = Cleaner(time_budget=60)
    cleaner.clean(PAGE, html=False)
    reads = []
    clock = time.thread_time
    monkeypatch.setattr(limits.time, "thread_time", lambda: reads.append(1) or clock())
    for _ in range(5):
        cleaner.clean(PAGE, html=False)
    assert len(reads) == 5  # one per page: when its budget starts


def test_a_spent_budget_still_stops_the_page(monkeypatch):
    # the wall clock says when the CPU clock is worth reading; once it is,
    # a spent budget raises as before
    with limits.page_budget(1.0):
        limits.check_budget("first")  # too soon to be spent
        monkeypatch.setattr(limits.time, "perf_counter", lambda: float("inf"))
        monkeypatch.setattr(limits.time, "thread_time", lambda: float("inf"))
        with pytest.raises(PageBudgetError, match="stopped while second"):
            limits.check_budget("second")


@needs_core
def test_no_list_of_lines_is_cut_for_the_late_confirmations(monkeypatch):
    # a page of drop-rule candidates only: their lines come from the core
    cut = []
    split = core_decide._Lines.__getitem__
    monkeypatch.setattr(core_decide._Lines, "__getitem__", lambda self, i: cut.append(i) or split(self, i))
    cleaner = Cleaner(core="rust")
    page = "\n\n".join([*PROSE[:4], "Share this article", "Sign up for our newsletter", *PROSE[4:8]])
    asked = []
    confirm = cleaner.ruleset.matching.dropping.confirm_pairs
    monkeypatch.setattr(cleaner.ruleset.matching.dropping, "confirm_pairs",
                        lambda *a: asked.append(a[4]) or confirm(*a))
    result = cleaner.clean(page, html=False)
    assert asked and cut == []
    assert result == Cleaner(core="python").clean(page, html=False)
