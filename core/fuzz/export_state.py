"""Writes core/fuzz/default_state.json: the default rules' text decision as
the compiled core is given it (core_decide.py CompiledDecider), for the
`text_page` fuzz target, which runs the core without Python.

The prefilter's literals (literals.py) and the rules' translations (rx.py)
are Python's analysis of the rules' regexes: exporting them is the only way
the fuzz target gets the state the Cleaner really builds. `--check` fails
(status 1) when the file is not what the rules give now (run it after
changing a rule, a setting, literals.py or rx.py).

    python core/fuzz/export_state.py [--check]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from declutter.cleaner import Cleaner  # noqa: E402
from declutter.core_decide import _in_core  # noqa: E402
from declutter.matching import prefilter_spec  # noqa: E402
from declutter.normalise import PHRASE_TRIM  # noqa: E402

OUT = Path(__file__).resolve().parent / "default_state.json"

# py_decide.rs `settings`: every TextSettings value the core takes, by path
SETTINGS = [
    "features.unspaced_min_share", "features.prose_min_words", "features.menu_max_words",
    "features.code_min_chars", "features.code_max_space_share", "features.stop_max_chars",
    "classify.good_min_words", "classify.good_min_stop_share", "classify.good_min_chars_no_stopwords",
    "classify.good_min_chars_any", "classify.menu_max_words", "classify.menu_min_capital_share",
    "classify.bad_max_chars", "classify.code_min_share", "region.unspaced_char_weight",
    "region.good_chars_per_point", "region.good_max_points", "region.good_base_points", "region.short_cost",
    "region.bad_cost", "region.dropped_cost", "table.min_run", "table.min_numbers", "table.min_number_share",
    "table.points", "repeated.min_count", "repeated.max_chars", "repeated.inside_min_count",
    "repeated.edge_blocks", "repeated.min_shared_share", "repeated.word_min_chars", "title.look_back",
    "title.min_words", "title.max_chars", "title.distance_cost", "title.in_first_line_points",
    "title.repeated_points", "title.no_full_stop_points", "title.anchor_search", "title.anchor_min_chars",
    "title.anchor_points", "title.anchor_min_share", "title.anchor_near", "title.post_max_chars",
    "title.post_max_lines", "title.post_min_words", "menu_run.min_run", "edges.body_min_chars",
    "list_run.min_items", "list_run.max_items", "list_run.max_chars", "list_run.min_shared_share",
    "list_run.word_min_chars", "thread.min_posts", "thread.max_chars", "thread.min_words",
    "thread.min_body_chars", "thread.prose_within", "thread.min_dated_numbers",
]


def setting(text: Any, path: str) -> float:
    for name in path.split("."):
        text = getattr(text, name)
    return float(text)


def state() -> dict[str, Any]:
    """The default Cleaner's TextDecider and Prefilter arguments."""
    ruleset = Cleaner().ruleset
    rules = ruleset.rules
    number = {rule: n for n, rule in enumerate(rules)}
    counted = set(ruleset.text.thread.count_rules)
    shaping, dropping = ruleset.matching.shaping.index, ruleset.matching.dropping.index
    floating = {*shaping.floating, *dropping.floating}
    return {
        "settings": [[path, setting(ruleset.text, path)] for path in SETTINGS],
        "rules": [[r.action, r.where, r.id in counted, r in floating] for r in rules],
        "disabled": sorted(ruleset.disabled_signals),
        "bounds": [[r.min_chars, r.max_chars] for r in rules],
        "scoped": [bool(r.domains) for r in rules],
        "rx": [_in_core(r, r in floating) for r in rules],
        "shaping": [number[r] for r in shaping.rules],
        "dropping": [number[r] for r in dropping.rules],
        "prefilter": [prefilter_spec(shaping), prefilter_spec(dropping)],
        "phrase_trim": PHRASE_TRIM,
    }


def main() -> int:
    made = json.dumps(state(), ensure_ascii=False, indent=0) + "\n"
    if sys.argv[1:] == ["--check"]:
        if OUT.read_text(encoding="utf-8") != made:
            print(f"export_state: {OUT.name} is stale: run python core/fuzz/export_state.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(made, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
