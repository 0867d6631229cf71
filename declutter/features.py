"""Per-block measurements the structural signals decide on.

Computed once per page in one pass; everything later reads these numbers.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

import re

from . import language

# The stdlib `re` serves these simple hot-path patterns: it is several times
# faster than `regex` on them. Rule patterns use `regex` (Unicode classes, timeouts).
DIGIT = re.compile(r"[0-9]")
# Runs of spaces, and the other horizontal white space; written so that the
# common single space is skipped fast (a negated class like [^\S\n] is 3x slower).
_INNER_SPACE = re.compile("  +|[\t\xa0\x0b\x0c\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def line_key(text: str) -> str:
    """A line's identity for repetition: case, digits and spacing folded (as cc_net does)."""
    return DIGIT.sub("0", _INNER_SPACE.sub(" ", text.strip().lower()))


@dataclass(slots=True)
class PageFeatures:
    stripped: list[str]
    chars: list[int]
    words: list[int]
    stop_share: list[float]
    sentence_end: list[bool]
    sentences: list[int]
    capital_share: list[float]
    keys: list[str]
    repeats: list[int]
    numbers: list[int]
    language: str | None
    unspaced: bool


_CLOSERS = "'\"”’»)]"
_ENDS = frozenset(".!?…。！？:;")
def measure(texts: Sequence[str], settings: dict[str, Any]) -> PageFeatures:
    """Measure every block of a page (texts: the blocks' raw text; settings:
    the [signals.features] table of the rule files).

    Written as passes over the whole page and list comprehensions over builtin
    string methods: per-line Python work is what makes a line classifier slow.
    Costly measures are taken only where a signal reads them: stop words on
    lines long enough to be prose, capitals on lines short enough to be menus.
    """
    prose_min_words = settings["prose_min_words"]
    menu_max_words = settings["menu_max_words"]
    stripped = [t.strip() for t in texts]
    n = len(stripped)
    chars = [len(s) for s in stripped]
    joined = "\n".join(stripped)
    if joined.count("\n") != max(n - 1, 0):  # HTML blocks may hold line breaks
        joined = "\n".join(s.replace("\n", " ") for s in stripped)
    # Keys: case, spacing and digits folded, in three passes over the page.
    keys = DIGIT.sub("0", _INNER_SPACE.sub(" ", joined.lower())).split("\n") if n else []
    counts = Counter(keys)
    repeats = [counts[k] for k in keys]
    sample = joined[:8000]
    unspaced = not sample.isascii() and language.unspaced_share(sample) > settings["unspaced_min_share"]
    words = [k.count(" ") + 1 if k else 0 for k in keys]
    if unspaced:
        words = [max(w, c // 2) for w, c in zip(words, chars)]
    lang, stops = None, frozenset()
    if not unspaced:
        longest = sorted(range(n), key=chars.__getitem__, reverse=True)[:6]
        lang, stops = language.detect(w for i in longest for w in keys[i].split())
    if stops:
        # Whitespace tokens keep punctuation attached; stop words rarely end a
        # clause, so this costs little accuracy and a regex per line less.
        stop_share = [len([t for t in k.split() if t in stops]) / w if w >= prose_min_words else 0.0
                      for k, w in zip(keys, words)]
    else:
        stop_share = [0.0] * n
    if unspaced:
        capital = [0.0] * n
    else:
        # Share of capitalised words on short lines; lines that open with a
        # number (ingredients, scores, list items) are not menus.
        capital = [len([t for t in s.split() if t[0].isupper()]) / w if 0 < w <= menu_max_words
                   and not s[0].isdigit() else 0.0 for s, w in zip(stripped, words)]
    sentence_end = [s[-1:] in _ENDS or (s[-1:] in _CLOSERS and s.rstrip(_CLOSERS)[-1:] in _ENDS) for s in stripped]
    sentences = [1 if c > 20 and (". " in s or "? " in s or "! " in s or "。" in s) else 0
                 for s, c in zip(stripped, chars)]
    # Numeric tokens, counted on the keys where every digit is already a 0.
    numbers = [len([t for t in k.split() if t[0] == "0"]) if "0" in k else 0 for k in keys]
    return PageFeatures(stripped, chars, words, stop_share, sentence_end, sentences, capital,
                        keys, repeats, numbers, lang, unspaced)


