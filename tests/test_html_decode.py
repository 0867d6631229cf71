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


class _TurkishChardet:
    """What chardet 5 answers for Polish cp1250 text (installed by another package)."""

    @staticmethod
    def detect(_data: bytes) -> dict:
        return {"encoding": "windows-1254", "confidence": 0.55}


def test_the_guess_does_not_depend_on_which_detector_bs4_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    # bs4 asks cchardet or chardet before charset-normalizer (the declared
    # dependency) when some other package installed them
    import bs4.dammit

    monkeypatch.setattr(bs4.dammit, "chardet_module", _TurkishChardet)
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


# -- Markup: the parser's bytes without a round trip through text ---------------

_PIECES = ["<p>", "a", "\x00", "\x0b", "\x1f", "\x7f", "\t\n\r", "é", "€", "😀", "\ud800", " "]


def _texts() -> list[str]:
    """Texts mixing control characters with ASCII, non-ASCII and a lone surrogate."""
    import itertools
    return ["".join(combo) for n in range(4) for combo in itertools.product(_PIECES, repeat=n)]


def test_markup_bytes_are_the_sanitized_text_in_utf8() -> None:
    from declutter.html.decode import Markup, sanitize, sanitize_utf8

    for text in _texts():
        expected = sanitize(text).encode("utf-8", "replace")
        assert Markup(text, None).data == expected
        assert sanitize_utf8(text.encode("utf-8", "replace")) == expected
        assert Markup(text, None).text == sanitize(text)


@pytest.mark.parametrize("data", [
    page(ARTICLE).encode("utf-8"),
    page(ARTICLE + "\x00\x1f").encode("utf-8"),
    b"\xef\xbb\xbf" + page(ARTICLE).encode("utf-8"),
    page(ARTICLE).encode("cp1250"),
    page("plain ASCII \x0c").encode("ascii"),
    page(ARTICLE).encode("utf-8")[:-20] + b"\xc3(",
    "\ufeff".encode("utf-16-le") + page(ARTICLE).encode("utf-16-le"),
])
def test_read_markup_reads_as_to_markup_and_sanitize(data: bytes) -> None:
    from declutter.html.decode import read_markup, sanitize

    text, encoding = to_markup(data)
    markup = read_markup(data)
    assert (markup.text, markup.encoding) == (sanitize(text), encoding)
    assert markup.data == sanitize(text).encode("utf-8", "replace")
    assert read_markup(bytearray(data)).data == markup.data
