"""Hardening, part 6: faults in parallel runs.

- A worker process that dies (SIGKILL, as the OOM killer does; or exits)
  is reported on stderr, the pool is rebuilt and the batches not yet
  written are run again; a batch that kills its worker twice is run record
  by record, and only the record that kills the worker becomes an error
  record. Nothing is lost, nothing duplicated, the order is kept.
  (test_stream_jsonl.py has the basic case of a worker calling os._exit.)
- Ctrl-C (SIGINT to the whole process group, as a terminal sends it) during a
  `-j 2` run stops cleanly: exit status 130, one line on stderr, no
  traceback from any process, and the output ends with a complete record:
  every line is valid JSON, and the lines are the first records of the input
  in order.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from declutter.stream import clean_stream

from conftest import CLI, PARAS, ROOT


class KillingCleaner:
    """Keeps every page as it is, but SIGKILLs its own process on a page
    that says KILL (once per marker file, when one is given: a fault that
    does not come back on retry)."""

    def __init__(self, once_dir: str | None = None) -> None:
        self.once_dir = once_dir

    def clean(self, page, url=None, html=None):
        if "KILL" in page:
            marker = Path(self.once_dir, page.strip()) if self.once_dir else None
            if marker is None or not marker.exists():
                if marker is not None:
                    marker.write_text("killed once")
                os.kill(os.getpid(), signal.SIGKILL)
        return SimpleNamespace(text=page, title=None, metadata={}, removed=[], removed_chars=0)


def run(tmp_path, pages, cleaner, jobs=2, batch_records=10):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"n": i, "text": t}) + "\n" for i, t in enumerate(pages)))
    out = io.BytesIO()
    summary = clean_stream([str(src)], cleaner, out=out, jobs=jobs, summary_to=False, batch_records=batch_records)
    return [json.loads(x) for x in out.getvalue().splitlines()], summary, src


def test_records_that_kill_their_worker_become_error_records_nothing_lost(tmp_path, capfd):
    pages = [f"page {i}" for i in range(300)]
    for i in (3, 150, 151, 299):  # near the start, two in one batch, the very last record
        pages[i] = f"KILL {i}"
    recs, summary, src = run(tmp_path, pages, KillingCleaner())
    assert [r["n"] for r in recs] == list(range(300))  # one out per one in, in order
    bad = [r for r in recs if "error" in r]
    assert [r["n"] for r in bad] == [3, 150, 151, 299]
    assert all("worker process died" in r["error"] and r["source"] == f"{src}:{r['n'] + 1}" for r in bad)
    assert all(r["text"] == f"page {r['n']}" for r in recs if "error" not in r)
    assert summary.stats.records == 300 and summary.stats.errors == 4
    err = capfd.readouterr().err
    assert "worker process died" in err and "Traceback" not in err


def test_a_worker_killed_once_is_retried_and_its_records_cleaned(tmp_path, capfd):
    pages = [f"page {i}" for i in range(200)]
    pages[42] = "KILL once"
    recs, summary, _ = run(tmp_path, pages, KillingCleaner(str(tmp_path)))
    assert [r["n"] for r in recs] == list(range(200))
    assert all("error" not in r for r in recs) and recs[42]["text"] == "KILL once"
    assert summary.stats.errors == 0
    assert "worker process died" in capfd.readouterr().err


def test_warc_records_survive_a_dying_worker(tmp_path):
    fix = ROOT / "fixtures" / "warc" / "filter_test_1.wet.gz"
    out = io.BytesIO()

    class KillOnUrl(KillingCleaner):
        def clean(self, page, url=None, html=None):
            if url and "biopix" in url:
                os.kill(os.getpid(), signal.SIGKILL)
            return super().clean(page, url, html)

    clean_stream([str(fix)], KillOnUrl(), fmt="warc", out=out, jobs=2, summary_to=False, batch_records=4)
    recs = [json.loads(x) for x in out.getvalue().splitlines()]
    whole = io.BytesIO()
    clean_stream([str(fix)], KillingCleaner(), fmt="warc", out=whole, jobs=1, summary_to=False)
    expected = [json.loads(x) for x in whole.getvalue().splitlines()]
    assert [r["record_id"] for r in recs] == [r["record_id"] for r in expected] and len(recs) == 25
    (bad,) = [r for r in recs if "error" in r]
    assert "biopix" in bad["url"] and "worker process died" in bad["error"]
    assert [r for r in recs if "error" not in r] == [r for r in expected if "biopix" not in r["url"]]


# -- the command line: a worker killed from outside, and Ctrl-C ----------------------------

def big_input(tmp_path, n=6000) -> Path:
    page = "\n\n".join(PARAS)
    src = tmp_path / "big.jsonl"
    src.write_text("".join(json.dumps({"n": i, "text": page}) + "\n" for i in range(n)))
    return src


def workers_of(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    me = Path(f"/proc/{pid}/cmdline").read_bytes()
    found = []
    for k in kids:
        try:
            if Path(f"/proc/{k}/cmdline").read_bytes() == me:  # forked workers; not a helper process
                found.append(int(k))
        except OSError:
            pass
    return found


def _as_from_a_terminal() -> None:
    # A suite started in the background (`cmd &` without job control, as CI
    # may be) inherits SIGINT ignored, and so would the run: Ctrl-C from a
    # terminal meets a run whose SIGINT is the default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(CLI + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            start_new_session=True, preexec_fn=_as_from_a_terminal)


def finish(proc: subprocess.Popen, timeout: float = 600) -> tuple[bytes, bytes]:
    """The rest of stdout, all of stderr (stderr stays small); not communicate(),
    which reads past what readline() already buffered."""
    rest = proc.stdout.read()
    err = proc.stderr.read()
    proc.wait(timeout=timeout)
    return rest, err


def test_cli_worker_killed_from_outside_loses_and_duplicates_nothing(tmp_path):
    src = big_input(tmp_path, 3000)
    proc = start(["--jsonl", "-j", "2", "--text", str(src)])
    first = proc.stdout.readline()  # the workers are running
    workers = []
    for _ in range(100):
        workers = workers_of(proc.pid)
        if workers:
            break
        time.sleep(0.05)
    assert workers, "no worker process found"
    os.kill(workers[0], signal.SIGKILL)
    rest, err = finish(proc)
    recs = [json.loads(x) for x in (first + rest).splitlines()]
    assert proc.returncode == 0
    assert [r["n"] for r in recs] == list(range(3000))
    assert all("error" not in r for r in recs)  # the killed batch was run again, not lost
    lines = err.decode().splitlines()
    assert lines[-1].startswith("declutter: 3,000 records") and "0 errors" in lines[-1]
    assert any("worker process died" in line for line in lines)  # reported
    assert "Traceback" not in err.decode()


class _EndlessInput:
    """A named pipe that gives `data` and is then held open, never ended: a
    run reading it cannot finish before the test interrupts it, however fast
    cleaning gets. Closed on leaving the with-block."""

    def __init__(self, path: Path, data: bytes = b"") -> None:
        self.path, self.data = path, data
        os.mkfifo(path)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._feed, daemon=True)

    def _feed(self) -> None:
        try:
            with open(self.path, "wb") as pipe:  # blocks until the run opens it
                pipe.write(self.data)
                pipe.flush()
                self.done.wait(600)
        except BrokenPipeError:  # the interrupted run closed its end first
            pass

    def __enter__(self) -> Path:
        self.thread.start()
        return self.path

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        if not self.thread.is_alive():
            return
        # a run that never opened the pipe: open the read end so the feeder can end
        with contextlib.suppress(OSError):
            os.close(os.open(self.path, os.O_RDONLY | os.O_NONBLOCK))
        self.thread.join(10)


def test_ctrl_c_during_a_parallel_run_stops_cleanly(tmp_path):
    data = big_input(tmp_path).read_bytes()
    with _EndlessInput(tmp_path / "endless.jsonl", data) as src:
        proc = start(["--jsonl", "-j", "2", "--text", str(src)])
        got = proc.stdout.readline()
        got += proc.stdout.read(200_000)  # let the run get going, and the pipe fill up
        os.killpg(proc.pid, signal.SIGINT)
        rest, err = finish(proc)
    data = got + rest
    err = err.decode()
    assert proc.returncode == 130
    assert err.splitlines() == ["declutter: interrupted"]  # no traceback from the parent or a worker
    assert data.endswith(b"\n")  # flushed up to the last complete record
    recs = [json.loads(x) for x in data.splitlines()]  # every line is whole JSON
    assert [r["n"] for r in recs] == list(range(len(recs))) and 0 < len(recs) < 6000


def test_ctrl_c_during_a_text_page_run(tmp_path):
    files = []
    for i in range(400):
        f = tmp_path / f"p{i}.txt"
        f.write_text("\n\n".join(PARAS) * 30)
        files.append(str(f))
    with _EndlessInput(tmp_path / "endless.txt") as last:  # the run waits there until interrupted
        proc = start(["--json", *files, str(last)])
        first = proc.stdout.readline()
        os.killpg(proc.pid, signal.SIGINT)
        _rest, err = finish(proc)
    assert json.loads(first)
    assert proc.returncode == 130 and len(err.decode().splitlines()) <= 2 and "Traceback" not in err.decode()


class _SigintInFinaliser:
    """Sends Ctrl-C to this process from inside a __del__ method: Python runs
    the handler there and drops its KeyboardInterrupt ("Exception ignored
    in ..."), as it can when the worker pool's finalisers run on the main thread."""

    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):  # the handler runs between these bytecodes
            pass


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_ctrl_c_lost_in_a_finaliser_is_raised_again():
    from declutter.stream.run import InterruptLatch

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # Python's own, as outside pytest
    try:
        with InterruptLatch() as latch:
            _SigintInFinaliser()  # collected at once; its KeyboardInterrupt is dropped
            with pytest.raises(KeyboardInterrupt):
                latch.check()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_clean_stream_stops_after_a_ctrl_c_lost_in_a_finaliser(tmp_path, monkeypatch):
    from declutter import Cleaner
    from declutter.stream import run

    real = run.ordered_map

    def lossy(*args, **kwargs):
        for n, result in enumerate(real(*args, **kwargs)):
            if n == 1:
                _SigintInFinaliser()
            yield result

    monkeypatch.setattr(run, "ordered_map", lossy)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    out = io.BytesIO()
    try:
        with pytest.raises(KeyboardInterrupt):
            run.clean_stream([str(big_input(tmp_path, 1000))], Cleaner(), out=out, jobs=1,
                             batch_records=100, summary_to=False)
    finally:
        signal.signal(signal.SIGINT, previous)
    recs = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["n"] for r in recs] == list(range(200))  # whole batches, up to the one after the signal


