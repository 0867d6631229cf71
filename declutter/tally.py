"""What was removed over many pages, per reason id (`--stats FILE`).

A Tally is filled where each page is cleaned (in the stream's worker) from
the page's removed blocks, which cleaning has already computed, and tallies
are added up in the parent; so the counts do not depend on how the pages were
spread over workers. Per reason id, and in total:

blocks  removed blocks (the entries of a page's `removed` list)
lines   lines they span: `last - first + 1` of each entry's `lines` (input
        lines of a text page, lines of the rendered text of an HTML page)
bytes   UTF-8 bytes of each entry's `text` (the block's text, stripped of
        surrounding white space; a lone surrogate counts as the 3 bytes of
        U+FFFD, which output puts in its place)
pages   pages with at least one block removed (for the reason)
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .result import RemovedBlock

FIELDS = ("blocks", "lines", "bytes", "pages")
BLOCKS, LINES, BYTES, PAGES = range(4)


class Tally:
    """Counts per reason id: [blocks, lines, bytes, pages]; and pages touched."""

    __slots__ = ("reasons", "touched")

    def __init__(self) -> None:
        self.reasons: dict[str, list[int]] = {}
        self.touched = 0  # pages with at least one block removed

    def add_page(self, removed: Iterable[RemovedBlock]) -> None:
        """Count one cleaned page's removed blocks."""
        seen: set[str] = set()
        reasons = self.reasons
        for rb in removed:
            counts = reasons.get(rb.reason)
            if counts is None:
                counts = reasons[rb.reason] = [0, 0, 0, 0]
            counts[BLOCKS] += 1
            counts[LINES] += rb.last_line - rb.first_line + 1
            counts[BYTES] += len(rb.text.encode("utf-8", "surrogatepass"))
            seen.add(rb.reason)
        for reason in seen:
            reasons[reason][PAGES] += 1
        if seen:
            self.touched += 1

    def add(self, other: Tally) -> None:
        for reason, theirs in other.reasons.items():
            mine = self.reasons.get(reason)
            if mine is None:
                self.reasons[reason] = list(theirs)
            else:
                for i, n in enumerate(theirs):
                    mine[i] += n
        self.touched += other.touched

    def ranked(self) -> list[tuple[str, list[int]]]:
        """Reasons by bytes removed, most first (ties by id: the order never
        depends on which worker saw a reason first)."""
        return sorted(self.reasons.items(), key=lambda kv: (-kv[1][BYTES], kv[0]))

    def to_dict(self, pages: int, errors: int) -> dict[str, Any]:
        """The `--stats` document: run totals, then the reasons by bytes removed.
        PAGES: records (or inputs) the run gave; ERRORS: those that failed."""
        totals = [sum(c[i] for c in self.reasons.values()) for i in (BLOCKS, LINES, BYTES)]
        return {"pages": pages, "pages_with_errors": errors, "pages_touched": self.touched,
                "blocks": totals[0], "lines": totals[1], "bytes": totals[2],
                "reasons": {reason: dict(zip(FIELDS, counts)) for reason, counts in self.ranked()}}

    def top_line(self, n: int = 5) -> str:
        """One summary line: the N reasons that removed the most bytes, with
        their share of all bytes removed."""
        total = sum(c[BYTES] for c in self.reasons.values())
        if not total:
            return "declutter: nothing removed"
        parts = [f"{reason} {_size(c[BYTES])} ({c[BYTES] / total:.0%})" for reason, c in self.ranked()[:n]]
        more = len(self.reasons) - n
        return f"declutter: top reasons by bytes removed: {', '.join(parts)}" + (
            f" (+{more} more)" if more > 0 else "")


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1e3:.1f} kB"
    return f"{n / 1e6:,.1f} MB"
