"""Every hand-labelled text fixture, and the seed page, cleaned with the library."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, SEED, fixture_names

NAMES = fixture_names()


def test_there_are_at_least_25_fixture_pages_each_with_an_expected_output():
    assert len(NAMES) >= 25
    for name in NAMES:
        assert (FIXTURES / f"{name}.expected.txt").is_file(), name


@pytest.mark.parametrize("name", NAMES, ids=NAMES)
def test_fixture_page_gives_its_expected_article(cleaner, name):
    page = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    expected = (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8")
    if expected.endswith("\n"):
        expected = expected[:-1]
    got = cleaner.clean(page, html=False).text
    assert got == expected


SEED_FIRST = "BEIJING, Nov 24 (Reuters) –"
SEED_LAST = "global automotive industry."
SEED_TITLE = "China seeks policy support for Russian automakers"


def test_seed_gives_six_body_paragraphs_and_its_title(cleaner):
    result = cleaner.clean(SEED.read_text(encoding="utf-8"), html=False)
    text = result.text
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 6
    assert all(p and "\n" not in p for p in paragraphs)  # one blank line between paragraphs, no stray lines
    assert paragraphs[0].startswith(SEED_FIRST)
    assert paragraphs[-1].endswith(SEED_LAST)
    assert text == text.strip()
    assert result.title == SEED_TITLE
    assert SEED_TITLE not in text


def test_seed_removed_blocks_name_the_signals_for_banner_and_title(cleaner):
    result = cleaner.clean(SEED.read_text(encoding="utf-8"), html=False)
    removed = {(r.text, r.first_line): r.reason for r in result.removed}
    # The spam site title stands at the first and last line: a short line repeated at the edges.
    last_line = len(SEED.read_text(encoding="utf-8").splitlines())
    banner = SEED.read_text(encoding="utf-8").splitlines()[0]
    assert removed[(banner, 1)] == "signal.repeated"
    assert removed[(banner, last_line)] == "signal.repeated"
    # The headline at the top and its copy inside the article go as the title.
    title_lines = [r for r in result.removed if r.text == SEED_TITLE]
    assert len(title_lines) == 2
    assert {r.reason for r in title_lines} == {"signal.title"}
    # The comment form and the post links go by default rules, not by signals.
    for r in result.removed:
        if r.text in ("Leave a Reply",) or r.text.startswith(("Previous post", "Next post")):
            assert not r.reason.startswith("signal."), r
