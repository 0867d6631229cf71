"""`declutter` on HTML: detection, --html, --explain with tag paths and ids,
--json metadata, exit status for input that cannot be cleaned."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import call_cli, run_cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
POST = FIXTURES / "wordpress-post.html"


def expected(name: str) -> str:
    return (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8")


def test_html_is_detected_on_stdin() -> None:
    r = call_cli(input=POST.read_bytes())
    assert r.returncode == 0
    assert r.stdout.rstrip("\n") == expected("wordpress-post").rstrip("\n")


def test_html_forced_and_a_file_argument() -> None:
    r = call_cli("--html", str(POST))
    assert r.returncode == 0 and r.stdout.startswith("For thirty years")


def test_html_detection_needs_markup() -> None:
    from declutter import Cleaner, looks_like_html

    text = "<not a tag> is how the manual writes a placeholder, and <html> is mentioned later on.\n"
    assert not looks_like_html(text)
    assert all(b.tag == "" for b in Cleaner().clean(text).blocks)  # text mode: no DOM signals
    for start in ("<!DOCTYPE html><p>x", "<html><body>x", "  <div>x</div>", "<p>x</p>"):
        assert looks_like_html(start)


def test_explain_shows_tag_paths_decisions_and_ids() -> None:
    r = call_cli("--explain", "--no-color", str(POST))
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    comment = next(line for line in lines if "What a wonderful project" in line)
    assert comment.startswith("drop") and "html.outside-main" in comment and "div.comment-body>p" in comment
    share = next(line for line in lines if "Share this:" in line)
    assert "html.boilerplate-class" in share and "h3.sd-title" in share
    kept = next(line for line in lines if "For thirty years" in line)
    assert kept.startswith("keep") and "html.article" in kept and "div.entry-content>p" in kept


def test_json_has_title_metadata_and_removed_with_reasons() -> None:
    r = call_cli("--json", str(POST))
    data = json.loads(r.stdout)
    assert data["title"] == "How we restored the old mill pond"
    meta = data["metadata"]
    assert meta["author"] == "Hannah Brooks" and meta["site_name"] == "Riverside Notes"
    assert meta["date"].startswith("2023-05-14") and meta["language"] == "en"
    assert meta["canonical_url"] == "https://riverside.example.org/2023/05/mill-pond/"
    reasons = {item["text"]: item["reason"] for item in data["removed"]}
    assert reasons["Leave a Reply"] == "html.outside-main"


def test_binary_input_exits_1_with_one_line() -> None:
    r = run_cli("--html", input=bytes(range(256)) * 64)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "binary" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_deep_nesting_is_reported_in_json() -> None:
    paras = ("<p>Deep text of the page, a whole sentence long, with more words after the comma.</p>"
             "<p>A second paragraph of the same article follows it, and it is long enough too.</p>")
    page = "<html><body>" + "<div>" * 5000 + paras + "</div>" * 5000
    r = call_cli("--html", "--json", input=page)
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert "Deep text of the page" in data["text"]
    assert data["metadata"]["html_fallback"] == "html.too-deep"
