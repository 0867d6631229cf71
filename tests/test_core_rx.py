"""The rules' regexes the compiled core runs itself (declutter/rx.py,
core/src/rx.rs) against the `regex` module's: the shipped index is
current; every class the translations use holds exactly the code points
the `regex` engine matches with that node; and per default rule, on every
line of the fixtures, seeds, dev dumps and the four sets (those found) and on
generated lines, an exact translation finds the same match (same span) and a
filter matches wherever the pattern does."""
from __future__ import annotations

import gzip
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import regex
from hypothesis import HealthCheck, given, settings, strategies as st

from declutter import rx
from declutter.core import compiled
from declutter.literals import index_key, parse_tree
from declutter.rule import Rule
from declutter.ruleset import RuleSet
from declutter.rx import needs

from conftest import ROOT

BENCH = ROOT.parent / "shared" / "bench"
SETS = ("cleaneval", "cetd", "l3s-gn1", "googletrends-2017")

pytestmark = pytest.mark.skipif(compiled() is None, reason="the compiled core is not built")


@cache
def rules() -> tuple[Rule, ...]:
    return tuple(r for r in RuleSet().rules if r.pattern is not None)


@cache
def translated() -> list[tuple[Rule, str, bool, regex.Pattern[str]]]:
    """Per default pattern rule with a translation: (rule, rust source,
    exact, the regex module's compiled pattern)."""
    index = rx.shipped_rx()
    out = []
    for rule in rules():
        assert rule.pattern is not None
        found = index.get(index_key(rule.pattern.pattern, rule.pattern.flags))
        if found is not None:
            out.append((rule, found[0], found[1], rule.pattern.compiled))
    return out


@cache
def engine() -> Any:
    module = compiled()
    return module.Rx([(source, exact) for _, source, exact, _ in translated()])


def test_shipped_index_is_current():
    from declutter import rx_index
    assert rx_index.main(["--check"]) == 0, "run: python3 -m declutter.rx_index"


def test_every_default_rule_is_exact_or_filtered():
    # the counts the README's performance notes rely on; a rule falling
    # back to Python alone must be a decision, not an accident
    assert len(translated()) == len(rules())
    exact = [rule.id for rule, _, is_exact, _ in translated() if is_exact]
    assert len(exact) >= 27, exact


def one_char_nodes(tree: Any) -> Iterator[Any]:
    if isinstance(tree, rx._ONE_CHAR):
        yield tree
        return
    for name in ("items", "branches"):
        for item in getattr(tree, name, ()) or ():
            yield from one_char_nodes(item)
    for name in ("subpattern",):
        if getattr(tree, name, None) is not None:
            yield from one_char_nodes(getattr(tree, name))


