"""The loaded rules of a run: default and user rule files (TOML or adblock
lists), disabled ids and signal settings. Matching them against a page's
blocks is matching.py's job."""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .defaults import default_rules_dir
from .errors import RuleFileError
from .matching import Matching, MatchReport, PageCandidates
from .reasons import DROPPING
from .rule import Rule, Signal
from .rulefile import RuleFile, read_rule_file
from .settings import TextSettings

__all__ = ["RuleSet", "default_rules_dir", "read_any", "read_default", "rule_paths"]


def rule_paths(path: str | os.PathLike[str]) -> list[Path]:
    """A rule file, or every *.toml file of a folder (sorted, so the order is stable)."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix == ".toml" and p.is_file())
    return [path]


@lru_cache(maxsize=64)
def read_default(path: str, mtime_ns: int) -> RuleFile:
    """A default rule file, read and compiled once per process (per version of
    the file): every Cleaner loads them, and compiling the large multilingual
    patterns is most of a Cleaner's start-up. RuleFiles are never mutated."""
    return read_rule_file(path)


def read_any(path: Path) -> RuleFile:
    """A TOML rule file, or an adblock-style cosmetic filter list (any other suffix)."""
    if path.suffix == ".toml":
        return read_rule_file(path)
    from .adblock import read_adblock_list  # only needed for filter lists

    return read_adblock_list(path)


def _default_signals(defaults: Sequence[RuleFile]) -> dict[str, dict[str, Any]]:
    """The signal settings of the default files, merged: they define which
    signals and settings exist (a user file may only retune them)."""
    signals: dict[str, dict[str, Any]] = {}
    for rf in defaults:
        for name, table in rf.signals.items():
            signals.setdefault(name, {}).update(table)
    return signals


def _unique_rules(files: Sequence[RuleFile]) -> list[Rule]:
    """Every rule of the files in order; an id defined twice is an error."""
    rules: list[Rule] = []
    origin: dict[str, str] = {}
    for rf in files:
        for rule in rf.rules:
            if rule.id in origin:
                raise RuleFileError(rf.path, f"duplicate id (first defined in {origin[rule.id]})", rule.id)
            origin[rule.id] = rf.path
            rules.append(rule)
    return rules


def _described(defaults: Sequence[RuleFile]) -> list[Signal]:
    """The signals the default files describe, in their order."""
    return [signal for rf in defaults for signal in rf.described]


def _check_described(rf: RuleFile, described: Sequence[Signal]) -> None:
    """A user file may not describe a signal: only repeat a default file's
    entry word for word (a copy of the default rules checks clean)."""
    own = {(s.id, s.name, s.description, s.settings) for s in described}
    for signal in rf.described:
        if (signal.id, signal.name, signal.description, signal.settings) not in own:
            raise RuleFileError(rf.path, f"signal {signal.id!r}: [[signal]] entries describe declutter's "
                                "own signals; only its default rule files may")


def _disabled(disable: Iterable[str], rules: Sequence[Rule], signals: Sequence[Signal]) -> frozenset[str]:
    """The ids to turn off: rules, and signals that drop blocks. Any other id
    is an error (a typo, or a signal that only keeps or classifies)."""
    disabled = frozenset(disable)
    described = {s.id for s in signals}
    unknown = disabled - {r.id for r in rules} - (described & DROPPING)
    if unknown:
        first = sorted(unknown)[0]
        if first in described:
            raise RuleFileError("--disable", f"signal {first!r} drops no block, so it cannot be turned off")
        raise RuleFileError("--disable", f"no loaded rule or signal has the id {first!r}")
    return disabled


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
        defaults = [read_default(str(p), p.stat().st_mtime_ns) for p in rule_paths(default_rules_dir())]
        self.signals = _default_signals(defaults)
        # declutter's own reason ids, described by the default files only
        self.described = _described(defaults)
        files = list(defaults) if default_rules else []
        for path in extra:
            for p in rule_paths(path):
                rf = read_any(p)
                _check_described(rf, self.described)
                self._override_signals(rf)
                files.append(rf)
        self.files = [rf.path for rf in files]
        # What the files' readers skipped (unusable filters of a list), one line each.
        self.load_warnings: list[str] = [note for rf in files for note in rf.notes]
        self.all_rules = _unique_rules(files)
        self.disabled = _disabled(disable, self.all_rules, self.described)
        # the signals that decide no block (verdicts.settle): empty unless the user said so
        self.disabled_signals = self.disabled & DROPPING
        self.rules = [r for r in self.all_rules if r.enabled and r.id not in self.disabled]
        self.text = TextSettings.from_signals(self.signals)  # the typed text settings, read once
        self.timeout = self.text.regex_timeout
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
                    kind = type(self.signals[name][key]).__name__
                    raise RuleFileError(rf.path, f"setting {name}.{key} must be a {kind}")
                self.signals[name][key] = value

    def selector_rules(self, host: str | None) -> list[Rule]:
        return [r for r in self.rules if r.selector is not None and r.applies_to(host)]

    def match(self, stripped: Sequence[str], keys: Sequence[str], host: str | None,
              lines: Sequence[int] | None = None, *, shaping: bool | None = None,
              bounds: tuple[int, int, int] | None = None,
              candidates: PageCandidates | None = None) -> MatchReport:
        """Every (rule, block) pair where a pattern or phrase rule matches,
        honouring the rule's length bounds and domains. stripped: the blocks'
        stripped text; keys: their line_key()s; lines: the block indexes to try
        (None: all); shaping: only the rules that shape the page beyond their
        own block (protect, drop-to-end, drop-before) if True, only plain drop
        rules if False, both if None; bounds: (first, last, begun) of the body
        as the hits will be judged, to skip blocks where a rule's `where`
        forbids it to act (None: try every block); candidates: the compiled
        core's candidates on these stripped blocks (see candidates(); None:
        Python finds them). The hits are the same either way."""
        return self.matching.match(stripped, keys, host, lines, shaping=shaping, bounds=bounds,
                                   candidates=candidates)

    def candidates(self, stripped: Sequence[str]) -> PageCandidates | None:
        """The compiled core's rule candidates on a page's stripped blocks, in
        one call, for match(); None when the core is not installed or cannot
        read them."""
        return self.matching.candidates(stripped)

    def __getstate__(self) -> dict[str, Any]:
        state = {k: getattr(self, k) for k in self.__slots_pickled__}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            setattr(self, k, v)
        self._build_matchers()

    __slots_pickled__ = ("signals", "described", "files", "load_warnings", "all_rules", "disabled",
                         "disabled_signals", "rules", "text", "timeout")

    def _build_matchers(self) -> None:
        self.matching = Matching(self.rules, self.timeout)
        # Whether any rule depends on a page's host: without one, a text page's
        # URL need not be parsed (a tenth of a text stream's time).
        self.scoped = any(r.domains for r in self.rules)
