"""Opening corpus inputs: files or stdin, gzip and zstd read transparently.

The compression is sniffed from the first bytes, not the file name. A damaged
compressed stream (a truncated gzip member, corrupt deflate data, garbage after
the last member) does not raise in the middle of a read: the stream ends at the
last byte that could be decompressed and ``Input.damage`` says what went wrong,
so the record readers above can report it as one error record after every
intact record before it.
"""
from __future__ import annotations

import io
import os
import sys
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

from ..errors import InputError
from ..sniff import GZIP_MAGIC, compression

READ_SIZE = 1 << 16


class _Raw(io.RawIOBase):
    """A raw stream over a (compressed) file that counts the compressed bytes
    consumed and turns decompression failures into end-of-stream + ``damage``."""

    def __init__(self, fh: BinaryIO, head: bytes, kind: str) -> None:
        self._fh = fh
        self._pending = head  # bytes already read from fh while sniffing
        self.kind = kind
        self.consumed = 0  # compressed bytes read from the file so far
        self.damage: str | None = None
        self.lost = 0  # compressed bytes after the damage that could not be read
        self._out = b""
        self._eof = False
        self._dec = self._new_decompressor()
        self._member_started = False  # gzip: a member has begun and not ended

    def _new_decompressor(self) -> Any:  # zlib's or zstandard's (untyped) decompressobj, or None
        if self.kind == "gzip":
            return zlib.decompressobj(31)
        if self.kind == "zstd":
            import zstandard  # optional, small

            return zstandard.ZstdDecompressor().decompressobj()
        return None

    def readable(self) -> bool:
        return True

    def _read_file(self) -> bytes:
        if self._pending:
            data, self._pending = self._pending, b""
        else:
            data = self._fh.read(READ_SIZE)
        self.consumed += len(data)
        return data

    def _fill(self) -> None:
        while not self._out and not self._eof:
            data = self._read_file()
            if self.kind == "plain":
                if not data:
                    self._eof = True
                self._out = data
                continue
            if not data:
                self._finish()
                return
            start = self.consumed - len(data)  # compressed offset of data[0]
            if self.kind == "zstd":
                try:
                    self._out = self._dec.decompress(data)
                except Exception as exc:  # zstd.ZstdError
                    self._corrupt(start, exc)
            else:
                self._feed_gzip(data, start)

    def _feed_gzip(self, data: bytes, start: int) -> None:
        out = []
        while data:
            self._member_started = True
            before = self._dec.copy()
            try:
                out.append(self._dec.decompress(data))
            except zlib.error as exc:
                # keep what inflates before the damage, and find where zlib saw it
                good, used = _inflate_until_error(before, data)
                out.append(good)
                self._corrupt(start + used, exc)
                break
            if self._dec.eof:
                self._member_started = False
                rest = self._dec.unused_data
                start += len(data) - len(rest)
                data = rest
                self._dec = zlib.decompressobj(31)
                if data and not data.startswith(GZIP_MAGIC[: len(data)]):
                    self.damage = f"data after the last gzip member is not gzip (at compressed byte {start:,})"
                    self._eof = True
                    break
            else:
                data = b""
        self._out = b"".join(out)

    def _corrupt(self, offset: int, exc: Exception) -> None:
        """The compressed data is damaged at ``offset``: what follows cannot be
        decompressed (a deflate stream has no resync point). Read the rest
        only to count it, so the message says how much was lost."""
        rest = self.consumed - offset
        while True:
            data = self._read_file()
            if not data:
                break
            rest += len(data)
        self.lost = rest
        found = f"corrupt {self.kind} data detected at compressed byte {offset:,} ({exc})"
        if "check" in str(exc):  # zlib's CRC or length check failed at the end of a gzip member
            found += ("; the member's data is damaged somewhere before that point, so the records "
                      "read from it may be altered")
        self.damage = (f"{found}: the rest of the input from there ({rest:,} compressed bytes) "
                       "could not be read, and the records in it are lost")
        self._eof = True

    def _finish(self) -> None:
        self._eof = True
        if self.kind == "gzip":
            tail = self._dec.flush()
            if self._member_started:
                self._out = tail
                self.damage = (f"gzip stream truncated (the last member ends early, at compressed byte "
                               f"{self.consumed:,})")
        elif self.kind == "zstd":
            # zstandard's decompressobj has no 'unfinished frame' flag; a
            # truncated frame simply yields less data. Nothing more to add.
            pass

    def readinto(self, b: WriteableBuffer, /) -> int:
        self._fill()
        if not self._out:
            return 0
        view = memoryview(b)  # the bytearray or memoryview io.BufferedReader passes
        n = min(len(view), len(self._out))
        view[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def close(self) -> None:
        if not self.closed:
            try:
                if self._fh is not sys.stdin.buffer:
                    self._fh.close()
            finally:
                super().close()


def _inflate_until_error(dec: Any, data: bytes) -> tuple[bytes, int]:
    """Feed ``data`` to a decompressor one byte at a time (only after an error,
    on one read's worth of data): the output before the error, and how many
    bytes of ``data`` went in before zlib raised."""
    out = []
    for i in range(len(data)):
        try:
            out.append(dec.decompress(data[i:i + 1]))
        except zlib.error:
            return b"".join(out), i
    return b"".join(out), len(data)


@dataclass
class Input:
    """One opened input: ``stream`` gives the decompressed bytes."""

    name: str          # file name as given, or "<stdin>"
    stream: io.BufferedReader
    raw: _Raw
    size: int | None   # compressed size on disk when known (for the progress ETA)
    kind: str = "plain"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def consumed(self) -> int:
        """Compressed bytes read from the file so far."""
        return self.raw.consumed

    @property
    def damage(self) -> str | None:
        """What was wrong with the compressed stream, once it has ended."""
        return self.raw.damage

    @property
    def lost(self) -> int:
        """Compressed bytes after the damage that could not be read."""
        return self.raw.lost

    def close(self) -> None:
        self.stream.close()


def open_stream(fh: BinaryIO, name: str, size: int | None = None) -> Input:
    """Wrap an already open binary stream (sniffing its compression)."""
    try:
        head = fh.read(4)
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    kind = _kind(head, name)
    raw = _Raw(fh, head, kind)
    return Input(name=name, stream=io.BufferedReader(raw, buffer_size=1 << 16), raw=raw, size=size, kind=kind)


def _kind(head: bytes, name: str) -> str:
    kind = compression(head)
    if kind == "zstd":
        try:
            import zstandard  # noqa: F401
        except ImportError:
            raise InputError(f"{name}: zstd-compressed input needs the 'zstandard' package") from None
    return kind or "plain"


def open_input(path: str) -> Input:
    """Open a file (or ``-`` for stdin), sniffing gzip/zstd compression.

    Raises InputError (exit status 1) when the file cannot be opened.
    """
    if path == "-":
        fh: BinaryIO = sys.stdin.buffer
        name, size = "<stdin>", None
    else:
        if os.path.isdir(path):  # open() may succeed on some systems; reading then fails obscurely
            raise InputError(f"{path}: is a directory")
        try:
            fh = open(path, "rb")  # noqa: SIM115 - the stream it is handed to closes it
            size = os.fstat(fh.fileno()).st_size
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
        name = path
    return open_stream(fh, name, size)
