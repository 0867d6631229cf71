"""JSON Lines streams: one output record per input record, in order, errors
as records, gzip, parallel workers, the CLI's exit codes and summary."""
from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from declutter import Cleaner
from declutter.stream import Options, clean_stream
from declutter.stream.inputs import open_input
from declutter.stream.process import dumps

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "import sys; from declutter.cli import main; sys.argv[0] = 'declutter'; main()"]


class MarkCleaner:
    """A stand-in Cleaner with an outcome known by construction: drops lines
    starting with '#', takes the first line as title, fails on 'EXPLODE'."""

    def clean(self, page, url=None, html=None):
        if isinstance(page, bytes):
            page = page.decode("utf-8", "replace")
        if "EXPLODE" in page:
            raise RuntimeError("boom")
        lines = page.split("\n")
        removed = [SimpleNamespace(text=ln, to_dict=lambda ln=ln: {"text": ln, "reason": "test.hash"})
                   for ln in lines if ln.startswith("#")]
        return SimpleNamespace(text="\n".join(ln for ln in lines if not ln.startswith("#")),
                               title=lines[0] if lines else None, metadata={"url": url}, removed=removed,
                               removed_chars=sum(len(r.text) for r in removed))


def run(tmp_path: Path, lines: list[str], *, jobs: int = 1, cleaner=None, **kw):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(ln + "\n" for ln in lines), encoding="utf-8")
    out = io.BytesIO()
    summary = clean_stream([str(src)], cleaner or MarkCleaner(), out=out, jobs=jobs, summary_to=False, **kw)
    return [json.loads(ln) for ln in out.getvalue().decode("utf-8").splitlines()], summary, str(src)


def test_one_record_out_per_record_in_with_errors_in_place(tmp_path):
    lines = [
        json.dumps({"id": 1, "url": "http://a.example/1", "text": "Title one\n# nav\nBody one."}),
        "{this is not json",
        json.dumps({"id": 3, "body": "no text field"}),
        json.dumps({"id": 4, "text": "EXPLODE"}),
        json.dumps([1, 2, 3]),
        json.dumps({"id": 6, "text": 42}),
        "",
        json.dumps({"id": 8, "text": "Last page\nkept line"}),
    ]
    recs, summary, src = run(tmp_path, lines)
    assert len(recs) == 7  # the blank line holds no record
    assert recs[0] == {"id": 1, "url": "http://a.example/1", "text": "Title one\nBody one.",
                       "title": "Title one", "metadata": {"url": "http://a.example/1"}}
    assert recs[1]["source"] == f"{src}:2" and recs[1]["error"].startswith("malformed JSON")
    assert recs[1]["input"] == "{this is not json"
    assert recs[2] == {"id": 3, "body": "no text field", "error": "missing field 'text'", "source": f"{src}:3"}
    assert recs[3]["id"] == 4 and recs[3]["text"] == "EXPLODE"  # the input is kept as it was
    assert recs[3]["error"] == "cleaning failed: RuntimeError: boom"
    assert recs[4]["error"] == "record is not a JSON object" and recs[4]["input"] == [1, 2, 3]
    assert recs[5]["error"] == "field 'text' is not a string" and recs[5]["source"] == f"{src}:6"
    assert recs[6]["id"] == 8 and recs[6]["text"] == "Last page\nkept line"
    assert summary.stats.records == 7 and summary.stats.errors == 5
    assert summary.exit_status == 0


def test_out_field_url_field_and_removed(tmp_path):
    lines = [json.dumps({"body": "T\n# gone\nkept", "link": "http://b.example/x"})]
    recs, _, _ = run(tmp_path, lines, options=Options(field="body", url_field="link", out_field="clean",
                                                       with_removed=True))
    assert recs == [{"body": "T\n# gone\nkept", "link": "http://b.example/x", "clean": "T\nkept",
                     "title": "T", "metadata": {"url": "http://b.example/x"},
                     "removed": [{"text": "# gone", "reason": "test.hash"}]}]


def test_errors_go_to_their_own_file_when_asked(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "a"}\nnot json\n{"text": "b"}\n', encoding="utf-8")
    out, errs = io.BytesIO(), io.BytesIO()
    summary = clean_stream([str(src)], MarkCleaner(), out=out, errors_out=errs, jobs=1, summary_to=False)
    assert [json.loads(x)["text"] for x in out.getvalue().splitlines()] == ["a", "b"]
    (err,) = [json.loads(x) for x in errs.getvalue().splitlines()]
    assert err["source"] == f"{src}:2" and summary.stats.errors == 1