def runs(found: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Maximal runs of matched code points, as (first, last) code points."""
    out: list[tuple[int, int]] = []
    for start, end in found:
        first, last = ord(text[start]), ord(text[end - 1])
        if out and out[-1][1] + 1 == first:
            first = out.pop()[0]
        out.append((first, last))
    return out


def test_every_class_matches_its_nodes_code_points():
    # Over every code point: the class written in Rust syntax matches what
    # the regex engine matches with the node (the probe), and for a node
    # without case folding, what its own Python `matches` says (an oracle
    # apart from the C engine the probe runs).
    module = compiled()
    text = rx._all_chars()
    nodes: dict[Any, Any] = {}
    for rule in rules():
        assert rule.pattern is not None
        tree = parse_tree(rule.pattern.pattern, rule.pattern.flags)
        for node in one_char_nodes(tree):
            nodes.setdefault(rx._key(node), node)
    classes = {rx._class(rx._ranges_of(key, node)): (key, node) for key, node in nodes.items()}
    sources = list(classes)
    rust = module.Rx([(f"(?:{c})+", True) for c in sources])
    for n, source in enumerate(sources):
        key, node = classes[source]
        want = list(rx._ranges_of(key, node))
        assert runs(rust.find_all(n, text), text) == want, source[:80]
        if not int(getattr(node, "case_flags", 0)) and hasattr(node, "matches"):
            for cp in range(0, 0x30000, 7):  # a stride: the Python oracle is slow
                if not 0xD800 <= cp <= 0xDFFF:
                    assert node.matches(cp) == any(a <= cp <= b for a, b in want), (source[:80], hex(cp))


def read_text(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", "replace")


@cache
def corpus_lines() -> list[str]:
    """The distinct stripped lines of every text page the tests know."""
    paths = [p for p in (ROOT / "fixtures").rglob("*.txt") if not p.name.endswith(".expected.txt")]
    paths += list((ROOT / "seeds").glob("*.txt"))
    paths += sorted((BENCH / "dev-text").glob("*.txt"))
    for name in SETS:
        paths += sorted((BENCH / "sets" / name / "text").glob("*.gz"))
    lines = {line.strip() for path in paths for line in read_text(path).split("\n")}
    return sorted(line for line in lines if line and not _surrogate(line))


def _surrogate(line: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in line)


def agree(n: int, rule: Rule, exact: bool, pattern: regex.Pattern[str], line: str) -> None:
    want = pattern.search(line)
    got = engine().search(n, line)
    # the core's own searches run a forward lazy DFA (rx.rs Matcher), not
    # the full regex that gives spans: both say whether the line matches
    assert engine().matches(n, line) == (got is not None), (rule.id, line)
    if exact:
        assert got == (want.span() if want else None), (rule.id, line)
    elif want is not None:
        assert got is not None, (rule.id, line)  # a filter never rules out a match


def test_translations_agree_on_every_known_line():
    lines = corpus_lines()
    assert len(lines) > 1000
    for n, (rule, _, exact, pattern) in enumerate(translated()):
        longest = rule.max_chars if rule.max_chars is not None else 1 << 30
        # past its max_chars a rule is never tried (the prefilter's bounds);
        # a sample of longer lines is still compared
        for k, line in enumerate(lines):
            if len(line) <= longest or k % 50 == 0:
                agree(n, rule, exact, pattern, line)


def rule_words(rule: Rule) -> list[str]:
    assert rule.pattern is not None
    need = needs(rule.pattern)
    words = [*(need.literals or ()), *(need.prefixes or ()), *rule.examples, *rule.counter_examples]
    return words or ["a"]


@cache
def all_words() -> list[tuple[int, list[str]]]:
    return [(n, rule_words(rule)) for n, (rule, _, _, _) in enumerate(translated())]


@st.composite
def generated(draw: st.DrawFn) -> tuple[int, str]:
    n, words = draw(st.sampled_from(all_words()))
    parts = draw(st.lists(st.one_of(
        st.sampled_from(words),
        st.sampled_from(words).map(str.upper),
        st.sampled_from(words).map(str.title),
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=6),
        st.sampled_from([" ", "  ", "\t", ": ", " | ", ", ", ". ", "\u00a0", "2019", "12:30", "©", "»", "(c)"]),
    ), max_size=8))
    return n, "".join(parts).strip()


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated())
def test_translations_agree_on_generated_lines(case):
    n, line = case
    rule, _, exact, pattern = translated()[n]
    agree(n, rule, exact, pattern, line)


def test_examples_and_counter_examples():
    for n, (rule, _, exact, pattern) in enumerate(translated()):
        for line in (*rule.examples, *rule.counter_examples):
            agree(n, rule, exact, pattern, line)
            agree(n, rule, exact, pattern, line.strip())


def test_a_filter_only_rules_out():
    # a pattern with a lookahead the filter drops: the filter matches more,
    # and the core never calls such a line a hit
    source = r"^foo(?!bar)"
    filtered = rx.translate(source, int(regex.MULTILINE), exact=False)
    with pytest.raises(rx.Untranslatable):
        rx.translate(source, int(regex.MULTILINE))
    found = compiled().Rx([(filtered, False)])
    assert found.search(0, "foobar") == (0, 3)  # the filter admits it; Python decides


def test_case_insensitive_letters_take_the_engines_cases():
    # (?i)k matches the Kelvin sign and s the long s in the regex module:
    # the translation takes the cases from the engine, not from Rust
    source = rx.translate("(?i)ks", int(regex.MULTILINE))
    found = compiled().Rx([(source, True)])
    for line in ("ks", "KS", "\u212a\u017f", "k\u017f"):
        assert (found.search(0, line) is not None) == (regex.search("(?i)ks", line) is not None), line


def test_untranslatable_constructs_are_refused():
    for source in (r"(a)\1", r"a(?=b)", r"(?<!x)a", r"\bword\b", r"a++", r"(?>ab)", r"(?:abc){e<=1}"):
        with pytest.raises(rx.Untranslatable):
            rx.translate(source, int(regex.MULTILINE))