# A worker killed while it hands a large result back through the pool's pipe
# used to leave half a message there, which CPython's ProcessPoolExecutor
# waits on for ever: the run hung. Results now travel through spool files.
HANDBACK = r'''
import os, signal, sys, tempfile, threading, time
from pathlib import Path
from declutter import Cleaner
from declutter.stream.process import Options
from declutter.stream.run import ordered_map

SIZE = 32 << 20

def kill_me_during_handback():
    # Once this worker's batch function has returned and the worker is handing
    # its result back (sending it, or spooling it), the worker is killed.
    main = threading.main_thread().ident
    while True:
        frame, names = sys._current_frames().get(main), set()
        while frame is not None:
            names.add(frame.f_code.co_name)
            frame = frame.f_back
        if "big" not in names and names & {"_send_bytes", "_spooled"}:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.0002)

def big(batch):
    n = batch[2][0]
    mark = Path(sys.argv[1]) / str(n)
    if n == 1 and not mark.exists():  # the first try of batch 1
        mark.touch()
        threading.Thread(target=kill_me_during_handback, daemon=True).start()
    return bytes([n]) * SIZE

out = list(ordered_map(iter([("jsonl", "x", [n]) for n in range(6)]), Cleaner(), Options(), 2, func=big))
print(len(out), all(r == bytes([n]) * SIZE for n, r in enumerate(out)), os.listdir(tempfile.gettempdir()) == [])
'''


