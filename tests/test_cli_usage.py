"""The command line's usage rules: what it refuses (binary pages, outputs that
are inputs, flags that conflict or do nothing, typo'd subcommands) and how it
labels several pages. Each refusal is one line on stderr and a documented
exit status, before anything is written."""
from __future__ import annotations

import gzip
import importlib.util
import json
import os
import pty
import shutil
import subprocess

import pytest

from conftest import CLI, PARAS, ROOT, RULES_DIR, SEED, call_cli, page, run_cli

ARTICLE = page(*PARAS)


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def jsonl_file(tmp_path, name="in.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps({"n": i, "text": p}) + "\n" for i, p in enumerate(PARAS)), encoding="utf-8")
    return path


# ---------------------------------------------------------------- 1. binary and compressed pages

BINARY = bytes(range(256)) * 40 + b"\x00" * 4000


@pytest.mark.parametrize("mode", [[], ["--text"], ["--html"]])
def test_binary_page_is_refused_in_every_mode(tmp_path, mode):
    path = tmp_path / "prog.bin"
    path.write_bytes(BINARY)
    proc = call_cli(*mode, str(path))
    assert proc.returncode == 1
    assert proc.stdout == ""
    line = one_line(proc.stderr)
    assert line.startswith("declutter: ") and "prog.bin" in line and "binary data" in line


def test_binary_page_on_stdin_is_refused_and_other_pages_still_cleaned(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    proc = call_cli("-", str(path), input=BINARY)
    assert proc.returncode == 1
    assert "binary data" in one_line(proc.stderr)
    assert PARAS[0] in proc.stdout


def test_gzip_page_is_read_as_the_page_it_holds(tmp_path):
    path = tmp_path / "seed.txt.gz"
    path.write_bytes(gzip.compress(SEED.read_bytes()))
    packed, plain = call_cli(str(path)), call_cli(str(SEED))
    assert packed.returncode == 0, packed.stderr
    assert packed.stdout == plain.stdout and packed.stdout.startswith("BEIJING")


def test_gzip_of_a_binary_file_is_refused(tmp_path):
    path = tmp_path / "prog.gz"
    path.write_bytes(gzip.compress(BINARY))
    proc = call_cli(str(path))
    assert proc.returncode == 1 and proc.stdout == ""
    assert "binary data" in one_line(proc.stderr)


@pytest.mark.parametrize("content, flag", [
    (b'{"text": "a page", "url": "https://example.com/"}\n{"text": "another"}\n', "--jsonl"),
    (b"WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n", "--warc"),
])
def test_compressed_corpus_given_as_a_page_names_the_flag_to_use(tmp_path, content, flag):
    path = tmp_path / "corpus.gz"
    path.write_bytes(gzip.compress(content))
    proc = call_cli(str(path))
    assert proc.returncode == 1 and proc.stdout == ""
    line = one_line(proc.stderr)
    assert "corpus.gz" in line and flag in line


def test_damaged_gzip_page_is_one_line(tmp_path):
    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(ARTICLE.encode() * 50)[:200])
    proc = call_cli(str(path))
    assert proc.returncode == 1
    assert "gzip" in one_line(proc.stderr)


@pytest.mark.skipif(importlib.util.find_spec("zstandard") is not None, reason="zstandard is installed")
def test_zstd_page_without_zstandard_is_one_line(tmp_path):
    path = tmp_path / "page.zst"
    path.write_bytes(b"\x28\xb5\x2f\xfd" + bytes(range(200)))
    proc = call_cli(str(path))
    assert proc.returncode == 1 and proc.stdout == ""
    assert "zstandard" in one_line(proc.stderr)


# ---------------------------------------------------------------- 2. outputs that are inputs

def test_errors_file_that_is_the_input_is_refused_and_the_input_kept(tmp_path):
    src = jsonl_file(tmp_path)
    before = src.read_bytes()
    proc = call_cli("--jsonl", "--errors", str(src), str(src))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "--errors" in one_line(proc.stderr)
    assert src.read_bytes() == before


def test_errors_file_that_is_the_input_by_another_name_is_refused(tmp_path):
    src = jsonl_file(tmp_path)
    os.link(src, tmp_path / "alias.jsonl")
    before = src.read_bytes()
    proc = call_cli("--jsonl", "--errors", str(tmp_path / "alias.jsonl"), str(src))
    assert proc.returncode == 2
    assert src.read_bytes() == before


def test_learn_output_that_is_the_corpus_is_refused(tmp_path):
    src = jsonl_file(tmp_path)
    before = src.read_bytes()
    proc = call_cli("learn", str(src), "-o", str(src))
    assert proc.returncode == 2
    assert "-o" in one_line(proc.stderr)
    assert src.read_bytes() == before


def test_out_dir_shard_that_is_an_input_is_refused(tmp_path):
    src = jsonl_file(tmp_path, "part-00000-00000000.jsonl")
    proc = call_cli("--jsonl", "--engine", "ray", "--out-dir", str(tmp_path), str(src))
    assert proc.returncode == 2
    assert "--out-dir" in one_line(proc.stderr)


# ---------------------------------------------------------------- 3. --engine ray without Ray

NO_RAY = pytest.mark.skipif(importlib.util.find_spec("ray") is not None, reason="Ray is installed")


@NO_RAY
@pytest.mark.parametrize("args", [
    ["--jsonl", "--engine", "ray", "--out-dir", "OUT", "IN"],
    ["learn", "--engine", "ray", "IN"],
])
def test_engine_ray_without_ray_is_one_line_exit_2(tmp_path, args):
    src = jsonl_file(tmp_path)
    args = [{"IN": str(src), "OUT": str(tmp_path / "out")}.get(a, a) for a in args]
    proc = run_cli(*args)
    assert proc.returncode == 2, proc.stderr
    assert "pip install 'declutter[ray]'" in one_line(proc.stderr)


# ---------------------------------------------------------------- 4. --version, typo'd subcommands

def test_version_prints_name_and_version():
    proc = call_cli("--version")
    assert proc.returncode == 0, proc.stderr
    name, version, core = proc.stdout.split(" ", 2)
    assert name == "declutter" and version[0].isdigit() and version.count(".") >= 2
    assert core in ("(core: rust)\n", "(core: python)\n")


@pytest.mark.parametrize("args, typo, meant", [
    (["lern", "x.jsonl"], "lern", "learn"),
    (["rulez", "list"], "rulez", "rules"),
])
def test_typo_of_a_subcommand_suggests_the_command(args, typo, meant):
    proc = call_cli(*args)
    assert proc.returncode == 2 and proc.stdout == ""
    assert one_line(proc.stderr) == f"declutter: no such command '{typo}'; did you mean '{meant}'?"


def test_an_existing_file_named_like_a_word_is_still_a_page(tmp_path):
    (tmp_path / "lern").write_text(ARTICLE, encoding="utf-8")
    proc = run_cli("lern", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert PARAS[0] in proc.stdout


# ---------------------------------------------------------------- 5. conflicting and useless flags

@pytest.mark.parametrize("args", [
    ["--text", "--html"],
    ["--explain", "--json"],
    ["--field", "body"],
    ["--field", "text"],  # the default, given: still meaningless on a page
    ["--url-field", "link"],
    ["--out-field", "clean"],
    ["--with-removed"],
    ["--errors", "ERR"],
    ["--out-dir", "OUT"],
    ["--engine", "local"],
    ["--address", "auto"],
    ["-j", "0"],
    ["--jsonl", "--explain"],
    ["--jsonl", "--json"],
    ["--warc", "--url", "https://example.com/"],
])
def test_conflicting_or_useless_flags_are_a_usage_error(tmp_path, args):
    args = [{"ERR": str(tmp_path / "err.jsonl"), "OUT": str(tmp_path / "out")}.get(a, a) for a in args]
    proc = call_cli(*args, input=ARTICLE)
    assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
    assert proc.stdout == ""
    one_line(proc.stderr)
    assert not (tmp_path / "err.jsonl").exists() and not (tmp_path / "out").exists()


def test_text_and_html_conflict_in_learn_too(tmp_path):
    proc = call_cli("learn", "--text", "--html", str(jsonl_file(tmp_path)))
    assert proc.returncode == 2
    one_line(proc.stderr)


# ---------------------------------------------------------------- 6. -j bounds

@pytest.mark.parametrize("prefix", [["--jsonl"], ["learn"]])
def test_negative_jobs_is_a_usage_error(tmp_path, prefix):
    proc = call_cli(*prefix, "-j", "-1", str(jsonl_file(tmp_path)))
    assert proc.returncode == 2 and proc.stdout == ""
    one_line(proc.stderr)


def _cores() -> int:
    return len(os.sched_getaffinity(0))


@pytest.mark.parametrize("prefix", [["--jsonl"], ["learn"]])
def test_jobs_over_the_cpu_count_are_capped_with_a_note(tmp_path, prefix):
    asked = _cores() + 3
    proc = call_cli(*prefix, "-j", str(asked), str(jsonl_file(tmp_path)))
    assert proc.returncode == 0, proc.stderr
    note = proc.stderr.splitlines()[0]
    assert note.startswith("declutter: ") and f"-j {asked}" in note and f"using {_cores()}" in note
    assert "--force-jobs" in note


def test_force_jobs_keeps_the_count_without_a_note(tmp_path):
    proc = call_cli("--jsonl", "--force-jobs", "-j", str(_cores() + 1), str(jsonl_file(tmp_path)))
    assert proc.returncode == 0, proc.stderr
    assert "--force-jobs" not in proc.stderr and "using" not in proc.stderr


# ---------------------------------------------------------------- 7. several pages

def test_several_pages_get_a_header_each_and_a_blank_line_between(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(page(*PARAS[:3]), encoding="utf-8")
    b.write_text(page(*PARAS[3:]), encoding="utf-8")
    one_a, one_b = call_cli(str(a)).stdout, call_cli(str(b)).stdout
    proc = call_cli(str(a), str(b))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"==> {a} <==\n{one_a}\n==> {b} <==\n{one_b}"


def test_one_page_has_no_header(tmp_path):
    proc = call_cli(str(SEED))
    assert not proc.stdout.startswith("==>")


def test_json_pages_name_their_source(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(ARTICLE, encoding="utf-8")
    proc = call_cli("--json", str(a), "-", input=ARTICLE)
    assert proc.returncode == 0, proc.stderr
    objs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["source"] for o in objs] == [str(a), "<stdin>"]


# ---------------------------------------------------------------- 8. rules check

def test_rules_check_a_file_with_no_rules_is_not_ok(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    proc = call_cli("rules", "check", str(path))
    assert proc.returncode == 2 and proc.stdout == ""
    line = one_line(proc.stderr)
    assert "list.txt" in line and "no rules" in line


def test_rules_check_a_copy_of_the_default_folder_is_ok(tmp_path):
    shutil.copytree(RULES_DIR, tmp_path / "rules")
    proc = call_cli("rules", "check", str(tmp_path / "rules"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok: ")


# ---------------------------------------------------------------- 9. a folder among pages

def test_a_folder_among_pages_is_one_line_and_the_others_are_cleaned(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "sub"
    folder.mkdir()
    proc = call_cli(str(folder), str(a))
    assert proc.returncode == 1
    assert one_line(proc.stderr) == f"declutter: {folder}: is a directory"
    assert PARAS[0] in proc.stdout


# ---------------------------------------------------------------- 10. TERM=dumb

def _on_a_terminal(*args: str, env: dict[str, str]) -> bytes:
    """stdout of `declutter ARGS` run with a pseudo-terminal as its stdout."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*CLI, *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.DEVNULL,
                            cwd=ROOT, env=env)
    os.close(slave)
    out = b""
    try:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
    assert proc.wait(timeout=120) == 0
    return out


def test_term_dumb_gets_no_colour_unless_asked():
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert b"\x1b[" in _on_a_terminal("--explain", str(SEED), env={**env, "TERM": "xterm"})
    assert b"\x1b[" not in _on_a_terminal("--explain", str(SEED), env={**env, "TERM": "dumb"})
    assert b"\x1b[" in _on_a_terminal("--explain", "--color", str(SEED), env={**env, "TERM": "dumb"})
