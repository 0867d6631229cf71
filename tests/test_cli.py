"""The `declutter` command as a Unix filter: inputs, outputs, exit statuses,
one-line errors, rule options and the `rules` subcommands."""
from __future__ import annotations

import json
import re
import shlex
import subprocess
import tomllib

import pytest

from conftest import CLI, FIXTURES, PARAS, RULES_DIR, SEED, call_cli, page, run_cli

SEED_TITLE = "China seeks policy support for Russian automakers"
FIX = "009_en_spam-site-title"
FIX2 = "004_en_disqus-short"


def fixture_in(name: str) -> str:
    return str(FIXTURES / f"{name}.txt")


def fixture_out(name: str) -> str:
    return (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8")


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def one_line(stderr: str) -> str:
    """stderr must be exactly one non-empty line, with no traceback."""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].strip()
    return lines[0]


# ---------------------------------------------------------------- inputs and outputs

def test_stdin_seed_prints_six_paragraphs_and_exits_0():
    proc = run_cli(input=SEED.read_bytes())
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert proc.stdout.endswith(".\n")
    paragraphs = proc.stdout[:-1].split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("BEIJING, Nov 24 (Reuters) –")
    assert paragraphs[-1].endswith("global automotive industry.")
    assert SEED_TITLE not in proc.stdout


def test_named_file_prints_its_article():
    proc = call_cli(fixture_in(FIX))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == fixture_out(FIX)


def test_several_files_are_cleaned_in_order():
    proc = call_cli(fixture_in(FIX), fixture_in(FIX2))
    assert proc.returncode == 0, proc.stderr
    first, second = fixture_out(FIX), fixture_out(FIX2)
    assert proc.stdout == f"==> {fixture_in(FIX)} <==\n{first}\n==> {fixture_in(FIX2)} <==\n{second}"


def test_dash_names_stdin_among_files():
    proc = call_cli(fixture_in(FIX2), "-", input=(FIXTURES / f"{FIX}.txt").read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"==> {fixture_in(FIX2)} <==\n{fixture_out(FIX2)}")
    assert proc.stdout.endswith(f"\n==> <stdin> <==\n{fixture_out(FIX)}")


def test_json_has_title_text_metadata_and_removed_with_reasons_and_spans():
    proc = call_cli("--json", input=SEED.read_bytes())
    assert proc.returncode == 0, proc.stderr
    out_lines = proc.stdout.splitlines()
    assert len(out_lines) == 1  # one JSON object per page
    obj = json.loads(out_lines[0])
    assert obj["title"] == SEED_TITLE
    assert obj["text"].startswith("BEIJING, Nov 24 (Reuters) –")
    assert obj["text"].endswith("global automotive industry.")
    assert isinstance(obj["metadata"], dict)
    lines = seed_lines()
    removed = obj["removed"]
    for r in removed:
        assert set(r) >= {"text", "lines", "reason"}
        first, last = r["lines"]
        assert 1 <= first <= last <= len(lines)
        assert r["text"] == lines[first - 1].strip()
        assert re.fullmatch(r"[a-z0-9][a-z0-9._:-]*", r["reason"]), r
    by_text = {}
    for r in removed:
        by_text.setdefault(r["text"], []).append(r)
    reply = by_text["Leave a Reply"]
    assert reply[0]["lines"] == [lines.index("Leave a Reply") + 1] * 2
    assert reply[0]["reason"].startswith("comments.")
    banner = lines[0]
    assert [r["lines"] for r in by_text[banner]] == [[1, 1], [len(lines), len(lines)]]
    assert {r["reason"] for r in by_text[banner]} == {"signal.repeated"}
    assert sorted(r["lines"][0] for r in by_text[SEED_TITLE]) == [i + 1 for i, l in enumerate(lines) if l == SEED_TITLE]
    # Nothing of the article body is among the removed blocks.
    assert not any(r["text"].startswith("BEIJING") for r in removed)


def test_json_prints_one_object_per_file():
    proc = call_cli("--json", fixture_in(FIX), fixture_in(FIX2))
    assert proc.returncode == 0, proc.stderr
    objs = [json.loads(l) for l in proc.stdout.splitlines()]
    assert [o["text"] for o in objs] == [fixture_out(FIX)[:-1], fixture_out(FIX2)[:-1]]


