"""Hardening, part 1: properties of the library over hostile input.

Over arbitrary Unicode text (lone surrogates, NULs, every line-break
character), arbitrary HTML-like markup (tags, attributes, entities, broken
markup) and arbitrary rule files (generated TOML, valid and invalid, with
hostile regexes):

- nothing raises but declutter's documented errors (DeclutterError
  subclasses; RuleFileError for rule files);
- the output always encodes as UTF-8 (text, title, metadata, removed blocks);
- text mode only removes whole lines, in order;
- text-mode cleaning is idempotent.

The long-running version of the same checks is the atheris target in fuzz/.
"""
from __future__ import annotations

import functools
import json

import regex
from hypothesis import HealthCheck, given, settings, strategies as st

from declutter import Cleaner, DeclutterError, RuleFileError
from declutter.blocks import normalise_newlines

from conftest import PARAS

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
FEW = settings(max_examples=60, deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# -- strategies ------------------------------------------------------------------

# Any code point, surrogates included, and the characters that break lines or
# parsers: NUL, \r, \v, \f, the Unicode line and paragraph separators, BOM.
ANY_CHAR = st.one_of(
    st.characters(codec=None, categories=None),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    st.sampled_from(["\x00", "\r", "\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029",
                     "\ufeff", "\ufffd", " ", "\t"]),
)
ANY_TEXT = st.lists(st.one_of(st.text(ANY_CHAR, max_size=20), st.just("\r\n")), max_size=15).map("".join)
# Text pages: arbitrary lines mixed with prose, so that the decision has a body to find.
LINE = st.one_of(st.text(ANY_CHAR, max_size=60), st.sampled_from(PARAS), st.sampled_from(
    ["Home", "News", "Leave a Reply", "Share this:", "© 2024 Example", "", " ", "Tags: a, b"]))
TEXT_PAGE = st.one_of(ANY_TEXT, st.lists(LINE, max_size=30).flatmap(
    lambda lines: st.sampled_from(["\n", "\r\n", "\r", "\n\n"]).map(lambda nl: nl.join(lines))))

TAGS = ["html", "head", "body", "title", "meta", "div", "p", "span", "a", "b", "i", "br", "hr", "img",
        "ul", "ol", "li", "table", "tr", "td", "th", "h1", "h2", "h3", "pre", "code", "blockquote",
        "article", "main", "nav", "aside", "footer", "header", "section", "figure", "figcaption",
        "script", "style", "noscript", "template", "iframe", "svg", "math", "form", "input", "select",
        "textarea", "frameset", "frame", "noframes", "plaintext", "xmp", "listing", "base", "link"]
ATTRS = st.one_of(
    st.tuples(st.sampled_from(["class", "id"]), st.sampled_from(
        ["comment", "comments respond", "nav menu", "share social", "sidebar widget", "footer", "cookie-notice",
         "post-content article-body", "d-none", "sr-only", "hidden", "related", "ad advert", ""])),
    st.tuples(st.sampled_from(["style"]), st.sampled_from(["display:none", "visibility: hidden", "color:red"])),
    st.tuples(st.sampled_from(["href", "src", "lang", "charset", "content", "http-equiv", "property",
                               "rel", "hidden", "aria-hidden", "onclick"]), st.text(ANY_CHAR, max_size=20)),
)


def _attr(pair: tuple[str, str]) -> str:
    name, value = pair
    return f' {name}="{value.replace(chr(34), "&quot;")}"'


OPEN_TAG = st.tuples(st.sampled_from(TAGS), st.lists(ATTRS, max_size=3)).map(
    lambda t: f"<{t[0]}{''.join(_attr(a) for a in t[1])}>")
CLOSE_TAG = st.sampled_from(TAGS).map(lambda t: f"</{t}>")
BROKEN = st.sampled_from([
    "<", ">", "</", "<!--", "-->", "<![CDATA[", "]]>", "<!doctype html>", "<!DOCTYPE", "<?xml version='1.0'?>",
    '<div class="', "<p <p>", "&", "&amp;", "&#0;", "&#x110000;", "&#99999999;", "&#xD800;", "&nbsp;",
    "&bogus;", "<meta charset='utf-16'>", "<meta charset='x-unknown'>", "<meta http-equiv='content-type' "
    "content='text/html; charset=shift_jis'>", "<br/>", "</br>", "<p/>", "<table><td>", "\x00", "\ufeff",
])
MARKUP_PIECE = st.one_of(OPEN_TAG, CLOSE_TAG, BROKEN, st.text(ANY_CHAR, max_size=40), st.sampled_from(PARAS))
MARKUP = st.lists(MARKUP_PIECE, max_size=60).map("".join)


def encodable(result) -> None:
    """Everything the result holds is writable as UTF-8 (strictly)."""
    result.text.encode("utf-8")
    if result.title is not None:
        result.title.encode("utf-8")
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")


def clean_or_documented_error(cleaner: Cleaner, page, **kw):
    try:
        return cleaner.clean(page, **kw)
    except DeclutterError:
        return None  # documented (e.g. InputError for binary data)


_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def input_lines(page: str | bytes) -> list[str]:
    """The page's lines as text mode reads them (bytes as UTF-8 with
    replacement, a leading BOM dropped, lone surrogates as U+FFFD)."""
    if isinstance(page, bytes):
        page = page.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    return normalise_newlines(_SURROGATE.sub("\ufffd", page)).split("\n")


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    it = iter(whole)
    return all(any(x == y for y in it) for x in part)


# -- text mode -------------------------------------------------------------------

@SETTINGS
@given(page=TEXT_PAGE)
def test_text_mode_any_unicode_never_raises_and_encodes(cleaner, page):
    result = cleaner.clean(page, html=False)  # text mode documents no error at all
    encodable(result)
    kept = [line for line in result.text.split("\n") if line]
    assert is_subsequence(kept, input_lines(page))  # whole lines only, in order


@SETTINGS
@given(page=TEXT_PAGE)
def test_text_mode_is_idempotent_on_any_unicode(cleaner, page):
    once = cleaner.clean(page, html=False).text
    assert cleaner.clean(once, html=False).text == once


@FEW
@given(data=st.binary(max_size=400))
def test_text_mode_any_bytes(cleaner, data):
    result = cleaner.clean(data, html=False)
    encodable(result)
    kept = [line for line in result.text.split("\n") if line]
    assert is_subsequence(kept, input_lines(data))


@FEW
@given(page=TEXT_PAGE)
def test_detected_mode_any_unicode(cleaner, page):
    result = clean_or_documented_error(cleaner, page)
    if result is not None:
        encodable(result)


# -- HTML ------------------------------------------------------------------------

@SETTINGS
@given(page=MARKUP)
def test_html_like_markup_never_raises_and_encodes(cleaner, page):
    for html in (True, None):
        result = clean_or_documented_error(cleaner, page, html=html)
        if result is not None:
            encodable(result)


@FEW
@given(page=MARKUP, encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "shift_jis", "cp1251"]))
def test_html_like_markup_as_bytes_in_any_encoding(cleaner, page, encoding):
    data = page.encode(encoding, "replace") if encoding != "utf-8" else page.encode("utf-8", "surrogatepass")
    result = clean_or_documented_error(cleaner, data, html=True)
    if result is not None:
        encodable(result)


