"""Hardening, part 3: resource limits with defaults, rule-file settings and flags.

- page size: `[signals.limits] max_bytes` (default 64 MiB) and `oversize`
  (pass | flag | truncate | error, default truncate); Cleaner(max_bytes=,
  oversize=) and --max-bytes / --oversize override them;
- CPU time per page: `time_budget_seconds` (default 60), Cleaner(time_budget=),
  --time-budget; a page over it fails with PageBudgetError (one line and exit
  status 1 in the CLI, an error record in streams) and the run goes on;
- HTML nesting deeper than libxml2 keeps: detected, the page flattened and
  cleaned in text mode, flagged in metadata (tests/test_html_bad_input.py has
  the library side; the CLI and stream side is in test_hardening_inputs.py).
"""
from __future__ import annotations

import json

import pytest

from declutter import Cleaner, InputError, PageBudgetError, PageTooLargeError, RuleFileError
from declutter.limits import Limits, truncate

from conftest import PARAS, call_cli, run_cli

PAGE = "\n\n".join(PARAS[:4]) + "\n"
SIZE = len(PAGE.encode())
# A limit that keeps the first two paragraphs whole and cuts into the third.
CUT = len((PARAS[0] + "\n\n" + PARAS[1] + "\n\n").encode()) + 20
HTML = "<html><body><article>" + "".join(f"<p>{p}</p>\n" for p in PARAS[:4]) + "</article></body></html>"


def test_defaults_come_from_the_shipped_settings():
    assert Cleaner().limits == Limits(max_bytes=64 << 20, oversize="truncate", time_budget=60.0)


def test_rule_file_retunes_the_limits_and_arguments_override_them(tmp_path):
    f = tmp_path / "limits.toml"
    f.write_text('[signals.limits]\nmax_bytes = 1000\noversize = "flag"\ntime_budget_seconds = 5\n')
    assert Cleaner([f]).limits == Limits(1000, "flag", 5.0)
    assert Cleaner([f], max_bytes=0, oversize="error", time_budget=0).limits == Limits(0, "error", 0.0)


@pytest.mark.parametrize("text", ['oversize = "explode"', "max_bytes = -5", "time_budget_seconds = -1.0",
                                  'max_bytes = "big"'])
def test_bad_limit_settings_are_rule_file_errors(tmp_path, text):
    f = tmp_path / "limits.toml"
    f.write_text("[signals.limits]\n" + text + "\n")
    with pytest.raises(RuleFileError):
        Cleaner([f])


@pytest.mark.parametrize("kw", [{"oversize": "explode"}, {"max_bytes": -1}, {"time_budget": -2.0}])
def test_bad_limit_arguments_are_value_errors(kw):
    # ArgumentError: a DeclutterError, and still the ValueError it used to be
    with pytest.raises(ValueError):
        Cleaner(**kw)


def test_page_under_the_limit_is_cleaned_without_warnings():
    result = Cleaner(max_bytes=SIZE).clean(PAGE, html=False)
    assert result.text == PAGE.strip()
    assert "warnings" not in result.metadata and "oversize" not in result.metadata


@pytest.mark.parametrize("as_bytes", [False, True])
def test_oversize_pass_returns_the_page_untouched_with_a_warning(as_bytes):
    page = PAGE.encode() if as_bytes else PAGE
    result = Cleaner(max_bytes=100, oversize="pass").clean(page, html=False)
    assert result.text == PAGE and result.removed == []
    assert result.metadata["oversize"] == {"bytes": SIZE, "max_bytes": 100, "action": "pass"}
    (warning,) = result.metadata["warnings"]
    assert f"{SIZE:,} bytes" in warning and "untouched" in warning


def test_oversize_flag_withholds_the_text_with_a_warning():
    result = Cleaner(max_bytes=100, oversize="flag").clean(PAGE, html=False)
    assert result.text == "" and result.metadata["oversize"]["action"] == "flag"
    assert "not cleaned" in result.metadata["warnings"][0]


