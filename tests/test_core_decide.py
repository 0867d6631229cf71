"""The compiled core's text decision (core/src/decide, declutter/core_decide.py)
against the Python reference (decide.py, verdicts.py, the Cleaner's loops):
Cleaner(core="python") and Cleaner(core="rust") give the same text, title,
metadata, skipped rules and verdicts (keep, reason, first-pass class, round)
on generated pages of realistic lines, every fixture and seed, the
development set's text dumps and the four public sets' (skipped when
../shared/bench is missing), with the default rules, each signal turned off,
full_reasons, user rules of every `where` and action, and rules that time out."""
from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from declutter import Cleaner
from declutter.core import compiled
from declutter.errors import RuleTimeoutError
from declutter.reasons import DROPPING

from conftest import ROOT
from test_properties import BOILERPLATE, MENU, PROSE

if compiled() is None:
    pytest.skip("the compiled core is not built in this checkout: pip install -e .", allow_module_level=True)

BENCH = ROOT.parent / "shared" / "bench"
SETS = ("cleaneval-dev", "cleanportaleval", "dragnet", "readability")
TEXT_SIGNALS = sorted(s for s in DROPPING if s.startswith("signal."))

USER_RULES = """
[[rule]]
id = "local.byline"
name = "byline"
description = "a byline at the top"
pattern = '^By [A-Z]'
where = "top"

[[rule]]
id = "local.share"
name = "share"
description = "share buttons at the bottom"
pattern = '(?i)^share this'
where = "bottom"

[[rule]]
id = "local.edges"
name = "edges"
description = "short menu words at either edge"
phrases = ["home", "contact", "menu"]
where = "edges"
max_chars = 12

[[rule]]
id = "local.after"
name = "after the body"
description = "dates after the body"
pattern = '^(January|March|July|November) \\d'
where = "after-body"
min_chars = 8

[[rule]]
id = "local.cut"
name = "cut"
description = "everything from the comments on"
pattern = '^(Leave a Reply|Related posts)'
action = "drop-to-end"

[[rule]]
id = "local.before"
name = "before"
description = "everything up to the skip link"
pattern = '^Skip to content'
action = "drop-before"

[[rule]]
id = "local.keep"
name = "keep"
description = "the ferry stays"
pattern = 'ferry'
action = "protect"

[[rule]]
id = "local.keep-top"
name = "keep top"
description = "a protected line at the top only"
phrases = ["what happens next"]
action = "protect"
where = "top"

[[rule]]
id = "local.thanks"
name = "thanks"
description = "a reader's thanks, also a post"
pattern = '^Thanks'
"""

# Rules whose regex times out on a line of many a's closed by a b. They need
# no literal, so the compiled prefilter admits every line: the reference
# searches every pair anyway, and a timeout both paths must report alike can
# only be on a pair the prefilter admits (on the others the reference alone
# searches, and may alone time out).
SLOW_RULES = """
[signals.limits]
regex_timeout_seconds = 0.002

[[rule]]
id = "local.slow-drop"
name = "slow drop"
description = "catastrophic backtracking"
pattern = '(a|aa)+$'

[[rule]]
id = "local.slow-top"
name = "slow top"
description = "catastrophic backtracking, at the top only"
pattern = '(a|aa)+c$'
where = "top"

[[rule]]
id = "local.slow-protect"
name = "slow protect"
description = "catastrophic backtracking"
pattern = '(b|bb)+$'
action = "protect"
"""
SLOW_LINE = "a" * 40 + "b"


def same(python: Cleaner, rust: Cleaner, page: str | bytes, html: bool | None = False, url: str | None = None) -> None:
    a, b = python.clean(page, url=url, html=html), rust.clean(page, url=url, html=html)
    assert (a.text, a.title, a.metadata, a.skipped_rules) == (b.text, b.title, b.metadata, b.skipped_rules)
    assert [(v.keep, v.reason, v.first_class, v.round) for v in a.verdicts] == \
        [(v.keep, v.reason, v.first_class, v.round) for v in b.verdicts]
    assert [type(v.first_class) for v in a.verdicts] == [type(v.first_class) for v in b.verdicts]