def test_two_workers_keep_order_and_equal_one_worker(tmp_path):
    lines = []
    for i in range(3000):
        if i % 997 == 5:
            lines.append("{broken")
        lines.append(json.dumps({"n": i, "text": f"page {i}\n# menu {i}\nbody of page {i}"}))
    one, s1, _ = run(tmp_path, lines, jobs=1, batch_records=50)
    two, s2, _ = run(tmp_path, lines, jobs=2, batch_records=50)
    assert one == two
    assert [r["n"] for r in one if "n" in r] == list(range(3000))
    assert s1.stats.records == s2.stats.records == len(lines)
    assert s1.stats.errors == s2.stats.errors == 4


def test_gzip_is_read_transparently_and_truncation_reported(tmp_path):
    body = "".join(json.dumps({"n": i, "text": f"line {i}"}) + "\n" for i in range(2000)).encode()
    whole = gzip.compress(body)
    good = tmp_path / "good.jsonl.gz"
    good.write_bytes(whole)
    out = io.BytesIO()
    s = clean_stream([str(good)], MarkCleaner(), out=out, jobs=1, summary_to=False)
    assert s.stats.records == 2000 and s.stats.errors == 0
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    out = io.BytesIO()
    s = clean_stream([str(cut)], MarkCleaner(), out=out, jobs=1, summary_to=False)
    recs = [json.loads(x) for x in out.getvalue().splitlines()]
    ok = [r for r in recs if "error" not in r]
    assert [r["n"] for r in ok] == list(range(len(ok)))  # every intact line kept, in order
    assert 0 < len(ok) < 2000
    assert len(recs) - len(ok) == 1 and "gzip stream truncated" in recs[-1]["error"]
    assert s.stats.errors == 1


def test_open_input_sniffs_gzip_not_the_name(tmp_path):
    p = tmp_path / "plain.gz"
    p.write_bytes(b'{"text": "x"}\n')
    inp = open_input(str(p))
    assert inp.kind == "plain" and inp.stream.read() == b'{"text": "x"}\n'


def test_output_is_valid_utf8_even_with_lone_surrogates(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "a \\ud800 b", "x": "\\udfff"}\n' + b'{"text": "bad \xff\xfe bytes"}\n')
    out = io.BytesIO()
    clean_stream([str(src)], MarkCleaner(), out=out, jobs=1, summary_to=False)
    data = out.getvalue()
    data.decode("utf-8")  # strict: raises if not valid UTF-8
    first, second = [json.loads(x) for x in data.splitlines()]
    assert first["x"] == "\udfff"  # escaped, not lost
    assert second["text"] == "bad \ufffd\ufffd bytes"
    assert dumps({"s": "\ud800"}) == b'{"s": "\\ud800"}\n'


def test_real_cleaner_through_workers(tmp_path):
    """The real Cleaner pickles to workers and gives the same records as in-process."""
    page = ("Home | News | Sport | Contact\n\n"
            "The river authority published its yearly report on water quality on Monday, "
            "showing that nitrate levels fell for the third year in a row.\n\n"
            "Officials said the improvement followed new rules for farms along the upper valley, "
            "where fertiliser use is now measured every spring.\n\n"
            "Leave a Reply\n")
    lines = [json.dumps({"n": i, "text": page}) for i in range(40)]
    one, _, _ = run(tmp_path, lines, jobs=1, cleaner=Cleaner())
    two, _, _ = run(tmp_path, lines, jobs=2, cleaner=Cleaner(), batch_records=7)
    assert one == two and len(one) == 40
    assert "nitrate levels fell" in one[0]["text"]
    assert "Leave a Reply" not in one[0]["text"]


# ---- the command line ---------------------------------------------------------

def cli(args, **kw):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(CLI + args, capture_output=True, env=env, cwd=ROOT, **kw)


