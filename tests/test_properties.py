"""Properties of cleaning text pages, over pages made of realistic prose,
menu words, boilerplate phrases and arbitrary unicode lines:

- it only ever removes whole lines: every output line is an input line, in order;
- paragraphs are separated by exactly one blank line, none at the ends;
- it is idempotent: clean(clean(x)) == clean(x);
- \\r\\n and \\r line ends give the same output as \\n.
"""
from __future__ import annotations

import regex
from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import PARAS

PROSE = PARAS + [
    "The ferry was late again this morning because of the fog that lay over the whole bay.",
    "Most of the people on the quay said that they did not mind the wait in the sunshine.",
    "BEIJING, Nov 24 (Reuters) – Officials said on Friday that talks would resume next week.",
    "Die Stadtverwaltung hat am Dienstag beschlossen, die alte Brücke über den Fluss noch in diesem Jahr zu sanieren.",
    "Le conseil municipal a approuvé mardi soir le projet de passerelle, après six années de débats entre les riverains.",
    "El ayuntamiento aprobó el martes el proyecto del nuevo puente peatonal sobre el río, tras seis años de debate.",
    "Городской совет во вторник одобрил план строительства нового пешеходного моста через реку.",
    "市议会周二晚间投票通过了在河上修建一座新人行桥的计划，结束了一场持续六年多的争论。",
    "\u201cIt is a good day for the town,\u201d she said.",
    "- Two new bus stops on Mill Road",
    "What Happens Next",
    "Photo: The old mill seen from the water in 1950",
]
MENU = ["Home", "News", "Sport", "Weather", "About Us", "Contact", "Politics", "Business News", "Menu", "Search"]
BOILERPLATE = [
    "Leave a Reply", "Your email address will not be published. Required fields are marked *",
    "Previous post", "Next post", "« Older Entries", "Newer Entries »", "Share this:", "Like this:",
    "Related posts", "Tags: bridge, river, council", "Categories: Local News", "Posted on March 3, 2024 by admin",
    "© 2024 Harbor Town Gazette. All rights reserved.", "Powered by WordPress", "Recent Posts", "Archives",
    "Meta", "We use cookies to improve your experience. Accept all", "Subscribe to our newsletter",
    "Cheap Garden Furniture Outlet Store", "Schreibe einen Kommentar", "Laisser un commentaire", "Vorheriger Beitrag",
    "3 thoughts on \u201cCouncil approves new footbridge\u201d", "Advertisement", "",
]
# Any unicode line: no line breaks, and no lone surrogates (str input with one
# is repaired to U+FFFD so the output encodes; test_library covers that case).
ANY_LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=80)

LINE = st.one_of(
    st.sampled_from(PROSE), st.sampled_from(PROSE),
    st.sampled_from(MENU), st.sampled_from(BOILERPLATE), st.just(""),
    ANY_LINE,
)
PAGE = st.lists(LINE, max_size=40).map("\n".join)

LINE_BREAK = regex.compile(r"\r\n|\r|\n")
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    it = iter(whole)
    return all(any(x == y for y in it) for x in part)


@SETTINGS
@given(PAGE)
def test_only_whole_lines_are_removed_in_order(cleaner, text):
    out = cleaner.clean(text, html=False).text
    kept = [line for line in out.split("\n") if line]
    assert is_subsequence(kept, LINE_BREAK.split(text))


@SETTINGS
@given(PAGE)
def test_paragraphs_separated_by_one_blank_line(cleaner, text):
    out = cleaner.clean(text, html=False).text
    if out:
        assert not out.startswith("\n") and not out.endswith("\n")
        assert "\n\n\n" not in out


# Pages where the first paragraph of the body also stands outside it (a teaser
# printed above the menu): written by hand, and one found by hypothesis.
TEASER = "The ferry was late again this morning because of the fog that lay over the whole bay."
QUOTE = "\u201cIt is a good day for the town,\u201d she said."


@SETTINGS
@given(PAGE)
@example("\n\n".join([TEASER, "Home\nNews\nSport", TEASER, QUOTE, *PARAS[:3]]))
@example("\n".join([PROSE[10], "What Happens Next", "Home", PROSE[10], PROSE[8], PROSE[11]]))
def test_cleaning_is_idempotent(cleaner, text):
    once = cleaner.clean(text, html=False).text
    assert cleaner.clean(once, html=False).text == once


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAGE)
def test_line_endings_do_not_matter(cleaner, text):
    out = cleaner.clean(text, html=False).text
    assert cleaner.clean(text.replace("\n", "\r\n"), html=False).text == out
    assert cleaner.clean(text.replace("\n", "\r"), html=False).text == out
