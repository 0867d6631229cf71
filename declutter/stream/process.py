"""Turning batches of raw input records into output JSON lines (worker side).

A batch is a small picklable tuple made by the reading process with as little
work as possible there (splitting lines, framing WARC records); JSON parsing,
WARC/HTTP parsing, cleaning and JSON serialisation all happen here, in the
worker, so that they scale with the number of workers.

Every input record gives exactly one output line, in order: a cleaned record,
or an error record (the input kept, plus an ``error`` field and ``source``).
"""
from __future__ import annotations

import gc
import json
import math
import os
import secrets
import shutil
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..tally import Tally
from .warc import PAGE_TYPES, Framed, NotAPage, extract_page, record_fields


@dataclass(frozen=True)
class Options:
    """What to read and how to write it (the same for every worker)."""

    field: str = "text"
    url_field: str = "url"
    out_field: str | None = None
    with_removed: bool = False
    html: bool | None = None       # None: detect per record
    errors_apart: bool = False     # error records go to a separate stream
    all_responses: bool = False    # WARC: clean redirects, error pages, feeds, robots.txt too
    stats: bool = False            # count removals per reason id (--stats): Stats.tally


@dataclass
class Stats:
    """Counts for the summary line; added up over batches."""

    records: int = 0
    errors: int = 0
    skipped: int = 0       # WARC records that hold no page (images, ...)
    skips: dict[str, int] = field(default_factory=dict)  # skipped, by kind ("non-200", "not HTML")
    bytes: int = 0         # input bytes (decompressed) of the records
    chars_in: int = 0      # page characters of cleaned records
    chars_out: int = 0     # kept characters
    messages: list[str] = field(default_factory=list)  # first few error messages
    tally: Tally | None = None  # removals per reason id, with Options(stats=True)

    MAX_MESSAGES = 20

    @classmethod
    def for_options(cls, opts: Options) -> Stats:
        """Empty counts, with a tally when the run wants one (and only then:
        without --stats no page pays for it)."""
        return cls(tally=Tally() if opts.stats else None)

    def add(self, other: Stats) -> None:
        self.records += other.records
        self.errors += other.errors
        self.skipped += other.skipped
        for kind, n in other.skips.items():
            self.skips[kind] = self.skips.get(kind, 0) + n
        self.bytes += other.bytes
        self.chars_in += other.chars_in
        self.chars_out += other.chars_out
        room = self.MAX_MESSAGES - len(self.messages)
        if room > 0:
            self.messages.extend(other.messages[:room])
        if other.tally is not None:
            if self.tally is None:
                self.tally = Tally()
            self.tally.add(other.tally)

    def error(self, source: str, msg: str) -> None:
        self.errors += 1
        if len(self.messages) < self.MAX_MESSAGES:
            self.messages.append(f"{source}: {msg}")


# --- per-process state: the Cleaner is built (unpickled) once per worker ---
WORKER_STATE: dict[str, Any] = {}

# (kind, input name, records): a "jsonl" batch holds (line number, raw line[, note])
# tuples, a "warc" one Framed records, an "error" one (source, message) pairs
Batch = tuple[str, str, Sequence[Any]]


def init_worker(cleaner: Any, options: Options, spool: str | None = None) -> None:
    """Pool initializer: keep the Cleaner and options for every batch, and
    watch the parent: a worker outliving it (the parent SIGKILLed) removes
    the run's spool folder and exits."""
    WORKER_STATE["cleaner"] = cleaner
    WORKER_STATE["options"] = options
    # What a forked worker inherits (the Cleaner, its caches, imported modules)
    # lives as long as the worker: keep it out of the garbage collector's
    # passes, which would otherwise walk it again and again and, by touching
    # it, copy the parent's memory pages into the worker.
    gc.freeze()
    try:  # a worker must not die of SIGINT on its own: the parent decides
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):
        pass
    _watch_parent(os.getppid(), spool)


#: seconds between two looks at the parent: how long an orphan worker lives
PARENT_POLL = 0.2


def _watch_parent(parent: int, spool: str | None) -> None:
    """A daemon thread that ends the worker once its parent is gone. A pool
    worker blocks on its task pipe, whose write end the other workers hold
    too, so it never sees end-of-file: without this, workers of a killed run
    would wait for ever. The thread needs the GIL, so a worker inside a long
    C call (one lxml parse) leaves when that call returns."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        if spool:
            shutil.rmtree(spool, ignore_errors=True)
        os._exit(1)

    threading.Thread(target=watch, name="declutter-parent-watch", daemon=True).start()


class RawNumber:
    """A JSON number kept as its input text: one a Python float or int would
    change (``1e400`` is not infinity, ``1.50`` is not ``1.5``, a 5000-digit
    integer is valid JSON). Written back verbatim by ``dumps``."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RawNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"RawNumber({self.text!r})"


