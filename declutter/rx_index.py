"""Rebuild the shipped translations of the default rules' patterns for the
compiled core (declutter/data/rx_index.json, see rx.py): run
`python3 -m declutter.rx_index` after changing a default rule; `--check`
exits 1 while it is stale (the tests run it). Under a `regex` version other
than the one that built it, only its patterns can be checked (the rest is
that version's own, rx.table())."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .ruleset import RuleSet
from .rx import INDEX_NAME, build_index, dump_index

TARGET = Path(__file__).resolve().parent / "data" / INDEX_NAME


def fresh() -> str:
    """The index's text, worked out now (a few seconds: every class is probed)."""
    patterns = sorted({(r.pattern.pattern, r.pattern.flags) for r in RuleSet().all_rules if r.pattern is not None})
    return dump_index(build_index(patterns))


def _patterns(text: str) -> dict[str, Any]:
    """Each entry's source and flags, by key."""
    return {k: (e.get("source"), e.get("flags")) for k, e in json.loads(text)["entries"].items()}


def _stale(shipped: str, text: str) -> bool:
    if shipped == text:
        return False
    if json.loads(shipped).get("regex") == json.loads(text).get("regex"):
        return True
    return _patterns(shipped) != _patterns(text)


def main(argv: list[str]) -> int:
    text = fresh()
    if "--check" in argv:
        stale = not TARGET.is_file() or _stale(TARGET.read_text(encoding="utf-8"), text)
        print(f"{TARGET.name}: {'stale' if stale else 'current'}")
        return 1 if stale else 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"{TARGET.name} written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
