"""Decide which blocks of an HTML page are the article.

Two steps, each leaving a reason id on the blocks it drops:

1. Choose the article's container: every element scores the blocks below it —
   prose (long, or sentence-like, non-link text) counts for it, link text and
   short non-prose lines count against it — and the best-scoring element wins
   (semantic hints such as ``<article>``, ``<main>``, ``itemprop=articleBody``
   or article-ish class names weigh in).  Siblings that argue for the article,
   further parts marked like it, and earlier elements of its own tag and class
   (a body split by a figure) join it.  Blocks outside are dropped as
   ``html.outside-main``.
2. Prune inside the container: blocks under an element whose id/class names
   boilerplate (comments, share, related, sidebar, ...) or whose tag is
   ``nav``/``aside``/``footer`` go as ``html.boilerplate-class`` /
   ``html.boilerplate-tag`` (not inside a quotation, and not the element that
   holds most of the container's prose); link lists as ``html.link-density`` (a
   one-line sentence of ``sentence_words`` words or more stays);
   lists of link cards as ``html.link-cards``; lists of posts (siblings with
   serial ids: unnamed reader comments) as ``html.post-list``;
   elements a CSS class hides as ``html.hidden``; caption and photo-credit
   elements as ``html.caption`` (``<figcaption>`` stays unless
   ``drop_figcaption``); markup the parser kept as text as
   ``html.markup-text``.

Thresholds and token lists come from ``[signals.html_*]`` (rules/html.toml).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from itertools import pairwise

from lxml import etree

from ..blocks import Block
from ..normalise import title_key
from ..reasons import (
    HTML_CAPTION,
    HTML_CLASS,
    HTML_HIDDEN,
    HTML_LINK_CARDS,
    HTML_LINK_DENSITY,
    HTML_MARKUP_TEXT,
    HTML_OUTSIDE,
    HTML_POSTS,
    HTML_TAG,
)
from .dom import DomBlocks
from .missed import words
from .settings import HtmlSettings

__all__ = ["BOILERPLATE_CLASS", "BOILERPLATE_TAG", "LINK_DENSITY", "OUTSIDE", "choose_container", "prune"]

OUTSIDE, BOILERPLATE_CLASS, BOILERPLATE_TAG = HTML_OUTSIDE, HTML_CLASS, HTML_TAG
LINK_DENSITY, CAPTION, MARKUP_TEXT, HIDDEN = HTML_LINK_DENSITY, HTML_CAPTION, HTML_MARKUP_TEXT, HTML_HIDDEN
LINK_CARDS, POSTS = HTML_LINK_CARDS, HTML_POSTS
_MARKUP = re.compile(r"^<[a-zA-Z!/][^>]*>")

_SENTENCE_END = re.compile(r"[.!?…。！？;:»\"”'’)\]]\s*$")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_BOILERPLATE_TAGS = frozenset(("nav", "aside", "footer"))
_HINT_TAGS = frozenset(("article", "main"))


# an element's boilerplate verdict: a signal id, or None (_Verdicts, _TalkVerdicts)
_VerdictOf = Callable[[etree._Element], str | None]
_FOLDED_MAX = 100_000  # entries of HtmlSettings.folded before it starts again


def _class_string(el: etree._Element, s: HtmlSettings) -> str:
    """The element's id and class, camelCase split, lowercased, CMS taxonomy
    classes ("tag-...", "category-...") left out. Folded once per distinct
    pair: several passes ask about each element, and pages repeat classes."""
    ident, cls = el.get("id"), el.get("class")
    if not ident and not cls:
        return ""
    key = (ident, cls)
    text = s.folded.get(key)
    if text is None:
        if len(s.folded) >= _FOLDED_MAX:
            s.folded.clear()
        text = s.folded[key] = _fold_classes(ident, cls, s)
    return text


def _found(s: HtmlSettings, name: str, text: str) -> bool:
    """Whether the settings' pattern `name` (not None) finds anything in
    `text`, a class string: remembered per string, as pages repeat classes
    and several passes ask about each element."""
    memo = s.found[name]
    hit = memo.get(text)
    if hit is None:
        if len(memo) >= _FOLDED_MAX:
            memo.clear()
        pattern: re.Pattern[str] = getattr(s, name)
        hit = memo[text] = pattern.search(text) is not None
    return hit


def _fold_classes(ident: str | None, cls: str | None, s: HtmlSettings) -> str:
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
        if cls and _found(s, "content", cls):
            return True
    return False


def choose_container(dom: DomBlocks, s: HtmlSettings, values: list[float],
                     prose: dict[etree._Element, float] | None = None) -> etree._Element | None:
    """The element whose blocks score best (see the module docstring).

    An element that names boilerplate (by tag or class) is no candidate, and
    the prose below it does not argue for its ancestors, unless it holds most
    of the page's prose (then the class names are lying). `prose`: the
    values' prose totals, when the caller has them."""
    if prose is None:
        prose = _prose_totals(dom, values)
    page_prose = max(prose.values(), default=0.0)
    best = _best_scored(dom, s, values, _Verdicts(prose, s.max_prose_share * page_prose, s))
    if best is None:
        # every element with prose is vetoed by its classes: the class names
        # are wrong about this page (a blog engine's "widget" around its
        # posts), so no class vetoes here
        best = _best_scored(dom, s, values, _no_verdict)
    # with every scored element vetoed by its classes, the page's prose is the measure
    scale = prose.get(best, 0.0) if best is not None else page_prose
    marked = _first_marked(dom, s, prose, s.marker_min_share * scale)
    return marked if marked is not None else best


