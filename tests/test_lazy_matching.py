"""The fast paths of rule matching give the answers the slow paths give.

- The reference (no compiled candidates) searches every rule on every block;
  with the compiled core's candidates RuleSet.match finds exactly the same
  (rule, block) pairs.
- Plain drop rules are tried lazily, only where they can change the output:
  the text is the same as with every rule tried everywhere (full_reasons), on
  the fixture pages and on generated ones.
- A later round's features, taken from the first round's, equal a fresh
  measure() of the kept blocks.
- The `where` prefilter keeps exactly the blocks may_act() allows.
- A Cleaner that has seen lines before answers as a fresh one.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from declutter import Cleaner
from declutter.blocks import split_text
from declutter.features import measure, subset
from declutter.rulefile import PLACES, may_act

from test_properties import PAGE, SETTINGS

ROOT = Path(__file__).resolve().parent.parent
TEXT_PAGES = sorted((ROOT / "fixtures" / "text").glob("*[0-9a-z].txt"))
TEXT_PAGES = [p for p in TEXT_PAGES if not p.name.endswith(".expected.txt")]
SEED = ROOT / "seeds" / "000_0eb8e67bc03ad9ec.txt"
PAGES = TEXT_PAGES + [SEED]

FAST = Cleaner()
FULL = Cleaner(full_reasons=True)


def brute_force(cleaner: Cleaner, stripped: list[str]) -> set[tuple[str, int]]:
    """Every pattern rule searched on every block, bounds honoured."""
    found = set()
    for rule in cleaner.ruleset.rules:
        if rule.pattern is None:
            continue
        for i, line in enumerate(stripped):
            n = len(line)
            if n < rule.min_chars or (rule.max_chars is not None and n > rule.max_chars):
                continue
            if rule.pattern.search(line):
                found.add((rule.id, i))
    return found


def pattern_hits(stripped: list[str], keys: list[str]) -> list[set[tuple[str, int]]]:
    """The pattern rules' hits, by the reference and (when built) from the
    compiled core's candidates."""
    ruleset = FAST.ruleset
    found = ruleset.candidates(stripped)
    reports = [ruleset.match(stripped, keys, None)] + ([] if found is None else [
        ruleset.match(stripped, keys, None, candidates=found)])
    return [{(h.rule.id, h.block) for h in r.hits if h.rule.pattern is not None} for r in reports]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_rule_index_finds_what_searching_everything_finds(path: Path) -> None:
    features = measure([b.text for b in split_text(path.read_text(encoding="utf-8"))],
                       FAST.ruleset.text.features)
    for hits in pattern_hits(features.stripped, features.keys):
        assert hits == brute_force(FAST, features.stripped)


def test_the_reference_searches_every_rule_whatever_its_needs(monkeypatch) -> None:
    # The reference does not trust the literal analysis: with every pattern
    # said to need a text no line holds, it still finds every hit.
    from declutter import matching
    from declutter.literals import Needs
    from declutter.normalise import line_key

    monkeypatch.setattr(matching, "needs", lambda pattern: Needs(None, frozenset({"\x00never"})))
    matching.rule_index.cache_clear()
    try:
        cleaner = Cleaner(core="python")
        lines = ["Leave a Reply", "Powered by WordPress", "© 2024 Harbor Town Gazette", "Share this:"]
        report = cleaner.ruleset.match(lines, [line_key(x) for x in lines], None)
        hits = {(h.rule.id, h.block) for h in report.hits if h.rule.pattern is not None}
        assert hits == brute_force(cleaner, lines) != set()
    finally:
        matching.rule_index.cache_clear()


