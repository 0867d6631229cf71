"""The HTML path end to end: page -> markup -> lxml tree -> blocks -> verdicts
with reason ids -> text, title and metadata (a ``CleanResult``, as for text)."""
from __future__ import annotations

import weakref
from typing import Any, Protocol

from lxml import etree

from ..blocks import Block, split_text
from ..decide import apply_rules
from ..errors import InputError, RuleTimeoutError
from ..limits import check_budget
from ..normalise import line_key, title_key
from ..reasons import HTML_JSON_LD_BODY, HTML_KEPT, HTML_NOSCRIPT, HTML_TITLE, HTML_TOO_DEEP, BlockClass
from ..render import render
from ..result import CleanResult
from ..rule import Hit
from ..ruleset import RuleSet
from ..selectors import selector_hits
from ..sniff import BINARY_MESSAGE, looks_binary
from ..urls import host_of
from ..verdicts import Verdict, protect_reasons, settle
from . import article
from .decode import Markup, read_markup
from .dom import DomBlocks, build_blocks, flatten_markup, parse
from .metadata import article_body, page_metadata
from .missed import has_words
from .settings import HtmlSettings

__all__ = ["KEPT", "TITLE", "TOO_DEEP", "extract"]

KEPT, NOSCRIPT, JSON_LD_BODY = HTML_KEPT, HTML_NOSCRIPT, HTML_JSON_LD_BODY
TITLE, TOO_DEEP = HTML_TITLE, HTML_TOO_DEEP
_SETTINGS: weakref.WeakKeyDictionary[RuleSet, HtmlSettings] = weakref.WeakKeyDictionary()


def settings_for(ruleset: RuleSet) -> HtmlSettings:
    """The HTML settings of a rule set, compiled once per rule set."""
    s = _SETTINGS.get(ruleset)
    if s is None:
        s = _SETTINGS[ruleset] = HtmlSettings.from_signals(ruleset.signals)
    return s


def _check_binary(page: Any) -> None:
    # the one detector every mode uses (declutter/sniff.py)
    if isinstance(page, (bytes, bytearray, memoryview)) and looks_binary(page):
        raise InputError(BINARY_MESSAGE)


class TextCleaner(Protocol):
    """The text path (a Cleaner's clean_blocks): what a page nested too deep
    for the parser is cleaned with once its tags are stripped."""

    def __call__(self, blocks: list[Block], url: str | None = None,
                 metadata: dict[str, Any] | None = None) -> CleanResult: ...


def extract(page: Any, *, ruleset: RuleSet, clean_text: TextCleaner, url: str | None = None,
            strict: bool = False, content_type: str | None = None, core: bool = False) -> CleanResult:
    """Clean one HTML page (str, bytes, or a BeautifulSoup object).

    Raises InputError for binary data and TypeError for other input types.
    A page nested deeper than the parser can hold is flattened to text and
    cleaned in text mode with `clean_text` (the Cleaner's own, so its
    options hold there too); ``metadata["warnings"]`` says so. `core`: the
    compiled core finds the pattern rules' candidates (the hits are the same)."""
    _check_binary(page)
    # libxml2 would keep each NUL as U+FFFD, and other C0 controls in text
    # make lxml refuse the text later (ValueError): Markup makes them all spaces
    markup = read_markup(page, content_type)
    check_budget("decoding the page")
    parsed = parse(markup.data)
    check_budget("parsing HTML")
    if parsed.too_deep:
        return _flattened(markup.text, clean_text, url)
    if parsed.root is None:
        return CleanResult(text="", title=None)
    root = _noframes_page(parsed.root)
    meta = page_metadata(root)
    if markup.encoding:
        meta["encoding"] = markup.encoding
    dom = build_blocks(root)
    check_budget("building blocks")
    _number_lines(dom.blocks)
    s = settings_for(ruleset)
    host = host_of(url) or host_of(meta.get("canonical_url"))
    verdicts, timeouts = _decide(dom, root, ruleset, s, host, strict, meta.get("title"), core=core)
    result = CleanResult(text=render(dom.blocks, verdicts), title=meta.get("title"), metadata=meta,
                         blocks=dom.blocks, verdicts=verdicts, skipped_rules=timeouts)
    if not has_words(result.text, s.backup_max_words):
        result = _with_backup(result, markup, ruleset, s, host, strict, core)
    return result


def _with_backup(result: CleanResult, markup: Markup, ruleset: RuleSet, s: HtmlSettings, host: str | None,
                 strict: bool, core: bool) -> CleanResult:
    """The coverage check: a page that gave (almost) nothing may hold its
    article where the blocks never look — inside <noscript> (a script
    renders the page), or as JSON-LD's articleBody. The first of these that
    holds at least `backup_min_words` words is the article, its blocks
    carrying the reason id that says where it came from."""
    if "<noscript" in markup.text.lower():
        parsed = parse(markup.data)
        if parsed.root is not None and not parsed.too_deep:
            root = _noframes_page(parsed.root)
            etree.strip_tags(root, "noscript")  # their content is shown as if scripts were off
            dom = build_blocks(root)
            _number_lines(dom.blocks)
            verdicts, timeouts = _decide(dom, root, ruleset, s, host, strict, result.title, kept=NOSCRIPT,
                                         core=core)
            text = render(dom.blocks, verdicts)
            if has_words(text, s.backup_min_words):
                meta = dict(result.metadata, html_fallback=NOSCRIPT)
                return CleanResult(text=text, title=result.title, metadata=meta, blocks=dom.blocks,
                                   verdicts=verdicts, skipped_rules=timeouts)
    body = article_body(markup.text)
    if body and has_words(body, s.backup_min_words):
        blocks = split_text(body)
        _number_lines(blocks)
        verdicts = [Verdict(True, JSON_LD_BODY, BlockClass.GOOD.value) for _ in blocks]
        meta = dict(result.metadata, html_fallback=JSON_LD_BODY)
        return CleanResult(text=render(blocks, verdicts), title=result.title, metadata=meta,
                           blocks=blocks, verdicts=verdicts, skipped_rules=result.skipped_rules)
    return result


