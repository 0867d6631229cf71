"""Matching pattern and phrase rules against a page's blocks.

Each rule is run the cheapest way its pattern allows:

- phrase rules: one dict lookup per block;
- patterns whose matches begin with known text (stated in the rule's
  `starts`, or worked out by literals.py for a start-anchored one): an index
  from a line's first characters to the rules it admits;
- other patterns that need some literal text: tried only on the lines that
  contain it, found with substring search over the joined lines;
- the rest: start-anchored ones on every line, floating ones in one regex
  pass over the joined lines.

What a line gave is remembered per RuleSet (LineMemo): the idempotence round
and the next page of a site meet the same lines again.

With the compiled core, the candidates of phrase, indexed and literal rules
come from one call per page instead (declutter._core.Prefilter, built once per
pair of RuleIndexes from the same data); Python confirms each candidate as it
confirms its own, in the same order, so hits and timeouts are the same.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any

import regex

from .core import compiled
from .limits import check_budget
from .literals import KEY_CHARS, needs
from .normalise import PHRASE_TRIM, fold, prefix_key
from .rule import Hit, Rule
from .rulefile import may_act

__all__ = ["Found", "LineMemo", "MatchReport", "Matching", "Page", "RuleGroup", "kept_candidates", "prefilter_spec",
           "starts_anchored", "where_any"]

# A rule needing one of more literals than this is cheaper to try by its prefix.
MAX_LITERALS = 64
Bounds = tuple[int, int, int]


@dataclass(slots=True)
class MatchReport:
    hits: list[Hit] = field(default_factory=list)
    # (rule id, block index) of matches skipped because the regex ran out of time.
    timeouts: list[tuple[str, int]] = field(default_factory=list)


class Matching:
    """The pattern and phrase rules of a RuleSet, ready to match. Rules that
    only drop their own block can be tried lazily, where a drop could change
    the output; the others (shaping: protect, drop-to-end, drop-before) act on
    whole ranges or protect, and are always tried on every block."""

    def __init__(self, rules: Sequence[Rule], timeout: float) -> None:
        self.shaping = RuleGroup(rule_index(tuple(r for r in rules if r.action != "drop"), timeout))
        self.dropping = RuleGroup(rule_index(tuple(r for r in rules if r.action == "drop"), timeout))

    def match(self, stripped: Sequence[str], keys: Sequence[str], host: str | None,
              lines: Sequence[int] | None = None, *, shaping: bool | None = None,
              bounds: Bounds | None = None, candidates: PageCandidates | None = None) -> MatchReport:
        """See RuleSet.match."""
        report = MatchReport()
        page = Page(stripped, keys, host, bounds, report)
        for group, shapes, n in ((self.shaping, True, 0), (self.dropping, False, 1)):
            if shaping is None or shaping == shapes:
                group.match(page, lines, None if candidates is None else candidates[n])
        return report

    def candidates(self, stripped: Sequence[str]) -> PageCandidates | None:
        """The compiled core's candidates of both groups on a page's stripped
        lines, for match(); None when the core is not installed or cannot
        read the lines (lone surrogates): match() then finds its own."""
        module = compiled()
        if module is None:
            return None
        prefilter = compiled_prefilter(self.shaping.index, self.dropping.index)
        joined = "\n".join(stripped)
        # Cut at the line breaks, or by the lines' lengths when one holds a break itself.
        lengths = None if joined.count("\n") == len(stripped) - 1 else list(map(len, stripped))
        try:
            shaping, dropping = prefilter.candidates(joined, lengths)
        except UnicodeEncodeError:
            return None
        return Found(*shaping), Found(*dropping)


@dataclass(slots=True)
class Page:
    """One matching call: the blocks' stripped text and line_key()s, the
    page's host, the body bounds hits are judged by (None: try every block),
    and the report being filled."""

    stripped: Sequence[str]
    keys: Sequence[str]
    host: str | None
    bounds: Bounds | None
    report: MatchReport

    def may_try(self, rule: Rule, index: int) -> bool:
        """Whether the rule may act on the block: its length bounds and `where`."""
        return fits(rule, len(self.stripped[index])) and (
            self.bounds is None or may_act(rule.where, index, *self.bounds))

    def hit(self, rule: Rule, index: int) -> None:
        self.report.hits.append(Hit(rule, index))


@dataclass(frozen=True, slots=True)
class Found:
    """One group's candidates on a page, from the compiled core: pair k of a
    kind is (block index, rank of the rule in its RuleIndex), by block and
    then in the order RuleGroup tries them."""

    phrase_lines: list[int]
    phrase_ranks: list[int]
    anchored_lines: list[int]
    anchored_ranks: list[int]
    literal_lines: list[int]
    literal_ranks: list[int]


# The candidates of the shaping and the dropping group.
PageCandidates = tuple[Found, Found]


def kept_candidates(found: PageCandidates, kept: Sequence[int], n: int) -> PageCandidates:
    """The candidates of a page made of some of a page's n blocks (`kept`,
    ascending), numbered as in it: a block's candidates depend on its text
    and its key alone, and the kept blocks keep their keys (features.subset)."""
    renumber = [-1] * n
    for new, old in enumerate(kept):
        renumber[old] = new

    def take(lines: list[int], ranks: list[int]) -> tuple[list[int], list[int]]:
        pairs = [(renumber[i], r) for i, r in zip(lines, ranks) if renumber[i] >= 0]
        return [i for i, _ in pairs], [r for _, r in pairs]

    def group(f: Found) -> Found:
        return Found(*take(f.phrase_lines, f.phrase_ranks), *take(f.anchored_lines, f.anchored_ranks),
                     *take(f.literal_lines, f.literal_ranks))

    return group(found[0]), group(found[1])


@lru_cache(maxsize=32)
def compiled_prefilter(*indexes: RuleIndex) -> Any:
    """The compiled core's Prefilter of these RuleIndexes (cached like them)."""
    module = compiled()
    assert module is not None
    return module.Prefilter([prefilter_spec(index) for index in indexes], PHRASE_TRIM)


