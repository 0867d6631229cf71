"""Which language a page is in, and that language's stop words.

The language is the one whose stop-word list covers the most *distinct* words
of the page: raw counts would let a list full of short common tokens (numbers,
one-letter words) win on pages of other languages.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from itertools import chain

# Scripts written without spaces between words: stop words don't apply, line
# length is counted in characters instead.
# Han, kana and their punctuation and full-width forms, and the South-East
# Asian scripts (Thai, Lao, Khmer, Myanmar); stdlib `re` with explicit ranges
# is fast here. Hangul is left out: Korean puts spaces between words.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3000-\u30ff"
                       "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, tuple[int, ...]], tuple[str, ...], tuple[frozenset[str], ...]]:
    folder = resources.files("declutter") / "data" / "stoplists"
    names: list[str] = []
    lists: list[frozenset[str]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            names.append(entry.name[:-4])
            lists.append(frozenset(w for w in entry.read_text(encoding="utf-8").split("\n") if w))
    by_word: dict[str, list[int]] = {}
    for lang, words in enumerate(lists):
        for w in words:
            by_word.setdefault(w, []).append(lang)
    return {w: tuple(v) for w, v in by_word.items()}, tuple(names), tuple(lists)


def stoplists() -> tuple[tuple[str, ...], tuple[frozenset[str], ...]]:
    """Every language's name and stop words, in the order detect() breaks ties in."""
    _, names, lists = _index()
    return names, lists


def unspaced_share(text: str, sample: int = 4000) -> float:
    """Share of the first characters that belong to scripts written without spaces."""
    head = text[:sample]
    # Non-space characters stand in for letters: a cheap, close enough count.
    letters = len(head) - head.count(" ") - head.count("\n")
    return len(_UNSPACED.findall(head)) / letters if letters > 0 else 0.0


def detect(lines: Iterable[str], limit: int = 200) -> tuple[str | None, frozenset[str]]:
    """The page's language name (jusText's list names, e.g. 'English') and its
    stop words, from some of the page's lower-cased lines (its longest: prose);
    (None, empty) when no list fits. At most `limit` distinct words are read."""
    by_word, names, lists = _index()
    # Words of one or two letters sit in dozens of lists and decide nothing.
    # A dict, not a set, collects them: a set's order follows the process's
    # hash seed, and the vote must not differ between worker processes.
    distinct: dict[str, None] = {}
    words: list[str] = []
    for chunk in _chunks(lines):
        distinct.update(dict.fromkeys(chunk.split()))
        if len(distinct) >= limit:
            words = [w for w in distinct if len(w) > 2]
            if len(words) >= limit:
                break
    else:
        words = [w for w in distinct if len(w) > 2]
    words = words[:limit]
    # One C-level count over every list each word is in (in word order, so
    # ties between lists fall the same way in every process).
    votes = Counter(chain.from_iterable(filter(None, map(by_word.get, words))))
    if not votes:
        return None, frozenset()
    best, count = votes.most_common(1)[0]
    if count < 3:
        return None, frozenset()
    return names[best], lists[best]


# The longest lines are long paragraphs, or whole pages (a dump without line
# breaks): splitting them into words whole costs several times what the few
# hundred words the vote reads do.
_CHUNK = 1000


def _chunks(lines: Iterable[str]) -> Iterator[str]:
    """The lines in order, each long one cut at spaces into pieces of about
    _CHUNK characters, so that no word is cut and the words come in order."""
    for line in lines:
        start, n = 0, len(line)
        while n - start > _CHUNK:
            cut = line.rfind(" ", start + 1, start + _CHUNK)
            if cut <= start:
                break  # no space to cut at: the rest goes whole
            yield line[start:cut]
            start = cut
        yield line[start:] if start else line
