"""Turn what a caller hands us (bytes, str, or a BeautifulSoup object) into text.

Bytes are decoded the way browsers do it: a byte-order mark wins, then the
charset the transport declared (HTTP ``Content-Type``), then the ``<meta>``
charset in the document, then a guess (charset-normalizer's, through bs4's
``UnicodeDammit``). One departure: bytes that are valid UTF-8 are read as
UTF-8 whatever the page declares (a wrong declaration is far likelier than
legacy text that happens to be valid UTF-8). A declared charset that is
unknown, or that the bytes contradict, is skipped rather than trusted; the
last resort decodes with replacement characters. Nothing here raises on bad
input.
"""
from __future__ import annotations

import codecs
import logging
import re
import warnings

__all__ = ["Markup", "decode_html", "read_markup", "sanitize", "sanitize_utf8", "to_markup"]

# bs4 logs "Some characters could not be decoded" when it falls back to
# replacement characters; without a handler Python would print that on
# stderr. Replacement is documented behaviour here, not news: keep it quiet
# (an application that configures logging still sees it).
logging.getLogger("bs4.dammit").addHandler(logging.NullHandler())

# WHATWG "encoding labels": labels browsers treat as another encoding.
_ALIASES = {
    "iso-8859-1": "windows-1252", "iso8859-1": "windows-1252", "latin1": "windows-1252",
    "latin-1": "windows-1252", "l1": "windows-1252", "ascii": "windows-1252",
    "us-ascii": "windows-1252", "iso-8859-9": "windows-1254", "iso-8859-11": "windows-874",
    "tis-620": "windows-874", "x-sjis": "shift_jis", "gb2312": "gb18030", "gbk": "gb18030",
    "x-gbk": "gb18030", "ks_c_5601-1987": "euc-kr", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    # a <meta> that claims UTF-16 in a document we could read as ASCII is wrong (WHATWG: use UTF-8)
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
}

_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)
# C0 controls other than tab, LF, CR (and DEL): libxml2 refuses or truncates on them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_CHARS = "".join(map(chr, (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)))
# the same characters as UTF-8 bytes (each one ASCII byte, a byte no other
# character's UTF-8 holds), and a table making each a space
_CONTROL_BYTES = _CONTROL_CHARS.encode("ascii")
_CONTROL_TO_SPACE = bytes.maketrans(_CONTROL_BYTES, b" " * len(_CONTROL_BYTES))


def _codec(label: str | None, declared: bool = True) -> str | None:
    """The Python codec name for an encoding label, or None if unknown.
    Declared labels are read as browsers read them (see _ALIASES)."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if declared:
        label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):
        return None


def _charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HTTP_CHARSET.search(content_type)
    return m.group(1) if m else None


def byte_order_mark(data: bytes) -> tuple[bytes, str | None]:
    """The bytes without a byte-order mark, and the encoding the mark names
    (None: no mark). The marks, and their order, are bs4's EncodingDetector's:
    done here because importing bs4 takes about 0.1 s, which a page in UTF-8
    need not pay."""
    head = data[:4]
    if len(head) == 4 and head[2:] != b"\x00\x00":
        if head[:2] == b"\xfe\xff":
            return data[2:], "utf-16be"
        if head[:2] == b"\xff\xfe":
            return data[2:], "utf-16le"
    if head[:3] == b"\xef\xbb\xbf":
        return data[3:], "utf-8"
    if head == b"\x00\x00\xfe\xff":
        return data[4:], "utf-32be"
    if head == b"\xff\xfe\x00\x00":
        return data[4:], "utf-32le"
    return data, None


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode HTML bytes; return ``(text, encoding_used)``. Never raises."""
    # 1. byte-order mark
    stripped, bom_encoding = byte_order_mark(data)
    if bom_encoding:
        codec = _codec(bom_encoding, declared=False) or "utf-8"
        return stripped.decode(codec, "replace"), codec
    text = _valid_utf8(data)
    if text is not None:
        return text, "utf-8"
    # Only pages not in UTF-8 (or in plain ASCII) need bs4's charset readers.
    from bs4.dammit import EncodingDetector, UnicodeDammit

    # 2. transport charset, 3. <meta> charset (within the first KBs, as browsers prescan)
    tried = {"utf-8"}
    for label in (_charset_from_content_type(content_type),
                  EncodingDetector.find_declared_encoding(data[:4096], is_html=True)):
        found = _codec(label)
        if found is None or found in tried:
            continue
        tried.add(found)
        try:
            return data.decode(found), found
        except UnicodeDecodeError:
            continue  # the bytes contradict the declaration: keep looking
    # 4. a guess: charset-normalizer's, tried first; bs4 alone would ask
    # cchardet or chardet first whenever some other package installed them,
    # so the guess would change with the environment (chardet 5 reads Polish
    # cp1250 as Turkish windows-1254)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dammit = UnicodeDammit(data, known_definite_encodings=_guess(data), is_html=True)
        if dammit.unicode_markup is not None and dammit.original_encoding:
            return dammit.unicode_markup, str(dammit.original_encoding)
    except Exception:  # a guesser must never take the page down
        pass
    return data.decode("windows-1252", "replace"), "windows-1252"


