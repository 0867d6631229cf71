#!/usr/bin/env python3
"""Writes what core/examples/read_bench.rs reads: the default rules' prefilter
specs (both groups), the stop lists and PHRASE_TRIM, one record a line.

    python3 bench/read_spec.py OUT
    cd core && cargo run --release --example read_bench -- OUT ../../shared/bench/dev-text 20
"""
from __future__ import annotations

import checkout  # noqa: F401  (first: declutter is this checkout's, see bench/checkout.py)

# isort: split

import sys

from declutter import Cleaner, language
from declutter.matching import prefilter_spec
from declutter.normalise import PHRASE_TRIM


def records() -> list[str]:
    """The records: per group "G", its bounds "B", phrases "P", prefixes "K",
    prefixed rules' literals "L", literal rules "R", `everywhere` "E"; then a
    stop list per language "S" and the trim "T". Fields are cut by tabs, lists
    of texts by \\x1f, of ranks by spaces."""
    matching = Cleaner().ruleset.matching
    out = []
    for group in (matching.shaping, matching.dropping):
        bounds, phrases, prefixes, prefix_literals, literal_rules, everywhere = prefilter_spec(group.index)
        out.append(f"G\t{len(bounds)}")
        out += [f"B\t{low}\t{-1 if high is None else high}" for low, high in bounds]
        out += [f"P\t{p}\t" + " ".join(map(str, r)) for p, r in phrases]
        out += [f"K\t{p}\t" + " ".join(map(str, r)) for p, r in prefixes]
        out += [f"L\t{r}\t" + "\x1f".join(lits) for r, lits in prefix_literals]
        out += [f"R\t{r}\t" + "\x1f".join(lits) for r, lits in literal_rules]
        out.append("E\t" + " ".join(map(str, everywhere)))
    out += ["S\t" + "\x1f".join(sorted(words)) for words in language.stoplists()[1]]
    out.append("T\t" + PHRASE_TRIM)
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: read_spec.py OUT")
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write("\n".join(records()))
