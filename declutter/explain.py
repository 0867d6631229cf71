"""`--explain`: every block of the page, kept or dropped, with the id of the
rule or signal that decided — so a user sees why a line went and which rule
to change."""
from __future__ import annotations

from collections.abc import Iterator

from .result import CleanResult

_DIM, _STRIKE, _GREEN, _RESET = "\x1b[2m", "\x1b[9m", "\x1b[32m", "\x1b[0m"


def explain_lines(result: CleanResult, *, color: bool = False, width: int = 100) -> Iterator[str]:
    """One line per block: marker, line number(s), deciding id, first-pass
    class (with `+N` when round N of the idempotence check dropped a block
    the first round kept), tag path (HTML), text."""
    id_width = max((len(v.reason) for v in result.verdicts), default=10)
    show_path = any(b.tag_path for b in result.blocks)
    path_width = min(max((len(b.tag_path) for b in result.blocks), default=0), 40)
    if result.title:
        yield f"# title: {result.title}"
    for block, verdict in zip(result.blocks, result.verdicts):
        first, last = block.first_line, block.last_line
        lines = f"{first}" if first == last else f"{first}-{last}"
        text = " ".join(block.text.split())
        if len(text) > width:
            text = text[: width - 1] + "…"
        path = f" {block.tag_path[-path_width:]:<{path_width}}" if show_path else ""
        mark = "keep" if verdict.keep else "drop"
        cls = f"{verdict.first_class}+{verdict.round}" if verdict.round else str(verdict.first_class)
        head = f"{mark} {lines:>5} {verdict.reason:<{id_width}} {cls:<7}{path}"
        if not color:
            yield f"{head} | {text}"
        elif verdict.keep:
            yield f"{_GREEN}{head}{_RESET} | {text}"
        else:
            yield f"{_DIM}{head} | {_STRIKE}{text}{_RESET}"
    for rule_id, index in result.skipped_rules:
        yield f"# rule {rule_id} timed out on block {index + 1} and was skipped there"
