"""One page through the command line, as a shell loop over files runs it:
wall-clock seconds of a whole `declutter` process (interpreter start,
imports, rules, one page), beside trafilatura's command on the same page.

    python3 bench/bench_startup.py [--runs 10] [PAGE]

PAGE defaults to the seed (a text dump, which trafilatura does not take as a
page; give it an HTML page to compare the two on equal work). A .gz page is
unpacked first. The declutter measured is this checkout's (its folder first on PYTHONPATH),
not an installed copy. Runs of the tools alternate, so that a busy moment of
the machine falls on both; the median is printed.
"""
from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_0eb8e67bc03ad9ec.txt"
DECLUTTER = "import sys; from declutter.cli import main; sys.argv[0] = 'declutter'; main()"


def wall(command: list[str], page: Path, env: dict[str, str]) -> float:
    with page.open("rb") as stdin:
        start = time.perf_counter()
        # Run in the checkout: `python -c` puts the working folder first on sys.path.
        subprocess.run(command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       cwd=ROOT, check=True)
        return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("page", nargs="?", type=Path, default=SEED)
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    page = args.page
    if page.suffix == ".gz":
        unpacked = Path(tempfile.mkdtemp(prefix="declutter-bench-")) / page.stem
        unpacked.write_bytes(gzip.decompress(page.read_bytes()))
        page = unpacked
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    tools = {"declutter": [sys.executable, "-c", DECLUTTER]}
    if shutil.which("trafilatura"):
        tools["trafilatura"] = [shutil.which("trafilatura")]  # type: ignore[list-item]
    else:
        print("(trafilatura not installed: pip install '.[bench]' to compare with it)")
    times: dict[str, list[float]] = {name: [] for name in tools}
    for command in tools.values():
        wall(command, page, env)  # once first, so that bytecode caches exist
    for _ in range(args.runs):
        for name, command in tools.items():
            times[name].append(wall(command, page, env))
    if page != args.page:
        shutil.rmtree(page.parent)
    print(f"{page.name}: median wall-clock seconds of one process, {args.runs} runs each")
    for name, found in times.items():
        print(f"{name:24} {statistics.median(found):6.3f}  (min {min(found):.3f}, max {max(found):.3f})")


if __name__ == "__main__":
    main()