def pair(**options: object) -> tuple[Cleaner, Cleaner]:
    return Cleaner(core="python", **options), Cleaner(core="rust", **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cleaners() -> tuple[Cleaner, Cleaner]:
    return pair()


@pytest.fixture(scope="module")
def user_rules(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "mine.toml"
    path.write_text(USER_RULES, encoding="utf-8")
    return path


# ------------------------------------------------------------ generated pages

HEADLINE = "Council approves new footbridge over the river"
THREAD = [
    "Ann Lee - July 10th, 2012, 1:26 am", "Bob Stone - July 11th, 2012, 9:02 pm", "Cy Young - July 12, 2012 at 3:15",
    "Jane says:", "Dale McNeill wrote:", "tdhurst says:", "by ndogg (158021) writes:", "Jean a écrit :",
    "ian 07.16.12 at 12:20", "Posted by: Jeff at November 9, 2012", "1. Ann Lee - July 10th, 2012, 1:26 am",
    "Thanks for sharing, Ben.", "Great post.", "Reply", "7 Comments", "{ 167 comments }", "3 Responses",
]
LISTS = [
    "1. Preheat the oven.", "2. Mix the flour and the butter", "(3) Bake for 20 minutes", "19. Moral Clarity",
    "3. Visit the mill (since 1820)", "• Two eggs", "- 200 g sugar", "→ www.example.com/bridge",
    "http://example.com/a", "Tour dates:", "March 3, 2021 - Oslo", "12:30 Harbour Stage", "Rates: $55.00 to $125.00",
]
DATES = ["March 3, 2024", "2024-03-03", "12:30", "Nov 24, 2012", "Posted on March 3, 2024 by admin", "72W 5V"]
TABLE = ["12 34 56 78", "1 2 3 4 5", "3.5 4.5 5.5", "2019 2020 2021"]
CJK = ["市议会周二晚间投票通过了在河上修建一座新人行桥的计划。", "漢字のテスト。これは文です。", "ニュース", "ホーム",
       "東京 2024年3月3日"]
HEADLINES = [f"{HEADLINE} | Harbor Town Gazette", HEADLINE, f"{HEADLINE} 524", "Harbor Town Gazette"]
SHORT = ["What Happens Next", "By Jane Doe", "Share this", "Skip to content", "Leave a Reply", "Related posts",
         "Photo: The old mill", "Home", "Contact", "x", "{}();=<>", "a=1;b=2;c={d:[1,2]};function(e){return e}"
         "(x);var y=[];", SLOW_LINE]
REPEATED = st.sampled_from(["Share this:", "Home", "Advertisement", HEADLINE, "Subscribe to our newsletter"])
REALISTIC = st.one_of(
    st.sampled_from(PROSE), st.sampled_from(PROSE), st.sampled_from(PROSE), st.sampled_from(MENU),
    st.sampled_from(BOILERPLATE), st.sampled_from(THREAD), st.sampled_from(THREAD), st.sampled_from(LISTS),
    st.sampled_from(DATES), st.sampled_from(TABLE), st.sampled_from(CJK), st.sampled_from(HEADLINES),
    st.sampled_from(SHORT), REPEATED, REPEATED,
)
PAGE = st.tuples(st.sampled_from(HEADLINES + PROSE[:2] + [""]), st.lists(REALISTIC, max_size=60)).map(
    lambda p: "\n".join([p[0], *p[1]]))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                            HealthCheck.function_scoped_fixture])


@SETTINGS
@given(PAGE)
@example("")
@example(f"{HEADLINES[0]}\nHome\n{HEADLINE}\nPhoto: The old mill\nA picture of the mill by the river at dawn")
@example("\n".join([HEADLINES[0], HEADLINE, *PROSE[:3], "7 Comments", *THREAD[:6], PROSE[0], PROSE[1]]))
def test_generated_pages(cleaners, page):
    same(*cleaners, page)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(PAGE)
def test_generated_pages_with_user_rules_and_full_reasons(user_rules, page):
    for options in ({"rules": [user_rules]}, {"rules": [user_rules], "full_reasons": True}, {"full_reasons": True}):
        same(*_cached(options, user_rules), page)


_PAIRS: dict[str, tuple[Cleaner, Cleaner]] = {}


def _cached(options: dict[str, object], rules: Path) -> tuple[Cleaner, Cleaner]:
    key = repr(sorted(options.items()))
    if key not in _PAIRS:
        _PAIRS[key] = pair(**options)
    return _PAIRS[key]


# ------------------------------------------------------------ rules

