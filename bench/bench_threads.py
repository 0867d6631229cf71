"""Threads sharing one Cleaner: pages/s of the dev set's text dumps cleaned by
one thread, then by two threads sharing the same Cleaner, per core, in one run.

    python3 bench/bench_threads.py [--dev-dir ../shared/bench] [--repeat 3] [--rounds 4] [--unseen]

Both runs go through the same pool (one worker, then two), so the one-thread
figure pays the same hand-off per page as the two-thread one.

Wall-clock time: the question is how much of the work runs outside the GIL,
which CPU time cannot tell. The machine is shared and noisy, so each figure
is the best of --repeat runs, and the ratio (two threads over one) is the
figure to read; it can reach 2.0 only on two idle cores. Beside it, the
two-thread run's CPU seconds over its wall seconds (all the process's
threads), the CPU per page of both runs and the load average before them:
a CPU/wall well under 2 is time no thread ran, waiting for the GIL or for a
core that other work holds; more CPU per page with two threads is work they
make each other (contended locks, caches). With the kernel's autogroups
(/proc/sys/kernel/sched_autogroup_enabled) each session gets an equal share
of the CPUs: while another session keeps a core busy, this process gets one
core however many threads it runs, so the ratio is about 1.0 (CPU/wall 1.0).

The warm-up pass leaves the Cleaner's memo of Python's confirmations full,
so the timed runs never call back into Python. With --unseen each round of
pages goes to a fresh Cleaner (the compiled regexes stay shared), as on a
stream of pages not met before: most pages then call Python once (~80 µs
with the GIL, mostly `regex` searches).
"""
from __future__ import annotations

import checkout  # noqa: F401  (first: declutter is this checkout's, see bench/checkout.py)

# isort: split

import argparse
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from devset import DEFAULT_DIR, text_pages

from declutter import Cleaner
from declutter.core import compiled


def pages_per_second(cleaner: Callable[[], Cleaner], pages: list[bytes], rounds: int, threads: int,
                     repeat: int) -> tuple[float, float, float]:
    """The best pages/s of `repeat` runs, each over `pages` `rounds` times
    (each round with the Cleaner `cleaner()` gives, made before the clock
    starts) split among `threads` threads that share it; and that run's CPU
    seconds (all the process's threads) over its wall seconds and per page."""
    best, busy, cost = 0.0, 0.0, 0.0
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(repeat):
            tasks = [(shared, page) for shared in (cleaner() for _ in range(rounds)) for page in pages]
            start, cpu = time.perf_counter(), time.process_time()
            # one page per task: the threads take the next page as they finish one
            for _result in pool.map(lambda task: task[0].clean(task[1], html=False), tasks):
                pass
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            if len(tasks) / wall > best:
                best, busy, cost = len(tasks) / wall, cpu / wall, cpu / len(tasks)
    return best, busy, cost


def fresh(core: str) -> Cleaner:
    """A Cleaner whose compiled decider is made (on a one-line page) but
    that has met none of the dev pages."""
    cleaner = Cleaner(core=core)
    cleaner.clean(b"A line to make the decider.\n", html=False)
    return cleaner


def _same(cleaner: Cleaner) -> Cleaner:
    return cleaner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=4, help="the page list is the dev dumps this many times over")
    parser.add_argument("--unseen", action="store_true",
                        help="a fresh Cleaner per round: no page's confirmations remembered")
    args = parser.parse_args()
    pages = list(text_pages(args.dev_dir).values())
    size = sum(map(len, pages)) * args.rounds / 1e6
    cores = ["python", "rust"] if compiled() is not None else ["python"]
    load = os.getloadavg()[0]
    sharing = "a fresh Cleaner per round" if args.unseen else "one warm Cleaner"
    print(f"{len(pages) * args.rounds} pages, {size:.1f} MB; {sharing}; best of {args.repeat} runs, wall-clock;"
          f" load average {load:.2f} on {os.cpu_count()} cores")
    print(f"{'core':8} {'1 thread':>12} {'2 threads':>12} {'ratio':>7} {'CPU/wall':>9} {'CPU µs/page 1, 2':>17}")
    for core in cores:
        cleaner = Cleaner(core=core)
        # warm on every page: the regexes compile on their first search, so
        # neither the one-thread run (first) nor the two-thread run pays for it
        for page in pages:
            cleaner.clean(page, html=False)
        per_round = partial(fresh, core) if args.unseen else partial(_same, cleaner)
        one, _, alone = pages_per_second(per_round, pages, args.rounds, 1, args.repeat)
        two, busy, shared = pages_per_second(per_round, pages, args.rounds, 2, args.repeat)
        print(f"{core:8} {one:9.0f} p/s {two:9.0f} p/s {two / one:6.2f}× {busy:9.2f}"
              f" {alone * 1e6:8.0f} {shared * 1e6:8.0f}")


if __name__ == "__main__":
    main()
