"""WARC and WET records: framing in the reading process, parsing in the workers.

Why a framing layer on top of the WARC library: measured on the broken Common
Crawl fragments in shared/samples/wet, both maintained readers lose records
silently. fastwarc stops at the first damaged header (a file that starts
mid-record yields nothing) and reports a truncated record's length as the bytes
it got, so a cut record looks intact; warcio refuses whole-file gzip (the WET
fragments) and also stops at the first bad header. The brief is "every intact
record kept, every broken one reported", so this module only finds record
boundaries (version line, header block, Content-Length, the CRLF CRLF that
must follow) and re-synchronises on the next ``WARC/1.x`` line after damage.
Each framed record is then parsed by fastwarc (WARC headers, HTTP status and
headers, chunked transfer and content encodings, charset) in the worker.

A record is intact when its header block is complete, its Content-Length is
valid, all its content bytes are there, it is followed by the record separator
(or the end of the input) and, when it carries a WARC-Block-Digest, the digest
matches. Anything else becomes an error record naming what is wrong.
"""
from __future__ import annotations

import base64
import codecs
import enum
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

MAX_HEADER = 64 << 10  # bytes of WARC header block before it is junk
MAX_LINE = 64 << 10
#: a record whose Content-Length says more is not read into memory: its bytes
#: are skipped up to the next version line (a length that large is damage, or
#: a payload no page is made of: video, disk images)
MAX_CONTENT = 256 << 20
READ_CHUNK = 1 << 20  # content is read in pieces: memory follows the bytes there, not the header
_VERSION_PREFIX = b"WARC/"
#: record types that hold a page; the others (warcinfo, request, metadata,
#: revisit, continuation) are not pages and produce no output record
PAGE_TYPES = {"response", "resource", "conversion"}


@dataclass(slots=True)
class Framed:
    """One framed WARC record (or a damaged region) as it goes to a worker."""

    offset: int                  # byte offset in the decompressed input
    head: bytes                  # version line + header block + blank line
    content: bytes               # the record's content block
    headers: dict[str, str]      # WARC headers, lower-cased names
    problem: str | None = None   # why the record is not intact

    @property
    def size(self) -> int:
        return len(self.head) + len(self.content)

    @property
    def warc_type(self) -> str:
        return self.headers.get("warc-type", "")


class _Pushback:
    """A binary reader with readline/read and the ability to push bytes back."""

    def __init__(self, stream: io.BufferedReader) -> None:
        self.s = stream
        self.buf = b""
        self.pos = 0  # offset of the next byte handed out

    def readline(self, limit: int = MAX_LINE) -> bytes:
        if self.buf:
            i = self.buf.find(b"\n", 0, limit)
            if i >= 0:
                line, self.buf = self.buf[: i + 1], self.buf[i + 1:]
            elif len(self.buf) >= limit:
                line, self.buf = self.buf[:limit], self.buf[limit:]
            else:
                line, self.buf = self.buf, b""
                line += self.s.readline(limit - len(line))
        else:
            line = self.s.readline(limit)
        self.pos += len(line)
        return line

    def read(self, n: int) -> bytes:
        """Up to n bytes, read in bounded pieces: n comes from a header, and a
        damaged one may claim far more than the input holds."""
        head, self.buf = self.buf[:n], self.buf[n:]
        parts = [head]
        got = len(head)
        while got < n:
            piece = self.s.read(min(n - got, READ_CHUNK))
            if not piece:
                break
            parts.append(piece)
            got += len(piece)
        data = b"".join(parts) if len(parts) > 1 else head
        self.pos += len(data)
        return data

    def skip_to_version_line(self) -> int:
        """Drop lines up to the next WARC version line (left unread) or the
        end; returns the number of bytes dropped."""
        skipped = 0
        while True:
            line = self.readline()
            if not line:
                return skipped
            if _is_version_line(line):
                self.unread(line)
                return skipped
            skipped += len(line)

    def unread(self, data: bytes) -> None:
        if data:
            self.buf = data + self.buf
            self.pos -= len(data)


