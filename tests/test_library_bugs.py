"""Library-level fixes of issue 12, each through the library or the CLI:

1. skipped filters of an adblock list are declutter's own one-line notes
   (`Cleaner.load_warnings`, printed by the CLI), never Python warnings;
2. the safety net: almost nothing kept of a page full of prose is a warning;
3. `rules=` and `disable=` take one path or one id as well as a list;
4. a bad limit argument is a DeclutterError (a wrong type a TypeError);
5. a NUL in HTML keeps the words beside it apart;
6. a rule that times out on many blocks is reported once per page, with a count.
"""
from __future__ import annotations

import json
import os
import warnings

import pytest

from declutter import ArgumentError, Cleaner, DeclutterError

from conftest import PARAS, ROOT, call_cli, run_cli

# -- 1. adblock notes ------------------------------------------------------------------

LIST = "##.cookie-notice\nexample.com##div:has-text(Sponsored)\n||ads.example.net^\n"


def test_adblock_skip_is_one_clean_line_under_warnings_as_errors(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text(LIST)
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><p>{PARAS[0]}</p></body></html>")
    p = run_cli("--rules", str(path), str(page), env={**os.environ, "PYTHONWARNINGS": "error"})
    assert p.returncode == 0, p.stderr
    assert p.stderr.splitlines() == [f"declutter: {path}:2: skipped procedural or extended filter"]
    assert PARAS[0] in p.stdout


def test_adblock_skips_are_load_warnings_not_python_warnings(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("##.a\n" + "".join(f"##p:has-text(x{n})\n" for n in range(7)) + "##div[\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cleaner = Cleaner(rules=[path])
    assert cleaner.load_warnings == [
        f"{path}:2: skipped 7 procedural or extended filters (lines 2, 3, 4, 5, 6, …)",
        f"{path}:9: skipped selector cssselect cannot read",
    ]
    assert Cleaner().load_warnings == []


# -- 2. the safety net ---------------------------------------------------------------------

NAV = "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
FIRST = "".join(f"<p>{p}</p>" for p in PARAS[:3])
REST = "".join(f"<p>{p}</p>" for p in PARAS[3:])
PROSE_WORDS = sum(len(p.split()) for p in PARAS)
NAV_WORDS = 4  # "- Home", "- News": every visible word counts, as in a text dump
MISSED = {
    "noscript": f"<html><body>{NAV}<div id='app'></div><noscript><article>{FIRST}{REST}</article></noscript>"
                "<footer>(c) 2024 The Paper</footer></body></html>",
    "paywall": f"<html><body>{NAV}<article><h1>Bridge vote</h1><div class='steady-paywall-container'>{FIRST}"
               f"</div><div class='steady-paywall-container'>{REST}</div></article></body></html>",
    "pin-share": f"<html><body>{NAV}<div class='post'><div class='enable-pin-share'>{FIRST}</div>"
                 f"<div class='enable-pin-share'>{REST}</div></div></body></html>",
}


DROP_ARTICLE = '[[rule]]\nid = "my.drop-article"\nname = "drop"\ndescription = "drops the article"\nselector = "article"\n'


def test_an_article_missed_is_said(tmp_path):
    # a rule that drops the article: nothing can bring it back, so it is said
    rules = tmp_path / "drop.toml"
    rules.write_text(DROP_ARTICLE)
    result = Cleaner(rules=[rules]).clean(f"<html><body>{NAV}<article>{FIRST}{REST}</article></body></html>", html=True)
    assert len(result.text.split()) < 20
    (warning,) = result.metadata["warnings"]
    assert warning.startswith(f"kept {len(result.text.split())} words of a page with {PROSE_WORDS + NAV_WORDS} words of ")
    assert warning.endswith("the article may have been missed")


def test_the_title_counts_among_the_words_a_page_shows(tmp_path):
    # a text dump of the page starts with its title: a page that shows just
    # over the net's prose words only with its title is still said
    rules = tmp_path / "drop.toml"
    rules.write_text(DROP_ARTICLE)
    prose = " ".join(PARAS)[:-1].split()
    shown = NAV_WORDS + len(prose)
    body = " ".join(prose[: 100 - NAV_WORDS - 2])  # 98 words in blocks, with the nav
    title = "Bridge vote passes"
    page = f"<html><head><title>{title}</title></head><body>{NAV}<article><p>{body}</p></article></body></html>"
    result = Cleaner(rules=[rules]).clean(page, html=True)
    assert shown > 100 and result.title == title
    (warning,) = result.metadata["warnings"]
    assert "with 101 words of visible text" in warning
    untitled = Cleaner(rules=[rules]).clean(page.replace(f"<title>{title}</title>", ""), html=True)
    assert "warnings" not in untitled.metadata


def test_an_article_inside_noscript_is_read_from_there(cleaner):
    result = cleaner.clean(MISSED["noscript"], html=True)
    assert all(p in result.text for p in PARAS)
    assert result.metadata["html_fallback"] == "html.noscript" and "warnings" not in result.metadata
    assert {v.reason for v in result.verdicts if v.keep} == {"html.noscript"}


def test_an_article_only_json_ld_holds_is_read_from_there(cleaner):
    body = json.dumps({"@type": "NewsArticle", "articleBody": "\n".join(PARAS)})
    page = f"<html><head><script type='application/ld+json'>{body}</script></head><body>{NAV}<div id='app'></div></body></html>"
    result = cleaner.clean(page, html=True)
    assert result.text.splitlines() == PARAS
    assert result.metadata["html_fallback"] == "html.json-ld-body"


@pytest.mark.parametrize("case", ["paywall", "pin-share"])
def test_wrappers_whose_classes_read_as_boilerplate_are_kept_without_a_warning(cleaner, case):
    # these used to come out empty; the container choice now keeps them (issue 13)
    result = cleaner.clean(MISSED[case], html=True)
    assert all(p in result.text for p in PARAS)
    assert "warnings" not in result.metadata


def test_cli_prints_the_missed_article_warning(tmp_path):
    page, rules = tmp_path / "page.html", tmp_path / "drop.toml"
    page.write_text(f"<html><body>{NAV}<article>{FIRST}{REST}</article></body></html>")
    rules.write_text(DROP_ARTICLE)
    p = call_cli("--html", "--rules", str(rules), str(page))
    assert p.returncode == 0
    (line,) = p.stderr.splitlines()
    assert line.startswith(f"declutter: {page}: kept ") and "may have been missed" in line


@pytest.mark.parametrize("page", [
    "<html><body><p>Page not found.</p></body></html>",
    f"<html><body>{NAV}<p>{PARAS[0]}</p></body></html>",  # little prose: nothing to miss
    f"<html><body><article>{FIRST}{REST}</article></body></html>",  # the article kept
])
def test_no_missed_warning_when_nothing_was_missed(cleaner, page):
    assert "warnings" not in cleaner.clean(page, html=True).metadata


HTML_PAGES = sorted((ROOT / "fixtures" / "html").glob("*.html")) + sorted(
    (ROOT / "fixtures" / "checkset" / "pages").glob("*.html"))


def test_no_missed_warning_on_the_fixture_pages(cleaner):
    warned = [p.name for p in HTML_PAGES
              if any("missed" in w for w in cleaner.clean(p.read_bytes(), html=True).metadata.get("warnings", ()))]
    assert len(HTML_PAGES) > 40 and warned == []


# -- 3. one path, one id ----------------------------------------------------------------

def test_rules_and_disable_take_one_path_or_one_id(tmp_path):
    path = tmp_path / "my.toml"
    path.write_text('[[rule]]\nid = "my.promo"\nname = "promo"\ndescription = "a promo line"\n'
                    "phrases = ['Subscribe to our newsletter']\n")
    for rules in (str(path), path):
        cleaner = Cleaner(rules=rules)
        assert "my.promo" in {r.id for r in cleaner.ruleset.rules}
    assert Cleaner(rules=str(path), disable="my.promo").ruleset.disabled == {"my.promo"}


# -- 4. bad limit arguments ----------------------------------------------------------------

@pytest.mark.parametrize("kw", [{"max_bytes": -1}, {"time_budget": -1}, {"time_budget": float("nan")},
                                {"oversize": "bogus"}])
def test_a_bad_limit_value_is_a_declutter_error(kw):
    with pytest.raises(DeclutterError) as info:
        Cleaner(**kw)
    assert isinstance(info.value, ArgumentError) and next(iter(kw)) in str(info.value)


@pytest.mark.parametrize("kw", [{"max_bytes": "10"}, {"max_bytes": 1.5}, {"max_bytes": True},
                                {"time_budget": "1"}, {"oversize": 3}])
def test_a_limit_of_the_wrong_type_is_a_type_error(kw):
    with pytest.raises(TypeError, match=next(iter(kw))):
        Cleaner(**kw)


# -- 5. NUL in HTML ---------------------------------------------------------------------------

@pytest.mark.parametrize("encode", [False, True])
def test_nul_in_html_keeps_words_apart(cleaner, encode):
    page = f"<html><body><article><p>{PARAS[0]} Some prose\x00with a NUL and a\x0cform feed.</p></article></body></html>"
    text = cleaner.clean(page.encode() if encode else page, html=True).text
    assert text == PARAS[0] + " Some prose with a NUL and a form feed."


# -- 6. one timeout line per rule -------------------------------------------------------------

def evil_page_and_rules(tmp_path) -> tuple[str, str]:
    rules = tmp_path / "evil.toml"
    rules.write_text("[signals.limits]\nregex_timeout_seconds = 0.01\n\n[[rule]]\n"
                     'id = "test.evil"\nname = "evil"\ndescription = "catastrophic backtracking"\n'
                     "pattern = '''(a|aa)+$'''\n")
    evil = ["a" * (60 + n) + "b" for n in range(8)]  # (a|aa)+$ backtracks through each
    return "\n\n".join([PARAS[0], *evil, PARAS[1], PARAS[2]]), str(rules)


def test_a_rule_timing_out_everywhere_is_reported_once(tmp_path):
    page, rules = evil_page_and_rules(tmp_path)
    p = call_cli("--text", "--rules", rules, input=page)
    assert p.returncode == 0 and PARAS[2] in p.stdout
    (line,) = p.stderr.splitlines()
    assert line == "declutter: <stdin>: rule 'test.evil' timed out on 8 blocks (2, 3, 4, 5, 6, …); skipped there"
    p = call_cli("--text", "--json", "--rules", rules, input=page)
    assert len(json.loads(p.stdout)["skipped_rules"]) == 8  # the JSON keeps every block


def test_skip_notes_group_by_rule(tmp_path):
    page, rules = evil_page_and_rules(tmp_path)
    result = Cleaner(rules=[rules]).clean(page, html=False)
    assert result.skip_notes() == ["rule 'test.evil' timed out on 8 blocks (2, 3, 4, 5, 6, …); skipped there"]
