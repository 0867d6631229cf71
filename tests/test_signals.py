"""The structural signals, each on a small hand-written page. Default rules are
left out (default_rules=False) so that what decides is the signal alone."""
from __future__ import annotations

import pytest

from declutter import Cleaner

from conftest import PARAS, page


@pytest.fixture(scope="module")
def signals_only():
    return Cleaner(default_rules=False)


@pytest.fixture(scope="module")
def default_cleaner():
    return Cleaner()


def reasons(result, text: str) -> list[str]:
    """The ids that decided every block whose text is TEXT; kept ones as 'keep'."""
    out = ["keep" if v.keep else v.reason for b, v in zip(result.blocks, result.verdicts) if b.text.strip() == text]
    assert out, f"{text!r} is not a block of the page"
    return out


def paragraphs(result) -> list[str]:
    return result.text.split("\n\n") if result.text else []


# ---------------------------------------------------------------- repeated lines

def test_short_line_repeated_at_top_and_bottom_goes_as_repeated(signals_only):
    banner = "Cheap Garden Furniture Outlet Store"
    result = signals_only.clean(page(banner, *PARAS[:4], banner), html=False)
    assert paragraphs(result) == PARAS[:4]
    assert reasons(result, banner) == ["signal.repeated", "signal.repeated"]
    assert result.title != banner


def test_repeated_line_folds_case_digits_and_spacing(signals_only):
    result = signals_only.clean(page("Harbor Town Gazette 2023", *PARAS[:4], "HARBOR  town gazette 2024"),
                                html=False)
    assert paragraphs(result) == PARAS[:4]
    assert reasons(result, "Harbor Town Gazette 2023") == ["signal.repeated"]
    assert reasons(result, "HARBOR  town gazette 2024") == ["signal.repeated"]


def test_long_repeated_paragraph_is_not_a_repeated_line(signals_only):
    # A long line is text, even when printed twice; the repeated signal is for short lines.
    result = signals_only.clean(page(PARAS[0], PARAS[1], PARAS[2], PARAS[0], PARAS[3]), html=False)
    assert "signal.repeated" not in {r.reason for r in result.removed}


# ---------------------------------------------------------------- title

HEADLINE = "Council approves new footbridge over the river"


def test_title_is_found_and_its_copy_inside_the_body_goes(signals_only):
    text = page(HEADLINE, PARAS[0], PARAS[1], HEADLINE, PARAS[2], PARAS[3])
    result = signals_only.clean(text, html=False)
    assert result.title == HEADLINE
    assert HEADLINE not in result.text
    assert reasons(result, HEADLINE) == ["signal.title", "signal.title"]
    assert paragraphs(result) == PARAS[:4]


def test_title_after_a_site_name_line(signals_only):
    text = page("Harbor Town Gazette", HEADLINE, *PARAS[:4])
    result = signals_only.clean(text, html=False)
    assert result.title == HEADLINE
    assert paragraphs(result) == PARAS[:4]


def test_no_title_when_the_page_is_only_prose(signals_only):
    result = signals_only.clean(page(*PARAS), html=False)
    assert result.title is None
    assert paragraphs(result) == PARAS


# ---------------------------------------------------------------- article region

MENU = ["Home", "News", "Sport", "Weather", "Contact"]
LINKS = ["More from the Gazette", "Ten best walks in the county", "Where to eat near the harbour",
         "School fete raises record sum", "Photos of the week"]


def test_article_region_drops_menu_before_and_link_list_after(signals_only):
    text = "\n".join(MENU) + "\n\n" + page(HEADLINE, *PARAS[:5]) + "\n" + "\n".join(LINKS) + "\n"
    result = signals_only.clean(text, html=False)
    assert paragraphs(result) == PARAS[:5]
    assert result.title == HEADLINE
    for line in MENU + LINKS:
        assert reasons(result, line) == ["signal.outside-body"], line