def _no_verdict(el: etree._Element) -> str | None:
    return None


def _best_scored(dom: DomBlocks, s: HtmlSettings, values: list[float],
                 verdict_of: Callable[[etree._Element], str | None]) -> etree._Element | None:
    totals: dict[etree._Element, float] = {}
    get = totals.get
    weights = _Weights(s)
    for chain, stop, v in zip(dom.chains, _first_hits(dom, verdict_of), values):
        if stop < len(chain) and v > 0:
            v = 0.0
        if not v:
            # adds nothing (x + ±0.0 is x: a sum from 0.0 is never -0.0); an
            # element left out has 0.0 and is never chosen, and those in
            # come in the same order (ancestors first, else document order)
            continue
        # a block argues fully for its element and the next `full_levels`
        # ancestors, then less and less for each level further up
        for el, w in zip(chain[:stop], weights.of(len(chain))):
            totals[el] = get(el, 0.0) + v * w
    best, best_score = None, 0.0
    for el, total in totals.items():
        score = total * s.hint_bonus if total > 0 and _is_hint(el, s) else total
        if score > best_score:
            best, best_score = el, score
    return best


def _first_hits(dom: DomBlocks, hit: Callable[[etree._Element], object]) -> list[int]:
    """Per block, the index of the first element of its chain that `hit` is
    true of (the chain's length if none). A chain shares its first
    `dom.shared` elements with the chain before it, so `hit` is asked only
    about the elements below those."""
    stops = []
    stop = 0
    for chain, k in zip(dom.chains, dom.shared):
        if stop >= k:  # not within the shared part: look below it
            stop = len(chain)
            for i in range(k, stop):
                if hit(chain[i]):
                    stop = i
                    break
        stops.append(stop)
    return stops


class _Weights:
    """Per chain length, the factor of each level of the chain (outermost
    first): 1.0 where a block argues fully (its element and the next
    `full_levels` ancestors), `depth_decay` ** levels beyond that above.
    Computed once per length (v * 1.0 is exactly v)."""

    def __init__(self, s: HtmlSettings) -> None:
        self.s = s
        self.cache: dict[int, list[float]] = {}

    def of(self, n: int) -> list[float]:
        w = self.cache.get(n)
        if w is None:
            full, decay = self.s.full_levels, self.s.depth_decay
            w = self.cache[n] = [1.0 if up <= full else decay ** (up - full)
                                 for up in (n - 1 - i for i in range(n))]
        return w


