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
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any, NamedTuple

from . import language
from .blocks import Block, split_text
from .core import compiled
from .decide import Decision
from .features import compiled_stoplists
from .limits import check_budget
from .literals import index_key
from .matching import Found, MatchReport, Page, compiled_prefilter
from .reasons import BlockClass
from .rule import Rule
from .ruleset import RuleSet
from .rx import shipped_rx
from .verdicts import Verdict

__all__ = ["Cleaned", "CompiledDecider"]

if TYPE_CHECKING:  # the compiled core may be missing where this is imported
    from ._core import ReadPage

    Read = tuple[ReadPage, str | list[str] | None, int | None,
                 list[tuple[list[int], list[int], list[int], list[int], list[int], list[int]]]]
    Decided = tuple[list[tuple[bool, int, int, int]], bytes, int, list[int], list[int], str | None, str | None]


class _Lines(Sequence[str]):
    """A page's stripped blocks, asked of the core (ReadPage.stripped) and
    cut into a list only if a Python matcher reads one (most pages: none;
    the late confirmations get their lines from the core)."""

    __slots__ = ("page", "size", "lines")

    def __init__(self, page: ReadPage) -> None:
        self.page = page
        self.size = len(page)
        self.lines: list[str] | None = None

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: Any) -> Any:
        if self.lines is None:
            stripped = self.page.stripped()
            self.lines = stripped.split("\n") if isinstance(stripped, str) else stripped
        return self.lines[index]


class Cleaned(NamedTuple):
    """A text page cleaned by the core: what CleanResult holds, its blocks
    and verdicts made by `blocks` when first asked for."""

    text: str
    title: str | None
    language: str | None
    skipped: list[tuple[str, int]]
    blocks: Callable[[], tuple[list[Block], list[Verdict]]]

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
        floating = {*ruleset.matching.shaping.index.floating, *ruleset.matching.dropping.index.floating}
        self.decider = module.TextDecider(ruleset.text, compiled_stoplists(), [r.action for r in rules],
                                          [r.where for r in rules], [r.id in counted for r in rules],
                                          [r in floating for r in rules], sorted(ruleset.disabled_signals),
                                          full_reasons,
                                          [self.number[r] for r in ruleset.matching.dropping.index.rules],
                                          _core_rx(tuple(rules), frozenset(floating)),
                                          [self.number[r] for r in ruleset.matching.shaping.index.rules])
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
        (distinct, index, title, out_rules, out_blocks, _, _), stripped = decided
        return (Decision(self._verdicts(distinct, index), stripped[title] if title >= 0 else None),
                self._skipped(out_rules, out_blocks), self._language(read))

    def clean_text(self, text: str, host: str | None) -> Cleaned | None:
        """A text page as it comes, cut into blocks as blocks.split_text cuts
        it, measured, decided and rendered by the core (as clean does, the
        same calls): the Cleaned page, or None where the reference must
        decide. Raises UnicodeEncodeError for a text with lone surrogates."""
        read = self.decider.read_text(text, self.prefilter)
        n = len(read[0])
        # as clean's test: some block's stripped text (one block may strip to "")
        decided = self._decide(read, n > 1 or (n == 1 and read[0].stripped() != ""), host)
        if decided is None:
            return None
        (distinct, index, _, out_rules, out_blocks, out_text, title), _ = decided
        assert out_text is not None  # read by read_text
        return Cleaned(out_text, title, self._language(read),
                       self._skipped(out_rules, out_blocks), partial(text_blocks, text, distinct, index, self.reasons))

    def _decide(self, read: Read, any_blocks: bool, host: str | None) -> tuple[Decided, Sequence[str]] | None:
        """The core's decision on a page it read, the rules confirmed here
        (None: a strict Cleaner where a rule timed out), and its stripped blocks.

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
        if given is None and any_blocks:  # read by read_text: the lines only if asked
            stripped = _Lines(page)
        elif isinstance(given, str) and any_blocks:
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


def text_blocks(text: str, distinct: list[tuple[bool, int, int, int]], index: bytes,
                names: list[str]) -> tuple[list[Block], list[Verdict]]:
    """The blocks and verdicts of a text page cleaned by clean_text, made
    when a CleanResult's are first asked for: split_text's blocks (the
    core's cut is the same, tests/test_core_pipeline.py) and their verdicts."""
    return split_text(text), verdicts(distinct, index, names)


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