_VERSION = re.compile(rb"WARC/\d\.\d+\r?\n\Z")
_VERSION_IN = re.compile(rb"(?m)^WARC/\d\.\d+\r?$")


def _is_version_line(line: bytes) -> bool:
    """WARC/1.0, WARC/1.1 and the pre-standard WARC/0.17, 0.18 of old Heritrix."""
    return line.startswith(_VERSION_PREFIX) and _VERSION.match(line) is not None


def _parse_header_lines(lines: list[bytes]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for ln in lines:
        name, sep, value = ln.decode("utf-8", "replace").partition(":")
        if sep:
            headers.setdefault(name.strip().lower(), value.strip())
    return headers


def frame_records(stream: io.BufferedReader) -> Iterator[Framed]:
    """Yield every WARC record of a decompressed stream, intact or not, and
    one Framed with a ``problem`` for each stretch of bytes that is no record."""
    r = _Pushback(stream)
    while True:
        start = r.pos
        line = r.readline()
        if not line:
            return
        if not _is_version_line(line):
            if not line.strip():
                continue  # stray blank lines between records are harmless
            skipped = len(line) + r.skip_to_version_line()  # junk
            yield Framed(start, b"", b"", {}, f"{skipped} bytes that are not a WARC record skipped "
                         "(a record cut at its start, or a file starting mid-record)")
            continue
        header_lines: list[bytes] = [line]
        hsize = len(line)
        complete = False
        while hsize <= MAX_HEADER:
            hl = r.readline()
            if not hl:
                break
            header_lines.append(hl)
            hsize += len(hl)
            if hl in (b"\r\n", b"\n"):
                complete = True
                break
            if _is_version_line(hl):  # a new record began inside this header
                header_lines.pop()
                r.unread(hl)
                break
        head = b"".join(header_lines)
        headers = _parse_header_lines(header_lines[1:])
        if not complete:
            yield Framed(start, head, b"", headers, "record header cut short")
            continue
        try:
            length = int(headers.get("content-length", ""))
            if length < 0:
                raise ValueError
        except ValueError:
            yield Framed(start, head, b"", headers, "record without a valid Content-Length")
            continue
        if length > MAX_CONTENT:
            skipped = r.skip_to_version_line()
            yield Framed(start, head, b"", headers,
                         f"Content-Length {length} over the {MAX_CONTENT >> 20} MiB a record may hold: "
                         f"not read; {skipped} bytes skipped to the next record")
            continue
        content = r.read(length)
        if len(content) < length:
            problem = f"record truncated: {len(content)} of {length} content bytes"
            back = _resync_inside(r, content)
            yield Framed(start, head, content[: len(content) - back], headers, problem)
            continue
        sep = r.readline(4)
        if sep in (b"\r\n", b"\n"):
            sep2 = r.readline(4)
            if sep2 not in (b"\r\n", b"\n", b""):
                r.unread(sep2)  # one newline only: lenient, the next record follows
        elif sep != b"":
            r.unread(sep)
            back = _resync_inside(r, content)
            yield Framed(start, head, content[: len(content) - back], headers,
                         "Content-Length does not match the record (no record separator after it)")
            continue
        yield Framed(start, head, content, headers, _check_digest(headers.get("warc-block-digest"), content))


def _resync_inside(r: _Pushback, content: bytes) -> int:
    """A damaged record may have swallowed the start of the next one: push back
    everything from the first version line inside its content (the line may
    run past the content's end). Returns how many content bytes were given back."""
    tail = r.readline()
    both = content + tail
    m = _VERSION_IN.search(both)
    if not m:
        r.unread(tail)
        return 0
    r.unread(both[m.start():])
    return max(0, len(content) - m.start())


_HASHES = {"sha1": "sha1", "sha256": "sha256", "md5": "md5", "sha512": "sha512"}


def _check_digest(digest: str | None, content: bytes) -> str | None:
    if not digest or ":" not in digest:
        return None
    algo, _, value = digest.partition(":")
    name = _HASHES.get(algo.strip().lower())
    if not name:
        return None
    h = hashlib.new(name, content).digest()
    value = value.strip()
    if value.upper() == base64.b32encode(h).decode().rstrip("=") or value.upper().rstrip("=") == \
            base64.b32encode(h).decode().rstrip("=") or value.lower() == h.hex():
        return None
    return "WARC-Block-Digest does not match the content (the record is damaged)"


# ---- worker side -------------------------------------------------------------

def record_fields(fr: Framed) -> dict[str, str | None]:
    """The output fields every WARC record carries."""
    h = fr.headers
    return {
        "url": h.get("warc-target-uri") or None,
        "date": h.get("warc-date") or None,
        "record_id": h.get("warc-record-id") or None,
        "warc_type": h.get("warc-type") or None,
    }


class NotAPage(Exception):
    """The record holds no article: a redirect or error page, an image, a
    script, a feed. ``kind`` names the skip for the summary's counts."""

    def __init__(self, why: str, kind: str = "not pages") -> None:
        super().__init__(why)
        self.kind = kind


def extract_page(fr: Framed, all_responses: bool = False) -> tuple[str | bytes, bool | None]:
    """Parse a framed intact record with fastwarc and return (page, html).

    By default only responses with HTTP status 200 whose payload is HTML or
    text (not robots.txt, not XML feeds) are pages; ``all_responses`` keeps
    every status and the XML and robots.txt payloads too (binary payloads
    never are pages). Raises NotAPage for the others, ValueError for damage
    the parser finds.
    """
    from fastwarc.warc import ArchiveIterator

    wtype = fr.warc_type
    if wtype == "conversion":
        return fr.content.decode("utf-8", "replace"), False
    uri = fr.headers.get("warc-target-uri", "")
    if wtype == "resource" and not uri.lower().startswith(("http://", "https://")):
        raise NotAPage("resource of a crawler (not a web page)")  # e.g. wget's metadata://…
    it = ArchiveIterator(io.BytesIO(fr.head + fr.content + b"\r\n\r\n"), parse_http=(wtype == "response"),
                         auto_decode="all", strict_mode=False)
    rec = next(iter(it), None)
    if rec is None:
        raise ValueError("the WARC library could not parse this record")
    if wtype == "response":
        if not rec.is_http:
            raise NotAPage("response without HTTP payload")
        status = rec.http_headers.status_code
        if status != 200 and not all_responses:
            raise NotAPage(f"HTTP status {status}", "non-200")
        ctype = (rec.http_content_type or "").lower()
        charset = rec.http_charset
    else:
        ctype = (rec.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        charset = None
    html = _html_from_type(ctype, all_responses)
    if html is _SKIP or (not all_responses and _is_robots_txt(uri)):
        raise NotAPage(f"payload is {ctype or 'robots.txt'}", "not HTML")
    body = rec.reader.read()
    if charset:
        try:
            codecs.lookup(charset)
            return body.decode(charset, "replace"), html
        except (LookupError, ValueError):
            pass
    return body, html


class _Skip(enum.Enum):
    """A sentinel type-checkers can tell apart from True, False and None."""

    SKIP = "skip"


_SKIP: Final = _Skip.SKIP
_XML = ("text/xml", "application/xml", "application/rss+xml", "application/atom+xml", "application/rdf+xml")


def _is_robots_txt(uri: str) -> bool:
    return uri.split("?", 1)[0].split("#", 1)[0].lower().endswith("/robots.txt")


def _html_from_type(ctype: str, all_responses: bool = False) -> bool | Literal[_Skip.SKIP] | None:
    """True for HTML, False for plain text, None to detect; _SKIP for no page."""
    if not ctype:
        return None
    if "html" in ctype:
        return True
    if ctype.startswith("text/plain"):
        return False
    if ctype in _XML or ctype.endswith("+xml"):
        return None if all_responses else _SKIP  # feeds and sitemaps are no articles
    if ctype.startswith("text/") and ctype not in ("text/css", "text/javascript", "text/csv"):
        return None
    return _SKIP