@pytest.mark.parametrize("defaults", [False, True], ids=["signals-only", "with-default-rules"])
def test_short_lines_inside_the_article_stay(defaults, signals_only, cleaner):
    subhead = "What Happens Next"
    items = ["- Two new bus stops on Mill Road", "- A wider footpath by the school",
             "- Longer opening hours at the library"]
    quote = "\u201cIt is a good day for the town,\u201d she said."
    caption = "Photo: The old mill seen from the water in 1950"
    body = [PARAS[0], PARAS[1], subhead, PARAS[2], "\n".join(items), PARAS[3], quote, PARAS[4], caption, PARAS[5]]
    result = (cleaner if defaults else signals_only).clean(page(*MENU, HEADLINE, *body, *LINKS), html=False)
    assert paragraphs(result) == body
    for line in MENU + LINKS:
        assert line not in result.text.split("\n")


def test_run_of_menu_lines_inside_the_article_goes(signals_only):
    run = ["Politics", "Business News", "Local Sport", "Arts And Culture"]
    text = page(*PARAS[:3]) + "\n" + "\n".join(run) + "\n\n" + page(*PARAS[3:])
    result = signals_only.clean(text, html=False)
    assert paragraphs(result) == PARAS
    for line in run:
        assert reasons(result, line) == ["signal.menu-run"], line


def test_a_single_capitalised_subhead_is_not_a_menu_run(signals_only):
    text = page(*PARAS[:3], "The Cost Of The Bridge", *PARAS[3:])
    result = signals_only.clean(text, html=False)
    assert "The Cost Of The Bridge" in result.text.split("\n")


# ---------------------------------------------------------------- code a text dump picked up

# What get_text() or a naive scraper leaves of <script>, <style> and JSON-LD:
# long lines of minified code, written here by hand.
SCRIPT = ("window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('js',new Date());"
          "gtag('config','G-XXXX');(function(d,s){var e=d.createElement(s);e.async=true;e.src='/a.js';"
          "d.head.appendChild(e);})(document,'script');")
STYLE = (".site-header{position:sticky;top:0;z-index:10}.site-header a{color:#222;text-decoration:none}"
         ".nav li{display:inline-block;margin:0 .5em}.footer{padding:2em 0;background:#f4f4f4}")
JSON_LD = ('{"@context":"https://schema.org","@type":"NewsArticle","headline":"Council approves footbridge",'
           '"datePublished":"2023-10-12T10:45:00+02:00","author":{"@type":"Person","name":"Jane Doe"}}')


def test_minified_code_goes_wherever_it_stands(signals_only):
    text = page(SCRIPT, STYLE, HEADLINE, *PARAS[:3], SCRIPT[:-1] + "x;", *PARAS[3:], JSON_LD)
    result = signals_only.clean(text, html=False)
    assert paragraphs(result) == PARAS
    # Inside the body it goes as code; outside, it is simply outside the body.
    assert reasons(result, SCRIPT[:-1] + "x;") == ["signal.code-like"]
    assert [v.first_class for b, v in zip(result.blocks, result.verdicts) if b.text in (SCRIPT, STYLE, JSON_LD)] \
        == ["bad"] * 3


def test_a_long_script_does_not_outscore_a_short_article(signals_only):
    # Ending in ";" and thousands of characters long, a script read as prose
    # would be the best region by far.
    blob = ";".join(SCRIPT for _ in range(12)) + ";"
    text = page(*MENU, HEADLINE, *PARAS[:2], *LINKS, blob)
    result = signals_only.clean(text, html=False)
    assert paragraphs(result) == PARAS[:2]


@pytest.mark.parametrize("defaults", [False, True], ids=["signals-only", "with-default-rules"])
def test_code_samples_in_an_article_stay(defaults, signals_only, cleaner):
    samples = ['conn = sqlite3.connect("app.db", timeout=10)', 'conn.execute("PRAGMA journal_mode=WAL")',
               "for (let i = 0; i < rows.length; i++) { total += rows[i].price * rows[i].count; } "
               "console.log(`total: ${total}`); // prints the sum of every row's price times its count"]
    body = [PARAS[0], PARAS[1], *samples, PARAS[2], PARAS[3]]
    result = (cleaner if defaults else signals_only).clean(page(*MENU, HEADLINE, *body, *LINKS), html=False)
    assert paragraphs(result) == body


