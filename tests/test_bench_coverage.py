"""bench/bench_coverage.py on a tiny synthetic set: it counts the pages whose
dump has plenty of words but whose HTML output is almost empty, said or silent."""
from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from conftest import PARAS, ROOT


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_coverage", ROOT / "bench" / "bench_coverage.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_set(root: Path, pages: dict[str, tuple[str, str]]) -> None:
    folder = root / "sets" / "dragnet"
    (folder / "html").mkdir(parents=True)
    (folder / "text").mkdir()
    for key, (html, dump) in pages.items():
        (folder / "html" / f"{key}.html.gz").write_bytes(gzip.compress(html.encode()))
        (folder / "text" / f"{key}.txt.gz").write_bytes(gzip.compress(dump.encode()))
    (folder / "gold.json").write_text(json.dumps({key: "" for key in pages}))


def test_counts_said_and_silent_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = "".join(f"<p>{p}</p>" for p in PARAS)
    write_set(tmp_path, {
        "kept": (f"<html><body><article>{article}</article></body></html>", "\n".join(PARAS)),
        # the dump shows text the HTML does not (a script renders it): silent
        "rendered": ("<html><body><div id='app'></div></body></html>", "\n".join(PARAS)),
    })
    assert load_bench().main(["--sets-dir", str(tmp_path), "--sets", "dragnet", "--jobs", "1"]) == 0
    out, err = capsys.readouterr()
    row = next(line for line in out.splitlines() if line.startswith("| dragnet |"))
    assert row == "| dragnet | 2 | 2 | 1 | 0 | 1 | 0 |"
    assert "dragnet/rendered" in err