def _first_marked(dom: DomBlocks, s: HtmlSettings, prose: dict[etree._Element, float],
                  least: float) -> etree._Element | None:
    """The first element, in document order, that the markup itself names as
    the article body (itemprop=articleBody, a body class such as
    "entry-content") and that holds at least `least` prose. Page authors
    say where the article is more reliably than scores guess; the container
    is then pruned inside, so a generous marked element costs little."""
    markers: dict[etree._Element, bool] = {}  # in document order: is it a marker?
    nested: dict[etree._Element, int] = {}
    marks: list[bool] = []  # is each element of the chain before a marker
    for chain, tags, k in zip(dom.chains, dom.tags, dom.shared):
        del marks[k:]  # only the elements below the shared part are new
        for el, tag in zip(chain[k:], tags[k:]):
            mark = markers[el] = _is_marker(el, s, tag)
            if mark:
                for up, up_mark in zip(chain, marks):
                    if up_mark:
                        nested[up] = nested.get(up, 0) + 1
            marks.append(mark)
    # an element holding several marked elements is a listing of posts
    candidates = [el for el, mark in markers.items()
                  if mark and nested.get(el, 0) < 2 and _boilerplate(el, s) is None]
    # the first that is not tiny beside the page's prose nor beside the
    # largest marked element (a teaser marked like the article, above it)
    largest = max((prose.get(el, 0.0) for el in candidates), default=0.0)
    least = max(least, s.marker_min_share_of_largest * largest)
    for el in candidates:
        if prose.get(el, 0.0) >= least > 0:
            return el
    return None


def _is_marker(el: etree._Element, s: HtmlSettings, tag: str | None = None) -> bool:
    """Whether the markup names `el` as the article body (`tag`: its tag, when known)."""
    if (el.tag if tag is None else tag) in s.marker_tags:
        return True
    cls = el.get("class")
    if cls is not None and s.body_classes is not None and _found(s, "body_classes", cls):
        return True
    prop = el.get("itemprop")
    if prop is not None and "articlebody" in prop.lower():
        return True
    return "main" in s.marker_tags and el.get("role") == "main"


def prune(dom: DomBlocks, containers: Collection[etree._Element], s: HtmlSettings,
          values: list[float], prose: dict[etree._Element, float] | None = None) -> list[str | None]:
    """A reason id for every block that goes, None for the blocks that stay
    (`prose`: the values' prose totals, when the caller has them)."""
    if prose is None:
        prose = _prose_totals(dom, values)
    verdict_of: _VerdictOf = _Verdicts(prose, s.max_prose_share * sum(prose.get(c, 0.0) for c in containers)
                           if containers else float("inf"), s)
    starts = _starts(dom, containers)
    cards = _card_lists(dom, starts, s)
    _post_lists(dom, containers, starts, s, values, cards)
    reasons = _prune(dom, starts, cards, s, verdict_of)
    # pruning with backup: class and tag verdicts that would together take
    # nearly all of the article's prose are wrong about this page; none apply
    # but those on reader comments, which are never the article, however
    # much of the page they fill (so they count on neither side)
    total = sum(v for v, r in zip(values, reasons) if v > 0 and r != OUTSIDE)
    lost = sum(v for v, r in zip(values, reasons) if v > 0 and r in (BOILERPLATE_CLASS, BOILERPLATE_TAG))
    if total > 0 and lost > s.prune_backup_share * total:
        talk = _TalkVerdicts(s)
        said = [v > 0 and r != OUTSIDE and not any(talk(el) for el in chain[start:])
                for v, r, chain, start in zip(values, reasons, dom.chains, starts)]
        total = sum(v for v, keep in zip(values, said) if keep)
        lost = sum(v for v, r, keep in zip(values, reasons, said)
                   if keep and r in (BOILERPLATE_CLASS, BOILERPLATE_TAG))
        if total <= 0 or lost > s.prune_backup_share * total:
            verdict_of = talk
            reasons = _prune(dom, starts, cards, s, verdict_of)
    # a gallery tells its story in captions: when they hold most of the
    # article's prose, they are the article
    captions = sum(v for v, r in zip(values, reasons) if v > 0 and r == CAPTION)
    if total > 0 and captions > s.caption_backup_share * total:
        reasons = _prune(dom, starts, cards, s, verdict_of, captions=False)
    # and the last backup (trafilatura's): pruning that leaves almost nothing
    # of a container with plenty of text (a link roundup, a gallery told in
    # captions) was wrong about it; the container stays unpruned
    if _too_few_words(dom, reasons, s):
        reasons = [r if r in (OUTSIDE, MARKUP_TEXT) else None for r in reasons]
    return reasons