def test_prose_dense_with_brackets_or_without_spaces_is_not_code(signals_only):
    brackets = ("The budget (about \u00a34.2m, or 3% of spending) covers the bridge (phase one), the path "
                "(phase two) and the lights; the council (which met on Tuesday) said: \"more is to come\" "
                "[see the plan, pp. 4-7] when the works end.")
    chinese = ("\u5e02\u8bae\u4f1a\u5468\u4e8c\u665a\u95f4\u6295\u7968\u6279\u51c6\u4e86\u65b0\u5efa"
               "\u4eba\u884c\u6865\u7684\u8ba1\u5212(\u7ea6420\u4e07\u82f1\u9551),\u8ba1\u5212\u660e"
               "\u5e74\u5f00\u5de5\u3002") * 4
    result = signals_only.clean(page(HEADLINE, PARAS[0], brackets, PARAS[1], chinese, PARAS[2]), html=False)
    for line in (brackets, chinese):
        assert reasons(result, line) == ["keep"], line[:30]


# ---------------------------------------------------------------- other scripts, degenerate pages

ZH = [
    "市议会周二晚间投票通过了在河上修建一座新人行桥的计划，结束了一场持续六年多的争论。这场争论曾让两岸社区的居民意见分歧。",
    "支持者表示，新桥将使从火车站步行到集市广场的时间缩短近二十分钟，并为东岸安静的河堤沿线商店和咖啡馆带来更多游客。",
    "反对者则认为，这笔钱最好用于修复道路，因为许多道路至今仍留有两年前冬天洪水造成的损坏，而且桥的设计会破坏从水面眺望老石磨坊的景色。",
    "工程预计将在明年春天开工。届时工程师将完成对最终图纸的审核，议会也将与去年公开招标中报价最低的建筑公司签订合同。",
]
ZH_BANNER = "廉价花园家具批发商城"
ZH_MENU = ["首页", "新闻", "体育", "天气", "联系我们"]


def test_cjk_page_without_spaces(signals_only):
    text = page(ZH_BANNER, "\n".join(ZH_MENU), *ZH, ZH_BANNER)
    result = signals_only.clean(text, html=False)
    assert paragraphs(result) == ZH
    assert reasons(result, ZH_BANNER) == ["signal.repeated", "signal.repeated"]
    for line in ZH_MENU:
        assert line not in result.text


def test_page_without_prose_gives_little_or_nothing(signals_only):
    text = "\n".join(MENU + LINKS + ["Subscribe", "Log In", "Terms Of Use", "Privacy Policy"]) + "\n"
    result = signals_only.clean(text, html=False)
    kept = [l for l in result.text.split("\n") if l]
    assert len(kept) <= 3
    assert all(l in text.split("\n") for l in kept)


@pytest.mark.parametrize("text", ["", "\n", "   \n\t\n", "x", "...", "\n\n\n\nHome\n\n\n"],
                         ids=["empty", "newline", "whitespace", "one-char", "dots", "one-word"])
def test_degenerate_pages_clean_without_error(signals_only, text):
    result = signals_only.clean(text, html=False)
    assert isinstance(result.text, str)
    assert all(l in text.split("\n") for l in result.text.split("\n") if l)


# ---------------------------------------------------------------- lists that run on from the article

TOUR = [
    "The footbridge opening will be marked by a series of guided walks across the river, the council said, "
    "with each walk starting from the railway station and ending at the market square.",
    "The guided walks are free, and the council hopes that residents of both banks will join them.",
]
WALK_DATES = [
    "Guided walk dates:",
    "April 4 - Railway station to the market square",
    "April 11 - Market square to the old stone mill",
    "April 18 - Eastern embankment and the footbridge",
    "April 25 - Railway station to the eastern embankment",
]
SITE_FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "Site map", "Jobs"]


