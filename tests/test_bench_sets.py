"""bench/bench_sets.py on a synthetic two-page set in a tmp folder, scored with
the shared score_sets.py (copied beside it); skipped where that is absent."""
from __future__ import annotations

import gzip
import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import bench_sets

SHARED = bench_sets.DEFAULT_SETS_DIR
pytestmark = pytest.mark.skipif(not (SHARED / "score_sets.py").is_file(), reason="no ../shared/bench/score_sets.py")

ARTICLE = ("The river rose overnight after three days of heavy rain, and the town council opened "
           "the school gym as a shelter for families from the lower streets. Volunteers brought "
           "blankets and hot soup, and the fire brigade checked every house along the bank before dawn.")
NAV = ["Home", "News", "Sport", "Weather", "Contact us"]


def page(article: str) -> tuple[bytes, bytes]:
    nav = "".join(f"<li><a href='/{w}'>{w}</a></li>" for w in NAV)
    html = (f"<html><head><title>Flood</title></head><body><nav><ul>{nav}</ul></nav>"
            f"<article><h1>Flood</h1><p>{article}</p><p>{article}</p></article>"
            "<footer>Copyright 2024 The Town Paper. All rights reserved.</footer></body></html>")
    dump = "\n".join([*NAV, "Flood", article, article, "Copyright 2024 The Town Paper. All rights reserved."])
    return html.encode(), dump.encode()


@pytest.fixture
def sets_dir(tmp_path: Path) -> Path:
    """tmp/sets/dragnet with two pages, and the shared scorer beside it."""
    for script in ("score.py", "score_sets.py"):
        shutil.copy(SHARED / script, tmp_path / script)
    folder = tmp_path / "sets" / "dragnet"
    (folder / "html").mkdir(parents=True)
    (folder / "text").mkdir()
    gold = {}
    for key, article in (("a", ARTICLE), ("b", ARTICLE.replace("river", "canal"))):
        html, dump = page(article)
        (folder / "html" / f"{key}.html.gz").write_bytes(gzip.compress(html))
        (folder / "text" / f"{key}.txt.gz").write_bytes(gzip.compress(dump))
        gold[key] = f"Flood\n{article}\n{article}"
    (folder / "gold.json").write_text(json.dumps(gold))
    return tmp_path


def test_declutter_scores_the_synthetic_pages(sets_dir: Path) -> None:
    scorer = bench_sets.load_scorer(sets_dir)
    golds = {"dragnet": bench_sets.load_gold(sets_dir, "dragnet")}
    runs = bench_sets.run_tool("declutter", False, sets_dir, golds, None)
    assert set(runs["dragnet"].preds) == {"a", "b"} and not runs["dragnet"].raised
    rows = bench_sets.score_runs(scorer, golds, runs)
    assert rows["all"]["pages"] == 2 and rows["all"]["empty"] == 0
    assert rows["dragnet"]["sh"] > 0.8 and rows["all"]["bow"] > 0.8


def test_a_page_that_raises_scores_as_empty_and_is_counted(sets_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def flaky(tool: str, text: bool):
        return lambda data: (_ for _ in ()).throw(ValueError("boom")) if b"canal" in data else data.decode()

    monkeypatch.setattr(bench_sets, "extractor", flaky)
    golds = {"dragnet": bench_sets.load_gold(sets_dir, "dragnet")}
    runs = bench_sets.run_tool("keep", True, sets_dir, golds, None)
    assert runs["dragnet"].preds["b"] == "" and runs["dragnet"].raised == ["dragnet/b: ValueError: boom"]
    rows = bench_sets.score_runs(bench_sets.load_scorer(sets_dir), golds, runs)
    assert (rows["all"]["empty"], rows["all"]["raised"]) == (1, 1)


def test_main_prints_one_row_per_tool_and_skips_a_missing_one(
        sets_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(bench_sets.TEXT_TOOLS, "keep", ("no_such_module_here", "nothing"))
    code = bench_sets.main(["--sets-dir", str(sets_dir), "--sets", "dragnet", "--text", "--limit", "1"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "keep skipped: nothing is not installed" in err
    rows = [line for line in out.splitlines() if line.startswith("| ") and "(text dump)" in line]
    assert [r.split(" | ")[0] for r in rows] == ["| declutter (text dump)", "| C4-style line filter (text dump)"]
    assert "| dragnet (1) | all (1) |" in out


def test_an_html_only_tool_with_text_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        bench_sets.main(["--text", "--tools", "trafilatura"])
    assert exit_.value.code == 2
    assert "not a --text tool: trafilatura" in capsys.readouterr().err


def test_justext_gets_the_stoplist_of_the_pages_html_lang() -> None:
    assert bench_sets.page_lang(b'<!DOCTYPE html>\n<html class="x" lang="de-AT"><body>') == "de"
    assert bench_sets.page_lang(b"<html xml:lang='FR'>") == "fr"
    assert bench_sets.page_lang(b"<html><body lang='es'>") == ""
