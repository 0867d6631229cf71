"""The loaded rules of a run: default and user rule files, disabled ids, signal
settings, and the matching of pattern rules against a page's blocks."""
from __future__ import annotations

import os
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import re

import regex

from .errors import RuleFileError
from .limits import check_budget
from .literals import KEY_CHARS, fold, needs
from .rulefile import PHRASE_TRIM, Rule, RuleFile, may_act, read_rule_file

# Blocks are matched in length tiers so that a rule bounded by max_chars scans
# only the short lines, not the long article paragraphs (most of a page's bytes).
_TIERS = (120, 300, 1000)


def default_rules_dir() -> Path:
    """The folder of default rule files: inside the installed package, or the
    repository's rules/ folder when running from a source checkout."""
    packaged = resources.files("declutter") / "default_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "rules"


def rule_paths(path: str | Path) -> list[Path]:
    """A rule file, or every *.toml file of a folder (sorted, so the order is stable)."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix == ".toml" and p.is_file())
    return [path]


@lru_cache(maxsize=64)
def _read_default(path: str, mtime_ns: int) -> RuleFile:
    """A default rule file, read and compiled once per process (per version of
    the file): every Cleaner loads them, and compiling the large multilingual
    patterns is most of a Cleaner's start-up. RuleFiles are never mutated."""
    return read_rule_file(path)


def read_any(path: Path) -> RuleFile:
    """A TOML rule file, or an adblock-style cosmetic filter list (any other suffix)."""
    if path.suffix == ".toml":
        return read_rule_file(path)
    from .html.adblock import read_adblock_list  # only needed for filter lists

    return read_adblock_list(path)


@dataclass(slots=True)
class Hit:
    """A rule matched a block."""

    rule: Rule
    block: int


@dataclass(slots=True)
class MatchReport:
    hits: list[Hit] = field(default_factory=list)
    # (rule id, block index) of matches skipped because the regex ran out of time.
    timeouts: list[tuple[str, int]] = field(default_factory=list)


class RuleSet:
    """Rules and signal settings, compiled once; read-only afterwards, so one
    RuleSet is safely shared by threads and pickled to worker processes."""

    def __init__(
        self,
        extra: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = (),
        *,
        default_rules: bool = True,
        disable: str | Iterable[str] = (),
    ) -> None:
        # One path or one id alone is a list of one (a str is not its letters).
        if isinstance(extra, (str, os.PathLike)):
            extra = [extra]
        if isinstance(disable, str):
            disable = [disable]
        defaults = [_read_default(str(p), p.stat().st_mtime_ns) for p in rule_paths(default_rules_dir())]
        self.signals: dict[str, dict[str, Any]] = {}
        for rf in defaults:
            for name, table in rf.signals.items():
                self.signals.setdefault(name, {}).update(table)
        files = list(defaults) if default_rules else []
        for path in extra:
            for p in rule_paths(path):
                rf = read_any(p)
                self._override_signals(rf)
                files.append(rf)
        self.files = [rf.path for rf in files]
        # What the files' readers skipped (unusable filters of a list), one line each.
        self.load_warnings: list[str] = [note for rf in files for note in rf.notes]
        self.all_rules: list[Rule] = []
        origin: dict[str, str] = {}
        for rf in files:
            for rule in rf.rules:
                if rule.id in origin:
                    raise RuleFileError(rf.path, f"duplicate id (first defined in {origin[rule.id]})", rule.id)
                origin[rule.id] = rf.path
                self.all_rules.append(rule)
        disabled = set(disable)
        unknown = disabled - set(origin)
        if unknown:
            raise RuleFileError("--disable", f"no loaded rule has the id {sorted(unknown)[0]!r}")
        self.disabled = frozenset(disabled)
        self.rules = [r for r in self.all_rules if r.enabled and r.id not in disabled]
        self.timeout = float(self.setting("limits", "regex_timeout_seconds"))
        self._build_matchers()

    def setting(self, signal: str, key: str) -> Any:
        """A signal threshold from the rule files."""
        return self.signals[signal][key]

    def _override_signals(self, rf: RuleFile) -> None:
        # The default files define which signals and keys exist and their types;
        # a user file may only retune them.
        for name, table in rf.signals.items():
            if name not in self.signals:
                raise RuleFileError(rf.path, f"unknown signal {name!r}")
            for key, value in table.items():
                if key not in self.signals[name]:
                    raise RuleFileError(rf.path, f"unknown setting {key!r} of signal {name!r}")
                if type(value) is not type(self.signals[name][key]) and not (
                    isinstance(value, (int, float)) and isinstance(self.signals[name][key], float)
                    and not isinstance(value, bool)
                ):
                    raise RuleFileError(rf.path, f"setting {name}.{key} must be a {type(self.signals[name][key]).__name__}")
                self.signals[name][key] = value

    def selector_rules(self, host: str | None) -> list[Rule]:
        return [r for r in self.rules if r.selector is not None and r.applies_to(host)]

    def match(self, stripped: Sequence[str], keys: Sequence[str], host: str | None,
              lines: Sequence[int] | None = None, *, shaping: bool | None = None,
              bounds: tuple[int, int, int] | None = None) -> MatchReport:
        """Every (rule, block) pair where a pattern or phrase rule matches,
        honouring the rule's length bounds and domains. stripped: the blocks'
        stripped text; keys: their line_key()s; lines: the block indexes to try
        (None: all); shaping: only the rules that shape the page beyond their
        own block (protect, drop-to-end, drop-before) if True, only plain drop
        rules if False, both if None; bounds: (first, last, begun) of the body
        as the hits will be judged, to skip blocks where a rule's `where`
        forbids it to act (None: try every block)."""
        report = MatchReport()
        for matcher, memo in ((self._shaping, self._shaping_memo), (self._dropping, self._dropping_memo)):
            if shaping is None or matcher.shaping == shaping:
                matcher.match(stripped, keys, host, lines, report, bounds, memo)
        return report

    def __getstate__(self) -> dict[str, Any]:
        state = {k: getattr(self, k) for k in self.__slots_pickled__}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            setattr(self, k, v)
        self._build_matchers()

    __slots_pickled__ = ("signals", "files", "load_warnings", "all_rules", "disabled", "rules", "timeout")

    def _build_matchers(self) -> None:
        # Rules that only drop their own block can be tried lazily, where a
        # drop could change the output; the others act on whole ranges or
        # protect, and are always tried on every block.
        self._shaping = _matcher(tuple(r for r in self.rules if r.action != "drop"), self.timeout, True)
        self._dropping = _matcher(tuple(r for r in self.rules if r.action == "drop"), self.timeout, False)
        # What each line gave, per RuleSet: not shared between Cleaners (so a
        # benchmark's fresh Cleaner starts cold) and not pickled to workers.
        self._shaping_memo, self._dropping_memo = _LineMemo(), _LineMemo()