def test_explain_piped_has_plain_markers_and_ids():
    proc = run_cli("--explain", input=SEED.read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout
    marked = [l for l in proc.stdout.splitlines() if re.match(r"\s*(keep|drop)\b", l)]
    blocks = [l for l in seed_lines() if l.strip()]
    assert len(marked) == len(blocks)  # every block of the input, once
    beijing = [l for l in marked if "BEIJING" in l]
    assert len(beijing) == 1 and beijing[0].lstrip().startswith("keep")
    reply = [l for l in marked if "Leave a Reply" in l]
    assert len(reply) == 1 and reply[0].lstrip().startswith("drop")
    assert re.search(r"\bcomments\.[a-z0-9._-]+", reply[0])
    banner = [l for l in marked if seed_lines()[0] in l]
    assert len(banner) == 2 and all("drop" in l and "signal.repeated" in l for l in banner)
    titles = [l for l in marked if SEED_TITLE in l and "signal.title" in l]
    assert len(titles) == 2
    assert len({id_column(l) for l in marked}) == 1  # ids aligned


ID = re.compile(r"\b(?:signal|comments|nav|share|related|taxonomy|byline|cookie|newsletter|sidebar|footer|ads|bio)\.[a-z0-9._-]+")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def id_column(line: str) -> int:
    m = ID.search(line)
    assert m, line
    return m.start()


def test_explain_color_uses_ansi_escapes():
    proc = call_cli("--explain", "--color", input=SEED.read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[" in proc.stdout
    assert "signal.repeated" in proc.stdout
    marked = [l for l in proc.stdout.splitlines() if re.match(r"\s*(keep|drop)\b", ANSI.sub("", l))]
    assert len(marked) == len([l for l in seed_lines() if l.strip()])
    for line in marked:
        dropped = ANSI.sub("", line).lstrip().startswith("drop")
        dim_or_struck = "\x1b[2m" in line or "\x1b[9m" in line
        assert dim_or_struck == dropped, line
    assert len({id_column(ANSI.sub("", l)) for l in marked}) == 1  # ids aligned


# ---------------------------------------------------------------- exit statuses and errors

def test_missing_file_exit_1_one_line_and_other_files_still_processed(tmp_path):
    missing = tmp_path / "no-such-page.txt"
    proc = run_cli(str(missing), fixture_in(FIX))
    assert proc.returncode == 1
    line = one_line(proc.stderr)
    assert "no-such-page.txt" in line
    assert proc.stdout == f"==> {fixture_in(FIX)} <==\n{fixture_out(FIX)}"  # a header: two files were named


def test_unknown_option_exit_2_without_traceback():
    proc = run_cli("--no-such-option", input=SEED.read_bytes())
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert "--no-such-option" in line
    assert proc.stdout == ""


RULE = '''
[[rule]]
id = "local.poll"
name = "reader poll"
description = "A poll widget printed inside articles."
pattern = '^Reader poll:'
max_chars = 120
'''

POLL = "Reader poll: which bridge design do you prefer?"
POLL_PAGE = page(*PARAS[:3], POLL, *PARAS[3:])

BROKEN = {
    "bad-toml": ('[[rule]]\nid = "local.x"\nname = "x\n', None, "toml"),
    "unknown-key": (RULE.replace("max_chars = 120", "max_chars = 120\ncolour = \"red\""), "local.poll", "colour"),
    "bad-regex": (RULE.replace("'^Reader poll:'", "'^Reader (poll:'"), "local.poll", "regex"),
    "bad-action": (RULE + 'action = "explode"\n', "local.poll", "action"),
    "bad-where": (RULE + 'where = "middle"\n', "local.poll", "where"),
}


@pytest.mark.parametrize("case", sorted(BROKEN), ids=sorted(BROKEN))
def test_broken_rule_file_exit_2_one_line_naming_file_id_problem(tmp_path, case):
    text, rule_id, problem = BROKEN[case]
    path = tmp_path / f"broken-{case}.toml"
    path.write_text(text, encoding="utf-8")
    runner = run_cli if case == "bad-toml" else call_cli  # one case in a real process
    proc = runner("--rules", str(path), input=POLL_PAGE)
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert path.name in line
    if rule_id:
        assert rule_id in line
    assert problem in line.lower()
    assert proc.stdout == ""


def test_duplicate_id_across_two_files_exit_2(tmp_path):
    (tmp_path / "a.toml").write_text(RULE, encoding="utf-8")
    (tmp_path / "b.toml").write_text(RULE.replace("reader poll", "another poll"), encoding="utf-8")
    proc = call_cli("--rules", str(tmp_path / "a.toml"), "--rules", str(tmp_path / "b.toml"), input=POLL_PAGE)
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert "b.toml" in line and "local.poll" in line and "duplicate" in line.lower()


def test_user_rule_reusing_a_default_id_exit_2(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(RULE.replace("local.poll", "nav.post-links"), encoding="utf-8")
    proc = call_cli("--rules", str(path), input=POLL_PAGE)
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert "mine.toml" in line and "nav.post-links" in line and "duplicate" in line.lower()


def test_unknown_disable_id_exit_2():
    proc = call_cli("--disable", "nosuch.rule-id", input=POLL_PAGE)
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert "nosuch.rule-id" in line
    assert proc.stdout == ""


def test_closed_stdout_on_a_big_page_is_quiet_and_exit_0(tmp_path):
    # ~20k lines, several MB of output: far more than a pipe holds, so head's
    # exit really closes the pipe under declutter.
    big = tmp_path / "big.txt"
    sentences = [
        "The ferry was late again this morning because of the fog that lay over the whole bay.",
        "Most of the people on the quay said that they did not mind the wait in the sunshine.",
        "A few of them went back to the cafe by the harbour wall and ordered another pot of tea.",
    ]
    lines = ["Harbor Town Gazette", ""]
    for i in range(10_000):
        lines += [f"Part {i}. {sentences[i % 3]}", ""]
    lines += ["Harbor Town Gazette"]
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err, status, head = tmp_path / "err", tmp_path / "status", tmp_path / "head"
    cmd = " ".join(shlex.quote(a) for a in CLI)
    script = (f"set +o pipefail; {cmd} < {shlex.quote(str(big))} 2> {shlex.quote(str(err))} "
              f"| head -1 > {shlex.quote(str(head))}; echo ${{PIPESTATUS[0]}} > {shlex.quote(str(status))}")
    subprocess.run(["bash", "-c", script], check=True, timeout=300)
    assert err.read_text() == ""
    assert status.read_text().strip() == "0"
    assert head.read_text() == f"Part 0. {sentences[0]}\n"


def test_invalid_utf8_is_replaced_not_fatal():
    data = page(*PARAS[:2]).encode() + ("Residents \xff\xfe said the plan " + PARAS[2]).encode("latin-1") + b"\n\n" \
        + page(*PARAS[3:]).encode()
    proc = run_cli("--text", input=data)
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert "\ufffd" in proc.stdout
    assert PARAS[0] in proc.stdout and PARAS[5] in proc.stdout


def test_empty_input_gives_empty_output():
    proc = run_cli(input=b"")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_whitespace_only_input_gives_empty_output():
    proc = call_cli(input=b"  \n\n\t\n   \r\n\n")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_other_line_endings_give_the_same_output(newline):
    text = (FIXTURES / f"{FIX}.txt").read_text(encoding="utf-8").replace("\n", newline)
    proc = call_cli(input=text.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == fixture_out(FIX)


def test_text_flag_forces_text_mode_on_a_page_starting_with_div():
    marked_up = "Residents said <em>at last</em> the plan was settled. " + PARAS[1]
    text = page("<div>Harbor Town Gazette</div>", PARAS[0], marked_up, *PARAS[2:])
    proc = call_cli("--text", input=text)
    assert proc.returncode == 0, proc.stderr
    # Text mode never rewrites a line: the markup stays as it was.
    assert marked_up in proc.stdout.split("\n")
    assert PARAS[0] in proc.stdout.split("\n")


# ---------------------------------------------------------------- rule options

def explain_line(stdout: str, text: str) -> str:
    found = [l for l in stdout.splitlines() if text in l and re.match(r"\s*(keep|drop)\b", l)]
    assert len(found) == 1, stdout
    return found[0]


def test_rules_file_adds_a_rule_shown_by_explain(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(RULE, encoding="utf-8")
    proc = call_cli("--rules", str(path), "--explain", input=POLL_PAGE)
    assert proc.returncode == 0, proc.stderr
    line = explain_line(proc.stdout, POLL)
    assert line.lstrip().startswith("drop") and "local.poll" in line
    assert explain_line(proc.stdout, PARAS[3][:60]).lstrip().startswith("keep")


def test_rules_file_drops_the_line_from_the_output(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(RULE, encoding="utf-8")
    proc = call_cli("--rules", str(path), input=POLL_PAGE)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "\n\n".join(PARAS) + "\n"


def test_rules_folder_loads_every_toml_file_in_it(tmp_path):
    folder = tmp_path / "myrules"
    folder.mkdir()
    (folder / "a.toml").write_text(RULE, encoding="utf-8")
    (folder / "b.toml").write_text(
        RULE.replace("local.poll", "local.weather").replace("^Reader poll:", "^Weather:"), encoding="utf-8")
    text = page(*PARAS[:2], POLL, *PARAS[2:4], "Weather: rain spreading from the west by evening.", *PARAS[4:])
    proc = call_cli("--rules", str(folder), "--explain", input=text)
    assert proc.returncode == 0, proc.stderr
    assert "local.poll" in explain_line(proc.stdout, POLL)
    assert "local.weather" in explain_line(proc.stdout, "Weather: rain")


def test_disable_keeps_a_line_the_rule_would_drop(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(RULE, encoding="utf-8")
    proc = call_cli("--rules", str(path), "--disable", "local.poll", input=POLL_PAGE)
    assert proc.returncode == 0, proc.stderr
    assert POLL in proc.stdout.split("\n")


def test_no_default_rules_leaves_the_comment_form_to_the_signals():
    proc = call_cli("--no-default-rules", "--json", input=SEED.read_bytes())
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout)
    reply = [r for r in obj["removed"] if r["text"] == "Leave a Reply"]
    assert len(reply) == 1
    assert reply[0]["reason"].startswith("signal.")
    assert all(r["reason"].startswith("signal.") for r in obj["removed"])
    assert obj["text"].startswith("BEIJING, Nov 24 (Reuters) –")


DOMAIN_RULE = RULE + 'domains = ["harbortown.example"]\n'


@pytest.mark.parametrize("url,dropped", [
    ("https://harbortown.example/news/bridge", True),
    ("https://www.harbortown.example/news/bridge", True),
    ("http://news.harbortown.example/bridge", True),
    ("https://otherharbortown.example/bridge", False),
    ("https://harbortown.example.org/bridge", False),
], ids=["host", "www", "subdomain", "suffix-lookalike", "other-tld"])
def test_domain_scoped_rule_applies_only_to_its_hosts(tmp_path, url, dropped):
    path = tmp_path / "site.toml"
    path.write_text(DOMAIN_RULE, encoding="utf-8")
    proc = call_cli("--rules", str(path), "--url", url, input=POLL_PAGE)
    assert proc.returncode == 0, proc.stderr
    assert (POLL not in proc.stdout) is dropped


def test_domain_scoped_rule_without_url_does_not_apply(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text(DOMAIN_RULE, encoding="utf-8")
    proc = call_cli("--rules", str(path), input=POLL_PAGE)
    assert proc.returncode == 0, proc.stderr
    assert POLL in proc.stdout


# ---------------------------------------------------------------- rules subcommands

def test_rules_list_shows_every_default_rule_with_its_file():
    proc = call_cli("rules", "list")
    assert proc.returncode == 0, proc.stderr
    listed = proc.stdout.splitlines()
    expected = []
    for path in sorted(RULES_DIR.glob("*.toml")):
        for rule in tomllib.loads(path.read_text(encoding="utf-8")).get("rule", []):
            expected.append((rule["id"], path.name))
    assert expected  # the defaults hold rules
    for rule_id, filename in expected:
        rows = [l for l in listed if l.split() and l.split()[0] == rule_id]
        assert len(rows) == 1, rule_id
        assert filename in rows[0], (rule_id, rows[0])


def test_rules_list_includes_user_rules_with_their_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(RULE, encoding="utf-8")
    proc = call_cli("rules", "list", "--rules", str(path))
    assert proc.returncode == 0, proc.stderr
    rows = [l for l in proc.stdout.splitlines() if l.split() and l.split()[0] == "local.poll"]
    assert len(rows) == 1 and "mine.toml" in rows[0]


def test_rules_check_ok_file_exit_0(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(RULE, encoding="utf-8")
    proc = call_cli("rules", "check", str(path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


@pytest.mark.parametrize("case", ["bad-regex", "unknown-key"])
def test_rules_check_broken_file_exit_2_one_line(tmp_path, case):
    text, rule_id, problem = BROKEN[case]
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    runner = run_cli if case == "bad-regex" else call_cli  # one case in a real process
    proc = runner("rules", "check", str(path))
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert "mine.toml" in line and rule_id in line and problem in line.lower()


def test_rules_check_every_default_file_is_ok():
    proc = call_cli("rules", "check", *sorted(str(p) for p in RULES_DIR.glob("*.toml")))
    assert proc.returncode == 0, proc.stderr