def _parse_float(text: str) -> float | RawNumber:
    value = float(text)
    return value if repr(value) == text else RawNumber(text)


def _parse_int(text: str) -> int | RawNumber:
    # int() refuses over 4300 digits (sys.set_int_max_str_digits), and "-0" would lose its sign
    return int(text) if len(text) < 4000 and text != "-0" else RawNumber(text)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON (JSON has no NaN or Infinity)")


_DECODER = json.JSONDecoder(parse_float=_parse_float, parse_int=_parse_int, parse_constant=_no_constant)


def loads(text: str) -> Any:
    """Strict JSON: NaN and Infinity refused, numbers kept as they came."""
    return _DECODER.decode(text)


_RAW_MARK = secrets.token_hex(8)  # placeholders no input can guess


def dumps(obj: dict[str, Any]) -> bytes:
    """One strict JSON line (no NaN or Infinity), always valid UTF-8: strings
    holding lone surrogates (possible from ``\\ud800`` escapes in the input)
    are written escaped; RawNumbers are written as their input text."""
    for ascii_only in (False, True):
        try:
            return _dumps(obj, ascii_only).encode("ascii" if ascii_only else "utf-8") + b"\n"
        except UnicodeEncodeError:
            continue
    raise AssertionError("unreachable: ASCII JSON always encodes")


_ENCODERS = {a: json.JSONEncoder(ensure_ascii=a, allow_nan=False) for a in (False, True)}


def _dumps(obj: Any, ascii_only: bool) -> str:
    try:
        return _ENCODERS[ascii_only].encode(obj)
    except TypeError:  # RawNumbers: rare, so the common path stays the C encoder's alone
        raws: list[str] = []

        def mark(o: Any) -> str:
            if not isinstance(o, RawNumber):
                raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")
            raws.append(o.text)
            return f"{_RAW_MARK}:{len(raws) - 1}"

        text = json.dumps(obj, ensure_ascii=ascii_only, allow_nan=False, default=mark)
        for i, raw in enumerate(raws):
            text = text.replace(f'"{_RAW_MARK}:{i}"', raw, 1)
        return text
    except ValueError:  # a non-finite float made here (never from input): null, as JSON has no other
        return json.dumps(_finite(obj), ensure_ascii=ascii_only, allow_nan=False)


