#!/usr/bin/env python3
"""HTML extraction speed and quality, declutter beside trafilatura, in one process.

    python3 bench/bench_html.py                    # dev set in ../shared/bench
    python3 bench/bench_html.py --dev-dir DIR --repeat 2 --no-trafilatura

Reads every page of the development set (html/*.html.gz), extracts the body
with declutter (one Cleaner, HTML forced) and with trafilatura
(include_comments=False) on the same bytes, and prints for each: pages/s,
MB/s of HTML, peak Python memory (tracemalloc) during that tool's run, and,
when ground-truth.json is there, the benchmark's F1 / precision / recall
(score.py's metric). The last line is the speed ratio. trafilatura is a
bench-only dependency: `pip install '.[bench]'`.
"""
from __future__ import annotations

import checkout  # noqa: F401  (first: declutter is this checkout's, see bench/checkout.py)

# isort: split

import argparse
import gc
import gzip
import importlib.util
import json
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DEV = HERE.parent.parent / "shared" / "bench" / "article-extraction-benchmark"


def load_pages(dev: Path) -> dict[str, bytes]:
    pages = {}
    for path in sorted((dev / "html").glob("*.html.gz")):
        pages[path.name.removesuffix(".html.gz")] = gzip.decompress(path.read_bytes())
    if not pages:
        sys.exit(f"no pages in {dev / 'html'} (give --dev-dir)")
    return pages


def load_scorer(dev: Path):
    """score.py's functions (it sits beside the benchmark folder), or None."""
    script = dev.parent / "score.py"
    gold_file = dev / "ground-truth.json"
    if not script.exists() or not gold_file.exists():
        return None, None
    spec = importlib.util.spec_from_file_location("dev_score", script)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    gold = {k: v.get("articleBody", "") for k, v in json.loads(gold_file.read_text()).items()}
    return module, gold


def run(name: str, fn: Callable[[bytes], str], pages: dict[str, bytes], repeat: int) -> dict:
    total_bytes = sum(len(p) for p in pages.values())
    outputs: dict[str, str] = {}
    errors = 0

    def one_pass() -> float:
        nonlocal errors
        errors = 0
        start = time.process_time()
        for key, page in pages.items():
            try:
                outputs[key] = fn(page) or ""
            except Exception:  # a bench counts failures, it does not stop
                outputs[key] = ""
                errors += 1
        return time.process_time() - start

    gc.collect()
    best = min(one_pass() for _ in range(repeat))
    # memory in a pass of its own: tracemalloc slows Python down several times
    gc.collect()
    tracemalloc.start()
    one_pass()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"name": name, "seconds": best, "pages_s": len(pages) / best,
            "mb_s": total_bytes / 1e6 / best, "peak_mb": peak / 1e6, "errors": errors,
            "outputs": outputs}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev-dir", type=Path, default=DEFAULT_DEV,
                    help="folder with html/*.html.gz and ground-truth.json (default: %(default)s)")
    ap.add_argument("--repeat", type=int, default=1, help="passes per tool; the fastest counts")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages")
    ap.add_argument("--no-trafilatura", action="store_true", help="time declutter alone")
    args = ap.parse_args()

    pages = load_pages(args.dev_dir)
    if args.limit:
        pages = dict(list(pages.items())[: args.limit])
    scorer, gold = load_scorer(args.dev_dir)

    from declutter import Cleaner

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from devset import compile_rules

    cleaner = compile_rules(Cleaner())
    results = [run("declutter", lambda p: cleaner.clean(p, html=True).text, pages, args.repeat)]
    if not args.no_trafilatura:
        try:
            import trafilatura
        except ImportError:
            print("trafilatura is not installed (pip install '.[bench]'); timing declutter alone", file=sys.stderr)
        else:
            results.append(run("trafilatura", lambda p: trafilatura.extract(p, include_comments=False),
                               pages, args.repeat))

    size = sum(len(p) for p in pages.values()) / 1e6
    print(f"{len(pages)} pages, {size:.1f} MB of HTML, CPU time of the best of {args.repeat} pass(es);"
          " peak MB: traced Python allocations during one more pass")
    print(f"{'tool':<12} {'pages/s':>8} {'MB/s':>7} {'peak MB':>8} {'errors':>6}   F1      P       R")
    for r in results:
        quality = ""
        if scorer is not None and gold is not None:
            sub = {k: gold[k] for k in pages if k in gold}
            q = scorer.score(sub, r["outputs"])
            quality = f"  {q['f1']:.4f}  {q['precision']:.4f}  {q['recall']:.4f}"
        print(f"{r['name']:<12} {r['pages_s']:8.1f} {r['mb_s']:7.2f} {r['peak_mb']:8.1f} {r['errors']:6d}{quality}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS: {rss:.0f} MB")
    if len(results) == 2:
        print(f"speed ratio declutter / trafilatura: {results[0]['pages_s'] / results[1]['pages_s']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
