"""A rule's own examples, run through the real matching: what `declutter
rules check` reports and what the tests hold the default rules to.

A pattern or phrase rule's example is one block of a text page: it is
stripped and given to the same Matching a page is matched with (length
bounds, phrase folding, the prefix and literal indexes), with no body
bounds, so `where` plays no part. A selector rule's example is an HTML
snippet: it holds when one of the snippet's blocks lies in an element the
selector selects, as on a page. A rule scoped to domains is tried as on a
page of its first domain.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .matching import Matching
from .normalise import fold_keys
from .rule import Rule

__all__ = ["Failure", "check_rules", "rule_matches"]

# CPU seconds one example's search may take: far above any sane pattern's need.
EXAMPLE_TIMEOUT = 2.0


@dataclass(frozen=True, slots=True)
class Failure:
    """One example a rule did not match, or one counter-example it matched."""

    rule: Rule
    counter: bool  # a counter-example that matched
    number: int  # 1-based, within the rule's examples or counter_examples
    timed_out: bool = False

    def message(self, source: str) -> str:
        kind, what = ("counter-example", "matched") if self.counter else ("example", "did not match")
        tail = " (the search timed out)" if self.timed_out else ""
        return f"{source}:{self.rule.id}: {kind} {self.number} {what}{tail}"


def _host(rule: Rule) -> str | None:
    return next((d for d in rule.domains if not d.startswith("~")), None)


def rule_matches(rule: Rule, example: str, timeout: float = EXAMPLE_TIMEOUT) -> bool | None:
    """Whether the rule matches the example as it would on a page (None: the
    search timed out)."""
    if rule.selector is not None:
        return _selects(rule, example)
    stripped = example.strip()
    report = Matching([rule], timeout).match([stripped], [fold_keys(stripped.lower())], _host(rule))
    if report.hits:
        return True
    return None if report.timeouts else False


def _selects(rule: Rule, snippet: str) -> bool:
    from .html.dom import build_blocks, parse  # lxml: only for selector rules
    from .selectors import selector_hits

    root = parse(snippet).root
    if root is None:
        return False
    dom = build_blocks(root)
    return bool(selector_hits([rule], root, dom.chains))


def check_rule(rule: Rule) -> list[Failure]:
    """Every example of the rule it does not match and every counter-example it matches."""
    failures: list[Failure] = []
    for counter, lines in ((False, rule.examples), (True, rule.counter_examples)):
        for number, example in enumerate(lines, start=1):
            found = rule_matches(rule, example)
            if found is None or found == counter:
                failures.append(Failure(rule, counter, number, timed_out=found is None))
    return failures


def check_rules(rules: Iterable[Rule]) -> list[Failure]:
    """check_rule over the rules, in their order."""
    return [failure for rule in rules for failure in check_rule(rule)]
