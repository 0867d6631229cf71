"""Every reason id declutter's own code gives a block, and the block classes.

Rules give their own ids (`comments.thread-heading`, `adblock:list.txt:7`);
everything else a block can be kept or dropped for is named here, once, so
that `--explain`, the JSON output and the documentation agree on the names.
The default rule files describe each (a `[[signal]]` entry: name and
description), and `--disable` turns off one of DROPPING.
"""
from __future__ import annotations

from enum import StrEnum

__all__ = [
    "BODY", "CODE", "DROPPING", "HTML_CAPTION", "HTML_CLASS", "HTML_HIDDEN", "HTML_JSON_LD_BODY", "HTML_KEPT",
    "HTML_LINK_CARDS", "HTML_LINK_DENSITY", "HTML_MARKUP_TEXT", "HTML_NOSCRIPT", "HTML_OUTSIDE",
    "HTML_POSTS", "HTML_TAG", "HTML_TITLE", "HTML_TOO_DEEP", "MENU_LIKE", "MENU_RUN", "OUTSIDE_BODY",
    "REPEATED", "TINY", "TITLE", "BlockClass",
]


class BlockClass(StrEnum):
    """What a block looks like on its own, before anything else is known."""

    GOOD = "good"    # prose: long enough, reads like sentences
    SHORT = "short"  # neither: headings, list items, bylines, captions
    BAD = "bad"      # boilerplate-shaped: a menu-like line, a tiny one, code


# -- text signals ------------------------------------------------------------
BODY = "signal.body"                   # kept: inside the article region
TITLE = "signal.title"                 # a copy of the page's title
REPEATED = "signal.repeated"           # a line repeated outside the body
OUTSIDE_BODY = "signal.outside-body"   # outside the article region
MENU_RUN = "signal.menu-run"           # a run of menu-like lines inside the body
MENU_LIKE = "signal.menu-like"         # a menu-like line (its class's reason)
TINY = "signal.tiny"                   # almost no text
CODE = "signal.code-like"              # minified code a text dump picked up

# -- the HTML path -----------------------------------------------------------
HTML_KEPT = "html.article"             # kept: inside the container, not pruned
HTML_NOSCRIPT = "html.noscript"        # kept, read from <noscript> (the coverage backup)
HTML_JSON_LD_BODY = "html.json-ld-body"  # kept, read from JSON-LD's articleBody (the same)
HTML_TITLE = "html.title"              # the headline, a copy of the page's title
HTML_TOO_DEEP = "html.too-deep"        # nesting too deep: cleaned as text (metadata only)
HTML_OUTSIDE = "html.outside-main"     # outside the article's container
HTML_CLASS = "html.boilerplate-class"  # under an element whose id/class names boilerplate
HTML_TAG = "html.boilerplate-tag"      # under <nav>, <aside>, <footer>
HTML_LINK_DENSITY = "html.link-density"
HTML_CAPTION = "html.caption"
HTML_MARKUP_TEXT = "html.markup-text"  # markup shown as text
HTML_HIDDEN = "html.hidden"            # under a class that hides it
HTML_LINK_CARDS = "html.link-cards"    # a list of teaser cards, with its heading
HTML_POSTS = "html.post-list"          # sibling posts with serial ids (reader comments)

# The ids a stage of the verdict chain (verdicts.settle) drops a block for:
# those `--disable` can turn off. The others keep a block (signal.body,
# html.article and the fallbacks), name a class (signal.menu-like) or only
# metadata (html.too-deep): turning them off would mean nothing.
DROPPING = frozenset({
    TITLE, REPEATED, OUTSIDE_BODY, MENU_RUN, TINY, CODE,
    HTML_TITLE, HTML_OUTSIDE, HTML_CLASS, HTML_TAG, HTML_LINK_DENSITY, HTML_CAPTION, HTML_MARKUP_TEXT,
    HTML_HIDDEN, HTML_LINK_CARDS, HTML_POSTS,
})
