"""The HTML path's safety net: a page that comes out (almost) empty while it
shows plenty of prose gets a warning; never an empty article in silence.

Container choice can miss an article: a wrapper whose class names read as
boilerplate ("enable-pin-share", "steady-paywall-container"), or an article
that only a ``<noscript>`` holds (its text is never a block). When the kept
text has fewer than ``[signals.html_missed] max_kept_words`` words while the
page's prose-like blocks hold more than ``min_prose_words``, the warning names
both counts; ``metadata["warnings"]`` carries it (the CLI prints it on stderr).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..blocks import Block
from ..result import CleanResult

__all__ = ["missed_article"]

_NOSCRIPT = re.compile(r"<noscript\b", re.IGNORECASE)
# A word: a run of characters between spaces, or one Chinese or Japanese
# character (those scripts put no spaces between words).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+")


def words(text: str) -> int:
    """How many words a text has (see _WORD)."""
    return len(_WORD.findall(text))


def has_words(text: str, least: int) -> bool:
    """Whether a text has at least `least` words (as `words` counts them),
    counted only as far as the answer needs: the thresholds are a few words,
    the texts a whole article."""
    if least <= 0:
        return True
    return any(count >= least for count, _ in enumerate(_WORD.finditer(text), 1))


def missed_article(result: CleanResult, page: object, signals: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The warning for a result that kept almost nothing of a page full of
    prose, or None. ``page`` is what was cleaned (its <noscript> elements are
    read only when the blocks alone do not hold enough prose)."""
    settings = signals["html_missed"]
    if has_words(result.text, settings["max_kept_words"]):
        return None
    kept = words(result.text)
    block_words, max_density = settings["block_words"], settings["max_link_density"]
    # the title counts as shown text: a browser shows it, and text dumps of a
    # page (the measure the promise is stated in) start with it
    shown = _prose_words(result.blocks, block_words, max_density) + words(result.title or "")
    hidden = 0
    if shown <= settings["min_prose_words"]:
        hidden = _prose_words(_noscript_blocks(page), block_words, max_density)
    if shown + hidden <= settings["min_prose_words"]:
        return None
    prose = f"text ({hidden:,} of them inside <noscript>)" if hidden else "visible text"
    return f"kept {kept:,} words of a page with {shown + hidden:,} words of {prose}; the article may have been missed"


def _prose_words(blocks: Iterable[Block], block_words: int, max_density: float) -> int:
    """Words of the blocks that count as prose: long enough, links at most
    `max_density` of their text."""
    total = 0
    for block in blocks:
        count = words(block.text)
        if count >= block_words and block.link_density <= max_density:
            total += count
    return total


def _noscript_blocks(page: object) -> list[Block]:
    """The blocks of the page's <noscript> elements (which the HTML path
    removes as invisible), each read as a page of its own."""
    from .decode import sanitize, to_markup
    from .dom import build_blocks, parse

    try:
        markup, _ = to_markup(page)
    except TypeError:
        return []
    if not _NOSCRIPT.search(markup):
        return []
    root = parse(sanitize(markup)).root
    if root is None:
        return []
    blocks: list[Block] = []
    for element in list(root.iter("noscript")):
        parent = element.getparent()
        if parent is None or any(a.tag == "noscript" for a in element.iterancestors()):
            continue  # nested in another <noscript>: read with it
        parent.remove(element)
        element.tag, element.tail = "div", None  # so that it is not removed as invisible
        blocks.extend(build_blocks(element).blocks)
    return blocks