@pytest.mark.parametrize("as_bytes", [False, True])
def test_oversize_truncate_cleans_the_first_max_bytes_cut_at_a_line_break(as_bytes):
    page = PAGE.encode() if as_bytes else PAGE
    result = Cleaner(max_bytes=CUT, oversize="truncate").clean(page, html=False)
    assert result.text == PARAS[0] + "\n\n" + PARAS[1]
    assert result.metadata["oversize"] == {"bytes": SIZE, "max_bytes": CUT, "action": "truncate"}
    assert "first" in result.metadata["warnings"][0]


def test_oversize_truncate_on_html_keeps_the_whole_paragraphs_before_the_cut():
    cut = HTML.index(PARAS[2]) + 10
    result = Cleaner(max_bytes=cut, oversize="truncate").clean(HTML, html=True)
    assert result.text.startswith(PARAS[0] + "\n\n" + PARAS[1])
    assert PARAS[3] not in result.text and result.metadata["oversize"]["action"] == "truncate"


def test_oversize_error_is_an_input_error():
    with pytest.raises(PageTooLargeError, match="over the limit of 100 bytes") as info:
        Cleaner(max_bytes=100, oversize="error").clean(PAGE, html=False)
    assert isinstance(info.value, InputError)


def test_size_is_counted_in_utf8_bytes():
    page = "é" * 60  # 60 characters, 120 bytes
    result = Cleaner(max_bytes=100, oversize="flag").clean(page, html=False)
    assert result.metadata["oversize"]["bytes"] == 120
    assert "oversize" not in Cleaner(max_bytes=120).clean(page, html=False).metadata


def test_truncate_never_splits_a_character():
    assert truncate("ab\ncd" + "é" * 10, 6) == "ab\n"
    assert truncate("é" * 10, 5) == "éé"  # no line break: cut at a character boundary
    assert truncate(b"ab\ncdef", 5) == b"ab\n"


def test_limits_survive_pickling():
    import pickle

    c = Cleaner(max_bytes=123, oversize="flag", time_budget=7)
    assert pickle.loads(pickle.dumps(c)).limits == Limits(123, "flag", 7.0)


# -- the time budget: a page whose rules burn CPU ---------------------------------------

def slow_rules(tmp_path) -> str:
    """A rule that times out (0.05 s of CPU each) on every one of 60 lines:
    about 3 s of CPU in all, far over a budget of 0.3 s."""
    path = tmp_path / "slow.toml"
    path.write_text('[signals.limits]\nregex_timeout_seconds = 0.05\n\n[[rule]]\nid = "test.slow"\n'
                    'name = "slow"\ndescription = "backtracks"\npattern = \'\'\'(a|aa)+$\'\'\'\n')
    return str(path)


SLOW_PAGE = "\n".join([PARAS[0]] + ["a" * 64 + f"b {i}" for i in range(60)] + [PARAS[1]])


# The slow lines stand outside the article, where drop rules are only tried
# with full_reasons (otherwise they go unmatched: nothing to time out).

def test_page_over_its_time_budget_fails_with_page_budget_error(tmp_path):
    with pytest.raises(PageBudgetError, match="time budget of 0.3 s"):
        Cleaner([slow_rules(tmp_path)], time_budget=0.3, full_reasons=True).clean(SLOW_PAGE, html=False)


def test_time_budget_on_the_html_path(tmp_path):
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in SLOW_PAGE.split("\n")) + "</body></html>"
    with pytest.raises(PageBudgetError):
        Cleaner([slow_rules(tmp_path)], time_budget=0.3).clean(page, html=True)


def test_budget_is_per_page_the_next_page_is_cleaned(tmp_path):
    cleaner = Cleaner([slow_rules(tmp_path)], time_budget=0.3, full_reasons=True)
    with pytest.raises(PageBudgetError):
        cleaner.clean(SLOW_PAGE, html=False)
    assert cleaner.clean(PAGE, html=False).text == PAGE.strip()


