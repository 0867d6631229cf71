"""Rule files on HTML pages: selector rules, pattern rules, domain scoping by
URL / canonical / og:url, and adblock-style cosmetic filter lists."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from declutter import Cleaner, RuleFileError
from declutter.adblock import parse_adblock

BODY = ("<p>The orchestra will tour six cities this autumn, starting in Leeds and ending in Glasgow, "
        "with a new symphony written for the occasion.</p>"
        "<p>Tickets go on sale on Monday, and students pay half price at every venue on the tour.</p>")


def page(extra: str = "", head: str = "") -> str:
    return (f"<html><head>{head}</head><body><article><div class='story'>{BODY}"
            f"<div class='promo-box'><p>Support our journalism with a donation of any size today, thank you.</p></div>"
            f"{extra}</div></article></body></html>")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def reasons(result) -> dict[str, str]:
    return {b.text: v.reason for b, v in zip(result.blocks, result.verdicts) if not v.keep}


def test_selector_rule_drops_matching_elements(tmp_path: Path) -> None:
    rules = write(tmp_path, "site.toml", '''
[[rule]]
id = "mine.tip-box"
name = "tip box"
description = "a reader tip box inside the story"
selector = "div.tipbox, aside.tips"
''')
    extra = "<div class='tipbox'><p>Send us your tips about the orchestra, we read every message we get.</p></div>"
    result = Cleaner(rules=[rules]).clean(page(extra), html=True)
    assert "Send us your tips" not in result.text
    assert reasons(result)["Send us your tips about the orchestra, we read every message we get."] == "mine.tip-box"


def test_selector_on_an_inline_element_that_is_the_whole_block(tmp_path: Path) -> None:
    rules = write(tmp_path, "site.toml", '''
[[rule]]
id = "mine.ad-label"
name = "ad label"
description = "span holding an ad line"
selector = "span.ad-line"
''')
    extra = "<p><span class='ad-line'>Sponsored: the best violins of the year, order yours now online.</span></p>"
    result = Cleaner(rules=[rules]).clean(page(extra), html=True)
    assert "Sponsored" not in result.text
    assert "The orchestra will tour" in result.text


def test_selector_protect_rule_keeps_a_block(tmp_path: Path) -> None:
    rules = write(tmp_path, "keep.toml", '''
[[rule]]
id = "mine.keep-promo"
name = "keep the promo"
description = "this site's promo box is part of the story"
selector = ".promo-box"
action = "protect"
''')
    result = Cleaner(rules=[rules]).clean(page(), html=True)
    assert "Support our journalism" in result.text
    assert "Support our journalism" not in Cleaner().clean(page(), html=True).text


def test_bad_selector_is_a_rule_file_error(tmp_path: Path) -> None:
    rules = write(tmp_path, "bad.toml", '''
[[rule]]
id = "mine.bad"
name = "bad"
description = "broken selector"
selector = "div[[["
''')
    with pytest.raises(RuleFileError, match="mine.bad"):
        Cleaner(rules=[rules]).clean(page(), html=True)


def test_pattern_rules_apply_to_html_blocks(tmp_path: Path) -> None:
    rules = write(tmp_path, "pat.toml", '''
[[rule]]
id = "mine.students"
name = "student line"
description = "drop the ticket line"
pattern = '^Tickets go on sale'
''')
    result = Cleaner(rules=[rules]).clean(page(), html=True)
    assert "Tickets go on sale" not in result.text
    assert "The orchestra will tour" in result.text


DOMAIN_RULE = '''
[[rule]]
id = "mine.scoped"
name = "scoped"
description = "only on example.org"
selector = "p.note"
domains = ["example.org"]
'''
NOTE = "<p class='note'>A note for readers of this one site only, printed under every story.</p>"


@pytest.mark.parametrize("url, head, dropped", [
    ("https://www.example.org/a", "", True),
    ("https://news.example.org/a", "", True),
    ("https://example.com/a", "", False),
    (None, "<link rel='canonical' href='https://example.org/story'>", True),
    (None, "<meta property='og:url' content='https://example.org/story'>", True),
    (None, "", False),
])
def test_domain_scoping_by_url_canonical_and_og_url(tmp_path: Path, url, head, dropped) -> None:
    rules = write(tmp_path, "scoped.toml", DOMAIN_RULE)
    text = Cleaner(rules=[rules]).clean(page(NOTE, head), url=url, html=True).text
    assert ("A note for readers" not in text) == dropped


ADBLOCK = """[Adblock Plus 2.0]
! Title: my annoyances
##.promo-box
example.org##p.note
example.org#@#.promo-box
##div:has-text(Sponsored)
example.com#?#.story > p:first-child
||ads.example.net^$third-party
"""


def test_adblock_list_parses_hiding_rules_and_exceptions() -> None:
    rules, skipped = parse_adblock(ADBLOCK, "lists/my-annoyances.txt")
    by_selector = {r.selector: r for r in rules}
    assert set(by_selector) == {".promo-box", "p.note"}
    assert by_selector[".promo-box"].id == "adblock:my-annoyances:3"
    assert by_selector[".promo-box"].domains == ("~example.org",)
    assert by_selector["p.note"].domains == ("example.org",)
    assert skipped["procedural or extended filters"] == [6, 7]
    assert skipped["network filters"] == [8]


def test_adblock_list_on_pages(tmp_path: Path) -> None:
    path = write(tmp_path, "annoyances.txt", ADBLOCK)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # skipped filters are notes, not Python warnings
        cleaner = Cleaner(rules=[path])
    assert cleaner.load_warnings == [f"{path}:6: skipped 2 procedural or extended filters (lines 6, 7)"]
    elsewhere = cleaner.clean(page(NOTE), url="https://example.net/x", html=True)
    assert reasons(elsewhere)[
        "Support our journalism with a donation of any size today, thank you."] == "adblock:annoyances:3"
    assert "A note for readers" in elsewhere.text
    on_site = cleaner.clean(page(NOTE), url="https://example.org/x", html=True)
    assert "A note for readers" not in on_site.text
    assert reasons(on_site)["Support our journalism with a donation of any size today, thank you."] != "adblock:annoyances:3"


def test_adblock_rules_can_be_disabled(tmp_path: Path) -> None:
    path = write(tmp_path, "annoyances.txt", "##p.note\n")
    cleaner = Cleaner(rules=[path], disable=["adblock:annoyances:1"])
    assert "A note for readers" in cleaner.clean(page(NOTE), html=True).text


def test_exception_everywhere_removes_the_filter() -> None:
    rules, _ = parse_adblock("##.x\n#@#.x\n##.y\n", "l.txt")
    assert [r.selector for r in rules] == [".y"]


def test_pattern_rules_on_html_find_the_same_hits_with_the_core_as_without() -> None:
    # the compiled core finds the pattern rules' candidates on an HTML page's
    # blocks (as in text mode); hits, verdicts and text are Python's own
    pytest.importorskip("declutter._core")
    pages = sorted((Path(__file__).parent.parent / "fixtures" / "html").glob("*.html"))
    assert pages
    python, rust = Cleaner(core="python"), Cleaner(core="rust")
    for path in pages:
        data = path.read_bytes()
        a, b = python.clean(data, html=True), rust.clean(data, html=True)
        assert (a.text, a.verdicts) == (b.text, b.verdicts), path.name
