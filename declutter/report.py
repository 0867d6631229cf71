"""`declutter report`: one self-contained HTML page that shows why — every
block of a page in order, kept ones plain, dropped ones struck through and
dimmed, each with the id of the rule or signal that decided, and a legend
of those ids with their name, description, source and totals.

The page holds no script and loads nothing: inline CSS only, and a Content
Security Policy that forbids scripts and requests besides. Every piece of
text that comes from the page (block text, title, metadata, URL) goes
through `html.escape(…, quote=True)`, so a hostile page cannot inject
markup into the report.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

import regex

from .blocks import Block
from .result import CleanResult
from .rule import Rule, Signal
from .ruleset import RuleSet
from .verdicts import Verdict

_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 62em; color: #1a1a1a; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
h2 { font-size: 1.1em; margin: 1.4em 0 .4em; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; margin: 0; }
dl.meta dt { color: #555; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .2em .5em; border-bottom: 1px solid #ddd; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
ol.blocks { list-style: none; padding: 0; margin: 0; }
ol.blocks li { display: grid; grid-template-columns: 3.5em 14em 1fr; gap: .8em; padding: .25em 0;
               border-bottom: 1px solid #eee; }
.line { color: #888; text-align: right; font-variant-numeric: tabular-nums; }
.why { font: 12px/1.6 ui-monospace, monospace; overflow-wrap: anywhere; }
.why a { color: #2a5d8f; text-decoration: none; }
li.keep .why a { color: #1c7a33; }
.path { display: block; font: 11px/1.4 ui-monospace, monospace; color: #888; overflow-wrap: anywhere; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
del.text { text-decoration: line-through; opacity: .45; }
.sample-drop { text-decoration: line-through; opacity: .45; }
"""

# Forbids every script and every request (images, fonts, frames…); the styles are inline.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


@dataclass(frozen=True, slots=True)
class ReasonInfo:
    """What the legend says of one reason id: its name, description and
    where it is defined (`file:line`, or the file alone)."""

    id: str
    name: str
    description: str
    where: str


@dataclass(slots=True)
class Totals:
    """How many blocks, and characters of block text, one reason decided."""

    keep: bool
    blocks: int = 0
    chars: int = 0


