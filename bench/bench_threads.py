"""Threads sharing one Cleaner: pages/s of the dev set's text dumps cleaned by
one thread, then by two threads sharing the same Cleaner, per core, in one run.

    python3 bench/bench_threads.py [--dev-dir ../shared/bench] [--repeat 3] [--rounds 4]

Both runs go through the same pool (one worker, then two), so the one-thread
figure pays the same hand-off per page as the two-thread one.

Wall-clock time: the question is how much of the work runs outside the GIL,
which CPU time cannot tell. The machine is shared and noisy, so each figure
is the best of --repeat runs, and the ratio (two threads over one) is the
figure to read; it can reach 2.0 only on two idle cores.
"""
from __future__ import annotations

import checkout  # noqa: F401  (first: declutter is this checkout's, see bench/checkout.py)

# isort: split

import argparse
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from devset import DEFAULT_DIR, text_pages

from declutter import Cleaner
from declutter.core import compiled


def pages_per_second(cleaner: Cleaner, pages: list[bytes], threads: int, repeat: int) -> float:
    """The best pages/s of `repeat` runs over `pages` split among `threads`
    threads that all use `cleaner`."""
    best = 0.0
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(repeat):
            start = time.perf_counter()
            # one page per task: the threads take the next page as they finish one
            for _result in pool.map(lambda page: cleaner.clean(page, html=False), pages):
                pass
            best = max(best, len(pages) / (time.perf_counter() - start))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=4, help="the page list is the dev dumps this many times over")
    args = parser.parse_args()
    distinct = list(text_pages(args.dev_dir).values())
    pages = distinct * args.rounds
    size = sum(map(len, pages)) / 1e6
    cores = ["python", "rust"] if compiled() is not None else ["python"]
    print(f"{len(pages)} pages, {size:.1f} MB; best of {args.repeat} runs, wall-clock")
    print(f"{'core':8} {'1 thread':>12} {'2 threads':>12} {'ratio':>7}")
    for core in cores:
        cleaner = Cleaner(core=core)
        # warm on every page: the regexes compile on their first search, so
        # neither the one-thread run (first) nor the two-thread run pays for it
        for page in distinct:
            cleaner.clean(page, html=False)
        one = pages_per_second(cleaner, pages, 1, args.repeat)
        two = pages_per_second(cleaner, pages, 2, args.repeat)
        print(f"{core:8} {one:9.0f} p/s {two:9.0f} p/s {two / one:6.2f}×")


if __name__ == "__main__":
    main()
