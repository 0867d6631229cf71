"""A line's words are counted alike for its word count, its capital share and
its stop-word share, in the reference and the compiled core: str.split()
also cuts at "\\r", the information separators and U+0085/U+2028/U+2029,
which a line's key keeps inside a word, and shares over 1 came of it (the
fuzzer found them)."""
from __future__ import annotations

import pytest

from declutter import Cleaner
from declutter.core import compiled
from declutter.features import measure

CORES = ["python", pytest.param("rust", marks=pytest.mark.skipif(compiled() is None, reason="no compiled core"))]
PROSE = ("The cat was sitting on the mat and it was looking at the dog that was in the garden with the "
         "children who were playing with a ball")
SEPARATORS = ["\r", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize("sep", SEPARATORS)
def test_capitals_are_counted_over_the_keys_words(core, sep):
    settings = Cleaner().ruleset.text.features
    f = measure([f"Home{sep}News{sep}Sport", "Home News Sport", f"Home {sep}News"], settings, core)
    assert f.words == [1, 3, 2]
    assert f.capital_share == [1.0, 1.0, 0.5]  # "\rNews" opens with no capital


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize("sep", SEPARATORS)
def test_stop_words_are_counted_over_the_keys_words(core, sep):
    settings = Cleaner().ruleset.text.features
    line = f"the of and to in is that it{sep}was{sep}for{sep}with"
    f = measure([PROSE, PROSE + " again", line], settings, core)
    assert f.language == "English"
    assert f.words[2] == 8
    assert f.stop_share[2] == 7 / 8
