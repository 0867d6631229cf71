"""The Cleaner: rules loaded once, any number of pages cleaned with them."""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import regex

from .blocks import Block, decode_bytes, split_text
from .core import resolve
from .core_decide import CompiledDecider
from .decide import Decision, FirstPass, Layout, anchor_lines, decide, first_pass, lay_out
from .errors import RuleTimeoutError
from .features import PageFeatures, measure, subset
from .limits import Limits, check_budget, end_budget, oversize_note, start_budget, too_large, truncate
from .matching import MatchReport, PageCandidates, kept_candidates
from .render import render
from .result import CleanResult
from .ruleset import RuleSet
from .sniff import is_html_input
from .urls import host_of

_SURROGATE = regex.compile(r"[\ud800-\udfff]")
class Cleaner:
    """Loads rule files once and cleans pages with them.

    A Cleaner is read-only after construction: share one across threads, or
    pickle it to worker processes.

    rules          extra rule files or folders (TOML, or adblock-style lists):
                   a list of paths, or one path
    default_rules  load the shipped default rules (their signal thresholds are
                   always loaded)
    disable        ids of rules, or of signals that drop blocks, to turn off
                   (a list, or one id): a signal turned off decides no block
    strict         a rule whose regex times out is an error, not a skip
    full_reasons   try every rule on every block, so that each removed block
                   names the most specific rule that matches it; by default
                   plain drop rules are tried only where they can change the
                   output, and a block outside the article may be reported as
                   signal.outside-body instead (the text is the same)
    core           "python", "rust" or None: the pure-Python reference or the
                   compiled core measures the pages, finds the rules'
                   candidates on them and, in text mode, decides (the same
                   output); None
                   takes DECLUTTER_CORE, else the compiled core when it is
                   installed (declutter.core); the one chosen is `self.core`
    max_bytes, oversize, time_budget
                   per-page limits (see declutter.limits); None takes the
                   `[signals.limits]` settings of the rule files (defaults:
                   64 MiB, "truncate", 60 s of CPU time)
    """

    def __init__(
        self,
        rules: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = (),
        *,
        default_rules: bool = True,
        disable: str | Iterable[str] = (),
        strict: bool = False,
        full_reasons: bool = False,
        max_bytes: int | None = None,
        oversize: str | None = None,
        time_budget: float | None = None,
        core: str | None = None,
    ) -> None:
        self.core = resolve(core)
        self.ruleset = RuleSet(rules, default_rules=default_rules, disable=disable)
        self.strict = strict
        self.full_reasons = full_reasons
        self.limits = Limits.from_settings(self.ruleset.signals, max_bytes=max_bytes, oversize=oversize,
                                           time_budget=time_budget)

    @property
    def load_warnings(self) -> list[str]:
        """What loading the rules skipped (unusable filters of a filter list),
        one line each: 'list.txt:7: skipped procedural or extended filter'."""
        return self.ruleset.load_warnings

    def clean(self, page: str | bytes | Any, url: str | None = None, html: bool | None = None) -> CleanResult:
        """Clean one page.

        page  the page as str or bytes (bytes of a text page are read as UTF-8,
              invalid bytes replaced); HTML pages may also be a BeautifulSoup object
        url   the page's URL, for rules scoped to domains
        html  True forces HTML, False forces text, None detects

        Raises InputError (binary data; PageTooLargeError for an oversized
        page with oversize="error"), PageBudgetError (over the time budget),
        RuleTimeoutError (strict only), TypeError (not a page).
        """
        warnings: list[str] = []
        facts: dict[str, Any] = {}
        size = self.limits.oversized(page)
        if size is not None:
            if self.limits.oversize == "error":
                raise too_large(size, self.limits)
            warning, facts = oversize_note(size, self.limits)
            warnings.append(warning)
            if self.limits.oversize == "truncate":
                page = truncate(page, self.limits.max_bytes)
            else:
                return _untouched(page, self.limits.oversize == "pass", warning, facts)
        outer = start_budget(self.limits.time_budget)  # page_budget, inline: once per page
        try:
            result = self._clean(page, url, html)
        finally:
            end_budget(outer)
        if warnings:
            result.metadata["warnings"] = warnings + result.metadata.get("warnings", [])
            result.metadata["oversize"] = facts
        return result

    def _clean(self, page: str | bytes | Any, url: str | None, html: bool | None) -> CleanResult:
        if html is None:
            html = is_html_input(page)
        if html:
            from .html import extract  # the HTML path is loaded only when needed
            from .html.missed import missed_article

            result = extract(page, ruleset=self.ruleset, url=url, strict=self.strict, clean_text=self.clean_blocks,
                             core=self.core == "rust")
            # the safety net: almost nothing kept of a page full of prose is said, not silent
            warning = missed_article(result, page, self.ruleset.signals)
            if warning:
                result.metadata.setdefault("warnings", []).append(warning)
            return result
        if isinstance(page, (bytes, bytearray, memoryview)):
            page = bytes(page)  # the core decodes it as decode_bytes does
        elif not isinstance(page, str):
            raise TypeError(f"page must be str or bytes, not {type(page).__name__}")
        if self.core == "rust":
            # decoded, cut, measured, matched, decided and rendered by the
            # core; the blocks and verdicts made only if asked for (core_decide.py)
            try:
                cleaned = self._compiled().clean_text(page, self._host(url))
            except UnicodeEncodeError:  # a str with lone surrogates (bytes never raise it)
                page = _without_surrogates(str(page))
                cleaned = self._compiled().clean_text(page, self._host(url))
            if cleaned is not None:
                return cleaned
        text = decode_bytes(page) if isinstance(page, bytes) else page
        return self.clean_blocks(split_text(_without_surrogates(text)), url=url)

    def clean_blocks(self, blocks: list[Block], url: str | None = None,
                     metadata: dict[str, Any] | None = None) -> CleanResult:
        """Decide on ready-made blocks (the text path, and the HTML path's
        fallback for a page too deep to parse). The steps, in order:

          measure   per-line measures (features.py)
          classify  each block alone: good, short or bad (decide.first_pass)
          match     the rules, tried where they can change the output
          lay out   the article's region, title and the rules' reach
          verdicts  one reason per block, in the order verdicts.py writes down
          revise    the idempotence check: decide again on what was kept
          render    the kept blocks, in input order (render.py)

        The HTML path runs the same steps on a page's DOM blocks, with the
        same verdict chain and render (html/extract.py: _decide).
        """
        host = self._host(url)
        texts = [b.text for b in blocks]
        if self.core == "rust":
            # measured, matched and decided by the core (core_decide.py)
            decided = self._compiled().clean(texts, host)
            if decided is not None:
                return _result(blocks, decided[0], decided[2], decided[1], metadata)
        features = measure(texts, self.ruleset.text.features, self.core)
        check_budget("measuring blocks")
        # The compiled core finds the rules' candidates on every block in one
        # call; the later rounds take those of the blocks they keep.
        found = self.ruleset.candidates(features.stripped) if self.core == "rust" and blocks else None
        decision, report = self._decide(features, host, blocks, found)
        timeouts = self._revise(decision, features, host, blocks, list(report.timeouts), found)
        return _result(blocks, decision, features.language, timeouts, metadata)

    MAX_ROUNDS = 3

    def _host(self, url: str | None) -> str | None:
        """The page's host, for the rules scoped to domains: None when no rule is."""
        return host_of(url) if self.ruleset.scoped else None

    def _compiled(self) -> CompiledDecider:
        """The compiled core's decision for this Cleaner, made on first use."""
        decider = self.__dict__.get("_decider")
        if decider is None:
            decider = self.__dict__["_decider"] = CompiledDecider(self.ruleset, self.strict, self.full_reasons)
        return decider

    def _decide(self, features: PageFeatures, host: str | None, blocks: Sequence[Block],
                found: PageCandidates | None) -> tuple[Decision, MatchReport]:
        """Classify, match, lay out and give the verdicts of one round
        (features: the blocks' measures; blocks: for the line numbers of an
        error; found: the compiled core's rule candidates, None: Python's)."""
        settings = self.ruleset.text
        prior = first_pass(features, settings)
        layout = None
        if not features.chars:
            report = MatchReport()
        elif self.full_reasons:
            report = self._match(features, host, None, None, prior.bounds, blocks, found)
        else:
            report, layout = self._lazy_match(features, host, prior, blocks, found)
        check_budget("matching rules")
        return decide(features, report.hits, settings, prior, layout, self.ruleset.disabled_signals), report

    def _revise(self, decision: Decision, features: PageFeatures, host: str | None, blocks: Sequence[Block],
                timeouts: list[tuple[str, int]], found: PageCandidates | None) -> list[tuple[str, int]]:
        """Cleaning must be idempotent: the kept blocks, cleaned again, must
        all stay. Removing boilerplate can change what the page looks like
        (its language, its best region), so decide again on what was kept
        until nothing more goes; a block dropped in round N keeps that
        round's reason and says N. The per-line measures carry over; the
        first round's title stands. Returns the rules' timeouts of all rounds."""
        title = decision.title
        for round_ in range(1, self.MAX_ROUNDS + 1):
            kept = [i for i, v in enumerate(decision.verdicts) if v.keep]
            if len(kept) == len(blocks) or not kept:
                break
            again, more = self._decide(subset(features, kept, self.ruleset.text.features), host,
                                       [blocks[i] for i in kept],
                                       None if found is None else kept_candidates(found, kept, len(blocks)))
            timeouts += [(rule_id, kept[j]) for rule_id, j in more.timeouts if (rule_id, kept[j]) not in timeouts]
            if all(v.keep for v in again.verdicts):
                break
            for j, verdict in enumerate(again.verdicts):
                if not verdict.keep:
                    decision.verdicts[kept[j]] = replace(verdict, round=round_)
        decision.title = title
        return timeouts

    def _match(self, features: PageFeatures, host: str | None, lines: Sequence[int] | None,
               shaping: bool | None, bounds: tuple[int, int, int], blocks: Sequence[Block],
               found: PageCandidates | None) -> MatchReport:
        # Rules are tried only where their `where` lets them act.
        report = self.ruleset.match(features.stripped, features.keys, host, lines, shaping=shaping, bounds=bounds,
                                    candidates=found)
        if report.timeouts and self.strict:
            rule_id, index = report.timeouts[0]
            raise RuleTimeoutError(f"rule {rule_id!r} timed out on line {blocks[index].first_line}")
        return report

    def _lazy_match(self, features: PageFeatures, host: str | None, prior: FirstPass,
                    blocks: Sequence[Block], found: PageCandidates | None) -> tuple[MatchReport, Layout]:
        """Rules tried only where they can change the output.

        Rules that shape the page (protect, drop-to-end, drop-before) are tried
        on every block. A plain drop rule can only change the output inside the
        article region and the title's window before it (and on the lines the
        headline anchor reads): a block outside them goes whatever the rules
        say. So the region is found with every untried block scoring the better
        of kept and dropped, drop rules are tried on it, and the region is
        found again, until it holds only tried blocks: then no region that
        trying the rest could give scores higher. The text is the same as with
        every rule tried on every block; only a block outside the article may
        be reported by a signal rather than by the rule that also matches it.
        """
        settings = self.ruleset.text
        report = self._match(features, host, None, True, prior.bounds, blocks, found)
        tried = bytearray(len(features.chars))
        todo = anchor_lines(features, settings, prior)
        while True:
            layout = lay_out(features, report.hits, settings, prior, tried)
            needed = layout.needs_rules(settings)
            lines = sorted({i for i in (needed or ()) if not tried[i]} | {i for i in todo if not tried[i]})
            todo = []
            if not lines:
                # The region holds only tried blocks: this layout is the one
                # that trying every block would give.
                return report, layout
            for i in lines:
                tried[i] = 1
            more = self._match(features, host, lines, False, prior.bounds, blocks, found)
            report.hits += more.hits
            report.timeouts += more.timeouts

    def __getstate__(self) -> dict[str, Any]:
        return {"ruleset": self.ruleset, "strict": self.strict, "limits": self.limits,
                "full_reasons": self.full_reasons, "core": self.core}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.ruleset, self.strict = state["ruleset"], state["strict"]
        self.full_reasons = state.get("full_reasons", False)
        self.limits = state.get("limits") or Limits.from_settings(self.ruleset.signals)
        # the core chosen where it was made (an ArgumentError where "rust" is missing)
        self.core = resolve(state.get("core"))


def _result(blocks: list[Block], decision: Decision, lang: str | None,
            timeouts: list[tuple[str, int]], metadata: dict[str, Any] | None) -> CleanResult:
    meta = dict(metadata or {})
    if lang and "language" not in meta:
        meta["language"] = lang
    title = meta.pop("title", None) or decision.title
    return CleanResult(render(blocks, decision.verdicts), title, meta, blocks, decision.verdicts, timeouts)


def _untouched(page: str | bytes | Any, keep_text: bool, warning: str, facts: dict[str, Any]) -> CleanResult:
    """An oversized page, not cleaned: its text as it came (pass) or none (flag)."""
    text = ""
    if keep_text:
        text = decode_bytes(bytes(page)) if not isinstance(page, str) else _without_surrogates(page)
    return CleanResult(text, None, {"warnings": [warning], "oversize": facts})


def _without_surrogates(text: str) -> str:
    # A lone surrogate cannot be written as UTF-8; it becomes U+FFFD.
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text
