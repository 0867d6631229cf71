"""Decoding HTML bytes as browsers do: BOM, transport charset, <meta>, guess."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from declutter import Cleaner
from declutter.html.decode import decode_html, to_markup

ARTICLE = "Grüße aus Köln: die Straßenbahn fährt wieder über die Brücke, sagt die Stadt."


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><article><p>{body}</p></article></body></html>"


def test_utf8_bom_wins_over_a_wrong_meta() -> None:
    data = b"\xef\xbb\xbf" + page(ARTICLE, '<meta charset="iso-8859-1">').encode("utf-8")
    text, encoding = decode_html(data)
    assert ARTICLE in text and encoding == "utf-8"


def test_utf16_bom() -> None:
    data = "\ufeff".encode("utf-16-le") + page(ARTICLE).encode("utf-16-le")
    text, _ = decode_html(data)
    assert ARTICLE in text


def test_meta_charset_is_used() -> None:
    data = page(ARTICLE, '<meta charset="iso-8859-1">').encode("cp1252")
    text, encoding = decode_html(data)
    assert ARTICLE in text
    assert encoding == "cp1252"  # browsers read the label iso-8859-1 as windows-1252


def test_http_equiv_content_type() -> None:
    data = page("Привет, мир! Это страница в старой кодировке.",
                '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">').encode("cp1251")
    assert "Привет, мир!" in decode_html(data)[0]


def test_transport_charset_beats_meta() -> None:
    data = page("Привет", '<meta charset="utf-8">').encode("koi8-r")
    text, encoding = decode_html(data, content_type="text/html; charset=KOI8-R")
    assert "Привет" in text and encoding == "koi8-r"


def test_wrong_meta_charset_falls_back_to_utf8() -> None:
    data = page(ARTICLE, '<meta charset="shift_jis">').encode("utf-8")
    assert ARTICLE in decode_html(data)[0]


def test_unknown_charset_label_is_ignored() -> None:
    data = page(ARTICLE, '<meta charset="x-no-such-charset">').encode("utf-8")
    assert ARTICLE in decode_html(data)[0]


def test_undeclared_legacy_encoding_is_guessed() -> None:
    text = "Zażółć gęślą jaźń — to zdanie zawiera wszystkie polskie litery diakrytyczne. " * 5
    data = page(text).encode("cp1250")
    decoded, _ = decode_html(data)
    assert "Zażółć gęślą jaźń" in decoded


def test_the_guess_does_not_depend_on_which_detector_bs4_found(monkeypatch: pytest.MonkeyPatch) -> None:
    # bs4 asks chardet before charset-normalizer when both are installed
    # (readability-lxml, a bench extra, pulls chardet in), and chardet reads
    # this Polish cp1250 page as windows-1252: a detector answering so must not win
    import bs4.dammit

    monkeypatch.setattr(bs4.dammit, "_chardet_dammit", lambda data: "windows-1252")
    text = "Zażółć gęślą jaźń — to zdanie zawiera wszystkie polskie litery diakrytyczne. " * 5
    decoded, encoding = decode_html(page(text).encode("cp1250"))
    assert "Zażółć gęślą jaźń" in decoded and encoding == "cp1250"


def test_invalid_bytes_never_raise() -> None:
    data = page(ARTICLE).encode("utf-8") + b"\xff\xfe\x80\x81 trailing"
    decoded, _ = decode_html(data[:-20] + b"\xc3(")  # a broken UTF-8 sequence
    assert isinstance(decoded, str)


def test_str_and_bytes_give_the_same_result(cleaner: Cleaner) -> None:
    html = page(ARTICLE, '<meta charset="utf-8">')
    assert cleaner.clean(html, html=True).text == cleaner.clean(html.encode("utf-8"), html=True).text == ARTICLE


def test_beautifulsoup_object_is_accepted(cleaner: Cleaner) -> None:
    soup = BeautifulSoup(page(ARTICLE), "html.parser")
    assert to_markup(soup)[0].startswith("<html>")
    assert cleaner.clean(soup).text == ARTICLE  # detected as HTML


def test_other_types_are_a_type_error(cleaner: Cleaner) -> None:
    with pytest.raises(TypeError):
        cleaner.clean(12345, html=True)


MARKS = [b"", b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\xef\xbb",
         b"\xfe", b"\x00\x00"]


@pytest.mark.parametrize("mark", MARKS)
@pytest.mark.parametrize("rest", [b"", b"\x00", b"\x00\x00", b"<", b"<p>x</p>", b"\x00\x00<\x00"])
def test_byte_order_marks_read_as_bs4_reads_them(mark: bytes, rest: bytes) -> None:
    # declutter reads the mark itself, so that UTF-8 pages need not import bs4.
    from bs4.dammit import EncodingDetector

    from declutter.html.decode import byte_order_mark

    assert byte_order_mark(mark + rest) == EncodingDetector.strip_byte_order_mark(mark + rest)
