"""What cleaning a page returns."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .blocks import Block
from .notes import first_few
from .verdicts import Verdict


@dataclass(frozen=True, slots=True)
class RemovedBlock:
    """A dropped block: its text, where it was in the input, the id of the
    rule or signal that removed it, its first-pass class (good, short, bad)
    and the cleaning round that removed it (0 the first; 1 or more: the
    idempotence check, cleaning what the first round kept, dropped it)."""

    text: str
    first_line: int
    last_line: int
    reason: str
    first_class: str = "short"
    round: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "lines": [self.first_line, self.last_line], "reason": self.reason,
                "class": str(self.first_class), "round": self.round}


class _Lazy:
    """The slots of a CleanResult's lazy blocks and of its removed characters
    counted ahead (see CleanResult.lazy): not dataclass fields, so fields(),
    asdict(), repr and == do not see them."""

    __slots__ = ("_make", "_removed_chars")


@dataclass(slots=True)
class CleanResult(_Lazy):
    """The cleaned page.

    text      the article body, paragraphs separated by a blank line
    title     the page's title, when one was found
    metadata  further facts about the page (language, and on HTML pages author, date, …)
    removed   every dropped block with the id of what dropped it
    blocks, verdicts  every block with its decision, for --explain
    skipped_rules     (rule id, block index) of regex matches skipped on timeout
    """

    text: str
    title: str | None
    metadata: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list, repr=False)
    verdicts: list[Verdict] = field(default_factory=list, repr=False)
    skipped_rules: list[tuple[str, int]] = field(default_factory=list)

    @classmethod
    def lazy(cls, text: str, title: str | None, metadata: dict[str, Any], skipped_rules: list[tuple[str, int]],
             make: Callable[[], tuple[list[Block], list[Verdict]]], removed_chars: int) -> CleanResult:
        """A result whose blocks and verdicts `make` gives when first asked
        for (the compiled text path makes no object per line until then);
        removed_chars: what `removed_chars` would count from them."""
        result = cls(text, title, metadata, skipped_rules=skipped_rules)
        del result.blocks, result.verdicts  # unset: the first read comes to __getattr__
        result._make = make  # type: ignore[attr-defined]  # _Lazy's slot
        result._removed_chars = removed_chars  # type: ignore[attr-defined]  # _Lazy's slot
        return result

    if not TYPE_CHECKING:  # to the type checker, blocks and verdicts are plain fields

        def __getattr__(self, name: str) -> Any:
            # only an unset blocks or verdicts comes here (slots raise AttributeError)
            # _make: what makes the blocks and verdicts, set only by lazy()
            make = getattr(self, "_make", None) if name in ("blocks", "verdicts") else None
            if make is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            self.blocks, self.verdicts = make()
            del self._make
            return getattr(self, name)

    @property
    def removed(self) -> list[RemovedBlock]:
        """Every dropped block with the id of the rule or signal that dropped it."""
        return [RemovedBlock(b.text.strip(), b.first_line, b.last_line, v.reason, str(v.first_class), v.round)
                for b, v in zip(self.blocks, self.verdicts) if not v.keep]

    @property
    def removed_chars(self) -> int:
        """The characters of every removed block's text (as `removed` gives
        it): what a stream counts, known without making the blocks where
        the compiled core counted them."""
        counted = getattr(self, "_removed_chars", None)
        if counted is not None:
            return int(counted)
        return sum(len(r.text) for r in self.removed)

    def skip_notes(self) -> list[str]:
        """One line per rule that timed out on this page, with the blocks it
        was skipped on (a rule that times out everywhere says so once)."""
        where: dict[str, list[int]] = {}
        for rule_id, index in self.skipped_rules:
            where.setdefault(rule_id, []).append(index + 1)
        notes = []
        for rule_id, blocks in where.items():
            if len(blocks) == 1:
                notes.append(f"rule {rule_id!r} timed out on block {blocks[0]}; skipped there")
                continue
            notes.append(f"rule {rule_id!r} timed out on {len(blocks)} blocks ({first_few(blocks)}); skipped there")
        return notes

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: title, text, metadata, removed (and skipped rules, if any)."""
        out: dict[str, Any] = {
            "title": self.title,
            "text": self.text,
            "metadata": self.metadata,
            "removed": [r.to_dict() for r in self.removed],
        }
        if self.skipped_rules:
            out["skipped_rules"] = [{"rule": r, "block": b} for r, b in self.skipped_rules]
        return out
