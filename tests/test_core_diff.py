"""The compiled core against the pure-Python reference: the same PageFeatures,
field by field, and the same CleanResult (text, title, metadata, reasons),
on generated pages full of awkward Unicode, on every fixture and seed, and on
the development set's and the four public sets' pages when ../shared/bench is
there (skipped when it is not).

Under CI (CI set in the environment) a missing compiled core is a failure,
not a skip: .ci/run builds it into the checkout (pip install -e)."""
from __future__ import annotations

import gzip
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from declutter import Cleaner
from declutter.blocks import split_text
from declutter.core import compiled
from declutter.features import PageFeatures, measure
from declutter.settings import FeatureSettings

from conftest import ROOT
from test_properties import LINE

if compiled() is None:
    if os.environ.get("CI"):
        pytest.fail("the compiled core is not built in this checkout (.ci/run builds it)", pytrace=False)
    pytest.skip("the compiled core is not built in this checkout: pip install -e .", allow_module_level=True)

BENCH = ROOT.parent / "shared" / "bench"
SETS = ("cleaneval-dev", "cleanportaleval", "dragnet", "readability")


@pytest.fixture(scope="module")
def cleaners() -> tuple[Cleaner, Cleaner]:
    return Cleaner(core="python"), Cleaner(core="rust")


@pytest.fixture(scope="module")
def features_settings(cleaners) -> FeatureSettings:
    return cleaners[0].ruleset.text.features


def assert_same_features(texts: list[str], settings: FeatureSettings) -> None:
    python, rust = measure(texts, settings, "python"), measure(texts, settings, "rust")
    assert type(python) is type(rust) is PageFeatures
    for field in PageFeatures.__dataclass_fields__:
        a, b = getattr(python, field), getattr(rust, field)
        assert a == b, (field, texts)
        if isinstance(a, list):  # same types too: True is not 1, 1.0 is not 1
            assert [type(x) for x in a] == [type(x) for x in b], field


def assert_same_result(cleaners: tuple[Cleaner, Cleaner], page: str | bytes, html: bool | None = None) -> None:
    python, rust = (c.clean(page, html=html) for c in cleaners)
    assert python.text == rust.text
    assert python.title == rust.title
    assert python.metadata == rust.metadata
    assert [(r.reason, r.first_line, r.last_line, r.text) for r in python.removed] == \
        [(r.reason, r.first_line, r.last_line, r.text) for r in rust.removed]
    assert python.verdicts == rust.verdicts
    assert python.to_dict() == rust.to_dict()


# ------------------------------------------------------------ generated pages

# What Python's str methods and Rust's char methods read differently, and
# what a byte-minded port would get wrong.
AWKWARD = (
    # white space: CPython's (\x1c-\x1f, \x85, NBSP, the U+2000 block, U+3000)
    # and look-alikes that are not (U+200B, U+FEFF, U+180E)
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2003\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u200b\ufeff\u180e"
    # case: final sigma, dotted capital I, sharp s, ligatures, titlecase, Deseret (astral)
    "ΣσςΑΛΟΓΟΣİıßẞﬁǅǄ\U00010400\U00010428"
    # letters lowered by Rust's newer Unicode but not by CPython 3.11's (Unicode 15/16)
    "\ua7c0\ua7cb\ua7cc\ua7da\ua7dc\U0001e030\U00010d50"
    # combining marks, case-ignorable marks around a sigma
    "\u0301\u0307\u0345\u00b7'.:\u2019"
    # digits of other scripts, numerals that are not digits
    "0123456789٣۳०２²½Ⅻ"
    # CJK, kana, Thai, Hangul, right-to-left scripts
    "漢字。！？のテ๑กขᄀ한שלוםمرحبا"
    # sentence ends and closers, code marks
    ".!?…:;'\"”’»)]{}[]()=<>\\|"
    # astral: emoji, math capitals
    "\U0001f600\U0001d400\U0001d41a"
    "aZ9 "
)
AWKWARD_LINE = st.text(alphabet=st.sampled_from(AWKWARD), max_size=60)
ANY_CHAR_LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=40)
BLOCK = st.one_of(LINE, AWKWARD_LINE, AWKWARD_LINE, ANY_CHAR_LINE)
# HTML blocks may hold line breaks themselves: the core then cuts by lengths
BLOCK_WITH_BREAKS = st.one_of(BLOCK, st.lists(BLOCK, min_size=2, max_size=3).map("\n".join))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(BLOCK, max_size=30))
@example([])
@example([""])
@example(["ΟΔΟΣ", "ΟΔΟΣ ΟΔΟΣ.", "Σ", "ΑΣ\u0301 x", " İSTANBUL \x1c"])
@example(["a \t b\xa0\xa0c", "  x  ", "1 22 333 a4"])
def test_features_of_generated_pages(features_settings, texts):
    assert_same_features(texts, features_settings)