def test_cli_time_budget_one_line_exit_1_and_the_next_file_is_cleaned(tmp_path):
    slow = tmp_path / "slow.txt"
    slow.write_text(SLOW_PAGE)
    fine = tmp_path / "fine.txt"
    fine.write_text(PAGE)
    p = call_cli("--text", "--full-reasons", "--time-budget", "0.3", "--rules", slow_rules(tmp_path),
                 str(slow), str(fine))
    assert p.returncode == 1
    assert p.stdout == f"==> {fine} <==\n" + PAGE.strip() + "\n"  # two files named: a header each
    (line,) = [ln for ln in p.stderr.splitlines() if "time budget" in ln]
    assert line.startswith(f"declutter: {slow}: page over its time budget")
    assert "Traceback" not in p.stderr


def test_stream_time_budget_gives_an_error_record_and_the_stream_goes_on(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"n": i, "text": SLOW_PAGE if i == 1 else PAGE}) + "\n" for i in range(3)))
    p = run_cli("--jsonl", "-j", "1", "--text", "--full-reasons", "--time-budget", "0.3",
                "--rules", slow_rules(tmp_path), str(src))
    assert p.returncode == 0  # record errors are counted, not fatal
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    assert [r["n"] for r in recs] == [0, 1, 2]
    assert "PageBudgetError" in recs[1]["error"] and recs[1]["source"] == f"{src}:2"
    assert recs[0]["text"] == recs[2]["text"] == PAGE.strip()


# -- the size limit through the CLI and streams ---------------------------------------

@pytest.mark.parametrize("action, out, words", [
    ("pass", PAGE + "\n", "untouched"),
    ("flag", "", "not cleaned"),
    ("truncate", PARAS[0] + "\n\n" + PARAS[1] + "\n", "first"),
])
def test_cli_oversize_actions(action, out, words):
    p = call_cli("--text", "--max-bytes", str(CUT), "--oversize", action, input=PAGE)
    assert p.returncode == 0 and p.stdout == out
    (line,) = p.stderr.splitlines()
    assert line.startswith("declutter: <stdin>: page of") and words in line


def test_cli_oversize_error_exit_1_one_line():
    p = call_cli("--text", "--max-bytes", "100", "--oversize", "error", input=PAGE)
    assert p.returncode == 1 and p.stdout == ""
    assert p.stderr == f"declutter: <stdin>: page of {SIZE:,} bytes is over the limit of 100 bytes\n"


@pytest.mark.parametrize("args", [["--max-bytes", "-1"], ["--oversize", "explode"], ["--time-budget", "soon"]])
def test_cli_bad_limit_flags_are_usage_errors(args):
    p = call_cli(*args, input=PAGE)
    assert p.returncode == 2 and len(p.stderr.splitlines()) == 1


def test_stream_oversized_records_flagged_or_errors_others_intact(tmp_path):
    src = tmp_path / "in.jsonl"
    pages = [PARAS[0], PAGE, PARAS[1]]
    src.write_text("".join(json.dumps({"n": i, "text": t}) + "\n" for i, t in enumerate(pages)))
    p = run_cli("--jsonl", "-j", "1", "--text", "--max-bytes", "300", "--oversize", "flag", str(src))
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    assert p.returncode == 0 and [r["n"] for r in recs] == [0, 1, 2]
    assert recs[1]["text"] == "" and recs[1]["metadata"]["oversize"]["action"] == "flag"
    assert recs[0]["text"] == PARAS[0] and recs[2]["text"] == PARAS[1]
    p = run_cli("--jsonl", "-j", "1", "--text", "--max-bytes", "300", "--oversize", "error", str(src))
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    assert [r["n"] for r in recs] == [0, 1, 2]
    assert "PageTooLargeError" in recs[1]["error"] and "error" not in recs[0] and "error" not in recs[2]
