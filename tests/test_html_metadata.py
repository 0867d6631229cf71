"""Page metadata from markup: title, date, author, site name, language, canonical URL."""
from __future__ import annotations

from declutter import Cleaner
from declutter.html.metadata import clean_title

BODY = ("<article><h1>Rain returns to the valley</h1><p>After four dry months the first heavy rain fell "
        "on Sunday night, filling the reservoirs to a third of their capacity.</p></article>")


def meta(head: str, html_attrs: str = "", body: str = BODY) -> tuple[str | None, dict]:
    r = Cleaner().clean(f"<html {html_attrs}><head>{head}</head><body>{body}</body></html>", html=True)
    return r.title, r.metadata


def test_open_graph_and_article_meta() -> None:
    title, m = meta(
        '<meta property="og:title" content="Rain returns to the valley">'
        '<meta property="og:site_name" content="Valley Herald">'
        '<meta property="article:published_time" content="2024-03-02T08:00:00Z">'
        '<meta name="author" content="By Ana Ruiz">'
        '<meta property="og:url" content="https://herald.example/rain">', 'lang="en-GB"')
    assert title == "Rain returns to the valley"
    assert m["site_name"] == "Valley Herald"
    assert m["date"] == "2024-03-02T08:00:00Z"
    assert m["author"] == "Ana Ruiz"
    assert m["canonical_url"] == "https://herald.example/rain"
    assert m["language"] == "en"


def test_json_ld_article() -> None:
    ld = ('<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle",'
          '"headline":"Rain returns","datePublished":"2024-03-02","author":[{"@type":"Person","name":"Ana Ruiz"},'
          '{"@type":"Person","name":"Tom Lee"}],"publisher":{"@type":"Organization","name":"Valley Herald"}}]}</script>')
    _, m = meta(ld)
    assert m["date"] == "2024-03-02"
    assert m["author"] == "Ana Ruiz, Tom Lee"
    assert m["site_name"] == "Valley Herald"


def test_title_from_title_element_minus_site_name() -> None:
    title, _ = meta('<title>Rain returns to the valley | Valley Herald</title>'
                    '<meta property="og:site_name" content="Valley Herald">', body=BODY.replace("<h1>", "<h2>").replace("</h1>", "</h2>"))
    assert title == "Rain returns to the valley"
    assert clean_title("Rain returns to the valley – Herald", None) == "Rain returns to the valley"
    assert clean_title("Only a headline", None) == "Only a headline"


def test_title_from_h1_when_it_matches_the_title_element() -> None:
    title, _ = meta("<title>Rain returns to the valley - Valley Herald</title>")
    assert title == "Rain returns to the valley"


def test_canonical_link_and_time_element() -> None:
    body = BODY.replace("</h1>", "</h1><time datetime='2024-03-03'>March 3</time>")
    _, m = meta('<link rel="Canonical" href="https://herald.example/c">', body=body)
    assert m["canonical_url"] == "https://herald.example/c"
    assert m["date"] == "2024-03-03"


def test_absent_facts_are_absent() -> None:
    _, m = meta("")
    assert "date" not in m and "author" not in m and "site_name" not in m and "canonical_url" not in m


def test_title_copy_in_the_body_is_dropped_as_title() -> None:
    r = Cleaner().clean(f"<html><head><title>Rain returns to the valley</title></head><body>{BODY}</body></html>",
                        html=True)
    assert r.text.startswith("After four dry months")
    assert [v.reason for b, v in zip(r.blocks, r.verdicts) if b.tag == "h1"] == ["html.title"]


def test_one_walk_finds_what_the_xpath_queries_found() -> None:
    # page_metadata reads <meta>, <title>, <h1>, <link>, <script> and <time>
    # from one walk of the tree; the XPath queries it replaced are the reference
    from lxml import etree

    from declutter.html.dom import parse
    from declutter.html.metadata import page_metadata

    heads = [
        '<link rel="alternate" href="https://a.example/amp"><link rel="Alternate CANONICAL" href=" https://a.example/x ">',
        '<link rel="canonical\tx" href="https://a.example/tab"><link rel="canonical"><link rel="canonical" href="">',
        '<title>First | Site</title><title>Second</title><meta content="no key"><meta name="author">'
        '<meta name="Author" content="Ana Ruiz">',
        '<script type="Application/LD+JSON">{"@type": "NewsArticle", "datePublished": "2024-05-01"}</script>'
        '<script type="ld+json-ish">{"@type": "Report", "headline": "Not this one"}</script>',
    ]
    bodies = ["<time>no date</time><time datetime=' 2023-01-02 '>x</time><h1>One</h1>",
              "<h1>One</h1><h1>Two</h1><p itemprop='author'>Bo Li</p><meta itemprop='datePublished' content='x'>",
              "<span itemprop='datePublished' content='2022-02-02'>d</span>"]
    for head in heads:
        for body in bodies:
            root = parse(f"<html><head>{head}</head><body>{body}</body></html>").root
            assert root is not None
            got = page_metadata(root)
            canonical = etree.XPath("//link[@href][contains(concat(' ', translate(@rel, 'CANONIL', 'canonil'), ' '),"
                                    " ' canonical ')]/@href")(root)
            if canonical and canonical[0].strip():
                assert got["canonical_url"] == canonical[0].strip()
            else:
                assert "canonical_url" not in got
            titles, h1s = etree.XPath("(//title)[1]")(root), etree.XPath("//h1")(root)
            if "title" in got and not titles and "<script" not in head:
                assert len(h1s) == 1 and got["title"] == h1s[0].text
            times = etree.XPath("(//time[@datetime])[1]/@datetime")(root)
            if "datePublished" not in head + body and times:
                assert got["date"] == times[0].strip()
            if "LD+JSON" in head and "datePublished" not in body:
                # contains(), as XPath's: "ld+json-ish" is JSON-LD too
                assert got["date"] == "2024-05-01" and got["title"] == "Not this one"
            if "Ana Ruiz" in head:
                assert got["author"] == "Ana Ruiz" and got["title"] == "First"
