"""Bench scripts measure the checkout they sit in, never an installed copy
(`python3 bench/x.py` puts bench/ first on sys.path, so a site-packages
declutter would otherwise win: a run from a worktree timed old code)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_checkout_puts_the_checkout_before_an_installed_declutter(tmp_path: Path) -> None:
    # a fake checkout whose declutter says where it is, and an "installed"
    # declutter on PYTHONPATH that would win without bench/checkout.py
    (tmp_path / "repo" / "bench").mkdir(parents=True)
    shutil.copy(BENCH / "checkout.py", tmp_path / "repo" / "bench" / "checkout.py")
    for where in ("repo", "site"):
        (tmp_path / where / "declutter").mkdir(parents=True)
        (tmp_path / where / "declutter" / "__init__.py").write_text(f"WHERE = {where!r}\n")
    script = tmp_path / "repo" / "bench" / "probe.py"
    script.write_text("import checkout  # noqa: F401\nimport declutter\nprint(declutter.WHERE)\n")
    env = {"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "repo"
    script.write_text("import declutter\nprint(declutter.WHERE)\n")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "site"  # what every bench script did before


def test_every_bench_script_that_imports_declutter_imports_checkout_first() -> None:
    for script in sorted(BENCH.glob("*.py")):
        text = script.read_text()
        first = re.search(r"^\s*(?:from declutter\b|import declutter\b)", text, re.MULTILINE)
        if first is None:
            continue
        assert re.search(r"^import checkout\b", text[: first.start()], re.MULTILINE), script.name
