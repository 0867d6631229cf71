"""`--stats FILE`: removals per reason id over a run. The totals must be the
sum of the `removed` lists the output gives, record for record, and the same
whatever the number of workers (Ray: tests/test_ray.py); a stats path that
cannot be written stops the run before it starts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEED, call_cli, run_cli

DEV_TEXT = ROOT.parent / "shared" / "bench" / "dev-text"


def _pages() -> list[str]:
    """Every in-repo page: text fixtures, HTML fixtures, the seeds."""
    paths = [p for p in sorted(FIXTURES.glob("*.txt")) if not p.name.endswith(".expected.txt")]
    paths += sorted((ROOT / "fixtures" / "html").glob("*.html"))
    paths += sorted((ROOT / "seeds").glob("*.txt"))
    return [p.read_bytes().decode("utf-8", "replace") for p in paths]


def _write_jsonl(path: Path, pages: list[str], *, bad: bool = True) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for page in pages:
            fh.write(json.dumps({"text": page}) + "\n")
        if bad:  # two error records: they count as pages with errors, not as removals
            fh.write("{not json\n")
            fh.write(json.dumps({"body": "no text field"}) + "\n")
    return path


def _surrogate_page() -> str:
    """The seed with a lone surrogate in its repeated banner (a line that goes):
    it is removed as U+FFFD, 3 bytes."""
    return SEED.read_text(encoding="utf-8").replace("MLS Football Jersey", "MLS Football Jersey \ud800")


def expected_from_output(lines: list[str]) -> dict[str, object]:
    """The --stats document, computed from the records' `removed` lists."""
    reasons: dict[str, dict[str, int]] = {}
    touched = errors = 0
    for line in lines:
        rec = json.loads(line)
        if "error" in rec:
            errors += 1
            continue
        seen = set()
        for rb in rec["removed"]:
            c = reasons.setdefault(rb["reason"], {"blocks": 0, "lines": 0, "bytes": 0, "pages": 0})
            c["blocks"] += 1
            c["lines"] += rb["lines"][1] - rb["lines"][0] + 1
            c["bytes"] += len(rb["text"].encode("utf-8", "surrogatepass"))
            seen.add(rb["reason"])
        for r in seen:
            reasons[r]["pages"] += 1
        touched += bool(seen)
    return {"pages": len(lines), "pages_with_errors": errors, "pages_touched": touched,
            "blocks": sum(c["blocks"] for c in reasons.values()),
            "lines": sum(c["lines"] for c in reasons.values()),
            "bytes": sum(c["bytes"] for c in reasons.values()), "reasons": reasons}


