"""Rule files: validation (one error naming file, rule and problem), the rule
kinds (pattern, phrases), their bounds, places and actions, and retuning the
structural signals from a user file."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from declutter import Cleaner, RuleFileError
from declutter.rulefile import read_rule_file

from conftest import PARAS, ROOT, RULES_DIR, page


def rule_toml(rule_id: str = "local.test", **keys) -> str:
    """One [[rule]] table; values are written as TOML literals (strings single-quoted)."""
    keys.setdefault("name", "test rule")
    keys.setdefault("description", "A rule written by the tests.")
    lines = ["[[rule]]", f'id = "{rule_id}"']
    for key, value in keys.items():
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, str):
            lines.append(f"{key} = '''{value}'''")
        elif isinstance(value, list):
            lines.append(f"{key} = [{', '.join(repr(v) if not isinstance(v, str) else chr(34) + v + chr(34) for v in value)}]")
        else:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def cleaner_with(tmp_path: Path, text: str, **kw) -> Cleaner:
    kw.setdefault("default_rules", False)
    return Cleaner(rules=[write(tmp_path, text)], **kw)


def dropped_by(result, rule_id: str) -> list[str]:
    return [r.text for r in result.removed if r.reason == rule_id]


# ---------------------------------------------------------------- validation

BROKEN_RULES = {
    # case: (file text, rule id named, words the problem must contain)
    "bad-toml": ('[[rule]]\nid = "local.x"\nname = "unterminated\n', None, ["toml"]),
    "unknown-key": (rule_toml(pattern="^x$", colour="red"), "local.test", ["colour"]),
    "bad-regex": (rule_toml(pattern="^(x$"), "local.test", ["regex"]),
    "missing-name": ('[[rule]]\nid = "local.test"\ndescription = "d"\npattern = "^x$"\n', "local.test", ["name"]),
    "missing-description": ('[[rule]]\nid = "local.test"\nname = "n"\npattern = "^x$"\n', "local.test", ["description"]),
    "nothing-to-match": (rule_toml(), "local.test", ["pattern"]),
    "bad-action": (rule_toml(pattern="^x$", action="explode"), "local.test", ["action"]),
    "bad-where": (rule_toml(pattern="^x$", where="middle"), "local.test", ["where"]),
    "negative-max-chars": (rule_toml(pattern="^x$", max_chars=-1), "local.test", ["max_chars"]),
    "text-max-chars": (rule_toml(pattern="^x$", max_chars="ten"), "local.test", ["max_chars"]),
    "domains-not-list": (rule_toml(pattern="^x$", domains="example.com"), "local.test", ["domains"]),
    "enabled-not-bool": (rule_toml(pattern="^x$", enabled="yes"), "local.test", ["enabled"]),
    "phrases-not-list": (rule_toml(phrases="Read more"), "local.test", ["phrases"]),
    "duplicate-in-file": (rule_toml(pattern="^x$") + rule_toml(pattern="^y$"), "local.test", ["duplicate"]),
    "unknown-top-level": ('[[rules]]\nid = "local.test"\n', None, ["rules"]),
    "starts-not-list": (rule_toml(pattern="^Sponsored", starts="Sponsored"), "local.test", ["starts", "list"]),
    "starts-empty": (rule_toml(pattern="^Sponsored", starts=[]), "local.test", ["starts", "list"]),
    "starts-without-pattern": (rule_toml(phrases=["sponsored"], starts=["Sponsored"]), "local.test",
                               ["starts", "pattern"]),
    "starts-typo": (rule_toml(pattern="(?i)^sponsored by", starts=["Sponsred"]), "local.test",
                    ["starts", "sponsred", "cannot begin"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN_RULES), ids=sorted(BROKEN_RULES))
def test_broken_rule_file_raises_one_line_error_naming_file_rule_and_problem(tmp_path, case):
    text, rule_id, words = BROKEN_RULES[case]
    path = write(tmp_path, text, f"{case}.toml")
    with pytest.raises(RuleFileError) as info:
        read_rule_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert f"{case}.toml" in message
    if rule_id:
        assert rule_id in message
        assert info.value.rule_id == rule_id
    for word in words:
        assert word in message.lower()
    assert info.value.exit_status == 2


@pytest.mark.parametrize("case", ["bad-regex", "unknown-key", "bad-toml"])
def test_cleaner_raises_the_same_error_for_a_broken_user_file(tmp_path, case):
    text, rule_id, _words = BROKEN_RULES[case]
    with pytest.raises(RuleFileError) as info:
        Cleaner(rules=[write(tmp_path, text)])
    assert "mine.toml" in str(info.value)
    if rule_id:
        assert rule_id in str(info.value)


def test_duplicate_id_across_two_files_names_the_second_file(tmp_path):
    a = write(tmp_path, rule_toml("local.same", pattern="^x$"), "a.toml")
    b = write(tmp_path, rule_toml("local.same", pattern="^y$"), "b.toml")
    with pytest.raises(RuleFileError) as info:
        Cleaner(rules=[a, b])
    message = str(info.value)
    assert "b.toml" in message and "local.same" in message and "duplicate" in message.lower()


def test_duplicate_of_a_default_id_is_an_error(tmp_path):
    with pytest.raises(RuleFileError) as info:
        Cleaner(rules=[write(tmp_path, rule_toml("nav.post-links", pattern="^x$"))])
    assert "nav.post-links" in str(info.value) and "mine.toml" in str(info.value)


def test_disable_of_an_unknown_id_is_an_error():
    with pytest.raises(RuleFileError) as info:
        Cleaner(disable=["no.such-rule"])
    assert "no.such-rule" in str(info.value)


@pytest.mark.parametrize("bad_id", ["", "-leading-dash", ".leading-dot", "has space", "slash/id", "semi;colon", "é.accent"])
def test_rule_ids_of_the_wrong_shape_are_rejected(tmp_path, bad_id):
    with pytest.raises(RuleFileError) as info:
        read_rule_file(write(tmp_path, rule_toml(bad_id, pattern="^x$")))
    assert "id" in str(info.value)


def test_rule_id_that_is_not_a_string_is_rejected(tmp_path):
    with pytest.raises(RuleFileError):
        read_rule_file(write(tmp_path, '[[rule]]\nid = 7\nname = "n"\ndescription = "d"\npattern = "^x$"\n'))


@pytest.mark.parametrize("good_id", ["local.poll", "a", "x_y-z.1", "comments.reply-heading"])
def test_rule_ids_of_the_right_shape_load(tmp_path, good_id):
    rf = read_rule_file(write(tmp_path, rule_toml(good_id, pattern="^x$")))
    assert [r.id for r in rf.rules] == [good_id]


@pytest.mark.parametrize("action", ["drop", "drop-to-end", "drop-before", "protect"])
def test_every_documented_action_is_accepted(tmp_path, action):
    rf = read_rule_file(write(tmp_path, rule_toml(pattern="^x$", action=action)))
    assert rf.rules[0].action == action


@pytest.mark.parametrize("where", ["anywhere", "top", "bottom", "edges", "after-body"])
def test_every_documented_place_is_accepted(tmp_path, where):
    rf = read_rule_file(write(tmp_path, rule_toml(pattern="^x$", where=where)))
    assert rf.rules[0].where == where


def test_defaults_are_drop_anywhere_enabled(tmp_path):
    rule = read_rule_file(write(tmp_path, rule_toml(pattern="^x$"))).rules[0]
    assert (rule.action, rule.where, rule.enabled) == ("drop", "anywhere", True)


def test_patterns_use_the_regex_module_unicode_classes(tmp_path):
    # \p{Lu} and \h are `regex` syntax, not `re`.
    rf = read_rule_file(write(tmp_path, rule_toml(pattern=r"^\p{Lu}+\h\p{Lu}+$", max_chars=40)))
    assert rf.rules[0].pattern.search("ÉTÉ ÖL")
    assert not rf.rules[0].pattern.search("été öl")


# ---------------------------------------------------------------- the default rule files

def default_rules() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(RULES_DIR.glob("*.toml")):
        for rule in tomllib.loads(path.read_text(encoding="utf-8")).get("rule", []):
            out.append((path.name, rule))
    return out


def test_every_default_rule_file_loads():
    for path in sorted(RULES_DIR.glob("*.toml")):
        read_rule_file(path)


def test_default_rule_ids_are_lowercase_and_namespaced_by_family():
    rules = default_rules()
    assert rules
    for filename, rule in rules:
        assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9._-]*", rule["id"]), (filename, rule["id"])


def test_default_pattern_and_phrase_rules_are_length_bounded():
    # A default rule must never drop a long article sentence that merely mentions a word.
    for filename, rule in default_rules():
        if "pattern" in rule or "phrases" in rule:
            assert isinstance(rule.get("max_chars"), int), (filename, rule["id"])


SEED_STRINGS = re.compile(r"\b(MLS|Jersey|Air Jordan|Dunk|Zhang Hanhui)\b")


def test_no_default_rule_or_code_names_a_string_of_the_seed():
    paths = list(RULES_DIR.rglob("*")) + list((ROOT / "declutter").rglob("*.py"))
    for path in paths:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not SEED_STRINGS.search(text), path


# ---------------------------------------------------------------- phrases and patterns

def test_phrases_match_whole_lines_with_case_space_and_digits_folded(tmp_path):
    c = cleaner_with(tmp_path, rule_toml(phrases=["Read the full story", "Page 1 of 3"], max_chars=60))
    lines = ["READ  the FULL   story", "Read the full story »", "Page 2 of 7",
             "Read the full story at the library, where copies of the report are kept."]
    result = c.clean(page(PARAS[0], lines[0], PARAS[1], lines[1], PARAS[2], lines[2], PARAS[3], lines[3],
                          PARAS[4]), html=False)
    assert dropped_by(result, "local.test") == lines[:3]
    assert lines[3] in result.text.split("\n")


def test_pattern_searched_in_the_stripped_line(tmp_path):
    c = cleaner_with(tmp_path, rule_toml(pattern="^Gizmo sale ends on Friday[.]$", max_chars=60))
    result = c.clean(page(PARAS[0], PARAS[1], "    Gizmo sale ends on Friday.   ", PARAS[2], PARAS[3]), html=False)
    assert dropped_by(result, "local.test") == ["Gizmo sale ends on Friday."]


SHORT = "Gizmo sale ends on Friday."                                   # 26 chars
LONG = "Gizmo owners met in the library hall on Tuesday evening."     # 56 chars


def gizmo_page() -> str:
    return page(PARAS[0], PARAS[1], SHORT, PARAS[2], LONG, PARAS[3], PARAS[4])


def test_pattern_rule_honours_max_chars(tmp_path):
    result = cleaner_with(tmp_path, rule_toml(pattern="^Gizmo", max_chars=30)).clean(gizmo_page(), html=False)
    assert dropped_by(result, "local.test") == [SHORT]
    assert LONG in result.text.split("\n")


def test_pattern_rule_honours_min_chars(tmp_path):
    result = cleaner_with(tmp_path, rule_toml(pattern="^Gizmo", min_chars=30)).clean(gizmo_page(), html=False)
    assert dropped_by(result, "local.test") == [LONG]
    assert SHORT in result.text.split("\n")


def test_phrase_rule_honours_max_chars(tmp_path):
    result = cleaner_with(tmp_path, rule_toml(phrases=[SHORT, LONG], max_chars=30)).clean(gizmo_page(), html=False)
    assert dropped_by(result, "local.test") == [SHORT]


def test_disabled_in_file_rule_does_nothing(tmp_path):
    result = cleaner_with(tmp_path, rule_toml(pattern="^Gizmo", enabled=False)).clean(gizmo_page(), html=False)
    assert dropped_by(result, "local.test") == []
    assert SHORT in result.text and LONG in result.text


# ---------------------------------------------------------------- where

TOP = "Note: top banner of the page"
MIDDLE = "Note: prices quoted here include sales tax."
BOTTOM = "Note: bottom line of the page"
WHERE_PAGE = page(TOP, PARAS[0], PARAS[1], MIDDLE, PARAS[2], PARAS[3], BOTTOM)


def where_result(tmp_path, where):
    # full_reasons: lines outside the article would otherwise be reported as
    # signal.outside-body, the rule not tried there.
    c = cleaner_with(tmp_path, rule_toml(pattern="^Note: ", max_chars=80, where=where), full_reasons=True)
    return c.clean(WHERE_PAGE, html=False)


def test_control_without_rule_the_middle_note_is_kept(tmp_path):
    result = Cleaner(default_rules=False).clean(WHERE_PAGE, html=False)
    assert MIDDLE in result.text.split("\n")
    assert result.text.split("\n\n") == [PARAS[0], PARAS[1], MIDDLE, PARAS[2], PARAS[3]]


def test_where_anywhere_acts_everywhere(tmp_path):
    assert dropped_by(where_result(tmp_path, "anywhere"), "local.test") == [TOP, MIDDLE, BOTTOM]


def test_where_top_acts_only_before_the_body(tmp_path):
    result = where_result(tmp_path, "top")
    assert dropped_by(result, "local.test") == [TOP]
    assert MIDDLE in result.text.split("\n")


def test_where_bottom_acts_only_after_the_body(tmp_path):
    result = where_result(tmp_path, "bottom")
    assert dropped_by(result, "local.test") == [BOTTOM]
    assert MIDDLE in result.text.split("\n")


def test_where_edges_acts_at_top_and_bottom_not_inside(tmp_path):
    result = where_result(tmp_path, "edges")
    assert dropped_by(result, "local.test") == [TOP, BOTTOM]
    assert MIDDLE in result.text.split("\n")


def test_where_after_body_never_acts_before_the_body(tmp_path):
    result = where_result(tmp_path, "after-body")
    assert TOP not in dropped_by(result, "local.test")
    assert BOTTOM in dropped_by(result, "local.test")


# ---------------------------------------------------------------- actions

def test_drop_to_end_drops_from_the_heading_to_the_end(tmp_path):
    c = cleaner_with(tmp_path, rule_toml(pattern="^Reader notes$", max_chars=40, action="drop-to-end"))
    text = page(PARAS[0], PARAS[1], PARAS[2], "Reader notes", PARAS[3], PARAS[4], "Harbor Town Gazette")
    control = Cleaner(default_rules=False).clean(text, html=False)
    assert PARAS[3] in control.text and PARAS[4] in control.text  # without the rule they are body text
    result = c.clean(text, html=False)
    assert result.text == "\n\n".join(PARAS[:3])
    assert dropped_by(result, "local.test") == ["Reader notes", PARAS[3], PARAS[4], "Harbor Town Gazette"]


def test_drop_before_drops_everything_before_and_the_marker(tmp_path):
    c = cleaner_with(tmp_path, rule_toml(pattern="^Story starts below$", max_chars=40, action="drop-before"))
    text = page(PARAS[5], "Story starts below", *PARAS[:5])
    control = Cleaner(default_rules=False).clean(text, html=False)
    assert PARAS[5] in control.text  # without the rule it is body text
    result = c.clean(text, html=False)
    assert result.text == "\n\n".join(PARAS[:5])
    assert dropped_by(result, "local.test") == [PARAS[5], "Story starts below"]


BANNER = "Harbor Town Gazette"
BANNER_PAGE = page(BANNER, PARAS[0], PARAS[1], BANNER, PARAS[2], PARAS[3], BANNER)


def test_control_a_banner_repeated_outside_the_body_goes_inside_it_too():
    result = Cleaner(default_rules=False).clean(BANNER_PAGE, html=False)
    assert BANNER not in result.text
    assert [r.reason for r in result.removed if r.text == BANNER] == ["signal.repeated"] * 3


def test_protect_keeps_a_block_a_signal_would_drop(tmp_path):
    c = cleaner_with(tmp_path, rule_toml(pattern="^Harbor Town Gazette$", max_chars=40, action="protect"))
    result = c.clean(BANNER_PAGE, html=False)
    middle = [(b.first_line, v.keep, v.reason) for b, v in zip(result.blocks, result.verdicts) if b.text == BANNER][1]
    assert middle[1:] == (True, "local.test")
    assert f"{PARAS[1]}\n\n{BANNER}\n\n{PARAS[2]}" in result.text


def test_protect_beats_a_drop_rule(tmp_path):
    text = (rule_toml("local.drop", pattern="^Gizmo", max_chars=60)
            + rule_toml("local.keep", pattern="^Gizmo sale", max_chars=60, action="protect"))
    result = cleaner_with(tmp_path, text).clean(gizmo_page(), html=False)
    assert SHORT in result.text.split("\n")
    assert dropped_by(result, "local.drop") == [LONG]


# ---------------------------------------------------------------- signal settings in user files

def test_signal_override_changes_behaviour(tmp_path):
    c = cleaner_with(tmp_path, "[signals.repeated]\nmax_chars = 10\n")
    result = c.clean(BANNER_PAGE, html=False)
    # The banner (19 characters) is now too long to count as a repeated line:
    # its copy inside the article stays.
    assert f"{PARAS[1]}\n\n{BANNER}\n\n{PARAS[2]}" in result.text
    assert "signal.repeated" not in {r.reason for r in result.removed}


def test_signal_override_of_min_count(tmp_path):
    c = cleaner_with(tmp_path, "[signals.repeated]\nmin_count = 4\n")
    result = c.clean(BANNER_PAGE, html=False)
    assert BANNER in result.text.split("\n")


def test_signal_override_does_not_leak_into_other_cleaners(tmp_path):
    cleaner_with(tmp_path, "[signals.repeated]\nmax_chars = 10\n")
    result = Cleaner(default_rules=False).clean(BANNER_PAGE, html=False)
    assert BANNER not in result.text


@pytest.mark.parametrize("text,words", [
    ("[signals.nosuch]\nmax_chars = 10\n", ["nosuch"]),
    ("[signals.repeated]\ncolour = 10\n", ["colour"]),
    ('[signals.repeated]\nmax_chars = "ten"\n', ["max_chars"]),
], ids=["unknown-signal", "unknown-setting", "wrong-type"])
def test_bad_signal_override_is_an_error(tmp_path, text, words):
    with pytest.raises(RuleFileError) as info:
        Cleaner(rules=[write(tmp_path, text)])
    message = str(info.value)
    assert "mine.toml" in message and "\n" not in message
    for word in words:
        assert word in message


# ---------------------------------------------------------------- starts

STARTS = rule_toml("local.sponsor", pattern=r"(?i)^(?:sponsored by|advertisement)\b", starts=["Sponsored by"])


def test_starts_is_how_the_pattern_is_tried(tmp_path):
    # The author's `starts` replaces the analysis of the pattern: blocks
    # beginning with a stated start are tried (case, digits and spacing
    # folded), others are not, even where the pattern alone would match.
    cleaner = cleaner_with(tmp_path, STARTS)
    lines = ["Sponsored by the harbour fund", "sponsored BY a friend", "Advertisement", "A sponsored by line"]
    hits = {(h.rule.id, h.block) for h in cleaner.ruleset.match(lines, lines, None).hits}
    assert hits == {("local.sponsor", 0), ("local.sponsor", 1)}


def test_starts_spares_the_pattern_analysis(tmp_path, monkeypatch):
    from declutter import matching

    def refuse(pattern):
        raise AssertionError("the pattern was analysed")

    monkeypatch.setattr(matching, "needs", refuse)
    monkeypatch.setattr(matching, "starts_anchored", refuse)
    cleaner = cleaner_with(tmp_path, STARTS.replace("local.sponsor", "local.sponsor-2"))
    page_text = "\n\n".join(["Sponsored by the harbour fund", *PARAS[:3]])
    result = cleaner.clean(page_text, html=False)
    assert dropped_by(result, "local.sponsor-2") == ["Sponsored by the harbour fund"]


def test_rules_check_accepts_starts_and_names_a_bad_one(tmp_path):
    from conftest import call_cli

    good = write(tmp_path, STARTS, "good.toml")
    assert call_cli("rules", "check", str(good)).returncode == 0
    bad = write(tmp_path, STARTS.replace('"Sponsored by"', '"Sponsord by"'), "bad.toml")
    proc = call_cli("rules", "check", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"declutter: {bad}: rule 'local.sponsor': 'starts' entry 'Sponsord by' cannot begin a match of the pattern"]