def test_a_dated_list_running_on_from_the_article_stays(signals_only):
    result = signals_only.clean(page("Harbor Town Gazette", *PARAS[:3], *TOUR, *WALK_DATES, *SITE_FOOTER),
                                html=False)
    assert paragraphs(result) == PARAS[:3] + TOUR + WALK_DATES


def test_a_dated_list_that_shares_no_words_with_the_article_goes(signals_only):
    archive = ["Archives", "November 2012 (14)", "October 2012 (9)", "September 2012 (21)", "August 2012 (3)"]
    result = signals_only.clean(page("Harbor Town Gazette", *PARAS[:3], *TOUR, *archive, *SITE_FOOTER),
                                html=False)
    assert paragraphs(result) == PARAS[:3] + TOUR
    assert reasons(result, "October 2012 (9)") == ["signal.outside-body"]


def test_a_list_after_a_line_a_rule_drops_goes(cleaner):
    # The run must join the article: a "Related posts" heading (dropped by a rule) cuts it off.
    related = ["Related posts", "1. New footbridge plans for the railway station",
               "2. Market square footbridge vote delayed", "3. The old stone mill and the footbridge"]
    result = cleaner.clean(page("Harbor Town Gazette", *PARAS[:3], *TOUR, *related, *SITE_FOOTER), html=False)
    assert paragraphs(result) == PARAS[:3] + TOUR


# ---------------------------------------------------------------- lines the body itself repeats

MEAL_PLAN = [
    "This meal plan spreads your food over six small meals, because you should eat every few hours "
    "to keep your energy steady through the day and avoid the hunger that leads to snacking.",
    "Breakfast: two eggs, a slice of wholemeal toast and a piece of fruit.",
    "Eat every 2-3 hours",
    "Mid-morning: a handful of almonds and a yoghurt, which will keep you going for the next few hours.",
    "Eat every 2-3 hours",
    "Lunch: grilled chicken with brown rice and a large green salad, with olive oil as the dressing.",
    "Eat every 2-3 hours",
    "Afternoon: a protein shake and an apple, or some cottage cheese with berries if you prefer to eat.",
    "Make every meal count, and eat every few hours even on the days when you are not training at all.",
    "Eat every 2-3 hours",
]


def test_a_line_the_body_repeats_stays_though_a_copy_spills_past_it(signals_only):
    text = page("Fit Daily", "Six meals a day: a plan", *MEAL_PLAN, *SITE_FOOTER)
    result = signals_only.clean(text, html=False)
    assert reasons(result, "Eat every 2-3 hours")[:3] == ["keep", "keep", "keep"]


def test_a_widget_line_repeated_in_the_body_still_goes(signals_only):
    # The same layout, but the repeated line speaks none of the article's words.
    widget = "Continue reading the main story"
    plan = [widget if line == "Eat every 2-3 hours" else line for line in MEAL_PLAN]
    result = signals_only.clean(page("Fit Daily", "Six meals a day: a plan", *plan, *SITE_FOOTER), html=False)
    assert set(reasons(result, widget)) == {"signal.repeated"}


def test_a_line_the_body_repeats_goes_when_a_copy_stands_at_the_page_edge(signals_only):
    # The site prints it again in its footer, among the page's last blocks: a slogan, not the plan's.
    text = page("Fit Daily", "Six meals a day: a plan", *MEAL_PLAN, *SITE_FOOTER, "Eat every 2-3 hours")
    result = signals_only.clean(text, html=False)
    assert set(reasons(result, "Eat every 2-3 hours")) == {"signal.repeated"}


# ---------------------------------------------------------------- a thread of posts after the article

COMMENTS = [
    ("Ann Lee - July 10th, 2012, 1:26 am", "I walk across that river every single day and I am glad that the council "
     "finally made up its mind about the bridge, even if it took them far too long."),
    ("Bob Hart - July 10th, 2012, 3:31 am", "The money should have gone to the roads, as the opponents said, and I "
     "think most of the people on the eastern bank would agree with me about that."),
    ("Cat Diaz - July 11th, 2012, 9:02 pm", "Does anyone know whether the new bridge will be open to bicycles as well "
     "as to people on foot, or will we have to walk them across it like on the old one?"),
]


