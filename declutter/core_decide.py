"""The text decision by the compiled core (core/src/decide, Rust): what
Cleaner.clean_blocks does after measuring, when the core is "rust".

The rules are matched here on every line at once: the compiled
prefilter's candidates, confirmed by the same Python matcher (what
RuleSet.match with no lines, shaping or bounds gives: every hit any round
of the lazy loop could use, `where` left to the core); the core then
simulates the Cleaner's lazy loop on them, reading a line's drop hits only
once the Python loop would have tried it, and its idempotence rounds. The
verdicts, reasons, rounds, title and skipped rules are the reference's
(tests/test_core_decide.py): cleaner.py stays the reference.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from . import language
from .blocks import Block, decode_bytes, split_text
from .core import compiled
from .decide import Decision
from .features import compiled_stoplists
from .limits import budget_due, check_budget
from .literals import index_key
from .matching import Found, MatchReport, Page, compiled_prefilter, match_floating_rule
from .reasons import BlockClass
from .result import CleanResult
from .rule import Rule
from .ruleset import RuleSet
from .rx import shipped_rx
from .verdicts import Verdict

__all__ = ["CompiledDecider"]

if TYPE_CHECKING:  # the compiled core may be missing where this is imported
    from ._core import ReadPage

    Read = tuple[ReadPage, str | list[str], int | None,
                 list[tuple[list[int], list[int], list[int], list[int], list[int], list[int]]]]
    Decided = tuple[list[tuple[bool, int, int, int]], bytes, int, list[int], list[int]]


# A page's stripped lines where no matcher reads them: confirm_pairs gets
# each pair's line from the core.
_NO_LINES: tuple[str, ...] = ()


def _stripped_lines(joined: str) -> list[str]:
    """The stripped blocks of a text page, from the core's "\n"-joined
    text (a text page's blocks hold no "\n"): cut only for a floating
    rule Python searches (the default rules have none)."""
    return joined.split("\n")


_CLASSES = (BlockClass.GOOD.value, BlockClass.SHORT.value, BlockClass.BAD.value)


class CompiledDecider:
    """One Cleaner's rules and settings handed to the compiled core once
    (strict, full_reasons: the Cleaner's)."""

    def __init__(self, ruleset: RuleSet, strict: bool, full_reasons: bool) -> None:
        module = compiled()
        assert module is not None  # the Cleaner's core is "rust"
        rules = ruleset.rules
        self.number = {rule: n for n, rule in enumerate(rules)}
        self.by_id = {rule.id: n for n, rule in enumerate(rules)}
        self.reasons: list[str] = [*module.DECIDE_SIGNALS, *(rule.id for rule in rules)]
        self.rule_ids = [rule.id for rule in rules]
        counted = set(ruleset.text.thread.count_rules)
        # a rule matched over the joined lines reports its timeouts wherever its group tries
        self.shaping, self.dropping = ruleset.matching.shaping, ruleset.matching.dropping
        self.timeout = self.shaping.index.timeout
        floating = {*self.shaping.index.floating, *self.dropping.index.floating}
        # the floating rules the core cannot search itself (_in_core)
        self.python_floating = any(_in_core(r, True) is None for r in floating)
        self.decider = module.TextDecider(ruleset.text, compiled_stoplists(), [r.action for r in rules],
                                          [r.where for r in rules], [r.id in counted for r in rules],
                                          [r in floating for r in rules], sorted(ruleset.disabled_signals),
                                          full_reasons,
                                          [self.number[r] for r in ruleset.matching.dropping.index.rules],
                                          _core_rx(tuple(rules), frozenset(floating)),
                                          [self.number[r] for r in ruleset.matching.shaping.index.rules],
                                          [(r.min_chars, r.max_chars) for r in rules],
                                          [bool(r.domains) for r in rules])
        self.strict = strict
        self.ruleset = ruleset
        self.prefilter = compiled_prefilter(ruleset.matching.shaping.index, ruleset.matching.dropping.index)
        self.languages = language.stoplists()[0]

    def clean(self, texts: Sequence[str],
              host: str | None) -> tuple[Decision, list[tuple[str, int]], str | None] | None:
        """The Decision, the skipped rules and the language of a page (texts:
        its blocks' text), or None where the reference must decide: a page
        the core cannot read (lone surrogates), or a strict Cleaner on a page
        where a rule timed out (the reference says where). The two core
        calls are _decide's."""
        joined = "\n".join(texts)
        lengths = None if joined.count("\n") == len(texts) - 1 else list(map(len, texts))
        try:
            read = self.decider.read(joined, lengths, self.prefilter)
        except UnicodeEncodeError:
            return None
        decided = self._decide(read, len(texts) > 0, host)
        if decided is None:
            return None
        (distinct, index, title, out_rules, out_blocks), stripped = decided
        return (Decision(self._verdicts(distinct, index), stripped[title] if title >= 0 else None),
                self._skipped(out_rules, out_blocks), self._language(read))

    def clean_text(self, text: str | bytes, host: str | None) -> CleanResult | None:
        """A text page as it comes (bytes: decoded as blocks.decode_bytes
        decodes them, by the core), cut into blocks as blocks.split_text cuts
        it, measured, matched, decided and rendered by the core in one call
        (TextDecider.clean_text, without the GIL but while it asks Python to
        confirm the candidates it cannot: once for the shaping group's, once
        per lazy step for the dropping group's, once for the floating rules
        it has no exact translation of, as _decide confirms them): the
        CleanResult, its blocks and verdicts made when first asked for
        (text_blocks), or None where the reference must decide (a strict
        Cleaner on a page where a rule timed out). Raises
        UnicodeEncodeError for a text with lone surrogates."""
        page = Page(_NO_LINES, (), host, None, MatchReport())  # confirm_pairs bounds the memos
        cleaned = self.decider.clean_text(text, self.prefilter, partial(self.shaping.confirm_pairs, page),
                                          partial(self.dropping.confirm_pairs, page),
                                          self.python_floating and partial(self._floating, page),
                                          check_budget, budget_due(), self.strict)
        if cleaned is None:
            return None
        distinct, index, t_rules, t_blocks, out_text, title, lang, removed_chars = cleaned
        ids = self.rule_ids
        return CleanResult.lazy(out_text, title, {} if lang is None else {"language": self.languages[lang]},
                                [(ids[r], b) for r, b in zip(t_rules, t_blocks)],
                                partial(text_blocks, text, distinct, index, self.reasons), removed_chars)

    def _floating(self, page: Page, rules: list[int], lines: str) -> list[tuple[list[int], list[int]]]:
        """Per floating rule of `rules` (by number) the blocks it matches
        and those its search timed out on, searched by Python over the
        stripped blocks `lines` (joined by "\n") as RuleGroup.match_floating
        searches it: its host scope and length bounds applied."""
        page.stripped = _stripped_lines(lines)
        everything = range(len(page.stripped))
        out = []
        for r in rules:
            rule = self.ruleset.rules[r]
            found = MatchReport()
            if rule.applies_to(page.host):
                check_budget("matching rules")  # the page's time budget, between rules
                match_floating_rule(rule, replace(page, report=found), everything, self.timeout)
            page.report.timeouts += found.timeouts
            out.append(([hit.block for hit in found.hits], [index for _, index in found.timeouts]))
        return out

    def _decide(self, read: Read, any_blocks: bool, host: str | None) -> tuple[Decided, Sequence[str]] | None:
        """The core's decision on a page it read, the rules confirmed here
        (None: a strict Cleaner where a rule timed out), and its stripped
        blocks: clean's path (clean_text's is one call, TextDecider.clean_text).

        Two calls into the core, each without the GIL: one reads the page
        (its measures, kept there, and the rules' candidates), one decides
        on it with the confirmed hits of the shaping rules and the floating
        ones; the plain drop rules' candidates are confirmed while it
        decides, a lazy step at a time, only where the Python loop would
        search them (so the same searches, hits and timeouts). Nothing is
        made per line in between but the stripped lines the regexes search."""
        page, given, _, found = read
        check_budget("measuring blocks")
        stripped: Sequence[str] = given if isinstance(given, list) else []
        if isinstance(given, str) and any_blocks:
            stripped = given.split("\n")
        report = MatchReport()
        confirm: Callable[[bytes, list[int], list[int], list[str]], bytes] | None = None
        if any_blocks:
            matching = self.ruleset.matching
            shaping, dropping = matching.shaping, matching.dropping
            page_rules = Page(stripped, (), host, None, report)
            # Eager: the shaping group on every block, the dropping group's
            # floating rules (one pass over the page); the dropping group's
            # candidates wait until the core's lazy loop tries their block.
            if shaping.index.floating or any(found[0]):
                shaping.match(page_rules, None, Found(*found[0]))
            if dropping.index.floating:
                rules = self.ruleset.rules
                done = {rules[r]: lines for r, lines in self.decider.floating(page)}
                dropping.match_floating(page_rules, range(len(stripped)), done)
            check_budget("matching rules")
            if report.timeouts and self.strict:
                return None
            confirm = partial(dropping.confirm_pairs, page_rules)

        number = self.number
        eager = len(report.timeouts)
        hit_blocks = [hit.block for hit in report.hits]
        hit_rules = [number[hit.rule] for hit in report.hits]
        t_rules = [self.by_id[rule_id] for rule_id, _ in report.timeouts]
        t_blocks = [index for _, index in report.timeouts]
        decided = self.decider.decide(page, hit_blocks, hit_rules, t_rules, t_blocks, confirm)
        if self.strict and len(report.timeouts) > eager:
            return None  # a late search timed out: the reference says where
        return decided, stripped

    def _language(self, read: Read) -> str | None:
        """The language the core's vote picked on a page it read, by name."""
        return None if read[2] is None else self.languages[read[2]]

    def _skipped(self, rules: list[int], blocks: list[int]) -> list[tuple[str, int]]:
        ids = self.rule_ids
        return [(ids[r], b) for r, b in zip(rules, blocks)]

    def _verdicts(self, distinct: list[tuple[bool, int, int, int]], index: bytes) -> list[Verdict]:
        return verdicts(distinct, index, self.reasons)


def verdicts(distinct: list[tuple[bool, int, int, int]], index: bytes, names: list[str]) -> list[Verdict]:
    """The Verdicts: one object per distinct verdict, listed per block by its
    number in `index` (native u32s), in C; `names` the reasons by number."""
    made = [Verdict(keep, names[r], _CLASSES[c], n) for keep, r, c, n in distinct]
    return list(map(made.__getitem__, memoryview(index).cast("I")))


def text_blocks(text: str | bytes, distinct: list[tuple[bool, int, int, int]], index: bytes,
                names: list[str]) -> tuple[list[Block], list[Verdict]]:
    """The blocks and verdicts of a text page cleaned by clean_text, made
    when a CleanResult's are first asked for: split_text's blocks (the
    core's cut is the same, tests/test_core_pipeline.py) and their verdicts."""
    page = decode_bytes(text) if isinstance(text, bytes) else text
    return split_text(page), verdicts(distinct, index, names)


@lru_cache(maxsize=32)
def _core_rx(rules: tuple[Rule, ...], floating: frozenset[Rule]) -> Any:
    """The compiled core's Rx of these rules (see _in_core), one per process
    and set of rules (like compiled_prefilter): each of its regexes compiles
    on its first search, ~1 s for all the default rules', so every Cleaner
    of the same rules shares them."""
    module = compiled()
    assert module is not None
    return module.Rx([_in_core(r, r in floating) for r in rules])


def _in_core(rule: Rule, floating: bool) -> tuple[str, bool] | None:
    """The rule's pattern as the core runs it (rx.py) and whether that is
    exact (else a filter: Python confirms where it matches); ("", True)
    for a rule of phrases alone; None where Python alone confirms it: a
    pattern without a translation, a rule with a host scope (the core does
    not know the host), a floating rule without an exact translation that
    cannot match a line break (matching.py searches those over the joined
    lines)."""
    if rule.domains:
        return None
    if rule.pattern is None:
        return "", True
    found = shipped_rx().get(index_key(rule.pattern.pattern, rule.pattern.flags))
    if found is None or (floating and (found[2] or not found[1])):
        return None
    return found[0], found[1]
