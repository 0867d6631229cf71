"""bench/snapshot.py: saves what declutter gives on a set of pages and says
whether two versions differ, and how."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "snapshot.py"
PROSE = ("The council report describes how the town reviewed the budget for the coming year and agreed, "
         "after a long debate, to keep the libraries open on Sundays.")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True)


def test_save_then_diff_of_the_same_code_is_identical_and_a_changed_reason_is_counted(tmp_path: Path) -> None:
    sets = tmp_path / "bench"
    (sets / "dev-text").mkdir(parents=True)
    (sets / "dev-text" / "a.txt").write_text(f"Home\n\n{PROSE}\n\n{PROSE} Again.\n")
    (sets / "sets" / "x" / "html").mkdir(parents=True)
    (sets / "sets" / "x" / "html" / "b.html.gz").write_bytes(
        gzip.compress(f"<html><body><nav><a href='/'>Home</a></nav><p>{PROSE}</p></body></html>".encode()))
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    for out in (first, second):
        assert run("save", str(out), "--sets-dir", str(sets), "--jobs", "1").returncode == 0
    same = run("diff", str(first), str(second))
    assert same.returncode == 0 and "identical" in same.stdout
    data = json.loads(second.read_text())
    page = "dev-text/a.txt"
    assert data[page]["text"].startswith(PROSE)
    data[page]["verdicts"][0] = [False, "signal.other"]
    second.write_text(json.dumps(data))
    changed = run("diff", str(first), str(second))
    assert changed.returncode == 1
    assert f"reason {json.loads(first.read_text())[page]['verdicts'][0][1]} -> signal.other" in changed.stdout