@FEW
@given(data=st.binary(max_size=600))
def test_html_mode_any_bytes(cleaner, data):
    result = clean_or_documented_error(cleaner, b"<html><body>" + data, html=True)
    if result is not None:
        encodable(result)


# -- rule files ------------------------------------------------------------------

HOSTILE_PATTERNS = [
    r"(a|aa)+$", r"(a*)*b", r"(?:x+x+)+y", r"^(\w+\s?)*$", r"(.*a){20}", r"a{1000000}",
    r"(?:(?:(?:a{100}){100}){100}){100}", "(" * 300 + "a" + ")" * 300, "(" * 5000 + "a" + ")" * 5000,
    r"(?{print(1)})", r"(?{__import__('os').system('touch /tmp/declutter-pwned')})", r"(?R)", r"(?1)(a)",
    r"(?<=a*)b", r"\p{Foo}", r"[", "\\", r"(?P<n>a)(?P=n)", r"(?(DEFINE)(?<x>a))(?&x)+", r"(?i)\L<x>",
    r"\N{LATIN SMALL LETTER A}", r"(?V1)[[a]--[b]]", r"^Leave a Reply$", r"(?i)^share\b", "",
]
KEYS = ["id", "name", "description", "pattern", "phrases", "selector", "action", "where", "max_chars",
        "min_chars", "domains", "enabled", "include", "import", "exec", "__class__", "path"]