def _valid_utf8(data: bytes) -> str | None:
    """The text of bytes that are valid UTF-8 and not plain ASCII, else None.
    Such bytes are UTF-8 whatever the page declares: legacy text is valid
    UTF-8 by accident almost never, while pages that declare a legacy
    charset and are UTF-8 are common. (Asked after the byte-order mark.)"""
    if data.isascii():
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _guess(data: bytes) -> list[str]:
    """charset-normalizer's guess at the encoding of DATA (a declared
    dependency), as a list of at most one codec name."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return [best.encoding] if best is not None else []


def sanitize(text: str) -> str:
    """Turn control characters (NUL included), which the HTML parser cannot
    take, into spaces: dropped, they would join the words beside them
    ("prose\x00with" -> "prosewith"); as spaces they collapse like any other."""
    # one scan per character (`in`, a fast search in C) is some times
    # faster than the regex's character class over a whole page
    if any(c in text for c in _CONTROL_CHARS):
        return _CONTROL.sub(" ", text)
    return text


def sanitize_utf8(data: bytes) -> bytes:
    """`sanitize` on UTF-8 bytes: sanitize(t).encode() == sanitize_utf8(t.encode()),
    as the control characters are ASCII. A few scans for one byte each (memchr)
    are several times faster than `sanitize` on the decoded text."""
    if any(c in data for c in _CONTROL_BYTES):
        return data.translate(_CONTROL_TO_SPACE)
    return data


class Markup:
    """A page's markup, decoded and sanitized (control characters made
    spaces), in the two forms the HTML path reads: UTF-8 bytes for the
    parser (`data`), text for the steps that read the markup itself
    (`text`, which only a page needing a fallback asks for). `encoding` is
    the charset its bytes were read in (None when the caller gave text).
    Each form is made from the page when first asked for."""

    __slots__ = ("_data", "_raw", "_text", "_utf8", "encoding")

    def __init__(self, raw: str, encoding: str | None, utf8: bytes | None = None) -> None:
        self._raw = raw  # as decoded, not sanitized
        self._utf8 = utf8  # the page's own bytes when they are `raw` in UTF-8
        self.encoding = encoding
        self._data: bytes | None = None
        self._text: str | None = None

    @property
    def data(self) -> bytes:
        if self._data is None:
            raw = self._utf8 if self._utf8 is not None else self._raw.encode("utf-8", "replace")
            self._data = sanitize_utf8(raw)
        return self._data

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = sanitize(self._raw)
        return self._text


def read_markup(page: object, content_type: str | None = None) -> Markup:
    """`to_markup`'s reading of a page, as Markup. A page in UTF-8 (no
    byte-order mark) goes to the parser as its own bytes: decoding it only
    checks that it is UTF-8, and encoding it again would give those bytes."""
    if isinstance(page, (bytes, bytearray, memoryview)):
        data = bytes(page)
        if byte_order_mark(data)[1] is None:
            text = _valid_utf8(data)
            if text is not None:
                return Markup(text, "utf-8", data)
    return Markup(*to_markup(page, content_type))


def to_markup(page: object, content_type: str | None = None) -> tuple[str, str | None]:
    """Accept str, bytes/bytearray/memoryview or a BeautifulSoup object; return
    ``(markup, encoding)`` where encoding is None when the caller gave text."""
    if isinstance(page, str):
        return page, None
    if isinstance(page, (bytes, bytearray, memoryview)):
        return decode_html(bytes(page), content_type)
    # bs4 objects (BeautifulSoup, Tag) render back to markup with str()
    if type(page).__module__.startswith("bs4"):
        return str(page), None
    raise TypeError(f"expected str, bytes or a BeautifulSoup object, got {type(page).__name__}")