@SETTINGS
@given(st.lists(BLOCK_WITH_BREAKS, max_size=12))
@example(["a\nb", "c"])
@example(["\n", "\n\n"])
def test_features_of_blocks_holding_line_breaks(features_settings, texts):
    assert_same_features(texts, features_settings)


@SETTINGS
@given(st.lists(st.one_of(LINE, AWKWARD_LINE), max_size=40).map("\n".join))
def test_cleaning_generated_pages(cleaners, page):
    assert_same_result(cleaners, page, html=False)


def test_every_code_point(features_settings):
    """Each character alone, after a cased letter, around a sigma and at the
    start of a word: what the tables of core/src/tables.rs decide."""
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(chars), 1 << 16):
        lines = [f"{c} A{c}Σ{c} {c}x" for c in chars[start:start + (1 << 16)] if c != "\n"]
        assert_same_features(lines, features_settings)


def test_tables_are_cpythons():
    """core/src/tables.rs is what core/tables/generate.py reads off this CPython."""
    proc = subprocess.run([sys.executable, str(ROOT / "core" / "tables" / "generate.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_lone_surrogates_are_measured_by_the_reference(features_settings):
    # Rust strings cannot hold them: the page is measured in Python instead
    assert_same_features(["a\ud800b", "x"], features_settings)


# ------------------------------------------------------------ real pages

def fixture_pages() -> list[Path]:
    found = [p for p in (ROOT / "fixtures").rglob("*") if p.suffix in (".txt", ".html") and
             not p.name.endswith(".expected.txt") and p.name != "README.md"]
    return sorted(found + list((ROOT / "seeds").glob("*.txt")))


def read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def check_page(cleaners: tuple[Cleaner, Cleaner], data: bytes, html: bool | None) -> None:
    if html is False:
        text = data.decode("utf-8", "replace")
        assert_same_features([b.text for b in split_text(text)], cleaners[0].ruleset.text.features)
    assert_same_result(cleaners, data, html=html)


@pytest.mark.parametrize("path", fixture_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_fixtures_and_seeds(cleaners, path):
    html = path.suffix == ".html"
    check_page(cleaners, read(path), html=html)
    if not html:
        check_page(cleaners, read(path), html=None)


def bench_pages(kind: str) -> Iterator[tuple[str, Path]]:
    if kind == "dev-text":
        yield from (("dev-text", p) for p in sorted((BENCH / "dev-text").glob("*.txt")))
    elif kind == "dev-html":
        yield from (("dev-html", p) for p in sorted((BENCH / "article-extraction-benchmark" / "html").glob("*.gz")))
    else:
        name, sub = kind.rsplit("/", 1)
        yield from ((kind, p) for p in sorted((BENCH / "sets" / name / sub).glob("*.gz")))


KINDS = ["dev-text", "dev-html"] + [f"{s}/{sub}" for s in SETS for sub in ("text", "html")]


@pytest.mark.parametrize("kind", KINDS)
def test_development_and_public_sets(cleaners, kind):
    pages = list(bench_pages(kind))
    if not pages:
        pytest.skip(f"{kind}: not found under {BENCH}")
    html = kind.endswith("html")
    for _, path in pages:
        try:
            check_page(cleaners, read(path), html=html)
        except AssertionError as exc:
            raise AssertionError(f"{path}: {exc}") from None