def _too_few_words(dom: DomBlocks, reasons: list[str | None], s: HtmlSettings) -> bool:
    """Fewer than `backup_max_words` kept of at least `backup_min_words`
    inside the container (counted only as far as the answer needs, as the
    safety net counts words: CJK characters one each)."""
    kept = 0
    if s.backup_max_words <= 0:
        return False
    for block, reason in zip(dom.blocks, reasons):
        if reason is None:
            kept += words(block.text)
            if kept >= s.backup_max_words:
                return False
    inside = 0
    for block, reason in zip(dom.blocks, reasons):
        if reason != OUTSIDE:
            inside += words(block.text)
            if inside >= s.backup_min_words:
                return True
    return False


def _prune(dom: DomBlocks, starts: list[int | None], cards: list[str | None], s: HtmlSettings,
           verdict_of: Callable[[etree._Element], str | None], captions: bool = True) -> list[str | None]:
    reasons: list[str | None] = []
    cap_cache: dict[etree._Element, bool] = {}
    hidden_cache: dict[etree._Element, bool] = {}
    for i, (block, chain, tags, start) in enumerate(zip(dom.blocks, dom.chains, dom.tags, starts)):
        if start is None:
            reasons.append(OUTSIDE)
            continue
        if cards[i]:
            reasons.append(cards[i])
            continue
        reason = None
        # a quotation (an embedded post, a pull quote) is the article's, even
        # inside an element named "social" or "share"
        below = chain[start:]
        below_tags = tags[start:]
        quoted = "blockquote" in below_tags
        for el in below if not quoted else ():
            verdict = verdict_of(el)
            if verdict:
                reason = verdict
                break
        if reason is None and _hidden(below, s, hidden_cache):
            reason = HIDDEN
        if reason is None and _link_dense(block, s):
            reason = LINK_DENSITY
        if reason is None:
            reason = _caption(block, below, below_tags, s, cap_cache) if captions else None
        if (reason is None and block.text[0] == "<" and block.tag != "pre" and _MARKUP.match(block.text)
                and "pre" not in below_tags and "code" not in below_tags):
            # markup the parser kept as text (inside <noscript> and the like);
            # in <pre> or <code> it is a code sample the article shows
            reason = MARKUP_TEXT
        reasons.append(reason)
    return reasons


_FULL_STOP = re.compile(r"[.!?…。！？][\"”’)\]]?\s*$")


def _link_dense(block: Block, s: HtmlSettings) -> bool:
    """Mostly link text, so navigation — unless it reads as a sentence of
    the article: one line of at least `link_sentence_words` words, ending
    with a full stop, not a heading or list item (a long sentence that is
    mostly one link; a menu or a teaser headline is neither long nor
    punctuated, and lines of links under <br> are several lines)."""
    if block.link_density <= s.max_link_density or len(block.text) < s.link_min_chars:
        return False
    sentence = (s.link_sentence_words > 0 and not block.heading and block.tag != "li"
                and "\n" not in block.text and _FULL_STOP.search(block.text) is not None
                and len(block.text.split()) >= s.link_sentence_words)
    return not sentence


def _starts(dom: DomBlocks, containers: Collection[etree._Element]) -> list[int | None]:
    """Per block, where its chain enters the article (the index just below
    its container), or None for a block outside it; with no container, 0."""
    if not containers:
        return [0] * len(dom.chains)
    return [stop + 1 if stop < len(chain) else None
            for chain, stop in zip(dom.chains, _first_hits(dom, containers.__contains__))]


def _container_of(chain: Sequence[etree._Element], start: int | None) -> etree._Element | None:
    """The container a block's chain enters at `start` (None: the whole page)."""
    return chain[start - 1] if start else None


