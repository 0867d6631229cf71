"""declutter: strip boilerplate from scraped web pages, keep the article.

    >>> from declutter import clean
    >>> body = clean(page_text)

Every removal is made by a rule or a structural signal with a stable id; the
rules live in TOML files that users can extend, disable and scope per site.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from .cleaner import Cleaner
from .errors import (
    ArgumentError,
    CoreError,
    DeclutterError,
    InputError,
    PageBudgetError,
    PageTooLargeError,
    RuleFileError,
    RuleTimeoutError,
)
from .result import CleanResult, RemovedBlock
from .sniff import looks_like_html

__all__ = [
    "ArgumentError",
    "CleanResult",
    "Cleaner",
    "CoreError",
    "DeclutterError",
    "InputError",
    "PageBudgetError",
    "PageTooLargeError",
    "RemovedBlock",
    "RuleFileError",
    "RuleTimeoutError",
    "clean",
    "looks_like_html",
]
__version__ = "0.1.0"


@lru_cache(maxsize=1)
def _default_cleaner() -> Cleaner:
    return Cleaner()


def clean(page: str | bytes | Any, *, url: str | None = None, html: bool | None = None) -> str:
    """Return the article body of a page (text or HTML) using the default rules."""
    return _default_cleaner().clean(page, url=url, html=html).text