def test_rule_index_on_lines_built_to_start_like_boilerplate() -> None:
    # Case variants the engine accepts (ſ for s, K for K, İ for i), leading
    # marks, and lines that only almost match.
    lines = ["Leave a Reply", "LEAVE A REPLY", "ſhare this:", "« Previous post", "→ Next post",
             "Powered by WordPress", "© 2024 Harbor Town Gazette", "Kommentare (3)", "3 thoughts on “x”",
             "İnstagram", "Posted on March 3, 2024 by admin", "Tags: a, b", "Share", "Sharing is caring",
             "All rights reserved", "ALL RIGHTS RESERVED.", "Reading time: 4 min", "ЧИТАЙТЕ ТАКЖЕ",
             "上一篇：新闻", "Jane Doe is a senior writer at The Daily.", "Seite 2 von 5", "1 2 3 … 10"]
    from declutter.normalise import line_key

    for hits in pattern_hits(lines, [line_key(x) for x in lines]):
        assert hits == brute_force(FAST, lines)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_lazy_matching_gives_the_text_of_full_matching(path: Path) -> None:
    page = path.read_text(encoding="utf-8")
    fast, full = FAST.clean(page, html=False), FULL.clean(page, html=False)
    assert fast.text == full.text
    assert fast.title == full.title
    # Where the reasons differ, the fast path names what decided anyway: a
    # signal, or a range rule (drop-to-end, drop-before) that covers the block.
    shaping = {r.id for r in FAST.ruleset.rules if r.action in ("drop-to-end", "drop-before")}
    for a, b in zip(fast.verdicts, full.verdicts):
        assert a.keep == b.keep
        if a.reason != b.reason:
            assert a.reason in ("signal.outside-body", "signal.repeated", "signal.title") or a.reason in shaping


@SETTINGS
@given(PAGE)
def test_lazy_matching_gives_the_text_of_full_matching_on_any_page(page: str) -> None:
    assert FAST.clean(page, html=False).text == FULL.clean(page, html=False).text


@SETTINGS
@given(PAGE)
def test_subset_features_equal_a_fresh_measure(page: str) -> None:
    settings = FAST.ruleset.text.features
    texts = [b.text for b in split_text(page)]
    whole = measure(texts, settings)
    kept = [i for i in range(len(texts)) if i % 3 != 1]
    assert subset(whole, kept, settings) == measure([texts[i] for i in kept], settings)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_subset_features_equal_a_fresh_measure_on_real_pages(path: Path) -> None:
    # Real pages in a dozen languages and scripts; kept: what cleaning keeps
    # (the later rounds' case), and every other block (the language may change).
    settings = FAST.ruleset.text.features
    page = path.read_text(encoding="utf-8")
    texts = [b.text for b in split_text(page)]
    whole = measure(texts, settings)
    kept_by_cleaning = [i for i, v in enumerate(FAST.clean(page, html=False).verdicts) if v.keep]
    for kept in (kept_by_cleaning, list(range(0, len(texts), 2))):
        assert subset(whole, kept, settings) == measure([texts[i] for i in kept], settings)


def test_full_reasons_name_the_rule_outside_the_article() -> None:
    from conftest import PARAS

    page = "\n\n".join(["« Previous post", *PARAS[:3], "Powered by WordPress"])
    fast = {r.text: r.reason for r in FAST.clean(page, html=False).removed}
    full = {r.text: r.reason for r in FULL.clean(page, html=False).removed}
    assert full == {"« Previous post": "nav.post-links", "Powered by WordPress": "footer.powered-by"}
    assert fast["Powered by WordPress"] == "signal.outside-body"


def test_the_shipped_needs_key_prefixes_with_digits_and_spaces_folded() -> None:
    # \d and \s give one prefix each, not one per digit or space of every
    # script: the shipped table stays small (data/rx_index.json, kept current
    # by tests/test_core_rx.py).
    import json
    from importlib import resources

    from declutter.literals import analyse
    from declutter.normalise import prefix_key

    shipped = json.loads((resources.files("declutter") / "data" / "rx_index.json").read_text(encoding="utf-8"))
    prefixes = [p for e in shipped["entries"].values() if e["needs"][0] for p in e["needs"][0]]
    assert prefixes
    assert all(prefix_key(p) == p for p in prefixes)
    assert len(prefixes) < 5000
    # (the regex module may know digits of scripts newer than Python's tables:
    # those stay as they are, on both sides of the comparison)
    digits = analyse(r"^\d{4}\s+by", 0).prefixes
    assert digits and "0" in digits and not any(d.isdecimal() and d != "0" for d in digits)
    assert analyse(r"^by\h+\p{Lu}", 0).prefixes == {"by "}


