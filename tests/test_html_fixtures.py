"""Hand-written HTML pages in fixtures/html/ with their expected article
bodies (NAME.html + NAME.expected.txt), cleaned through the CLI and the library."""
from __future__ import annotations

from pathlib import Path

import pytest

from declutter import Cleaner

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
PAGES = sorted(FIXTURES.glob("*.html"))


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def test_there_are_fixtures() -> None:
    assert len(PAGES) >= 3


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_fixture(cleaner: Cleaner, page: Path) -> None:
    expected = page.with_name(page.stem + ".expected.txt").read_text(encoding="utf-8").rstrip("\n")
    result = cleaner.clean(page.read_bytes())  # bytes: the page's own charset; HTML detected
    assert result.text == expected
    assert result.title
