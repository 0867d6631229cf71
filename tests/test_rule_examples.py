"""Rules carry their own examples: every default rule's `examples` and
`counter_examples` run through the real matching (the code of `declutter
rules check`), the two keys as rule-file data, and the `rules check` /
`rules show` commands."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from declutter.errors import RuleFileError
from declutter.examples import check_rules, rule_matches
from declutter.rule import Rule
from declutter.rulefile import read_rule_file, table_lines
from declutter.ruleset import RuleSet

from conftest import call_cli


@lru_cache(maxsize=1)
def default_rules() -> tuple[Rule, ...]:
    return tuple(RuleSet().all_rules)


def test_every_default_rule_holds_its_examples():
    failures = check_rules(default_rules())
    assert [f.message(f.rule.source) for f in failures] == []


def test_every_default_rule_has_two_examples_and_two_counter_examples():
    thin = [r.id for r in default_rules() if len(r.examples) < 2 or len(r.counter_examples) < 2]
    assert thin == []


def test_no_default_rule_matches_any_rules_counter_example():
    # Counter-examples are article lines, so no rule may take one: this keeps
    # the old "no rule matches article text" check across rules.
    rules = default_rules()
    taken = [(other.id, line) for rule in rules for line in rule.counter_examples
             for other in rules if rule_matches(other, line)]
    assert taken == []


# ---------------------------------------------------------------- the keys

RULE = '''# a local rule
[[rule]]
id = "local.sponsor"
name = "sponsor line"
description = """Sponsor credits.
[[rule]] inside a string is no table."""
pattern = '^Sponsored by '
max_chars = 60
examples = ["Sponsored by the harbour fund", "Sponsored by Acme"]
counter_examples = ["The harbour fund sponsored the regatta.", "Sponsored by Acme and written with care, the series ran for ten years on public radio."]

[[rule]]   # a second one
id = "local.cookie-box"
name = "cookie box"
description = "A cookie notice box."
selector = "div.cookie-notice"
examples = ['<div class="cookie-notice"><p>We use cookies.</p></div>', '<p>We use <span class="x">cookies</span></p><div class="cookie-notice">OK</div>']
counter_examples = ['<div class="notice"><p>The cookie jar was empty.</p></div>', '<p>cookie-notice</p>']
'''


def write(tmp_path, text, name="mine.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_examples_are_kept_on_the_rule_with_the_line_of_its_table(tmp_path):
    rules = read_rule_file(write(tmp_path, RULE)).rules
    assert [r.line for r in rules] == [2, 12]
    assert rules[0].examples == ("Sponsored by the harbour fund", "Sponsored by Acme")
    assert len(rules[0].counter_examples) == 2 and len(rules[1].examples) == 2


def test_a_selector_rules_examples_are_html_snippets(tmp_path):
    # The second counter-example is longer than max_chars, so it holds by the rule's bounds.
    assert check_rules(read_rule_file(write(tmp_path, RULE)).rules) == []


@pytest.mark.parametrize("value", ['"one line"', "[1, 2]", '[""]', '["ok", ["nested"]]'])
def test_examples_must_be_a_list_of_strings(tmp_path, value):
    text = RULE.replace('examples = ["Sponsored by the harbour fund", "Sponsored by Acme"]', f"examples = {value}")
    with pytest.raises(RuleFileError) as caught:
        read_rule_file(write(tmp_path, text))
    assert str(caught.value) == (f"{tmp_path / 'mine.toml'}: rule 'local.sponsor': "
                                 "'examples' must be a list of non-empty strings")


def test_table_lines_skip_strings_and_give_up_on_inline_arrays():
    text = 'a = """\n[[rule]]\n"""\n[[rule]] # one\nid = "x"\n[[ rule ]]\nb = \'\'\'\n[[rule]]\'\'\'\n'
    assert table_lines(text, "rule", 2) == [4, 6]
    assert table_lines('rule = [{id = "a"}]\n', "rule", 1) == [None]


def test_default_rules_and_signals_know_their_lines():
    rs = RuleSet()
    for item in [*rs.all_rules, *rs.described]:
        lines = Path(item.source).read_text(encoding="utf-8").split("\n")
        header = "[[signal]]" if item in rs.described else "[[rule]]"
        assert item.line and lines[item.line - 1].strip() == header, item.id
        assert f'id = "{item.id}"' in lines[item.line], item.id


# ---------------------------------------------------------------- rules check

def test_rules_check_passes_on_the_defaults():
    proc = call_cli("rules", "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("ok: ") and proc.stderr == ""


def test_rules_check_reports_a_wrong_example_and_a_wrong_counter_example(tmp_path):
    text = (RULE.replace('"Sponsored by Acme"]', '"Supported by Acme"]')
            .replace('"The harbour fund sponsored the regatta."', '"Sponsored by the mayor"'))
    path = write(tmp_path, text)
    proc = call_cli("rules", "check", str(path))
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [f"{path}:local.sponsor: example 2 did not match",
                                        f"{path}:local.sponsor: counter-example 1 matched"]
    assert proc.stderr == "declutter: 2 of 8 examples failed\n"


def test_rules_check_a_wrong_selector_example(tmp_path):
    path = write(tmp_path, RULE.replace('<div class="cookie-notice"><p>We', '<div class="notice"><p>We'))
    proc = call_cli("rules", "check", str(path))
    assert proc.returncode == 1
    assert proc.stdout == f"{path}:local.cookie-box: example 1 did not match\n"


def test_rules_check_an_unreadable_file_is_a_usage_error(tmp_path):
    proc = call_cli("rules", "check", str(tmp_path / "missing.toml"))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == f"declutter: {tmp_path / 'missing.toml'}: no such file\n"


# ---------------------------------------------------------------- rules show

def test_rules_show_a_rule():
    proc = call_cli("rules", "show", "comments.thread-heading")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    rule = next(r for r in default_rules() if r.id == "comments.thread-heading")
    assert lines[:2] == ["id: comments.thread-heading", f"name: {rule.name}"]
    assert f"source: rules/comments.toml:{rule.line}" in lines
    assert "action: drop-to-end" in lines and "where: after-body" in lines
    assert any(line.startswith("pattern: (?xi)") for line in lines)
    assert "examples:" in lines and "counter-examples:" in lines
    assert f"  1. {rule.examples[0]}" in lines
    assert f"  {len(rule.counter_examples)}. {rule.counter_examples[-1]}" in lines


def test_rules_show_a_signal():
    proc = call_cli("rules", "show", "signal.repeated")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    signal = next(s for s in RuleSet().described if s.id == "signal.repeated")
    assert lines[:5] == ["id: signal.repeated", f"name: {signal.name}", f"description: {signal.description}",
                         f"source: rules/signals.toml:{signal.line}", "action: signal"]
    assert "settings [signals.repeated]:" in lines and "  min_count = 2" in lines


def test_rules_show_a_rule_of_a_user_file(tmp_path):
    path = write(tmp_path, RULE)
    proc = call_cli("rules", "show", "local.cookie-box", "--rules", str(path))
    assert proc.returncode == 0, proc.stderr
    assert f"source: {path}:12" in proc.stdout.splitlines() and "selector: div.cookie-notice" in proc.stdout


def test_rules_show_an_unknown_id_is_one_line_and_exit_2():
    proc = call_cli("rules", "show", "no.such-rule")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == "declutter: no loaded rule or signal has the id 'no.such-rule'\n"