def _card_lists(dom: DomBlocks, starts: list[int | None], s: HtmlSettings) -> list[str | None]:
    """Blocks that belong to a list of link cards below the container —
    teasers of other pages ("Our latest stories": a linked headline and a
    short blurb each) — and the short heading just before such a list.

    A list is an element of at least `cards_min_blocks` blocks whose text is
    at least `cards_link_share` link text and none of whose blocks is a
    real paragraph (`cards_max_plain` non-link characters or more). Each
    block alone may be link-poor (the blurbs), so the per-block link test
    misses them; the list as a whole gives them away."""
    n = len(dom.blocks)
    marked: list[str | None] = [None] * n
    if s.cards_min_blocks <= 0:
        return marked
    stats: dict[etree._Element, list[int]] = {}  # element -> [chars, link chars, blocks, longest plain, first]
    container_chars: dict[etree._Element | None, int] = {}
    for i, (block, chain, links, start) in enumerate(zip(dom.blocks, dom.chains, dom.link_chars, starts)):
        if block.tag == "tr" or start is None:
            continue
        container = _container_of(chain, start)
        container_chars[container] = container_chars.get(container, 0) + len(block.text)
        plain = len(block.text) - links
        for el in chain[start:]:
            st = stats.get(el)
            if st is None:
                st = stats[el] = [0, 0, 0, 0, i]
            st[0] += len(block.text)
            st[1] += links
            st[2] += 1
            if plain > st[3]:
                st[3] = plain
    # a "list" holding most of its container's text is the container's own
    # content (a short post of linked product mentions), not teasers below it
    lists = {el for el, (chars, links, count, longest, first) in stats.items()
             if count >= s.cards_min_blocks and longest < s.cards_max_plain
             and links >= s.cards_link_share * chars
             and chars <= s.cards_max_share * container_chars[_container_of(dom.chains[first], starts[first])]}
    if not lists:
        return marked
    for i, (chain, stop) in enumerate(zip(dom.chains, _first_hits(dom, lists.__contains__))):
        if stop < len(chain):
            marked[i] = LINK_CARDS
    # the heading over a list goes with it: the block just before its first
    # block, when that is a heading or a short line without a sentence end
    for el in lists:
        first = stats[el][4]
        j = first - 1
        if j >= 0 and not marked[j] and marked[first]:
            prev = dom.blocks[j]
            # a title over the list is short; a long heading is the article's
            # own (a standfirst set as <h2>)
            if len(prev.text) < s.sentence_chars * 2 and (
                    prev.heading or _SENTENCE_END.search(prev.text) is None):
                parent = el.getparent()
                if parent is not None and parent in dom.chains[j]:
                    marked[j] = LINK_CARDS
    return marked


_NUMBERED_ID = re.compile(r"^(\D*?)[-_]?(\d{3,})$")


def _post_lists(dom: DomBlocks, containers: Collection[etree._Element], starts: list[int | None],
                s: HtmlSettings, values: list[float], marked: list[str | None]) -> None:
    """Mark (in `marked`) the blocks of a list of posts inside the container:
    at least `posts_min` sibling elements that say something and whose ids
    are one prefix and a growing serial number ("c169900", "comment-4471"),
    as reader comments and forum replies are, with the sibling lines between
    them (each post's "Posted by ... at ..." line). Runs whose numbered
    elements hold less than `posts_share` of the run's prose stay: the
    paragraphs between numbered image wrappers ("attachment_123") are an
    article's. (A forum thread, nothing but posts, comes back whole through
    pruning's last backup.)"""
    if s.posts_min <= 0 or not containers:
        return
    # elements holding a block that argues for the article: a post says something
    speaking = {el for chain, v in zip(dom.chains, values) if v > 0 for el in chain}
    runs: dict[etree._Element, list[int]] = {}  # parent -> child indexes of its numbered children
    for container in containers:
        for parent in container.iter():
            # an ordered list numbers its own items (footnotes, references)
            if parent.tag == "ol" or not isinstance(parent.tag, str) or len(parent) < s.posts_min:
                continue
            serials: dict[str, list[tuple[int, int]]] = {}
            for k, child in enumerate(parent):
                tag = child.tag
                if not isinstance(tag, str):  # a comment
                    continue
                ident = child.get("id")
                m = _NUMBERED_ID.match(ident) if ident else None
                if m and m.group(1) and child in speaking:
                    serials.setdefault(f"{tag} {m.group(1)}", []).append((k, int(m.group(2))))
            for numbered in serials.values():  # (child index, number)
                if len(numbered) >= s.posts_min and all(a[1] < b[1] for a, b in pairwise(numbered)):
                    runs[parent] = [k for k, _ in numbered]
                    break
    if not runs:
        return
    inside = [i for i, st in enumerate(starts) if st is not None]
    for parent, run in runs.items():
        posts = {parent[k] for k in run}
        members = set(parent[run[0]:run[-1] + 1])
        # the line just after the last post belongs to it, as each post's
        # line after it does
        if run[-1] + 1 < len(parent):
            members.add(parent[run[-1] + 1])
        hits = [i for i in inside if not marked[i] and not members.isdisjoint(dom.chains[i])]
        prose = sum(values[i] for i in hits if values[i] > 0)
        posted = sum(values[i] for i in hits if values[i] > 0 and not posts.isdisjoint(dom.chains[i]))
        if posted >= s.posts_share * prose:
            for i in hits:
                marked[i] = POSTS


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
            verdict = _boilerplate(el, self.s)
            if verdict is not None and self.prose.get(el, 0.0) > self.limit and not _talk(el, self.s):
                verdict = None
            self.cache[el] = verdict
            return verdict