def prefilter_spec(index: RuleIndex) -> tuple[Any, ...]:
    """A RuleIndex as the compiled Prefilter takes it, every rule as its
    rank: (bounds, phrases, prefixes, prefix_literals, literal_rules,
    everywhere)."""
    rank = index.rank
    return (
        [(r.min_chars, r.max_chars) for r in index.rules],
        [(phrase, [rank[r] for r in rules]) for phrase, rules in index.phrases.items()],
        [(prefix, [rank[r] for r in rules]) for prefix, rules in index.by_prefix.items()],
        [(rank[r], list(literals)) for r, literals in index.literals_of.items()],
        [(rank[r], list(literals)) for r, literals in index.by_literal],
        [rank[r] for r in index.everywhere],
    )


@lru_cache(maxsize=32)
def rule_index(rules: tuple[Rule, ...], timeout: float) -> RuleIndex:
    # Built once per set of rules: every Cleaner with the default rules shares
    # the same compiled Rule objects, and indexing them costs tens of ms.
    return RuleIndex(rules, timeout)


class RuleIndex:
    """A group of rules sorted by how each is run (see the module doc).
    Read-only once built, so shared by every RuleSet with these rules."""

    def __init__(self, rules: Sequence[Rule], timeout: float) -> None:
        self.timeout = timeout
        self.rules = tuple(rules)
        self.rank = {rule: n for n, rule in enumerate(rules)}
        self.phrases: dict[str, tuple[Rule, ...]] = {}
        self.by_prefix: dict[str, tuple[Rule, ...]] = {}
        self.literals_of: dict[Rule, tuple[str, ...]] = {}  # a prefixed rule's second, cheaper test
        self.by_literal: list[tuple[Rule, tuple[str, ...]]] = []
        self.everywhere: list[Rule] = []  # start-anchored, nothing known: tried on every line
        self.floating: list[Rule] = []  # one regex pass over the joined lines
        self.anchored: list[Rule] = []
        for rule in rules:
            for phrase in rule.phrases:
                self.phrases[phrase] = self.phrases.get(phrase, ()) + (rule,)
            if rule.pattern is not None:
                self._place(rule)
        # Every proper beginning of an indexed prefix: a line's head is looked
        # up one character longer only while it is one of these.
        self.stems = frozenset(k[:n] for k in self.by_prefix for n in range(1, len(k)))
        self.wheres = frozenset(r.where for r in rules)

    def _place(self, rule: Rule) -> None:
        if rule.starts:
            self._index(rule, rule.starts, None)  # the author's word: no analysis
            return
        assert rule.pattern is not None
        anchored = starts_anchored(rule.pattern.pattern)
        need = needs(rule.pattern)
        if anchored and need.prefixes:
            small = need.literals if need.literals and len(need.literals) <= MAX_LITERALS else None
            self._index(rule, need.prefixes, small)
        elif need.literals and len(need.literals) <= MAX_LITERALS:
            self.by_literal.append((rule, tuple(sorted(need.literals))))
        elif anchored:
            self.anchored.append(rule)
            self.everywhere.append(rule)
        else:
            self.floating.append(rule)

    def _index(self, rule: Rule, prefixes: Iterable[str], literals: Iterable[str] | None) -> None:
        self.anchored.append(rule)
        for prefix in dict.fromkeys(prefix_key(p)[:KEY_CHARS] for p in prefixes):
            self.by_prefix[prefix] = self.by_prefix.get(prefix, ()) + (rule,)
        if literals:
            self.literals_of[rule] = tuple(sorted(literals))

    def candidates(self, line: str) -> tuple[Rule, ...]:
        """The indexed rules whose prefixes this line could start with, in file order."""
        head = prefix_key(line[: KEY_CHARS + 2])
        get = self.by_prefix.get
        found: tuple[Rule, ...] = ()
        for size in range(1, KEY_CHARS + 1):
            key = head[:size]
            found += get(key, ())
            if key not in self.stems or size == len(head):
                break
        if len(found) > 1:
            found = tuple(sorted(set(found), key=self.rank.__getitem__))
        return found

    def prefiltered(self, line: str) -> tuple[Rule, ...]:
        """The indexed rules that could match this line: admitted by its first
        characters, within their length bounds, and (where a rule needs one
        of some literals) holding one. Depends on the line alone."""
        n = len(line)
        folded = None
        out: list[Rule] = []
        for rule in self.candidates(line):
            if not fits(rule, n):
                continue
            literals = self.literals_of.get(rule)
            if literals:
                folded = folded or fold(line)
                if not any(literal in folded for literal in literals):
                    continue
            out.append(rule)
        return tuple(out)


