"""The compiled text path in one piece (core/src/textpage.rs, core_decide.py
clean_text, CleanResult.lazy): the core cuts a text page into the blocks
blocks.split_text gives, renders it as render.py does, and the result's
blocks and verdicts are made only when first asked for, equal to the
reference's."""
from __future__ import annotations

import pickle
import threading

import pytest
from hypothesis import example, given, settings, strategies as st

import declutter.cleaner as cleaner_module
import declutter.core_decide as core_decide
from declutter import Cleaner
from declutter.blocks import split_text
from declutter.core import compiled
from declutter.result import CleanResult

from test_properties import BOILERPLATE, MENU, PROSE

core = compiled()
if core is None:
    pytest.skip("the compiled core is not built in this checkout: pip install -e .", allow_module_level=True)

# line breaks of every kind, the spaces str.isspace knows (and some it does not)
ODD = "\r\n\r\n \t\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000\u200b\ufeffa."
PAGE = st.lists(st.one_of(st.text(alphabet=ODD, max_size=8), st.sampled_from(PROSE + MENU + BOILERPLATE)),
                max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(PAGE)
@example("")
@example("a\r\n\r\nb\rc\n\n\n d \n")
@example("\x85\n\u2028x\n \x1c")
def test_the_core_cuts_a_page_as_split_text(page):
    texts, lines, gaps = core.split_text(page)
    want = split_text(page)
    assert texts == [b.text for b in want]
    assert lines == [b.first_line for b in want]
    assert gaps == [b.gap_before for b in want]


@pytest.fixture(scope="module")
def cleaners() -> tuple[Cleaner, Cleaner]:
    return Cleaner(core="python"), Cleaner(core="rust")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PROSE + MENU + BOILERPLATE), st.sampled_from(["", " ", "\t"])),
                max_size=30), st.sampled_from(["\n", "\r\n", "\r"]))
def test_the_lazy_result_equals_the_reference(cleaners, lines, newline):
    page = newline.join(lines)
    want, got = (c.clean(page, html=False) for c in cleaners)
    assert got == want  # every field, blocks and verdicts made on the way
    assert got.removed == want.removed and got.to_dict() == want.to_dict()
    # counted by the core, and by the reference from its removed blocks
    assert got.removed_chars == want.removed_chars == sum(len(r.text) for r in want.removed)


def test_no_block_is_made_until_asked_for(cleaners, monkeypatch):
    page = "\n".join(["Home", *PROSE[:4], "", "Share this", *PROSE[4:6]])
    want = cleaners[0].clean(page, html=False)
    made = []
    monkeypatch.setattr(cleaner_module, "split_text", lambda text: made.append(text))
    monkeypatch.setattr(core_decide, "split_text", lambda text: made.append(text) or split_text(text))
    got = cleaners[1].clean(page, html=False)
    assert (got.text, got.title, got.metadata, got.skipped_rules, got.removed_chars) == \
        (want.text, want.title, want.metadata, want.skipped_rules, want.removed_chars)
    assert want.removed_chars > 0 and made == []
    assert got.blocks == want.blocks and got.verdicts == want.verdicts
    assert made == [page]
    assert got.removed == want.removed  # made once
    assert made == [page]


def test_a_lazy_result_pickles_and_copies_like_a_made_one(cleaners):
    page = "\n".join(["Home", *PROSE[:4], "Share this"])
    want = cleaners[0].clean(page, html=False)
    assert pickle.loads(pickle.dumps(cleaners[1].clean(page, html=False))) == want
    from dataclasses import replace
    assert replace(cleaners[1].clean(page, html=False), title="x") == replace(want, title="x")
    with pytest.raises(AttributeError):
        cleaners[1].clean(page, html=False).no_such_field  # noqa: B018


def test_lone_surrogates_and_bytes_on_the_compiled_path(cleaners):
    for page in ["\n".join([*PROSE[:3], "a\ud800b", "Home"]), ("\n".join(PROSE[:4]) + "\n\xff\xfe").encode("latin-1"),
                 b"\xef\xbb\xbf" + "\r\n".join(PROSE[:4]).encode()]:
        want, got = (c.clean(page, html=False) for c in cleaners)
        assert got == want


def test_threads_share_a_cleaner_on_the_compiled_path(cleaners):
    pages = ["\n".join([*PROSE[i:i + 4], "Home", *MENU[:3]]) for i in range(6)]
    want = [cleaners[0].clean(p, html=False) for p in pages]
    got: list[CleanResult | None] = [None] * len(pages)

    def work(k: int) -> None:
        for i in range(k, len(pages), 2):
            got[i] = cleaners[1].clean(pages[i], html=False)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == want


def test_the_core_cuts_the_development_and_public_sets_as_split_text():
    import gzip

    from conftest import ROOT

    bench = ROOT.parent / "shared" / "bench"
    paths = [*sorted((bench / "dev-text").glob("*.txt")), *sorted((bench / "sets").glob("*/text/*.gz"))]
    if not paths:
        pytest.skip(f"no text dumps under {bench}")
    for path in paths:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        page = cleaner_module._without_surrogates(cleaner_module.decode_bytes(data))
        texts, lines, gaps = core.split_text(page)
        want = split_text(page)
        assert (texts, lines, gaps) == ([b.text for b in want], [b.first_line for b in want],
                                        [b.gap_before for b in want]), path
