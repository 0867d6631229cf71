"""The compiled rule prefilter (core/src/prefilter.rs) against a plain
statement of what it is built from (matching.py `place`): per line, the
phrase rules of its key; the INDEXED rules whose prefixes its head starts
with (and, when they have literals, that hold one), then the EVERYWHERE ones;
the LITERAL rules holding one of their literals; each within its length
bounds, in file order; and the same CleanResult from Cleaner(core="python") and Cleaner(core="rust").
Pages: generated (awkward Unicode, the rules' own phrases and prefixes), every
fixture and seed, the development dumps and the four sets' text dumps when
../shared/bench is there; rules: the default ones and a user file with
`starts`, phrases, literal-only, anchored-without-literal and floating
patterns, length bounds and domains."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from test_core_diff import AWKWARD, BENCH, SETS, assert_same_result, fixture_pages, read

from declutter import Cleaner
from declutter.blocks import split_text
from declutter.core import compiled
from declutter.features import measure
from declutter.matching import EVERYWHERE, INDEXED, LITERAL, Found, RuleIndex, fits, head_key, kept_candidates
from declutter.normalise import PHRASE_TRIM, fold
from declutter.ruleset import RuleSet

from test_properties import LINE

if compiled() is None:
    pytest.skip("the compiled core is not built in this checkout: pip install -e .", allow_module_level=True)

# A user file with every way a rule is run: its author's `starts`, phrases,
# a prefix with literals, literal-only, anchored with nothing known
# (`everywhere`), floating, length bounds, domains, two rules sharing a
# phrase and a prefix, and a shaping rule.
USER_RULES = r"""
[[rule]]
id = "local.sponsor"
name = "sponsor"
description = "Sponsored lines, by the author's starts."
pattern = '(?i)^(?:sponsored by|advertisement|ａｄ\s２０)\b'
starts = ["Sponsored by", "Advertisement", "ＡＤ ２０"]

[[rule]]
id = "local.buy"
name = "buy"
description = "A start whose line head may hold a run of spaces."
pattern = '(?i)^buy\s+now'
starts = ["Buy now"]

[[rule]]
id = "local.share"
name = "share"
description = "Share phrases."
phrases = ["Share this", "Teilen", "分享", "ΜΟΙΡΑΣΤΕΙΤΕ", "İletişim", "Straße 12"]

[[rule]]
id = "local.share-too"
name = "share too"
description = "The same phrase again, bounded."
phrases = ["share this", "Tweet"]
max_chars = 12

[[rule]]
id = "local.read-more"
name = "read more"
description = "A start with a literal further on."
pattern = '(?i)^read\s+(?:the\s+)?(?:full|whole)\s+story'
max_chars = 80

[[rule]]
id = "local.cookies"
name = "cookies"
description = "Literal-only."
pattern = '(?i)we use (?:cookies|tracking pixels|ＣＯＯＫＩＥＳ)'

[[rule]]
id = "local.copyright"
name = "copyright"
description = "Literal-only, short, with bounds."
pattern = '©\s*\d{4}'
min_chars = 5
max_chars = 60

[[rule]]
id = "local.word"
name = "one word"
description = "Anchored, nothing known: tried on every line it fits."
pattern = '^\w+$'
max_chars = 15

[[rule]]
id = "local.floating"
name = "floating"
description = "Nothing to index by."
pattern = '\d+\s*\w'
max_chars = 10

[[rule]]
id = "local.scoped"
name = "scoped"
description = "Only on one site."
pattern = '(?i)^subscribe now'
domains = ["example.com"]

[[rule]]
id = "local.tail"
name = "tail"
description = "Shaping: everything after it goes."
pattern = '(?i)^(?:related (?:posts|articles)|ähnliche artikel)'
action = "drop-to-end"

