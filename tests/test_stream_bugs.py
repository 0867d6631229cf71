"""Stream bugs of issue 12, one test (or two) each: a huge WARC Content-Length,
strict JSON out, workers outliving a killed run, damage inside a gzip
member, WARC responses that are no article, a directory among the inputs."""
from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from tests.conftest import CLI, PARAS, ROOT, call_cli, page

pytest.importorskip("fastwarc")


def warc_record(url: str, http: bytes, *, length: int | None = None) -> bytes:
    """One WARC/1.0 response record holding the HTTP message ``http``."""
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{abs(hash(url))}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http) if length is None else length}\r\n\r\n")
    return head.encode() + http + b"\r\n\r\n"


def http(body: str, *, status: str = "200 OK", ctype: str = "text/html; charset=utf-8") -> bytes:
    data = body.encode()
    return (f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(data)}\r\n\r\n").encode() + data


def article(n: int) -> str:
    return f"<html><body><h1>Page {n}</h1><p>{PARAS[n % len(PARAS)]}</p></body></html>"


def lines_of(out: str) -> list[dict]:
    return [json.loads(x) for x in out.splitlines()]


# ---- 1. a Content-Length far beyond the input ----------------------------------

@pytest.mark.parametrize("length", [10**12, 10**20, 100_000_000])
def test_huge_content_length_is_one_error_record_and_the_rest_is_kept(tmp_path, length):
    recs = [warc_record(f"http://example.com/{i}", http(article(i))) for i in range(4)]
    recs[1] = warc_record("http://example.com/1", http(article(1)), length=length)
    src = tmp_path / "big.warc"
    src.write_bytes(b"".join(recs))
    p = call_cli("--warc", "-j", "1", str(src))
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr and "MemoryError" not in p.stderr
    out = lines_of(p.stdout)
    assert [r["url"] for r in out] == [f"http://example.com/{i}" for i in range(4)]
    assert [("error" in r) for r in out] == [False, True, False, False]
    assert f"Content-Length {length}" in out[1]["error"] or "truncated" in out[1]["error"]
    assert out[2]["title"] == "Page 2" and out[3]["title"] == "Page 3"


# ---- 6. a directory among the inputs ---------------------------------------------

@pytest.mark.parametrize("fmt", ["--jsonl", "--warc"])
def test_a_directory_among_inputs_is_one_line_and_the_others_run(tmp_path, fmt):
    d = tmp_path / "adir"
    d.mkdir()
    src = tmp_path / "in"
    if fmt == "--jsonl":
        src.write_text(json.dumps({"text": PARAS[0]}) + "\n", encoding="utf-8")
    else:
        src.write_bytes(warc_record("http://example.com/a", http(article(0))))
    p = call_cli(fmt, "-j", "1", str(d), str(src))
    assert p.returncode == 1
    assert f"declutter: {d}: is a directory" in p.stderr.splitlines()
    assert len(lines_of(p.stdout)) == 1 and "error" not in lines_of(p.stdout)[0]


# ---- 2. strict JSON out, untouched fields as they came ---------------------------

def test_jsonl_numbers_pass_through_verbatim_and_output_is_strict_json(tmp_path):
    big = "7" * 5000
    src = tmp_path / "n.jsonl"
    src.write_text('{"n":1e400,"text":"x"}\n'
                   '{"n":NaN,"text":"x"}\n'
                   '{"n":-Infinity,"text":"x"}\n'
                   '{"a":1.50,"b":-0,"c":[1.0E5,0.5,12,-3],"text":"x"}\n'
                   f'{{"big":{big},"text":"x"}}\n', encoding="utf-8")
    p = call_cli("--jsonl", "-j", "1", str(src))
    assert p.returncode == 0, p.stderr
    out = p.stdout.splitlines()
    assert len(out) == 5

    def strict(s: str):
        return json.loads(s, parse_int=str, parse_constant=lambda c: pytest.fail(f"{c} in output: {s[:80]}"))

    recs = [strict(x) for x in out]
    assert out[0].startswith('{"n": 1e400, ')
    assert "error" not in recs[0]
    for i in (1, 2):  # NaN and Infinity are not JSON: error records quoting the line
        assert "is not JSON" in recs[i]["error"] and recs[i]["source"] == f"{src}:{i + 1}"
        assert recs[i]["input"] == src.read_text().splitlines()[i]
    assert out[3].startswith('{"a": 1.50, "b": -0, "c": [1.0E5, 0.5, 12, -3], ')
    assert out[4].startswith(f'{{"big": {big}, ') and "error" not in recs[4]
    assert "2 errors" in p.stderr.splitlines()[-1]


# ---- 5. WARC responses that are no article ---------------------------------------