@SETTINGS
@given(st.text(max_size=8), st.text(max_size=8))
def test_a_line_starting_with_a_prefix_has_a_key_starting_with_its_key(prefix: str, rest: str) -> None:
    # What lets the index fold prefixes: a line that starts with one is
    # still looked up under (a key starting with) the prefix's key.
    from declutter.normalise import prefix_key

    assert prefix_key(prefix + rest).startswith(prefix_key(prefix))


def test_literal_analysis_is_sound_under_case_folding() -> None:
    import regex

    from declutter.literals import analyse
    from declutter.normalise import fold

    # (?i)s also matches ſ (long s) and k the Kelvin sign: both fold alike.
    need = analyse(r"(?i)^share\b", regex.MULTILINE)
    assert need.prefixes and all(fold("ſhare")[: len(p)] == p or not "ſhare".startswith(p) for p in need.prefixes)
    assert any(fold("ſhare this").startswith(p) for p in need.prefixes)
    assert any(fold("\u212aommentare").startswith(p) for p in analyse(r"(?i)^kommentare", 0).prefixes)
    # A pattern the analysis cannot read needs nothing (and is simply tried).
    assert analyse(r"(?i)(?:\w+){e<=1}", 0) == type(need)(None, None)
    # Optional leading marks: a match may start with them or without them.
    prefixes = analyse(r"(?x)^[«‹]?\h*(?:previous|prev)\b", 0).prefixes
    assert {"previo", "prev", "«prev", "« "} <= prefixes


@SETTINGS
@given(st.integers(0, 30), st.integers(-1, 31), st.integers(-1, 31), st.integers(-1, 31),
       st.sets(st.sampled_from(PLACES), min_size=1), st.data())
def test_where_prefilter_keeps_exactly_the_blocks_some_rule_may_act_on(n, first, last, begun, wheres, data) -> None:
    from declutter.matching import where_any

    indexes = sorted(data.draw(st.sets(st.integers(0, max(n - 1, 0)), max_size=n))) if n else []
    expected = [i for i in indexes if any(may_act(w, i, first, last, begun) for w in wheres)]
    assert list(where_any(frozenset(wheres), indexes, (first, last, begun))) == expected


def test_a_cleaner_that_has_seen_the_lines_gives_the_same_answers() -> None:
    # Every page cleaned a second time, after all the others, gives what a
    # fresh Cleaner gives it.
    warm = Cleaner()
    for path in PAGES:
        warm.clean(path.read_text(encoding="utf-8"), html=False)
    for path in PAGES:
        page = path.read_text(encoding="utf-8")
        again, fresh = warm.clean(page, html=False), Cleaner().clean(page, html=False)
        assert again.text == fresh.text
        assert [(v.keep, v.reason) for v in again.verdicts] == [(v.keep, v.reason) for v in fresh.verdicts]


@pytest.mark.parametrize("pattern", ["^Sponsored by the harbour fund", "(?i)sponsored by the harbour"])
def test_remembered_lines_still_honour_each_pages_domain(tmp_path, pattern: str) -> None:
    # The rule's domains are judged per page, by both paths, for a
    # start-anchored and a literal pattern.
    rules = tmp_path / "scoped.toml"
    rules.write_text('[[rule]]\nid = "test.sponsor"\nname = "sponsor"\ndescription = "a sponsor line"\n'
                     f"pattern = '''{pattern}'''\ndomains = [\"harbortown.example\"]\n", encoding="utf-8")
    page = SEED.read_text(encoding="utf-8").replace(
        "\n\n", "\n\nSponsored by the harbour fund\n\n", 3)
    cleaner = Cleaner([str(rules)], full_reasons=True)
    for url in ("https://elsewhere.example/a", "https://harbortown.example/a", "https://elsewhere.example/b"):
        reasons = {r.reason for r in cleaner.clean(page, url=url, html=False).removed
                   if r.text.strip() == "Sponsored by the harbour fund"}
        assert ("test.sponsor" in reasons) == ("harbortown" in url), url


