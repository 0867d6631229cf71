#!/usr/bin/env python3
"""declutter beside the anchor tools on the four public sets, in one run.

    python3 bench/bench_sets.py                      # HTML: every tool, every set
    python3 bench/bench_sets.py --text               # text dumps: declutter, C4-style filter
    python3 bench/bench_sets.py --sets dragnet --tools declutter trafilatura --limit 50 --jobs 2

The sets and their scorer live outside the repository (--sets-dir, default
../shared/bench: sets/<set>/{html,text,gold.json} and score_sets.py); the
metrics are score_sets.py's own functions, imported from there: sh F1 (the
development set's 4-gram shingle metric) and bow F1 (bag of words, averaged
over pages). Prints one markdown table: sh / bow F1 per set and over all
pages, pages with empty output (a tool that raises on a page counts as empty
output there, and is counted apart), and pages per CPU-second of the
extraction calls alone (imports and page reading left out; summed over the
worker processes with --jobs, so it does not depend on --jobs).

Tools (HTML): declutter (clean(html_bytes, html=True)); readability-lxml
(Document(html).summary(), its text through lxml); trafilatura
(extract(html, include_comments=False), the sets README's "no comments");
jusText (the stoplist of the page's <html lang>, English where it has none
or jusText has no list for it). With --text: declutter
(clean(dump)), the C4-style line filter of bench_text.py, and keeping the
dump as it is. The anchors are bench-only dependencies (pip install
'.[bench]'); one not installed is skipped with a note.
"""
from __future__ import annotations

import checkout  # noqa: F401  (first: declutter is this checkout's, see bench/checkout.py)

# isort: split

import argparse
import gzip
import importlib.util
import json
import logging
import re
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
DEFAULT_SETS_DIR = HERE.parent.parent / "shared" / "bench"
SETS = ("dragnet", "readability", "cleanportaleval", "cleaneval-dev")
CHUNK = 40  # pages per pool task: small enough to balance two workers, large enough to be cheap

# tool name -> (module it needs, pip package named in the skip note)
HTML_TOOLS = {"declutter": ("declutter", "declutter"), "readability": ("readability", "readability-lxml"),
              "trafilatura": ("trafilatura", "trafilatura"), "justext": ("justext", "jusText")}
TEXT_TOOLS = {"declutter": ("declutter", "declutter"), "c4": ("bench_text", "declutter"), "keep": ("json", "")}
LABELS = {"declutter": "declutter", "readability": "readability-lxml", "trafilatura": "trafilatura, no comments",
          "justext": "jusText, stoplist by page lang", "c4": "C4-style line filter", "keep": "keep the whole dump"}
# <html lang> code -> jusText stoplist, for the languages of these sets and their neighbours
STOPLISTS = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese",
             "it": "Italian", "nl": "Dutch", "cs": "Czech", "pl": "Polish", "ru": "Russian", "sv": "Swedish",
             "da": "Danish", "fi": "Finnish", "hu": "Hungarian", "tr": "Turkish", "el": "Greek"}
HTML_LANG = re.compile(rb"<html[^>]*?\blang=[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
              "section", "article", "table", "ul", "ol", "dd", "dt", "figure", "figcaption", "header", "footer")


def load_scorer(sets_dir: Path) -> ModuleType:
    """score_sets.py from the sets folder (it imports score.py beside it)."""
    script = sets_dir / "score_sets.py"
    spec = importlib.util.spec_from_file_location("score_sets", script)
    if spec is None or spec.loader is None or not script.is_file():
        raise FileNotFoundError(f"no score_sets.py in {sets_dir} (give --sets-dir)")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_gold(sets_dir: Path, name: str, limit: int = 0) -> dict[str, str]:
    """The set's gold bodies in gold.json's order, the first `limit` if given."""
    gold = json.loads((sets_dir / "sets" / name / "gold.json").read_text(encoding="utf-8"))
    return dict(list(gold.items())[:limit]) if limit else gold


def read_page(sets_dir: Path, name: str, key: str, text: bool) -> bytes:
    folder = sets_dir / "sets" / name
    path = folder / "text" / f"{key}.txt.gz" if text else folder / "html" / f"{key}.html.gz"
    return gzip.decompress(path.read_bytes())


