"""The HTML path's thresholds and token lists, read from the `[signals.html_*]`
tables of the rule files (rules/html.toml holds the defaults) and compiled once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

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
    content: re.Pattern[str] | None
    ignore_classes: re.Pattern[str] | None
    max_prose_share: float
    caption: re.Pattern[str] | None
    hidden_classes: frozenset[str]
    drop_figcaption: bool

    @classmethod
    def from_signals(cls, signals: Mapping[str, Mapping[str, Any]]) -> "HtmlSettings":
        c = signals["html_container"]
        links = signals["html_links"]
        bp = signals["html_boilerplate_class"]
        ct = signals["html_content_class"]
        cap = signals["html_caption"]
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
            content=token_matcher(list(ct["prefixes"]), list(ct["words"])),
            ignore_classes=re.compile("(?:^|(?<=\\s))(?:%s)\\S*" % "|".join(
                re.escape(p) for p in bp["ignore_prefixes"])) if bp.get("ignore_prefixes") else None,
            max_prose_share=float(bp["max_prose_share"]),
            caption=token_matcher(list(cap["prefixes"]), list(cap["words"])),
            drop_figcaption=bool(cap["drop_figcaption"]),
            hidden_classes=frozenset(c.lower() for c in signals["html_hidden"]["classes"]),
        )
