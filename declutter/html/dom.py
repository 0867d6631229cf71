"""Parse HTML with lxml and turn the DOM into blocks.

One pass over the tree (``etree.iterwalk``) cuts it into the same ``Block``
objects the text path uses: a block is the text of one block-level element
(paragraph, heading, list item, table row, ``pre``, caption, ...), with the DOM
signals filled in: tag, tag path, id/class tokens of the block and its
ancestors, link density and heading level.  Structure survives as text: list
items get a bullet, a table row becomes one line with its cells joined by
``" | "``, ``pre`` keeps its indentation and line breaks, ``<br>`` is a line
break.

The parser is libxml2's HTML parser, which keeps at most 2048 levels of
nesting (with ``huge_tree``) and silently drops *all* text when a page nests
deeper.  ``parse`` notices that from the parser's error log and says so, so the
caller can fall back to flattening the page (see ``flatten_markup``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from types import MemberDescriptorType
from typing import Any, cast

from lxml import etree

from ..blocks import Block

__all__ = ["SKIP_TAGS", "DomBlocks", "Parsed", "build_blocks", "flatten_markup", "parse"]

# Elements whose content is never visible text.
SKIP_TAGS = (
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "select", "option", "button", "input", "textarea", "head",
    "title", "map", "datalist", "dialog",
    # ruby annotations: the reading aid above a word, not the word itself
    "rt", "rp",
)
# Elements that start and end a block.
BLOCK_TAGS = frozenset((
    "html", "body", "p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
    "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
    "figure", "figcaption", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption",
    "form", "fieldset", "legend", "address", "center", "hr", "details", "summary", "menu",
    "hgroup", "frameset", "frame", "noframes", "picture", "label",
))
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# A table whose cells hold these is a layout table: its cells are containers,
# not data.
_LAYOUT_TABLE = etree.XPath(
    "boolean(descendant::table or descendant::p or descendant::ul or descendant::ol"
    " or descendant::h1 or descendant::h2 or descendant::h3 or descendant::blockquote"
    " or descendant::pre or descendant::article or descendant::section)"
)
_CELL = "\x1f"  # marks a table cell boundary while a row is collected
_BR = "\x1e"  # marks a <br> (source newlines are just whitespace)
_NO_TOKENS: frozenset[str] = frozenset()
# characters a reader never sees that split or glue words in the text: soft
# hyphens (U+00AD), zero-width space, word joiner, and a byte-order mark
# inside the text (the joiners U+200C/U+200D stay: scripts and emoji need them)
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
_INVISIBLE_CHARS = "\u00ad\u200b\u2060\ufeff"
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@dataclass(slots=True)
class Parsed:
    """A parsed page: the root element (None for a page without elements) and
    whether libxml2 gave up on nesting depth (then the tree lost text)."""

    root: etree._Element | None
    too_deep: bool


def _new_parser() -> etree.HTMLParser[etree._Element]:
    return etree.HTMLParser(
        recover=True, remove_comments=True, remove_pis=True, no_network=True,
        huge_tree=True, default_doctype=False, compact=True, encoding="utf-8",
    )


def parse(markup: str | bytes) -> Parsed:
    """Parse markup (already decoded, control characters removed; bytes:
    in UTF-8) with lxml."""
    data = markup.encode("utf-8", "replace") if isinstance(markup, str) else markup
    if not data.strip():
        return Parsed(None, False)
    parser = _new_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        root = None
    too_deep = any("Excessive depth" in e.message for e in parser.error_log)
    return Parsed(root, too_deep)


# -- flattening fallback -------------------------------------------------------

_FLAT_DROP = re.compile(
    r"<(script|style|noscript|template|svg|head|title)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_FLAT_BREAK = re.compile(
    r"</?(?:p|div|section|article|main|header|footer|aside|nav|li|ul|ol|dl|dt|dd|h[1-6]|pre|"
    r"blockquote|figure|figcaption|table|tr|caption|form|address|center|hr|br|details|summary)\b[^>]*>",
    re.I)
_FLAT_CELL = re.compile(r"</?t[dh]\b[^>]*>", re.I)
_FLAT_TAG = re.compile(r"<[^>]*>")
_BLANKS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def flatten_markup(markup: str) -> str:
    """Strip tags with regular expressions: block-level tags become paragraph
    breaks.  Used when the tree cannot hold the page (nesting too deep); the
    result is cleaned in text mode, so no text is lost silently."""
    from html import unescape

    text = _FLAT_DROP.sub(" ", markup)
    text = _FLAT_BREAK.sub("\n\n", text)
    text = _FLAT_CELL.sub(" | ", text)
    text = unescape(_FLAT_TAG.sub("", text))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


# -- DOM -> blocks ---------------------------------------------------------------


@dataclass(slots=True)
class DomBlocks:
    """Blocks of a page plus, per block, the chain of block-level ancestors
    (outermost first), which the article decision scores containers over,
    and how many outer elements of its chain the chain before it shares
    (passes over all chains ask only about the elements below those)."""

    blocks: list[Block]
    chains: list[tuple[etree._Element, ...]]
    link_chars: list[int]
    shared: list[int]
    # per block, the tags of its chain's elements (asking an element for its
    # tag makes a new string each time; passes over chains ask often)
    tags: list[tuple[str, ...]]


def _label(el: etree._Element, tag: str) -> str:
    ident = el.get("id")
    if ident:
        return f"{tag}#{ident.strip()}"
    cls = el.get("class")
    if cls:
        first = cls.split()
        if first:
            return f"{tag}.{first[0]}"
    return tag


def element_tokens(el: etree._Element) -> frozenset[str]:
    """Lowercased id and class tokens of one element."""
    ident, cls = el.get("id"), el.get("class")
    if not ident and not cls:
        return _NO_TOKENS
    return frozenset(f"{ident or ''} {cls or ''}".lower().split())


# The slots of Block that DomBlock's properties fill on first use, read and
# written through their descriptors (DomBlock's properties hide them); None in
# a slot means "not worked out yet". Taken from the class __dict__: mypy reads
# Block.tag_path as the field's type, not the slot's descriptor.
_TAG_PATH_SLOT: MemberDescriptorType = Block.__dict__["tag_path"]
_TOKENS_SLOT: MemberDescriptorType = Block.__dict__["tokens"]


class DomBlock(Block):
    """A block of an HTML page. Its tag path ("html>body>div#main>p") and
    the id/class tokens of its element and ancestors are worked out from its
    chain of block-level elements when first read: only --explain and
    library callers read them, and building them for every element was a
    good part of the cost of turning a page into blocks."""

    __slots__ = ("chain",)

    def __init__(self, index: int, text: str, gap_before: bool, tag: str, link_density: float,
                 heading: int, chain: tuple[etree._Element, ...]) -> None:
        # None: not worked out yet (the properties' setters store it as is)
        Block.__init__(self, index, text, 0, 0, gap_before, tag, None, None,  # type: ignore[arg-type]
                       link_density, heading, chain[-1])
        self.chain = chain

    @property
    def tag_path(self) -> str:
        path: str | None = _TAG_PATH_SLOT.__get__(self)
        if path is None:
            # the chain holds elements only (build_blocks skips comments), whose tag is a str
            path = ">".join(_label(el, cast(str, el.tag)) for el in self.chain)
            _TAG_PATH_SLOT.__set__(self, path)
        return path

    @tag_path.setter
    def tag_path(self, value: str) -> None:
        _TAG_PATH_SLOT.__set__(self, value)

    @property
    def tokens(self) -> frozenset[str]:
        tokens: frozenset[str] | None = _TOKENS_SLOT.__get__(self)
        if tokens is None:
            tokens = _NO_TOKENS.union(*(element_tokens(el) for el in self.chain))
            _TOKENS_SLOT.__set__(self, tokens)
        return tokens

    @tokens.setter
    def tokens(self, value: frozenset[str]) -> None:
        _TOKENS_SLOT.__set__(self, value)


class _Builder:
    __slots__ = ("blocks", "chains", "tags", "link_chars", "parts", "links", "stack",
                 "in_row", "in_pre", "list_stack", "prev_parent", "row_table", "shared", "low")

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.chains: list[tuple[etree._Element, ...]] = []
        self.tags: list[tuple[str, ...]] = []
        self.link_chars: list[int] = []
        self.shared: list[int] = []
        # the fewest frames on the stack since the last block: the new
        # block's chain shares that many with the last block's chain
        # (document order never comes back into an element it has left)
        self.low = 0
        self.parts: list[str] = []
        self.links = 0
        # frames of block-level ancestors: (element, tag, chain of elements
        # from the root, their tags)
        self.stack: list[tuple[etree._Element, str, tuple[etree._Element, ...], tuple[str, ...]]] = []
        self.in_row = 0
        self.in_pre = 0
        # per open list: [ordered, counter, the item last given a bullet]
        self.list_stack: list[list[Any]] = []
        self.prev_parent: etree._Element | None = None
        self.row_table: etree._Element | None = None

    def flush(self) -> None:
        if not self.parts:
            return
        raw = "".join(self.parts)
        self.parts.clear()
        links, self.links = self.links, 0
        if not raw or raw.isspace():
            return
        if self.in_row:
            cells = (" ".join(cell.split()) for cell in raw.replace(_BR, " ").split(_CELL))
            text = " | ".join(cell for cell in cells if cell)
        elif self.in_pre:
            text = raw.replace(_BR, "\n").strip("\n").rstrip()
        elif _BR in raw:
            lines = (" ".join(line.split()) for line in raw.split(_BR))
            text = "\n".join(line for line in lines if line)
        else:
            text = " ".join(raw.split())
        if not text.isascii():  # what follows concerns non-ASCII characters only
            if any(c in text for c in _INVISIBLE_CHARS):  # a few C scans, faster than the regex's
                text = _INVISIBLE.sub("", text)
            text = unicodedata.normalize("NFC", text)
        if not text or text == "|":
            return
        el, tag, chain, tags = self.stack[-1]
        if tag == "li" and self.list_stack:
            marker = self.list_stack[-1]
            if marker[2] is not el:  # first text of this item gets the bullet
                marker[2] = el
                if marker[0]:
                    marker[1] += 1
                    text = f"{marker[1]}. {text}"
                else:
                    text = f"- {text}"
        # rows of one table, items of one list: one line each, no blank line between
        parent = self.row_table if tag == "tr" else self.stack[-2][0] if len(self.stack) > 1 else None
        gap = not (tag in ("li", "tr", "dd", "dt") and parent is self.prev_parent)
        self.prev_parent = parent
        chars = len(text)
        self.blocks.append(DomBlock(
            len(self.blocks), text, gap, tag, min(1.0, links / chars) if chars else 0.0,
            HEADINGS.get(tag, 0), chain,
        ))
        self.chains.append(chain)
        self.tags.append(tags)
        self.shared.append(self.low)
        self.low = len(self.stack)
        self.link_chars.append(links)


# the elements of these attributes (found from the attributes: a third
# faster than testing every element for them)
_HIDDEN_CANDIDATES = etree.XPath("//@hidden/.. | //@style[contains(., 'none') or contains(., 'hidden')]/..")


def _remove_invisible(root: etree._Element) -> None:
    """Remove what is never shown — ``script``, ``style``, ``hidden`` and
    ``display:none`` elements... — keeping the text that follows each."""
    etree.strip_elements(root, *SKIP_TAGS, with_tail=False)
    for el in _HIDDEN_CANDIDATES(root):
        if el.get("hidden") is None and not _HIDDEN_STYLE.search(el.get("style") or ""):
            continue
        parent = el.getparent()
        if parent is None:
            continue
        tail = el.tail
        if tail:
            previous = el.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)


def build_blocks(root: etree._Element) -> DomBlocks:
    """Cut the tree into blocks (see the module docstring).  Invisible elements
    (``script``, ``style``, ``hidden``, ``display:none``...) are removed from
    the tree first."""
    _remove_invisible(root)
    b = _Builder()
    parts = b.parts  # flush empties it in place: one list for the whole walk
    append = parts.append
    block_tags = BLOCK_TAGS
    stack = b.stack
    # the walk's own state in locals (read at every element); flush reads
    # in_row from the builder, so it is written there too
    in_row = in_link = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if not isinstance(tag, str):  # a comment or processing instruction
                continue
            if in_row:
                # inside a data-table row: cells join into one line
                if tag == "td" or tag == "th":
                    append(_CELL)
                elif tag == "br":
                    append(" ")
                elif tag == "a":
                    in_link += 1
            elif tag in block_tags:
                if parts:
                    if len(parts) == 1 and parts[0].isspace():
                        # what flush does with it, without the call (most often
                        # the source's line break and indent between two tags)
                        parts.clear()
                        b.links = 0
                    else:
                        b.flush()
                if stack:
                    top = stack[-1]
                    stack.append((el, tag, top[2] + (el,), top[3] + (tag,)))
                else:
                    stack.append((el, tag, (el,), (tag,)))
                if tag == "tr":
                    table = el.getparent()
                    while table is not None and table.tag != "table":
                        table = table.getparent()
                    if table is None or not _LAYOUT_TABLE(table):
                        in_row = b.in_row = 1
                        b.row_table = table
                elif tag == "ul" or tag == "ol":
                    b.list_stack.append([tag == "ol", 0, None])
                elif tag == "pre":
                    b.in_pre += 1
            elif tag == "br":
                append(_BR)
            elif tag == "a":
                in_link += 1
            text = el.text
            if text:
                append(text)
                if in_link:
                    b.links += len(text)
            continue
        # end
        if isinstance(tag, str):
            if in_row:
                if tag == "a":
                    in_link -= 1
                elif tag == "tr":
                    b.flush()
                    in_row = b.in_row = 0
                    stack.pop()
                    if len(stack) < b.low:
                        b.low = len(stack)
            elif tag in block_tags:
                if parts:
                    if len(parts) == 1 and parts[0].isspace():
                        parts.clear()  # as above
                        b.links = 0
                    else:
                        b.flush()
                if stack and stack[-1][0] is el:
                    stack.pop()
                    if len(stack) < b.low:
                        b.low = len(stack)
                if (tag == "ul" or tag == "ol") and b.list_stack:
                    b.list_stack.pop()
                elif tag == "pre":
                    b.in_pre -= 1
            elif tag == "a":
                in_link -= 1
        tail = el.tail
        if tail:
            append(tail)
            if in_link:
                b.links += len(tail)
    b.flush()
    return DomBlocks(b.blocks, b.chains, b.link_chars, b.shared, b.tags)
