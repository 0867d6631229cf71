"""Load the development set (../shared/bench) and its scorer for the bench scripts.

The set is not copied into the repository; point --dev-dir at it elsewhere.
"""
from __future__ import annotations

import checkout  # noqa: F401  (first: declutter is this checkout's, see bench/checkout.py)

# isort: split

import gzip
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import TypeVar

from declutter import Cleaner

CleanerT = TypeVar("CleanerT", bound=Cleaner)

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"


def scorer(dev_dir: Path) -> ModuleType:
    """The benchmark's own score.py, imported from the dev set folder."""
    spec = importlib.util.spec_from_file_location("devset_score", dev_dir / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold(dev_dir: Path) -> dict[str, str]:
    data = json.loads((dev_dir / "article-extraction-benchmark" / "ground-truth.json").read_text())
    return {k: v.get("articleBody", "") for k, v in data.items()}


def text_pages(dev_dir: Path) -> dict[str, bytes]:
    return {p.stem: p.read_bytes() for p in sorted((dev_dir / "dev-text").glob("*.txt"))}


def html_pages(dev_dir: Path) -> dict[str, bytes]:
    folder = dev_dir / "article-extraction-benchmark" / "html"
    return {p.name.split(".")[0]: gzip.decompress(p.read_bytes()) for p in sorted(folder.glob("*.html.gz"))}


def compile_rules(cleaner: CleanerT) -> CleanerT:
    """Compile every rule pattern of a Cleaner now. Default patterns compile on
    first use; throughput figures leave that one-time start-up out, as they
    did when patterns compiled with the Cleaner (bench_startup.py times it)."""
    for rule in cleaner.ruleset.rules:
        if rule.pattern is not None:
            _ = rule.pattern.compiled  # the property compiles on first access
    return cleaner
