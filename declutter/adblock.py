"""Adblock-style cosmetic filter lists as declutter rules.

`--rules` accepts any file that is not ``.toml`` as such a list, so users can
bring the annoyance lists they already trust (cookie notices, newsletter
pop-ups, social widgets...). What is read:

    ##.cookie-notice                 element hiding, every site
    example.com,example.org##.aside  only on these sites (and their subdomains)
    ~shop.example.com##.aside        on every site but this one
    example.com#@#.cookie-notice     exception: not on example.com
    ! a comment, [Adblock Plus 2.0]  ignored

Each hiding filter becomes a ``selector`` rule with id
``adblock:<file>:<line>`` (action drop), so ``--explain`` names the line of
the list that removed a block and ``--disable`` can turn it off.

Skipped, with one note per kind and file (``RuleFile.notes``, which the CLI
prints as ``declutter: list.txt:7: skipped 3 procedural or extended filters
(lines 7, 9, 12)``): procedural and extended filters (``#?#``, ``#$#``,
``#%#``, ``:has-text(``, ``:xpath(``, ``:-abp-``, ``:upward(``, ``:style(``...),
selectors cssselect cannot read; network filters (lines without ``##``), which
have nothing to hide in a page's text, are skipped silently. Nothing goes
through Python's ``warnings`` (under ``-W error`` that would be a traceback).
"""
from __future__ import annotations

import re
from pathlib import Path

from .errors import RuleFileError
from .notes import first_few
from .rule import Rule
from .rulefile import RuleFile

__all__ = ["parse_adblock", "read_adblock_list", "skip_notes"]

# The kinds of skipped lines worth a note (network filters are not), singular.
_ONE = {"procedural or extended filters": "procedural or extended filter",
        "filters with unsupported domain syntax": "filter with unsupported domain syntax",
        "selectors cssselect cannot read": "selector cssselect cannot read"}

_COSMETIC = re.compile(r"^(?P<domains>[^#]*)(?P<sep>#@#|##|#\?#|#\$#|#%#|#@\?#|#@\$#)(?P<selector>.+)$")
_PROCEDURAL = re.compile(
    r":(?:has-text|xpath|-abp-[\w-]+|upward|remove|style|matches-css[\w-]*|matches-path|"
    r"min-text-length|watch-attr|others|nth-ancestor|contains|if|if-not|matches-attr|"
    r"matches-prop|remove-attr|remove-class)\(")
_FILE_ID = re.compile(r"[^a-z0-9._-]+")


def _file_key(path: str) -> str:
    return _FILE_ID.sub("-", Path(path).stem.lower()).strip("-._")[:60] or "list"


def parse_adblock(text: str, source: str = "<list>") -> tuple[list[Rule], dict[str, list[int]]]:
    """Rules from a filter list's text, and the skipped lines by kind."""
    from .selectors import compile_selector

    key = _file_key(source)
    skipped: dict[str, list[int]] = {}
    hiding: list[tuple[int, str, list[str]]] = []  # (line, selector, domains)
    exceptions: list[tuple[str, list[str]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("!") or (line.startswith("[") and line.endswith("]")):
            continue
        m = _COSMETIC.match(line)
        if m is None:
            skipped.setdefault("network filters", []).append(number)
            continue
        sep, selector = m.group("sep"), m.group("selector").strip()
        if sep not in ("##", "#@#") or _PROCEDURAL.search(selector):
            skipped.setdefault("procedural or extended filters", []).append(number)
            continue
        domains = [d.strip().lower() for d in m.group("domains").split(",") if d.strip()]
        if any(not re.fullmatch(r"~?[a-z0-9.*-]+", d) or "*" in d for d in domains):
            skipped.setdefault("filters with unsupported domain syntax", []).append(number)
            continue
        try:
            compile_selector(selector, source)
        except RuleFileError:
            skipped.setdefault("selectors cssselect cannot read", []).append(number)
            continue
        if sep == "#@#":
            exceptions.append((selector, domains))
        else:
            hiding.append((number, selector, domains))
    # exceptions: everywhere (no domains) removes the filter; on some domains
    # excludes those domains from it
    everywhere = {sel for sel, doms in exceptions if not doms}
    excluded: dict[str, set[str]] = {}
    for sel, doms in exceptions:
        for d in doms:
            if not d.startswith("~"):
                excluded.setdefault(sel, set()).add(d)
    rules = []
    for number, selector, domains in hiding:
        if selector in everywhere:
            continue
        scoped = _scope(domains, excluded.get(selector, set()))
        if scoped is None:
            continue
        where = ",".join(domains) or "every site"
        rules.append(Rule(
            id=f"adblock:{key}:{number}", name=f"{selector[:60]} ({where})"[:120],
            description=f"cosmetic filter on line {number} of {source}", source=source,
            selector=selector, action="drop", domains=tuple(d.strip(".") for d in scoped), line=number,
        ))
    return rules, skipped


def _scope(domains: list[str], excepted: set[str]) -> list[str] | None:
    """A hiding filter's domains once its exceptions are applied (None: every
    domain it named is excepted, so it hides nothing)."""
    scoped = list(domains)
    for d in sorted(excepted):
        if d in scoped:
            scoped.remove(d)
            if not any(not x.startswith("~") for x in scoped):
                return None
        else:
            scoped.append("~" + d)
    return scoped


def skip_notes(source: str, skipped: dict[str, list[int]]) -> list[str]:
    """One line per kind of skipped filter: 'file:first line: skipped …'."""
    notes = []
    for kind, lines in skipped.items():
        if kind not in _ONE:
            continue  # network filters: lists mix them in by design; nothing to say
        if len(lines) == 1:
            notes.append(f"{source}:{lines[0]}: skipped {_ONE[kind]}")
            continue
        notes.append(f"{source}:{lines[0]}: skipped {len(lines)} {kind} (lines {first_few(lines)})")
    return notes


def read_adblock_list(path: str | Path) -> RuleFile:
    """Read a filter list; unreadable files are a RuleFileError, unusable
    lines are skipped and noted in the RuleFile's notes."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise RuleFileError(name, "no such file") from None
    except OSError as exc:
        raise RuleFileError(name, f"cannot read: {exc}") from None
    rules, skipped = parse_adblock(text, name)
    return RuleFile(name, rules, notes=skip_notes(name, skipped))
