"""Cleaning a corpus stream: read, map over worker processes in order, write.

Memory is bounded: the reader cuts the input into batches of at most
``batch_bytes`` (or ``batch_records``) and at most ``2 * jobs + 2`` batches are
in flight at once, so a 2 GB input needs no more memory than a few batches,
whatever its size. Output order is input order: results are written in the
order the batches were submitted.

A worker process that dies (killed, out of memory) breaks the pool: the pool
is rebuilt and every batch not yet written is submitted again; a batch that
breaks the pool a second time is run record by record in a one-worker pool,
and a record that kills that worker is written as an error record (kept,
flagged, counted): never lost, never duplicated.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, InvalidStateError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ..errors import InputError
from ..tally import Tally
from .inputs import Input, open_input
from .process import Batch, Options, Stats, died_batch, init_worker, process_batch, run_batch
from .progress import Progress
from .warc import frame_records

BATCH_BYTES = 256 << 10
BATCH_RECORDS = 512


@dataclass
class Summary:
    """What a run did: counts, unreadable inputs, time."""

    stats: Stats = field(default_factory=Stats)
    unreadable: list[str] = field(default_factory=list)   # messages
    seconds: float = 0.0
    input_bytes: int = 0  # bytes read from the files (compressed size)

    @property
    def removed_share(self) -> float:
        st = self.stats
        return 1.0 - st.chars_out / st.chars_in if st.chars_in else 0.0

    def line(self) -> str:
        st = self.stats
        mb = st.bytes / 1e6
        parts = [f"{st.records:,} records", f"{mb:,.1f} MB",
                 f"{self.removed_share:.1%} of text removed", f"{st.errors:,} errors"]
        if st.skipped:
            kinds = ", ".join(f"{n:,} {kind}" for kind, n in sorted(st.skips.items()))
            parts.append(f"{st.skipped:,} skipped: {kinds}" if kinds else f"{st.skipped:,} skipped (not pages)")
        if self.unreadable:
            parts.append(f"{len(self.unreadable)} unreadable inputs")
        parts.append(f"{self.seconds:.2f} s")
        return "declutter: " + ", ".join(parts)

    def reasons_line(self) -> str | None:
        """With Options(stats=True): the summary's second line, the reasons
        that removed the most bytes; else None."""
        return None if self.stats.tally is None else self.stats.tally.top_line()

    @property
    def exit_status(self) -> int:
        """0 when every record was emitted (record errors are counted, not
        fatal); 1 when an input could not be read."""
        return 1 if self.unreadable else 0


class Reader:
    """Turns input paths into batches; tracks bytes read for the progress bar."""

    def __init__(self, paths: list[str], fmt: str, summary: Summary,
                 batch_bytes: int = BATCH_BYTES, batch_records: int = BATCH_RECORDS) -> None:
        self.paths = paths or ["-"]
        self.fmt = fmt
        self.summary = summary
        self.batch_bytes = batch_bytes
        self.batch_records = batch_records
        self.done_bytes = 0
        self.current: Input | None = None
        sizes: list[int] = []
        for p in self.paths:
            if p == "-":
                continue  # stdin: no size known
            try:
                sizes.append(os.stat(p).st_size)
            except OSError:
                sizes.append(0)
        self.total_bytes = None if "-" in self.paths else sum(sizes)

    @property
    def consumed(self) -> int:
        return self.done_bytes + (self.current.consumed if self.current else 0)

    def __iter__(self) -> Iterator[Batch]:
        for path in self.paths:
            try:
                inp = open_input(path)
            except InputError as exc:
                self.summary.unreadable.append(str(exc))
                _warn(str(exc))
                continue
            self.current = inp
            try:
                if self.fmt == "warc":
                    yield from self._warc(inp)
                else:
                    yield from self._jsonl(inp)
            except OSError as exc:  # an I/O error in the middle of a file
                msg = f"{inp.name}: cannot read: {exc.strerror or exc}"
                self.summary.unreadable.append(msg)
                _warn(msg)
            finally:
                self.done_bytes += inp.consumed
                self.summary.input_bytes += inp.consumed
                self.current = None
                inp.close()

    def _jsonl(self, inp: Input) -> Iterator[Batch]:
        items: list[tuple[Any, ...]] = []
        size = 0
        lineno = 0
        last: bytes = b"\n"
        for line in inp.stream:
            lineno += 1
            last = line
            if line.isspace():
                continue  # blank lines hold no record
            items.append((lineno, line))
            size += len(line)
            if size >= self.batch_bytes or len(items) >= self.batch_records:
                yield ("jsonl", inp.name, items)
                items, size = [], 0
        if inp.damage:
            note = f"input damaged: {inp.damage}"
            if items and not last.endswith(b"\n") and items[-1][1] is last:
                if inp.lost:  # more was lost than this line: the loss gets its own error record
                    items[-1] = (items[-1][0], last, "input damaged: this line is cut short by the damage")
                else:
                    items[-1] = (items[-1][0], last, note + "; this last line is cut short")
                    note = ""
            if items:
                yield ("jsonl", inp.name, items)
                items = []
            if note:
                yield ("error", inp.name, [(inp.name, note)])
        if items:
            yield ("jsonl", inp.name, items)

    def _warc(self, inp: Input) -> Iterator[Batch]:
        items: list[Any] = []
        size = 0
        for fr in frame_records(inp.stream):
            items.append(fr)
            size += fr.size
            # with damage, keep the tail to merge a damage note into it
            if (size >= self.batch_bytes or len(items) >= self.batch_records) and inp.damage is None:
                yield ("warc", inp.name, items)
                items, size = [], 0
        if inp.damage:
            note = f"input damaged: {inp.damage}"
            if items and items[-1].problem:
                items[-1].problem += f" ({note})"
                note = ""
            if items:
                yield ("warc", inp.name, items)
                items = []
            if note:
                yield ("error", inp.name, [(inp.name, note)])
        if items:
            yield ("warc", inp.name, items)


def batches_from_input(inp: Input, fmt: str, batch_bytes: int = BATCH_BYTES,
                       batch_records: int = BATCH_RECORDS) -> Iterator[Batch]:
    """The batches of one opened input (used by the Ray engine on each file)."""
    r = Reader([], fmt, Summary(), batch_bytes, batch_records)
    yield from (r._warc(inp) if fmt == "warc" else r._jsonl(inp))


class _whole_records:
    """Hold Ctrl-C (SIGINT) while a batch of records is written: a write
    interrupted half-way would leave a record cut in two at the end of the
    output. The signal is delivered as soon as the batch is written."""

    def __enter__(self) -> None:
        self.old = None
        with contextlib.suppress(AttributeError, OSError, ValueError):  # pragma: no cover - not POSIX
            self.old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})

    def __exit__(self, *exc: object) -> None:
        if self.old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.old)


class InterruptLatch:
    """Ctrl-C stops a stream even when the KeyboardInterrupt it raises is
    lost: Python drops an exception raised in a __del__ method or a weakref
    callback (the worker pool runs both), and the run would then go on to the
    end. The signal is remembered, and raised again after the next batch is
    written. Installed only in the main thread, over Python's own handler."""

    def __init__(self) -> None:
        self.seen = False
        self.old: Any = None

    def __enter__(self) -> InterruptLatch:
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self.old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        self.seen = True
        raise KeyboardInterrupt

    def check(self) -> None:
        if self.seen:
            raise KeyboardInterrupt

    def __exit__(self, *exc: object) -> None:
        if self.old is not None:
            signal.signal(signal.SIGINT, self.old)


