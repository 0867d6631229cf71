"""What a page's bytes hold before they are cleaned: binary data, a gzip or
zstd page, or a corpus (JSON Lines, WARC/WET) given where a page was expected.

One detector of binary data for every mode: the command line asks it before
cleaning a page, whatever --text/--html says."""
from __future__ import annotations

import io
from typing import Any, Protocol

import regex

from .errors import InputError

__all__ = [
    "BINARY_MESSAGE", "GZIP_MAGIC", "ZSTD_MAGIC", "compression", "corpus_kind", "is_html_input", "looks_binary",
    "looks_like_html", "page_bytes",
]

BINARY_MESSAGE = "input is binary data, not an HTML or text page"
# bytes that never occur in text: a page made of them is binary data
_BINARY = bytes((*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)))
_HEAD = 8192
# the magic numbers that open a gzip member and a zstd frame (streams read them too)
GZIP_MAGIC, ZSTD_MAGIC = b"\x1f\x8b", b"\x28\xb5\x2f\xfd"


def looks_binary(data: bytes | bytearray | memoryview) -> bool:
    """True when more than a tenth of the first 8 KiB are control bytes that
    text never holds (UTF-16 with a byte-order mark excepted: NULs are expected)."""
    head = bytes(data[:_HEAD])
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    # counted as what deleting them takes away (a table lookup per byte, in C)
    return bool(head) and len(head) - len(head.translate(None, _BINARY)) > len(head) * 0.1


def compression(data: bytes) -> str | None:
    """"gzip" or "zstd" by the magic number, else None."""
    if data.startswith(GZIP_MAGIC):
        return "gzip"
    if data.startswith(ZSTD_MAGIC):
        return "zstd"
    return None


def corpus_kind(data: bytes) -> str | None:
    """"warc" for WARC/WET records, "jsonl" for lines of JSON objects, else None."""
    head = bytes(data[:_HEAD]).removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"WARC/"):
        return "warc"
    first = head.split(b"\n", 1)[0].rstrip()
    if first.startswith(b"{") and (first.endswith(b"}") or len(first) == len(head)):
        return "jsonl"
    return None


def page_bytes(data: bytes, limit: int | None = None) -> bytes:
    """The page a file's bytes hold: gzip and zstd are opened (at most LIMIT
    bytes kept, so a small file cannot expand without bound). Raises
    InputError for binary data, a damaged or unreadable compressed page, and a
    compressed corpus (which wants --jsonl or --warc)."""
    kind = compression(data)
    if kind is not None:
        data = _decompress(data, kind, limit)
        corpus = corpus_kind(data)
        if corpus == "jsonl":
            raise InputError(f"input is {kind}-compressed JSON Lines, not a page: use --jsonl")
        if corpus == "warc":
            raise InputError(f"input is {kind}-compressed WARC/WET, not a page: use --warc")
    if looks_binary(data):
        raise InputError(BINARY_MESSAGE)
    return data


def _decompress(data: bytes, kind: str, limit: int | None) -> bytes:
    if kind == "gzip":
        import gzip
        import zlib

        try:
            return _read(gzip.GzipFile(fileobj=io.BytesIO(data)), limit)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"damaged gzip data: {exc}") from None
    try:
        import zstandard
    except ImportError:
        raise InputError("input is zstd-compressed: reading it needs zstandard "
                         "(pip install 'declutter[zstd]')") from None
    try:
        return _read(zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)), limit)
    except zstandard.ZstdError as exc:
        raise InputError(f"damaged zstd data: {exc}") from None


class _Reader(Protocol):
    """What _read needs of a decompressing stream (gzip.GzipFile, a zstd stream reader)."""

    def read(self, size: int, /) -> bytes: ...


def _read(fh: _Reader, limit: int | None) -> bytes:
    """All of FH, or its first LIMIT + 1 bytes (enough for the size limit to see the page is over)."""
    out = io.BytesIO()
    while limit is None or out.tell() <= limit:
        chunk = fh.read(1 << 20 if limit is None else min(1 << 20, limit + 1 - out.tell()))
        if not chunk:
            break
        out.write(chunk)
    return out.getvalue()


_HTML_START = regex.compile(
    r"\A[\s\ufeff]*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|table|script|link)\b",
    regex.IGNORECASE | regex.DOTALL,
)


def looks_like_html(text: str) -> bool:
    """True when a page starts like an HTML document (doctype or a common tag)."""
    return bool(_HTML_START.match(text[:4096]))


def is_html_input(page: Any) -> bool:
    """Whether a page given as str, bytes or a BeautifulSoup object is HTML."""
    if isinstance(page, str):
        return looks_like_html(page)
    if isinstance(page, (bytes, bytearray, memoryview)):
        return looks_like_html(bytes(page[:4096]).decode("utf-8", "replace"))
    return type(page).__name__ == "BeautifulSoup"