def test_every_where_and_action_of_user_rules(user_rules):
    page = "\n".join([
        "Skip to content", "Home", HEADLINES[0], "By Jane Doe", HEADLINE, "What Happens Next", *PROSE[:4],
        "The ferry was late.", "March 3, 2024 by the harbour", *PROSE[4:6], "Share this", "Leave a Reply",
        *THREAD[:4], "Contact",
    ])
    for full in (False, True):
        same(*pair(rules=[user_rules], full_reasons=full), page)
        # alone, the user's rules decide (the default ones name some of these blocks first)
        python, rust = pair(rules=[user_rules], full_reasons=full, default_rules=False)
        same(python, rust, page)
        reasons = {v.reason for v in rust.clean(page, html=False).verdicts}
        assert {"local.before", "local.cut", "local.keep", "local.keep-top", "local.after"} <= reasons


def test_domain_scoped_rules(tmp_path):
    path = tmp_path / "scoped.toml"
    path.write_text('[[rule]]\nid = "local.scoped"\nname = "s"\ndescription = "s"\npattern = "ferry"\n'
                    'domains = ["example.com"]\n', encoding="utf-8")
    python, rust = pair(rules=[path])
    page = "\n".join([*PROSE[:3], "The ferry was late again this morning because of the fog.", *PROSE[3:5]])
    for url in (None, "https://example.com/a", "https://news.example.com/", "https://other.org/"):
        same(python, rust, page, url=url)


@pytest.mark.parametrize("signal", TEXT_SIGNALS)
def test_each_signal_turned_off(signal):
    python, rust = pair(disable=signal)
    for path in list((ROOT / "fixtures" / "text").glob("*.txt"))[:20]:
        same(python, rust, path.read_bytes())


def test_rules_that_time_out_are_reported_where_the_loop_tries_them(tmp_path):
    path = tmp_path / "slow.toml"
    path.write_text(SLOW_RULES, encoding="utf-8")
    page = "\n".join([SLOW_LINE, "Home", HEADLINE, *PROSE[:3], SLOW_LINE, *PROSE[3:5], "Share this", SLOW_LINE,
                      "b" * 40 + "c", "Contact"])
    for full in (False, True):
        python, rust = pair(rules=[path], full_reasons=full)
        same(python, rust, page)
        assert rust.clean(page, html=False).skipped_rules
    python, rust = pair(rules=[path], strict=True)
    with pytest.raises(RuleTimeoutError) as a:
        python.clean(page, html=False)
    with pytest.raises(RuleTimeoutError) as b:
        rust.clean(page, html=False)
    assert str(a.value) == str(b.value)


def eager_holds_lazy(cleaner: Cleaner, page: str) -> None:
    """Every hit the lazy loop reports is among the eager hits the compiled
    core is given, and on each block in the same order."""
    from declutter.blocks import split_text
    from declutter.decide import first_pass
    from declutter.features import measure

    blocks = split_text(page)
    features = measure([b.text for b in blocks], cleaner.ruleset.text.features, "python")
    if not features.chars:
        return
    prior = first_pass(features, cleaner.ruleset.text)
    lazy, _ = cleaner._lazy_match(features, None, prior, blocks, None)
    eager = cleaner.ruleset.match(features.stripped, features.keys, None)
    for i in range(len(blocks)):
        wanted = iter([id(h.rule) for h in eager.hits if h.block == i])
        assert all(r in wanted for r in [id(h.rule) for h in lazy.hits if h.block == i]), (i, page)


@SETTINGS
@given(PAGE)
def test_eager_hits_hold_every_hit_the_lazy_loop_uses(user_rules, page):
    eager_holds_lazy(_cached({"rules": [user_rules]}, user_rules)[0], page)


def test_eager_hits_hold_the_lazy_ones_on_the_development_set(cleaners):
    pages = sorted((BENCH / "dev-text").glob("*.txt"))
    if not pages:
        pytest.skip(f"dev-text: not found under {BENCH}")
    for path in pages:
        eager_holds_lazy(cleaners[0], path.read_text(encoding="utf-8", errors="replace"))


def assert_eager_from_candidates(pair: tuple[Cleaner, Cleaner], page: str, host: str | None = None) -> None:
    """Matching every rule on every line from the prefilter's candidates (no
    keys needed: the phrases are looked up in them) gives the hits and
    timeouts of matching without them."""
    from declutter.blocks import split_text
    from declutter.features import measure

    python, rust = pair
    features = measure([b.text for b in split_text(page)], python.ruleset.text.features, "python")
    stripped, keys = features.stripped, features.keys
    want = python.ruleset.match(stripped, keys, host)
    found = rust.ruleset.candidates(stripped)
    assert found is not None
    got = rust.ruleset.match(stripped, (), host, candidates=found)
    assert [(h.rule.id, h.block) for h in got.hits] == [(h.rule.id, h.block) for h in want.hits]
    assert got.timeouts == want.timeouts


