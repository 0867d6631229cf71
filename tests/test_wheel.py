"""The wheel ships the default rules and the stop lists, and an installed copy
(not the source checkout) finds them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, RULES_DIR, SEED


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
                           "-q", "-w", str(out), "."], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    wheels = list(out.glob("declutter-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--disable-pip-version-check",
                           "-q", "--target", str(target), str(wheel)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return target


def run_installed(target: Path, code: str, cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    # cwd is outside the checkout, so `import declutter` cannot find the source tree.
    env = dict(os.environ, PYTHONPATH=str(target))
    return subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True, cwd=cwd, env=env,
                          timeout=300)


def test_wheel_contains_every_default_rule_file_unchanged(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        rule_files = sorted(p for p in RULES_DIR.iterdir() if p.is_file())
        assert rule_files
        for path in rule_files:
            member = f"declutter/default_rules/{path.name}"
            assert member in names, member
            assert zf.read(member) == path.read_bytes(), member


def test_wheel_contains_stoplists_and_py_typed(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert "declutter/data/stoplists/English.txt" in names
    assert "declutter/py.typed" in names


def test_wheel_holds_the_compiled_core(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert any(n.startswith("declutter/_core.") and n.endswith((".so", ".pyd")) for n in names), names


def test_installed_copy_imports_its_compiled_core(installed, tmp_path):
    proc = run_installed(installed, "import declutter._core as c; print(c.__file__)", tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert Path(proc.stdout.decode().strip()).resolve().is_relative_to(installed.resolve())


def test_wheel_declares_the_declutter_command(wheel):
    with zipfile.ZipFile(wheel) as zf:
        entry = next(n for n in zf.namelist() if n.endswith(".dist-info/entry_points.txt"))
        text = zf.read(entry).decode()
    assert "[console_scripts]" in text
    assert any(l.replace(" ", "") == "declutter=declutter.cli:main" for l in text.splitlines())


def test_installed_copy_finds_its_default_rules(installed, tmp_path):
    code = (
        "import json, declutter\n"
        "from declutter.ruleset import default_rules_dir\n"
        "from declutter import Cleaner\n"
        "c = Cleaner()\n"
        "print(json.dumps({'module': declutter.__file__, 'rules_dir': str(default_rules_dir()),\n"
        "                  'is_dir': default_rules_dir().is_dir(), 'rules': len(c.ruleset.rules), 'ids': sorted(r.id for r in c.ruleset.rules)}))\n"
    )
    proc = run_installed(installed, code, tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    info = json.loads(proc.stdout)
    target = installed.resolve()
    assert Path(info["module"]).resolve().is_relative_to(target)
    assert Path(info["rules_dir"]).resolve().is_relative_to(target)
    assert info["is_dir"] and Path(info["rules_dir"]).name == "default_rules"
    assert info["rules"] > 0
    assert any(i.startswith("comments.") for i in info["ids"])


def test_installed_command_cleans_the_seed(installed, tmp_path):
    code = "import sys; from declutter.cli import main; sys.argv[0] = 'declutter'; main()"
    proc = run_installed(installed, code, tmp_path, stdin=SEED.read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode("utf-8")
    paragraphs = out.rstrip("\n").split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("BEIJING, Nov 24 (Reuters) –")
    assert paragraphs[-1].endswith("global automotive industry.")


def test_checkout_reads_its_rules_folder_not_the_link():
    # declutter/default_rules links to rules/ so that the wheel gets the files
    # there; a checkout still names rules/ (in `rules list`, in messages)
    from declutter.defaults import default_rules_dir

    assert (ROOT / "declutter" / "default_rules").is_symlink()
    assert default_rules_dir() == RULES_DIR.resolve()