class _TalkVerdicts:
    """The verdicts that stand when the rest are wrong about a page: on
    elements named as reader comments or replies (memoised)."""

    def __init__(self, s: HtmlSettings) -> None:
        self.s = s
        self.cache: dict[etree._Element, str | None] = {}

    def __call__(self, el: etree._Element) -> str | None:
        try:
            return self.cache[el]
        except KeyError:
            verdict = self.cache[el] = BOILERPLATE_CLASS if _talk(el, self.s) else None
            return verdict


def _talk(el: etree._Element, s: HtmlSettings) -> bool:
    """Named as reader comments or replies: such an element is never the
    article's own wrapper, however much of the page's prose it holds."""
    if s.talk is None:
        return False
    cls = _class_string(el, s)
    return bool(cls and _found(s, "talk", cls))


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


def _caption(block: Block, chain: Sequence[etree._Element], tags: Sequence[str], s: HtmlSettings,
             cache: dict[etree._Element, bool]) -> str | None:
    """Captions and photo credits: by class name (outside <figcaption>), or a
    <figcaption> when the settings drop those too. `chain`: the elements
    of the block's chain below the container; `tags`: their tags."""
    if "figcaption" in tags:
        return CAPTION if s.drop_figcaption else None
    # a caption is short: a long paragraph in a caption-named wrapper is the
    # article's (a theme that puts the lead beside its picture)
    if s.caption is None or len(block.text) > s.caption_max_chars:
        return None
    for el in chain:
        hit = cache.get(el)
        if hit is None:
            cls = _class_string(el, s)
            hit = cache[el] = bool(cls and _found(s, "caption", cls))
        if hit:
            return CAPTION
    return None


def _boilerplate(el: etree._Element, s: HtmlSettings) -> str | None:
    tag = el.tag
    if tag in ("html", "body"):
        return None
    if tag in _BOILERPLATE_TAGS:
        return BOILERPLATE_TAG
    if s.boilerplate is None:
        return None
    cls = _class_string(el, s)
    if cls and _found(s, "boilerplate", cls):
        if s.boilerplate_except is not None and _found(s, "boilerplate_except", cls):
            return None
        return BOILERPLATE_CLASS
    return None


def lay_out(dom: DomBlocks, s: HtmlSettings, values: list[float], title: str | None = None,
            ) -> tuple[etree._Element | None, list[str | None]]:
    """The container and a reason id per block (None: keep) from the block
    values: the container is chosen, widened and pruned."""
    prose = _prose_totals(dom, values)  # both steps weigh elements by it
    container = _headline_post(dom, s, choose_container(dom, s, values, prose), title)
    containers = (_with_siblings(dom, s, container, values) | _marked_parts(dom, s, container)
                  | _alike_parts(dom, s, container, values))
    containers |= _headline_to_body(dom, s, container, containers, title)
    return container, prune(dom, containers, s, values, prose)