SCALAR = st.one_of(
    st.sampled_from(HOSTILE_PATTERNS), st.text(ANY_CHAR, max_size=30),
    st.sampled_from(["drop", "drop-to-end", "drop-before", "protect", "anywhere", "top", "bottom",
                     "edges", "after-body", "../../../etc/passwd", "/etc/passwd", "__import__('os')",
                     "div[[[", "#comments, .sharedaddy", "example.com", "~example.com"]),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70), st.booleans(), st.floats(allow_nan=True),
)
VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=4))


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if v != v else ("inf" if v == float("inf") else "-inf" if v == float("-inf") else repr(v))
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    # a basic string with every character escaped that TOML requires
    out = []
    for ch in v:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\u{o:04x}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\\uFFFD")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


RULE = st.tuples(
    st.sampled_from(["local.a", "local.b", "x", "Bad Id", "../etc", "a" * 200, ""]),
    st.dictionaries(st.sampled_from(KEYS[1:]), VALUE, max_size=7),
    st.booleans(),  # give it a name, description and pattern so it may be valid
)


def rule_text(rule) -> str:
    rule_id, keys, complete = rule
    if complete:
        keys = {"name": "n", "description": "d", "pattern": HOSTILE_PATTERNS[0], **keys}
    lines = ["[[rule]]", f"id = {toml_value(rule_id)}"]
    lines += [f"{k} = {toml_value(v)}" for k, v in keys.items()]
    return "\n".join(lines) + "\n"


SIGNALS = st.sampled_from([
    "", "[signals.limits]\nregex_timeout_seconds = 0.01\n", "[signals.limits]\nmax_bytes = -1\n",
    "[signals.limits]\noversize = \"explode\"\n", "[signals.repeated]\nmin_count = \"two\"\n",
    "[signals.nope]\nx = 1\n", "[signals]\nlimits = 3\n", "include = [\"../../../etc/passwd\"]\n",
    "about = \"a file\"\n",
])
MUTATION = st.one_of(
    st.just(None), st.integers(min_value=0, max_value=400),  # cut the file there
    st.tuples(st.integers(min_value=0, max_value=400), st.text(ANY_CHAR, min_size=1, max_size=5)),  # insert
)
RULE_FILE = st.tuples(st.lists(RULE, max_size=4), SIGNALS, MUTATION)


def rule_file_text(spec) -> str:
    rules, signals, mutation = spec
    text = signals + "".join(rule_text(r) for r in rules)
    if isinstance(mutation, int):
        text = text[:mutation]
    elif isinstance(mutation, tuple):
        at, junk = mutation
        text = text[:at] + junk + text[at:]
    return text


PAGES = ["Leave a Reply\n" + "\n".join(PARAS[:3]) + "\n" + "a" * 40 + "b\nShare this:",
         "<html><body><div id='comments'><p>Leave a Reply</p></div><article><p>" + PARAS[0]
         + "</p><p>" + "a" * 40 + "b</p></article></body></html>"]


@FEW
@given(spec=RULE_FILE)
def test_any_rule_file_loads_or_is_a_rule_file_error(tmp_path_factory, spec):
    path = tmp_path_factory.mktemp("rules") / "gen.toml"
    path.write_bytes(rule_file_text(spec).encode("utf-8", "surrogatepass"))
    try:
        cleaner = Cleaner(rules=[path], default_rules=False)
    except RuleFileError as exc:
        assert "\n" not in str(exc)
        return
    for page in PAGES:
        for html in (False, True):
            encodable(cleaner.clean(page, html=html))  # a loaded rule file never fails a page


def test_generated_rule_files_include_valid_ones(tmp_path):
    """The generator is not only producing junk: a complete rule loads."""
    text = rule_file_text(([("local.a", {"where": "top", "max_chars": 80}, True)], "", None))
    path = tmp_path / "ok.toml"
    path.write_text(text, encoding="utf-8")
    cleaner = Cleaner(rules=[path], default_rules=False)
    assert [r.id for r in cleaner.ruleset.rules] == ["local.a"]


# -- the atheris target (fuzz/fuzz_clean.py) runs without atheris on a few inputs -----------

@FEW
@given(data=st.one_of(
    st.binary(max_size=300),
    st.tuples(st.integers(0, 5), TEXT_PAGE).map(lambda t: bytes([t[0]]) + t[1].encode("utf-16-le", "surrogatepass")),
    st.tuples(st.just(4), RULE_FILE).map(lambda t: bytes([t[0]]) + rule_file_text(t[1]).encode("utf-8", "surrogatepass")),
))
def test_fuzz_target_holds_on_generated_inputs(data):
    fuzz_target().check(data)


@functools.lru_cache(maxsize=1)
def fuzz_target():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "fuzz_clean", Path(__file__).resolve().parent.parent / "fuzz" / "fuzz_clean.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
