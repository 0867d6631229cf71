"""Choosing the core (declutter.core): the Cleaner's `core=`, DECLUTTER_CORE,
`declutter --version`; and that a panic in the compiled core reaches Python
as a DeclutterError. Whether both cores give the same output is
test_core_diff.py's."""
from __future__ import annotations

import os
import pickle

import pytest

import declutter.core as core_module
from declutter import ArgumentError, Cleaner, CoreError, DeclutterError
from declutter.core import compiled, resolve

from conftest import call_cli, run_cli

needs_compiled = pytest.mark.skipif(compiled() is None, reason="the compiled core is not built in this checkout")


@needs_compiled
def test_default_is_the_compiled_core(monkeypatch):
    monkeypatch.delenv("DECLUTTER_CORE", raising=False)
    assert resolve() == "rust"
    assert Cleaner().core == "rust"


def test_argument_then_environment_choose(monkeypatch):
    monkeypatch.setenv("DECLUTTER_CORE", "python")
    assert Cleaner().core == "python"
    assert resolve("python") == "python"
    monkeypatch.setenv("DECLUTTER_CORE", "")  # empty: as if unset
    assert resolve() == ("rust" if compiled() is not None else "python")


@needs_compiled
def test_a_pickled_cleaner_cleans_as_the_original():
    # a stream run's worker processes get the Cleaner pickled
    page = "Share this\n" + "A sentence of the article that says something. " * 5
    for core in ["python"] + (["rust"] if compiled() is not None else []):
        cleaner = Cleaner(core=core)
        again = pickle.loads(pickle.dumps(cleaner))
        assert again.core == core
        assert again.clean(page).text == cleaner.clean(page).text != ""


@needs_compiled
def test_argument_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("DECLUTTER_CORE", "python")
    assert Cleaner(core="rust").core == "rust"
    monkeypatch.setenv("DECLUTTER_CORE", "rust")
    assert Cleaner(core="python").core == "python"


def test_python_argument_wins_over_the_environment_without_a_compiled_core(monkeypatch):
    # runs where the checkout has no compiled core too (the Quick start's test run)
    monkeypatch.setenv("DECLUTTER_CORE", "rust")
    assert Cleaner(core="python").core == "python"


def test_unknown_core_is_an_argument_error(monkeypatch):
    with pytest.raises(ArgumentError, match="core='fast'"):
        Cleaner(core="fast")
    monkeypatch.setenv("DECLUTTER_CORE", "Rust")
    with pytest.raises(ArgumentError, match="DECLUTTER_CORE='Rust'"):
        resolve()
    with pytest.raises(TypeError):
        Cleaner(core=1)  # type: ignore[arg-type]


def test_missing_compiled_core(monkeypatch):
    monkeypatch.setattr(core_module, "_compiled", None)
    monkeypatch.delenv("DECLUTTER_CORE", raising=False)
    assert resolve() == "python"  # the reference, silently, when nothing asks for rust
    with pytest.raises(ArgumentError, match="compiled core is not installed"):
        resolve("rust")
    monkeypatch.setenv("DECLUTTER_CORE", "rust")
    with pytest.raises(ArgumentError, match="compiled core is not installed"):
        Cleaner()


def test_version_names_the_core(monkeypatch):
    expected = "rust" if compiled() is not None else "python"
    monkeypatch.delenv("DECLUTTER_CORE", raising=False)
    assert call_cli("--version").stdout.endswith(f"(core: {expected})\n")
    monkeypatch.setenv("DECLUTTER_CORE", "python")
    assert call_cli("--version").stdout.endswith("(core: python)\n")


def test_forced_core_that_is_missing_is_one_line_and_exit_2(monkeypatch, tmp_path):
    monkeypatch.setenv("DECLUTTER_CORE", "cobol")
    for args in (["--version"], []):
        proc = run_cli(*args, input="Some text.\n", env=dict(os.environ))
        assert proc.returncode == 2
        assert proc.stderr == "declutter: DECLUTTER_CORE='cobol': the core is 'python' or 'rust'\n"
        assert proc.stdout == ""


@needs_compiled
@pytest.mark.parametrize("detached", [False, True])
def test_a_panic_in_the_core_is_a_declutter_error(detached, capfd):
    module = compiled()
    with pytest.raises(CoreError, match=r"compiled core failed in _panic_for_test: boom at src/lib\.rs:\d+") as info:
        module._panic_for_test("boom", detached)
    assert isinstance(info.value, DeclutterError) and info.value.exit_status == 1
    # the panic hook stays silent: the exception says it all
    assert "panicked" not in capfd.readouterr().err


@pytest.mark.parametrize("core", ["python", pytest.param("rust", marks=needs_compiled)])
def test_a_pickled_cleaner_keeps_its_core(monkeypatch, core):
    cleaner = Cleaner(core=core)
    monkeypatch.setenv("DECLUTTER_CORE", "rust" if core == "python" and compiled() is not None else "python")
    copy = pickle.loads(pickle.dumps(cleaner))
    assert copy.core == core
    assert copy.clean("A line.\nAnother line.").text == cleaner.clean("A line.\nAnother line.").text
