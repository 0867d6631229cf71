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
    lines = normalise_newlines(text).split("\n")
    # Non-blank lines, found by C-level strip: a list comprehension, not a
    # Python loop over every line.
    filled = [n for n, line in enumerate(lines) if line and not line.isspace()]
    blocks = [Block(i, lines[n], n + 1, n + 1) for i, n in enumerate(filled)]
    for i in range(1, len(filled)):
        if filled[i] - filled[i - 1] > 1:
            blocks[i].gap_before = True
    return blocks


def decode_bytes(data: bytes | bytearray) -> str:
    """Decode a text page: UTF-8 (BOM or not), invalid bytes replaced, never an error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", "replace")