def test_a_comment_thread_after_the_article_goes(signals_only):
    thread = [line for pair in COMMENTS for line in pair]
    result = signals_only.clean(page("Harbor Town Gazette", *PARAS, *thread, *SITE_FOOTER), html=False)
    assert paragraphs(result) == PARAS
    assert reasons(result, COMMENTS[0][1]) == ["signal.outside-body"]


def test_a_thread_after_a_short_article_goes(signals_only):
    # Two paragraphs (460 characters: a blog's short post) are article enough
    # for the posts after them to be its comments (min_body_chars).
    thread = [line for pair in COMMENTS for line in pair]
    result = signals_only.clean(page("Harbor Town Gazette", *PARAS[:2], *thread, *SITE_FOOTER), html=False)
    assert paragraphs(result) == PARAS[:2]


def test_records_of_label_and_value_are_no_thread(signals_only):
    # Each course's fields open with a label and a colon, and a description
    # follows: a directory's records, not posts under their writers' names.
    records = [(f"Season: April {first} to October {last}", f"The {name} course {PARAS[n][4:]}")
               for n, (name, first, last) in enumerate([("Algonquin", 1, 30), ("Brookside", 15, 20),
                                                        ("Burro Hills", 20, 15)])]
    body = [*PARAS[3:6], *(line for pair in records for line in pair)]
    result = signals_only.clean(page("Harbor Town Golf Guide", *body, *SITE_FOOTER), html=False)
    assert paragraphs(result) == body


def test_numbered_subheads_of_a_list_article_are_no_thread(signals_only):
    items = [f"{n}. Visit {place} (since {year})" for n, place, year in
             [(1, "the stone mill", 1820), (2, "the market square", 1901), (3, "the eastern embankment", 1955)]]
    body = [PARAS[0], PARAS[1], PARAS[2], items[0], PARAS[3], items[1], PARAS[4], items[2], PARAS[5]]
    result = signals_only.clean(page("Harbor Town Gazette", *body, *SITE_FOOTER), html=False)
    assert paragraphs(result) == body


def test_post_footers_of_a_blog_index_are_no_thread(signals_only):
    # Each footer is followed by the next post's headline, not by the post itself.
    footers = [f"posted by digby {d}/06/2005 1{d}:09 PM | permalink" for d in (1, 2, 3)]
    body = [PARAS[0], PARAS[1], PARAS[2], footers[0], "Who cares what we think", PARAS[3], footers[1],
            "Common sense", PARAS[4], footers[2], "For the record", PARAS[5]]
    result = signals_only.clean(page("Harbor Town Gazette", *body, *SITE_FOOTER), html=False)
    assert PARAS[5] in paragraphs(result)


def test_comment_headers_with_names_of_any_length_are_one_thread(signals_only):
    # A name of one, two or three words is one name: the headers share a shape.
    names = ["Ann Lee", "Robert J. Hart", "Cat Diaz-Moreno"]
    thread = [line for name, (header, post) in zip(names, COMMENTS)
              for line in (name + header[header.index(" - "):], post)]
    result = signals_only.clean(page("Harbor Town Gazette", *PARAS, *thread, *SITE_FOOTER), html=False)
    assert paragraphs(result) == PARAS


def test_rows_of_a_data_table_are_no_thread(signals_only):
    # Each table's last row is followed by prose, as a post header is: a table row is none.
    tables = [[f"{name} {n} {n / 3.8:.1f}%" for name, n in rows] for rows in
              [[("Herbert Durr", 63), ("Armin Le Grand", 56), ("Kay Schenk", 27)],
               [("Noel Grandin", 41), ("Miklos Vajna", 29), ("Eike Rathke", 17)],
               [("Tor Lillqvist", 38), ("Jan Holesovsky", 24), ("Peter Foley", 11)]]]
    body = [PARAS[0], PARAS[1], PARAS[2], *tables[0], PARAS[3], *tables[1], PARAS[4], *tables[2], PARAS[5]]
    result = signals_only.clean(page("Harbor Town Gazette", *body, *SITE_FOOTER), html=False)
    assert PARAS[5] in paragraphs(result)


