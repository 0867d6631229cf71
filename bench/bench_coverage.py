#!/usr/bin/env python3
"""Never an empty article in silence: how many pages come out (almost) empty.

    python3 bench/bench_coverage.py                  # the four sets and the dev set
    python3 bench/bench_coverage.py --sets dragnet --jobs 2 --show 20

For every page of the four public sets (sets/<set>/html, text) and of the
development set (article-extraction-benchmark/html, dev-text) in --sets-dir
(default ../shared/bench), cleans the HTML with declutter and counts the
pages whose text dump holds more than --min-words words but whose HTML
output holds fewer than --max-words: how many carry a warning in
metadata["warnings"] (said) and how many do not (silent), and how many were
read from a backup (metadata["html_fallback"]: <noscript>, JSON-LD
articleBody). Words are counted as the safety net counts them
(declutter.html.missed.words: a run between spaces, or one CJK character).
Prints one markdown table and lists the silent pages.
"""
from __future__ import annotations

import checkout  # noqa: F401  (first: declutter is this checkout's, see bench/checkout.py)

# isort: split

import argparse
import gzip
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SETS_DIR = HERE.parent.parent / "shared" / "bench"
SETS = ("dragnet", "readability", "cleanportaleval", "cleaneval-dev")
DEV = "dev"


def page_keys(sets_dir: Path, name: str) -> list[str]:
    if name == DEV:
        return sorted(p.stem for p in (sets_dir / "dev-text").glob("*.txt"))
    return sorted(json.loads((sets_dir / "sets" / name / "gold.json").read_text(encoding="utf-8")))


def read_pair(sets_dir: Path, name: str, key: str) -> tuple[bytes, str]:
    """The page's HTML bytes and its text dump."""
    if name == DEV:
        html = gzip.decompress((sets_dir / "article-extraction-benchmark" / "html" / f"{key}.html.gz").read_bytes())
        return html, (sets_dir / "dev-text" / f"{key}.txt").read_text(encoding="utf-8", errors="replace")
    folder = sets_dir / "sets" / name
    html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
    dump = gzip.decompress((folder / "text" / f"{key}.txt.gz").read_bytes()).decode("utf-8", "replace")
    return html, dump


def check_pages(job: tuple[Path, str, list[str]]) -> list[tuple[str, str, int, int, bool, bool]]:
    """(set, key, dump words, output words, warned, from a backup) per page."""
    from declutter import Cleaner
    from declutter.html.missed import words

    sets_dir, name, keys = job
    cleaner = Cleaner()
    rows = []
    for key in keys:
        html, dump = read_pair(sets_dir, name, key)
        result = cleaner.clean(html, html=True)
        rows.append((name, key, words(dump), words(result.text), bool(result.metadata.get("warnings")),
                     "html_fallback" in result.metadata))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets-dir", type=Path, default=DEFAULT_SETS_DIR)
    ap.add_argument("--sets", nargs="+", choices=(*SETS, DEV), default=[*SETS, DEV])
    ap.add_argument("--min-words", type=int, default=100, help="a dump over this many words has plenty of text")
    ap.add_argument("--max-words", type=int, default=20, help="an output under this many words is almost empty")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--show", type=int, default=10, help="list at most this many silent pages")
    args = ap.parse_args(argv)
    jobs = []
    for name in args.sets:
        keys = page_keys(args.sets_dir, name)
        step = max(1, len(keys) // (4 * args.jobs))
        jobs += [(args.sets_dir, name, keys[i:i + step]) for i in range(0, len(keys), step)]
    if args.jobs == 1:  # in this process (also what the test runs)
        rows = [row for part in map(check_pages, jobs) for row in part]
    else:
        with ProcessPoolExecutor(args.jobs) as pool:
            rows = [row for part in pool.map(check_pages, jobs) for row in part]
    print("| set | pages | dump over min words | output under max words | said (warning) | silent | from a backup |")
    print("|---|---|---|---|---|---|---|")
    silent_rows = []
    for name in [*args.sets, "all"]:
        mine = [r for r in rows if name == "all" or r[0] == name]
        plenty = [r for r in mine if r[2] > args.min_words]
        empty = [r for r in plenty if r[3] < args.max_words]
        silent = [r for r in empty if not r[4]]
        if name != "all":
            silent_rows += silent
        print(f"| {name} | {len(mine)} | {len(plenty)} | {len(empty)} | {len(empty) - len(silent)} "
              f"| {len(silent)} | {sum(r[5] for r in mine)} |")
    for name, key, dump_words, out_words, _, _ in silent_rows[:args.show]:
        print(f"silent: {name}/{key}: dump {dump_words} words, output {out_words}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
