"""The page-language vote: read in word order, at most `limit` distinct words."""
from __future__ import annotations

import pytest

from declutter import language


def _only_in(name: str, other: str) -> list[str]:
    """Stop words of one list (longer than two letters) that the other lacks, in a stable order."""
    _, names, lists = language._index()
    mine, theirs = lists[names.index(name)], lists[names.index(other)]
    return sorted(w for w in mine - theirs if len(w) > 2 and w.isalpha())


def _in_lines(words: list[str], per_line: int) -> list[str]:
    return [" ".join(words[i:i + per_line]) for i in range(0, len(words), per_line)]


ENGLISH = _only_in("English", "German")
GERMAN = _only_in("German", "English")


@pytest.mark.parametrize("per_line", [3, 40, 10_000])
def test_one_long_line_votes_as_the_same_words_in_short_lines(per_line: int) -> None:
    # Long lines are read in pieces: the vote must not change with how the
    # same words are split into lines.
    words = (ENGLISH * 30)[:1500] + (GERMAN * 30)[:3000]
    assert len(" ".join(words)) > 10_000
    assert language.detect(_in_lines(words, per_line)) == language.detect([" ".join(words)])


def test_only_the_first_distinct_words_vote_even_inside_one_line() -> None:
    # 200 distinct English words come first; the German ones after them, far
    # more numerous, are never read.
    line = " ".join(ENGLISH[:200] + GERMAN * 20)
    assert len(ENGLISH) >= 200 and len(line) > 2 * language._CHUNK
    assert language.detect([line])[0] == "English"
    assert language.detect([" ".join(GERMAN * 20)])[0] == "German"


def test_a_long_line_without_spaces_is_read_whole() -> None:
    # Nothing to cut at: the line is one word, and no language fits.
    assert language.detect(["x" * (5 * language._CHUNK)]) == (None, frozenset())
    assert list(language._chunks(["ab" * language._CHUNK + " tail"])) == ["ab" * language._CHUNK + " tail"]


def test_pieces_are_cut_at_spaces_and_lose_nothing() -> None:
    line = " ".join(ENGLISH * 10)
    pieces = list(language._chunks([line, "short line"]))
    assert pieces[-1] == "short line"
    assert "".join(pieces[:-1]) == line
    assert len(pieces) > 3 and all(len(p) <= language._CHUNK for p in pieces[:-1])
    assert all(p.startswith(" ") for p in pieces[1:-1])