@lru_cache(maxsize=32)
def _matcher(rules: tuple[Rule, ...], timeout: float, shaping: bool) -> "_Matcher":
    # Built once per set of rules: every Cleaner with the default rules shares
    # the same compiled Rule objects, and indexing them costs tens of ms.
    return _Matcher(rules, timeout, shaping=shaping)


class _Matcher:
    """A group of rules, each run the cheapest way its pattern allows:

    - phrase rules: one dict lookup per line;
    - start-anchored patterns whose matches begin with known literal text: a
      static index from a line's first characters to the rules it admits;
    - other patterns that need some literal text: tried only on the lines
      that contain it, found with substring search over the joined lines;
    - the rest: start-anchored ones through a memoised partial-match gate or
      on every line, floating ones in one regex pass over the joined lines.
    """

    def __init__(self, rules: Sequence[Rule], timeout: float, *, shaping: bool) -> None:
        self.shaping = shaping
        self.timeout = timeout
        self.rank = {rule: n for n, rule in enumerate(rules)}
        self.phrases: dict[str, tuple[Rule, ...]] = {}
        for rule in rules:
            for phrase in rule.phrases:
                self.phrases[phrase] = self.phrases.get(phrase, ()) + (rule,)
        self.by_prefix: dict[str, tuple[Rule, ...]] = {}
        self.by_literal: list[tuple[Rule, tuple[str, ...]]] = []
        gated: list[Rule] = []
        prefixed: set[Rule] = set()
        self.literals_of: dict[Rule, tuple[str, ...]] = {}
        self.unselective: list[Rule] = []
        self.floating: list[Rule] = []
        for rule in rules:
            if rule.pattern is None:
                continue
            anchored = starts_anchored(rule.pattern.pattern)
            need = needs(rule.pattern)
            prefixes = need.prefixes if anchored else None
            if prefixes:
                for prefix in prefixes:
                    self.by_prefix[prefix] = self.by_prefix.get(prefix, ()) + (rule,)
                prefixed.add(rule)
                if need.literals and len(need.literals) <= _MAX_LITERALS:
                    # A second, cheaper test before the search: the line holds one of them.
                    self.literals_of[rule] = tuple(sorted(need.literals))
                continue
            found = need.literals
            if found and len(found) <= _MAX_LITERALS:
                self.by_literal.append((rule, tuple(sorted(found))))
            elif not anchored:
                self.floating.append(rule)
            elif _PrefixGate.selective(rule):
                gated.append(rule)
            else:
                self.unselective.append(rule)
        self.anchored = [r for r in rules if r in prefixed or r in gated or r in self.unselective]
        # Every proper beginning of an indexed prefix: a line's head is looked
        # up one character longer only while it is one of these.
        self.stems = frozenset(k[:n] for k in self.by_prefix for n in range(1, len(k)))
        # A small index also becomes one stdlib regex over the line heads, so
        # that one C-level scan skips the lines no prefix starts.
        self.head_filter = _head_filter(self.by_prefix) if 0 < len(self.by_prefix) <= _FILTER_KEYS and not (
            gated or self.unselective) else None
        self.wheres = frozenset(r.where for r in rules)
        self.gate = _PrefixGate(gated, timeout)

    def match(self, stripped: Sequence[str], keys: Sequence[str], host: str | None,
              lines: Sequence[int] | None, report: MatchReport, bounds: tuple[int, int, int] | None,
              memo: "_LineMemo") -> None:
        indexes: Sequence[int] = range(len(stripped)) if lines is None else lines
        if bounds is not None:
            indexes = _where_any(self.wheres, indexes, bounds)
        memo.bound()
        if self.phrases:
            _match_phrases(self.phrases, stripped, keys, indexes, host, report, bounds)
        rules = [r for r in self.anchored if r.applies_to(host)]
        if rules:
            always = tuple(r for r in self.unselective if r.applies_to(host))
            _match_anchored(set(rules), always, stripped, indexes, self, report, bounds, memo)
        if self.by_literal:
            allowed = {r for r, _ in self.by_literal if r.applies_to(host)}
            if allowed:
                _match_literal_rules(self.by_literal, allowed, stripped, indexes, self.timeout, report, bounds, memo)
        tiers: dict[int, _Joined] = {}
        for rule in self.floating:
            if not rule.applies_to(host):
                continue
            limit = next((t for t in _TIERS if rule.max_chars is not None and rule.max_chars <= t), -1)
            joined = tiers.get(limit)
            if joined is None:
                joined = tiers[limit] = _Joined(stripped, indexes, limit)
            check_budget("matching rules")  # the page's time budget, between rules
            _match_rule(rule, joined, stripped, self.timeout, report, bounds)

    def candidates(self, line: str) -> tuple[Rule, ...]:
        """The start-anchored rules that could match this line, in file order."""
        head = fold(line[: KEY_CHARS + 2])
        get = self.by_prefix.get
        stems = self.stems
        found: tuple[Rule, ...] = ()
        for size in range(1, KEY_CHARS + 1):
            key = head[:size]
            found += get(key, ())
            if key not in stems or size == len(head):
                break
        if self.gate.rules:
            found += self.gate.candidates(line)
        if len(found) > 1:
            found = tuple(sorted(set(found), key=self.rank.__getitem__))
        return found


