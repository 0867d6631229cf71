"""Read and validate rule files (TOML).

A rule file holds `[[rule]]` entries (patterns and selectors with an action and
a scope) and `[signals.NAME]` tables (thresholds of the structural signals);
the default files also hold `[[signal]]` entries describing declutter's own
reason ids (id, name, description, the settings tables that tune it).
Everything is checked when the file is read, so a broken file stops the run
with one line naming the file, the rule and the problem (a pattern of the
default rules, known to compile, is compiled on first use: see pattern.py).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import regex

from .errors import RuleFileError
from .normalise import phrase_key
from .pattern import RulePattern
from .rule import Rule, Signal

ACTIONS = ("drop", "drop-to-end", "drop-before", "protect")
PLACES = ("anywhere", "top", "bottom", "edges", "after-body")
RULE_KEYS = {
    "id", "name", "description", "pattern", "starts", "phrases", "selector", "action", "where",
    "max_chars", "min_chars", "domains", "enabled", "examples", "counter_examples",
}
FILE_KEYS = {"rule", "signal", "signals", "about"}
SIGNAL_KEYS = {"id", "name", "description", "settings"}
ID_SHAPE = regex.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def may_act(where: str, i: int, first: int, last: int, begun: int) -> bool:
    """Whether a rule with this `where` may act on block i, given the article's
    first and last prose blocks and the block after which the body has begun.
    The first and last prose blocks count as the edges themselves: a byline or
    an author's bio can read like prose."""
    if where == "anywhere":
        return True
    if where == "top":
        return i <= first
    if where == "bottom":
        return i >= last
    if where == "edges":
        return i <= first or i >= last
    return i > begun  # after-body


@dataclass(slots=True)
class RuleFile:
    """What one file contributes: rules and signal settings, and notes on what
    was skipped while reading it (one line each, 'file:line: skipped …')."""

    path: str
    rules: list[Rule] = field(default_factory=list)
    signals: dict[str, dict[str, Any]] = field(default_factory=dict)
    described: list[Signal] = field(default_factory=list)  # its [[signal]] entries
    notes: list[str] = field(default_factory=list)


def read_rule_file(path: str | Path) -> RuleFile:
    """Parse and validate one TOML rule file; raise RuleFileError on any problem."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleFileError(name, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(name, f"cannot read: {exc}") from None
    if _deep_key(text):
        # tomllib needs memory quadratic in a dotted key's depth (tens of GB
        # for a 160 KB file of a.a.a...): refuse before parsing
        raise RuleFileError(name, f"bad TOML: keys nested more than {MAX_KEY_DEPTH} levels deep")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(name, f"bad TOML: {exc}") from None
    except RecursionError:
        raise RuleFileError(name, "bad TOML: arrays or tables nested too deep") from None
    unknown = set(data) - FILE_KEYS
    if unknown:
        raise RuleFileError(name, f"unknown top-level key {sorted(unknown)[0]!r}")
    result = RuleFile(name)
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise RuleFileError(name, "'rule' must be an array of tables ([[rule]])")
    seen: set[str] = set()
    starts = table_lines(text, "rule", len(entries))
    for position, entry in enumerate(entries, start=1):
        rule = _build_rule(name, position, entry, starts[position - 1])
        if rule.id in seen:
            raise RuleFileError(name, "duplicate id", rule.id)
        seen.add(rule.id)
        result.rules.append(rule)
    signals = data.get("signals", {})
    if not isinstance(signals, dict) or not all(isinstance(v, dict) for v in signals.values()):
        raise RuleFileError(name, "'signals' must hold tables ([signals.NAME])")
    result.signals = signals
    described = data.get("signal", [])
    lines = table_lines(text, "signal", len(described) if isinstance(described, list) else 0)
    result.described = _signals_described(name, described, lines)
    return result


_TRIPLE = ('"""', "'''")


def table_lines(text: str, name: str, count: int) -> list[int | None]:
    """The 1-based line where each `[[name]]` table of the file starts, in
    order. tomllib gives no positions, so the headers are found by scanning
    the text outside multi-line strings; if the number found is not the
    number tomllib read (an inline array `name = [{…}]`), no line is claimed
    rather than a wrong one."""
    header = regex.compile(r"\[\[\h*%s\h*\]\](?:\h*#.*)?" % regex.escape(name))
    found: list[int | None] = []
    closing: str | None = None  # the quotes of the multi-line string we are in
    for number, line in enumerate(text.split("\n"), start=1):
        if closing is None and header.fullmatch(line.strip()):
            found.append(number)
        closing = _open_string_after(line, closing)
    return found if len(found) == count else [None] * count