def test_warc_skips_redirects_feeds_and_robots_txt_unless_all_responses(tmp_path):
    src = tmp_path / "mixed.warc"
    src.write_bytes(b"".join([
        warc_record("http://example.com/old", http("<html>Moved</html>", status="302 Found")),
        warc_record("http://example.com/robots.txt", http("User-agent: *\nDisallow: /x\n", ctype="text/plain")),
        warc_record("http://example.com/feed", http("<rss><channel/></rss>", ctype="application/rss+xml")),
        warc_record("http://example.com/feed2", http("<rss><channel/></rss>", ctype="text/xml")),
        warc_record("http://example.com/missing", http(article(1), status="404 Not Found")),
        warc_record("http://example.com/a", http(article(0))),
        warc_record("http://example.com/notes.txt", http(PARAS[2], ctype="text/plain")),
    ]))
    p = call_cli("--warc", "-j", "1", str(src))
    assert p.returncode == 0, p.stderr
    assert [r["url"] for r in lines_of(p.stdout)] == ["http://example.com/a", "http://example.com/notes.txt"]
    assert "5 skipped: 2 non-200, 3 not HTML" in p.stderr.splitlines()[-1]
    p = call_cli("--warc", "--all-responses", "-j", "1", str(src))
    assert p.returncode == 0, p.stderr
    assert len(lines_of(p.stdout)) == 7 and "skipped" not in p.stderr.splitlines()[-1]


# ---- 4. a bit flipped inside a gzip member ---------------------------------------

def _flipped_gzip(n: int) -> tuple[bytes, int]:
    """n JSONL records gzipped, one bit flipped in the middle where inflate
    itself stumbles (not only the CRC at the end); returns (data, byte)."""
    body = "".join(json.dumps({"id": i, "text": f"{PARAS[i % 6]} ({i})"}) + "\n" for i in range(n)).encode()
    whole = gzip.compress(body, mtime=0)
    mid = len(whole) // 2
    for pos in range(mid, mid + 64):
        for bit in range(8):
            bad = bytearray(whole)
            bad[pos] ^= 1 << bit
            try:
                zlib.decompress(bytes(bad), 31)
            except zlib.error as exc:
                if "check" not in str(exc):
                    return bytes(bad), pos
    raise AssertionError("no flip found")


def test_bit_flip_in_gzip_keeps_records_before_it_and_names_the_offset_and_the_loss(tmp_path):
    data, pos = _flipped_gzip(300)
    src = tmp_path / "flip.jsonl.gz"
    src.write_bytes(data)
    p = call_cli("--jsonl", "-j", "1", str(src))
    assert p.returncode == 0, p.stderr  # documented: the damage is a counted error record
    recs = lines_of(p.stdout)
    ok = [r for r in recs if "error" not in r]
    errors = [r for r in recs if "error" in r]
    assert ok and [r["id"] for r in ok] == list(range(len(ok)))  # every record before the damage
    assert all(r["source"].startswith(f"{src}:") for r in errors[:-1])  # lines read but broken: by line
    loss = errors[-1]
    assert loss["source"] == str(src)
    offset = int(re.search(r"compressed byte ([\d,]+)", loss["error"]).group(1).replace(",", ""))
    assert pos <= offset < len(data)
    assert f"({len(data) - offset:,} compressed bytes) could not be read" in loss["error"]
    assert any(f"compressed byte {offset:,}" in ln for ln in p.stderr.splitlines())
    assert f"{len(errors)} errors" in p.stderr.splitlines()[-1]
    assert len(recs) < 300  # the rest is lost, and said so, not silently


# ---- 3. workers of a SIGKILLed run ------------------------------------------------

def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                kids.append(int(entry.name))
    return kids


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent (maybe none here) has not reaped it


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_exit_and_spool_goes_when_the_main_process_is_killed(tmp_path):
    src = tmp_path / "big.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(6000):
            fh.write(json.dumps({"id": i, "text": page(*PARAS, f"Record {i}.")}) + "\n")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen([*CLI, "--jsonl", "-j", "2", str(src)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            workers = _children(proc.pid)
            if len(workers) >= 2 and list(tmp.iterdir()):
                break
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.05)
        else:
            pytest.fail("no workers and spool folder seen")
        spools = list(tmp.iterdir())
    finally:
        proc.kill()
        proc.wait()
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (any(map(_running, workers)) or spools[0].exists()):
            time.sleep(0.05)
        assert not [w for w in workers if _running(w)], "workers outlived their parent"
        assert not spools[0].exists(), "the spool folder outlived the run"
        assert len(spools) == 1 and spools[0].name.startswith(f"declutter-spool-{proc.pid}-")
    finally:
        for w in workers:  # a failing run must not leave them behind
            if _running(w):
                os.kill(w, signal.SIGKILL)


def test_spool_of_a_dead_run_is_swept_by_the_next(tmp_path, monkeypatch):
    from declutter.stream import run as run_mod

    monkeypatch.setattr(run_mod.tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"declutter-spool-{dead.pid}-abcd"
    stale.mkdir()
    (stale / "x.pickle").write_bytes(b"partial")
    live = tmp_path / f"declutter-spool-{os.getpid()}-efgh"
    live.mkdir()
    run_mod._sweep_spools()
    assert not stale.exists() and live.exists()


def test_the_pools_cancelled_future_race_is_not_printed():
    # CPython 3.11's pool manager thread can raise InvalidStateError on a
    # future this process cancelled while the pool shut down: not a traceback
    import threading
    from concurrent.futures import InvalidStateError

    from declutter.stream.run import quiet_cancelled_race

    seen = []
    hook = quiet_cancelled_race(seen.append)

    def args(exc: BaseException) -> threading.ExceptHookArgs:
        return threading.ExceptHookArgs((type(exc), exc, None, None))

    hook(args(InvalidStateError("CANCELLED")))
    assert seen == []
    other = args(ValueError("a real error"))
    hook(other)
    assert seen == [other]
