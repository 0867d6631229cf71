"""The loaded rules of a run: default and user rule files, disabled ids, signal
settings, and the matching of pattern rules against a page's blocks."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Sequence

import regex

from .errors import RuleFileError
from .limits import check_budget
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
        extra: Sequence[str | Path] = (),
        *,
        default_rules: bool = True,
        disable: Iterable[str] = (),
    ) -> None:
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
        self._split_by_anchor()

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
              bounds: tuple[int, int, int] | None = None) -> MatchReport:
        """Every (rule, block) pair where a pattern or phrase rule matches,
        honouring the rule's length bounds and domains. stripped: the blocks'
        stripped text; keys: their line_key()s; bounds: (first, last, begun) of
        the body as far as known, to skip blocks where a rule's `where` forbids
        it to act (None: try every block)."""
        report = MatchReport()
        if self._phrases:
            _match_phrases(self._phrases, stripped, keys, host, report)
        rules = [r for r in self._anchored if r.applies_to(host)]
        if rules:
            always = tuple(r for r in self._unselective if r.applies_to(host))
            _match_anchored(rules, always, stripped, self._gate, self.timeout, report, bounds)
        tiers: dict[int, _Joined] = {}
        for rule in self._floating:
            if not rule.applies_to(host):
                continue
            limit = next((t for t in _TIERS if rule.max_chars is not None and rule.max_chars <= t), -1)
            joined = tiers.get(limit)
            if joined is None:
                joined = tiers[limit] = _Joined(stripped, limit)
            check_budget("matching rules")  # the page's time budget, between rules
            _match_rule(rule, joined, stripped, self.timeout, report)
        return report

    def __getstate__(self) -> dict[str, Any]:
        state = {k: getattr(self, k) for k in self.__slots_pickled__}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            setattr(self, k, v)
        self._split_by_anchor()

    __slots_pickled__ = ("signals", "files", "all_rules", "disabled", "rules", "timeout")

    def _split_by_anchor(self) -> None:
        self._phrases: dict[str, tuple[Rule, ...]] = {}
        for rule in self.rules:
            for phrase in rule.phrases:
                self._phrases[phrase] = self._phrases.get(phrase, ()) + (rule,)
        # Three ways to run a pattern: start-anchored ones that only some line
        # openings can satisfy go through the prefix gate; other start-anchored
        # ones are tried once per line (a whole-page scan would try every
        # position); the rest scan the page in one regex pass.
        patterned = [r for r in self.rules if r.pattern is not None]
        anchored = [r for r in patterned if starts_anchored(r.pattern.pattern)]  # type: ignore[union-attr]
        gated = [r for r in anchored if _PrefixGate.selective(r)]
        self._unselective = [r for r in anchored if r not in gated]
        self._anchored = anchored
        self._floating = [r for r in patterned if r not in anchored]
        self._gate = _PrefixGate(gated, self.timeout)


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


def _match_phrases(index: dict[str, tuple[Rule, ...]], stripped: Sequence[str], keys: Sequence[str],
                   host: str | None, report: MatchReport) -> None:
    # One dict lookup per block: the cheapest rule there is.
    for i, key in enumerate(keys):
        rules = index.get(key.strip(PHRASE_TRIM))
        if rules:
            n = len(stripped[i])
            for rule in rules:
                if rule.applies_to(host) and n >= rule.min_chars and (rule.max_chars is None or n <= rule.max_chars):
                    report.hits.append(Hit(rule, i))


def _match_anchored(rules: list[Rule], always: tuple[Rule, ...], stripped: Sequence[str], gate: _PrefixGate,
                    timeout: float, report: MatchReport, bounds: tuple[int, int, int] | None) -> None:
    allowed = set(rules)
    first, last, begun = bounds or (0, 0, 0)
    longest = max((r.max_chars if r.max_chars is not None else 1 << 62) for r in rules)
    for index, line in enumerate(stripped):
        n = len(line)
        if n > longest:
            continue
        if not index & 255:
            check_budget("matching rules")
        for rule in gate.candidates(line) + always:
            if rule not in allowed or n < rule.min_chars or (rule.max_chars is not None and n > rule.max_chars):
                continue
            if bounds and not may_act(rule.where, index, first, last, begun):
                continue
            try:
                if rule.pattern.search(line, timeout=timeout):  # type: ignore[union-attr]
                    report.hits.append(Hit(rule, index))
            except TimeoutError:
                report.timeouts.append((rule.id, index))
                check_budget("matching rules")


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
    """The stripped text of the blocks up to a length, one per line, with the
    offsets to map a match back to its block."""

    __slots__ = ("text", "starts", "indexes")

    def __init__(self, stripped: Sequence[str], limit: int) -> None:
        self.indexes = [i for i, s in enumerate(stripped) if limit < 0 or len(s) <= limit]
        self.starts: list[int] = []
        offset = 0
        for i in self.indexes:
            self.starts.append(offset)
            offset += len(stripped[i]) + 1
        self.text = "\n".join(stripped[i] for i in self.indexes)


def _match_rule(rule: Rule, joined: _Joined, stripped: Sequence[str], timeout: float, report: MatchReport) -> None:
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
        n = len(stripped[index])
        if n >= rule.min_chars and (rule.max_chars is None or n <= rule.max_chars):
            report.hits.append(Hit(rule, index))