def missing_tools(tools: list[str], text: bool) -> dict[str, str]:
    """Tools whose module is not installed -> the package to install."""
    table = TEXT_TOOLS if text else HTML_TOOLS
    sys.path.insert(0, str(HERE))  # bench_text.py sits beside this script
    return {t: table[t][1] for t in tools if importlib.util.find_spec(table[t][0]) is None}


def fragment_text(fragment: str) -> str:
    """Visible text of an HTML fragment, a line break after each block so that
    words of adjacent paragraphs do not run together."""
    import lxml.html

    if not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    for el in root.iter(BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    return root.text_content().strip()


def page_lang(page: bytes) -> str:
    """The language code of the page's <html lang> attribute, or ""."""
    found = HTML_LANG.search(page, 0, 20_000)
    return found.group(1).lower().decode("ascii") if found else ""


@cache
def extractor(tool: str, text: bool) -> Callable[[bytes], str]:
    """The tool as bytes -> text; imports happen here, outside the timed calls."""
    if tool == "declutter":
        from declutter import clean

        if text:
            return lambda page: clean(page.decode("utf-8", "replace"))
        return lambda page: clean(page, html=True)
    if tool == "c4":
        sys.path.insert(0, str(HERE))
        from bench_text import c4_line_filter

        return lambda page: c4_line_filter(page.decode("utf-8", "replace"))
    if tool == "keep":
        return lambda page: page.decode("utf-8", "replace")
    if tool == "readability":
        from readability import Document

        return lambda page: fragment_text(Document(page).summary())
    if tool == "trafilatura":
        import trafilatura

        return lambda page: trafilatura.extract(page, include_comments=False) or ""
    if tool == "justext":
        import justext

        stoplists = {code: justext.get_stoplist(name) for code, name in STOPLISTS.items()}

        def run_justext(page: bytes) -> str:
            stoplist = stoplists.get(page_lang(page), stoplists["en"])
            return "\n".join(p.text for p in justext.justext(page, stoplist) if not p.is_boilerplate)

        return run_justext
    raise ValueError(f"unknown tool {tool!r}")


@dataclass
class Run:
    """One tool's outputs on some pages, the CPU seconds of its calls, and the
    pages where it raised (scored as empty output)."""
    preds: dict[str, str] = field(default_factory=dict)
    cpu: float = 0.0
    raised: list[str] = field(default_factory=list)

    def add(self, other: Run) -> None:
        self.preds.update(other.preds)
        self.cpu += other.cpu
        self.raised += other.raised


def run_pages(tool: str, text: bool, sets_dir: Path, name: str, keys: list[str]) -> Run:
    """Run one tool over pages of one set, timing only the extraction calls."""
    logging.disable(logging.CRITICAL)  # the anchors log per page; failures are counted here instead
    fn = extractor(tool, text)
    run = Run()
    for key in keys:
        page = read_page(sets_dir, name, key, text)
        start = time.process_time()
        try:
            out = fn(page)
        except Exception as exc:  # a bench counts failures, it does not stop
            out = ""
            run.raised.append(f"{name}/{key}: {type(exc).__name__}: {str(exc)[:120]}")
        run.cpu += time.process_time() - start
        run.preds[key] = out or ""
    return run


def run_tool(tool: str, text: bool, sets_dir: Path, golds: dict[str, dict[str, str]],
             pool: ProcessPoolExecutor | None) -> dict[str, Run]:
    """One tool over every chosen set: {set: Run}, in chunks over the pool if any."""
    tasks = [(name, list(gold)[i:i + CHUNK]) for name, gold in golds.items() for i in range(0, len(gold), CHUNK)]
    if pool is None:
        results = [run_pages(tool, text, sets_dir, name, keys) for name, keys in tasks]
    else:
        futures = [pool.submit(run_pages, tool, text, sets_dir, name, keys) for name, keys in tasks]
        results = [f.result() for f in futures]
    runs = {name: Run() for name in golds}
    for (name, _), result in zip(tasks, results):
        runs[name].add(result)
    return runs


def score_runs(scorer: ModuleType, golds: dict[str, dict[str, str]], runs: dict[str, Run]) -> dict[str, dict]:
    """Per set and over all pages ("all"): sh F1, bow F1, empty pages, raised pages."""
    rows: dict[str, dict] = {}
    all_gold: dict[str, str] = {}
    all_preds: dict[str, str] = {}
    for name, gold in golds.items():
        preds = runs[name].preds
        bows = [scorer.bow_f1(g, preds.get(k, "")) for k, g in gold.items()]
        rows[name] = {"sh": scorer.shingle_score(gold, preds)["f1"], "bow": sum(bows) / len(bows),
                      "empty": sum(1 for k in gold if not preds.get(k, "").strip()),
                      "raised": len(runs[name].raised), "pages": len(gold), "bow_sum": sum(bows)}
        all_gold.update((f"{name}/{k}", g) for k, g in gold.items())
        all_preds.update((f"{name}/{k}", preds.get(k, "")) for k in gold)
    n = len(all_gold)
    rows["all"] = {"sh": scorer.shingle_score(all_gold, all_preds)["f1"],
                   "bow": sum(r["bow_sum"] for r in rows.values()) / n,
                   "empty": sum(r["empty"] for r in rows.values()),
                   "raised": sum(r["raised"] for r in rows.values()), "pages": n}
    return rows


def table(results: dict[str, tuple[dict[str, dict], float]], golds: dict[str, dict[str, str]], text: bool) -> str:
    """The markdown table: one row per tool."""
    mode = "text dump" if text else "HTML"
    sets = list(golds)
    total = sum(len(g) for g in golds.values())
    head = ["tool"] + [f"{s} ({len(golds[s])})" for s in sets]
    head += [f"all ({total})", "empty (raised)", "pages/s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for tool, (rows, cpu) in results.items():
        cells = [f"{LABELS[tool]} ({mode})"]
        cells += [f"{rows[s]['sh']:.3f} / {rows[s]['bow']:.3f}" for s in [*sets, "all"]]
        cells.append(f"{rows['all']['empty']} ({rows['all']['raised']})")
        cells.append(f"{total / cpu:.0f}" if cpu > 0 else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets-dir", type=Path, default=DEFAULT_SETS_DIR,
                    help="folder with sets/ and score_sets.py (default: %(default)s)")
    ap.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    ap.add_argument("--tools", nargs="+", choices=sorted({*HTML_TOOLS, *TEXT_TOOLS}),
                    help="default: every tool of the mode")
    ap.add_argument("--text", action="store_true", help="feed the text dumps, not the HTML")
    ap.add_argument("--limit", type=int, default=0, metavar="N", help="only the first N pages of each set")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1: in this process)")
    args = ap.parse_args(argv)
    table_ = TEXT_TOOLS if args.text else HTML_TOOLS
    args.tools = args.tools or list(table_)
    wrong = [t for t in args.tools if t not in table_]
    if wrong:
        kind = "--text" if args.text else "HTML"
        ap.error(f"not a {kind} tool: {', '.join(wrong)} (choose from {', '.join(table_)})")
    if args.limit < 0 or args.jobs < 1:
        ap.error("--limit must be 0 or more and --jobs 1 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        scorer = load_scorer(args.sets_dir)
        golds = {name: load_gold(args.sets_dir, name, args.limit) for name in args.sets}
    except (OSError, ValueError) as exc:
        print(f"bench_sets: {exc}", file=sys.stderr)
        return 1
    skipped = missing_tools(args.tools, args.text)
    for tool, package in skipped.items():
        print(f"bench_sets: {tool} skipped: {package} is not installed (pip install '.[bench]')", file=sys.stderr)
    tools = [t for t in args.tools if t not in skipped]
    results: dict[str, tuple[dict[str, dict], float]] = {}
    pool = ProcessPoolExecutor(args.jobs) if args.jobs > 1 else None
    try:
        for tool in tools:
            runs = run_tool(tool, args.text, args.sets_dir, golds, pool)
            for run in runs.values():
                for line in run.raised:
                    print(f"bench_sets: {tool} raised on {line}", file=sys.stderr)
            results[tool] = (score_runs(scorer, golds, runs), sum(r.cpu for r in runs.values()))
    finally:
        if pool is not None:
            pool.shutdown()
    print(f"sh F1 / bow F1 per set (pages); empty: pages with empty output over all sets, of which "
          f"the tool raised on (raised); pages/s: pages per CPU-second of extraction, jobs={args.jobs}\n")
    print(table(results, golds, args.text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