def _finite(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def _removed(removed: list[Any]) -> list[dict[str, Any]]:
    return [rb.to_dict() if hasattr(rb, "to_dict") else dict(rb) for rb in removed]


def _add_skips(rec: dict[str, Any], result: Any) -> None:
    """Rules whose regex timed out on a block of this page (skipped there)."""
    skipped = getattr(result, "skipped_rules", None)
    if skipped:
        rec["skipped_rules"] = [{"rule": rule, "block": block} for rule, block in skipped]


def _count_text(st: Stats, result: Any) -> None:
    """Characters of page text kept and removed (markup does not count):
    removed_chars, which the compiled core counts without making the
    removed blocks, a fifth of a text stream's time."""
    kept = len(result.text)
    st.chars_in += kept + result.removed_chars
    st.chars_out += kept


def _out(lines: list[bytes], errs: list[bytes], line: bytes, is_error: bool, opts: Options) -> None:
    (errs if is_error and opts.errors_apart else lines).append(line)


def run_batch(batch: Batch) -> tuple[bytes, bytes, Stats]:
    """Process one batch in a worker: returns (output bytes, error-output bytes, stats)."""
    return process_batch(batch, WORKER_STATE["cleaner"], WORKER_STATE["options"])


def process_batch(batch: Batch, cleaner: Any, opts: Options) -> tuple[bytes, bytes, Stats]:
    kind, name, items = batch
    lines: list[bytes] = []
    errs: list[bytes] = []
    st = Stats.for_options(opts)
    if kind == "jsonl":
        for item in items:
            if len(item) == 3:  # the last line of a damaged input, cut short
                lineno, raw, note = item
                source = f"{name}:{lineno}"
                st.records += 1
                st.bytes += len(raw)
                st.error(source, note)
                text = raw.decode("utf-8", "replace").rstrip("\r\n")
                _out(lines, errs, dumps({"error": note, "source": source, "input": text}), True, opts)
                continue
            _jsonl_record(name, item[0], item[1], cleaner, opts, lines, errs, st)
    elif kind == "warc":
        for fr in items:
            _warc_record(name, fr, cleaner, opts, lines, errs, st)
    elif kind == "error":  # input-level problems found by the reader
        for source, msg in items:
            st.records += 1
            st.error(source, msg)
            _out(lines, errs, dumps({"error": msg, "source": source}), True, opts)
    else:  # pragma: no cover - programming error
        raise ValueError(f"unknown batch kind {kind!r}")
    return b"".join(lines), b"".join(errs), st


def died_batch(batch: Batch, opts: Options, why: str) -> tuple[bytes, bytes, Stats]:
    """Error records for every record of a batch that could not be processed
    (its worker died twice): the records are kept, flagged, and counted."""
    kind, name, items = batch
    lines: list[bytes] = []
    errs: list[bytes] = []
    st = Stats()
    if kind == "error":
        return process_batch(batch, None, opts)
    for item in items:
        if kind == "jsonl":
            source = f"{name}:{item[0]}"
            text = item[1].decode("utf-8", "replace").rstrip("\r\n")
            try:
                obj = loads(text)
                rec = {**obj, "error": why, "source": source} if isinstance(obj, dict) else \
                    {"error": why, "source": source, "input": text}
            except (ValueError, RecursionError):
                rec = {"error": why, "source": source, "input": text}
            st.bytes += len(item[1])
        else:
            if item.problem is None and item.warc_type not in PAGE_TYPES:
                continue
            source = f"{name}@{item.offset}"
            rec = {**record_fields(item), "error": why, "source": source}
            st.bytes += item.size
        st.records += 1
        st.error(source, why)
        _out(lines, errs, dumps(rec), True, opts)
    return b"".join(lines), b"".join(errs), st


def _jsonl_record(name: str, lineno: int, raw: bytes, cleaner: Any, opts: Options,
                  lines: list[bytes], errs: list[bytes], st: Stats) -> None:
    source = f"{name}:{lineno}"
    st.records += 1
    st.bytes += len(raw)
    text = raw.decode("utf-8", "replace")
    if text.startswith("\ufeff"):  # a BOM: first line of a file saved by some editors (or concatenated)
        text = text[1:]
    try:
        obj = loads(text)
    except (ValueError, RecursionError) as exc:
        msg = f"malformed JSON: {exc}"
        st.error(source, msg)
        _out(lines, errs, dumps({"error": msg, "source": source, "input": text.rstrip("\r\n")}), True, opts)
        return
    if not isinstance(obj, dict):
        msg = "record is not a JSON object"
        st.error(source, msg)
        _out(lines, errs, dumps({"error": msg, "source": source, "input": obj}), True, opts)
        return
    page = obj.get(opts.field)
    if not isinstance(page, str):
        msg = (f"missing field {opts.field!r}" if page is None and opts.field not in obj
               else f"field {opts.field!r} is not a string")
        st.error(source, msg)
        _out(lines, errs, dumps({**obj, "error": msg, "source": source}), True, opts)
        return
    url = obj.get(opts.url_field)
    if not isinstance(url, str):
        url = None
    _clean_into(obj, opts.out_field or opts.field, page, url, opts.html, source, cleaner, opts, lines, errs, st)


def _clean_into(rec: dict[str, Any], key: str, page: Any, url: str | None, html: bool | None, source: str,
                cleaner: Any, opts: Options, lines: list[bytes], errs: list[bytes], st: Stats) -> None:
    """Clean one page and write its record: the cleaned text under `key`, with
    title, metadata (and removed blocks); or the record with an error."""
    try:
        result = cleaner.clean(page, url=url, html=html)
    except Exception as exc:  # one bad document never stops the stream
        msg = f"cleaning failed: {type(exc).__name__}: {exc}"
        st.error(source, msg)
        _out(lines, errs, dumps({**rec, "error": msg, "source": source}), True, opts)
        return
    rec[key] = result.text
    rec["title"] = result.title
    rec["metadata"] = result.metadata
    if opts.with_removed or st.tally is not None:
        removed = result.removed  # built once, for the record and the tally
        if opts.with_removed:
            rec["removed"] = _removed(removed)
        if st.tally is not None:
            st.tally.add_page(removed)
    _add_skips(rec, result)
    _count_text(st, result)
    _out(lines, errs, dumps(rec), False, opts)


def _warc_record(name: str, fr: Framed, cleaner: Any, opts: Options,
                 lines: list[bytes], errs: list[bytes], st: Stats) -> None:
    source = f"{name}@{fr.offset}"
    out = record_fields(fr)
    problem = fr.problem
    if problem is None:
        if fr.warc_type not in PAGE_TYPES:
            return  # warcinfo, request, metadata, revisit: not pages
        if not out["url"]:
            problem = f"{fr.warc_type} record without WARC-Target-URI"
    if problem is None:
        try:
            page, html = extract_page(fr, opts.all_responses)
        except NotAPage as skip:
            st.skipped += 1
            st.skips[skip.kind] = st.skips.get(skip.kind, 0) + 1
            return
        except Exception as exc:
            problem = f"unreadable record: {type(exc).__name__}: {exc}"
    st.records += 1
    st.bytes += fr.size
    if problem is not None:
        st.error(source, problem)
        _out(lines, errs, dumps({**out, "error": problem, "source": source}), True, opts)
        return
    if opts.html is not None:
        html = opts.html
    _clean_into(out, opts.out_field or "text", page, out["url"], html, source, cleaner, opts, lines, errs, st)
