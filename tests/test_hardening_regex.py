"""Hardening, part 2: a pathological rule cannot stall a run.

Every pattern match runs with the `regex` module's timeout
(`[signals.limits] regex_timeout_seconds`, CPU time of the process). A rule
that times out on a block is skipped for that block only; the skip is
counted and reported with the rule id (library: `result.skipped_rules`; CLI:
one stderr line per rule and page, and `"skipped_rules"` in --json); the run goes on.
`strict=True` / `--strict` makes it an error (RuleTimeoutError, exit 1, one
line). The same holds on the HTML path, which matches pattern rules on the
blocks it keeps through the same RuleSet.
"""
from __future__ import annotations

import json

import pytest

from declutter import Cleaner, RuleTimeoutError

from conftest import PARAS, call_cli, run_cli

EVIL_LINE = "a" * 64 + "b"  # (a|aa)+$ backtracks through ~1.6^64 ways to split the a's


def evil_rules(tmp_path, pattern: str = "(a|aa)+$", timeout: float | None = 0.05) -> str:
    path = tmp_path / "evil.toml"
    limits = f"[signals.limits]\nregex_timeout_seconds = {timeout}\n\n" if timeout is not None else ""
    path.write_text(limits + "[[rule]]\n"
                    'id = "test.evil"\nname = "evil"\ndescription = "catastrophic backtracking"\n'
                    f"pattern = '''{pattern}'''\n", encoding="utf-8")
    return str(path)


# The long line sits inside the article; a short line of a's (which the rule
# does match, quickly) sits at the end.
PAGE = "\n\n".join([PARAS[0], EVIL_LINE, PARAS[1], PARAS[2], "aaaa"])


@pytest.mark.parametrize("pattern", ["(a|aa)+$", "^(a|aa)+$", "(?i)(a|aa)+$"])
def test_pathological_rule_is_skipped_on_that_block_only(tmp_path, pattern):
    # full_reasons: "aaaa" stands outside the article, where drop rules are
    # otherwise not tried.
    cleaner = Cleaner([evil_rules(tmp_path, pattern)], full_reasons=True)
    result = cleaner.clean(PAGE, html=False)
    evil_index = next(b.index for b in result.blocks if b.text == EVIL_LINE)
    assert ("test.evil", evil_index) in result.skipped_rules
    assert all(rule == "test.evil" for rule, _ in result.skipped_rules)
    # the run went on: the article is there, and the rule still acted elsewhere
    for para in PARAS[:3]:
        assert para in result.text
    assert [r.text for r in result.removed if r.reason == "test.evil"] == ["aaaa"]
    assert result.to_dict()["skipped_rules"] == [{"rule": "test.evil", "block": i}
                                                for _, i in result.skipped_rules]


def test_default_timeout_from_the_shipped_settings_also_stops_it(tmp_path):
    result = Cleaner([evil_rules(tmp_path, timeout=None)]).clean(PAGE, html=False)
    assert [rule for rule, _ in result.skipped_rules] == ["test.evil"]


def test_strict_makes_the_timeout_an_error(tmp_path):
    with pytest.raises(RuleTimeoutError, match="test.evil"):
        Cleaner([evil_rules(tmp_path)], strict=True).clean(PAGE, html=False)


def test_html_path_honours_the_timeout(tmp_path):
    page = ("<html><body><article>" + "".join(f"<p>{p}</p>" for p in (PARAS[0], EVIL_LINE, PARAS[1], PARAS[2]))
            + "</article></body></html>")
    result = Cleaner([evil_rules(tmp_path)]).clean(page, html=True)
    assert [rule for rule, _ in result.skipped_rules] == ["test.evil"]
    (index,) = [i for _, i in result.skipped_rules]
    assert result.blocks[index].text.strip() == EVIL_LINE
    assert PARAS[0] in result.text and PARAS[2] in result.text
    with pytest.raises(RuleTimeoutError, match="test.evil"):
        Cleaner([evil_rules(tmp_path)], strict=True).clean(page, html=True)


def test_cli_reports_each_skip_on_one_line_and_goes_on(tmp_path):
    p = call_cli("--text", "--rules", evil_rules(tmp_path), input=PAGE)
    assert p.returncode == 0
    assert PARAS[1] in p.stdout
    (line,) = p.stderr.splitlines()
    assert line.startswith("declutter: ") and "'test.evil'" in line and "timed out" in line


def test_cli_json_lists_skipped_rules(tmp_path):
    p = call_cli("--text", "--json", "--rules", evil_rules(tmp_path), input=PAGE)
    assert p.returncode == 0
    out = json.loads(p.stdout)
    assert [s["rule"] for s in out["skipped_rules"]] == ["test.evil"]
    assert PARAS[2] in out["text"]


def test_cli_strict_exits_non_zero_with_one_line(tmp_path):
    p = run_cli("--text", "--strict", "--rules", evil_rules(tmp_path), input=PAGE)
    assert p.returncode == 1
    assert p.stdout == ""
    (line,) = p.stderr.splitlines()
    assert "test.evil" in line and "timed out" in line and "Traceback" not in p.stderr


def test_stream_record_with_a_skip_is_cleaned_and_strict_makes_it_an_error_record(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"n": 1, "text": PAGE}) + "\n" + json.dumps({"n": 2, "text": PARAS[3]}) + "\n")
    p = run_cli("--jsonl", "-j", "1", "--rules", evil_rules(tmp_path), str(src))
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    assert p.returncode == 0 and [r["n"] for r in recs] == [1, 2]
    assert "error" not in recs[0] and PARAS[1] in recs[0]["text"]
    assert [s["rule"] for s in recs[0]["skipped_rules"]] == ["test.evil"] and "skipped_rules" not in recs[1]
    p = run_cli("--jsonl", "-j", "1", "--strict", "--rules", evil_rules(tmp_path), str(src))
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    assert [r["n"] for r in recs] == [1, 2]
    assert "test.evil" in recs[0]["error"] and "error" not in recs[1]


@pytest.mark.parametrize("pattern", ["^(a|aa)+$", "(a|aa)+$"])
def test_a_timeout_is_not_remembered_as_no_match(tmp_path, pattern):
    # A Cleaner remembers what rules gave on lines it has seen; a search that
    # timed out gave nothing to remember, so the next page with that line
    # reports the skip again (and strict mode still fails on it).
    cleaner = Cleaner([evil_rules(tmp_path, pattern)], full_reasons=True)
    first = cleaner.clean(PAGE, html=False)
    again = cleaner.clean(PAGE, html=False)
    assert [r for r, _ in first.skipped_rules] == [r for r, _ in again.skipped_rules] == ["test.evil"]
    assert again.text == first.text
