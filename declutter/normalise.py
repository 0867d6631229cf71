"""How declutter compares text: every folding of a line in one place.

Each comparison folds what must not tell two lines apart for its purpose, and
no more; the forms differ on purpose, and each says what it is for:

  line_key    repeats within a page and phrase rules: case (lower), every
              ASCII digit to 0, runs of spacing to one space (as cc_net does)
  phrase_key  a phrase rule's form: line_key without the marks around it
  fold        rule literals and line heads: full case folding (casefold, and
              "İ" as "i"), so that a rule's literal meets every case of it
  prefix_key  the literal index: fold, a digit of any script to 0, white
              space of any kind to one space (a pattern's \\d or \\s is one key)
  title_key   a heading against the page's title: spacing and case folded,
              digits kept (a headline's numbers are part of it)
  learn_key   lines counted across a site by `declutter learn`: lower case,
              a run of digits (any script) to one 0, white space runs to one
              space, the same shape as the rule it writes (\\d+, \\s+)
"""
from __future__ import annotations

import re

import regex

__all__ = ["PHRASE_TRIM", "fold", "fold_keys", "learn_key", "line_key", "phrase_key", "prefix_key", "title_key"]

# The stdlib `re` serves these simple hot-path patterns: it is several times
# faster than `regex` on them. Runs of spaces, and the other horizontal white
# space; written so that the common single space is skipped fast (a negated
# class like [^\S\n] is 3x slower).
_INNER_SPACE = re.compile("  +|[\t\xa0\x0b\x0c\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ODD_SPACE = re.compile("[\t\xa0\x0b\x0c\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Digits fold to 0 on the UTF-8 bytes: ASCII bytes never occur inside a
# multi-byte sequence, and bytes.translate is ten times faster than a regex.
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")

# A phrase matches a block whose whole text equals it once case, spacing and
# digits are folded (line_key) and these surrounding marks are stripped.
PHRASE_TRIM = " :：*…»«›‹|-–—•·.!?()[]<>/\\"


def line_key(text: str) -> str:
    """A line's identity for repetition: case, digits and spacing folded (as cc_net does)."""
    return fold_keys(text.strip().lower())


def _has_inner_space(text: str) -> bool:
    # Substring tests run at memory speed; the regex only on non-ASCII text.
    if "  " in text or "\t" in text or "\x0b" in text or "\x0c" in text:
        return True
    return not text.isascii() and _ODD_SPACE.search(text) is not None


def fold_keys(lowered: str) -> str:
    """line_key's folding of spacing and digits, on lower-cased text (one line,
    or a page's lines joined by newlines)."""
    if _has_inner_space(lowered):
        lowered = _INNER_SPACE.sub(" ", lowered)
    return lowered.encode("utf-8", "surrogatepass").translate(_DIGITS_TO_ZERO).decode("utf-8", "surrogatepass")


def phrase_key(text: str) -> str:
    """The form in which a phrase rule compares a block with its phrases."""
    return line_key(text).strip(PHRASE_TRIM)


def fold(text: str) -> str:
    """Case folded, combining dot above removed (so that "İ" folds like "i")."""
    folded = text.casefold()
    return folded.replace("\u0307", "") if "\u0307" in folded else folded


class _KeyTable(dict[int, int]):
    """str.translate's table for prefix_key: a decimal digit of any script
    to 0, white space to a space; filled as characters are met, so that no
    table of every code point is built at start-up."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        self[code] = value = 48 if char.isdecimal() else 32 if char.isspace() else code
        return value


_KEY_TABLE = _KeyTable()
_SPACE_RUN = re.compile(" {2,}")


def prefix_key(text: str) -> str:
    r"""The form in which a line's head and a rule's prefixes are compared:
    fold()ed, every decimal digit as 0, every run of white space as one
    space. A pattern's `\d` or `\s` then gives one prefix, not one per digit
    or space character of every script (37,272 default prefixes become 4,132).
    A line that starts with a prefix has a key that starts with its key."""
    key = fold(text).translate(_KEY_TABLE)
    return _SPACE_RUN.sub(" ", key) if "  " in key else key


_SPACES = re.compile(r"\s+")


def title_key(text: str) -> str:
    """How a line is compared with the page's title: spacing and case folded."""
    return _SPACES.sub(" ", text).strip().casefold()


_DIGIT_RUN = regex.compile(r"\d+")
_SPACE_RUN_ANY = regex.compile(r"\s+")


def learn_key(line: str) -> str:
    """The form `declutter learn` compares lines in: stripped, lower-cased,
    digit runs to 0, whitespace runs to one space."""
    return _SPACE_RUN_ANY.sub(" ", _DIGIT_RUN.sub("0", line.strip().lower()))
