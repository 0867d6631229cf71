"""The HTML path's thresholds and token lists, read from the `[signals.html_*]`
tables of the rule files (rules/html.toml holds the defaults) and compiled once."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["HtmlSettings", "token_matcher"]


def token_matcher(prefixes: list[str], words: list[str]) -> re.Pattern[str] | None:
    """A regex over a lowercased, camelCase-split id/class string: `prefixes`
    match at a token start, `words` match a whole token; tokens are separated
    by whitespace, '-' or '_'."""
    alternatives = []
    if prefixes:
        alternatives.append("(?:^|[\\s_-])(?:%s)" % "|".join(re.escape(p) for p in prefixes))
    if words:
        alternatives.append("(?:^|[\\s_-])(?:%s)(?=$|[\\s_-])" % "|".join(re.escape(w) for w in words))
    if not alternatives:
        return None
    return re.compile("|".join(alternatives))


def _ignored_tokens(prefixes: list[str], modifiers: bool) -> re.Pattern[str] | None:
    """Class tokens that state something about an element rather than name
    it: taxonomy and state prefixes ("tag-news", "has-ads"), and with
    `modifiers` BEM modifiers ("o-section--has-ads"), whose block name is
    its own token beside them."""
    alternatives = [re.escape(p) + "\\S*" for p in prefixes]
    if modifiers:
        alternatives.append("\\S*--\\S*")
    if not alternatives:
        return None
    return re.compile("(?:^|(?<=\\s))(?:%s)" % "|".join(alternatives))


def whole_tokens(tokens: frozenset[str]) -> re.Pattern[str] | None:
    """A case-blind regex finding any of `tokens` as a whole token of a
    class attribute (tokens separated by whitespace)."""
    if not tokens:
        return None
    return re.compile("(?:^|(?<=\\s))(?:%s)(?=\\s|$)" % "|".join(re.escape(t) for t in sorted(tokens)), re.I)


# the patterns whose findings HtmlSettings.found remembers
_SEARCHED = ("boilerplate", "boilerplate_except", "talk", "content", "caption", "body_classes")


@dataclass(frozen=True)
class HtmlSettings:
    prose_chars: int
    sentence_chars: int
    link_penalty: float
    short_penalty: float
    boilerplate_penalty: float
    hint_bonus: float
    table_weight: float
    full_levels: int
    depth_decay: float
    max_link_density: float
    link_min_chars: int
    boilerplate: re.Pattern[str] | None
    boilerplate_except: re.Pattern[str] | None
    talk: re.Pattern[str] | None
    content: re.Pattern[str] | None
    ignore_classes: re.Pattern[str] | None
    max_prose_share: float
    caption: re.Pattern[str] | None
    hidden_classes: frozenset[str]
    drop_figcaption: bool
    caption_max_chars: int
    caption_backup_share: float
    backup_max_words: int
    backup_min_words: int
    marker_classes: frozenset[str]
    marker_tags: frozenset[str]
    body_classes: re.Pattern[str] | None
    marker_min_share: float
    marker_min_share_of_largest: float
    marker_part_levels: int
    cards_min_blocks: int
    sibling_share: float
    lead_blocks: int
    lead_levels: int
    headline_post_max_words: int
    headline_post_scope: float
    prune_backup_share: float
    cards_link_share: float
    cards_max_plain: int
    cards_max_share: float
    link_sentence_words: int
    posts_min: int
    alike_levels: int
    posts_share: float
    # a cache, not a setting: each distinct (id, class) pair's folded class
    # string (article._class_string), shared by the pages these settings clean
    folded: dict[tuple[str | None, str | None], str] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    # caches too: whether a pattern finds anything in a class string
    # (article._found), one dict per pattern, keyed by the string searched
    found: dict[str, dict[str, bool]] = field(
        default_factory=lambda: {name: {} for name in _SEARCHED}, init=False, compare=False, repr=False
    )

    @classmethod
    def from_signals(cls, signals: Mapping[str, Mapping[str, Any]]) -> HtmlSettings:
        c = signals["html_container"]
        links = signals["html_links"]
        bp = signals["html_boilerplate_class"]
        ct = signals["html_content_class"]
        cap = signals["html_caption"]
        marker = signals["html_body_marker"]
        return cls(
            prose_chars=int(c["prose_chars"]),
            sentence_chars=int(c["sentence_chars"]),
            link_penalty=float(c["link_penalty"]),
            short_penalty=float(c["short_penalty"]),
            boilerplate_penalty=float(c["boilerplate_penalty"]),
            hint_bonus=float(c["hint_bonus"]),
            table_weight=float(c["table_weight"]),
            full_levels=int(c["full_levels"]),
            depth_decay=float(c["depth_decay"]),
            max_link_density=float(links["max_density"]),
            link_min_chars=int(links["min_chars"]),
            boilerplate=token_matcher(list(bp["prefixes"]), list(bp["words"])),
            boilerplate_except=token_matcher(list(bp.get("except_prefixes", [])), []),
            talk=token_matcher(list(bp["talk_prefixes"]), []),
            content=token_matcher(list(ct["prefixes"]), list(ct["words"])),
            ignore_classes=_ignored_tokens(list(bp.get("ignore_prefixes", [])),
                                           bool(bp["ignore_modifiers"])),
            max_prose_share=float(bp["max_prose_share"]),
            caption=token_matcher(list(cap["prefixes"]), list(cap["words"])),
            drop_figcaption=bool(cap["drop_figcaption"]),
            caption_max_chars=int(cap["max_chars"]),
            caption_backup_share=float(cap["backup_share"]),
            backup_max_words=int(signals["html_missed"]["max_kept_words"]),
            backup_min_words=int(signals["html_missed"]["min_prose_words"]),
            hidden_classes=frozenset(c.lower() for c in signals["html_hidden"]["classes"]),
            marker_classes=frozenset(c.lower() for c in marker["classes"]),
            marker_tags=frozenset(t.lower() for t in marker["tags"]),
            body_classes=whole_tokens(frozenset(c.lower() for c in marker["classes"])),
            marker_min_share=float(marker["min_share"]),
            marker_min_share_of_largest=float(marker["min_share_of_largest"]),
            marker_part_levels=int(marker["part_levels"]),
            cards_min_blocks=int(links["cards_min_blocks"]),
            sibling_share=float(c["sibling_share"]),
            lead_blocks=int(c["lead_blocks"]),
            lead_levels=int(c["lead_levels"]),
            headline_post_max_words=int(c["headline_post_max_words"]),
            headline_post_scope=float(c["headline_post_scope"]),
            prune_backup_share=float(bp["backup_share"]),
            cards_link_share=float(links["cards_link_share"]),
            cards_max_plain=int(links["cards_max_plain"]),
            cards_max_share=float(links["cards_max_share"]),
            link_sentence_words=int(links["sentence_words"]),
            alike_levels=int(marker["alike_levels"]),
            posts_min=int(signals["html_posts"]["min_posts"]),
            posts_share=float(signals["html_posts"]["share"]),
        )