def _noframes_page(root: Any) -> Any:
    """A frameset page shows only its <noframes> content (libxml2 keeps that
    as raw markup text): parse it as the page. Without one, the page is empty."""
    if root.find(".//frameset") is None:
        return root
    for noframes in root.iter("noframes"):
        text = "".join(noframes.itertext())
        if "<" in text:
            inner = parse(text).root
            if inner is not None:
                return inner
    return root


def _decide(dom: DomBlocks, root: Any, ruleset: RuleSet, s: HtmlSettings, host: str | None,
            strict: bool, title: str | None, kept: str = KEPT,
            core: bool = False) -> tuple[list[Verdict], list[tuple[str, int]]]:
    """The text path's steps (Cleaner.clean_blocks) on a page's DOM blocks:

      match     rules on the markup (selectors), on every block: they shape
                the page, as protect and range rules do in text mode
      measure   each block's prose value, what selector rules dropped counting
      classify  good (it has prose value) or short
      lay out   the container, widened and pruned; the title's copies
      match     pattern rules, only on the blocks the container keeps: as the
                text path's lazy matching, tried only where they can change
                the output (and matching is the costly part)
      verdicts  one reason per block, in the order verdicts.py writes down

    (extract's backup is the revise step; render follows.) A pattern
    `protect` rule therefore cannot bring back a block the DOM signals
    dropped; a selector `protect` rule can."""
    if not dom.blocks:
        return [], []
    hits = selector_hits(ruleset.selector_rules(host), root, dom.chains)
    values = article.block_values(dom, s, _ruled(hits, len(dom.blocks)))
    classes = _classes(values)
    _container, structure = article.lay_out(dom, s, values, title)
    inside = [i for i, reason in enumerate(structure) if reason is None]
    prose = [i for i in inside if values[i] > 0]
    first, last = (prose[0], prose[-1]) if prose else (len(dom.blocks), -1)
    title_copies = _title_copies(dom.blocks, title, first)
    timeouts = _match_patterns(dom, inside, ruleset, host, strict, hits, core)
    drop, in_range, protect = apply_rules(len(dom.blocks), hits, first, last, first)
    verdicts = settle(classes, kept, protect_reasons(protect, hits), disabled=ruleset.disabled_signals,
                      drop=drop, title=title_copies, in_range=in_range,
                      structure=[reason or "" for reason in structure])
    return verdicts, timeouts


def _ruled(hits: list[Hit], n: int) -> list[bool]:
    """Per block, whether a selector rule drops it (a protect rule does not)."""
    ruled = [False] * n
    for hit in hits:
        if hit.rule.action != "protect":
            ruled[hit.block] = True
    return ruled


def _classes(values: list[float]) -> list[str]:
    """The first-pass class of each block: good where it has prose value."""
    good, short = BlockClass.GOOD.value, BlockClass.SHORT.value
    return [good if v > 0 else short for v in values]


def _title_copies(blocks: list[Block], title: str | None, first: int) -> list[str]:
    """TITLE for a heading, or a block before the article's first prose,
    whose text is the page's title; "" for the others."""
    folded = title_key(title) if title else None
    if not folded:
        return [""] * len(blocks)
    return [TITLE if (block.heading or i < first) and title_key(block.text) == folded else ""
            for i, block in enumerate(blocks)]


def _match_patterns(dom: DomBlocks, inside: list[int], ruleset: RuleSet, host: str | None, strict: bool,
                    hits: list[Hit], core: bool = False) -> list[tuple[str, int]]:
    """Pattern rules on the blocks at `inside`, their hits added to `hits`;
    returns the rules that timed out, as (rule id, block). `core`: the
    compiled core finds the rules' candidates in one call (as for text)."""
    stripped = [dom.blocks[i].text.strip() for i in inside]
    found = ruleset.candidates(stripped) if core and stripped else None
    report = ruleset.match(stripped, [line_key(t) for t in stripped], host, candidates=found)
    timeouts = [(rule_id, inside[j]) for rule_id, j in report.timeouts]
    if timeouts and strict:
        rule_id, index = timeouts[0]
        raise RuleTimeoutError(f"rule {rule_id!r} timed out on block {index} ({dom.blocks[index].tag_path})")
    hits.extend(Hit(h.rule, inside[h.block]) for h in report.hits)
    return timeouts


def _number_lines(blocks: list[Block]) -> None:
    """Line spans of each block in the rendering of the whole page."""
    line = 1
    for i, b in enumerate(blocks):
        if i and b.gap_before:
            line += 1
        b.first_line = line
        b.last_line = line + b.text.count("\n")
        line = b.last_line + 1


def _flattened(markup: str, clean_text: TextCleaner, url: str | None) -> CleanResult:
    """The tree lost text (nesting too deep): clean the regex-flattened text
    in text mode instead, and say so."""
    text = flatten_markup(markup)
    warning = ("page nested deeper than the HTML parser can hold; "
               "its tags were stripped and the text cleaned in text mode")
    return clean_text(split_text(text), url=url, metadata={"warnings": [warning], "html_fallback": TOO_DEEP})
