"""The text path's settings, typed: read once per RuleSet from the
`[signals.*]` tables of the rule files (rules/signals.toml holds the
defaults), as HtmlSettings (html/settings.py) is for the HTML path.

The per-page limits have theirs in limits.Limits. Each table's class names
its settings and their types; the values come only from the TOML."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "ClassifySettings", "EdgesSettings", "FeatureSettings", "ListRunSettings", "MenuRunSettings", "RegionSettings",
    "RepeatedSettings", "TableSettings", "TextSettings", "ThreadSettings", "TitleSettings",
]


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
class ClassifySettings:
    """`[signals.classify]`: What a block is on its own: good (prose), short, or bad (menu-like, tiny, code)."""

    good_min_words: int
    good_min_stop_share: float
    good_min_chars_no_stopwords: int
    good_min_chars_any: int
    menu_max_words: int
    menu_min_capital_share: float
    bad_max_chars: int
    code_min_share: float


@dataclass(frozen=True, slots=True)
class RegionSettings:
    """`[signals.region]`: How the article region scores blocks."""

    unspaced_char_weight: float
    good_chars_per_point: float
    good_max_points: float
    good_base_points: float
    short_cost: float
    bad_cost: float
    dropped_cost: float


@dataclass(frozen=True, slots=True)
class TableSettings:
    """`[signals.table]`: Rows of a data table, which count as body text."""

    min_run: int
    min_numbers: int
    min_number_share: float
    points: float


@dataclass(frozen=True, slots=True)
class RepeatedSettings:
    """`[signals.repeated]`: Lines repeated within the page."""

    min_count: int
    max_chars: int
    inside_min_count: int
    edge_blocks: int
    min_shared_share: float
    word_min_chars: int


@dataclass(frozen=True, slots=True)
class TitleSettings:
    """`[signals.title]`: The headline before the body, its anchor, and picture posts under it."""

    look_back: int
    min_words: int
    max_chars: int
    distance_cost: float
    in_first_line_points: float
    repeated_points: float
    no_full_stop_points: float
    anchor_search: int
    anchor_min_chars: int
    anchor_points: float
    anchor_min_share: float
    anchor_near: int
    post_max_chars: int
    post_max_lines: int
    post_min_words: int


@dataclass(frozen=True, slots=True)
class MenuRunSettings:
    """`[signals.menu_run]`: Runs of menu-like lines inside the body."""

    min_run: int


@dataclass(frozen=True, slots=True)
class EdgesSettings:
    """`[signals.edges]`: The page's edges, for rules that act at the top or bottom."""

    body_min_chars: int


@dataclass(frozen=True, slots=True)
class ListRunSettings:
    """`[signals.list_run]`: A list that runs on from the article's end."""

    min_items: int
    max_items: int
    max_chars: int
    min_shared_share: float
    word_min_chars: int


@dataclass(frozen=True, slots=True)
class ThreadSettings:
    """`[signals.thread]`: A thread of posts (reader comments) after the article."""

    min_posts: int
    max_chars: int
    min_words: int
    min_body_chars: int
    prose_within: int
    min_dated_numbers: int
    count_rules: tuple[str, ...]


_T = TypeVar("_T", bound="DataclassInstance")
_CONVERT: dict[str, Callable[[Any], Any]] = {"int": int, "float": float, "tuple[str, ...]": tuple}


def _typed(cls: type[_T], table: Mapping[str, Any]) -> _T:
    """A settings class filled from its table, each value as the field's type
    (the rule-file loader has checked that the types agree already)."""
    return cls(**{f.name: _CONVERT[str(f.type)](table[f.name]) for f in fields(cls)})


@dataclass(frozen=True, slots=True)
class TextSettings:
    """The typed settings of the text path, built once from the signal tables."""

    features: FeatureSettings
    # [signals.limits] regex_timeout_seconds: CPU seconds a rule's regex may
    # take on one page before the rule is skipped there
    regex_timeout: float
    classify: ClassifySettings
    region: RegionSettings
    table: TableSettings
    repeated: RepeatedSettings
    title: TitleSettings
    menu_run: MenuRunSettings
    edges: EdgesSettings
    list_run: ListRunSettings
    thread: ThreadSettings

    @classmethod
    def from_signals(cls, signals: Mapping[str, Mapping[str, Any]]) -> TextSettings:
        return cls(
            FeatureSettings.from_signals(signals), float(signals["limits"]["regex_timeout_seconds"]),
            classify=_typed(ClassifySettings, signals["classify"]), region=_typed(RegionSettings, signals["region"]),
            table=_typed(TableSettings, signals["table"]), repeated=_typed(RepeatedSettings, signals["repeated"]),
            title=_typed(TitleSettings, signals["title"]), menu_run=_typed(MenuRunSettings, signals["menu_run"]),
            edges=_typed(EdgesSettings, signals["edges"]), list_run=_typed(ListRunSettings, signals["list_run"]),
            thread=_typed(ThreadSettings, signals["thread"]),
        )
