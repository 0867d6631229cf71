"""`declutter learn`: site boilerplate learned from a corpus of 5 sites x 40
pages (tests/sitecorpus.py) becomes per-domain rules that remove it, while
article sentences repeated in two or three pages stay."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import regex

from declutter import Cleaner
from declutter.normalise import learn_key
from declutter.stream.learn import learn_rules, line_hash, line_pattern, render_rule_file

import sitecorpus

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "import sys; from declutter.cli import main; sys.argv[0] = 'declutter'; main()"]


def test_normalise_folds_digits_space_and_case():
    assert learn_key("  Save 25%   until 31 May 2025 ") == "save 0% until 0 may 0"
    assert learn_key("SAVE 7% UNTIL\t1 MAY 1999") == learn_key("save 25% until 31 may 2025")
    assert learn_key("Zürich ١٢٣") == "zürich 0"  # Unicode digits fold too


def test_pattern_matches_every_variant_of_the_line_and_nothing_longer():
    p = regex.compile(line_pattern(learn_key("Join 51 other gardeners on 2 April.")))
    assert p.search("Join 7 other gardeners on 30 April.")
    assert p.search("JOIN  1234 OTHER GARDENERS ON 9 APRIL.")
    assert not p.search("Join 7 other gardeners on 30 April. And more text")
    assert not p.search("Join seven other gardeners on 30 April.")
    assert regex.compile(line_pattern(learn_key("a+b (c) [d] $5 ^x|y"))).search("A+B (C) [D] $9 ^X|Y")


def test_line_key_is_stable_across_processes():
    code = "from declutter.stream.learn import line_hash; print(line_hash('hello world').hex())"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random"}
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, text=True).stdout.strip()
            for _ in range(2)}
    assert outs == {line_hash("hello world").hex()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    pages = sitecorpus.build(pages_per_site=40)
    path = tmp_path_factory.mktemp("corpus") / "sites.jsonl"
    sitecorpus.write_jsonl(pages, str(path))
    return pages, path


@pytest.fixture(scope="module")
def learned(corpus, tmp_path_factory):
    _pages, path = corpus
    rules, counts = learn_rules([str(path)], jobs=2, min_docs=5, min_share=0.1)
    out = tmp_path_factory.mktemp("rules") / "site-rules.toml"
    out.write_text(render_rule_file(rules, min_docs=5, min_share=0.1,
                                    documents=sum(counts.docs.values())), encoding="utf-8")
    return rules, counts, out


def _matching(rules, domain, line):
    return [r for r in rules if r.domain == domain and regex.search(r.pattern, line.strip())]


def test_learned_rules_cover_site_lines_and_spare_repeated_sentences(corpus, learned):
    pages, _ = corpus
    rules, counts, _ = learned
    assert counts.docs == {site: 40 for site in sitecorpus.SITES}
    # each site has 2 header, 2 footer, 1 spam, 1 promo line: 6 rules a site, no more
    assert sorted(r.domain for r in rules) == sorted(list(sitecorpus.SITES) * 6)
    for page in pages:
        for line in page.boilerplate:
            assert _matching(rules, page.site, line), (page.site, line)
        for quote in page.quotes:
            assert not _matching(rules, page.site, quote), quote
        for para in page.article:
            assert not _matching(rules, page.site, para)
    # a site's rules never apply to another site
    other = [r for r in rules if r.domain != "harbortimes.example"]
    assert not any(_matching(other, "harbortimes.example", ln) for ln in sitecorpus.SITES["harbortimes.example"]["header"])


def test_rule_file_is_an_ordinary_reviewable_rule_file(learned):
    rules, _, path = learned
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert len(data["rule"]) == len(rules) == 30
    first = data["rule"][0]
    assert first["action"] == "drop" and len(first["domains"]) == 1
    assert first["pattern"].startswith("(?i)^") and first["pattern"].endswith("$")
    assert first["id"].startswith("learned.")
    # the counts stand in a comment right above each rule
    lines = text.splitlines()
    for i, ln in enumerate(lines):
        if ln == "[[rule]]":
            assert regex.match(r"# [a-z.]+: in \d+ of 40 documents \(\d+%\)$", lines[i - 1])
    Cleaner([str(path)])  # loads with the project's own rule loader


def test_applying_learned_rules_removes_what_defaults_miss(corpus, learned):
    pages, _ = corpus
    _, _, path = learned
    plain, site = Cleaner(), Cleaner([str(path)])
    missed_by_defaults = 0
    for page in pages:
        before = plain.clean(page.text, url=page.url).text
        after = site.clean(page.text, url=page.url).text
        kept_after = set(after.split("\n"))
        missed_by_defaults += sum(ln in set(before.split("\n")) for ln in page.boilerplate)
        for line in page.boilerplate:
            assert line not in kept_after, (page.url, line)
        for quote in page.quotes:
            assert quote in kept_after, (page.url, quote)
    assert missed_by_defaults > 100  # the defaults alone keep much of this site boilerplate


def test_learned_rules_are_scoped_to_their_domain(corpus, learned):
    pages, _ = corpus
    _, _, path = learned
    page = next(p for p in pages if p.site == "harbortimes.example")
    elsewhere = Cleaner([str(path)]).clean(page.text, url="https://other.example/x").text
    here = Cleaner([str(path)]).clean(page.text, url=page.url).text
    header = sitecorpus.SITES["harbortimes.example"]["footer"][0]
    assert header not in here
    assert Cleaner().clean(page.text, url="https://other.example/x").text == elsewhere


def test_cli_learn_then_clean(corpus, tmp_path):
    _, path = corpus
    out = tmp_path / "rules.toml"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run(CLI + ["learn", str(path), "-o", str(out), "-K", "5", "-S", "0.1", "-j", "1"],
                       capture_output=True, env=env, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert "200 documents from 5 domains, 30 rules" in p.stderr.decode()
    p = subprocess.run(CLI + ["--jsonl", "--rules", str(out), "--with-removed", "-j", "1", str(path)],
                       capture_output=True, env=env, cwd=ROOT)
    assert p.returncode == 0
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    assert len(recs) == 200
    reasons = {r["reason"] for rec in recs for r in rec["removed"]}
    assert any(x.startswith("learned.harbortimes.example.") for x in reasons)


def test_cli_learn_thresholds(corpus, tmp_path):
    _, path = corpus
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # share 0.9: only the lines on every page (header and footer), 4 a site
    p = subprocess.run(CLI + ["learn", str(path), "-S", "0.9", "-j", "1"], capture_output=True, env=env, cwd=ROOT)
    assert p.returncode == 0
    assert len(tomllib.loads(p.stdout.decode())["rule"]) == 20
    # K=2 with no share: the quotes repeated in 2-3 pages become rules too
    p = subprocess.run(CLI + ["learn", str(path), "-K", "2", "-S", "0", "-j", "1"],
                       capture_output=True, env=env, cwd=ROOT)
    loose = tomllib.loads(p.stdout.decode())["rule"]
    quotes = [r for r in loose if r"said\s+a\s+resident" in r["pattern"]]
    assert len(quotes) == 15 and len(loose) >= 45  # (plus any random title that came out twice)
    p = subprocess.run(CLI + ["learn", str(tmp_path / "nope.jsonl")], capture_output=True, env=env, cwd=ROOT)
    assert p.returncode == 1 and b"cannot read" in p.stderr