def render_report(result: CleanResult, ruleset: RuleSet, *, source: str = "", url: str | None = None) -> str:
    """The report page of RESULT (cleaned with RULESET's rules, full reasons
    wanted), as one HTML document."""
    totals = reason_totals(result.blocks, result.verdicts)
    infos = reason_infos(ruleset, totals)
    anchors = {reason: f"reason-{n}" for n, reason in enumerate(totals, 1)}
    title = result.title or "(no title found)"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>declutter report: {_e(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f'<h1 class="page-title">{_e(title)}</h1>',
        _meta_section(result, source, url),
        _legend(totals, infos, anchors),
        _blocks_section(result.blocks, result.verdicts, infos, anchors),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def reason_totals(blocks: Sequence[Block], verdicts: Sequence[Verdict]) -> dict[str, Totals]:
    """Per reason id, in order of first appearance: blocks it decided and their characters."""
    totals: dict[str, Totals] = {}
    for block, verdict in zip(blocks, verdicts):
        t = totals.setdefault(verdict.reason, Totals(verdict.keep))
        t.blocks += 1
        t.chars += len(block.text.strip())
    return totals


def reason_infos(ruleset: RuleSet, reasons: Iterable[str]) -> dict[str, ReasonInfo]:
    """Name, description and source of each reason id: a rule's, or a
    signal's `[[signal]]` entry; an id neither describes gets blanks."""
    known: dict[str, Rule | Signal] = {s.id: s for s in ruleset.described}
    known.update((r.id, r) for r in ruleset.all_rules)
    infos = {}
    for reason in reasons:
        entry = known.get(reason)
        if entry is None:
            infos[reason] = ReasonInfo(reason, "", "", "")
        else:
            infos[reason] = ReasonInfo(reason, entry.name, entry.description, source_location(entry))
    return infos


def source_location(entry: Rule | Signal) -> str:
    """Where ENTRY is defined, as `file:line`. The line is the entry's own
    when the loader records one (a `line` attribute); else it is found by
    scanning the file for the entry's `id = "…"` (an adblock filter's id ends
    in its line); else the file alone."""
    path = _short_path(entry.source)
    line = getattr(entry, "line", None)
    if not isinstance(line, int):
        line = _id_line(entry.source, entry.id)
    return f"{path}:{line}" if line else path


_ADBLOCK_LINE = regex.compile(r"^adblock:.*:(\d+)$")


def _id_line(path: str, rule_id: str) -> int | None:
    found = _ADBLOCK_LINE.match(rule_id)
    if found:
        return int(found.group(1))
    return _id_lines(path).get(rule_id)


_ID_LINE = regex.compile(r"""^\s*id\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@lru_cache(maxsize=64)
def _id_lines(path: str) -> dict[str, int]:
    """The line of each `id = "…"` in a rule file (the first, should one repeat)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return {}
    ids: dict[str, int] = {}
    for number, text in enumerate(lines, 1):
        m = _ID_LINE.match(text)
        if m:
            ids.setdefault(m.group(1) if m.group(1) is not None else m.group(2), number)
    return ids


def _short_path(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path


def _e(text: object) -> str:
    """Any text from the page or the rules, safe in element content and in quoted attributes."""
    return escape(str(text), quote=True)


def _meta_section(result: CleanResult, source: str, url: str | None) -> str:
    rows = []
    if source:
        rows.append(("source", source))
    if url:
        rows.append(("url", url))
    rows.extend((key, _meta_value(value)) for key, value in result.metadata.items())
    kept = sum(1 for v in result.verdicts if v.keep)
    rows.append(("blocks", f"{len(result.verdicts)} ({kept} kept, {len(result.verdicts) - kept} dropped)"))
    items = "".join(f"<dt>{_e(key)}</dt><dd>{_e(value)}</dd>" for key, value in rows)
    return f'<dl class="meta">{items}</dl>'


def _meta_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _legend(totals: dict[str, Totals], infos: dict[str, ReasonInfo], anchors: dict[str, str]) -> str:
    rows = "\n".join(_legend_row(infos[reason], t, anchors[reason]) for reason, t in totals.items())
    return (
        "<h2>Legend</h2>"
        '<p>plain text: kept; '
        '<span class="sample-drop">struck and dimmed</span>: dropped. '
        "Beside each block, the id of the rule or signal that decided "
        "(hover for its name and description, click for its row here).</p>"
        '<table class="legend"><thead><tr><th>reason</th><th>decision</th><th>blocks</th>'
        "<th>characters</th><th>name and description</th><th>defined in</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _legend_row(info: ReasonInfo, t: Totals, anchor: str) -> str:
    decision = "keep" if t.keep else "drop"
    about = (f"<details><summary>{_e(info.name)}</summary>{_e(info.description)}</details>"
             if info.description else _e(info.name))
    return (f'<tr id="{anchor}" class="{decision}" data-reason="{_e(info.id)}">'
            f"<td><code>{_e(info.id)}</code></td><td>{decision}</td>"
            f'<td class="n blocks">{t.blocks}</td><td class="n chars">{t.chars}</td>'
            f"<td>{about}</td><td><code>{_e(info.where)}</code></td></tr>")


def _blocks_section(blocks: Sequence[Block], verdicts: Sequence[Verdict], infos: dict[str, ReasonInfo],
                    anchors: dict[str, str]) -> str:
    items = "\n".join(_block_item(b, v, infos[v.reason], anchors[v.reason]) for b, v in zip(blocks, verdicts))
    return f'<h2>Blocks</h2>\n<ol class="blocks">\n{items}\n</ol>'


def _block_item(block: Block, verdict: Verdict, info: ReasonInfo, anchor: str) -> str:
    lines = f"{block.first_line}" if block.first_line == block.last_line else f"{block.first_line}-{block.last_line}"
    hover = " — ".join(x for x in (info.name, info.description, info.where) if x)
    path = f'<code class="path">{_e(block.tag_path)}</code>' if block.tag_path else ""
    text = _e(block.text.strip())
    body = f'<span class="text">{text}</span>' if verdict.keep else f'<del class="text">{text}</del>'
    decision = "keep" if verdict.keep else "drop"
    return (f'<li class="{decision}" data-index="{block.index}" data-reason="{_e(verdict.reason)}">'
            f'<span class="line">{lines}</span>'
            f'<span class="why"><a href="#{anchor}" title="{_e(hover)}">{_e(verdict.reason)}</a>{path}</span>'
            f"{body}</li>")
