"""A rule's regex, compiled on first use.

Compiling the default rules' large multilingual patterns took half a second,
most of a one-page run's start-up, while a page meets only a few of them. A
pattern the compiled core's shipped table lists (data/rx_index.json) is one
that compiled when the table was built (the tests keep it current), so it is
compiled only when a rule first searches with it. Any other pattern, from a user's rule file, is
compiled when the file is read, so that a bad one fails there.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import regex

from .errors import RuleFileError
from .literals import index_key
from .rx import shipped_keys

# A safety cap on what a pattern can make the engine build (not a tuning
# threshold: no sensible rule comes near it).
MAX_PATTERN_SIZE = 100_000
_COUNT = regex.compile(r"\{(\d*)(?:,(\d*))?\}")
# Patterns are searched in a block's text; `^` and `$` anchor at the block's
# ends because the engine searches many blocks at once, one per line.
PATTERN_FLAGS = regex.MULTILINE


class RulePattern:
    """A regex with the methods rules use (search, match, finditer), compiled
    with PATTERN_FLAGS when first needed. pattern: the source; flags: the
    flags it is compiled with. Two threads racing to compile it both get the
    same pattern. Pickled as its source: a worker compiles what it uses."""

    __slots__ = ("pattern", "flags", "_where", "_compiled")

    def __init__(self, source: str, where: tuple[str, str], compiled: regex.Pattern[str] | None = None) -> None:
        self.pattern = source
        self.flags = int(PATTERN_FLAGS)
        self._where = where  # (file, rule id), for the error of a pattern that fails to compile late
        self._compiled = compiled

    @classmethod
    def read(cls, source: str, path: str, rule_id: str) -> RulePattern:
        """The pattern of a rule being read: compiled now unless it is known to
        compile; a bad one raises RuleFileError."""
        if index_key(source, int(PATTERN_FLAGS)) in shipped_keys():
            return cls(source, (path, rule_id))  # a default pattern: known to compile, within the cap
        if pattern_size(source) > MAX_PATTERN_SIZE:
            raise RuleFileError(path, f"bad regex: its repetition counts expand it past {MAX_PATTERN_SIZE:,} "
                                "items (the regex engine would need huge memory)", rule_id)
        return cls(source, (path, rule_id), _compile(source, path, rule_id))

    @property
    def compiled(self) -> regex.Pattern[str]:
        found = self._compiled
        if found is None:
            found = self._compiled = _compile(self.pattern, *self._where)
        return found

    def search(self, string: str, *args: Any, **kwargs: Any) -> regex.Match[str] | None:
        return self.compiled.search(string, *args, **kwargs)

    def match(self, string: str, *args: Any, **kwargs: Any) -> regex.Match[str] | None:
        return self.compiled.match(string, *args, **kwargs)

    def finditer(self, string: str, *args: Any, **kwargs: Any) -> Iterator[regex.Match[str]]:
        return self.compiled.finditer(string, *args, **kwargs)

    def __reduce__(self) -> tuple[Any, ...]:
        return (RulePattern, (self.pattern, self._where))

    def __repr__(self) -> str:
        return f"RulePattern({self.pattern!r})"


def _compile(source: str, path: str, rule_id: str) -> regex.Pattern[str]:
    try:
        return regex.compile(source, PATTERN_FLAGS)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        raise RuleFileError(path, f"bad regex: {exc}", rule_id) from None


def pattern_size(source: str) -> int:
    """About how many items a pattern compiles to once counted repetitions
    are expanded: the `regex` module unrolls a{m,n} into m copies of `a`, so
    a{1000000} or (?:(?:a{100}){100}){100} cost hundreds of MB to compile.
    Groups multiply; escapes and character classes count as one item."""
    stack = [[0, 0]]  # per open group: [size so far, size of the last atom]
    i, n = 0, len(source)
    nested_sets = "V1" in source
    while i < n:
        c = source[i]
        frame = stack[-1]
        if c == "\\":
            frame[0] += 1
            frame[1] = 1
            i += 2
            continue
        if c == "[":
            depth, i = 1, i + 1
            if source.startswith("^", i):
                i += 1
            if source.startswith("]", i):
                i += 1
            while i < n and depth:
                if source[i] == "\\":
                    i += 1
                elif source[i] == "[" and (nested_sets or source.startswith(":", i + 1)):
                    depth += 1
                elif source[i] == "]":
                    depth -= 1
                i += 1
            frame[0] += 1
            frame[1] = 1
            continue
        if c == "(":
            stack.append([0, 0])
        elif c == ")" and len(stack) > 1:
            size = stack.pop()[0]
            stack[-1][0] += size
            stack[-1][1] = size
        elif c == "{":
            m = _COUNT.match(source, i)
            if m:
                least = int(m.group(1) or 0)
                frame[0] += frame[1] * (max(least, 1) - 1)
                frame[1] *= max(least, 1)
                i = m.end()
                continue
            frame[0] += 1
            frame[1] = 1
        elif c not in "*+?|^$":
            frame[0] += 1
            frame[1] = 1
        i += 1
    return sum(f[0] for f in stack)
