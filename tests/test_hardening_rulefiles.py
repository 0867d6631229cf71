"""Hardening, part 5: rule files are data, never code.

A rule file is parsed by tomllib (TOML: no tags, no objects, no code) and
validated key by key; its strings become regexes (compiled by the `regex`
module, which has no code-callout construct), CSS selectors (compiled to
XPath, run by lxml on the page only), phrases and domain names. Rule files
have no include mechanism and no path-like key: an unknown key is an error.
A file passed with --rules that is not .toml is read as an adblock-style
filter list (text lines), never executed.

These tests watch the interpreter's audit events (PEP 578) while a hostile
rule file is loaded and used: no code is compiled or executed, no process
started, no socket opened, and no file opened but the rule file itself.
They also show that the constructs that could exhaust the machine (huge
repetition counts, deep nesting in regexes, selectors or TOML) are refused
with one RuleFileError line, quickly.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from declutter import Cleaner, RuleFileError
from declutter.rulefile import MAX_KEY_DEPTH, read_rule_file

from conftest import PARAS, call_cli

MARKER = "declutter-hardening-pwned"

PAYLOADS = [
    f"__import__('os').system('touch /tmp/{MARKER}')",
    f"exec(\"open('/tmp/{MARKER}', 'w')\")",
    "{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}",
    "!!python/object/apply:os.system ['id']",
    "$(touch /tmp/x); `id`",
    "../../../../etc/passwd",
    "/etc/shadow",
    "file:///etc/passwd",
]


def hostile_toml() -> str:
    def s(text: str) -> str:
        return "'''" + text + "'''"

    rules = []
    for i, payload in enumerate(PAYLOADS):
        rules.append(
            f"[[rule]]\nid = \"evil.p{i}\"\nname = {s(payload)}\ndescription = {s(payload)}\n"
            f"phrases = [{s(payload)}]\ndomains = [{s(payload.replace(' ', ''))}, \"~{i}.example\"]\n"
            f"max_chars = {10 ** 6}\n"
        )
    rules.append("[[rule]]\nid = \"evil.regex-payload\"\nname = \"n\"\ndescription = \"d\"\n"
                 f"pattern = {s(PAYLOADS[0].replace('(', '[(]').replace(')', '[)]'))}\n")
    rules.append("[[rule]]\nid = \"evil.selector\"\nname = \"n\"\ndescription = \"d\"\n"
                 "selector = 'a[href^=\"javascript:\"], img[onerror], script, link[rel=import]'\n")
    return f"about = {s(PAYLOADS[1])}\n\n" + "\n".join(rules)


PAGE_TEXT = "\n\n".join(PARAS[:3] + PAYLOADS)
PAGE_HTML = ("<html><head><link rel=import href='file:///etc/passwd'><script src='/etc/passwd'></script></head>"
             "<body onload=\"alert(1)\"><article>" + "".join(f"<p>{p}</p>" for p in PARAS[:3] + PAYLOADS)
             + "<a href=\"javascript:alert(1)\">x</a><img src='file:///etc/passwd'></article></body></html>")


class Audit:
    """Records the audit events that would show code running or files opening."""

    WATCH = ("exec", "compile", "import", "open", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
             "os.fork", "subprocess.Popen", "socket.", "ctypes.", "marshal.load", "pickle.find_class",
             "urllib.Request", "shutil.", "os.remove", "os.rename", "os.mkdir")
    installed = False
    active: list | None = None

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if cls.active is not None and event.startswith(cls.WATCH):
            cls.active.append((event, args))

    @classmethod
    def record(cls) -> list:
        if not cls.installed:
            sys.addaudithook(cls.hook)  # process-wide and permanent; idle unless recording
            cls.installed = True
        cls.active = []
        return cls.active

    @classmethod
    def stop(cls) -> None:
        cls.active = None


def test_hostile_rule_file_runs_no_code_and_opens_no_other_file(tmp_path):
    path = tmp_path / "hostile.toml"
    path.write_text(hostile_toml(), encoding="utf-8")
    # warm up: lazy imports (the HTML path, cssselect) and caches, outside the watch
    warm = tmp_path / "warm.toml"
    warm.write_text("[[rule]]\nid = \"w.x\"\nname = \"n\"\ndescription = \"d\"\nselector = \"nav\"\n")
    w = Cleaner([warm])
    w.clean(PAGE_TEXT, html=False)
    w.clean(PAGE_HTML, html=True)

    events = Audit.record()
    try:
        cleaner = Cleaner([path], full_reasons=True)  # every rule on every line
        for url in (None, "http://etc/passwd", "file:///etc/passwd"):
            text_result = cleaner.clean(PAGE_TEXT, url=url, html=False)
            html_result = cleaner.clean(PAGE_HTML, url=url, html=True)
    finally:
        Audit.stop()
    opened = [str(args[0]) for event, args in events if event == "open"]
    others = [(e, a) for e, a in events if e != "open"]
    defaults = Path(__import__("declutter.ruleset", fromlist=["x"]).default_rules_dir()).resolve()
    assert others == []  # no exec, compile, import, process, socket
    for name in opened:
        p = Path(name).resolve()
        assert p == path.resolve() or p.parent == defaults, name  # the file itself and the default rules
    assert not Path("/tmp", MARKER).exists()
    # the payloads were treated as data: phrases matched as text
    assert any(r.reason.startswith("evil.") for r in text_result.removed)
    assert PARAS[0] in text_result.text and PARAS[0] in html_result.text


@pytest.mark.parametrize("text, words", [
    ('include = ["../../../etc/passwd"]\n', "include"),
    ('import = "os"\n', "import"),
    ('[[rule]]\nid = "x.a"\nname = "n"\ndescription = "d"\npattern = "^a$"\nsource = "/etc/passwd"\n', "source"),
    ('[[rule]]\nid = "x.a"\nname = "n"\ndescription = "d"\npattern = "^a$"\nfile = "../secret"\n', "file"),
    ('[[rule]]\nid = "../../etc/passwd"\nname = "n"\ndescription = "d"\npattern = "^a$"\n', "id"),
])
def test_path_like_keys_do_not_exist_and_are_rejected(tmp_path, text, words):
    path = tmp_path / "r.toml"
    path.write_text(text)
    with pytest.raises(RuleFileError, match=words) as info:
        Cleaner([path], default_rules=False)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("pattern, words", [
    (r"(?{print(1)})", "bad regex"),
    (r"(?{__import__('os').system('id')})", "bad regex"),
    ("a{4294967295}", "bad regex"),
    ("a{1000000}", "repetition"),
    ("(?:(?:(?:a{100}){100}){100}){100}", "repetition"),
    ("(?:ab|cd){100000}", "repetition"),
    ("(" * 5000 + "a" + ")" * 5000, "bad regex"),
    (r"\p{NoSuchProperty}", "bad regex"),
])
def test_hostile_regexes_are_rule_file_errors(tmp_path, pattern, words):
    path = tmp_path / "r.toml"
    path.write_text(f"[[rule]]\nid = \"x.a\"\nname = \"n\"\ndescription = \"d\"\npattern = '''{pattern}'''\n")
    with pytest.raises(RuleFileError, match=words) as info:
        Cleaner([path], default_rules=False)
    assert "\n" not in str(info.value) and "'x.a'" in str(info.value)


def test_large_but_bounded_repetition_is_fine(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text("[[rule]]\nid = \"x.a\"\nname = \"n\"\ndescription = \"d\"\npattern = '^.{0,1000000}x{3}$'\n")
    Cleaner([path], default_rules=False)  # upper bounds do not expand; only minimum counts do


@pytest.mark.parametrize("selector", [":not(" * 1000 + "a" + ")" * 1000, "a " * 100_000, "div" + "[x]" * 10_000,
                                      "div[[[", "a:has-text(x)"])
def test_hostile_selectors_are_rule_file_errors_at_load(tmp_path, selector):
    path = tmp_path / "r.toml"
    path.write_text(f"[[rule]]\nid = \"x.s\"\nname = \"n\"\ndescription = \"d\"\nselector = '''{selector}'''\n")
    with pytest.raises(RuleFileError, match="selector"):
        Cleaner([path], default_rules=False)


@pytest.mark.parametrize("text", [
    "x = " + "[" * 100_000 + "]" * 100_000,
    "x = " + "{a = " * 50_000 + "1" + "}" * 50_000,
    "[signals.x]\n" + "a." * 40_000 + "e = 1\n",  # would need tens of GB in tomllib
    "[" + "'a'." * 40_000 + "b]\n",
    "a" + ".a" * MAX_KEY_DEPTH + " = 1\n",
])
def test_deeply_nested_toml_is_a_rule_file_error(tmp_path, text):
    path = tmp_path / "deep.toml"
    path.write_text(text)
    with pytest.raises(RuleFileError, match="bad TOML") as info:
        read_rule_file(path)
    assert "\n" not in str(info.value)


def test_a_python_file_given_as_rules_is_read_as_a_filter_list_never_run(tmp_path):
    evil = tmp_path / "evil.py"
    marker = tmp_path / "ran"
    evil.write_text(f"open({str(marker)!r}, 'w').write('x')\nimport os\nos.system('id')\n")
    cleaner = Cleaner([evil], default_rules=False)
    cleaner.clean(PAGE_HTML, html=True)
    assert not marker.exists()
    assert [r for r in cleaner.ruleset.all_rules if r.source == str(evil)] == []


def test_adblock_scriptlets_and_procedural_filters_are_skipped_not_run(tmp_path):
    lst = tmp_path / "list.txt"
    lst.write_text("\n".join([
        "example.com##+js(abort-on-property-read, document.cookie)",
        "#%#//scriptlet('set-constant', 'x', 'y')",
        "example.com#$#body { background: url(file:///etc/passwd) }",
        "##:xpath(//script)",
        "##p:has-text(/Leave/)",
        "||evil.example^$script",
        "##.cookie-notice",
    ]) + "\n")
    cleaner = Cleaner([lst], default_rules=False)
    assert [r.selector for r in cleaner.ruleset.all_rules] == [".cookie-notice"]
    assert all("skipped" in note for note in cleaner.load_warnings) and len(cleaner.load_warnings) == 2


def test_cli_rules_check_rejects_hostile_files_with_one_line(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text("[[rule]]\nid = \"x.a\"\nname = \"n\"\ndescription = \"d\"\npattern = 'a{1000000}'\n")
    p = call_cli("rules", "check", str(path))
    assert p.returncode == 2 and len(p.stderr.splitlines()) == 1 and "x.a" in p.stderr
    sel = tmp_path / "s.toml"
    sel.write_text("[[rule]]\nid = \"x.s\"\nname = \"n\"\ndescription = \"d\"\nselector = 'div[[['\n")
    p = call_cli("rules", "check", str(sel))
    assert p.returncode == 2 and "bad CSS selector" in p.stderr