def test_rules_tried_on_every_line_still_meet_lines_seen_before(tmp_path) -> None:
    # A start-anchored pattern that needs no literal text and whose first
    # characters tell nothing is tried on every line, also on lines seen
    # before that have no other candidate.
    rules = tmp_path / "open.toml"
    rules.write_text('[[rule]]\nid = "test.open"\nname = "open"\ndescription = "one word and a digit"\n'
                     "pattern = '''^\\w+\\d$'''\nmax_chars = 40\n", encoding="utf-8")
    cleaner = Cleaner([str(rules)], full_reasons=True)
    page = SEED.read_text(encoding="utf-8")
    cleaner.clean(page, html=False)  # every line of the seed seen once
    marked = page.replace("\n\n", "\n\nQxz7\n\n", 1)
    for _ in range(2):
        removed = cleaner.clean(marked, html=False).removed
        assert [r.reason for r in removed if r.text.strip() == "Qxz7"] == ["test.open"]


def test_rules_tried_on_every_line_keep_their_length_bounds(tmp_path) -> None:
    # Beside a rule that admits longer lines, a rule the index cannot gate
    # must still skip lines over its own max_chars.
    rules = tmp_path / "bounded.toml"
    rules.write_text('[[rule]]\nid = "test.short-digits"\nname = "n"\ndescription = "d"\n'
                     "pattern = '''^.{0,10}\\d+$'''\nmax_chars = 5\n\n"
                     '[[rule]]\nid = "test.sponsor"\nname = "n"\ndescription = "d"\n'
                     "pattern = '''^Sponsored'''\nmax_chars = 200\n", encoding="utf-8")
    cleaner = Cleaner([str(rules)], default_rules=False)
    lines = ["ab 12345678", "123", "Sponsored by 42"]
    report = cleaner.ruleset.match(lines, lines, None)
    assert {(h.rule.id, h.block) for h in report.hits} == brute_force(cleaner, lines) == {
        ("test.short-digits", 1), ("test.sponsor", 2)}


def test_every_default_pattern_tells_the_index_what_it_needs() -> None:
    # a pattern the literal analysis cannot read is searched on every line of
    # every page (a DEFINE group hid the post-footer rule's words: 11 % of text
    # mode's work); write such a pattern so its literals show, or give `starts`
    from declutter.ruleset import RuleSet
    from declutter.rx import needs

    blind = [r.id for r in RuleSet().rules if r.pattern is not None
             and needs(r.pattern).prefixes is None and needs(r.pattern).literals is None]
    assert blind == []


def test_a_floating_match_over_a_line_end_does_not_hide_the_next_line(tmp_path) -> None:
    # In the joined lines "focus63\n1 Hour ago" the first match of \d+\s*\w
    # is "63\n1", which takes the second line's digit: each line is still
    # judged as if searched alone, from the core's candidates too.
    rules = tmp_path / "digits.toml"
    rules.write_text('[[rule]]\nid = "test.digits"\nname = "n"\ndescription = "d"\n'
                     "pattern = '''\\d+\\s*\\w'''\nmax_chars = 10\n", encoding="utf-8")
    cleaner = Cleaner([str(rules)], default_rules=False)
    lines = ["focus63", "1 Hour ago"]
    for found in (None, cleaner.ruleset.candidates(lines)):
        report = cleaner.ruleset.match(lines, lines, None, candidates=found)
        assert {(h.rule.id, h.block) for h in report.hits} == {("test.digits", 0), ("test.digits", 1)}


def test_an_anchored_rule_meets_a_block_holding_line_breaks_by_its_head() -> None:
    # `^` also matches after a line break inside an HTML block: the compiled
    # prefilter admits taxonomy.labelled-list by the block's first characters
    # only, and so must the reference (dragnet's R443 differed).
    from declutter.normalise import line_key

    lines = ["November 6, 2012 @ 2:00 pm - Written by Trent\nCategories: 365 Ways to Live Cheap",
             "Categories: 365 Ways to Live Cheap\nNovember 6, 2012"]
    rule = next(r for r in FAST.ruleset.rules if r.id == "taxonomy.labelled-list")
    assert rule.pattern.search(lines[0])  # at the second line
    reference = Cleaner(core="python").ruleset.match(lines, [line_key(x) for x in lines], None)
    hits = {(h.rule.id, h.block) for h in reference.hits if h.rule.id == "taxonomy.labelled-list"}
    assert hits == {("taxonomy.labelled-list", 1)}
    for found in pattern_hits(lines, [line_key(x) for x in lines]):
        assert ("taxonomy.labelled-list", 0) not in found
