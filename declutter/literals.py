"""What literal text a rule's pattern needs: the strings every match starts
with, or contains. The compiled core's prefilter (matching.py
`prefilter_spec`) skips a rule on the lines that lack them, which is most
lines: trying a large multilingual alternation on every line is the costliest
way to find that it does not match (rx.py `needs` looks a pattern's needs up
in the shipped table, or works them out here). The pure-Python reference
uses only a start-anchored pattern's prefixes, what its matches begin with
(matching.py `Placed.admits`); it searches every other rule with `regex`.

Patterns are read with the `regex` module's own parser, so the analysis sees
exactly the syntax the engine compiles. Anything it does not understand
yields None ("no requirement known"): the rule is then simply tried. All
text is compared in fold() form; a case-insensitive letter counts as literal
only when every case the engine accepts for it folds the same way.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import regex
from regex import _regex, _regex_core

from .normalise import fold, prefix_key

# regex's private parser and C engine: the analysis walks the parser's tree and
# asks the engine for a letter's cases, and the types-regex stub declares only
# part of either (none of the node classes Sequence, Branch, Group...; not
# get_all_cases), so both are read untyped, bound here once rather than excused
# at every use
core: Any = _regex_core
engine: Any = _regex

# Prefix sets larger than this stop growing (the set so far is kept).
_MAX_PREFIXES = 2000
# Prefixes are only ever compared on their first KEY_CHARS characters.
KEY_CHARS = 6
_ZERO_WIDTH = tuple(getattr(core, name) for name in (
    "StartOfLine", "StartOfLineU", "StartOfString", "EndOfLine", "EndOfLineU", "EndOfString",
    "EndOfStringLine", "EndOfStringLineU", "Boundary", "DefaultBoundary", "StartOfWord", "EndOfWord",
    "DefaultStartOfWord", "DefaultEndOfWord", "LookAround", "SearchAnchor", "GraphemeBoundary",
) if hasattr(core, name))
_IGNORECASE, _FULLCASE, _UNICODE = int(regex.IGNORECASE), int(regex.FULLCASE), int(regex.UNICODE)
# Prefix results of sequence tails, by (id of the item list, position).
_Memo = dict[tuple[int, int], tuple[set[str] | None, bool]]
_REPEATS = tuple(getattr(core, name) for name in ("GreedyRepeat", "LazyRepeat", "PossessiveRepeat")
                 if hasattr(core, name))


@dataclass(frozen=True, slots=True)
class Needs:
    """What every match of a pattern needs (None: nothing known).

    prefixes  prefix_key()s, each at most KEY_CHARS long, one of which the
              key of a match of a start-anchored pattern begins with
    literals  folded strings one of which every match contains
    """

    prefixes: frozenset[str] | None
    literals: frozenset[str] | None


def index_key(source: str, flags: int) -> str:
    return hashlib.sha256(f"{int(flags)}\0{source}".encode("utf-8", "surrogatepass")).hexdigest()[:24]


@lru_cache(maxsize=4096)
def analyse(source: str, flags: int) -> Needs:
    """The needs of a pattern, worked out from its parse tree."""
    tree = _parse(source, flags)
    if tree is None:
        return Needs(None, None)
    return Needs(_required_prefixes(tree), _required_literals(tree))


def _required_prefixes(tree: Any) -> frozenset[str] | None:
    try:
        found, _ = _prefixes(tree, {})
    except (AttributeError, TypeError, ValueError):
        return None
    if not found or "" in found:
        return None
    return frozenset(prefix_key(p) for p in found)


def _required_literals(tree: Any) -> frozenset[str] | None:
    try:
        found = _contained(tree)
    except (AttributeError, TypeError, ValueError):
        return None
    if not found or _weight(found) < 3:
        return None  # too short and common to be worth checking
    return frozenset(found)


def parse_tree(pattern: str, flags: int) -> Any:
    """The `regex` module's parse tree of a pattern, None if it does not
    parse (rx.py translates it for the compiled core)."""
    return _parse(pattern, flags)


def _parse(pattern: str, flags: int) -> Any:
    # The same steps regex.compile takes, stopping at the parse tree.
    flags = int(flags) & ~_UNICODE
    for _ in range(3):
        source = core.Source(pattern)
        info = core.Info(flags, source.char_type, {})
        info.guess_encoding = regex.UNICODE
        source.ignore_space = bool(info.flags & regex.VERBOSE)
        try:
            return core._parse_pattern(source, info)
        except core._UnscopedFlagSet:
            flags = info.global_flags
        except Exception:  # any parser trouble: no requirement known
            return None
    return None


def _char(node: Any) -> str | None:
    """The folded text a node always matches if it is one literal character."""
    if type(node) is not core.Character or not node.positive or node.zerowidth:
        return None
    return _folded_char(node.value, int(node.case_flags))


@cache
def _folded_char(value: int, case_flags: int) -> str | None:
    folded = fold(chr(value))
    if case_flags & _IGNORECASE:
        cases = engine.get_all_cases(_UNICODE | (case_flags & _FULLCASE), value)
        if any(fold(chr(c)) != folded for c in cases):
            return None  # a case the engine accepts folds otherwise: not a literal
    return folded


def _prefixes(node: Any, memo: _Memo) -> tuple[set[str] | None, bool]:
    """(strings a match of node starts with, whether they are the whole match)."""
    kind = type(node)
    members = _members(node)
    if members is not None:
        # A large class (\d: every script's digits) is kept as first characters only.
        return members, len(members) <= _MAX_MEMBERS
    if kind is core.Sequence:
        return _sequence_prefixes(node.items, 0, memo)
    if kind is core.Branch:
        out: set[str] = set()
        all_exact = True
        for branch in node.branches:
            found, exact = _prefixes(branch, memo)
            if found is None:
                return None, False
            out |= found
            all_exact = all_exact and exact
        return out, all_exact
    if kind in (core.Group, core.Atomic):
        return _prefixes(node.subpattern, memo)
    if kind in _REPEATS and node.min_count >= 1:
        found, exact = _prefixes(node.subpattern, memo)
        return found, exact and node.min_count == node.max_count == 1
    return None, False


def _sequence_prefixes(items: list[Any], i: int, memo: _Memo) -> tuple[set[str] | None, bool]:
    # Optional items make two paths through the rest of a sequence: memoised,
    # so that a run of them does not cost exponential time.
    key = (id(items), i)
    if key not in memo:
        memo[key] = _sequence_prefixes_uncached(items, i, memo)
    return memo[key]


def _sequence_prefixes_uncached(items: list[Any], i: int, memo: _Memo) -> tuple[set[str] | None, bool]:
    while i < len(items) and isinstance(items[i], _ZERO_WIDTH):
        i += 1
    if i == len(items):
        return {""}, True
    item = items[i]
    if type(item) in _REPEATS and item.min_count == 0:
        # Optional: a match starts either with the item or with what follows.
        once, exact = _prefixes(item.subpattern, memo)
        rest, _ = _sequence_prefixes(items, i + 1, memo)
        if once is None or rest is None:
            return None, False
        if exact and item.max_count == 1:
            once, exact = _join(once, items, i + 1, memo)
            if once is None:
                return None, False
        return once | rest, False
    found, exact = _prefixes(item, memo)
    if found is None:
        return None, False
    if not exact:
        return {f[:KEY_CHARS] for f in found}, False
    return _join(found, items, i + 1, memo)


def _join(head: set[str], items: list[Any], i: int, memo: _Memo) -> tuple[set[str] | None, bool]:
    """Prefixes of head followed by items[i:]."""
    head = {h[:KEY_CHARS] for h in head}
    if all(len(h) >= KEY_CHARS for h in head):
        return head, False
    rest, exact = _sequence_prefixes(items, i, memo)
    if rest is None or ("" in rest and not exact):
        return head, False
    grown = {(h + r)[:KEY_CHARS] for h in head for r in rest}
    if len(grown) > _MAX_PREFIXES:
        return head, False
    return grown, exact


def _members(node: Any) -> set[str] | None:
    """The folded characters a one-character node can match, when known."""
    char = _char(node)
    if char is not None:
        return {char}
    kind = type(node)
    if getattr(node, "zerowidth", True) or not getattr(node, "positive", False):
        return None
    if kind is core.SetUnion:
        out: set[str] = set()
        for item in node.items:
            found = _members(item)
            if found is None:
                return None
            out |= found
        return out
    if kind is core.Property:
        return _classes().get(node.value)
    if kind is core.Range and node.upper - node.lower < _MAX_MEMBERS and not node.case_flags & regex.IGNORECASE:
        return {fold(chr(c)) for c in range(node.lower, node.upper + 1)}
    return None


_CLASS_SETS: dict[int, set[str]] = {}
# Classes larger than this only say which character a match starts with.
_MAX_MEMBERS = 64


def _classes() -> dict[int, set[str]]:
    """The members of \\h, \\s and \\d by their property value, found by
    running each over every code point (once per process, at analysis only)."""
    if not _CLASS_SETS:
        every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
        for escape in (r"\h", r"\s", r"\d"):
            tree = _parse(escape, 0)
            prop = tree.items[0] if type(tree) is core.Sequence else tree
            _CLASS_SETS[prop.value] = set(regex.findall(escape, every))
    return _CLASS_SETS


def _contained(node: Any) -> set[str] | None:
    """Strings one of which every match of node contains."""
    kind = type(node)
    char = _char(node)
    if char is not None:
        return {char}
    if kind is core.Sequence:
        options: list[set[str]] = []
        run: list[str] = []
        for item in node.items:
            char = _char(item)
            if char is not None:
                run.append(char)
                continue
            if run:
                options.append({"".join(run)})
                run = []
            if isinstance(item, _ZERO_WIDTH):
                continue
            found = _contained(item)
            if found:
                options.append(found)
        if run:
            options.append({"".join(run)})
        return max(options, key=lambda o: (_weight(o), -len(o))) if options else None
    if kind is core.Branch:
        out: set[str] = set()
        for branch in node.branches:
            found = _contained(branch)
            if not found:
                return None
            out |= found
        return out
    if kind in (core.Group, core.Atomic):
        return _contained(node.subpattern)
    if kind in _REPEATS and node.min_count >= 1:
        return _contained(node.subpattern)
    return None


def _weight(strings: set[str] | frozenset[str]) -> int:
    # How rare the rarest-looking string is: a letter or digit counts 1, any
    # other character (©, CJK, punctuation) 3. Below 3, a check would pass
    # on nearly every line.
    return min(sum(3 if ord(c) >= 0x2E80 or not c.isalnum() else 1 for c in s) for s in strings)

