"""Turn decisions back into text: the kept blocks, unchanged, in order, with a
blank line wherever the input had a paragraph break between two kept blocks."""
from __future__ import annotations

from collections.abc import Sequence

from .blocks import Block
from .verdicts import Verdict


def render(blocks: Sequence[Block], verdicts: Sequence[Verdict]) -> str:
    parts: list[str] = []
    gap = False
    for block, verdict in zip(blocks, verdicts):
        gap = gap or block.gap_before
        if not verdict.keep:
            continue
        if parts:
            parts.append("\n\n" if gap else "\n")
        parts.append(block.text)
        gap = False
    return "".join(parts)
