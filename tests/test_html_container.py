"""How the article's container is chosen and pruned (declutter/html/article.py):
the body the markup names, listings of posts, split bodies, sibling parts,
lists of link cards, class tokens that are no verdicts, pruning with backup.

Each page is small and synthetic; each test fails if its mechanism is taken
out (checked by turning the setting off where there is one)."""
from __future__ import annotations

from pathlib import Path

import pytest

from declutter import Cleaner


def para(topic: str, n: int = 1) -> str:
    """n distinct prose paragraphs about `topic`."""
    return "".join(
        f"<p>The {topic} report, part {i}, describes how the council reviewed the budget for the "
        f"coming year and agreed, after a long debate, to keep the libraries open on Sundays.</p>"
        for i in range(1, n + 1))


def sidebar_prose(n: int) -> str:
    return "".join(
        f"<p>Popular post {i}: a long teaser paragraph that describes another story of this blog in "
        f"enough words to look like prose to a scorer that counts characters only.</p>"
        for i in range(n))


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def settings_file(tmp_path: Path, table: str, body: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(f"[signals.{table}]\n{body}\n")
    return path


def test_marked_body_wins_over_more_prose_elsewhere(cleaner: Cleaner) -> None:
    page = (f"<html><body><div class='main'><div class='post-body entry-content'>{para('harbour', 3)}</div></div>"
            f"<div class='column'>{sidebar_prose(8)}</div></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "harbour report, part 3" in text
    assert "Popular post" not in text


def test_marked_body_inside_an_element_whose_class_reads_as_boilerplate(cleaner: Cleaner) -> None:
    # a blog engine's posts sit in a "widget"; the sidebar's widgets hold more prose
    page = (f"<html><body><div id='Blog1' class='widget Blog'><div class='post'><h3>Harbour news</h3>"
            f"<div class='post-body entry-content'>{para('harbour', 2)}</div></div></div>"
            f"<aside><div class='widget PopularPosts'>{sidebar_prose(8)}</div></aside></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "harbour report, part 1" in text and "harbour report, part 2" in text
    assert "Popular post" not in text


def test_an_element_holding_several_articles_is_a_listing_not_a_body(cleaner: Cleaner) -> None:
    related = "".join(f"<article>{para(f'other{i}')}</article>" for i in range(4))
    page = (f"<html><body><article class='stories'>{related}</article>"
            f"<article class='story'><h1>Harbour</h1>{para('harbour', 3)}</article></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "harbour report, part 3" in text
    assert "other0" not in text


def test_a_teaser_marked_like_the_body_above_it_is_not_the_body(cleaner: Cleaner) -> None:
    page = (f"<html><body><div class='entry-content'>{para('teaser')}</div>"
            f"<div class='entry-content'>{para('harbour', 5)}</div></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "harbour report, part 5" in text
    assert "teaser report" not in text


def test_a_body_split_into_parts_marked_alike_is_taken_whole(cleaner: Cleaner, tmp_path: Path) -> None:
    parts = "".join(f"<div class='block'><div class='grid'><div class='article-text'>{para(f'part{i}', 2)}"
                    f"</div></div></div><div class='video'><a href='/v'>Watch</a></div>" for i in range(3))
    page = f"<html><body><div class='wrap'>{parts}</div><div class='nav'><a href='/'>Home</a></div></body></html>"
    text = cleaner.clean(page, html=True).text
    assert all(f"part{i} report" in text for i in range(3))
    off = Cleaner(rules=[settings_file(tmp_path, "html_body_marker", "part_levels = 0\nalike_levels = 0")])
    assert "part0 report" not in off.clean(page, html=True).text or "part2 report" not in off.clean(
        page, html=True).text


def test_link_cards_go_with_their_heading(cleaner: Cleaner, tmp_path: Path) -> None:
    cards = "".join(f"<li><h3><a href='/s{i}'>Linked headline of another story {i}</a></h3>"
                    f"<h4>A short blurb about story {i}</h4></li>" for i in range(5))
    page = (f"<html><body><article>{para('harbour', 3)}<div><div class='box-title'>Our Latest Stories</div>"
            f"<ul>{cards}</ul></div></article></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "harbour report, part 3" in text
    assert "blurb" not in text and "Our Latest Stories" not in text
    off = Cleaner(rules=[settings_file(tmp_path, "html_links", "cards_min_blocks = 0")])
    assert "blurb" in off.clean(page, html=True).text


def test_a_short_post_of_linked_mentions_is_the_post_not_a_list_of_cards(cleaner: Cleaner,
                                                                        tmp_path: Path) -> None:
    # link-rich short paragraphs that hold nearly all of the container's text
    # are its own content: taking them for teasers below it left nothing
    shops = ["Norman Camera", "Cameta", "Technikdirekt", "Adorama"]
    post = "".join(f"<p>The new lens is in stock at <a href='/s{i}'>{shop} on Amazon</a> since {day}.</p>"
                   for i, (shop, day) in enumerate(zip(shops, ["Monday", "Tuesday", "Friday", "today"])))
    page = (f"<html><body><article><h1>Lens in stock</h1><div class='entry'>{post}</div></article>"
            f"<div class='nav'><a href='/'>Home</a></div></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "in stock at Norman Camera on Amazon" in text and "Adorama on Amazon since today" in text
    whole = Cleaner(rules=[settings_file(tmp_path, "html_links", "cards_max_share = 1.0")])
    assert "Norman Camera" not in whole.clean(page, html=True).text


TAGS = "".join(f"<li><a href='/t{i}'>Tag number {i}</a></li>" for i in range(12))
# a picture post of two short lines, and a sidebar whose "about" blurb holds more prose
PICTURE_POST = ("<html><head><title>Food sculptures in a market - Right Brain</title></head><body><div id='inner'>"
                "<div class='nav'><a href='/'>Home</a> <a href='/about'>About</a></div><div id='content'>"
                "<div id='entries'><div class='unit'><h2>Food sculptures in a market</h2>"
                "<div class='quote'>via fubiz.net</div><p>Repurposing food as art is creative.</p></div></div>"
                "<div class='about'><div class='description'><div class='profile'><p>I live. I learn. I teach. "
                "And a short bio is limiting, so here I share and celebrate my creativity and the creativity "
                f"of others every day.</p></div></div><ul>{TAGS}</ul></div></div></div></body></html>")


def test_a_short_post_under_the_headline_beats_a_longer_blurb_elsewhere(cleaner: Cleaner,
                                                                          tmp_path: Path) -> None:
    text = cleaner.clean(PICTURE_POST, html=True).text
    assert "Repurposing food as art is creative." in text and "via fubiz.net" in text
    assert "I live" not in text
    off = Cleaner(rules=[settings_file(tmp_path, "html_container", "headline_post_max_words = 0")])
    assert "I live" in off.clean(PICTURE_POST, html=True).text


def test_a_short_body_the_markup_names_stays_beside_a_title_heading(cleaner: Cleaner) -> None:
    # the page's title is the blog's name: its banner heading is no post
    page = ("<html><head><title>Right Brain</title></head><body><div class='banner'><h1>Right Brain</h1>"
            "<p>A blog about making things</p></div><div class='entry-content'><p>This is bad news for "
            "market leaders and great news for everyone else.</p><p>And it happens again, every day.</p>"
            "</div></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "great news for everyone else" in text and "A blog about making things" not in text


def test_a_list_the_author_wrote_stays(cleaner: Cleaner) -> None:
    items = "".join(f"<li>Step {i}: stir the sauce for two minutes</li>" for i in range(6))
    page = f"<html><body><article>{para('harbour', 2)}<ul>{items}</ul>{para('tail')}</article></body></html>"
    assert "Step 5: stir the sauce" in cleaner.clean(page, html=True).text


@pytest.mark.parametrize("classes", ["article enable-pin-share", "o-section o-section--has-ads",
                                     "story with-sidebar", "story no-comments"])
def test_state_tokens_and_bem_modifiers_are_no_verdicts(cleaner: Cleaner, classes: str) -> None:
    page = (f"<html><body><div class='{classes}'>{para('harbour', 2)}</div>"
            f"<div class='{classes}'>{para('second', 2)}</div><nav><a href='/'>Home</a></nav></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "harbour report, part 1" in text and "second report, part 2" in text


def test_pruning_with_backup_keeps_an_article_its_classes_would_remove(cleaner: Cleaner, tmp_path: Path) -> None:
    # the article is split over two wrappers that both read as boilerplate
    page = (f"<html><body><main><div class='paywall-container'>{para('harbour', 2)}</div>"
            f"<div class='paywall-container'>{para('second', 2)}</div>"
            f"<p>A short closing note that the article ends here, with thanks.</p></main></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "harbour report, part 1" in text and "second report, part 2" in text
    # off: neither this backup nor the last one (an unpruned container when almost nothing is left)
    path = tmp_path / "off.toml"
    path.write_text("[signals.html_boilerplate_class]\nbackup_share = 1.0\n[signals.html_missed]\nmax_kept_words = 0\n")
    assert "harbour report" not in Cleaner(rules=[path]).clean(page, html=True).text


def test_a_container_pruned_to_nothing_stays_unpruned(cleaner: Cleaner, tmp_path: Path) -> None:
    # a link roundup: the article is its list of links
    items = "".join(f"<li><a href='/r{i}'>A linked headline of this week's story number {i}</a></li>"
                    for i in range(12))
    page = f"<html><body><nav><a href='/'>Home</a></nav><div class='entry-content'><ul>{items}</ul></div></body></html>"
    assert "story number 11" in cleaner.clean(page, html=True).text
    off = Cleaner(rules=[settings_file(tmp_path, "html_missed", "max_kept_words = 0")])
    assert "story number 11" not in off.clean(page, html=True).text


def test_sibling_sections_that_score_join_the_container(cleaner: Cleaner, tmp_path: Path) -> None:
    # the link list makes the shared parent score below the first section
    links = "".join(f"<li><a href='/t{i}'>Another page of this site, number {i}</a></li>" for i in range(20))
    page = (f"<html><body><div class='page'><section>{para('harbour', 4)}</section>"
            f"<section>{para('second', 2)}</section><ul>{links}</ul></div></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "harbour report, part 4" in text and "second report, part 2" in text
    off = Cleaner(rules=[settings_file(tmp_path, "html_container", "sibling_share = 0")])
    assert "second report" not in off.clean(page, html=True).text


def test_figcaption_is_dropped_by_default_and_kept_on_request(cleaner: Cleaner, tmp_path: Path) -> None:
    page = (f"<html><body><article>{para('harbour', 2)}<figure><img src='a.jpg'>"
            f"<figcaption>The harbour at dawn. Photo: A. Person</figcaption></figure>{para('tail')}"
            f"</article></body></html>")
    result = cleaner.clean(page, html=True)
    assert "harbour at dawn" not in result.text
    assert "html.caption" in {r.reason for r in result.removed}
    keep = Cleaner(rules=[settings_file(tmp_path, "html_caption", "drop_figcaption = false")])
    assert "harbour at dawn" in keep.clean(page, html=True).text


def test_the_headline_anchors_the_article_with_its_standfirst(cleaner: Cleaner, tmp_path: Path) -> None:
    page = ("<html><head><title>Harbour reopens after two years | The Gazette</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/n'>News</a></nav>"
            "<div class='story'><h1>Harbour reopens after two years</h1><p class='standfirst'>The old quay is "
            "back in use, and the fishing boats with it.</p>"
            f"<div class='article-body'>{para('harbour', 4)}</div></div>"
            f"<div class='links'>{''.join(f'<a href=/x{i}>Other story {i}</a> ' for i in range(12))}</div>"
            "</body></html>")
    text = cleaner.clean(page, html=True).text
    assert "The old quay is back in use" in text
    assert not text.startswith("Harbour reopens")  # the headline itself is the title, on the side
    off = Cleaner(rules=[settings_file(tmp_path, "html_container", "lead_blocks = 0")])
    assert "The old quay" not in off.clean(page, html=True).text


def test_reader_comments_never_become_the_article_however_long(cleaner: Cleaner, tmp_path: Path) -> None:
    comments = "".join(f"<li><p>Reader {i} says: I really enjoyed reading this and I think "
                       f"the council should also look at the bus timetable, which has not changed for years "
                       f"and no longer fits anyone's working hours.</p></li>" for i in range(12))
    page = (f"<html><body><div class='post'>{para('harbour', 2)}</div>"
            f"<ol class='commentlist'>{comments}</ol></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "harbour report, part 2" in text and "Reader 3 says" not in text
    off = Cleaner(rules=[settings_file(tmp_path, "html_boilerplate_class", "talk_prefixes = []")])
    assert "Reader 3 says" in off.clean(page, html=True).text


def test_a_long_paragraph_in_a_caption_named_wrapper_is_the_articles(cleaner: Cleaner, tmp_path: Path) -> None:
    lead = ("<p class='wp-caption-text'>" + "So are you better off than you were four years ago? " * 8 + "</p>")
    page = (f"<html><body><article><div class='feat-image-with-caption'><img src='a.jpg'>{lead}</div>"
            f"<p class='wp-caption-text'>Photo: A. Person</p>{para('harbour', 2)}</article></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "better off than you were" in text and "Photo: A. Person" not in text
    off = Cleaner(rules=[settings_file(tmp_path, "html_caption", "max_chars = 100000\nbackup_share = 1.0")])
    assert "better off than you were" not in off.clean(page, html=True).text


def test_a_code_sample_showing_markup_stays(cleaner: Cleaner) -> None:
    page = (f"<html><body><article>{para('harbour', 2)}<pre>&lt;script src=\"app.js\"&gt;&lt;/script&gt;</pre>"
            f"{para('tail')}</article></body></html>")
    assert '<script src="app.js"></script>' in cleaner.clean(page, html=True).text


def test_a_long_heading_before_a_list_of_links_is_the_articles(cleaner: Cleaner) -> None:
    dek = "The once-ubiquitous form of lighting was novel when it first emerged, and it still is"
    share = "".join(f"<li><a href='/s{i}'>Share {i}</a></li>" for i in range(5))
    page = (f"<html><body><article><h1>Neon</h1><h2>{dek}</h2><div><ul>{share}</ul></div>"
            f"<section>{para('harbour', 3)}</section></article></body></html>")
    text = cleaner.clean(page, html=True).text
    assert dek in text and "Share 3" not in text


def test_a_long_sentence_that_is_mostly_one_link_stays(cleaner: Cleaner, tmp_path: Path) -> None:
    linked = ("<p><a href='/report'>The council's full report on the library budget, with the figures "
              "for every branch and every year since 2010,</a> is online.</p>")
    page = (f"<html><body><article>{para('harbour', 2)}{linked}{para('library', 1)}"
            "<p><a href='/a'>Home</a> <a href='/b'>News</a> <a href='/c'>Contact us</a></p>"
            "</article></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "is online." in text and "Contact us" not in text
    off = Cleaner(rules=[settings_file(tmp_path, "html_links", "sentence_words = 0")])
    assert "is online." not in off.clean(page, html=True).text


def test_author_and_donation_boxes_inside_the_article_go(cleaner: Cleaner, tmp_path: Path) -> None:
    box = ("<div class='author-box'><p>Jane Doe writes about harbours and libraries for the paper and "
           "lives by the sea with two cats.</p></div>"
           "<div class='donate-block'><p>Journalism like this costs money to make, so please support "
           "our newsroom with a gift today.</p></div>")
    page = f"<html><body><article>{para('harbour', 3)}{box}</article></body></html>"
    text = cleaner.clean(page, html=True).text
    assert "harbour report, part 3" in text
    assert "Jane Doe writes" not in text and "support our newsroom" not in text
    off = Cleaner(rules=[settings_file(tmp_path, "html_boilerplate_class", 'prefixes = ["comment"]')])
    text = off.clean(page, html=True).text
    assert "Jane Doe writes" in text and "support our newsroom" in text


def test_a_gallery_told_in_captions_keeps_them(cleaner: Cleaner, tmp_path: Path) -> None:
    shots = "".join(f"<div class='wp-caption'><img src='{i}.jpg'><p class='wp-caption-text'>Photo {i}: the parade "
                    f"passes the old harbour, where hundreds of people in costumes waited since noon.</p></div>"
                    for i in range(6))
    page = f"<html><body><article>{para('halloween')}{shots}</article></body></html>"
    assert "Photo 5: the parade" in cleaner.clean(page, html=True).text
    off = Cleaner(rules=[settings_file(tmp_path, "html_caption", "backup_share = 1.0")])
    assert "Photo 5: the parade" not in off.clean(page, html=True).text


def reader_posts(n: int, first: int = 169900) -> str:
    """Reader comments in unnamed wrappers with serial ids, each followed by
    its 'Posted by' line, as old blog engines print them."""
    return "".join(
        f"<div id='c{first + i}'><p>Reader {i} thinks the decision was overdue and says so at length, "
        f"because the Sunday opening hours matter to everyone who works during the week.</p></div>"
        f"<p class='posted'>Posted by: reader{i} at September 10, 2012 11:4{i} AM</p>"
        for i in range(n))


def test_a_list_of_posts_with_serial_ids_inside_the_container_goes(cleaner: Cleaner, tmp_path: Path) -> None:
    page = f"<html><body><div class='content'>{para('harbour', 3)}{reader_posts(12)}</div></body></html>"
    text = cleaner.clean(page, html=True).text
    assert "harbour report, part 3" in text
    assert "Reader 0 thinks" not in text and "Posted by: reader11" not in text
    off = Cleaner(rules=[settings_file(tmp_path, "html_posts", "min_posts = 0")])
    assert "Reader 0 thinks" in off.clean(page, html=True).text


def test_numbered_image_wrappers_between_paragraphs_are_no_post_list(cleaner: Cleaner) -> None:
    # WordPress wraps each image in "attachment_<id>"; the paragraphs between are the article
    shots = "".join(f"<div id='attachment_{2236 + i}'><p class='wp-caption-text'>The old harbour at dawn, "
                    f"picture {i}.</p></div>{para(f'section {i}')}" for i in range(4))
    page = f"<html><body><div class='content'>{para('harbour')}{shots}</div></body></html>"
    text = cleaner.clean(page, html=True).text
    assert "section 3 report, part 1" in text and "section 1 report, part 1" in text


def test_a_forum_thread_of_posts_stays(cleaner: Cleaner) -> None:
    # nothing but posts: the posts are the page
    page = f"<html><body><div class='thread'>{reader_posts(6)}</div></body></html>"
    assert "Reader 5 thinks" in cleaner.clean(page, html=True).text


def test_footnotes_in_an_ordered_list_are_no_post_list(cleaner: Cleaner) -> None:
    notes = "".join(f"<li id='cite_note-{140 + 50 * i}'>Note {i}: the council's minutes of that year record the "
                    f"vote on the Sunday opening hours in full detail.</li>" for i in range(5))
    page = f"<html><body><div class='content'>{para('harbour', 3)}<ol>{notes}</ol></div></body></html>"
    assert "Note 4: the council" in cleaner.clean(page, html=True).text


def test_comments_filling_most_of_the_page_go_even_when_the_backup_fires(cleaner: Cleaner) -> None:
    # the comments hold far more prose than the article: the backup that
    # cancels class verdicts taking nearly all the prose must not bring them back
    comments = "".join(f"<dt>{i}. Reader {i} - August 8, 2012</dt><dd><p>Reader {i} thinks the decision was "
                       f"overdue and says so at length, because Sunday hours matter to working people.</p></dd>"
                       for i in range(20))
    page = (f"<html><body><div id='content'>{para('harbour', 2)}<div id='comments'><dl>{comments}</dl></div>"
            f"</div></body></html>")
    text = cleaner.clean(page, html=True).text
    assert "harbour report, part 2" in text
    assert "Reader 3 thinks" not in text


def test_a_body_split_by_a_figure_into_differently_nested_halves_is_taken_whole(
        cleaner: Cleaner, tmp_path: Path) -> None:
    # the first half sits deeper (under the headline's wrapper) than the second
    first = f"<div class='post-wrapper'><h1>Harbour news</h1><div class='mha'><section class='outer'>" \
            f"<div class='post__content'>{para('opening', 3)}</div></section></div></div>"
    # a strip of links between the halves sinks the element holding both
    figure = "<figure><img src='a.jpg'></figure><ul>" + "".join(
        f"<li><a href='/t{i}'>Another topic of this site {i}</a></li>" for i in range(20)) + "</ul>"
    second = f"<section class='outer'><div class='post__content'>{para('harbour', 5)}</div></section>"
    after = f"<div class='next'><section class='outer'><div class='post__content'>{para('next story', 2)}" \
            f"</div></section></div>"
    page = f"<html><body><div id='app'><div class='acf'>{first}{figure}{second}</div>{after}</div></body></html>"
    text = cleaner.clean(page, html=True).text
    assert "opening report, part 3" in text and "harbour report, part 5" in text
    off = Cleaner(rules=[settings_file(tmp_path, "html_body_marker", "alike_levels = 0")])
    assert "opening report, part 3" not in off.clean(page, html=True).text

