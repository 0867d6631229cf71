"""Rule patterns translated for the compiled core's regex engine (Rust's
`regex` crate), where the translation provably means what the `regex`
module means.

The translation walks the `regex` module's own parse tree (literals.py
`parse_tree`) and accepts only a whitelisted subset: sequences, branches,
groups, greedy and lazy repeats, ^ and $ under MULTILINE, \\A, \\z and
single characters of any kind. Every single-character node (a letter, with
its cases under IGNORECASE; a set; a property; \\d \\s \\h \\w; `.`) is
written as an explicit class of code point ranges that the `regex` engine
itself computed, by running that very node over every code point: so the
Rust pattern depends on no Unicode table of Rust's own and on no
case-folding rule of its own. Anything else (lookaround, possessive and
atomic groups, backreferences, \\b, fuzzy matching, ...) is not translated
exactly: the pattern is then translated as a filter (_Out: a superset that
only rules lines out) and Python's `regex` confirms, with its timeouts,
where the filter matches.

For this subset both engines are backtracking-equivalent: Rust's
leftmost-first match is the one a backtracking engine finds, so the match
and its span are the same (tests/test_core_rx.py checks spans on the dev
pages, the sets, fixtures, seeds and generated lines). The rules only ask
whether a block matches (matching.py: `search(...) is not None`, and for a
floating rule one search per block once its pattern cannot match a line
break, which the translation also checks).

Probing a node costs ~10 ms, so the default rules' translations ship in
data/rx_index.json (`python3 -m declutter.rx_index`, checked by the
tests); a user's pattern is not translated and runs in Python. The classes
are the `regex` version's own, so under another version the table is
worked out again once (a few seconds, from the sources the table lists) and
kept in the user's cache directory (`table()`).

The same table holds each default pattern's literal needs (literals.py
`analyse`, ~1 s for all of them), which the compiled core's prefilter is
built from (matching.py `prefilter_spec`); a user's pattern is analysed once
when its rules are indexed.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from .literals import Needs, analyse, core, engine, index_key, parse_tree

__all__ = ["INDEX_NAME", "Untranslatable", "build_index", "cache_file", "dump_index", "needs", "shipped_keys",
           "shipped_needs", "shipped_rx", "table", "translate"]

INDEX_NAME = "rx_index.json"
_MAX = 0x10FFFF
_SURROGATES = (0xD800, 0xDFFF)
# Every code point Rust's str can hold, in order: a node repeated over it
# matches exactly its members as maximal runs, i.e. as ranges.
_ALL: str | None = None
_ONE_CHAR = tuple(getattr(core, name) for name in (
    "Character", "Property", "SetUnion", "SetInter", "SetDiff", "SetSymDiff", "Any", "AnyAll", "AnyU",
) if hasattr(core, name))
_REPEATS = {core.GreedyRepeat: "", core.LazyRepeat: "?"}


class Untranslatable(Exception):
    """A pattern (or part) outside the translated subset."""


def _all_chars() -> str:
    global _ALL
    if _ALL is None:
        _ALL = "".join(chr(c) for c in range(_MAX + 1) if not _SURROGATES[0] <= c <= _SURROGATES[1])
    return _ALL


@cache
def _ranges_of(key: Any, node: Any) -> tuple[tuple[int, int], ...]:
    """The code points (no surrogates) the `regex` engine matches with this
    one-character node, as ranges: the node, repeated, run over all of them."""
    del key  # the cache key: nodes with equal _key match the same characters
    repeat = core.GreedyRepeat(node, 1, None)
    code = repeat.compile(False) + [(core.OP.SUCCESS,)]
    flat = sys.modules[regex.compile.__module__]._flatten_code(code)
    flags = int(regex.UNICODE) | int(regex.VERSION0)
    pattern = engine.compile("", flags, flat, {}, {}, {}, [], 0, [], 0, 0)
    text = _all_chars()
    out: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        first, last = ord(text[m.start()]), ord(text[m.end() - 1])
        if out and out[-1][1] + 1 == first:  # a run across the surrogate gap is one range
            first = out.pop()[0]
        out.append((first, last))
    return tuple(out)


def _code(c: int) -> str:
    return chr(c) if chr(c).isascii() and chr(c).isalnum() else f"\\x{{{c:X}}}"


def _class(ranges: tuple[tuple[int, int], ...]) -> str:
    if not ranges:
        return "[a&&b]"  # matches nothing
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return _code(ranges[0][0])
    body = "".join(_code(a) if a == b else f"{_code(a)}-{_code(b)}" for a, b in ranges)
    return f"[{body}]"


_ZERO_WIDTH_RELAXED = tuple(getattr(core, name) for name in (
    "LookAround", "Boundary", "DefaultBoundary", "StartOfWord", "EndOfWord", "DefaultStartOfWord",
    "DefaultEndOfWord",
) if hasattr(core, name))


class _Out:
    """The Rust source being built, and whether it can match a "\\n".

    exact: the translation must mean what the pattern means. Else it may be
    relaxed to a superset, a filter: every condition it cannot state
    (lookaround, \\b) is dropped, possessive and atomic groups backtrack
    like plain ones. Dropping a condition or allowing backtracking only
    admits more matches, so a line the filter does not match is a line the
    pattern does not match; the others Python searches."""

    def __init__(self, exact: bool) -> None:
        self.exact = exact
        self.newline = False

    def node(self, node: Any) -> str:
        kind = type(node)
        if kind is core.Sequence:
            return "".join(self.node(item) for item in node.items)
        if kind is core.Branch:
            return "(?:" + "|".join(self.node(b) for b in node.branches) + ")"
        if kind is core.Group:
            return "(?:" + self.node(node.subpattern) + ")"
        if kind in _REPEATS:
            low, high = node.min_count, node.max_count
            if (high is not None and high > 1000) or low > 1000:
                raise Untranslatable("a repeat count past Rust's limit")
            count = f"{{{low},}}" if high is None else f"{{{low},{high}}}"
            return "(?:" + self.node(node.subpattern) + ")" + count + _REPEATS[kind]
        if kind in _ONE_CHAR:
            if getattr(node, "zerowidth", False):
                raise Untranslatable("a zero-width set")
            ranges = _ranges_of(_key(node), node)
            self.newline = self.newline or any(a <= 10 <= b for a, b in ranges)
            return _class(ranges)
        if kind in (core.Literal, getattr(core, "String", None)):
            return "".join(self.node(core.Character(c, case_flags=node.case_flags)) for c in node.characters)
        if kind is core.StartOfLine and node.positive:
            return "(?m:^)"
        if kind is core.EndOfLine and node.positive:
            return "(?m:$)"
        if kind is core.StartOfString:
            return r"\A"
        if kind is core.EndOfString:
            return r"\z"
        if not self.exact:
            if kind in _ZERO_WIDTH_RELAXED:
                return ""
            if kind is core.PossessiveRepeat:
                return self.node(core.GreedyRepeat(node.subpattern, node.min_count, node.max_count))
            if kind is core.Atomic:
                return "(?:" + self.node(node.subpattern) + ")"
        raise Untranslatable(f"{kind.__name__} is not translated")


def _key(node: Any) -> Any:
    key = getattr(node, "_key", None)
    if key is None:
        raise Untranslatable("a node without a key")
    hash(key)
    return key


def translate(source: str, flags: int, exact: bool = True) -> str:
    """The Rust regex of a pattern (exact: its meaning; else a filter, see
    _Out), or Untranslatable."""
    return _translate(source, flags, exact)[0]


@lru_cache(maxsize=256)
def _translate(source: str, flags: int, exact: bool) -> tuple[str, bool]:
    tree = parse_tree(source, flags)
    if tree is None:
        raise Untranslatable("the regex module's parser refused it")
    out = _Out(exact)
    return out.node(tree), out.newline


def build_index(patterns: list[tuple[str, int]]) -> dict[str, Any]:
    """The shipped index: per pattern key, its source and flags (so another
    `regex` version can work it out again), its Rust source, whether it is
    exact (else a filter) and whether it can match a "\\n"; or, for a pattern
    with neither, why it stays with the `regex` module alone; and its needs
    (prefixes and literals, sorted, or None), whatever the translation."""
    entries: dict[str, Any] = {}
    for source, flags in patterns:
        entry: dict[str, Any] = {}
        for exact in (True, False):
            try:
                rust, newline = _translate(source, flags, exact)
                entry = {"rust": rust, "exact": exact, "newline": newline}
                break
            except Untranslatable as exc:
                entry.setdefault("python", str(exc))
        entry.update(source=source, flags=int(flags))
        found = analyse(source, flags)
        entry["needs"] = [None if v is None else sorted(v) for v in (found.prefixes, found.literals)]
        entries[index_key(source, flags)] = entry
    return {"regex": regex.__version__, "unicode": unicodedata.unidata_version, "entries": entries}


def dump_index(index: dict[str, Any]) -> str:
    """An index as the JSON text it is kept in (sorted: the same index is
    the same text, which `python3 -m declutter.rx_index --check` compares)."""
    return json.dumps(index, ensure_ascii=True, sort_keys=True, separators=(",", ":")) + "\n"


def _read_index(text: str) -> dict[str, Any]:
    """An index from its JSON text (empty when it is not one)."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("entries"), dict) else {}