def run_with_stats(src: Path, stats: Path, jobs: int, *extra: str,
                   fmt: str = "--jsonl") -> tuple[list[str], dict[str, object], str]:
    proc = run_cli(fmt, "--with-removed", "--stats", str(stats), "-j", str(jobs), "--force-jobs",
                   *extra, str(src), timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines(), json.loads(stats.read_text(encoding="utf-8")), proc.stderr


def test_stats_totals_are_the_sum_of_the_removed_lists_at_j1_and_j2(tmp_path):
    src = _write_jsonl(tmp_path / "in.jsonl", [*_pages(), _surrogate_page()])
    docs = []
    for jobs in (1, 2):
        lines, doc, _ = run_with_stats(src, tmp_path / f"stats{jobs}.json", jobs)
        assert doc == expected_from_output(lines)
        assert doc["pages"] == len(_pages()) + 3 and doc["pages_with_errors"] == 2
        assert doc["blocks"] > 100 and len(doc["reasons"]) > 5
        # the reasons come by bytes removed, most first
        assert [c["bytes"] for c in doc["reasons"].values()] == sorted(
            (c["bytes"] for c in doc["reasons"].values()), reverse=True)
        docs.append(doc)
    assert docs[0] == docs[1]
    assert any("\ufffd" in rb["text"] for line in lines for rb in json.loads(line).get("removed", ()))


def test_summary_names_the_top_reasons_only_with_stats(tmp_path):
    src = _write_jsonl(tmp_path / "in.jsonl", _pages(), bad=False)
    with_stats = call_cli("--jsonl", "-j", "1", "--stats", str(tmp_path / "s.json"), str(src))
    assert with_stats.returncode == 0, with_stats.stderr
    summary, top = with_stats.stderr.splitlines()[-2:]
    assert summary.startswith("declutter: ") and " records, " in summary
    doc = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    first = next(iter(doc["reasons"]))
    assert top.startswith(f"declutter: top reasons by bytes removed: {first} ")
    assert top.count("%)") == 5 and top.endswith(f"(+{len(doc['reasons']) - 5} more)")
    without = call_cli("--jsonl", "-j", "1", str(src))
    assert "top reasons" not in without.stderr


def test_stats_of_a_warc_run(tmp_path):
    wet = ROOT / "fixtures" / "warc" / "filter_test_1.wet.gz"
    lines, doc, _ = run_with_stats(wet, tmp_path / "wet.json", 2, fmt="--warc")
    assert doc == expected_from_output(lines) and doc["pages"] == len(lines) > 0


@pytest.mark.skipif(not DEV_TEXT.is_dir(), reason="the development set (../shared/bench) is not beside the checkout")
def test_stats_on_the_development_set_text_dumps(tmp_path):
    pages = [p.read_bytes().decode("utf-8", "replace") for p in sorted(DEV_TEXT.glob("*.txt"))]
    assert len(pages) > 100
    src = _write_jsonl(tmp_path / "dev.jsonl", pages, bad=False)
    one, doc1, _ = run_with_stats(src, tmp_path / "one.json", 1, "--text")
    two, doc2, _ = run_with_stats(src, tmp_path / "two.json", 2, "--text")
    assert doc1 == expected_from_output(one)
    assert doc2 == doc1 == expected_from_output(two)
    assert doc1["pages"] == len(pages) and doc1["pages_with_errors"] == 0


def test_stats_on_single_pages_match_their_json(tmp_path):
    html = ROOT / "fixtures" / "html" / "wordpress-post.html"
    stats = tmp_path / "pages.json"
    proc = call_cli("--json", "--stats", str(stats), str(SEED), str(html), str(tmp_path / "missing.txt"))
    assert proc.returncode == 1  # the missing page: one line, the others cleaned
    doc = json.loads(stats.read_text(encoding="utf-8"))
    lines = proc.stdout.splitlines() + [json.dumps({"error": "missing"})]
    assert doc == expected_from_output(lines)
    assert doc["pages"] == 3 and doc["pages_with_errors"] == 1


# ------------------------------------------------ a stats path that cannot be written

@pytest.mark.parametrize("where", ["missing-folder", "a-folder"])
@pytest.mark.parametrize("mode", [("--jsonl",), ("--jsonl", "-j", "2", "--force-jobs"), ()])
def test_unwritable_stats_path_is_one_line_exit_2_before_the_run(tmp_path, where, mode):
    src = _write_jsonl(tmp_path / "in.jsonl", _pages()[:3], bad=False)
    target = tmp_path / "no" / "stats.json" if where == "missing-folder" else tmp_path
    page = [] if mode else [str(SEED)]
    proc = call_cli(*mode, "--stats", str(target), *(page or [str(src)]))
    assert proc.returncode == 2
    assert proc.stdout == ""  # nothing was cleaned
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"declutter: --stats {target}: "), proc.stderr


def test_stats_path_that_is_the_input_is_refused(tmp_path):
    src = _write_jsonl(tmp_path / "in.jsonl", _pages()[:2], bad=False)
    before = src.read_bytes()
    proc = call_cli("--jsonl", "--stats", str(src), str(src))
    assert proc.returncode == 2 and "would be overwritten" in proc.stderr
    assert src.read_bytes() == before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("mode", [("--jsonl", "-j", "1"), ()])
def test_stats_write_that_fails_at_the_end_is_one_line_exit_1(tmp_path, mode):
    src = _write_jsonl(tmp_path / "in.jsonl", _pages()[:2], bad=False)
    proc = run_cli(*mode, "--stats", "/dev/full", str(src if mode else SEED))
    assert proc.returncode == 1
    assert proc.stdout  # the records (or the page) were written
    assert proc.stderr.splitlines()[-1] == "declutter: cannot write --stats /dev/full: No space left on device"
    assert "Traceback" not in proc.stderr


def test_library_stream_tallies_only_when_asked(tmp_path, cleaner):
    import io

    from declutter.stream import Options, clean_stream

    src = _write_jsonl(tmp_path / "in.jsonl", _pages()[:5])
    err = io.StringIO()
    asked = clean_stream([str(src)], cleaner, out=io.BytesIO(), options=Options(stats=True), jobs=1, summary_to=err)
    assert asked.stats.tally is not None and asked.stats.tally.touched == 5
    assert err.getvalue().splitlines()[-1] == asked.reasons_line()
    assert asked.reasons_line().startswith("declutter: top reasons by bytes removed: ")
    err = io.StringIO()
    plain = clean_stream([str(src)], cleaner, out=io.BytesIO(), jobs=1, summary_to=err)
    assert plain.stats.tally is None and plain.reasons_line() is None
    assert len(err.getvalue().splitlines()) == 1  # the summary alone
