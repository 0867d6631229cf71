"""Per-block measurements the structural signals decide on.

Computed once per page in one pass; everything later reads these numbers.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from . import language
from .core import compiled, resolve
from .normalise import fold_keys
from .settings import FeatureSettings


@dataclass(slots=True)
class PageFeatures:
    stripped: list[str]
    chars: list[int]
    words: list[int]
    stop_share: list[float]
    sentence_end: list[bool]
    sentences: list[int]
    capital_share: list[float]
    # Share of code punctuation, on long lines with few spaces (else 0).
    code_share: list[float]
    keys: list[str]
    repeats: list[int]
    numbers: list[int]
    language: str | None
    unspaced: bool
    # The blocks the language was told from: the longest, longest first.
    longest: list[int]
    stops: frozenset[str]


_CLOSERS = "'\"”’»)]"
_ENDS = frozenset(".!?…。！？:;")
# Punctuation that minified scripts, styles and data are dense with.
_CODE_MARKS = '{}[]();:=<>"\\|'


def _code_shares(stripped: Sequence[str], chars: Sequence[int], settings: FeatureSettings) -> list[float]:
    """Per line, the share of code punctuation: measured only on lines long
    enough and with few enough spaces to be minified code, 0 elsewhere."""
    least, space_share = settings.code_min_chars, settings.code_max_space_share
    out = [0.0] * len(chars)
    for i in [i for i, c in enumerate(chars) if c >= least]:
        line = stripped[i]
        if line.count(" ") <= space_share * chars[i]:
            out[i] = sum(map(line.count, _CODE_MARKS)) / chars[i]
    return out


def measure(texts: Sequence[str], settings: FeatureSettings, core: str | None = None) -> PageFeatures:
    """Measure every block of a page (texts: the blocks' raw text; settings:
    the rule files' settings of measuring, see FeatureSettings; core:
    "python", "rust" or None, see declutter.core.resolve).

    The compiled core takes the per-line measures (the same numbers, see
    tests/test_core_diff.py); what follows is the reference.

    Written as passes over the whole page and list comprehensions over builtin
    string methods: per-line Python work is what makes a line classifier slow.
    Costly measures are taken only where a signal reads them: stop words on
    lines long enough to be prose, capitals on lines short enough to be menus.
    """
    if resolve(core) == "rust":
        measured = _measure_compiled(texts, settings)
        if measured is not None:
            return measured
    stripped = [t.strip() for t in texts]
    n = len(stripped)
    joined = "\n".join(stripped)
    if joined.count("\n") != max(n - 1, 0):  # HTML blocks may hold line breaks
        joined = "\n".join(s.replace("\n", " ") for s in stripped)
    # Keys: case, spacing and digits folded, in passes over the whole page.
    keys = fold_keys(joined.lower()).split("\n") if n else []
    sentence_end = [s[-1:] in _ENDS or (s[-1:] in _CLOSERS and s.rstrip(_CLOSERS)[-1:] in _ENDS) for s in stripped]
    chars = [len(s) for s in stripped]
    sentences = [1 if c > 20 and (". " in s or "? " in s or "! " in s or "。" in s) else 0
                 for s, c in zip(stripped, chars)]
    # Numeric tokens: in a key every digit is a 0 and words are split by single spaces.
    numbers = [k.count(" 0") + (k[0] == "0") if "0" in k else 0 for k in keys]
    code = _code_shares(stripped, chars, settings)
    return _page_measures(stripped, chars, keys, sentence_end, sentences, numbers, code, settings,
                          _unspaced(joined[:_SAMPLE], settings))


def _measure_compiled(texts: Sequence[str], settings: FeatureSettings) -> PageFeatures | None:
    """measure() by the compiled core, in one call; None for a page it cannot
    read (lone surrogates: the reference measures it)."""
    module = compiled()
    assert module is not None  # resolve() said "rust"
    joined = "\n".join(texts)
    # The core cuts the page at its line breaks, or by the blocks' lengths
    # when a block holds a line break itself (HTML) or there is no block.
    lengths = None if joined.count("\n") == len(texts) - 1 else list(map(len, texts))
    try:
        (stripped, keys, chars, words, stop_share, sentence_end, sentences, capital, code, repeats, numbers, lang,
         unspaced, longest) = module.measure_page(
            joined, lengths, compiled_stoplists(), settings.code_min_chars, settings.code_max_space_share,
            settings.unspaced_min_share, settings.menu_max_words, settings.prose_min_words, settings.stop_max_chars)
    except UnicodeEncodeError:
        return None
    # Texts come joined by "\n", numbers as native arrays: split and read in C.
    n = len(texts)
    if isinstance(stripped, str):
        stripped = stripped.split("\n") if n else []
    keys = keys.split("\n") if n else []
    names, lists = language.stoplists()
    name, stops = (None, frozenset[str]()) if lang is None else (names[lang], lists[lang])
    return PageFeatures(stripped, _ints(chars), _ints(words), _floats(stop_share), _bools(sentence_end),
                        _ints(sentences), _floats(capital), _floats(code), keys, _ints(repeats), _ints(numbers), name,
                        unspaced, longest, stops)


def _ints(data: bytes) -> list[int]:
    return memoryview(data).cast("Q").tolist()


# (typeshed types every memoryview format's items as int: said here)
def _floats(data: bytes) -> list[float]:
    return cast(list[float], memoryview(data).cast("d").tolist())


def _bools(data: bytes) -> list[bool]:
    return cast(list[bool], memoryview(data).cast("?").tolist())


@lru_cache(maxsize=1)
def compiled_stoplists() -> Any:
    """The stop lists indexed by the compiled core, once per process."""
    module = compiled()
    assert module is not None
    return module.StopLists([sorted(words) for words in language.stoplists()[1]])


def subset(f: PageFeatures, indexes: Sequence[int], settings: FeatureSettings) -> PageFeatures:
    """The features of a page made of some of f's blocks: what measure() would
    give for them. The per-line measures are reused; the ones that depend on
    the whole page (repeats, script, language) are taken again, and the
    measures that depend on those are reused only where they did not change."""
    # The language is told from the longest blocks: when they all stay, so does
    # the language, and the vote need not be taken again.
    position = {old: new for new, old in enumerate(indexes)}
    same_language = all(i in position for i in f.longest) and len(f.longest) == min(_LONGEST, len(indexes))
    known = ([position[i] for i in f.longest], f.language, f.stops) if same_language else None
    stripped = [f.stripped[i] for i in indexes]
    chars = [f.chars[i] for i in indexes]
    keys = [f.keys[i] for i in indexes]
    sentence_end = [f.sentence_end[i] for i in indexes]
    sentences = [f.sentences[i] for i in indexes]
    numbers = [f.numbers[i] for i in indexes]
    code = [f.code_share[i] for i in indexes]
    unspaced = _unspaced(_head(stripped, _SAMPLE), settings)
    if known is None or unspaced != f.unspaced:
        return _page_measures(stripped, chars, keys, sentence_end, sentences, numbers, code, settings,
                              unspaced, known)
    # Words, stop words and capitals depend on the line, the script and the
    # language alone: all three are the same.
    counts = Counter(keys)
    return PageFeatures(stripped, chars, [f.words[i] for i in indexes], [f.stop_share[i] for i in indexes],
                        sentence_end, sentences, [f.capital_share[i] for i in indexes], code, keys,
                        [counts[k] for k in keys], numbers, f.language, f.unspaced, known[0], f.stops)


_LONGEST = 6
# Where a line's key has its spaces (normalise.fold_keys; a block's own line
# breaks too): a line's words are cut there alike for its word count, its
# capitals and its stop words, so that neither share exceeds 1. (str.split()
# also cuts at "\r", "\x1c"-"\x1f", "\x85", "\u2028" and "\u2029", which
# the key keeps.)
_KEY_SPACE = re.compile("[ \n\t\xa0\x0b\x0c\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# The script is judged on the page's first characters.
_SAMPLE = 8000


def _unspaced(sample: str, settings: FeatureSettings) -> bool:
    """Whether a page, judged on its first characters, is in a script written without spaces."""
    return not sample.isascii() and language.unspaced_share(sample) > settings.unspaced_min_share


def _page_measures(stripped: list[str], chars: list[int], keys: list[str], sentence_end: list[bool],
                   sentences: list[int], numbers: list[int], code: list[float], settings: FeatureSettings,
                   unspaced: bool, known: tuple[list[int], str | None, frozenset[str]] | None = None) -> PageFeatures:
    menu_max_words = settings.menu_max_words
    n = len(stripped)
    counts = Counter(keys)
    repeats = [counts[k] for k in keys]
    words = [k.count(" ") + 1 if k else 0 for k in keys]
    if unspaced:
        words = [max(w, c // 2) for w, c in zip(words, chars)]
    lang: str | None = None
    stops: frozenset[str] = frozenset()
    longest: list[int] = []
    if not unspaced:
        if known is not None:
            longest, lang, stops = known
        else:
            longest = sorted(range(n), key=chars.__getitem__, reverse=True)[:_LONGEST]
            lang, stops = language.detect([keys[i] for i in longest])
    stop_share = _stop_shares(keys, words, chars, stops, settings)
    if unspaced:
        capital = [0.0] * n
    else:
        # Share of capitalised words on short lines; lines that open with a
        # number (ingredients, scores, list items) are not menus.
        capital = [len([t for t in _KEY_SPACE.split(s) if t and t[0].isupper()]) / w if 0 < w <= menu_max_words
                   and not s[0].isdigit() else 0.0 for s, w in zip(stripped, words)]
    return PageFeatures(stripped, chars, words, stop_share, sentence_end, sentences, capital, code,
                        keys, repeats, numbers, lang, unspaced, longest, stops)


def _stop_shares(keys: Sequence[str], words: Sequence[int], chars: Sequence[int], stops: frozenset[str],
                 settings: FeatureSettings) -> list[float]:
    """Per line, the share of its words that are stop words of the page's
    language: only on lines of enough words to be prose and not so long that
    they are prose on length alone (0 elsewhere, and on every line when the
    page has no stop words)."""
    if not stops:
        return [0.0] * len(keys)
    prose_min_words, stop_max_chars = settings.prose_min_words, settings.stop_max_chars
    # Whitespace tokens keep punctuation attached; stop words rarely end a
    # clause, so this costs little accuracy and a regex per line less.
    is_stop = stops.__contains__
    return [sum(map(is_stop, filter(None, k.split(" ")))) / w if w >= prose_min_words and c < stop_max_chars else 0.0
            for k, w, c in zip(keys, words, chars)]


def _head(stripped: Sequence[str], size: int) -> str:
    """The first `size` characters of the lines joined by newlines."""
    parts: list[str] = []
    total = 0
    for s in stripped:
        parts.append(s)
        total += len(s) + 1
        if total >= size:
            break
    return "\n".join(parts)[:size]