@lru_cache(maxsize=1)
def _shipped_text() -> str:
    try:
        return (resources.files("declutter") / "data" / INDEX_NAME).read_text(encoding="utf-8")
    except OSError:
        return ""


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    """The shipped index as read (empty when missing or unreadable)."""
    return _read_index(_shipped_text())


def cache_file() -> Path | None:
    """Where the table worked out for the running `regex` version is kept:
    $DECLUTTER_CACHE_DIR, else $XDG_CACHE_HOME/declutter, else
    ~/.cache/declutter; named by that version and by the shipped table's
    hash, so a new release's rules never meet an old release's table. None
    when no home directory is known."""
    folder = os.environ.get("DECLUTTER_CACHE_DIR")
    if not folder:
        xdg = os.environ.get("XDG_CACHE_HOME")
        try:
            folder = str(Path(xdg) / "declutter") if xdg else str(Path.home() / ".cache" / "declutter")
        except RuntimeError:  # no home directory
            return None
    digest = hashlib.sha256(_shipped_text().encode("utf-8")).hexdigest()[:16]
    return Path(folder) / f"rx_index-regex-{regex.__version__}-{digest}.json"


def _keep(path: Path, text: str) -> None:
    """Write the table atomically (processes may race to write it); a cache
    that cannot be written only costs the next process the same seconds."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except OSError:
        pass


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    """The index for the running `regex` version: the shipped one when that
    version built it. Otherwise its classes and needs may differ (each
    version has its own Unicode tables), so the index is worked out again
    from the sources it lists, once per version and release: read from
    cache_file() when there, else built now (a few seconds) and kept there.
    Empty when the shipped index is missing: every rule then runs in Python."""
    shipped = _shipped()
    if not shipped or shipped.get("regex") == regex.__version__:
        return shipped
    path = cache_file()
    if path is not None:
        try:
            cached = _read_index(path.read_text(encoding="utf-8"))
        except OSError:
            cached = {}
        if cached.get("regex") == regex.__version__ and cached["entries"].keys() == shipped["entries"].keys():
            return cached
    try:
        rebuilt = build_index([(e["source"], e["flags"]) for e in shipped["entries"].values()])
    except (KeyError, TypeError):  # an index without sources: the defaults run in Python
        return {}
    if path is not None:
        _keep(path, dump_index(rebuilt))
    return rebuilt


@lru_cache(maxsize=1)
def shipped_keys() -> frozenset[str]:
    """The index_key() of every default pattern the index lists, whatever
    `regex` version built it: each compiled then, and a pattern's syntax does
    not change between versions, so it may be compiled on first use."""
    return frozenset(_shipped().get("entries", {}))


@lru_cache(maxsize=1)
def shipped_rx() -> dict[str, tuple[str, bool, bool] | None]:
    """The translations for the running `regex` version by index_key():
    (rust source, exact, can match a line break), or None for a pattern the
    core cannot even filter. Empty when there is no index: then every rule
    runs in Python."""
    data = table()
    try:
        return {k: (e["rust"], e["exact"], e["newline"]) if "rust" in e else None for k, e in data["entries"].items()}
    except (KeyError, TypeError):
        return {}


@lru_cache(maxsize=1)
def shipped_needs() -> dict[str, Needs]:
    """The needs of each default pattern for the running `regex` version, by
    index_key(). The analysis reads the regex module's Unicode tables (the
    members of \\d, \\s, \\h, the cases of letters), so they come from
    table(), never from an index another version built: the prefilter must
    admit every line `regex` could match."""
    try:
        return {key: Needs(*(None if v is None else frozenset(v) for v in entry["needs"]))
                for key, entry in table().get("entries", {}).items()}
    except (KeyError, TypeError, ValueError):
        return {}


def needs(pattern: Any) -> Needs:
    """What a pattern needs. Parsing a large pattern costs as much as compiling
    it, so the default rules' needs ship precomputed in the compiled core's
    table (`shipped_needs`, data/rx_index.json, checked against a fresh
    analysis by the tests, rebuilt with `python3 -m declutter.rx_index`);
    other patterns are analysed once per process. pattern: a RulePattern (or
    anything with its source in .pattern and its compile flags in .flags)."""
    found = shipped_needs().get(index_key(pattern.pattern, pattern.flags))
    return found if found is not None else analyse(pattern.pattern, pattern.flags)