@SETTINGS
@given(PAGE, st.sampled_from([None, "example.com", "other.org"]))
def test_eager_hits_from_candidates_are_every_hit(user_rules, page, host):
    assert_eager_from_candidates(_cached({"rules": [user_rules]}, user_rules), page, host)


def test_eager_hits_from_candidates_on_every_page_and_slow_rules(cleaners, tmp_path):
    pages = fixture_pages() + [p for kind in ("dev-text", *SETS) for p in bench_pages(kind)]
    for path in pages:
        assert_eager_from_candidates(cleaners, read(path).decode("utf-8", "replace"))
    slow = tmp_path / "slow.toml"
    slow.write_text(SLOW_RULES, encoding="utf-8")
    page = "\n".join([SLOW_LINE, "Home", HEADLINE, *PROSE[:3], SLOW_LINE, "Share this", "b" * 40 + "c"])
    assert_eager_from_candidates(pair(rules=[slow]), page)


def test_a_pickled_cleaner_keeps_its_core():
    import pickle

    for core in ("python", "rust"):
        copy = pickle.loads(pickle.dumps(Cleaner(core=core)))
        assert copy.core == core
        assert copy.clean("\n".join(PROSE[:4]), html=False).text


def test_reason_table_names_the_signals():
    from declutter import reasons

    module = compiled()
    assert module is not None
    assert list(module.DECIDE_SIGNALS) == ["", reasons.BODY, reasons.TITLE, reasons.REPEATED, reasons.OUTSIDE_BODY,
                                           reasons.MENU_RUN, reasons.MENU_LIKE, reasons.TINY, reasons.CODE]


# ------------------------------------------------------------ real pages

def read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def fixture_pages() -> list[Path]:
    found = [p for p in (ROOT / "fixtures").rglob("*.txt") if not p.name.endswith(".expected.txt")]
    return sorted(found + list((ROOT / "seeds").glob("*.txt")))


def test_fixtures_and_seeds(cleaners, user_rules):
    with_rules = pair(rules=[user_rules])
    full = pair(full_reasons=True)
    for path in fixture_pages():
        data = read(path)
        for python, rust in (cleaners, with_rules, full):
            try:
                same(python, rust, data)
            except AssertionError as exc:
                raise AssertionError(f"{path}: {exc}") from None


def test_html_fixtures(cleaners):
    # the HTML path's fallback (a page too deep to parse) cleans blocks as text
    for path in sorted((ROOT / "fixtures").rglob("*.html")):
        same(*cleaners, read(path), html=True)


def test_a_page_too_deep_for_the_html_parser(cleaners):
    # the HTML path cleans it as text, through clean_blocks
    page = "<div>" * 3000 + "<p>" + "</p><p>".join([HEADLINE, *PROSE[:5], "Home", "Contact"]) + "</p>"
    same(*cleaners, page, html=True)


def test_blocks_that_hold_line_breaks_or_lone_surrogates(cleaners):
    from declutter.blocks import Block

    for texts in ([HEADLINE, PROSE[0] + "\n" + PROSE[1], *PROSE[2:5], "Home\nContact"],
                  [HEADLINE, *PROSE[:4], "a\ud800b", "Home"]):
        blocks = [Block(i, t, i + 1, i + 1) for i, t in enumerate(texts)]
        a, b = (c.clean_blocks(blocks) for c in cleaners)
        assert (a.text, a.title, a.metadata, a.verdicts, a.skipped_rules) == \
            (b.text, b.title, b.metadata, b.verdicts, b.skipped_rules)


def bench_pages(kind: str) -> Iterator[Path]:
    if kind == "dev-text":
        yield from sorted((BENCH / "dev-text").glob("*.txt"))
    else:
        yield from sorted((BENCH / "sets" / kind / "text").glob("*.gz"))


@pytest.mark.parametrize("kind", ["dev-text", *SETS])
def test_development_and_public_sets(cleaners, kind):
    pages = list(bench_pages(kind))
    if not pages:
        pytest.skip(f"{kind}: not found under {BENCH}")
    options = [cleaners]
    if kind in ("dev-text", "readability", "cleaneval-dev"):
        options += [pair(full_reasons=True), pair(disable=TEXT_SIGNALS)]
    for path in pages:
        data = read(path)
        for python, rust in options:
            try:
                same(python, rust, data)
            except AssertionError as exc:
                raise AssertionError(f"{path}: {exc}") from None


