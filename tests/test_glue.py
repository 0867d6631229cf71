"""The Python side of a compiled text page (issue 15, "glue"): the lazy
result's machinery stays out of the dataclass, the time budget reads the
thread's CPU clock (a system call) only when it could be spent, and the late
confirmations get their lines from the core, so no list of lines is cut."""
from __future__ import annotations

import dataclasses
import time

import pytest
from hypothesis import given, settings, strategies as st

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
    split = core_decide._stripped_lines
    monkeypatch.setattr(core_decide, "_stripped_lines", lambda joined: cut.append(joined) or split(joined))
    cleaner = Cleaner(core="rust")
    page = "\n\n".join([*PROSE[:4], "Share this article", "Sign up for our newsletter", *PROSE[4:8]])
    asked = []
    confirm = cleaner.ruleset.matching.dropping.confirm_pairs
    monkeypatch.setattr(cleaner.ruleset.matching.dropping, "confirm_pairs",
                        lambda *a: asked.append(a[4]) or confirm(*a))
    result = cleaner.clean(page, html=False)
    assert asked and cut == []
    assert result == Cleaner(core="python").clean(page, html=False)


class _Counted:
    """The core's TextDecider, counting the calls made to it."""

    def __init__(self, decider, calls):
        self.decider, self.calls = decider, calls

    def __getattr__(self, name):
        self.calls.append(name)
        return getattr(self.decider, name)


@needs_core
def test_a_text_page_is_one_core_call(monkeypatch):
    cleaner = Cleaner(core="rust")
    compiled_ = cleaner._compiled()
    calls: list[str] = []
    monkeypatch.setattr(compiled_, "decider", _Counted(compiled_.decider, calls))
    shaping = []
    confirm = compiled_.shaping.confirm_pairs
    monkeypatch.setattr(compiled_.shaping, "confirm_pairs", lambda *a: shaping.append(a[2]) or confirm(*a))
    page = "\n\n".join(["Skip to content", *PROSE[:4], "Home", *MENU[:3], *PROSE[4:8], "Share this article"])
    result = cleaner.clean(page, html=False)
    assert calls == ["clean_text"]
    assert len(shaping) <= 1  # the shaping group's candidates Python confirms: in one callback
    assert result == Cleaner(core="python").clean(page, html=False)


FLOATING = ('[[rule]]\nid = "local.floating"\nname = "f"\ndescription = "f"\n'
            "pattern = '''[0-9]{3}[a-z]{3}'''\n")


@needs_core
@pytest.mark.parametrize("scope", ["", 'domains = ["example.com"]\n', 'action = "drop-to-end"\n'])
def test_a_floating_rule_python_searches_decides_as_the_reference(tmp_path, scope):
    # a host scope leaves the floating rule to Python (core_decide._in_core)
    path = tmp_path / "floating.toml"
    path.write_text(FLOATING + scope, encoding="utf-8")
    page = "\n\n".join([*PROSE[:4], "Ref 123abc here", *PROSE[4:8], "code 456def", "x" * 20])
    for url in (None, "https://example.com/a", "https://other.org/"):
        rust, python = Cleaner([path], core="rust"), Cleaner([path], core="python")
        assert rust.clean(page, url=url, html=False) == python.clean(page, url=url, html=False)
    if scope.startswith("domains"):
        assert Cleaner([path], core="rust")._compiled().python_floating


@needs_core
def test_the_core_checks_the_budget_between_its_stages(monkeypatch):
    stages = []
    monkeypatch.setattr(core_decide, "budget_due", lambda: 0.0)  # as if the budget could be spent now
    monkeypatch.setattr(core_decide, "check_budget", stages.append)
    Cleaner(core="rust").clean(PAGE, html=False)
    assert stages[0] == "measuring blocks" and stages[-1] == "matching rules"

    def spent(stage):
        raise PageBudgetError(f"page over its time budget (stopped while {stage})")

    monkeypatch.setattr(core_decide, "check_budget", spent)
    with pytest.raises(PageBudgetError, match="stopped while measuring blocks"):
        Cleaner(core="rust").clean(PAGE, html=False)


@needs_core
def test_without_a_spent_budget_the_core_does_not_call_back(monkeypatch):
    stages = []
    monkeypatch.setattr(core_decide, "check_budget", stages.append)
    Cleaner(core="rust", time_budget=60).clean(PAGE, html=False)
    assert stages == []


# Invalid UTF-8 of every kind Python's "replace" handles by maximal subparts
# (a surrogate's encoding, overlong forms, cut sequences, beyond U+10FFFF,
# stray continuation bytes), and byte order marks.
BAD_BYTES = [b"\xed\xa0\x80", b"\xc0\x80", b"\xe2\x82", b"\xf4\x90\x80\x80", b"\xf0\x9f\x98", b"\x80\x80a",
             b"\xf5\x80", b"\xe0\x80\xaf", b"\xef\xbb\xbf", b"\xff", b"\xc3", b"\xe2\x82\xac"]


@needs_core
@pytest.mark.parametrize("bad", BAD_BYTES)
def test_a_bytes_page_is_decoded_by_the_core_as_decode_bytes_decodes_it(bad):
    # the compiled path hands bytes to the core (no str made first); the
    # reference decodes them in Python: the same text, blocks and reasons
    lines = [p.encode() for p in PROSE[:4]] + [b"Menu " + bad + b" Home", bad * 3, b"Share this " + bad]
    for data in (b"\n".join(lines), b"\xef\xbb\xbf" + bad + b"\n" + b"\n\n".join(lines), bad, b"\xef\xbb\xbf"):
        rust, python = Cleaner(core="rust").clean(data, html=False), Cleaner(core="python").clean(data, html=False)
        assert rust == python
        assert rust.blocks == python.blocks and rust.removed == python.removed


@needs_core
@given(st.lists(st.one_of(st.binary(max_size=12), st.sampled_from(BAD_BYTES), st.sampled_from(
    [p.encode() for p in PROSE[:4]])), max_size=12))
@settings(max_examples=60, deadline=None)
def test_random_bytes_pages_decode_as_the_reference(parts):
    data = b"\n".join(parts)
    assert Cleaner(core="rust").clean(data, html=False) == Cleaner(core="python").clean(data, html=False)


@needs_core
def test_a_line_python_confirmed_is_not_asked_again(monkeypatch):
    # the core remembers Python's answers for unscoped rules: the same page
    # again makes no callback
    cleaner = Cleaner(core="rust")
    page = "\n\n".join([*PROSE[:4], "Share on Facebook Twitter", "Posted by Jane in News", *PROSE[4:8]])
    asked = []
    confirm = cleaner.ruleset.matching.dropping.confirm_pairs
    monkeypatch.setattr(cleaner.ruleset.matching.dropping, "confirm_pairs", lambda *a: asked.append(a) or confirm(*a))
    first = cleaner.clean(page, html=False)
    assert asked  # this page has candidates of rules only Python confirms
    asked.clear()
    again = cleaner.clean(page, html=False)
    assert asked == [] and again == first == Cleaner(core="python").clean(page, html=False)
