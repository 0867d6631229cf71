"""One rule, and one hit of it: what every rule format (TOML rule files,
adblock filter lists) produces and what the matchers and deciders consume;
and a signal's description (its id, name and the settings that tune it)."""
from __future__ import annotations

from dataclasses import dataclass

from .pattern import RulePattern


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """One rule, validated and compiled."""

    id: str
    name: str
    description: str
    source: str
    pattern: RulePattern | None = None
    phrases: tuple[str, ...] = ()
    # What every block the pattern matches begins with, as the rule's author
    # states it (empty: worked out from the pattern, see literals.py).
    starts: tuple[str, ...] = ()
    selector: str | None = None
    action: str = "drop"
    where: str = "anywhere"
    max_chars: int | None = None
    min_chars: int = 0
    domains: tuple[str, ...] = ()
    enabled: bool = True
    # Lines the rule must match and lines it must leave alone (for a selector
    # rule: HTML snippets it must / must not select), run by `rules check`.
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    line: int | None = None  # where its [[rule]] table starts in `source` (None: unknown)

    def applies_to(self, host: str | None) -> bool:
        """True when the rule is unscoped or the page's host is one of its domains (or under one).
        A domain written "~example.com" excludes that host (as in adblock filter lists)."""
        if not self.domains:
            return True
        included = [d for d in self.domains if not d.startswith("~")]
        if host and any(host == d[1:] or host.endswith("." + d[1:]) for d in self.domains if d.startswith("~")):
            return False
        if not included:
            return True
        if not host:
            return False
        return any(host == d or host.endswith("." + d) for d in included)


@dataclass(slots=True)
class Hit:
    """A rule matched a block."""

    rule: Rule
    block: int


@dataclass(frozen=True, slots=True)
class Signal:
    """One of declutter's own reason ids (declared in reasons.py), as the
    default rule files describe it in a `[[signal]]` table: what `rules list`
    shows and what `--disable` accepts. `settings` names the `[signals.NAME]`
    tables that tune it."""

    id: str
    name: str
    description: str
    source: str
    settings: tuple[str, ...] = ()
    line: int | None = None  # where its [[signal]] table starts in `source` (None: unknown)
