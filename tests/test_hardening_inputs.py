"""Hardening, part 4: a battery of bad inputs, each through the CLI and the library.

For each: the documented exit status (README, "Exit status" and
"Guarantees"), at most a one-line message per problem on stderr and never a
traceback, and in streams every other record intact and in order.

Complements, without repeating: test_cli.py (closed stdout on a text page,
invalid UTF-8, empty input, line ends), test_html_bad_input.py (bad HTML in
the library), test_stream_jsonl.py (malformed records, truncated gzip in the
library, /dev/full and a closed pipe for --jsonl, a dying worker) and
test_stream_warc.py (the broken WET fragments in the library).
"""
from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from declutter import Cleaner
from declutter.stream import clean_stream

from conftest import CLI, PARAS, ROOT, call_cli, run_cli

WARC_FIX = ROOT / "fixtures" / "warc"
ARTICLE = "\n\n".join(PARAS[:3])


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and "Error:" not in stderr.replace("Error: ", "")


def jsonl_records(stdout: str | bytes) -> list[dict]:
    data = stdout.encode() if isinstance(stdout, str) else stdout
    data.decode("utf-8")  # strictly valid UTF-8
    return [json.loads(x) for x in data.splitlines()]


# -- invalid UTF-8 -----------------------------------------------------------------

BAD_UTF8 = PARAS[0].encode()[:40] + b"\xff\xfe\xc3\x28\xed\xa0\x80" + PARAS[0].encode()[40:] + b"\n"


def test_invalid_utf8_library_text_and_html(cleaner):
    text = cleaner.clean(BAD_UTF8, html=False).text
    assert "\ufffd" in text and text.encode("utf-8")
    html = cleaner.clean(b"<html><body><p>" + BAD_UTF8 + b"</p></body></html>", html=True).text
    assert html.encode("utf-8") and PARAS[0][-40:] in html


@pytest.mark.parametrize("mode", ["--text", "--html"])
def test_invalid_utf8_cli(mode):
    data = BAD_UTF8 if mode == "--text" else b"<html><body><p>" + BAD_UTF8 + b"</p></body></html>"
    p = run_cli(mode, input=data)
    assert p.returncode == 0 and p.stderr == ""
    assert PARAS[0][-40:] in p.stdout


# -- NUL bytes -----------------------------------------------------------------------

def test_nul_bytes_library(cleaner):
    page = f"{PARAS[0][:30]}\x00{PARAS[0][30:]}\n\n{PARAS[1]}\n"
    out = cleaner.clean(page, html=False).text
    assert out == page.strip()  # text mode never rewrites a line: the NUL stays, as in the input
    out = cleaner.clean(page.encode(), html=None).text
    assert out == page.strip()
    html = cleaner.clean(f"<p>{PARAS[0][:30]}\x00\x00{PARAS[0][30:]}</p>".encode(), html=True).text
    # HTML makes control characters spaces: never shown, and never joining two words
    assert html == PARAS[0][:30] + " " + PARAS[0][30:]


def test_nul_bytes_cli():
    page = f"{PARAS[0][:30]}\x00{PARAS[0][30:]}\n\n{PARAS[1]}\n".encode()
    p = run_cli("--text", input=page)
    assert p.returncode == 0 and p.stderr == "" and p.stdout.encode() == page
    p = run_cli("--html", input=b"<p>" + page + b"</p>")
    assert p.returncode == 0 and p.stderr == "" and "\x00" not in p.stdout


def test_nul_bytes_in_a_jsonl_record(tmp_path):
    src = tmp_path / "in.jsonl"
    nul = PARAS[0][:30] + "\x00" + PARAS[0][30:]
    src.write_text(json.dumps({"n": 1, "text": nul}) + "\n" + json.dumps({"n": 2, "text": PARAS[1]}) + "\n")
    p = run_cli("--jsonl", "-j", "1", "--text", str(src))
    recs = jsonl_records(p.stdout)
    assert p.returncode == 0 and [r["text"] for r in recs] == [nul, PARAS[1]]


# -- a 50 MB line ---------------------------------------------------------------------

BIG_LINE = ("The river rose again overnight, and the town's volunteers, who had worked through the rain, "
            "filled more sandbags by the old mill. ") * 400_000  # ~50 MB, one line of prose


def test_fifty_megabyte_line_library(cleaner):
    assert len(BIG_LINE) > 50_000_000
    result = cleaner.clean(BIG_LINE, html=False)
    assert result.text == BIG_LINE and "warnings" not in result.metadata  # the line, as it was


def test_fifty_megabyte_line_cli():
    p = subprocess.run(CLI + ["--text"], input=(BIG_LINE + "\n").encode(), capture_output=True, cwd=ROOT,
                       timeout=600)
    assert p.returncode == 0 and p.stderr == b""
    assert p.stdout == (BIG_LINE + "\n").encode()