def _reads_as_title(block: Block, key: str) -> bool:
    """A heading whose text is the page's title, or part of it, or holds it
    (`key` is the title's title_key)."""
    if not block.heading:  # (before the text is folded: most blocks are no heading)
        return False
    text = title_key(block.text)
    # under ten characters a heading ("News", "Home") is in too many titles to say which
    return len(text) >= 10 and (text == key or text in key or key in text)


def _headline_post(dom: DomBlocks, s: HtmlSettings, container: etree._Element | None,
                   title: str | None) -> etree._Element | None:
    """The post under the page's headline, when the chosen container is
    small and elsewhere: on a page whose article is a picture and a line or
    two, an "about this blog" blurb in the sidebar holds more prose, but the
    headline that reads as the title says where the article is. A post is
    the nearest element holding a headline and the block after it; it must
    be small too (a banner heading's "post" is the whole page) and not hold
    the container (that one is the headline's own article already). Of
    several, the one with the most words."""
    limit = s.headline_post_max_words
    # a container the markup names as the body is the article, however short
    if container is None or not title or limit <= 0 or _is_marker(container, s):
        return container
    if _words_in(dom, container, limit) >= limit:
        return container
    key = title_key(title)
    posts = []
    for j, block in enumerate(dom.blocks[:-1]):
        if _reads_as_title(block, key):
            post = _common_ancestor(dom.chains[j], dom.chains[j + 1])
            if post is not None and post.tag not in ("html", "body"):
                posts.append((j, post))
    # a headline whose post holds the container: the container is its article
    if any(post is container or container in dom.chains[j] or post in container.iterancestors()
           for j, post in posts):
        return container
    best, best_words = container, 0
    scope = s.headline_post_scope * limit
    for j, post in posts:
        # counted one word past the scope at most: a larger post is no candidate
        headline = words(dom.blocks[j].text)
        held = _words_in(dom, post, int(scope) + headline + 1) - headline
        if best_words < held <= scope:
            best, best_words = post, held
    return best


def _words_in(dom: DomBlocks, el: etree._Element, enough: int) -> int:
    """The words of the blocks under `el`, counted until `enough` (the callers
    only compare with a bound, and the container is usually a whole article)."""
    total = 0
    for block, chain in zip(dom.blocks, dom.chains):
        if el in chain:
            total += words(block.text)
            if total >= enough:
                break
    return total


def _common_ancestor(a: Sequence[etree._Element], b: Sequence[etree._Element]) -> etree._Element | None:
    common = None
    for x, y in zip(a, b):
        if x is not y:
            break
        common = x
    return common


def _headline_to_body(dom: DomBlocks, s: HtmlSettings, container: etree._Element | None,
                      containers: frozenset[etree._Element], title: str | None) -> frozenset[etree._Element]:
    """The blocks from the page's headline down to the container: the
    headline, date, byline and standfirst that sit beside the body rather
    than in it. The headline is the last heading before the body that
    reads as the page's title, at most `lead_blocks` blocks before it and
    under a common ancestor at most `lead_levels` above the container.
    These blocks are pruned like the rest of the article."""
    if container is None or not title or s.lead_blocks <= 0:
        return frozenset()
    first = next((i for i, start in enumerate(_starts(dom, containers)) if start is not None), None)
    if first is None:
        return frozenset()
    near = _ancestors_below_body(container, s.lead_levels)
    if not near:
        return frozenset()
    key = title_key(title)
    for j in range(first - 1, max(-1, first - 1 - s.lead_blocks), -1):
        block = dom.blocks[j]
        if _reads_as_title(block, key):
            chain_j = dom.chains[j]
            if any(el in chain_j for el in near):
                return frozenset(dom.chains[i][-1] for i in range(j, first))
            return frozenset()
    return frozenset()


def _ancestors_below_body(el: etree._Element, levels: int) -> list[etree._Element]:
    """Up to `levels` ancestors of an element, nearest first, stopping below
    <body>: the neighbourhood in which parts of one article are looked for
    (a common ancestor at <body> says nothing)."""
    near = []
    up = el.getparent()
    for _ in range(levels):
        if up is None or up.tag in ("body", "html"):
            break
        near.append(up)
        up = up.getparent()
    return near


