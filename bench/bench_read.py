"""The compiled core's per-page read alone (TextDecider.read: measures and
rule candidates) on the dev set's text dumps, in CPU time per pass; with
--dump DIR, also writes what core/examples/read_files.rs reads (the pages
as the Cleaner hands them to the core, the stop lists, the prefilter's rule
groups), to time and profile the read without Python:

    python3 bench/bench_read.py [--dev-dir ../shared/bench/dev-text] [--dump DIR]
    cd core && cargo run --release --example read_files -- DIR
"""
from __future__ import annotations

import checkout  # noqa: F401  (first: declutter is this checkout's, see bench/checkout.py)

# isort: split

import argparse
import time
from pathlib import Path
from typing import Any

from declutter import Cleaner, core_decide, language
from declutter.matching import PHRASE_TRIM, prefilter_spec

HERE = Path(__file__).resolve().parent


def captured(dev_dir: Path) -> tuple[Any, list[tuple[str, list[int] | None]]]:
    """The Cleaner's CompiledDecider and the (text, lengths) it reads per page."""
    calls: list[tuple[str, list[int] | None]] = []
    held: list[Any] = []
    clean = core_decide.CompiledDecider.clean

    def spy(self: Any, texts: Any, host: Any) -> Any:
        joined = "\n".join(texts)
        calls.append((joined, None if joined.count("\n") == len(texts) - 1 else list(map(len, texts))))
        held[:] = [self]
        return clean(self, texts, host)

    core_decide.CompiledDecider.clean = spy  # type: ignore[method-assign]
    try:
        cleaner = Cleaner(core="rust")
        for path in sorted(dev_dir.glob("*.txt")):
            cleaner.clean(path.read_text(), html=False)
    finally:
        core_decide.CompiledDecider.clean = clean  # type: ignore[method-assign]
    return held[0], calls


def dump(out: Path, decider: Any, calls: list[tuple[str, list[int] | None]]) -> None:
    """What examples/read_files.rs reads; every string as hex UTF-8."""
    out.mkdir(parents=True, exist_ok=True)

    def h(s: str) -> str:
        return s.encode().hex()

    (out / "stop.txt").write_text("".join(" ".join(h(w) for w in sorted(words)) + "\n"
                                          for words in language.stoplists()[1]))
    lines = ["trim " + h(PHRASE_TRIM)]
    matching = decider.ruleset.matching
    for index in (matching.shaping.index, matching.dropping.index):
        bounds, phrases, prefixes, prefix_literals, literal_rules, everywhere = prefilter_spec(index)
        lines.append("group")
        lines.append("bounds " + " ".join(f"{a}:{'' if b is None else b}" for a, b in bounds))
        lines += [f"phrase {h(s)} {','.join(map(str, r))}" for s, r in phrases]
        lines += [f"prefix {h(s)} {','.join(map(str, r))}" for s, r in prefixes]
        lines += [f"plit {r} {' '.join(map(h, ls))}" for r, ls in prefix_literals]
        lines += [f"lit {r} {' '.join(map(h, ls))}" for r, ls in literal_rules]
        lines.append("every " + " ".join(map(str, everywhere)))
    (out / "spec.txt").write_text("\n".join(lines) + "\n")
    for i, (text, lengths) in enumerate(calls):
        (out / f"{i:03}.txt").write_text(text)
        if lengths is not None:
            (out / f"{i:03}.len").write_text(" ".join(map(str, lengths)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dev-dir", type=Path, default=HERE.parent.parent / "shared" / "bench" / "dev-text")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--dump", type=Path)
    args = ap.parse_args()
    decider, calls = captured(args.dev_dir)
    best = float("inf")
    for _ in range(args.repeat):
        start = time.process_time()
        for text, lengths in calls:
            decider.decider.read(text, lengths, decider.prefilter)
        best = min(best, time.process_time() - start)
    mb = sum(len(text.encode()) for text, _ in calls) / 1e6
    print(f"TextDecider.read: {len(calls)} pages, {mb:.2f} MB: {best * 1e3:.1f} ms per pass (CPU, best of "
          f"{args.repeat}), {mb / best:.1f} MB/s")
    if args.dump:
        dump(args.dump, decider, calls)


if __name__ == "__main__":
    main()