def test_product_names_over_a_review_are_no_thread(signals_only):
    # A number inside a name ("72W") is no date or count: these are subheads.
    products = ["Satechi 72W USB-C Car Charger", "Ravpower 61W USB-C Wall Charger", "Anker 45W USB-C Travel Charger"]
    body = [PARAS[0], PARAS[1], PARAS[2], products[0], PARAS[3], products[1], PARAS[4], products[2], PARAS[5]]
    result = signals_only.clean(page("Harbor Town Gazette", *body, *SITE_FOOTER), html=False)
    assert PARAS[5] in paragraphs(result)


def test_a_thread_after_the_article_goes_though_dated_updates_open_it(signals_only):
    # Dated updates near the top have too little article before them to be a
    # thread; the reader comments after the article still are one.
    updates = [f"Update from the council - July {d}th, 2012, 9:0{d} am" for d in (3, 4, 5)]
    body = [PARAS[0], updates[0], PARAS[1], updates[1], PARAS[2], updates[2], PARAS[3], PARAS[4], PARAS[5]]
    thread = [line for pair in COMMENTS for line in (pair[0].replace(" - ", " says: "), pair[1])]
    result = signals_only.clean(page("Harbor Town Gazette", *body, *thread, *SITE_FOOTER), html=False)
    assert paragraphs(result) == body


SHORT_POSTS = ["Thanks for sharing this, Ann.", "I walk across that river every day.", "About time too!"]


def test_a_thread_whose_headers_have_no_number_goes(signals_only):
    # "Jane says:", "John wrote:": a name and a verb, no date to see.
    for headers in (["Ann Lee wrote:", "Bob wrote:", "by cathy_d (1234) wrote:"],
                    ["Ann Lee said,", "Bob said,", "Cat Diaz said,"]):
        thread = [line for header, (_, post) in zip(headers, COMMENTS) for line in (header, post)]
        result = signals_only.clean(page("Harbor Town Gazette", *PARAS, *thread, *SITE_FOOTER), html=False)
        assert paragraphs(result) == PARAS
        assert reasons(result, headers[1]) == ["signal.outside-body"]


def test_one_line_posts_under_dated_or_saying_headers_are_a_thread(signals_only):
    # A post may be one short sentence, too short to read as prose: two of
    # the four posts here are.
    posts = [SHORT_POSTS[0], COMMENTS[1][1], SHORT_POSTS[1], COMMENTS[2][1]]
    dated = [header for header, _ in COMMENTS] + ["Dan Roe - July 12th, 2012, 4:15 pm"]
    for headers in (dated, ["Ann Lee says:", "Bob Hart says:", "Cat Diaz says:", "Dan Roe says:"]):
        thread = [line for header, post in zip(headers, posts) for line in (header, post)]
        result = signals_only.clean(page("Harbor Town Gazette", *PARAS, *thread, *SITE_FOOTER), html=False)
        assert paragraphs(result) == PARAS


def test_a_numbered_thread_goes_though_numbered_subheads_stay(signals_only):
    # "1. Ann Lee - July 10th, 2012": a number standing alone after the item's number.
    thread = [line for n, (header, post) in enumerate(COMMENTS, 1) for line in (f"{n}. {header}", post)]
    result = signals_only.clean(page("Harbor Town Gazette", *PARAS, *thread, *SITE_FOOTER), html=False)
    assert paragraphs(result) == PARAS