def _open_string_after(line: str, closing: str | None) -> str | None:
    """The multi-line string still open at the end of the line (its closing
    quotes), given the one open at its start."""
    i = 0
    while i < len(line):
        if closing is not None:
            end = line.find(closing, i)
            while end >= 0 and closing == '"""' and _escaped(line, end):
                end = line.find(closing, end + 1)
            if end < 0:
                return closing
            i, closing = end + 3, None
            continue
        c = line[i]
        if c == "#":
            return None
        if line.startswith(_TRIPLE, i):
            i, closing = i + 3, line[i:i + 3]
        elif c in "\"'":  # a one-line string: skip to its end
            end = i + 1
            while end < len(line) and (line[end] != c or (c == '"' and _escaped(line, end))):
                end += 1
            i = end + 1
        else:
            i += 1
    return closing


def _escaped(line: str, at: int) -> bool:
    """Whether the character at `at` follows an odd run of backslashes."""
    run = 0
    while at - run > 0 and line[at - run - 1] == "\\":
        run += 1
    return run % 2 == 1


def _signals_described(path: str, entries: Any, lines: list[int | None]) -> list[Signal]:
    """The file's `[[signal]]` entries: an id, a name, a description and the
    `[signals.NAME]` tables that tune the signal."""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise RuleFileError(path, "'signal' must be an array of tables ([[signal]])")
    out: list[Signal] = []
    for position, entry in enumerate(entries, start=1):
        signal_id = entry.get("id")
        if not isinstance(signal_id, str) or not ID_SHAPE.fullmatch(signal_id):
            raise RuleFileError(path, f"signal #{position}: 'id' must be a string of letters, digits, "
                                      "'.', '_', ':' or '-'")
        unknown = set(entry) - SIGNAL_KEYS
        if unknown:
            raise RuleFileError(path, f"signal {signal_id!r}: unknown key {sorted(unknown)[0]!r}")
        for key in ("name", "description"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise RuleFileError(path, f"signal {signal_id!r}: '{key}' is required (a non-empty string)")
        settings = entry.get("settings", [])
        if not isinstance(settings, list) or not all(isinstance(t, str) for t in settings):
            raise RuleFileError(path, f"signal {signal_id!r}: 'settings' must be a list of [signals.NAME] table names")
        if signal_id in {s.id for s in out}:
            raise RuleFileError(path, f"signal {signal_id!r}: duplicate id")
        out.append(Signal(signal_id, entry["name"].strip(), " ".join(entry["description"].split()), path,
                          tuple(settings), lines[position - 1]))
    return out


def _build_rule(path: str, position: int, entry: Any, line: int | None = None) -> Rule:
    if not isinstance(entry, dict):
        raise RuleFileError(path, f"rule #{position} is not a table")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not ID_SHAPE.fullmatch(rule_id):
        raise RuleFileError(path, f"rule #{position}: 'id' must be a string of letters, digits, '.', '_', ':' or '-'")
    unknown = set(entry) - RULE_KEYS
    if unknown:
        raise RuleFileError(path, f"unknown key {sorted(unknown)[0]!r}", rule_id)
    for key in ("name", "description"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise RuleFileError(path, f"'{key}' is required (a non-empty string)", rule_id)
    action = _choice(path, rule_id, entry, "action", ACTIONS)
    where = _choice(path, rule_id, entry, "where", PLACES)
    pattern_text, selector = entry.get("pattern"), entry.get("selector")
    phrases = entry.get("phrases", [])
    if not isinstance(phrases, list) or not all(isinstance(p, str) and phrase_key(p) for p in phrases):
        raise RuleFileError(path, "'phrases' must be a list of non-empty strings", rule_id)
    if pattern_text is None and selector is None and not phrases:
        raise RuleFileError(path, "needs a 'pattern', 'phrases' or a 'selector'", rule_id)
    pattern = None
    starts: tuple[str, ...] = ()
    if pattern_text is not None:
        if not isinstance(pattern_text, str) or not pattern_text:
            raise RuleFileError(path, "'pattern' must be a non-empty string", rule_id)
        pattern = RulePattern.read(pattern_text, path, rule_id)
        starts = _starts(path, rule_id, entry, pattern)
    elif "starts" in entry:
        raise RuleFileError(path, "'starts' needs a 'pattern' (it says what the pattern's matches begin with)", rule_id)
    if selector is not None and (not isinstance(selector, str) or not selector.strip()):
        raise RuleFileError(path, "'selector' must be a non-empty string", rule_id)
    if selector is not None:
        from .selectors import compile_selector  # lxml + cssselect: only for files with selectors

        compile_selector(selector, path, rule_id)  # a bad selector fails here, not on the first HTML page
    max_chars = _count(path, rule_id, entry, "max_chars")
    min_chars = _count(path, rule_id, entry, "min_chars") or 0
    domains = entry.get("domains", [])
    if not isinstance(domains, list) or not all(isinstance(d, str) and d for d in domains):
        raise RuleFileError(path, "'domains' must be a list of host names", rule_id)
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RuleFileError(path, "'enabled' must be true or false", rule_id)
    return Rule(
        id=rule_id, name=entry["name"].strip(), description=entry["description"].strip(),
        source=path, pattern=pattern, starts=starts, phrases=tuple(dict.fromkeys(phrase_key(p) for p in phrases)),
        selector=selector, action=action, where=where,
        max_chars=max_chars, min_chars=min_chars,
        domains=tuple(d.lower().strip(".") for d in domains), enabled=enabled,
        examples=_examples(path, rule_id, entry, "examples"),
        counter_examples=_examples(path, rule_id, entry, "counter_examples"), line=line,
    )


def _examples(path: str, rule_id: str, entry: dict[str, Any], key: str) -> tuple[str, ...]:
    """`examples` / `counter_examples`: lines (or, for a selector rule, HTML
    snippets) that `rules check` runs the rule on."""
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleFileError(path, f"'{key}' must be a list of non-empty strings", rule_id)
    return tuple(value)


# A safety cap on what a rule file can make the TOML parser build (not a
# tuning threshold: no sensible file comes near it; patterns have theirs in pattern.py).
MAX_KEY_DEPTH = 16
_KEY_PART = r"""(?:[A-Za-z0-9_-]++|"[^"\n]*+"|'[^'\n]*+')"""
_DEEP_KEY = regex.compile(r"(?<![A-Za-z0-9_-])(?:%s[ \t]*+\.[ \t]*+){%d}" % (_KEY_PART, MAX_KEY_DEPTH))


def _deep_key(text: str) -> bool:
    """Whether the text holds a dotted key more than MAX_KEY_DEPTH levels deep.
    Such a key has that many dots on one line; the regex reads only those lines."""
    if text.count(".") < MAX_KEY_DEPTH:
        return False
    return any(_DEEP_KEY.search(line) for line in text.split("\n") if line.count(".") >= MAX_KEY_DEPTH)


def _starts(path: str, rule_id: str, entry: dict[str, Any], pattern: RulePattern) -> tuple[str, ...]:
    """The rule's `starts`, each checked to be a beginning some match of the
    pattern can have (the pattern is then tried only on blocks beginning
    with one, so a typo would silently disable the rule)."""
    if "starts" not in entry:
        return ()
    starts = entry["starts"]
    if not isinstance(starts, list) or not starts or not all(isinstance(s, str) and s.strip() for s in starts):
        raise RuleFileError(path, "'starts' must be a non-empty list of non-empty strings", rule_id)
    for start in starts:
        if not _may_begin(pattern, start):
            raise RuleFileError(path, f"'starts' entry {start!r} cannot begin a match of the pattern", rule_id)
    return tuple(starts)


def _may_begin(pattern: RulePattern, start: str) -> bool:
    try:
        return pattern.match(start, partial=True, timeout=1.0) is not None
    except TimeoutError:
        return True  # undecided: the author's word stands


def _choice(path: str, rule_id: str, entry: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = entry.get(key, allowed[0])
    if value not in allowed:
        raise RuleFileError(path, f"'{key}' must be one of {', '.join(allowed)} (got {value!r})", rule_id)
    return cast(str, value)  # one of `allowed`


def _count(path: str, rule_id: str, entry: dict[str, Any], key: str) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuleFileError(path, f"'{key}' must be a whole number ≥ 0", rule_id)
    return value
