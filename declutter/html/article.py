"""Decide which blocks of an HTML page are the article.

Two steps, each leaving a reason id on the blocks it drops:

1. Choose the article's container: every element scores the blocks below it —
   prose (long, or sentence-like, non-link text) counts for it, link text and
   short non-prose lines count against it — and the best-scoring element wins
   (semantic hints such as ``<article>``, ``<main>``, ``itemprop=articleBody``
   or article-ish class names weigh in).  Blocks outside it are dropped as
   ``html.outside-main``.
2. Prune inside the container: blocks under an element whose id/class names
   boilerplate (comments, share, related, sidebar, ...) or whose tag is
   ``nav``/``aside``/``footer`` go as ``html.boilerplate-class`` /
   ``html.boilerplate-tag`` (not inside a quotation, and not the element that
   holds most of the container's prose); link lists as ``html.link-density``;
   elements a CSS class hides as ``html.hidden``; caption and photo-credit
   elements as ``html.caption`` (``<figcaption>`` stays unless
   ``drop_figcaption``); markup the parser kept as text as
   ``html.markup-text``.

Thresholds and token lists come from ``[signals.html_*]`` (rules/html.toml).
"""
from __future__ import annotations

import re
from typing import Sequence

from lxml import etree

from .dom import DomBlocks
from .settings import HtmlSettings

__all__ = ["choose_container", "prune", "OUTSIDE", "BOILERPLATE_CLASS", "BOILERPLATE_TAG", "LINK_DENSITY"]

OUTSIDE = "html.outside-main"
BOILERPLATE_CLASS = "html.boilerplate-class"
BOILERPLATE_TAG = "html.boilerplate-tag"
LINK_DENSITY = "html.link-density"
CAPTION = "html.caption"
MARKUP_TEXT = "html.markup-text"
HIDDEN = "html.hidden"
_MARKUP = re.compile(r"^<[a-zA-Z!/][^>]*>")

_SENTENCE_END = re.compile(r"[.!?…。！？;:»\"”'’)\]]\s*$")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_BOILERPLATE_TAGS = frozenset(("nav", "aside", "footer"))
_HINT_TAGS = frozenset(("article", "main"))


def _class_string(el: etree._Element, s: HtmlSettings) -> str:
    """The element's id and class, camelCase split, lowercased, CMS taxonomy
    classes ("tag-...", "category-...") left out."""
    ident, cls = el.get("id"), el.get("class")
    if not ident and not cls:
        return ""
    text = _CAMEL.sub(r"\1-\2", f"{ident or ''} {cls or ''}").lower()
    if s.ignore_classes is not None:
        text = s.ignore_classes.sub("", text)
    return text


def block_values(dom: DomBlocks, s: HtmlSettings, ruled: Sequence[bool] | None = None) -> list[float]:
    """How much each block argues for a container that holds it (a block a
    rule drops argues for nothing)."""
    values = []
    for i, (block, links) in enumerate(zip(dom.blocks, dom.link_chars)):
        n = len(block.text)
        plain = n - links
        prose = plain >= s.prose_chars or (
            plain >= s.sentence_chars and _SENTENCE_END.search(block.text) is not None)
        if block.text[0] == "<" and _MARKUP.match(block.text):
            v = 0.0
        elif block.tag == "tr" and " | " in block.text:
            v = s.table_weight * plain
        elif prose and not block.heading:
            v = float(plain)
        else:
            v = -s.short_penalty * plain
        v -= s.link_penalty * links
        values.append(min(v, 0.0) if ruled is not None and ruled[i] else v)
    return values


def _is_hint(el: etree._Element, s: HtmlSettings) -> bool:
    if el.tag in _HINT_TAGS:
        return True
    prop = el.get("itemprop")
    if prop and "articlebody" in prop.lower():
        return True
    if s.content is not None:
        cls = _class_string(el, s)
        if cls and s.content.search(cls):
            return True
    return False


def choose_container(dom: DomBlocks, s: HtmlSettings, values: list[float]) -> etree._Element | None:
    """The element whose blocks score best (see the module docstring).

    An element that names boilerplate (by tag or class) is no candidate, and
    the prose below it does not argue for its ancestors, unless it holds most
    of the page's prose (then the class names are lying)."""
    prose = _prose_totals(dom, values)
    page_prose = max(prose.values(), default=0.0)
    verdict_of = _Verdicts(prose, s.max_prose_share * page_prose, s)
    totals: dict[etree._Element, float] = {}
    for chain, v in zip(dom.chains, values):
        stop = len(chain)
        for i, el in enumerate(chain):
            if verdict_of(el):
                stop = i
                break
        if stop < len(chain) and v > 0:
            v = 0.0
        # a block argues fully for its element and the next `full_levels`
        # ancestors, then less and less for each level further up
        n = len(chain)
        for i, el in enumerate(chain[:stop]):
            up = n - 1 - i
            w = v if up <= s.full_levels else v * s.depth_decay ** (up - s.full_levels)
            totals[el] = totals.get(el, 0.0) + w
    best, best_score = None, 0.0
    for el, total in totals.items():
        score = total * s.hint_bonus if total > 0 and _is_hint(el, s) else total
        if score > best_score:
            best, best_score = el, score
    return best