def test_a_repeated_saying_line_or_a_list_of_references_is_no_thread(signals_only):
    # One line printed over every quoted post is no set of names; references
    # (a name, a date, a full stop) followed by references are no posts.
    quoted = [line for post in PARAS[3:] for line in ("Back on topic:", post)]
    refs = [f"^ Lee, Ann ({month} {d}, 2012). \"Bridge vote\". Gazette. Retrieved 2014-07-0{d}."
            for d, month in ((1, "May"), (2, "June"), (3, "July"), (4, "August"))]
    for tail in (quoted, refs):
        body = [*PARAS[:3], *tail]
        result = signals_only.clean(page("Harbor Town Gazette", *body, *SITE_FOOTER), html=False)
        assert body[-1] in paragraphs(result)


def test_a_comment_count_after_the_article_ends_it(default_cleaner):
    # The posts after the count have no headers at all; the count says what they are.
    posts = [post for _, post in COMMENTS]
    for count in ("{ 3 comments… read them below or add one }", "3 Comments"):
        result = default_cleaner.clean(page("Harbor Town Gazette", *PARAS, count, *posts, *SITE_FOOTER), html=False)
        assert paragraphs(result) == PARAS
        assert reasons(result, posts[0]) == ["signal.outside-body"]


def test_a_comment_count_under_the_headline_cuts_nothing(default_cleaner):
    # Teasers before the headline are no article before the count.
    teasers = PARAS[3:]
    headline = "Council approves new footbridge over the river"
    lines = [f"{headline} - Harbor Town Gazette", *teasers, headline, "3 Comments", *PARAS[:3], *SITE_FOOTER]
    result = default_cleaner.clean(page(*lines), html=False)
    assert all(p in paragraphs(result) for p in PARAS[:3])


# ---------------------------------------------------------------- the headline anchors a short article

HEADLINE = "Footbridge Vote Ends Six-Year Debate"
SITE_NAME = "Harbor Town Gazette Online"
# Reader comments without name-and-date lines: the thread signal cannot see them.
READER_POSTS = [
    ("I have been waiting for this for years and I cannot believe it finally happened, although I still think "
    "the design they chose is far too plain for such an important place in the middle of our town."),
    ("Whoever decided to spend this kind of money on a bridge instead of fixing the potholes on my street has "
    "clearly never driven a car through the eastern part of town after a long and rainy winter season."),
    ("My grandfather used to tell stories about the ferry that crossed the river before the old bridge was "
    "built, and I wonder what he would have said about all of this arguing at the council meetings."),
    ("It would be good to know when the work will start and how long the path along the river will be closed, "
    "because a lot of us walk our dogs there every morning and there is no other place to go nearby."),
    ("The council should publish the full cost of the project, including the consultants and the studies that "
    "were paid for during the six years of debate, so that people can judge for themselves whether it was worth it."),
]
# Links, archives and widgets between the article and the comments.
SIDEBAR = [f"Archive {month} 2012" for month in ("January", "February", "March", "April", "May", "June")] + \
    [f"Category {name}" for name in ("Council", "Roads", "Schools", "Weather", "Sports", "Arts", "Business",
                                     "Letters", "Obituaries", "Events", "Photos", "Video", "Opinion", "Harbor",
                                     "Ferry", "Parks", "Markets", "Health", "Police", "Courts", "Traffic",
                                     "Museums", "Libraries", "Music")]


def test_a_short_article_under_its_headline_beats_a_longer_thread(signals_only):
    # The article (two paragraphs under the headline) scores less than the
    # five posts after it; the headline, repeating the page's <title>, anchors it.
    lines = [f"{HEADLINE} - {SITE_NAME}", "Home", "News", HEADLINE, PARAS[0], PARAS[1], *SIDEBAR, *READER_POSTS]
    result = signals_only.clean(page(*lines), html=False)
    assert paragraphs(result) == PARAS[:2]
    assert reasons(result, READER_POSTS[0]) == ["signal.outside-body"]


def test_of_the_lines_repeating_the_title_the_one_over_the_article_anchors(signals_only):
    # The site's name, also in the <title>, heads a blurb first; the headline
    # heads the article. The copy over the better run anchors.
    blurb = ("We are a small team of volunteers who have written about the life of our town and its people for "
             "more than twenty years, and we hope that you will enjoy reading what we write.")
    lines = [f"{HEADLINE} - {SITE_NAME}", SITE_NAME, blurb, "Home", "News", "Sports", HEADLINE, PARAS[0],
             PARAS[1], *SIDEBAR, *READER_POSTS]
    result = signals_only.clean(page(*lines), html=False)
    assert paragraphs(result) == PARAS[:2]


