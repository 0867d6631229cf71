"""Bad HTML never gives a traceback. Each case has a documented outcome:

- truncated document, no <body>, NUL bytes: cleaned like any page
- empty page, a page that is only a script, a frameset: empty text, no error
- nesting deeper than libxml2 keeps (it drops *all* text then): detected, the
  page is flattened to text and cleaned in text mode; metadata["warnings"]
  and metadata["html_fallback"] == "html.too-deep" say so
- a 50 MB page: cleaned (slowly), nothing lost
- binary data: InputError ("input is binary data"), exit status 1 in the CLI
"""
from __future__ import annotations

import pytest

from declutter import Cleaner, InputError

PARA = ("The council approved the budget for the new library after a long debate, "
        "and building work will start in the spring.")


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def test_truncated_document(cleaner: Cleaner) -> None:
    page = f"<html><head><title>T</title></head><body><div class='post'><p>{PARA}</p><p>Second para"
    assert cleaner.clean(page, html=True).text == f"{PARA}\n\nSecond para"


def test_no_body_and_no_html_element(cleaner: Cleaner) -> None:
    assert cleaner.clean(f"<p>{PARA}</p>", html=True).text == PARA
    assert cleaner.clean(f"<title>x</title><div><p>{PARA}</p></div>", html=True).text == PARA


@pytest.mark.parametrize("page", [
    "", "   \n ", "<html></html>", "<!doctype html>",
    "<html><head><script>document.write('hello world, a long line of script')</script></head></html>",
    "<script>var a = 1;</script><style>p { color: red }</style>",
    "<html><frameset cols='50%,50%'><frame src='a.html'><frame src='b.html'></frameset></html>",
])
def test_pages_without_visible_text_give_empty_text(cleaner: Cleaner, page: str) -> None:
    result = cleaner.clean(page, html=True)
    assert result.text == ""


def test_frameset_noframes_text_is_read(cleaner: Cleaner) -> None:
    page = f"<html><frameset><frame src='a.html'><noframes><body><p>{PARA}</p></body></noframes></frameset></html>"
    assert cleaner.clean(page, html=True).text == PARA


def test_nul_bytes_are_removed(cleaner: Cleaner) -> None:
    page = f"<html><body><article><p>{PARA[:20]}\x00{PARA[20:]}</p></article></body></html>"
    assert cleaner.clean(page.encode(), html=True).text == PARA
    assert cleaner.clean(page, html=True).text == PARA


def test_deep_nesting_is_detected_and_no_text_is_lost(cleaner: Cleaner) -> None:
    depth = 100_000
    page = ("<html><body><p>" + PARA + "</p>" + "<div>" * depth + "<p>Deep inside the page there is a "
            "sentence that must survive the nesting.</p>" + "</div>" * depth + "</body></html>")
    result = cleaner.clean(page, html=True)
    assert "Deep inside the page there is a sentence that must survive the nesting." in result.text
    assert PARA in result.text
    assert result.metadata["html_fallback"] == "html.too-deep"
    assert result.metadata["warnings"]


def test_moderate_nesting_stays_on_the_html_path(cleaner: Cleaner) -> None:
    page = "<html><body>" + "<div>" * 1000 + f"<p>{PARA}</p>" + "</div>" * 1000 + "</body></html>"
    result = cleaner.clean(page, html=True)
    assert result.text == PARA
    assert "html_fallback" not in result.metadata


def test_fifty_megabyte_page(cleaner: Cleaner) -> None:
    para = f"<p>{' '.join([PARA] * 40)}</p>\n"  # long paragraphs: the test is about size
    count = 50_000_000 // len(para) + 1
    page = ("<html><body><article>" + para * count + "</article></body></html>").encode()
    assert len(page) > 50_000_000
    result = cleaner.clean(page, html=True)
    assert result.text.count(PARA) == count * 40


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 64,
    b"\x00\x01\x02\x03" * 5000,
    b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 300,
])
def test_binary_garbage_is_an_input_error(cleaner: Cleaner, data: bytes) -> None:
    with pytest.raises(InputError, match="binary"):
        cleaner.clean(data, html=True)


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 64,
    b"<p>" + b"\x00" * 2000 + PARA.encode(),
    "\ufeff".encode("utf-16-le") + f"<p>{PARA}</p>".encode("utf-16-le"),  # NULs, but a BOM: text
    f"<p>{PARA}</p>".encode() + b"\x01" * 8,
])
def test_html_mode_and_the_cli_share_one_binary_detector(cleaner: Cleaner, data: bytes) -> None:
    from declutter.sniff import BINARY_MESSAGE, looks_binary

    if looks_binary(data):
        with pytest.raises(InputError, match=BINARY_MESSAGE):
            cleaner.clean(data, html=True)
    else:
        assert PARA in cleaner.clean(data, html=True).text


def test_garbage_text_does_not_crash(cleaner: Cleaner) -> None:
    junk = "<<<>>><div<<p>>&&&#xZZZ;&#99999999;</p></div <b><i></b></i>< / >" * 200
    assert isinstance(cleaner.clean(junk, html=True).text, str)


def test_lone_surrogates_do_not_crash(cleaner: Cleaner) -> None:
    page = f"<html><body><p>{PARA} \ud800 end</p></body></html>"
    assert isinstance(cleaner.clean(page, html=True).text, str)


def test_a_page_nested_too_deep_is_cleaned_with_the_cleaners_own_options() -> None:
    # the text-mode fallback used to build a second Cleaner that lost
    # full_reasons: a rule's id then read signal.outside-body
    filler = "".join(f"<p>Section {i}</p>" for i in range(40))
    depth = 5000
    page = ("<html><body><p>Advertisement</p>" + filler + "".join(f"<p>{PARA} Part {i}.</p>" for i in range(4))
            + "<div>" * depth + "<p>Deep inside.</p>" + "</div>" * depth + "</body></html>")
    for full_reasons, reason in ((False, "signal.outside-body"), (True, "ads.label")):
        result = Cleaner(full_reasons=full_reasons).clean(page, html=True)
        assert result.metadata["html_fallback"] == "html.too-deep"
        assert next(v.reason for b, v in zip(result.blocks, result.verdicts) if b.text == "Advertisement") == reason


def test_looks_binary_counts_control_bytes_as_the_regex_did() -> None:
    import random
    import re

    from declutter.sniff import looks_binary

    binary = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
    rng = random.Random(7)
    for _ in range(2000):
        head = bytes(rng.choice((0, 5, 9, 13, 27, 31, 65, 200)) for _ in range(rng.randrange(0, 60)))
        expected = bool(head) and len(binary.findall(head)) > len(head) * 0.1
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            expected = False
        assert looks_binary(head) == expected, head