def prune(dom: DomBlocks, container: etree._Element | None, s: HtmlSettings,
          values: list[float]) -> list[str | None]:
    """A reason id for every block that goes, None for the blocks that stay."""
    prose = _prose_totals(dom, values)
    verdict_of = _Verdicts(prose, s.max_prose_share * prose.get(container, 0.0)
                           if container is not None else float("inf"), s)
    reasons: list[str | None] = []
    cap_cache: dict[etree._Element, bool] = {}
    hidden_cache: dict[etree._Element, bool] = {}
    for block, chain in zip(dom.blocks, dom.chains):
        if container is not None:
            try:
                start = chain.index(container) + 1
            except ValueError:
                reasons.append(OUTSIDE)
                continue
        else:
            start = 0
        reason = None
        # a quotation (an embedded post, a pull quote) is the article's, even
        # inside an element named "social" or "share"
        below = chain[start:]
        quoted = any(el.tag == "blockquote" for el in below)
        for el in below if not quoted else ():
            verdict = verdict_of(el)
            if verdict:
                reason = verdict
                break
        if reason is None and _hidden(below, s, hidden_cache):
            reason = HIDDEN
        if reason is None and block.link_density > s.max_link_density and len(block.text) >= s.link_min_chars:
            reason = LINK_DENSITY
        if reason is None:
            reason = _caption(block.tag, chain[start:], s, cap_cache)
        if reason is None and block.text[0] == "<" and _MARKUP.match(block.text):
            reason = MARKUP_TEXT  # markup the parser kept as text (inside <noscript> and the like)
        reasons.append(reason)
    return reasons


class _Verdicts:
    """An element's boilerplate verdict (a signal id, or None), memoised. An
    element holding more prose than `limit` is the article's own wrapper and
    never boilerplate, whatever its classes say."""

    def __init__(self, prose: dict[etree._Element, float], limit: float, s: HtmlSettings) -> None:
        self.prose, self.limit, self.s = prose, limit, s
        self.cache: dict[etree._Element, str | None] = {}

    def __call__(self, el: etree._Element) -> str | None:
        try:
            return self.cache[el]
        except KeyError:
            verdict = None if self.prose.get(el, 0.0) > self.limit else _boilerplate(el, self.s)
            self.cache[el] = verdict
            return verdict


def _prose_totals(dom: DomBlocks, values: list[float]) -> dict[etree._Element, float]:
    totals: dict[etree._Element, float] = {}
    for chain, v in zip(dom.chains, values):
        if v > 0:
            for el in chain:
                totals[el] = totals.get(el, 0.0) + v
    return totals


def _hidden(chain: Sequence[etree._Element], s: HtmlSettings, cache: dict[etree._Element, bool]) -> bool:
    """Inside an element whose class hides it (``d-none``, ``sr-only``...)."""
    for el in chain:
        hit = cache.get(el)
        if hit is None:
            cls = el.get("class")
            hit = cache[el] = bool(cls and not s.hidden_classes.isdisjoint(cls.lower().split()))
        if hit:
            return True
    return False


def _caption(tag: str, chain: Sequence[etree._Element], s: HtmlSettings,
             cache: dict[etree._Element, bool]) -> str | None:
    """Captions and photo credits: by class name (outside <figcaption>), or a
    <figcaption> when the settings drop those too."""
    if any(el.tag == "figcaption" for el in chain):
        return CAPTION if s.drop_figcaption else None
    if s.caption is None:
        return None
    for el in chain:
        hit = cache.get(el)
        if hit is None:
            cls = _class_string(el, s)
            hit = cache[el] = bool(cls and s.caption.search(cls))
        if hit:
            return CAPTION
    return None


def _boilerplate(el: etree._Element, s: HtmlSettings) -> str | None:
    if el.tag in ("html", "body"):
        return None
    if el.tag in _BOILERPLATE_TAGS:
        return BOILERPLATE_TAG
    if s.boilerplate is None:
        return None
    cls = _class_string(el, s)
    if cls and s.boilerplate.search(cls):
        if s.boilerplate_except is not None and s.boilerplate_except.search(cls):
            return None
        return BOILERPLATE_CLASS
    return None


def decide(dom: DomBlocks, s: HtmlSettings, ruled: Sequence[bool] | None = None,
           ) -> tuple[etree._Element | None, list[str | None], list[float]]:
    """The container, a reason id per block (None: keep) and the block values."""
    values = block_values(dom, s, ruled)
    container = choose_container(dom, s, values)
    return container, prune(dom, container, s, values), values


def keep_text(dom: DomBlocks, reasons: Sequence[str | None]) -> str:
    parts = []
    for block, reason in zip(dom.blocks, reasons):
        if reason is None:
            if parts:
                parts.append("\n\n" if block.gap_before else "\n")
            parts.append(block.text)
    return "".join(parts)
