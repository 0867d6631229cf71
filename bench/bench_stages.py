"""Where text mode spends its time: CPU seconds per pipeline stage over the
dev set's text dumps, beside the time a throughput target leaves for all of them.

    python3 bench/bench_stages.py [--dev-dir ../shared/bench] [--repeat 3] [--target 10] [--core python rust]

Each stage is timed where the Cleaner calls it (declutter.cleaner's names are
wrapped for the run), so a stage's figure holds every call of it on every
page, the idempotence rounds included. "other" is what the Cleaner does
between stages. Figures are the run with the least total CPU time. With
--core, the table of each core named (default: the one Cleaner() picks).
With the compiled core, "compiled decision" holds the two core calls
(reading and deciding) and the rules confirmed in Python between them; the
"of which" rows are parts of the stages above, not added to the total.
"""
from __future__ import annotations

import checkout  # noqa: F401  (first: declutter is this checkout's, see bench/checkout.py)

# isort: split

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import devset

import declutter.cleaner as cleaner_module
import declutter.core_decide as core_decide_module
import declutter.matching as matching_module
import declutter.ruleset as ruleset_module
from declutter import Cleaner

# (label, object holding the stage, attribute name), in pipeline order.
STAGES = (
    ("split into blocks", cleaner_module, "split_text"),
    ("per-line measures", cleaner_module, "measure"),
    ("measures, later rounds", cleaner_module, "subset"),
    ("classes and first body", cleaner_module, "first_pass"),
    ("rule candidates (core)", ruleset_module.RuleSet, "candidates"),
    ("rule matching", cleaner_module.Cleaner, "_match"),
    ("region (lazy rounds)", cleaner_module, "lay_out"),
    ("headline anchor lines", cleaner_module, "anchor_lines"),
    ("verdicts", cleaner_module, "decide"),
    ("rendering", cleaner_module, "render"),
    # the compiled core's path: everything from measuring to the verdicts
    ("compiled decision", core_decide_module.CompiledDecider, "clean"),
)
# Parts of the stages above (not added to the total): the Python the compiled
# decision runs between its two core calls, and on the Python path inside
# "rule matching".
PARTS = (
    ("drop rules confirmed late", matching_module.RuleGroup, "confirm_pairs"),
    ("floating rules", matching_module.RuleGroup, "match_floating"),
)


def timed(fn: Callable[..., Any], spent: dict[str, float], label: str) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start
    return wrapper


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dev-dir", type=Path, default=devset.DEFAULT_DIR)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--target", type=float, default=10.0, help="throughput target in MB/s (default 10)")
    ap.add_argument("--core", nargs="+", choices=("python", "rust"), default=[None],
                    help="the cores to time, one table each (default: the one Cleaner() picks)")
    args = ap.parse_args()
    pages = devset.text_pages(args.dev_dir)
    texts = [p.decode("utf-8", "replace") for p in pages.values()]
    megabytes = sum(len(p) for p in pages.values()) / 1e6
    for core in args.core:
        report(texts, megabytes, core, args.repeat, args.target)


def report(texts: list[str], megabytes: float, core: str | None, repeat: int, target: float) -> None:
    """Time every stage over the pages with one core and print the table."""
    spent = {label: 0.0 for label, _, _ in STAGES + PARTS}
    originals = [(owner, name, getattr(owner, name)) for _, owner, name in STAGES + PARTS]
    for (label, owner, name), (_, _, fn) in zip(STAGES + PARTS, originals):
        setattr(owner, name, timed(fn, spent, label))
    try:
        best_total, best = float("inf"), dict(spent)
        for _ in range(repeat):
            for label in spent:
                spent[label] = 0.0
            cleaner = devset.compile_rules(Cleaner(core=core))  # fresh: no memo from an earlier run
            start = time.process_time()
            for text in texts:
                cleaner.clean(text, html=False)
            total = time.process_time() - start
            if total < best_total:
                best_total, best = total, dict(spent)
    finally:
        for owner, name, fn in originals:
            setattr(owner, name, fn)
    budget = megabytes / target
    print(f"core {cleaner.core}: {len(texts)} pages, {megabytes:.2f} MB of text dumps; best of {repeat} runs, "
          "CPU seconds")
    print(f"total {best_total:.3f} s = {megabytes / best_total:.1f} MB/s "
          f"(with the timers); {target:g} MB/s leaves {budget:.3f} s")
    print(f"{'stage':26} {'seconds':>8} {'share':>6} {'of budget':>10}")
    parts = {label for label, _, _ in PARTS}
    stages = [(label, seconds) for label, seconds in best.items() if label not in parts]
    rows = stages + [("other", best_total - sum(seconds for _, seconds in stages))]
    for label, seconds in rows:
        print(f"{label:26} {seconds:8.3f} {seconds / best_total:6.1%} {seconds / budget:10.0%}")
    for label in parts:
        seconds = best[label]
        print(f"{'  of which ' + label:36} {seconds:8.3f} {seconds / best_total:6.1%}")
    matching = best["rule candidates (core)"] + best["rule matching"] + best["drop rules confirmed late"]
    print(f"candidates + matching: {matching:.3f} s, {matching / len(texts) * 1e3:.3f} ms per page\n")


if __name__ == "__main__":
    main()