def _marker_tokens(el: etree._Element, s: HtmlSettings) -> frozenset[str]:
    cls = el.get("class")
    return s.marker_classes.intersection(cls.lower().split()) if cls else frozenset()


def _marked_parts(dom: DomBlocks, s: HtmlSettings, container: etree._Element | None) -> frozenset[etree._Element]:
    """Further parts of an article body split into several elements marked
    alike ("article-text" after each embedded video): marked with a body
    class the container has, near it (their common ancestor at most
    `marker_part_levels` above it) and neither inside nor around it."""
    if container is None or s.marker_part_levels <= 0:
        return frozenset()
    tokens = _marker_tokens(container, s)
    if not tokens:
        return frozenset()
    near = set(_ancestors_below_body(container, s.marker_part_levels))
    parts: set[etree._Element] = set()
    for chain in dom.chains:
        if container in chain or not near.intersection(chain):
            continue
        for el in chain:
            if el not in near and not tokens.isdisjoint(_marker_tokens(el, s)):
                parts.add(el)
                break
    return frozenset(parts)


def _alike_parts(dom: DomBlocks, s: HtmlSettings, container: etree._Element | None,
                 values: list[float]) -> frozenset[etree._Element]:
    """Further parts of an article body that a figure or a quote box split
    into several elements of the same tag and class ("post__content" before
    and after a full-width picture), wherever the layout nests them: before
    the container and near it (their common ancestor at most `alike_levels`
    above it), not inside an element named as boilerplate, arguing for the
    article at least `sibling_share` as well as the container does and no
    more than it."""
    cls = container.get("class") if container is not None else None
    if container is None or not cls or not cls.strip() or s.alike_levels <= 0:
        return frozenset()
    key = (container.tag, " ".join(sorted(cls.split())))
    near = set(_ancestors_below_body(container, s.alike_levels))
    totals: dict[etree._Element, float] = {}
    verdicts: dict[etree._Element, str | None] = {}

    def verdict_of(el: etree._Element) -> str | None:
        if el not in verdicts:
            verdicts[el] = _boilerplate(el, s)
        return verdicts[el]

    own, seen = 0.0, False
    for chain, v in zip(dom.chains, values):
        if container in chain:
            own += v
            seen = True
        # only before it: what follows a body with its class is reader
        # comments or the next article as often as the body's second half
        if seen or near.isdisjoint(chain):
            continue
        for el in chain:
            if el in near:
                continue
            c = el.get("class")
            if c and el.tag == key[0] and " ".join(sorted(c.split())) == key[1]:
                totals[el] = totals.get(el, 0.0) + v
                break
            if verdict_of(el):
                break  # inside comments or a sidebar: a part of something else
    return frozenset(el for el, total in totals.items()
                     if own >= total >= s.sibling_share * own and total > 0 and verdict_of(el) is None)


def _with_siblings(dom: DomBlocks, s: HtmlSettings, container: etree._Element | None,
                   values: list[float]) -> frozenset[etree._Element]:
    """The container and those of its siblings that argue for the article as
    well as a good share of it does (readability's sibling candidates): an
    article split into page-builder columns or consecutive sections is
    taken whole. A sibling whose class or tag names boilerplate is left out."""
    if container is None:
        return frozenset()
    parent = container.getparent()
    if parent is None or s.sibling_share <= 0:
        return frozenset((container,))
    totals: dict[etree._Element, float] = {}
    marked: set[etree._Element] = set()
    for chain, tags, v in zip(dom.chains, dom.tags, values):
        # (an element is in a chain once; elements compare by identity)
        i = chain.index(parent) + 1 if parent in chain else 0
        if 0 < i < len(chain):
            child = chain[i]
            totals[child] = totals.get(child, 0.0) + v
            if child not in marked and not s.marker_tags.isdisjoint(tags[i:]):
                marked.add(child)
    least = s.sibling_share * totals.get(container, 0.0)
    chosen = {container}
    for child, total in totals.items():
        # a sibling that is or holds an <article> is another article (the
        # next one of an endless page, a listing of posts), not a part;
        # body classes and itemprop=articleBody also mark parts of one body
        if (child is not container and total > 0 and total >= least and child not in marked
                and _boilerplate(child, s) is None):
            chosen.add(child)
    return frozenset(chosen)
