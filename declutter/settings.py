"""The text path's settings, typed: read once per RuleSet from the
`[signals.*]` tables of the rule files (rules/signals.toml holds the
defaults), as HtmlSettings (html/settings.py) is for the HTML path.

The per-page limits have theirs in limits.Limits. decide.py still reads its
tables by string keys (decide.Settings)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["FeatureSettings", "TextSettings"]


@dataclass(frozen=True, slots=True)
class FeatureSettings:
    """What measuring a page's blocks reads (features.measure): the
    `[signals.features]` table, and `[signals.classify]` good_min_chars_any
    (stop_max_chars: a block that long is prose on length alone, so its
    stop-word share is never read and is left at 0)."""

    unspaced_min_share: float
    prose_min_words: int
    menu_max_words: int
    code_min_chars: int
    code_max_space_share: float
    stop_max_chars: float

    @classmethod
    def from_signals(cls, signals: Mapping[str, Mapping[str, Any]]) -> FeatureSettings:
        f = signals["features"]
        return cls(
            unspaced_min_share=float(f["unspaced_min_share"]),
            prose_min_words=int(f["prose_min_words"]),
            menu_max_words=int(f["menu_max_words"]),
            code_min_chars=int(f["code_min_chars"]),
            code_max_space_share=float(f["code_max_space_share"]),
            stop_max_chars=float(signals["classify"]["good_min_chars_any"]),
        )


@dataclass(frozen=True, slots=True)
class TextSettings:
    """The typed settings of the text path, built once from the signal tables."""

    features: FeatureSettings
    # [signals.limits] regex_timeout_seconds: CPU seconds a rule's regex may
    # take on one page before the rule is skipped there
    regex_timeout: float

    @classmethod
    def from_signals(cls, signals: Mapping[str, Mapping[str, Any]]) -> TextSettings:
        return cls(FeatureSettings.from_signals(signals), float(signals["limits"]["regex_timeout_seconds"]))