# -- 100,000 nested tags -----------------------------------------------------------------

DEEP_SENTENCE = "Deep inside the page there is a sentence that must survive the nesting, whatever happens."
DEEP = ("<html><body><p>" + PARAS[0] + "</p>" + "<div>" * 100_000 + "<p>" + DEEP_SENTENCE + "</p>"
        + "</div>" * 100_000 + "</body></html>")


def test_deep_nesting_cli_keeps_the_text_and_warns_on_one_line():
    p = run_cli("--html", input=DEEP)
    assert p.returncode == 0
    assert DEEP_SENTENCE in p.stdout and PARAS[0] in p.stdout
    (line,) = p.stderr.splitlines()
    assert line.startswith("declutter: <stdin>: page nested deeper than the HTML parser can hold")


def test_deep_nesting_in_a_stream_record_is_flagged(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"n": 1, "text": DEEP}) + "\n" + json.dumps({"n": 2, "text": PARAS[1]}) + "\n")
    out = io.BytesIO()
    clean_stream([str(src)], Cleaner(), out=out, jobs=1, summary_to=False)
    first, second = jsonl_records(out.getvalue())
    assert DEEP_SENTENCE in first["text"] and first["metadata"]["html_fallback"] == "html.too-deep"
    assert first["metadata"]["warnings"] and second["text"] == PARAS[1]


# -- empty, whitespace, only markup, \r -------------------------------------------------

EMPTYISH = [b"", b"   \n\t\n  ", b"\r\r\n\r", b"<div><span></span><br/></div>", b"<html><head></head><body></body></html>",
            b"<!-- nothing -->", b"\xef\xbb\xbf"]


@pytest.mark.parametrize("data", EMPTYISH)
def test_empty_whitespace_and_markup_only_library(cleaner, data):
    for html in (None, True, False):
        result = cleaner.clean(data, html=html)
        if html is False and data.startswith(b"<"):
            assert result.text in ("", data.decode())  # markup as text is one short line
        else:
            assert result.text == ""


@pytest.mark.parametrize("data", EMPTYISH)
def test_empty_whitespace_and_markup_only_cli(data):
    p = call_cli(input=data)
    assert p.returncode == 0 and p.stdout == "" and p.stderr == ""
    p = call_cli("--json", input=data)
    assert p.returncode == 0 and json.loads(p.stdout)["text"] == ""


