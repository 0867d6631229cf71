"""Text mode on the dev set's text dumps: quality (the benchmark's F1) and
speed (MB/s in one process) with peak memory, beside simple baselines.

    python3 bench/bench_text.py [--dev-dir ../shared/bench] [--repeat 3]
"""
from __future__ import annotations

import checkout  # noqa: F401  (first: declutter is this checkout's, see bench/checkout.py)

# isort: split

import argparse
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import devset

from declutter import Cleaner
from declutter.core import compiled
from declutter.decide import best_region


def c4_line_filter(text: str) -> str:
    """The C4 heuristics that apply to a text dump: keep lines that end in
    terminal punctuation and have at least three words; drop javascript/cookie lines."""
    keep = []
    for line in text.splitlines():
        s = line.strip()
        if len(s.split()) < 3 or not s.endswith((".", "!", "?", '"', "”")):
            continue
        if "javascript" in s.lower() or "cookie" in s.lower() or "lorem ipsum" in s.lower():
            continue
        keep.append(s)
    return "\n\n".join(keep)


_ENDS = frozenset(".!?…。！？:;")


def region_only(text: str) -> str:
    """The least a region classifier does, in pure Python, for scale: split,
    a few per-line measures as whole-page list passes, and one best-run pass
    over line scores. No rules, no title, no repeats, no second round. It
    shows what the interpreter costs before any of declutter's work."""
    stripped = [line.strip() for line in text.split("\n")]
    lines = [s for s in stripped if s]
    words = [s.count(" ") + 1 for s in lines]
    chars = [len(s) for s in lines]
    ends = [s[-1] in _ENDS for s in lines]
    scores = [min(c / 80, 6) + 1 if c >= 250 or (w >= 12 and e) else (-2 if c <= 3 else -0.35)
              for c, w, e in zip(chars, words, ends)]
    span = best_region(scores)  # the best-scoring run of lines, as declutter finds it
    return "\n\n".join(lines[span[0]:span[1] + 1]) if span else ""


def justext_lines(text: str) -> str:
    """jusText over the dump, one <p> per line (how the dev set's README ran it)."""
    import html

    import justext

    page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines()) + "</body></html>"
    paragraphs = justext.justext(page, justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def run(make: Callable[[], Callable[[str], str]], pages: dict[str, bytes], repeat: int) -> tuple[dict[str, str], float]:
    """Best CPU time of `repeat` runs over the pages; each run gets a fresh
    cleaner from `make`, so no run profits from memos filled by an earlier one."""
    texts = {k: v.decode("utf-8", "replace") for k, v in pages.items()}
    best = float("inf")
    out: dict[str, str] = {}
    for _ in range(repeat):
        fn = make()
        start = time.process_time()
        out = {k: fn(t) for k, t in texts.items()}
        best = min(best, time.process_time() - start)
    return out, best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dev-dir", type=Path, default=devset.DEFAULT_DIR)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    score = devset.scorer(args.dev_dir)
    gold = devset.gold(args.dev_dir)
    pages = devset.text_pages(args.dev_dir)
    megabytes = sum(len(p) for p in pages.values()) / 1e6
    def declutter(**options: str) -> Callable[[], Callable[[str], str]]:
        def make() -> Callable[[str], str]:
            cleaner = devset.compile_rules(Cleaner(**options))
            return lambda t: cleaner.clean(t, html=False).text
        return make

    # both cores side by side when the compiled one is built (declutter.core)
    cores = ["rust", "python"] if compiled() is not None else ["python"]
    tools: dict[str, Callable[[], Callable[[str], str]]] = {
        **{f"declutter --text, {core}": declutter(core=core) for core in cores},
        "C4-style line filter": lambda: c4_line_filter,
        "region only, no rules": lambda: region_only,
        "keep everything": lambda: lambda t: t,
    }
    try:
        import justext  # noqa: F401  (bench extra)

        tools["jusText, <p> per line"] = lambda: justext_lines
    except ImportError:
        print("(jusText not installed: pip install '.[bench]' to compare with it)")
    print(f"{len(pages)} pages, {megabytes:.2f} MB of text dumps; best of {args.repeat} runs, CPU seconds")
    print(f"{'tool':24} {'F1':>6} {'P':>6} {'R':>6} {'MB/s':>8} {'pages/s':>8}")
    for name, make in tools.items():
        preds, seconds = run(make, pages, args.repeat)
        s = score.score(gold, preds)
        print(f"{name:24} {s['f1']:6.3f} {s['precision']:6.3f} {s['recall']:6.3f} "
              f"{megabytes / seconds:8.1f} {len(pages) / seconds:8.0f}")
    cleaner = Cleaner()
    tracemalloc.start()
    for page in pages.values():
        cleaner.clean(page.decode("utf-8", "replace"), html=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"declutter peak traced memory while cleaning the set page by page: {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