# A rule needing one of more literals than this is cheaper to try by its prefix.
_MAX_LITERALS = 64


class _PrefixGate:
    """Which start-anchored rules could match a line beginning with given
    characters, found with the `regex` module's partial matching and memoised.

    Without it every rule's alternation is tried on every line (the costliest
    part of cleaning); with it a line meets only the few rules that could
    match its first characters. The memo is a pure function of the prefix, so
    sharing it between threads is harmless; it is emptied when it grows large.
    """

    SHORT, LONG = 3, 6
    LIMIT = 200_000

    def __init__(self, rules: Sequence[Rule], timeout: float) -> None:
        self.rules = list(rules)
        self.timeout = timeout
        self.memo: dict[str, tuple[Rule, ...]] = {}

    # Prefixes no boilerplate line starts with: a rule that could match lines
    # starting with them (a pattern opening with `.{0,80}`, say) is not worth
    # gating; it scans the page in one regex pass instead.
    PROBES = ("zqxj", "9#~%", "\u03a9\u03c8\u03be")

    @classmethod
    def selective(cls, rule: Rule) -> bool:
        pattern = rule.pattern
        if pattern is None:
            return False
        try:
            return not any(pattern.match(p, partial=True, timeout=0.05) for p in cls.PROBES)
        except TimeoutError:
            return False

    def candidates(self, line: str) -> tuple[Rule, ...]:
        # Two levels: the rules a short prefix admits, then of those the ones a
        # longer prefix still admits. Both memoised; the second level tests
        # only the few survivors of the first, so it stays cheap to fill.
        prefix = line[: self.LONG]
        found = self.memo.get(prefix)
        if found is None:
            short = line[: self.SHORT]
            base = self.memo.get(short)
            if base is None:
                base = self._store(short, tuple(r for r in self.rules if self._could_match(r, short)))
            if len(prefix) == len(short):
                return base
            found = self._store(prefix, tuple(r for r in base if self._could_match(r, prefix)))
        return found

    def _store(self, prefix: str, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        if len(self.memo) >= self.LIMIT:
            self.memo.clear()
        self.memo[prefix] = rules
        return rules

    def _could_match(self, rule: Rule, prefix: str) -> bool:
        try:
            return rule.pattern.match(prefix, partial=True, timeout=self.timeout) is not None  # type: ignore[union-attr]
        except TimeoutError:
            return True  # undecided: let the full match decide (and time out there)


def _where_any(wheres: frozenset[str], indexes: Sequence[int], bounds: tuple[int, int, int]) -> Sequence[int]:
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


def _match_phrases(index: dict[str, tuple[Rule, ...]], stripped: Sequence[str], keys: Sequence[str],
                   indexes: Sequence[int], host: str | None, report: MatchReport,
                   bounds: tuple[int, int, int] | None) -> None:
    # One dict lookup per block: the cheapest rule there is.
    for i in indexes:
        rules = index.get(keys[i].strip(PHRASE_TRIM))
        if rules:
            n = len(stripped[i])
            for rule in rules:
                if rule.applies_to(host) and _may_try(rule, i, n, bounds):
                    report.hits.append(Hit(rule, i))


def _match_anchored(allowed: set[Rule], always: tuple[Rule, ...], stripped: Sequence[str], indexes: Sequence[int],
                    matcher: _Matcher, report: MatchReport, bounds: tuple[int, int, int] | None,
                    memo: _LineMemo) -> None:
    longest = _longest(allowed)
    timeout = matcher.timeout
    known = memo.candidates
    if matcher.head_filter is not None and not always and len(indexes) > _FILTER_FROM:
        # One C-level scan over the heads of the lines not seen before: a
        # line no indexed prefix starts has no candidates.
        unseen = [i for i in indexes if stripped[i] not in known]
        if unseen:
            admitted = set(_heads_in_index(matcher.head_filter, stripped, unseen, longest))
            for i in unseen:
                if i not in admitted and len(stripped[i]) <= longest:
                    memo.remember(known, stripped[i], ())
    # Only lines that could match: not too long, and with candidates (or not
    # seen before). A comprehension, not a loop, passes over the others.
    get = known.get
    todo = [i for i in indexes if len(stripped[i]) <= longest and (always or get(stripped[i]) != ())]
    for count, index in enumerate(todo):
        line = stripped[index]
        if not count & 255:
            check_budget("matching rules")
        rules = get(line)
        if rules is None:
            rules = memo.remember(known, line, _prefiltered(matcher, line))
        if always:
            rules += tuple(rule for rule in always if _fits(rule, len(line)))
        for rule in rules:
            if rule not in allowed or (bounds is not None and not may_act(rule.where, index, *bounds)):
                continue
            if memo.matches(rule, index, line, timeout, report):
                report.hits.append(Hit(rule, index))


def _prefiltered(matcher: _Matcher, line: str) -> tuple[Rule, ...]:
    """The start-anchored rules that could match this line: admitted by its
    first characters, within their length bounds, and (where a rule needs
    one of some literals) holding one. Depends on the line alone."""
    n = len(line)
    literals_of = matcher.literals_of
    folded = None
    out: list[Rule] = []
    for rule in matcher.candidates(line):
        if not _fits(rule, n):
            continue
        literals = literals_of.get(rule)
        if literals:
            folded = folded or fold(line)
            if not any(literal in folded for literal in literals):
                continue
        out.append(rule)
    return tuple(out)


class _LineMemo:
    """What start-anchored and literal rules gave on lines already seen: per
    line, the rules its prefilters admit (its first characters, or the
    literals it holds), and per (rule, line) whether the rule's pattern
    matches. Both depend on the line's text alone, so a line seen
    again (in the next idempotence round, or on the next page of a site) is
    not searched again. Emptied when it holds lines of more than CHARS
    characters in all, or more than SEARCHES search results (a few MB at
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

    def matches(self, rule: Rule, index: int, line: str, timeout: float, report: MatchReport) -> bool:
        """Whether the rule's pattern matches block `index` (its text: line),
        searched only if this line was not searched for it before. A search
        that times out is reported and not remembered."""
        key = (rule, line)
        found = self.searched.get(key)
        if found is None:
            found = _search(rule, index, line, timeout, report)
            if found is None:
                return False
            self.searched[key] = found
        return found

    def bound(self) -> None:
        if self.chars > self.CHARS or len(self.searched) > self.SEARCHES:
            self.candidates, self.literals, self.searched = {}, {}, {}
            self.chars = 0


# A head filter pays off on many lines and a small index (it compiles in
# milliseconds; the default drop rules' index of ~20,000 prefixes would not).
_FILTER_FROM, _FILTER_KEYS = 24, 5000


def _head_filter(prefixes: Iterable[str]) -> re.Pattern[str]:
    """A stdlib regex matching, at a line start, any of the prefixes: a trie,
    so that the engine reads a line head a character at a time."""
    trie: dict[str, Any] = {}
    for prefix in prefixes:
        node = trie
        for ch in prefix:
            node = node.setdefault(ch, {})
        node[""] = {}

    def alternation(node: dict[str, Any]) -> str:
        if "" in node:
            return ""  # a prefix ends here: the line qualifies
        branches = [re.escape(ch) + alternation(child) for ch, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return re.compile("^" + alternation(trie), re.MULTILINE)


def _heads_in_index(head_filter: re.Pattern[str], stripped: Sequence[str], indexes: Sequence[int],
                    longest: int) -> list[int]:
    """The indexes whose folded line starts with an indexed prefix."""
    chosen = [i for i in indexes if len(stripped[i]) <= longest]
    heads = fold("\n".join(stripped[i][: KEY_CHARS + 2].replace("\n", " ") for i in chosen))
    out: list[int] = []
    line, pos = 0, 0
    for m in head_filter.finditer(heads):
        line += heads.count("\n", pos, m.start())
        pos = m.start()
        out.append(chosen[line])
    return out


def _match_literal_rules(rules: list[tuple[Rule, tuple[str, ...]]], allowed: set[Rule], stripped: Sequence[str],
                         indexes: Sequence[int], timeout: float, report: MatchReport,
                         bounds: tuple[int, int, int] | None, memo: _LineMemo) -> None:
    """Rules tried only on the lines holding one of their literals. Which
    rules' literals a line holds is remembered per line; for the lines not
    seen before it is found by folding and joining them once and searching
    each literal in the joined text."""
    longest = _longest(rule for rule, _ in rules)
    known = memo.literals
    fresh = {i: fold(stripped[i]) for i in indexes if len(stripped[i]) <= longest and stripped[i] not in known}
    if fresh:
        joined = _Joined(fresh, fresh, -1)
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
        for i in fresh:
            memo.remember(known, stripped[i], tuple(holding.get(i, ())))
    for index in indexes:
        line = stripped[index]
        n = len(line)
        if n > longest:
            continue
        for rule in known[line]:
            if rule not in allowed or not _may_try(rule, index, n, bounds):
                continue
            if memo.matches(rule, index, line, timeout, report):
                report.hits.append(Hit(rule, index))


def _may_try(rule: Rule, index: int, n: int, bounds: tuple[int, int, int] | None) -> bool:
    """Whether a block of n characters is within the rule's length bounds and `where`."""
    return _fits(rule, n) and (bounds is None or may_act(rule.where, index, *bounds))


def _fits(rule: Rule, n: int) -> bool:
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


class _Joined:
    """The text of the blocks up to a length (limit < 0: any), one per line,
    with the offsets to map a match back to its block. texts: each block's
    text by index (stripped, or folded for literal search)."""

    __slots__ = ("text", "starts", "indexes")

    def __init__(self, texts: Sequence[str] | Mapping[int, str], indexes: Iterable[int], limit: int) -> None:
        self.indexes = [i for i in indexes if limit < 0 or len(texts[i]) <= limit]
        lines = [texts[i] for i in self.indexes]
        self.starts: list[int] = []
        offset = 0
        for line in lines:
            self.starts.append(offset)
            offset += len(line) + 1
        self.text = "\n".join(lines)


def _match_rule(rule: Rule, joined: _Joined, stripped: Sequence[str], timeout: float, report: MatchReport,
                bounds: tuple[int, int, int] | None) -> None:
    pattern = rule.pattern
    assert pattern is not None
    found: list[int] = []
    try:
        for m in pattern.finditer(joined.text, timeout=timeout):
            slot = bisect_right(joined.starts, m.start()) - 1
            index = joined.indexes[slot]
            if m.end() > joined.starts[slot] + len(stripped[index]):
                # The match ran over a line end: judge that block on its own.
                if not pattern.search(stripped[index], timeout=timeout):
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
                report.timeouts.append((rule.id, index))
                check_budget("matching rules")
    for index in found:
        if _may_try(rule, index, len(stripped[index]), bounds):
            report.hits.append(Hit(rule, index))
