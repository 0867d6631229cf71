#!/usr/bin/env python3
"""What declutter gives on every page of the shared sets, to compare two versions.

    python3 bench/snapshot.py save OUT.json [--sets-dir ../shared/bench] [--jobs 2]
    python3 bench/snapshot.py diff OLD.json NEW.json

`save` cleans, with this checkout's declutter, the development set's text
dumps and HTML pages, the four public sets' text dumps and HTML pages, and
the project's fixtures, and writes per page: the text, every block's
(keep, reason id), the title and the metadata. `diff` says whether two
snapshots are identical and, if not, counts the differences by kind (text;
a reason that changed from one id to another, marked when keep/drop changed
too; title; metadata), so a refactoring can show it changed nothing, or
exactly what (CHANGELOG.md lists such differences with this command).
"""
from __future__ import annotations

import checkout  # noqa: F401  (first: declutter is this checkout's, see bench/checkout.py)

# isort: split

import argparse
import gzip
import json
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SETS = HERE.parent.parent / "shared" / "bench"


def pages(sets_dir: Path) -> list[tuple[str, str, str]]:
    """(mode, path, key) of every page: mode "text", "html", or "auto" for
    fixtures; the key names the page relative to its folder, so that
    snapshots of two checkouts compare."""
    fixtures = HERE.parent / "fixtures"
    found = [("text", p) for p in sorted((sets_dir / "dev-text").glob("*.txt"))]
    found += [("text", p) for p in sorted(sets_dir.glob("sets/*/text/*.txt.gz"))]
    found += [("auto", p) for p in sorted(fixtures.rglob("*")) if p.is_file() and p.suffix in (".txt", ".html", ".htm")]
    found += [("html", p) for p in sorted((sets_dir / "article-extraction-benchmark" / "html").glob("*.html.gz"))]
    found += [("html", p) for p in sorted(sets_dir.glob("sets/*/html/*.html.gz"))]
    return [(mode, str(p), f"fixtures/{p.relative_to(fixtures)}" if p.is_relative_to(fixtures)
             else str(p.relative_to(sets_dir))) for mode, p in found]


def clean_all(chunk: list[tuple[str, str, str]]) -> dict[str, Any]:
    from declutter import Cleaner, DeclutterError

    cleaner = Cleaner()
    out: dict[str, Any] = {}
    for mode, path, key in chunk:
        data = Path(path).read_bytes()
        if path.endswith(".gz"):
            data = gzip.decompress(data)
        try:
            r = cleaner.clean(data, html={"text": False, "html": True, "auto": None}[mode])
        except DeclutterError as e:
            out[key] = {"error": str(e)}
            continue
        out[key] = {"text": r.text, "verdicts": [[v.keep, v.reason] for v in r.verdicts], "title": r.title,
                     "metadata": json.dumps(r.metadata, sort_keys=True, default=str)}
    return out


def diff(old: dict[str, Any], new: dict[str, Any]) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if a is None or b is None or "error" in a or "error" in b:
            kinds["page missing or failing in one"] += 1
            continue
        if a["text"] != b["text"]:
            kinds["text"] += 1
        for (keep_a, why_a), (keep_b, why_b) in zip(a["verdicts"], b["verdicts"]):
            if (keep_a, why_a) != (keep_b, why_b):
                kinds[f"reason {why_a} -> {why_b}" + (" (keep/drop changed)" if keep_a != keep_b else "")] += 1
        if len(a["verdicts"]) != len(b["verdicts"]):
            kinds["number of blocks"] += 1
        for field in ("title", "metadata"):
            if a[field] != b[field]:
                kinds[field] += 1
    return kinds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    save = sub.add_parser("save")
    save.add_argument("out", type=Path)
    save.add_argument("--sets-dir", type=Path, default=DEFAULT_SETS)
    save.add_argument("--jobs", type=int, default=2)
    compare = sub.add_parser("diff")
    compare.add_argument("old", type=Path)
    compare.add_argument("new", type=Path)
    args = ap.parse_args()
    if args.command == "save":
        todo = pages(args.sets_dir)
        if not todo:
            sys.exit(f"no pages under {args.sets_dir}")
        chunks = [todo[i::8] for i in range(8)]
        result: dict[str, Any] = {}
        with ProcessPoolExecutor(args.jobs) as pool:
            for part in pool.map(clean_all, chunks):
                result.update(part)
        args.out.write_text(json.dumps(result))
        print(f"{len(result)} pages written to {args.out}")
        return 0
    old, new = json.loads(args.old.read_text()), json.loads(args.new.read_text())
    kinds = diff(old, new)
    print(f"{len(new)} pages: " + ("identical" if not kinds else "differences"))
    for kind, count in kinds.most_common():
        print(f"  {count:6d}  {kind}")
    return 0 if not kinds else 1


if __name__ == "__main__":
    raise SystemExit(main())
