"""Turn a text page into blocks: one block per non-blank line.

Blocks are the unit every rule and signal decides on; the HTML path builds the
same objects from the DOM, with its extra signals filled in.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex


@dataclass(slots=True)
class Block:
    """One line of a text page, or one rendered block of an HTML page."""

    index: int
    text: str
    first_line: int
    last_line: int
    gap_before: bool = False
    # DOM signals (HTML pages only).
    tag: str = ""
    tag_path: str = ""
    tokens: frozenset[str] = frozenset()
    link_density: float = 0.0
    heading: int = 0
    node: object = None


_LINE_BREAK = regex.compile(r"\r\n|\r|\n")


def normalise_newlines(text: str) -> str:
    """`\\r\\n` and lone `\\r` become `\\n`: the only change text mode ever makes."""
    if "\r" not in text:
        return text
    return _LINE_BREAK.sub("\n", text)


def split_text(text: str) -> list[Block]:
    """Split a text page into blocks, one per non-blank line, remembering which
    blocks follow a blank line so that output keeps the input's paragraphs."""
    blocks: list[Block] = []
    gap = False
    for number, line in enumerate(normalise_newlines(text).split("\n"), start=1):
        if not line or line.isspace():
            gap = bool(blocks)
            continue
        blocks.append(Block(len(blocks), line, number, number, gap))
        gap = False
    return blocks


def decode_bytes(data: bytes) -> str:
    """Decode a text page: UTF-8 (BOM or not), invalid bytes replaced, never an error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", "replace")
