"""Text mode on pages nobody tuned on: the multilingual check set
(fixtures/checkset, 48 pages in 11 languages), each page first flattened to a
text dump the way a naive scraper or a WET record hands it over — all visible
text, one block per line — then cleaned with `--text` and scored against the
set's gold bodies.

    python3 bench/checkset_text.py [--per-lang]
"""
from __future__ import annotations

import checkout  # noqa: F401  (first: declutter is this checkout's, see bench/checkout.py)

# isort: split

import argparse
import importlib.util
import json
from pathlib import Path

import lxml.html

from declutter import Cleaner

CHECKSET = Path(__file__).resolve().parent.parent / "fixtures" / "checkset"
INVISIBLE = ("script", "style", "noscript", "template", "head", "svg")
BLOCKS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article",
    "header", "footer", "nav", "aside", "main", "blockquote", "pre", "figure", "figcaption", "form", "dd",
    "dt", "dl", "br", "hr", "title", "body", "label", "button", "option",
}


def text_dump(html: bytes) -> str:
    """All visible text, a line per block, a blank line between blocks."""
    root = lxml.html.fromstring(html)
    title = root.findtext(".//title") or ""
    for element in root.iter(*INVISIBLE):
        element.drop_tree() if element.getparent() is not None else None
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
            if element.tag != "br":
                element.text = "\n\n" + (element.text or "")
    lines = [" ".join(line.split()) for line in root.text_content().split("\n")]
    body = "\n".join(lines)
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    return (title.strip() + "\n\n" + body.strip()).strip() + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--per-lang", action="store_true", help="also print F1 per language")
    args = ap.parse_args()
    spec = importlib.util.spec_from_file_location("checkset_score", CHECKSET / "score.py")
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold = json.loads((CHECKSET / "gold.json").read_text())
    cleaner = Cleaner()
    preds, dumps = {}, {}
    for page in sorted((CHECKSET / "pages").glob("*.html")):
        dumps[page.stem] = text_dump(page.read_bytes())
        preds[page.stem] = cleaner.clean(dumps[page.stem], html=False).text
    bodies = {k: v["articleBody"] for k, v in gold.items()}
    for name, texts in (("declutter --text", preds), ("keep everything", dumps)):
        s = scorer.score(bodies, texts)
        print(f"{name:18} F1 {s['f1']:.3f}  P {s['precision']:.3f}  R {s['recall']:.3f}  ({len(texts)} pages)")
    if args.per_lang:
        for lang in sorted({v["lang"] for v in gold.values()}):
            keys = [k for k, v in gold.items() if v["lang"] == lang]
            s = scorer.score({k: bodies[k] for k in keys}, {k: preds[k] for k in keys})
            print(f"  {lang}: F1 {s['f1']:.3f} ({len(keys)} pages)")


if __name__ == "__main__":
    main()
