"""Matching pattern and phrase rules against a page's blocks.

The pure-Python path (DECLUTTER_CORE=python, Cleaner(core="python")) is the
reference, and plain: on each block the lazy loop asks for, a phrase rule is
a dict lookup of the block's key (that is its meaning), and every pattern
rule that may act there is searched with the `regex` module -- a
start-anchored one only if the block begins with one of its prefixes
(Placed.admits: its author's `starts`, or what the pattern's matches begin
with, which on a block holding line breaks, where `^` also matches after
one, is what the rule means). Rules are tried
on a block in their kind's order (phrases; patterns with known first
characters; other start-anchored ones; patterns needing a literal; the rest;
by file order within each): the first drop or protect rule to hit a block
names its reason, and this is the order the compiled core reports them in.

With the compiled core, the candidates come from one call per page instead
(declutter._core.Prefilter, built once per pair of RuleIndexes from each
rule's literal needs, literals.py): the core only narrows which (rule, block)
pairs are searched, skipping those it proves cannot match; it never decides
a match `regex` would not. Python confirms each candidate with `regex`, in
the same order, so hits are the same; a search that times out is reported on
both paths, except on a pair the core ruled out, which the reference alone
searches.
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
from .literals import KEY_CHARS
from .normalise import PHRASE_TRIM, prefix_key
from .rule import Hit, Rule
from .rulefile import may_act
from .rx import needs

__all__ = ["Found", "MatchReport", "Matching", "Page", "Placed", "RuleGroup", "kept_candidates",
           "match_floating_rule", "place", "prefilter_spec", "starts_anchored", "where_any"]

# A rule needing one of more literals than this is cheaper to try by its prefix.
MAX_LITERALS = 64
# How the compiled prefilter admits a pattern rule's blocks, in the order the
# kinds are tried on a block: by the block's first characters (INDEXED, then
# a second test of literals when known), on every block (EVERYWHERE: anchored,
# nothing known), on the blocks holding one of its literals (LITERAL), or
# found by the core's own pass (FLOATING: see RuleGroup.match_floating).
INDEXED, EVERYWHERE, LITERAL, FLOATING = range(4)
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

    def may_try(self, rule: Rule, index: int, line: str | None = None) -> bool:
        """Whether the rule may act on the block (its stripped text `line`,
        if given): its length bounds and `where`."""
        return fits(rule, len(self.stripped[index] if line is None else line)) and (
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
    everywhere), from each pattern rule's Placed."""
    rank = index.rank
    by_prefix: dict[str, list[int]] = {}
    prefix_literals: list[tuple[int, list[str]]] = []
    literal_rules: list[tuple[int, list[str]]] = []
    everywhere: list[int] = []
    for rule in index.rules:
        placed = index.placed.get(rule)
        if placed is None:
            continue
        r = rank[rule]
        if placed.kind == INDEXED:
            for prefix in placed.prefixes:
                by_prefix.setdefault(prefix, []).append(r)
            if placed.literals:
                prefix_literals.append((r, list(placed.literals)))
        elif placed.kind == LITERAL:
            literal_rules.append((r, list(placed.literals)))
        elif placed.kind == EVERYWHERE:
            everywhere.append(r)
    return (
        [(r.min_chars, r.max_chars) for r in index.rules],
        [(phrase, [rank[r] for r in rules]) for phrase, rules in index.phrases.items()],
        list(by_prefix.items()),
        prefix_literals,
        literal_rules,
        everywhere,
    )


@dataclass(frozen=True, slots=True)
class Placed:
    """How the compiled prefilter admits a pattern rule's blocks (kind, one
    of INDEXED, EVERYWHERE, LITERAL, FLOATING), with the prefix_key()s of an
    INDEXED rule and the folded literals one of which its blocks hold."""

    kind: int
    prefixes: tuple[str, ...] = ()
    literals: tuple[str, ...] = ()

    def admits(self, head: str) -> bool:
        """Whether an INDEXED rule is tried on a stripped block whose
        head_key() is `head`: it begins with one of the prefixes (an empty
        prefix admits an empty block alone). For a pattern's own prefixes
        this holds wherever it matches a one-line block; a `starts` is taken
        on its author's word; either way it is what the rule means on a block
        holding line breaks, where `^` also matches after one."""
        if not head:  # an empty block: the empty prefix alone admits it
            return "" in self.prefixes
        return head.startswith(self.prefixes[1:] if self.prefixes[:1] == ("",) else self.prefixes)


