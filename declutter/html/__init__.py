"""The HTML path: lxml parses the page, the DOM becomes blocks with DOM
signals, the article container is chosen and pruned, and every dropped block
carries the id of the rule or signal that dropped it.

    from declutter.html import extract
    cleaner = Cleaner()
    result = extract(page_bytes, ruleset=cleaner.ruleset, clean_text=cleaner.clean_blocks)  # a CleanResult
"""
from __future__ import annotations

from .extract import extract

__all__ = ["extract"]