def test_the_article_resumed_after_a_byline_box_stays_the_region(signals_only):
    # The headline anchors its standfirst; the article proper follows a box of
    # byline and share buttons, within anchor_near blocks: it is not lost.
    standfirst = ("After six years of argument the council has approved the new footbridge, and work on it is "
                  "expected to begin in the spring of next year.")
    box = ["By Ann Lee", "Staff Writer", "Share", "Tweet", "Email", "Print", "Comments", "Follow", "Save",
           "Facebook", "Twitter", "Reddit", "Newsletter", "Subscribe", "Gift Article", "Listen", "Read Later"]
    lines = [f"{HEADLINE} - {SITE_NAME}", "Home", "News", HEADLINE, standfirst, *box, *PARAS, *SIDEBAR]
    result = signals_only.clean(page(*lines), html=False)
    assert paragraphs(result) == PARAS


def test_a_headline_followed_by_its_comment_count_still_anchors(signals_only):
    lines = [f"{HEADLINE} - {SITE_NAME}", "Home", "News", f"{HEADLINE} 524", PARAS[0], PARAS[1], *SIDEBAR,
             *READER_POSTS]
    result = signals_only.clean(page(*lines), html=False)
    assert paragraphs(result) == PARAS[:2]


# ---------------------------------------------------------------- a picture post under its headline

def test_a_picture_post_under_its_headline_beats_the_sites_blurb(signals_only):
    # The post is a caption of two short lines: no prose, so nothing anchors
    # it, and the site's blurb (under the site's name, which the <title> also
    # holds) is the best run. The headline, the longer copy, heads the post.
    blurb = ("We are a small team of volunteers who write about the life of our town, and we hope that you will "
             "enjoy reading what we write.")
    caption = ["via harbortown.example", "The new footbridge seen from the ferry landing at dawn"]
    lines = [f"{HEADLINE} - {SITE_NAME}", "Home", "About", SITE_NAME, blurb, *SIDEBAR[:6], HEADLINE, *caption,
             "Share This", "Older Posts", *SIDEBAR[6:]]
    result = signals_only.clean(page(*lines), html=False)
    assert paragraphs(result) == caption
    assert reasons(result, blurb) == ["signal.outside-body"]
    # Cleaned again, the post stays whole: cleaning is idempotent.
    assert signals_only.clean(result.text, html=False).text == result.text


def test_a_short_article_under_its_headline_is_no_picture_post(signals_only):
    # The best run is a short article with the headline over it: a later copy
    # of the headline (a link to the post in a list) heads no post.
    teaser = ["See also the footbridge pictures from last week"]
    lines = [f"{HEADLINE} - {SITE_NAME}", "Home", "About", HEADLINE, PARAS[0], *SIDEBAR[:6],
             HEADLINE, *teaser, "Share This", *SIDEBAR[6:]]
    result = signals_only.clean(page(*lines), html=False)
    assert paragraphs(result) == [PARAS[0]]


# ---------------------------------------------------------------- a post's footer ends it

def test_a_post_footer_with_a_permalink_ends_the_post(default_cleaner):
    # TypePad and Blogger print "Posted at ... | Permalink" under the post;
    # trackbacks and comments without name-and-date headers follow.
    after = ["TrackBack URL for this entry:", "Listed below are links to weblogs that reference this post:",
             *READER_POSTS[:3]]
    lines = ["Harbor Town Gazette", *PARAS[:3], "Posted at 11:28 AM | Permalink", *after, *SITE_FOOTER]
    result = default_cleaner.clean(page(*lines), html=False)
    assert paragraphs(result) == PARAS[:3]
    assert reasons(result, "Posted at 11:28 AM | Permalink") == ["taxonomy.post-footer"]
