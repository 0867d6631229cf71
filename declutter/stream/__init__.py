"""Corpus streams: JSON Lines and WARC/WET in, JSON Lines out, in order, on
every core, with bounded memory; site rules learned from a corpus; and an
optional Ray Data engine for clusters.

    from declutter import Cleaner
    from declutter.stream import clean_stream, Options
    summary = clean_stream(["shard.jsonl.gz"], Cleaner(), fmt="jsonl", jobs=4)

See ``declutter.stream.learn`` for ``learn_rules`` and
``declutter.stream.ray_engine`` for ``clean_dataset`` / ``learn_dataset``.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # type checkers see the names as if imported here
    from .process import Options, Stats
    from .run import Summary, clean_stream, default_jobs

__all__ = ["Options", "Stats", "Summary", "clean_stream", "default_jobs"]
_HOMES = {"Options": "process", "Stats": "process", "Summary": "run", "clean_stream": "run", "default_jobs": "run"}


def __getattr__(name: str) -> Any:
    # Imported on first use: the process-pool machinery is not loaded by a
    # one-page run of the `declutter` command, which imports the stream CLI.
    if name in _HOMES:
        return getattr(import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
