"""Rule patterns are compiled on first use when they are default patterns
(known to compile), at load otherwise; either way they match as regex would."""
from __future__ import annotations

import pickle

import pytest
import regex

from declutter.errors import RuleFileError
from declutter.pattern import MAX_PATTERN_SIZE, PATTERN_FLAGS, RulePattern, pattern_size
from declutter.rulefile import read_rule_file
from declutter.ruleset import default_rules_dir, rule_paths

LINES = ["Posted on March 3, 2021 by admin", "Leave a Reply", "Share this:", "Next post »",
         "The minister said on Tuesday that talks would resume.", "© 2024 Example Media. All rights reserved."]


def default_patterns() -> list[RulePattern]:
    # Read afresh (not through the per-process cache), so nothing has used them yet.
    return [rule.pattern for path in rule_paths(default_rules_dir())
            for rule in read_rule_file(path).rules if rule.pattern is not None]


def test_default_patterns_are_not_compiled_when_read() -> None:
    patterns = default_patterns()
    assert len(patterns) > 40
    assert all(p._compiled is None for p in patterns)


def test_a_pattern_compiled_late_matches_as_regex_does() -> None:
    for pattern in default_patterns():
        reference = regex.compile(pattern.pattern, PATTERN_FLAGS)
        for line in LINES:
            assert bool(pattern.search(line)) == bool(reference.search(line)), (pattern.pattern[:40], line)
            assert bool(pattern.match(line)) == bool(reference.match(line))
        joined = "\n".join(LINES)
        assert [m.span() for m in pattern.finditer(joined)] == [m.span() for m in reference.finditer(joined)]
        assert pattern._compiled is not None


def test_every_default_pattern_is_within_the_size_cap() -> None:
    assert all(pattern_size(p.pattern) <= MAX_PATTERN_SIZE for p in default_patterns())


def rule_file(tmp_path, pattern: str):
    path = tmp_path / "mine.toml"
    path.write_text(f"[[rule]]\nid = \"mine.one\"\nname = \"n\"\ndescription = \"d\"\npattern = '''{pattern}'''\n",
                    encoding="utf-8")
    return path


def test_a_user_pattern_is_compiled_when_read(tmp_path) -> None:
    rule = read_rule_file(rule_file(tmp_path, r"^Sponsored by \w+$")).rules[0]
    assert rule.pattern._compiled is not None
    assert rule.pattern.search("intro\nSponsored by Acme")


def test_a_bad_user_pattern_fails_when_read(tmp_path) -> None:
    with pytest.raises(RuleFileError, match="mine.one.*bad regex"):
        read_rule_file(rule_file(tmp_path, r"^(unclosed"))


def test_a_copied_default_pattern_is_lazy_and_works(tmp_path) -> None:
    line = "Posted on March 3, 2021 by admin"
    source = next(p.pattern for p in default_patterns() if regex.search(p.pattern, line, PATTERN_FLAGS))
    rule = read_rule_file(rule_file(tmp_path, source)).rules[0]
    assert rule.pattern._compiled is None
    assert rule.pattern.search(line)


def test_a_pattern_that_fails_late_raises_a_rule_file_error() -> None:
    # Only a default pattern is compiled late; were the installed regex to
    # reject it, the error must still name the file and the rule.
    pattern = RulePattern("^(unclosed", ("defaults.toml", "some.rule"))
    with pytest.raises(RuleFileError, match="defaults.toml.*some.rule.*bad regex"):
        pattern.search("anything")


def test_a_pickled_pattern_travels_as_its_source() -> None:
    pattern = default_patterns()[0]
    pattern.search("warm it up")  # compiled here...
    copy = pickle.loads(pickle.dumps(pattern))
    assert copy._compiled is None  # ...and compiled again where it is used
    assert copy.pattern == pattern.pattern and copy.flags == pattern.flags
    for line in LINES:
        assert bool(copy.search(line)) == bool(pattern.search(line))

