"""One verdict chain for both paths (declutter/verdicts.py), every reason id
in one module (declutter/reasons.py), and what --explain and the JSON say of
a block's first-pass class and of the idempotence round that dropped it."""
from __future__ import annotations

import json

import pytest

from declutter import Cleaner, reasons
from declutter.verdicts import ORDER, settle

from conftest import call_cli

STAGES = {"drop": "rule.drop", "title": "signal.title", "repeated": "signal.repeated",
          "in_range": "rule.cut", "structure": "signal.outside-body"}


@pytest.mark.parametrize("stage", list(ORDER))
def test_the_earliest_stage_that_found_something_decides(stage: str) -> None:
    # a block every stage from `stage` on found something for reports `stage`
    later = ORDER[ORDER.index(stage):]
    found = {name: [STAGES[name] if name in later else ""] for name in ORDER}
    (verdict,) = settle(["short"], "signal.body", [""], **found)
    assert (verdict.keep, verdict.reason) == (False, STAGES[stage])


def test_protect_beats_every_stage_and_nothing_found_keeps() -> None:
    found = {name: [STAGES[name], STAGES[name]] for name in ORDER}
    kept, plain = settle(["bad", "good"], "signal.body", ["user.keep", ""], **found)
    assert (kept.keep, kept.reason, kept.first_class) == (True, "user.keep", "bad")
    assert (plain.keep, plain.reason) == (False, "rule.drop")
    (nothing,) = settle(["good"], "html.article", [""], drop=[""])
    assert (nothing.keep, nothing.reason) == (True, "html.article")


def test_an_unknown_stage_is_refused() -> None:
    with pytest.raises(ValueError, match="no such stage: region"):
        settle(["good"], "signal.body", [""], region=["x"])


PROSE = ("The council report describes how the town reviewed the budget for the coming year and agreed, "
         "after a long debate, to keep the libraries open on Sundays.")


def test_a_headline_outside_the_container_is_the_title_copy_as_in_text_mode() -> None:
    # text mode names a copy of the title before the region's other reasons;
    # the HTML path now does the same (it said html.outside-main before)
    page = (f"<html><head><title>Budget vote passes</title></head><body><div class='top'><h1>Budget vote passes</h1>"
            f"</div><div class='story'>{''.join(f'<p>{PROSE} Part {i}.</p>' for i in range(4))}</div></body></html>")
    result = Cleaner().clean(page, html=True)
    headline = next(v for b, v in zip(result.blocks, result.verdicts) if b.text == "Budget vote passes")
    assert (headline.keep, headline.reason) == (False, reasons.HTML_TITLE)


# Eight lines on which the idempotence check drops three more: with the
# title's copies gone, the region of what the first round kept is shorter.
ROUNDS_PAGE = "\n\n".join([
    "Budget vote passes after long debate", f"{PROSE} One.", "March 3, 2021", f"{PROSE} Two.", "News",
    "Budget vote passes after long debate", "Weather", f"{PROSE} Three.",
]) + "\n"


def test_json_removed_entries_carry_the_first_pass_class_and_the_round() -> None:
    out = json.loads(call_cli("--json", input=ROUNDS_PAGE.encode()).stdout)
    rounds = {item["text"]: (item["class"], item["round"]) for item in out["removed"]}
    assert rounds["Budget vote passes after long debate"] == ("short", 0)
    assert rounds["News"][1] == 1 and rounds["Weather"][1] == 1
    assert all(cls in ("good", "short", "bad") for cls, _ in rounds.values())


def test_explain_marks_verdicts_of_a_later_round() -> None:
    lines = call_cli("--explain", "--no-color", input=ROUNDS_PAGE.encode()).stdout.splitlines()
    news = next(line for line in lines if line.endswith("| News"))
    assert "+1" in news.split("|")[0]
    title = next(line for line in lines if line.endswith("| Budget vote passes after long debate"))
    assert " short " in title and "+" not in title.split("|")[0]