def test_empty_streams(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.jsonl"
    blank.write_bytes(b"\n  \n\r\n")
    for path, fmt in ((empty, "--jsonl"), (blank, "--jsonl"), (empty, "--warc")):
        p = run_cli(fmt, "-j", "1", str(path))
        assert p.returncode == 0 and p.stdout == ""
        (line,) = p.stderr.splitlines()
        assert line.startswith("declutter: 0 records")


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_cr_line_ends_library_and_cli(cleaner, newline):
    page = newline.join(["Home | News | Sport", "", *PARAS[:3], "", "Leave a Reply"])
    expected = cleaner.clean(page.replace(newline, "\n"), html=False).text
    assert expected == "\n\n".join(PARAS[:3]) or PARAS[0] in expected
    assert cleaner.clean(page, html=False).text == expected
    p = call_cli("--text", input=page)
    assert p.returncode == 0 and p.stdout == expected + "\n"


# -- mixed encodings in one JSONL stream ------------------------------------------------

def mixed_stream(tmp_path) -> Path:
    lines = [
        json.dumps({"n": 0, "text": "Grüße aus Köln. " + PARAS[0]}, ensure_ascii=False).encode("utf-8"),
        json.dumps({"n": 1, "text": "Grüße aus Köln. " + PARAS[1]}, ensure_ascii=False).encode("latin-1"),
        json.dumps({"n": 2, "text": "Привет. " + PARAS[2]}, ensure_ascii=False).encode("cp1251"),
        b"\xef\xbb\xbf" + json.dumps({"n": 3, "text": PARAS[3]}).encode(),
        json.dumps({"n": 4, "text": "東京 " + PARAS[4]}, ensure_ascii=False).encode("shift_jis"),
        json.dumps({"n": 5, "text": PARAS[5]}).encode("utf-16-le"),
        json.dumps({"n": 6, "text": "The end. " + PARAS[0]}).encode(),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def check_mixed(recs: list[dict], src: Path) -> None:
    assert len(recs) == 7  # one record out per line in
    assert [r.get("n") for r in recs[:5]] == [0, 1, 2, 3, 4] and recs[6]["n"] == 6
    assert recs[0]["text"].startswith("Grüße aus Köln.")
    assert recs[1]["text"].startswith("Gr\ufffd\ufffde aus K\ufffdln.")  # Latin-1 bytes: replaced, not a crash
    assert PARAS[2] in recs[2]["text"] and "\ufffd" in recs[2]["text"]
    assert recs[3]["text"] == PARAS[3]  # a byte-order mark before a record is ignored
    assert recs[5]["source"] == f"{src}:6" and "malformed JSON" in recs[5]["error"]  # UTF-16: not JSON Lines
    assert recs[6]["text"].startswith("The end.")


def test_mixed_encodings_in_one_stream_library(tmp_path):
    src = mixed_stream(tmp_path)
    out = io.BytesIO()
    summary = clean_stream([str(src)], Cleaner(), out=out, jobs=1, summary_to=False)
    check_mixed(jsonl_records(out.getvalue()), src)
    assert summary.stats.records == 7


def test_mixed_encodings_in_one_stream_cli(tmp_path):
    src = mixed_stream(tmp_path)
    p = run_cli("--jsonl", "-j", "2", str(src))
    assert p.returncode == 0
    check_mixed(jsonl_records(p.stdout), src)
    no_traceback(p.stderr)
    assert p.stderr.splitlines()[-1].startswith("declutter: 7 records")


# -- a truncated gzip file ----------------------------------------------------------------

def test_truncated_gzip_jsonl_cli(tmp_path):
    body = "".join(json.dumps({"n": i, "text": f"{PARAS[i % 6]} ({i})"}) + "\n" for i in range(3000)).encode()
    whole = gzip.compress(body)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    p = run_cli("--jsonl", "-j", "2", "--text", str(cut))
    assert p.returncode == 0  # the intact records were emitted; the damage is an error record
    recs = jsonl_records(p.stdout)
    ok = [r for r in recs if "error" not in r]
    assert [r["n"] for r in ok] == list(range(len(ok))) and 0 < len(ok) < 3000
    assert "gzip stream truncated" in recs[-1]["error"] and len(recs) == len(ok) + 1
    damage = [ln for ln in p.stderr.splitlines() if "gzip stream truncated" in ln]
    assert len(damage) == 1 and damage[0].startswith(f"declutter: {cut}")
    no_traceback(p.stderr)


def test_truncated_gzip_warc_cli():
    name = WARC_FIX / "appended_zip_fragment_unexpected_eof.wet.gz"
    p = run_cli("--warc", "-j", "1", str(name))
    assert p.returncode == 0
    recs = jsonl_records(p.stdout)
    assert len(recs) == 16 and all("error" not in r for r in recs[:15])
    assert "record truncated" in recs[-1]["error"] and "gzip stream truncated" in recs[-1]["error"]
    assert p.stderr.splitlines()[-1].startswith("declutter: 16 records") and "1 errors" in p.stderr


# -- truncated and corrupt WARC/WET records (adds the Common Crawl fragments and the
#    CLI side to test_stream_warc.py) ----------------------------------------------------

@pytest.mark.parametrize("name, intact, broken", [
    ("corrupt_starts_with_conversion.wet.gz", 5, []),  # no warcinfo record first: fine
    ("corrupt_warcinfo_1.wet.gz", 5, []),  # warcinfo without WARC-Filename: harmless
    ("fragment3.wet.gz", 5, []),
    ("corrupt_warcconversion_2.wet.gz", 0, ["without WARC-Target-URI"]),
    ("fragment2_no_header.wet.gz", 1, ["7429 bytes that are not a WARC record", "record truncated"]),
    ("file_and_wet_headers_only.wet.gz", 0, ["Content-Length does not match", "record header cut short"]),
])
def test_broken_wet_fragments_through_the_cli(name, intact, broken):
    p = run_cli("--warc", "-j", "2", str(WARC_FIX / name))
    assert p.returncode == 0  # broken records are error records, counted, not fatal
    recs = jsonl_records(p.stdout)
    ok, bad = [r for r in recs if "error" not in r], [r for r in recs if "error" in r]
    assert len(ok) == intact and len(bad) == len(broken)
    for rec, what in zip(bad, broken):
        assert what in rec["error"] and rec["source"].startswith(f"{WARC_FIX / name}@")
    assert all(r["url"] and r["record_id"] and isinstance(r["text"], str) for r in ok)
    errors = [ln for ln in p.stderr.splitlines() if "@" in ln]
    assert len(errors) == len(broken)  # one line per broken record
    assert p.stderr.splitlines()[-1].startswith(f"declutter: {intact + len(broken)} records")
    no_traceback(p.stderr)


def test_broken_fragments_between_whole_files_keep_order(tmp_path):
    names = ["filter_test_1.wet.gz", "fragment2_no_header.wet.gz", "corrupt_starts_with_conversion.wet.gz"]
    out = io.BytesIO()
    clean_stream([str(WARC_FIX / n) for n in names], Cleaner(), fmt="warc", out=out, jobs=2, summary_to=False,
                 batch_records=3)
    recs = jsonl_records(out.getvalue())
    assert len(recs) == 25 + 3 + 5
    assert all("error" not in r for r in recs[:25]) and all("error" not in r for r in recs[28:])
    assert [("error" in r) for r in recs[25:28]] == [True, False, True]
    one = io.BytesIO()
    clean_stream([str(WARC_FIX / names[2])], Cleaner(), fmt="warc", out=one, jobs=1, summary_to=False)
    assert recs[28:] == jsonl_records(one.getvalue())  # the same records as the file read alone


# -- a malformed JSONL line in the middle of a stream --------------------------------------

def test_malformed_line_in_the_middle_reported_as_file_line(tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [json.dumps({"n": i, "text": PARAS[i % 6]}) for i in range(1000)]
    lines[500] = '{"n": 500, "text": "cut sh'
    src.write_text("\n".join(lines) + "\n")
    p = run_cli("--jsonl", "-j", "2", "--text", str(src))
    assert p.returncode == 0
    recs = jsonl_records(p.stdout)
    assert len(recs) == 1000
    assert [r["n"] for r in recs if "n" in r] == [i for i in range(1000) if i != 500]
    assert recs[500]["source"] == f"{src}:501" and recs[500]["input"] == lines[500]
    (msg,) = [ln for ln in p.stderr.splitlines() if ":501:" in ln]
    assert msg.startswith(f"declutter: {src}:501: malformed JSON")
    no_traceback(p.stderr)


# -- stdout closed early -------------------------------------------------------------------

def closed_early(args: list[str], data: bytes | None = None) -> tuple[int, str, bytes]:
    proc = subprocess.Popen(CLI + args, stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    if data is not None:
        import threading

        def feed():
            try:
                proc.stdin.write(data)
                proc.stdin.close()
            except OSError:
                pass

        threading.Thread(target=feed, daemon=True).start()
    first = proc.stdout.readline()
    proc.stdout.close()
    rc = proc.wait(timeout=300)
    return rc, proc.stderr.read().decode(), first


def test_closed_stdout_json_over_many_files_is_silent_exit_0(tmp_path):
    files = []
    for i in range(200):
        f = tmp_path / f"p{i}.txt"
        f.write_text(ARTICLE * 20)
        files.append(str(f))
    rc, err, first = closed_early(["--json", *files])
    assert rc == 0 and err == "" and json.loads(first)["text"]


def test_closed_stdout_warc_is_silent_exit_0():
    names = [str(WARC_FIX / "filter_test_1.wet.gz")] * 20
    rc, err, first = closed_early(["--warc", "-j", "2", *names])
    assert rc == 0 and err == "" and json.loads(first)["url"]


def test_closed_stdout_library_raises_a_plain_os_error(tmp_path):
    class Closed(io.RawIOBase):
        def writable(self):
            return True

        def write(self, b):
            raise BrokenPipeError(32, "Broken pipe")

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": PARAS[0]}) + "\n")
    with pytest.raises(BrokenPipeError):
        clean_stream([str(src)], Cleaner(), out=Closed(), jobs=1, summary_to=False)


# -- output disk full (/dev/full) -------------------------------------------------------------

full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


@full
@pytest.mark.parametrize("args", [["--text"], ["--json"], ["--explain", "--no-color"], ["--html"]])
def test_disk_full_one_line_exit_1(tmp_path, args):
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE if "--html" not in args else f"<p>{PARAS[0]}</p>")
    with open("/dev/full", "wb") as out:
        p = subprocess.run(CLI + args + [str(page)], stdout=out, stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    assert p.returncode == 1
    assert p.stderr.decode() == "declutter: cannot write output: No space left on device\n"


@full
def test_disk_full_warc_one_line_exit_1():
    with open("/dev/full", "wb") as out:
        p = subprocess.run(CLI + ["--warc", "-j", "2", str(WARC_FIX / "filter_test_1.wet.gz")], stdout=out,
                           stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    assert p.returncode == 1
    assert p.stderr.decode().splitlines() == ["declutter: cannot write output: No space left on device"]


@full
def test_disk_full_library_raises_os_error(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": PARAS[i % 6]}) + "\n" for i in range(100)))
    with open("/dev/full", "wb") as out, pytest.raises(OSError) as info:
        clean_stream([str(src)], Cleaner(), out=out, jobs=1, summary_to=False)
    assert info.value.errno == 28  # ENOSPC
