"""A block's verdict, and the one order in which what is known of a block
decides it — the same for text and HTML pages.

Both paths gather, per block, what each stage found: a protect rule, a drop
rule, a copy of the title, a repeat outside the body, a rule's range, the
page's structure (the text region or the HTML container and its pruning).
`settle` then decides in this order, the first that applies:

  1. a protect rule keeps the block         (the user said so)
  2. a drop rule drops it                   (its own id)
  3. a copy of the page's title goes        (signal.title / html.title)
  4. a line repeated outside the body goes  (text: signal.repeated)
  5. a drop-to-end / drop-before range      (the rule that opened it)
  6. the structure drops it                 (outside the article, pruned, a menu run)
  7. otherwise it is kept                   (signal.body / html.article)

Every stage but the first only drops, so the order changes which id a
dropped block reports, never whether it is dropped.

A signal turned off (`--disable signal.repeated`) decides no block: here, and
only here, its reason counts as nothing found, so a later stage or the keep
decides. What the signal fed earlier stages (the region's scores, the
container's choice) is unchanged.
"""
from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

from .reasons import BlockClass
from .rule import Hit

__all__ = ["ORDER", "Verdict", "protect_reasons", "settle"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """keep or drop, the id of what decided, the block's first-pass class,
    and the cleaning round that decided (0: the first; a later round of the
    idempotence check dropped a block the first round kept)."""

    keep: bool
    reason: str
    first_class: str = BlockClass.SHORT.value
    round: int = 0


# The stages that can drop a block, in the order they decide (protect comes first).
ORDER = ("drop", "title", "repeated", "in_range", "structure")


def settle(classes: Sequence[str], kept: str, protect: Sequence[str], *, disabled: Set[str] = frozenset(),
           **found: Sequence[str]) -> list[Verdict]:
    """Every block's verdict from what each stage found: `protect` and each
    stage of ORDER (a keyword argument each; a stage a path does not have is
    left out) give one reason per block, "" where they found nothing. The
    first that applies decides, in the order of the module docstring; a block
    nothing drops is kept for `kept`. A reason in `disabled` (signals the
    user turned off) counts as "". Blocks decided alike share one Verdict."""
    unknown = set(found) - set(ORDER)
    if unknown:
        raise ValueError(f"no such stage: {', '.join(sorted(unknown))}")
    stages = [_without(found[name], disabled) for name in ORDER if name in found]
    shared: dict[tuple[bool, str, str], Verdict] = {}
    verdicts: list[Verdict] = []
    for i, first_class in enumerate(classes):
        keep, reason = True, protect[i] or kept
        if not protect[i]:
            for stage in stages:
                if stage[i]:
                    keep, reason = False, stage[i]
                    break
        verdict = shared.get((keep, reason, first_class))
        if verdict is None:
            verdict = shared[(keep, reason, first_class)] = Verdict(keep, reason, first_class)
        verdicts.append(verdict)
    return verdicts


def _without(reasons: Sequence[str], off: Set[str]) -> Sequence[str]:
    """The stage's reasons with those turned off blanked."""
    if not off or off.isdisjoint(reasons):
        return reasons
    return [r if r not in off else "" for r in reasons]


def protect_reasons(protect: Sequence[bool], hits: Sequence[Hit]) -> list[str]:
    """The id of the protect rule that keeps each protected block (the
    first of its protect hits), "" for the others."""
    out = [""] * len(protect)
    for hit in hits:
        i = hit.block
        if protect[i] and not out[i] and hit.rule.action == "protect":
            out[i] = hit.rule.id
    return out