def test_a_worker_killed_while_handing_back_its_result_does_not_hang(tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    spools = tmp_path / "tmp"
    spools.mkdir()
    env = {**os.environ, "TMPDIR": str(spools)}
    p = subprocess.run([sys.executable, "-c", HANDBACK, str(marks)], capture_output=True, text=True,
                       timeout=300, cwd=ROOT, env=env)
    assert p.returncode == 0, p.stderr[-2000:]
    assert p.stdout.split() == ["6", "True", "True"]  # every result, in order; no spool file left
    assert p.stderr.count("a worker process died") == 1


def test_a_pool_is_shut_down_with_its_workers_stopped_first():
    # A worker killed while holding the pool's task-queue lock would leave the
    # others waiting on it for ever, and shutdown() waiting on them: at the end
    # of a run the workers are stopped before the pool is shut down.
    from declutter import Cleaner
    from declutter.stream.process import Options
    from declutter.stream.run import close_pool, new_pool

    ex = new_pool(2, Cleaner(), Options())
    assert ex.submit(sum, [1, 2]).result() == 3
    workers = list(ex._processes.values())
    assert workers and all(w.is_alive() for w in workers)
    close_pool(ex)  # the pool reaps them
    assert [w.exitcode for w in workers] == [-signal.SIGTERM] * len(workers)
