"""Rebuild the shipped index of what the default rules' patterns need
(declutter/data/literal_index.json): run `python3 -m declutter.literal_index`
after changing a default rule. The tests fail while the index is stale."""
from __future__ import annotations

import json
from pathlib import Path

import regex

from .literals import INDEX_NAME, analyse, index_key
from .ruleset import RuleSet


def fresh_index() -> dict[str, list[list[str] | None]]:
    """The needs of every default rule's pattern, worked out now."""
    entries: dict[str, list[list[str] | None]] = {}
    for rule in RuleSet().all_rules:
        if rule.pattern is not None:
            found = analyse(rule.pattern.pattern, rule.pattern.flags)
            entries[index_key(rule.pattern.pattern, rule.pattern.flags)] = [
                None if v is None else sorted(v) for v in (found.prefixes, found.literals)]
    return dict(sorted(entries.items()))


def main() -> None:
    target = Path(__file__).resolve().parent / "data" / INDEX_NAME
    entries = fresh_index()
    data = {"regex": regex.__version__, "entries": entries}
    target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(entries)} patterns written to {target}")


if __name__ == "__main__":
    main()
