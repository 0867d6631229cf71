"""Per-block measurements the structural signals decide on.

Computed once per page in one pass; everything later reads these numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import re

from . import language

# The stdlib `re` serves these simple hot-path patterns: it is several times
# faster than `regex` on them. Rule patterns use `regex` (Unicode classes, timeouts).
DIGIT = re.compile(r"\d")


def line_key(text: str) -> str:
    """A line's identity for repetition: case, digits and spacing folded (as cc_net does)."""
    return DIGIT.sub("0", " ".join(text.lower().split()))


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
def measure(texts: Sequence[str], *, prose_min_words: int = 8, menu_max_words: int = 8) -> PageFeatures:
    """Measure every block of a page (texts: the blocks' raw text).

    Written as whole-list passes over builtin string methods: per-line Python
    work is what makes a line classifier slow. Costly measures are taken only
    where a signal reads them: stop words on lines long enough to be prose,
    capitals on lines short enough to be menus.
    """
    stripped = [t.strip() for t in texts]
    n = len(stripped)
    chars = [len(s) for s in stripped]
    split_low = [s.lower().split() for s in stripped]
    sample = " ".join(stripped[:200])
    unspaced = not sample.isascii() and language.unspaced_share(sample) > 0.3
    if unspaced:
        words = [max(len(ws), c // 2) for ws, c in zip(split_low, chars)]
    else:
        words = [len(ws) for ws in split_low]
    # Keys: case and spacing folded per line, digits folded in one pass over all.
    keys = DIGIT.sub("0", "\n".join([" ".join(ws) for ws in split_low])).split("\n") if n else []
    counts: dict[str, int] = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    repeats = [counts[k] for k in keys]
    lang, stops = None, frozenset()
    if not unspaced:
        longest = sorted(range(n), key=chars.__getitem__, reverse=True)[:12]
        lang, stops = language.detect(w for i in longest for w in split_low[i])
    if stops:
        # Whitespace tokens keep punctuation attached; stop words rarely end a
        # clause, so this costs little accuracy and a regex per line less.
        stop_share = [len([w for w in ws if w in stops]) / len(ws) if len(ws) >= prose_min_words else 0.0
                      for ws in split_low]
    else:
        stop_share = [0.0] * n
    if unspaced:
        capital = [0.0] * n
    else:
        capital = [_capital_share(s) if 0 < w <= menu_max_words else 0.0 for s, w in zip(stripped, words)]
    sentence_end = [s.endswith(_END_TUPLE) for s in stripped]
    sentences = [1 if c > 20 and (". " in s or "? " in s or "! " in s or "。" in s) else 0
                 for s, c in zip(stripped, chars)]
    # Numeric tokens, counted on the keys where every digit is already a 0.
    numbers = [len([w for w in k.split() if w[0] == "0"]) if "0" in k else 0 for k in keys]
    return PageFeatures(stripped, chars, words, stop_share, sentence_end, sentences, capital,
                        keys, repeats, numbers, lang, unspaced)


def _capital_share(s: str) -> float:
    # Lines that open with a number (ingredients, scores, list items) are not menus.
    ws = s.split()
    if ws[0][0].isdigit():
        return 0.0
    return len([w for w in ws if w[0].isupper()]) / len(ws)


_END_TUPLE = tuple(e + c for e in _ENDS for c in ("", *_CLOSERS))