def test_the_compiled_path_reads_each_page_once(monkeypatch):
    # one core call reads the page (measures and candidates), the decision takes
    # what it read: neither Python's measure() nor a second Prefilter call runs
    import declutter.cleaner as cleaner_module
    from declutter.ruleset import RuleSet

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("measured or prefiltered twice")

    rust = Cleaner(core="rust")
    page = "\n".join([HEADLINES[0], "Home", *PROSE[:4], "Share this", *THREAD[:3]])
    want = Cleaner(core="python").clean(page, html=False)
    monkeypatch.setattr(cleaner_module, "measure", refused)
    monkeypatch.setattr(RuleSet, "candidates", refused)
    got = rust.clean(page, html=False)
    assert (got.text, got.verdicts, got.metadata) == (want.text, want.verdicts, want.metadata)


def drop_rule_searches(cleaner: Cleaner, page: str | bytes, monkeypatch: pytest.MonkeyPatch) -> set[tuple[str, str]]:
    """The (rule id, line) pairs whose regex a fresh copy of the cleaner's
    rules searches for plain drop rules while cleaning the page."""
    import declutter.matching as matching

    searched: set[tuple[str, str]] = set()
    search = matching._search

    def spy(rule, index, line, timeout, report):  # type: ignore[no-untyped-def]
        if rule.action == "drop":
            searched.add((rule.id, line))
        return search(rule, index, line, timeout, report)

    monkeypatch.setattr(matching, "_search", spy)
    Cleaner(core=cleaner.core, full_reasons=cleaner.full_reasons).clean(page, html=False)
    monkeypatch.setattr(matching, "_search", search)
    return searched


def test_drop_rules_are_searched_only_where_the_lazy_loop_searches_them(monkeypatch):
    # the compiled path confirms a drop rule's candidates as the core's lazy
    # loop tries their blocks: the Python loop's searches, less those the
    # prefilter rules out, not all
    pages: list[str | bytes] = [read(p) for p in [*fixture_pages()[:40], *list(bench_pages("dev-text"))[:40]]]
    pages.append("\n".join([HEADLINES[0], "Home", *PROSE[:4], "Share this", *THREAD[:6], *LISTS[:4], "Contact"]))
    # with every rule confirmed by Python (the core's own regexes off: each
    # search is then seen here), and with them on: Python searches the rest
    import declutter.core_decide as core_decide
    in_core = core_decide._in_core
    # rules the core confirms alone; the others' searches in Python are
    # those of the reference where the core's filter does not rule them out
    exact = {r.id for r in Cleaner().ruleset.rules if (in_core(r, False) or ("", False))[1]}
    by_id = {r.id: r for r in Cleaner().ruleset.rules}
    # the compiled path searches floating rules in one pass over the joined
    # lines (not through _search, so not seen here): the reference's searches
    # of them are left out of the comparison
    floating = {r.id for r in Cleaner().ruleset.matching.dropping.index.floating}

    def core_regexes(on: bool) -> None:
        monkeypatch.setattr(core_decide, "_in_core", in_core if on else lambda rule, floating: None)
        core_decide._core_rx.cache_clear()  # the Rx of the rules is made anew

    core_regexes(False)
    try:
        fewer = 0
        for page in pages:
            python = {p for p in drop_rule_searches(Cleaner(core="python"), page, monkeypatch) if p[0] not in floating}
            rust = drop_rule_searches(Cleaner(core="rust"), page, monkeypatch)
            # the reference searches every rule where the loop tries it; the
            # compiled path only the pairs its prefilter admits: the others
            # are pairs that do not match
            assert rust <= python
            assert not [(i, line) for i, line in python - rust if by_id[i].pattern.search(line)]
            core_regexes(True)
            with_core = drop_rule_searches(Cleaner(core="rust"), page, monkeypatch)
            assert with_core <= python and not {p for p in with_core if p[0] in exact}
            core_regexes(False)
            full = drop_rule_searches(Cleaner(core="rust", full_reasons=True), page, monkeypatch)
            every = {p for p in drop_rule_searches(Cleaner(core="python", full_reasons=True), page, monkeypatch)
                     if p[0] not in floating}
            assert full <= every and not [(i, line) for i, line in every - full if by_id[i].pattern.search(line)]
            fewer += len(rust) < len(full)
    finally:
        core_regexes(True)
    assert fewer  # the lazy loop spares searches on some page