def place(rule: Rule) -> Placed:
    """A pattern rule's Placed, from its author's `starts` (taken on their
    word) or its pattern's needs (literals.py)."""
    if rule.starts:
        return Placed(INDEXED, _keys(rule.starts))
    assert rule.pattern is not None
    anchored = starts_anchored(rule.pattern.pattern)
    need = needs(rule.pattern)
    few = need.literals if need.literals and len(need.literals) <= MAX_LITERALS else None
    if anchored and need.prefixes:
        return Placed(INDEXED, _keys(need.prefixes), tuple(sorted(few or ())))
    if few:
        return Placed(LITERAL, (), tuple(sorted(few)))
    return Placed(EVERYWHERE if anchored else FLOATING)


def head_key(line: str) -> str:
    """The key a stripped block's head is admitted by (Placed.admits): the
    prefix_key() of its first KEY_CHARS + 2 characters, as the core's
    prefilter takes it."""
    return prefix_key(line[: KEY_CHARS + 2])


def _keys(prefixes: Iterable[str]) -> tuple[str, ...]:
    """Prefixes as the prefilter looks them up: their keys' first KEY_CHARS,
    sorted (an empty one first)."""
    return tuple(sorted({prefix_key(p)[:KEY_CHARS] for p in prefixes}))


@lru_cache(maxsize=32)
def rule_index(rules: tuple[Rule, ...], timeout: float) -> RuleIndex:
    # Built once per set of rules: every Cleaner with the default rules shares
    # the same compiled Rule objects.
    return RuleIndex(rules, timeout)


class RuleIndex:
    """A group of rules: its phrase table, and its pattern rules in the order
    they are tried on a block (see the module doc). Read-only once built, so
    shared by every RuleSet with these rules."""

    def __init__(self, rules: Sequence[Rule], timeout: float) -> None:
        self.timeout = timeout
        self.rules = tuple(rules)
        self.rank = {rule: n for n, rule in enumerate(rules)}
        self.phrases: dict[str, tuple[Rule, ...]] = {}
        for rule in rules:
            for phrase in rule.phrases:
                self.phrases[phrase] = self.phrases.get(phrase, ()) + (rule,)
        self.placed = {rule: place(rule) for rule in rules if rule.pattern is not None}
        self.patterns = tuple(sorted(self.placed, key=lambda r: (self.placed[r].kind, self.rank[r])))
        self.floating = [r for r in self.patterns if self.placed[r].kind == FLOATING]
        self.wheres = frozenset(r.where for r in rules)