def _warn(msg: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(f"declutter: {msg}", file=sys.stderr, flush=True)


def _mp_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def ordered_map(batches: Iterable[Batch], cleaner: Any, opts: Options, jobs: int,
                max_inflight: int | None = None, func: Any = run_batch) -> Iterator[Any]:
    """Map ``func`` over batches in ``jobs`` worker processes, yielding results
    in input order with at most ``max_inflight`` batches submitted and not yet
    yielded. Each worker gets the Cleaner and options once (initializer)."""
    if jobs <= 1:
        if func is run_batch:
            for b in batches:
                yield process_batch(b, cleaner, opts)
        else:
            from .process import WORKER_STATE

            saved = dict(WORKER_STATE)
            WORKER_STATE.update(cleaner=cleaner, options=opts)
            try:
                for b in batches:
                    yield func(b)
            finally:
                WORKER_STATE.clear()
                WORKER_STATE.update(saved)
        return
    limit = max_inflight or 2 * jobs + 2
    pending: deque[list[Any]] = deque()  # [batch, future, tries]
    if _mp_context().get_start_method() == "fork":
        _warm_up(cleaner)
    _sweep_spools()
    spool = tempfile.mkdtemp(prefix=f"{SPOOL_PREFIX}{os.getpid()}-")
    ex = new_pool(jobs, cleaner, opts, spool)
    try:
        it = iter(batches)
        exhausted = False
        while True:
            while not exhausted and len(pending) < limit:
                try:
                    b = next(it)
                except StopIteration:
                    exhausted = True
                    break
                pending.append([b, _submit(ex, func, b, spool), 0])
            if not pending:
                return
            entry = pending[0]
            try:
                res = _unspool(entry[1].result())
            except BrokenProcessPool:
                _warn("a worker process died; restarting the workers and retrying its batches")
                ex.shutdown(wait=False, cancel_futures=True)
                ex = new_pool(jobs, cleaner, opts, spool)
                entry[2] += 1
                if entry[2] >= 2:  # this batch broke the pool twice: find the record(s) that do it
                    pending.popleft()
                    if func is not run_batch:
                        raise RuntimeError("a worker process died twice on the same batch") from None
                    yield _isolate(entry[0], cleaner, opts, spool)
                for e in pending:
                    e[1] = _submit(ex, func, e[0], spool)
                continue
            pending.popleft()
            yield res
    finally:
        for e in pending:
            e[1].cancel()
        close_pool(ex)
        shutil.rmtree(spool, ignore_errors=True)


def close_pool(ex: ProcessPoolExecutor) -> None:
    """Shut a pool down whose work is done (every result is in, or no longer
    wanted), stopping its workers first: a worker killed while it held the
    pool's task-queue lock leaves the others waiting on that lock for ever,
    and shutdown() would wait on them. (The pool keeps its processes and its
    task queue in private attributes; without them, shutdown() alone runs.)"""
    previous = threading.excepthook
    threading.excepthook = quiet_cancelled_race(previous)
    try:
        processes = getattr(ex, "_processes", None) or {}
        for proc in list(processes.values()):
            proc.terminate()
        # The task queue's feeder thread may be blocked writing into a pipe
        # that no worker reads any more (this process holds its other end);
        # at exit, multiprocessing would join that thread and hang for ever.
        call_queue = getattr(ex, "_call_queue", None)
        if call_queue is not None:
            call_queue.cancel_join_thread()
        ex.shutdown(wait=True, cancel_futures=True)  # joins the pool's manager thread
    finally:
        threading.excepthook = previous


def quiet_cancelled_race(previous: Any) -> Any:
    """A thread exception hook that drops one known race of CPython 3.11's
    pool: its manager thread, finding the workers gone, sets an exception on
    every waiting future, and one this process cancelled meanwhile raises
    InvalidStateError there, printed as a traceback (3.12 ignores it)."""
    def hook(args: threading.ExceptHookArgs) -> None:
        if isinstance(args.exc_value, InvalidStateError):
            return
        previous(args)
    return hook


def _spooled(func: Any, batch: Batch, spool: str) -> str:
    """Run func on a batch in a worker and hand the result back through a
    file in the spool folder: only the file's name crosses the pool's result
    pipe. A pipe write that small is atomic, so a worker killed while sending
    cannot leave half a message there, which the pool's reader thread would
    wait on for ever (CPython's ProcessPoolExecutor does)."""
    result = func(batch)
    fd, path = tempfile.mkstemp(dir=spool, suffix=".pickle")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _unspool(path: str) -> Any:
    """The result a worker left in a spool file; the file goes."""
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    finally:
        os.unlink(path)


def _submit(ex: ProcessPoolExecutor, func: Any, batch: Batch, spool: str) -> Future[str]:
    """Submit a batch; a pool that broke since the last look (a worker died
    while this batch was read) refuses new work at once: hand back a future
    that fails the same way, so the loop above rebuilds the pool and retries."""
    try:
        return ex.submit(_spooled, func, batch, spool)
    except BrokenProcessPool as exc:
        failed: Future[str] = Future()
        failed.set_exception(exc)
        return failed


def _isolate(batch: Batch, cleaner: Any, opts: Options, spool: str) -> tuple[bytes, bytes, Stats]:
    """Run a batch that kills its worker one record at a time in a one-worker
    pool: the records that kill it become error records, the others are cleaned."""
    kind, name, items = batch
    data, errs, stats = [], [], Stats()
    ex = new_pool(1, cleaner, opts, spool)
    try:
        for item in items:
            single = (kind, name, [item])
            try:
                d, e, st = _unspool(_submit(ex, run_batch, single, spool).result())
            except BrokenProcessPool:
                ex.shutdown(wait=False, cancel_futures=True)
                ex = new_pool(1, cleaner, opts, spool)
                d, e, st = died_batch(single, opts, "the worker process died while cleaning this record")
            data.append(d)
            errs.append(e)
            stats.add(st)
    finally:
        close_pool(ex)
    return b"".join(data), b"".join(errs), stats


def _warm_up(cleaner: Any) -> None:
    """Clean a tiny text and HTML page before forking, so that lazy imports
    and caches (lxml, stop lists) are built once and shared by the workers."""
    for page, html in (("A warm-up sentence for the cleaner.\n", False),
                       ("<html><body><p>A warm-up sentence.</p></body></html>", True)):
        with contextlib.suppress(Exception):  # a warm-up must never stop a run
            cleaner.clean(page, html=html)


def new_pool(jobs: int, cleaner: Any, opts: Options, spool: str | None = None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, mp_context=_mp_context(),
                               initializer=init_worker, initargs=(cleaner, opts, spool))


SPOOL_PREFIX = "declutter-spool-"  # then the owner's pid: declutter-spool-PID-XXXXXXXX


def _sweep_spools() -> None:
    """Remove the spool folders of runs whose process is gone (killed before
    its workers could clean up: say, the whole process group SIGKILLed)."""
    tmp = tempfile.gettempdir()
    try:
        names = os.listdir(tmp)
    except OSError:
        return
    for name in names:
        if not name.startswith(SPOOL_PREFIX):
            continue
        pid = name[len(SPOOL_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(os.path.join(tmp, name), ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: someone else's process, alive
        return True
    return True


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def clean_stream(paths: list[str], cleaner: Any, *, fmt: str = "jsonl", out: BinaryIO | None = None,
                 errors_out: BinaryIO | None = None, options: Options | None = None,
                 jobs: int | None = None, progress: bool | None = None,
                 batch_bytes: int = BATCH_BYTES, batch_records: int = BATCH_RECORDS,
                 summary_to: Any = None) -> Summary:
    """Clean JSONL (``fmt="jsonl"``) or WARC/WET (``fmt="warc"``) inputs and
    write one JSON line per record to ``out`` (default stdout), in input order.

    Error records go to ``errors_out`` when given, else inline. Returns the
    Summary; the one-line summary is printed to ``summary_to`` (default
    stderr; pass False for none). Write errors (EPIPE, ENOSPC) propagate.
    """
    out = out if out is not None else sys.stdout.buffer
    opts = options or Options()
    if errors_out is not None and not opts.errors_apart:
        opts = Options(**{**opts.__dict__, "errors_apart": True})
    jobs = default_jobs() if jobs is None or jobs <= 0 else jobs
    summary = Summary()
    reader = Reader(list(paths), fmt, summary, batch_bytes, batch_records)
    show = sys.stderr.isatty() if progress is None else progress
    bar = Progress(reader.total_bytes) if show else None
    t0 = time.perf_counter()
    positions: deque[int] = deque()  # input position after each batch, for the progress line

    def batches() -> Iterator[Batch]:
        for b in reader:
            positions.append(reader.consumed)
            yield b

    try:
        with InterruptLatch() as latch:
            for data, errdata, st in ordered_map(batches(), cleaner, opts, jobs):
                with _whole_records():
                    if data:
                        out.write(data)
                    if errdata and errors_out is not None:
                        errors_out.write(errdata)
                latch.check()
                summary.stats.add(st)
                done = positions.popleft() if positions else reader.consumed
                if bar:
                    bar.update(summary.stats.records, done)
        out.flush()
        if errors_out is not None:
            errors_out.flush()
    finally:
        if bar:
            bar.close()
        summary.seconds = time.perf_counter() - t0
    for msg in summary.stats.messages[:10]:
        _warn(msg)
    if summary.stats.errors > 10:
        _warn(f"... {summary.stats.errors - 10:,} more record errors")
    if opts.stats and summary.stats.tally is None:  # no page was cleaned: still a (zero) tally
        summary.stats.tally = Tally()
    if summary_to is not False:
        print(summary.line(), file=summary_to or sys.stderr, flush=True)
        if summary.reasons_line():
            print(summary.reasons_line(), file=summary_to or sys.stderr, flush=True)
    return summary