def test_cli_jsonl_summary_and_exit_status(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "A short page about rivers."}\n{oops\n', encoding="utf-8")
    p = cli(["--jsonl", "-j", "1", str(src)])
    assert p.returncode == 0  # every record was emitted: errors are counted, not fatal
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    assert len(recs) == 2 and "error" in recs[1] and recs[1]["source"] == f"{src}:2"
    last = p.stderr.decode().strip().splitlines()[-1]
    assert last.startswith("declutter: 2 records,") and "1 errors" in last and "of text removed" in last
    assert "Traceback" not in p.stderr.decode()


def test_cli_errors_file_and_unreadable_input(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "fine"}\n[\n', encoding="utf-8")
    errs = tmp_path / "errors.jsonl"
    p = cli(["--jsonl", "--errors", str(errs), str(src), str(tmp_path / "missing.jsonl")])
    assert p.returncode == 1  # an input could not be read
    assert len(p.stdout.splitlines()) == 1
    assert json.loads(errs.read_text().splitlines()[0])["source"] == f"{src}:2"
    assert "missing.jsonl: cannot read" in p.stderr.decode()


def test_cli_usage_errors_exit_2(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("{}\n")
    assert cli(["--jsonl", "--warc", str(src)]).returncode == 2
    assert cli(["--jsonl", "--jobs", "many", str(src)]).returncode == 2


def test_cli_stdin_and_closed_stdout_is_quiet(tmp_path):
    page = "A sentence of article text that goes on for a while, as articles do.\n" * 5
    data = "".join(json.dumps({"text": page, "n": i}) + "\n" for i in range(20000)).encode()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(CLI + ["--jsonl", "-j", "2"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=ROOT)
    # feed stdin from a thread-free path: write all, then read one line and hang up
    import threading

    feeder = threading.Thread(target=lambda: _feed(proc.stdin, data))
    feeder.start()
    first = proc.stdout.readline()
    proc.stdout.close()
    rc = proc.wait(timeout=120)
    feeder.join()
    err = proc.stderr.read().decode()
    assert json.loads(first)["n"] == 0
    assert rc in (0, -signal.SIGPIPE) and "Traceback" not in err and "Broken pipe" not in err


def _feed(fh, data):
    try:
        fh.write(data)
        fh.close()
    except (BrokenPipeError, OSError):
        pass


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_cli_disk_full_is_a_clear_error(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": "x" * 1000}) + "\n" for _ in range(500)))
    with open("/dev/full", "wb") as full:
        p = subprocess.run(CLI + ["--jsonl", "-j", "1", str(src)], stdout=full, stderr=subprocess.PIPE,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    err = p.stderr.decode()
    assert p.returncode == 1
    assert "cannot write output: No space left on device" in err and "Traceback" not in err


class DyingCleaner(MarkCleaner):
    """Kills its own process on a page saying DIE (as a segfault or the OOM killer would)."""

    def clean(self, page, url=None, html=None):
        if "DIE" in page:
            os._exit(3)
        return super().clean(page, url=url, html=html)


def test_a_worker_that_dies_loses_nothing_and_duplicates_nothing(tmp_path, capfd):
    lines = [json.dumps({"n": i, "text": "DIE" if i == 77 else f"page {i}\n# nav"}) for i in range(200)]
    recs, summary, src = run(tmp_path, lines, jobs=2, cleaner=DyingCleaner(), batch_records=10)
    assert [r["n"] for r in recs] == list(range(200))
    bad = [r for r in recs if "error" in r]
    assert len(bad) == 1 and bad[0]["n"] == 77 and "died" in bad[0]["error"]
    assert bad[0]["source"] == f"{src}:78" and bad[0]["text"] == "DIE"
    assert all(r["text"] == f"page {r['n']}" for r in recs if r["n"] != 77)
    assert summary.stats.errors == 1 and summary.stats.records == 200
    assert "worker process died" in capfd.readouterr().err


def test_progress_line_shows_records_rate_and_eta():
    from declutter.stream.progress import Progress

    p = Progress(total_bytes=100_000_000, stream=io.StringIO())
    text = p.render(1234, 25_000_000, now=p.t0 + 10)
    assert text == "1,234 records  2.5 MB/s   25.0%  ETA 0:00:30"
    assert Progress(None).render(5, 1_000_000, now=Progress(None).t0 + 1).startswith("5 records")


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": f"page {i}"}) + "\n" for i in range(50)))
    p = cli(["--jsonl", "-j", "1", str(src)])
    assert p.stderr.decode().count("\n") == 1 and "\r" not in p.stderr.decode()