class RuleGroup:
    """A RuleIndex, matched on pages: by the reference (every rule searched)
    or by confirming the compiled core's candidates."""

    def __init__(self, index: RuleIndex) -> None:
        self.index = index

    def match(self, page: Page, lines: Sequence[int] | None, found: Found | None = None) -> None:
        """Every hit of the group's rules on the blocks `lines` (None: all,
        else ascending), into page.report; found: the compiled core's
        candidates on the whole page (None: the reference tries every rule)."""
        indexes: Sequence[int] = range(len(page.stripped)) if lines is None else lines
        if page.bounds is not None:
            indexes = where_any(self.index.wheres, indexes, page.bounds)
        if found is None:
            self._try_every_rule(page, indexes)
            return
        self._confirm(page, indexes, found)
        self.match_floating(page, indexes)

    def _try_every_rule(self, page: Page, indexes: Sequence[int]) -> None:
        """The reference: phrase rules by each block's key; then, kind by
        kind (see the module doc), every pattern rule that may act on a block
        searched there with `regex`; a floating rule is searched on every
        block its group tries and hits where it may act (so it reports its
        timeouts there, as the compiled path's one pass does)."""
        index, host, timeout = self.index, page.host, self.index.timeout
        for i in indexes:
            for rule in index.phrases.get(page.keys[i].strip(PHRASE_TRIM), ()):
                if rule.applies_to(host) and page.may_try(rule, i):
                    page.hit(rule, i)
        placed = index.placed
        for kinds in ((INDEXED, EVERYWHERE), (LITERAL,)):
            rules = [r for r in index.patterns if placed[r].kind in kinds and r.applies_to(host)]
            for i in indexes if rules else ():
                check_budget("matching rules")  # the page's time budget, between blocks
                line = page.stripped[i]
                head = head_key(line)
                for rule in rules:
                    if ((placed[rule].kind != INDEXED or placed[rule].admits(head)) and page.may_try(rule, i, line)
                            and _search(rule, i, line, timeout, page.report)):
                        page.hit(rule, i)
        for rule in index.floating:
            if rule.applies_to(host):
                check_budget("matching rules")
                for i in indexes:
                    if _search(rule, i, page.stripped[i], timeout, page.report) and page.may_try(rule, i):
                        page.hit(rule, i)

    def match_floating(self, page: Page, indexes: Sequence[int],
                       done: Mapping[Rule, Sequence[int]] | None = None) -> None:
        """With the compiled core: the hits of the group's floating rules on
        the blocks `indexes` (ascending), in one regex pass over them per
        rule; done: per rule already matched (by the compiled core, on every
        block), the blocks it matches."""
        for rule in self.index.floating:
            if rule.applies_to(page.host):
                check_budget("matching rules")  # the page's time budget, between rules
                found = None if done is None else done.get(rule)
                if found is None:
                    match_floating_rule(rule, page, indexes, self.index.timeout)
                    continue
                for index in found:
                    if page.may_try(rule, index):
                        page.hit(rule, index)

    def _confirm(self, page: Page, indexes: Sequence[int], found: Found) -> None:
        """The compiled core's candidates of the blocks `indexes`, kind by
        kind (phrase, indexed, literal), confirmed as confirm_pairs confirms
        them, bounds and `where` included."""
        every = isinstance(indexes, range) and len(indexes) == len(page.stripped)
        chosen = None if every else _chosen(indexes, len(page.stripped))
        kinds = ((0, found.phrase_lines, found.phrase_ranks), (1, found.anchored_lines, found.anchored_ranks),
                 (2, found.literal_lines, found.literal_ranks))
        for kind, lines, ranks in kinds:
            for count, (i, r) in enumerate(zip(lines, ranks)):
                if not count & 255:
                    check_budget("matching rules")
                rule = self.index.rules[r]
                if (chosen is None or chosen[i]) and self._confirmed(page, kind, i, page.stripped[i], rule) == 1:
                    page.hit(rule, i)

    def confirm_pairs(self, page: Page, kinds: bytes, lines: Sequence[int], ranks: Sequence[int],
                      texts: Sequence[str]) -> bytes:
        """The compiled core's candidate pairs (kind 0 phrase, 1 indexed, 2
        literal; block; rank in this group; the block's stripped text), each
        confirmed on a page without bounds: per pair 1 a hit, 2 its search
        timed out (reported in page.report, as every timeout), else 0."""
        out = bytearray(len(lines))
        for count, (kind, i, r, line) in enumerate(zip(kinds, lines, ranks, texts)):
            if not count & 255:
                check_budget("matching rules")
            out[count] = self._confirmed(page, kind, i, line, self.index.rules[r])
        return bytes(out)

    def _confirmed(self, page: Page, kind: int, i: int, line: str, rule: Rule) -> int:
        """One candidate pair (block i, its stripped text `line`): 1 if the
        rule may act there and matches (a phrase candidate matches: the core
        looked its key up), 2 if its search timed out, else 0. The core
        already kept each rule within its length bounds; page.may_try checks
        them again, with `where`."""
        if not rule.applies_to(page.host) or not page.may_try(rule, i, line):
            return 0
        if kind == 0:
            return 1
        found = _search(rule, i, line, self.index.timeout, page.report)
        return 2 if found is None else int(found)


def _chosen(indexes: Sequence[int], n: int) -> bytearray:
    """A mask of the blocks `indexes` among n."""
    chosen = bytearray(n)
    for i in indexes:
        chosen[i] = 1
    return chosen


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
    its block. texts: each block's text by index."""

    __slots__ = ("text", "starts", "indexes")

    def __init__(self, texts: Sequence[str] | Mapping[int, str], indexes: Iterable[int]) -> None:
        self.indexes = list(indexes)
        # each block's offset: the lengths before it, and a "\n" after each (summed in C)
        self.starts: list[int] = [0, *accumulate([len(texts[i]) + 1 for i in self.indexes[:-1]])] \
            if self.indexes else []
        self.text = "\n".join([texts[i] for i in self.indexes])


def match_floating_rule(rule: Rule, page: Page, indexes: Sequence[int], timeout: float) -> None:
    """With the compiled core, a pattern with nothing to index by that the
    core does not run: one search per hit over the joined blocks, each from
    the start of the block after the last hit. A match that ran over its
    block's end is searched again in its block alone, and the search goes on
    from the next block, whose text such a match may have taken ("63\\n1" by
    \\d+\\s*\\w): the hits are those of one search per block, as the
    reference finds them, for patterns that do not look behind a block's
    start (a lookbehind there sees the previous block's "\\n")."""
    pattern = rule.pattern
    assert pattern is not None
    stripped = page.stripped
    joined = Joined(stripped, indexes)
    text, starts, order = joined.text, joined.starts, joined.indexes
    found: list[int] = []
    try:
        pos = 0
        while pos <= len(text):
            m = pattern.search(text, pos, timeout=timeout, concurrent=True)  # without the GIL
            if m is None:
                break
            slot = bisect_right(starts, m.start()) - 1
            index = order[slot]
            end = starts[slot] + len(stripped[index])
            if m.end() <= end or pattern.search(stripped[index], timeout=timeout):
                found.append(index)
            pos = end + 1
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
