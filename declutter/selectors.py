"""CSS selector rules on HTML pages: a rule's `selector` is compiled once to
XPath (via cssselect) and every block inside a matching element is a hit."""
from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from .errors import RuleFileError
from .rule import Hit, Rule

__all__ = ["compile_selector", "selector_hits"]

_COMPILED: dict[str, etree.XPath] = {}


def compile_selector(selector: str, source: str = "<selector>", rule_id: str | None = None) -> etree.XPath:
    """The selector as a compiled XPath; RuleFileError if cssselect cannot read it."""
    xpath = _COMPILED.get(selector)
    if xpath is None:
        from cssselect import GenericTranslator, SelectorError

        try:
            expression = GenericTranslator().css_to_xpath(selector)
            xpath = etree.XPath(expression)
        except (SelectorError, etree.XPathError, ValueError, RecursionError) as exc:
            raise RuleFileError(source, f"bad CSS selector {selector!r}: {exc}", rule_id) from None
        _COMPILED[selector] = xpath
    return xpath


def selector_hits(rules: Sequence[Rule], root: etree._Element,
                  chains: Sequence[tuple[etree._Element, ...]]) -> list[Hit]:
    """A hit for every (rule, block) where the block lies in an element the
    rule's selector matches. One XPath query per rule; one pass over blocks."""
    if not rules:
        return []
    matched: dict[etree._Element, list[Rule]] = {}
    for rule in rules:
        assert rule.selector is not None
        xpath = compile_selector(rule.selector, rule.source, rule.id)
        try:
            elements = xpath(root)
        except etree.XPathError:
            continue
        for el in elements if isinstance(elements, list) else ():
            if isinstance(el, etree._Element):
                matched.setdefault(el, []).append(rule)
    if not matched:
        return []
    _lift_inline_matches(matched, chains)
    hits: list[Hit] = []
    for index, chain in enumerate(chains):
        seen: set[str] = set()
        # the innermost match first: a rule on the block's own element decides
        # before one on a far ancestor
        for el in reversed(chain):
            for rule in matched.get(el, ()):
                if rule.id not in seen:
                    seen.add(rule.id)
                    hits.append(Hit(rule, index))
    return hits


def _lift_inline_matches(matched: dict[etree._Element, list[Rule]],
                         chains: Sequence[tuple[etree._Element, ...]]) -> None:
    """Blocks are cut at block-level elements; a selector may match an inline
    one (``span.ad``). Such a match counts for the block that holds it when
    it covers at least half of that block's text."""
    owners = {chain[-1] for chain in chains}
    in_chains = {el for chain in chains for el in chain}
    for el in [e for e in matched if e not in in_chains]:
        parent = el.getparent()
        while parent is not None and parent not in in_chains:
            parent = parent.getparent()
        if parent is None or parent not in owners:
            continue
        inner = len("".join(el.itertext()).strip())
        whole = len("".join(parent.itertext()).strip())
        if inner and inner * 2 >= whole:
            matched.setdefault(parent, []).extend(matched[el])
