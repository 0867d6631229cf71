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

from .process import Options, Stats
from .run import Summary, clean_stream, default_jobs

__all__ = ["clean_stream", "Options", "Stats", "Summary", "default_jobs"]