class RuleGroup:
    """A RuleIndex with its own LineMemo: one per RuleSet (not shared between
    Cleaners, so a benchmark's fresh Cleaner starts cold; not pickled)."""

    def __init__(self, index: RuleIndex) -> None:
        self.index = index
        self.memo = LineMemo()

    def match(self, page: Page, lines: Sequence[int] | None, found: Found | None = None) -> None:
        """Every hit of the group's rules on the blocks `lines` (None: all,
        else ascending), into page.report; found: the compiled core's
        candidates on the whole page (None: Python's own)."""
        index = self.index
        indexes: Sequence[int] = range(len(page.stripped)) if lines is None else lines
        if page.bounds is not None:
            indexes = where_any(index.wheres, indexes, page.bounds)
        self.memo.bound()
        if found is not None:
            self._confirm(page, indexes, found)
        else:
            if index.phrases:
                self._phrases(page, indexes)
            allowed = {r for r in index.anchored if r.applies_to(page.host)}
            if allowed:
                self._anchored(page, indexes, allowed)
            allowed = {r for r, _ in index.by_literal if r.applies_to(page.host)}
            if allowed:
                self._literal(page, indexes, allowed)
        self.match_floating(page, indexes)

    def match_floating(self, page: Page, indexes: Sequence[int],
                       done: Mapping[Rule, Sequence[int]] | None = None) -> None:
        """The hits of the group's floating rules on the blocks `indexes`
        (ascending), in one regex pass over them per rule; done: per rule
        already matched (by the compiled core, on every block), the blocks
        it matches."""
        for rule in self.index.floating:
            if rule.applies_to(page.host):
                check_budget("matching rules")  # the page's time budget, between rules
                found = None if done is None else done.get(rule)
                if found is None:
                    _match_floating(rule, page, indexes, self.index.timeout)
                    continue
                for index in found:
                    if page.may_try(rule, index):
                        page.hit(rule, index)

    def _phrases(self, page: Page, indexes: Sequence[int]) -> None:
        # One dict lookup per block: the cheapest rule there is.
        for i in indexes:
            for rule in self.index.phrases.get(page.keys[i].strip(PHRASE_TRIM), ()):
                if rule.applies_to(page.host) and page.may_try(rule, i):
                    page.hit(rule, i)

    def _anchored(self, page: Page, indexes: Sequence[int], allowed: set[Rule]) -> None:
        always = tuple(r for r in self.index.everywhere if r.applies_to(page.host))
        longest = _longest(allowed)
        stripped, get = page.stripped, self.memo.candidates.get
        # Only lines that could match: not too long, and with candidates (or not
        # seen before). A comprehension, not a loop, passes over the others.
        todo = [i for i in indexes if len(stripped[i]) <= longest and (always or get(stripped[i]) != ())]
        for count, i in enumerate(todo):
            line = stripped[i]
            if not count & 255:
                check_budget("matching rules")
            rules = get(line)
            if rules is None:
                rules = self.memo.remember(self.memo.candidates, line, self.index.prefiltered(line))
            if always:
                rules += tuple(rule for rule in always if fits(rule, len(line)))
            for rule in rules:
                if (
                    rule in allowed
                    and (page.bounds is None or may_act(rule.where, i, *page.bounds))
                    and self._matches(rule, i, page)
                ):
                    page.hit(rule, i)

    def _literal(self, page: Page, indexes: Sequence[int], allowed: set[Rule]) -> None:
        """Rules tried only on the lines holding one of their literals."""
        rules = self.index.by_literal
        longest = _longest(rule for rule, _ in rules)
        stripped, known = page.stripped, self.memo.literals
        fresh = {i: fold(stripped[i]) for i in indexes if len(stripped[i]) <= longest and stripped[i] not in known}
        if fresh:
            holding = holding_rules(rules, fresh)
            for i in fresh:
                self.memo.remember(known, stripped[i], tuple(holding.get(i, ())))
        for i in indexes:
            line = stripped[i]
            if len(line) > longest:
                continue
            for rule in known[line]:
                if rule in allowed and page.may_try(rule, i) and self._matches(rule, i, page):
                    page.hit(rule, i)

    def _confirm(self, page: Page, indexes: Sequence[int], found: Found) -> None:
        """The compiled core's candidates of the blocks `indexes`, confirmed
        as _phrases, _anchored and _literal confirm theirs, in their order
        (the core already kept each rule within its length bounds)."""
        rules, host, bounds = self.index.rules, page.host, page.bounds
        every = isinstance(indexes, range) and len(indexes) == len(page.stripped)
        chosen = None if every else _chosen(indexes, len(page.stripped))
        for i, r in zip(found.phrase_lines, found.phrase_ranks):
            if chosen is None or chosen[i]:
                rule = rules[r]
                if rule.applies_to(host) and page.may_try(rule, i):
                    page.hit(rule, i)
        for count, (i, r) in enumerate(zip(found.anchored_lines, found.anchored_ranks)):
            if not count & 255:
                check_budget("matching rules")
            if chosen is None or chosen[i]:
                rule = rules[r]
                if (rule.applies_to(host) and (bounds is None or may_act(rule.where, i, *bounds))
                        and self._matches(rule, i, page)):
                    page.hit(rule, i)
        for count, (i, r) in enumerate(zip(found.literal_lines, found.literal_ranks)):
            if not count & 255:
                check_budget("matching rules")
            if chosen is None or chosen[i]:
                rule = rules[r]
                if rule.applies_to(host) and page.may_try(rule, i) and self._matches(rule, i, page):
                    page.hit(rule, i)

    def confirm_pairs(self, page: Page, kinds: bytes, lines: Sequence[int], ranks: Sequence[int],
                      texts: Sequence[str]) -> bytes:
        """The compiled core's candidate pairs (kind 0 phrase, 1 indexed, 2
        literal; block; rank in this group; the block's stripped text), each
        confirmed as _confirm confirms it on a page without bounds: per pair
        1 a hit, 2 its search timed out (reported in page.report, as every
        timeout), else 0."""
        rules, host, timeouts = self.index.rules, page.host, page.report.timeouts
        out = bytearray(len(lines))
        for count, (kind, i, r, line) in enumerate(zip(kinds, lines, ranks, texts)):
            if not count & 255:
                check_budget("matching rules")
            rule = rules[r]
            if not rule.applies_to(host) or (kind != 1 and not fits(rule, len(line))):
                continue
            if kind == 0:
                out[count] = 1  # a phrase: no regex
                continue
            before = len(timeouts)
            if self._matches(rule, i, page, line):
                out[count] = 1
            elif len(timeouts) > before:
                out[count] = 2
        return bytes(out)

    def _matches(self, rule: Rule, index: int, page: Page, line: str | None = None) -> bool:
        """Whether the rule's pattern matches block `index` (its stripped
        text `line`, if given), searched only if this line was not searched
        for it before. A search that times out is reported and not remembered."""
        if line is None:
            line = page.stripped[index]
        key = (rule, line)
        found = self.memo.searched.get(key)
        if found is None:
            found = _search(rule, index, line, self.index.timeout, page.report)
            if found is None:
                return False
            self.memo.searched[key] = found
        return found


