"""A one-page run of the command loads only what one page needs: the stream
machinery, the default rules' patterns, and bs4 for an HTML page in UTF-8
wait until something uses them."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from declutter.core import compiled

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_0eb8e67bc03ad9ec.txt"

HTML_PAGE = ("<!doctype html><html><head><title>Bridge</title></head><body><nav>Home</nav><article><p>"
             + "Die Brücke über den Fluss wird im Frühjahr eröffnet, sagt der Stadtrat. " * 8
             + "</p></article></body></html>").encode("utf-8")

PROBE = """
import sys
from declutter.cli import main
sys.argv = ["declutter"]
try:
    main()
except SystemExit:
    pass
from declutter.ruleset import rule_paths, default_rules_dir, read_default
compiled = sum(r.pattern._compiled is not None for p in rule_paths(default_rules_dir())
               for r in read_default(str(p), p.stat().st_mtime_ns).rules if r.pattern is not None)
print("MODULES", " ".join(sorted(m for m in sys.modules if m.startswith(("declutter.stream.", "concurrent.futures.process", "bs4", "declutter.html")))), file=sys.stderr)
print("COMPILED", compiled, file=sys.stderr)
"""


def run_one_page(page: bytes, core: str | None = None) -> tuple[str, dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k != "DECLUTTER_CORE"} | ({"DECLUTTER_CORE": core} if core else {})
    done = subprocess.run([sys.executable, "-c", PROBE], input=page, capture_output=True, cwd=ROOT, timeout=120,
                          env=env)
    assert done.returncode == 0, done.stderr
    facts = dict(line.split(" ", 1) if " " in line else (line, "") for line in done.stderr.decode().splitlines())
    return done.stdout.decode(), facts


@pytest.fixture(scope="module")
def one_page_run() -> dict[str, str]:
    out, facts = run_one_page(SEED.read_bytes())
    assert out.startswith("BEIJING, Nov 24 (Reuters)")
    return facts


def test_a_one_page_run_does_not_load_the_stream_machinery(one_page_run) -> None:
    assert "declutter.stream.run" not in one_page_run["MODULES"]
    assert "concurrent.futures.process" not in one_page_run["MODULES"]


@pytest.mark.parametrize(("core", "most"), [("rust", 9), ("python", 15)])
def test_a_one_page_run_compiles_only_the_patterns_it_searches_with(core: str, most: int) -> None:
    # of 47 default patterns; the plain reference searches every rule that is
    # not start-anchored on each line it tries, so it compiles more of them
    # (11 on the seed), the compiled core only those whose candidates Python
    # confirms
    if core == "rust" and compiled() is None:
        pytest.skip("the compiled core is not built")
    out, facts = run_one_page(SEED.read_bytes(), core)
    assert out.startswith("BEIJING, Nov 24 (Reuters)")
    assert int(facts["COMPILED"]) <= most


def test_stream_names_still_import_from_the_package() -> None:
    import declutter.stream as stream
    from declutter.stream import Options, Stats, Summary, clean_stream, default_jobs  # noqa: F401

    assert callable(stream.clean_stream) and callable(default_jobs)
    with pytest.raises(AttributeError):
        stream.no_such_name  # noqa: B018


def test_an_html_page_in_utf8_does_not_import_bs4() -> None:
    out, facts = run_one_page(HTML_PAGE)
    assert out.startswith("Die Brücke über den Fluss")
    assert "declutter.html.extract" in facts["MODULES"].split()  # the HTML path ran...
    assert not [m for m in facts["MODULES"].split() if m == "bs4" or m.startswith("bs4.")]  # ...without bs4