[[rule]]
id = "local.digits"
name = "digits"
description = "A start of digits and spaces of any script."
pattern = '^\d\d?\s+comments?'
"""


@pytest.fixture(scope="module")
def user_rules(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "mine.toml"
    path.write_text(USER_RULES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rulesets(user_rules) -> list[RuleSet]:
    return [RuleSet(), RuleSet([user_rules], default_rules=False), RuleSet([user_rules])]


def reference(index: RuleIndex, stripped: Sequence[str], keys: Sequence[str]) -> list[list[list[int]]]:
    """Per kind (phrase, anchored, literal), per line: the ranks the
    prefilter must give, in the order the rules are tried."""
    rank = index.rank
    placed = [(rule, index.placed[rule]) for rule in index.rules if rule in index.placed]
    out: list[list[list[int]]] = [[], [], []]
    for line, key in zip(stripped, keys):
        n = len(line)
        head, folded = head_key(line), fold(line)

        def holds(literals: Sequence[str]) -> bool:
            return any(literal in folded for literal in literals)  # noqa: B023 (called in this iteration)

        out[0].append([rank[r] for r in index.phrases.get(key.strip(PHRASE_TRIM), ()) if fits(r, n)])
        indexed = [rank[r] for r, p in placed if p.kind == INDEXED and fits(r, n)
                   and p.admits(head) and (not p.literals or holds(p.literals))]
        out[1].append(indexed + [rank[r] for r, p in placed if p.kind == EVERYWHERE and fits(r, n)])
        out[2].append([rank[r] for r, p in placed if p.kind == LITERAL and fits(r, n) and holds(p.literals)])
    return out


def per_line(found: Found, n: int) -> list[list[list[int]]]:
    out: list[list[list[int]]] = [[[] for _ in range(n)] for _ in range(3)]
    kinds = ((found.phrase_lines, found.phrase_ranks), (found.anchored_lines, found.anchored_ranks),
             (found.literal_lines, found.literal_ranks))
    for kind, (lines, ranks) in enumerate(kinds):
        assert lines == sorted(lines)
        for i, r in zip(lines, ranks):
            out[kind][i].append(r)
    return out


def assert_same_candidates(ruleset: RuleSet, texts: list[str]) -> None:
    features = measure(texts, ruleset.text.features, "python")
    stripped, keys = features.stripped, features.keys
    found = ruleset.candidates(stripped)
    assert found is not None
    groups = (ruleset.matching.shaping.index, ruleset.matching.dropping.index)
    for index, got in zip(groups, found):
        want = reference(index, stripped, keys)
        have = per_line(got, len(stripped))
        for kind, name in enumerate(("phrase", "anchored", "literal")):
            if want[kind] != have[kind]:
                bad = next(i for i in range(len(stripped)) if want[kind][i] != have[kind][i])
                raise AssertionError(f"{name} candidates of line {stripped[bad]!r}: python "
                                     f"{[index.rules[r].id for r in want[kind][bad]]}, rust "
                                     f"{[index.rules[r].id for r in have[kind][bad]]}")


def rule_texts(ruleset: RuleSet) -> list[str]:
    """Lines a rule is about: its phrases, starts, prefixes and literals."""
    out: list[str] = []
    for group in (ruleset.matching.shaping.index, ruleset.matching.dropping.index):
        out += list(group.phrases)
        out += [text for p in group.placed.values() for text in (*p.prefixes, *p.literals)]
    for rule in ruleset.rules:
        out += list(rule.starts)
    return sorted(set(out))


# ------------------------------------------------------------ generated lines

RULE_TEXTS = rule_texts(RuleSet())
USER_TEXTS = ["Sponsored by ACME", "ＡＤ ２０２４", "Share this!", "Share this：", "» SHARE THIS «", "teilen", "分享", "ΜΟΙΡΑΣΤΕΙΤΕ:",
              "İLETİŞİM", "iletişim", "STRASSE 12", "Straße ٣٤", "Read the  full story", "READ\u00a0WHOLE STORY",
              "We use COOKIES here", "we use ｃｏｏｋｉｅｓ", "© 2024 Acme", "©\u30002024", "Word", "x1 y", "Buy    now", "BUY\u2003\u2003 NOW",
              "Subscribe now!", "Related posts", "ÄHNLICHE ARTIKEL", "12 comments", "٣ comment", "1\u2003comments"]
PIECE = st.one_of(st.sampled_from(RULE_TEXTS), st.sampled_from(USER_TEXTS))
CASED = st.tuples(PIECE, st.sampled_from([str, str.upper, str.lower, str.title, str.casefold])).map(
    lambda t: t[1](t[0]))
AWKWARD_TEXT = st.text(alphabet=st.sampled_from(AWKWARD + "©»«|-–—•·"), max_size=12)
RULE_LINE = st.lists(st.one_of(CASED, AWKWARD_TEXT, LINE), min_size=1, max_size=4).map("".join)
ANY_LINE = st.one_of(RULE_LINE, RULE_LINE, LINE, st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=30))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(ANY_LINE, max_size=25))
@example([])
@example([""])
@example(["Share this", "  share   THIS:  ", "İ", "ß", "Read more", "a        b", "\u0130stanbul"])
# the head is the line's first 8 characters before its spaces are folded
@example(["Buy    now", "buy \t\u3000 now", "Buy   now", "Sponsored    by x"])
def test_candidates_of_generated_lines(rulesets, texts):
    for ruleset in rulesets:
        assert_same_candidates(ruleset, texts)


@SETTINGS
@given(st.lists(st.one_of(ANY_LINE, st.lists(ANY_LINE, min_size=2, max_size=3).map("\n".join)), max_size=10))
@example(["share\nthis", "x"])
def test_candidates_of_blocks_holding_line_breaks(rulesets, texts):
    # a block's own line breaks are spaces in every key of the page
    for ruleset in rulesets:
        assert_same_candidates(ruleset, texts)


def test_candidates_of_every_rule_text(rulesets):
    texts = rule_texts(rulesets[2])
    for ruleset in rulesets:
        for variant in (str, str.upper, str.title, lambda t: f"» {t}: 12", lambda t: t + " " + t,
                        lambda t: t.replace(" ", "   "), lambda t: t.replace(" ", "\t\u3000")):
            assert_same_candidates(ruleset, [variant(t) for t in texts])


@pytest.fixture(scope="module")
def cleaners(user_rules) -> list[tuple[Cleaner, Cleaner]]:
    made = []
    for kw in ({}, {"rules": [user_rules]}, {"rules": [user_rules], "full_reasons": True}):
        made.append((Cleaner(core="python", **kw), Cleaner(core="rust", **kw)))
    return made


@SETTINGS
@given(st.lists(ANY_LINE, max_size=40).map("\n".join))
def test_cleaning_generated_pages(cleaners, page):
    for pair in cleaners:
        assert_same_cleaning(pair, page)


def assert_same_cleaning(pair: tuple[Cleaner, Cleaner], page: str | bytes, url: str | None = None) -> None:
    python, rust = (c.clean(page, url=url, html=False) for c in pair)
    assert python.text == rust.text
    assert python.title == rust.title
    assert python.metadata == rust.metadata
    assert python.verdicts == rust.verdicts
    assert python.skipped_rules == rust.skipped_rules
    assert python.to_dict() == rust.to_dict()


def test_scoped_rules_and_hosts(cleaners):
    page = "Subscribe now!\n" + "A sentence of the article that says something. " * 5 + "\nRelated posts\nmore"
    for url in (None, "https://example.com/a", "https://www.example.com/", "https://other.org/"):
        for pair in cleaners:
            assert_same_cleaning(pair, page, url)


def test_later_rounds_take_the_kept_blocks_candidates(rulesets):
    # the idempotence rounds renumber the first round's candidates
    stripped = [t.strip() for t in USER_TEXTS + RULE_TEXTS]
    for ruleset in rulesets:
        found = ruleset.candidates(stripped)
        for kept in (list(range(0, len(stripped), 3)), [], [len(stripped) - 1], list(range(len(stripped)))):
            assert kept_candidates(found, kept, len(stripped)) == ruleset.candidates([stripped[i] for i in kept])


def test_phrases_lose_every_mark_of_phrase_trim(rulesets):
    # the core takes the marks from normalise.PHRASE_TRIM (the full-width colon among them)
    texts = [f"{mark}Share this{mark}" for mark in PHRASE_TRIM] + [f"Tweet{mark * 2}" for mark in PHRASE_TRIM]
    for ruleset in rulesets:
        assert_same_candidates(ruleset, texts)


def test_lone_surrogates_leave_matching_to_python():
    assert RuleSet().candidates(["a\ud800b"]) is None


def test_a_bad_rank_is_a_value_error():
    module = compiled()
    with pytest.raises(ValueError, match="rank 3"):
        module.Prefilter([([(0, None)], [], [], [], [], [3])], PHRASE_TRIM)


# ------------------------------------------------------------ real pages

def real_pages() -> list[Path]:
    found = [p for p in fixture_pages() if p.suffix == ".txt"]
    found += sorted((BENCH / "dev-text").glob("*.txt"))
    for name in SETS:
        found += sorted((BENCH / "sets" / name / "text").glob("*.gz"))
    return found


def test_real_pages(rulesets, cleaners):
    pages = real_pages()
    if len(pages) < 10:
        pytest.skip("no development or set pages")
    for path in pages:
        text = read(path).decode("utf-8", "replace")
        blocks = [b.text for b in split_text(text)]
        try:
            for ruleset in rulesets:
                assert_same_candidates(ruleset, blocks)
            for pair in cleaners[:2]:
                assert_same_cleaning(pair, text)
        except AssertionError as exc:
            raise AssertionError(f"{path}: {exc}") from None


def test_fixtures_and_seeds_clean_alike():
    pair = (Cleaner(core="python"), Cleaner(core="rust"))
    for path in fixture_pages():
        assert_same_result(pair, read(path), html=path.suffix == ".html")