def _chosen(indexes: Sequence[int], n: int) -> bytearray:
    """A mask of the blocks `indexes` among n."""
    chosen = bytearray(n)
    for i in indexes:
        chosen[i] = 1
    return chosen


def holding_rules(rules: list[tuple[Rule, tuple[str, ...]]], folded: dict[int, str]) -> dict[int, list[Rule]]:
    """Which rules' literals each line holds, found by joining the folded
    lines once and searching each literal in the joined text."""
    joined = Joined(folded, folded)
    text, starts = joined.text, joined.starts
    holding: dict[int, list[Rule]] = {}
    for rule, literals in rules:
        check_budget("matching rules")
        slots: set[int] = set()
        for literal in literals:
            pos = text.find(literal)
            while pos != -1:
                slot = bisect_right(starts, pos) - 1
                slots.add(slot)
                pos = text.find(literal, starts[slot + 1]) if slot + 1 < len(starts) else -1
        for slot in slots:
            holding.setdefault(joined.indexes[slot], []).append(rule)
    return holding


class LineMemo:
    """What indexed and literal rules gave on lines already seen: per line,
    the rules its prefilters admit (its first characters, or the literals it
    holds), and per (rule, line) whether the rule's pattern matches. Both
    depend on the line's text alone. Emptied when it holds lines of more than
    CHARS characters in all, or more than SEARCHES search results (a few MB at
    most); dict reads and writes are atomic, so threads may share it."""

    CHARS = 1_000_000
    SEARCHES = 50_000

    def __init__(self) -> None:
        self.candidates: dict[str, tuple[Rule, ...]] = {}
        self.literals: dict[str, tuple[Rule, ...]] = {}
        self.searched: dict[tuple[Rule, str], bool] = {}
        self.chars = 0  # of the lines stored in candidates and literals

    def remember(self, table: dict[str, tuple[Rule, ...]], line: str, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        """Store what a line admits in one of the two per-line tables
        (candidates or literals), counting its characters toward CHARS."""
        table[line] = rules
        self.chars += len(line)
        return rules

    def bound(self) -> None:
        """Empty the memo if it has grown past its limits."""
        if self.chars > self.CHARS or len(self.searched) > self.SEARCHES:
            self.candidates, self.literals, self.searched = {}, {}, {}
            self.chars = 0


def where_any(wheres: frozenset[str], indexes: Sequence[int], bounds: Bounds) -> Sequence[int]:
    """The blocks where at least one of these `where`s lets a rule act."""
    if "anywhere" in wheres or not indexes:
        return indexes
    first, last, begun = bounds
    n = max(indexes) + 1
    allowed = bytearray(n)
    if wheres & {"top", "edges"}:
        allowed[: first + 1] = b"\x01" * len(allowed[: first + 1])
    if wheres & {"bottom", "edges"} and last < n:
        allowed[max(last, 0):] = b"\x01" * (n - max(last, 0))
    if "after-body" in wheres and begun + 1 < n:
        allowed[begun + 1:] = b"\x01" * (n - begun - 1)
    return [i for i in indexes if allowed[i]]


def fits(rule: Rule, n: int) -> bool:
    """Whether a block of n characters is within the rule's length bounds."""
    return n >= rule.min_chars and (rule.max_chars is None or n <= rule.max_chars)


def _longest(rules: Iterable[Rule]) -> int:
    """The longest block any of these rules may match."""
    return max((r.max_chars if r.max_chars is not None else 1 << 62) for r in rules)


def _search(rule: Rule, index: int, line: str, timeout: float, report: MatchReport) -> bool | None:
    """Whether one rule matches one block (None: the search ran out of time,
    which is reported, not fatal)."""
    try:
        return rule.pattern.search(line, timeout=timeout) is not None  # type: ignore[union-attr]
    except TimeoutError:
        report.timeouts.append((rule.id, index))
        check_budget("matching rules")
        return None


class Joined:
    """Blocks' texts, one per line, with the offsets to map a match back to
    its block. texts: each block's text by index (stripped, or folded for
    literal search)."""

    __slots__ = ("text", "starts", "indexes")

    def __init__(self, texts: Sequence[str] | Mapping[int, str], indexes: Iterable[int]) -> None:
        self.indexes = list(indexes)
        # each block's offset: the lengths before it, and a "\n" after each (summed in C)
        self.starts: list[int] = [0, *accumulate([len(texts[i]) + 1 for i in self.indexes[:-1]])] \
            if self.indexes else []
        self.text = "\n".join([texts[i] for i in self.indexes])


def _match_floating(rule: Rule, page: Page, indexes: Sequence[int], timeout: float) -> None:
    """A pattern with nothing to index by: one pass over the joined blocks."""
    pattern = rule.pattern
    assert pattern is not None
    stripped = page.stripped
    joined = Joined(stripped, indexes)
    found: list[int] = []
    try:
        for m in pattern.finditer(joined.text, timeout=timeout, concurrent=True):  # without the GIL
            slot = bisect_right(joined.starts, m.start()) - 1
            index = joined.indexes[slot]
            # A match that ran over a line end: judge that block on its own.
            if m.end() > joined.starts[slot] + len(stripped[index]) and not pattern.search(
                stripped[index], timeout=timeout
            ):
                continue
            if not found or found[-1] != index:
                found.append(index)
    except TimeoutError:
        # One slow block must not cost the rule the whole page: redo it block
        # by block, skipping (and reporting) only the blocks that time out.
        found = []
        for index in joined.indexes:
            try:
                if pattern.search(stripped[index], timeout=timeout):
                    found.append(index)
            except TimeoutError:
                page.report.timeouts.append((rule.id, index))
                check_budget("matching rules")
    for index in found:
        if page.may_try(rule, index):
            page.hit(rule, index)


def starts_anchored(source: str) -> bool:
    """True when a pattern can only match at the start of the text: it begins
    with ^ or \\A (after global inline flags) and has no top-level alternation.
    Unsure cases answer False, which only costs speed."""
    i = 0
    verbose = False
    flags = regex.match(r"\(\?([a-zA-Z]+)\)", source)
    if flags:
        verbose = "x" in flags.group(1)
        i = flags.end()
    i = _skip_verbose(source, i, verbose)
    if source.startswith("^", i):
        i += 1
    elif source.startswith("\\A", i):
        i += 2
    else:
        return False
    depth, in_class = 0, False
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if source.startswith("]", i + 1) or source.startswith("^]", i + 1):
                i += 2 if source[i + 1] == "]" else 3
                continue
        elif verbose and c == "#":
            while i < len(source) and source[i] != "\n":
                i += 1
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return False
        elif c == "|" and depth == 0:
            return False
        i += 1
    return depth == 0 and not in_class


def _skip_verbose(source: str, i: int, verbose: bool) -> int:
    while verbose and i < len(source):
        if source[i].isspace():
            i += 1
        elif source[i] == "#":
            while i < len(source) and source[i] != "\n":
                i += 1
        else:
            break
    return i
