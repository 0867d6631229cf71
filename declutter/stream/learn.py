"""Site rules learned from the corpus itself.

A site's boilerplate is the same few lines on page after page: its header,
footer, spam and promo lines. ``learn_rules`` counts, per domain, in how many
documents each normalised line occurs (digits folded to 0, whitespace runs to
one space, case folded, as cc_net does), and every line found in at least
``min_docs`` documents *and* a share ``min_share`` of that domain's documents
becomes a rule: an anchored regex that matches the line's normalised form,
action ``drop``, scoped to the domain. ``write_rule_file`` writes them as an
ordinary rule file, with each rule's counts in a comment above it so that a
person can review it before use.

Line keys use ``hashlib.blake2b`` (stable across processes and machines; the
built-in ``hash()`` is salted per process). Article sentences that happen to
repeat in two or three pages stay below the thresholds.
"""
from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

import regex

from ..normalise import learn_key

if TYPE_CHECKING:
    from .process import Batch

DEFAULT_MIN_DOCS = 5
DEFAULT_MIN_SHARE = 0.1

_DIGITS = regex.compile(r"\d+")
_TOKENS = regex.compile(r"(\d+|\s+)")
_SURROGATE = regex.compile(r"[\ud800-\udfff]")
_SLUG = regex.compile(r"[^a-z0-9.-]+")


def line_hash(norm: str) -> bytes:
    """A stable 8-byte key of a normalised line (blake2b, not ``hash()``)."""
    return hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).digest()


def line_pattern(line: str) -> str:
    """An anchored, case-insensitive regex matching every line with the same
    normalised form: text escaped, digit runs as \\d+, whitespace as \\s+."""
    parts = []
    for tok in _TOKENS.split(line.strip()):
        if not tok:
            continue
        if tok[0].isspace():
            parts.append(r"\s+")
        elif _DIGITS.fullmatch(tok):
            parts.append(r"\d+")
        else:
            parts.append(regex.escape(tok))
    return "(?i)^" + "".join(parts) + "$"


def doc_lines(page: Any, url: str | None, html: bool | None, cleaner: Any) -> list[str]:
    """The lines of a page as the cleaner sees them (its blocks' texts)."""
    from ..blocks import decode_bytes, split_text
    from ..sniff import is_html_input

    is_html = is_html_input(page) if html is None else html
    if is_html:
        result = cleaner.clean(page, url=url, html=True)
        return [b.text for b in result.blocks]
    text = decode_bytes(page) if isinstance(page, (bytes, bytearray)) else page
    return [b.text for b in split_text(text)]


def doc_keys(lines: Iterable[str]) -> tuple[list[bytes], list[str]]:
    """Distinct keys of a document's non-blank lines, with one original line each."""
    seen: dict[bytes, str] = {}
    for ln in lines:
        s = ln.strip()
        if not s or _SURROGATE.search(s):
            continue
        k = line_hash(learn_key(s))
        if k not in seen:
            seen[k] = s
    return list(seen), list(seen.values())


def _plainness(line: str) -> tuple[bool, int]:
    """Lower is nicer to read in a rule file: not all capitals, single spaces."""
    return (line.isupper(), line.count("  "))


@dataclass
class LearnedRule:
    domain: str
    line: str        # one original form of the line
    docs: int        # documents of the domain that have it
    total: int       # documents of the domain
    key: bytes

    @property
    def rule_id(self) -> str:
        slug = _SLUG.sub("-", self.domain.lower()).strip("-.") or "site"
        return f"learned.{slug}.{self.key.hex()[:12]}"

    @property
    def pattern(self) -> str:
        # from the normalised form, so every variant of the line gives the same rule
        return line_pattern(learn_key(self.line))


@dataclass
class LineCounts:
    """Per-domain document counts of normalised lines (the learn job's state).

    Memory: a line seen once costs one dict entry (8-byte key -> int); its
    text is kept only once it is seen a second time.
    """

    docs: Counter[str] = field(default_factory=Counter)             # domain -> documents
    counts: dict[str, dict[bytes, int]] = field(default_factory=dict)  # domain -> key -> docs
    lines: dict[str, dict[bytes, str]] = field(default_factory=dict)   # domain -> key -> line
    no_url: int = 0
    errors: int = 0

    def add(self, domain: str, keys: list[bytes], lines: list[str]) -> None:
        self.docs[domain] += 1
        counts = self.counts.setdefault(domain, {})
        reps = self.lines.setdefault(domain, {})
        for k, ln in zip(keys, lines):
            c = counts.get(k, 0) + 1
            counts[k] = c
            if c == 2 or (c > 2 and _plainness(ln) < _plainness(reps.get(k, ln))):
                reps[k] = ln

    def rules(self, min_docs: int = DEFAULT_MIN_DOCS, min_share: float = DEFAULT_MIN_SHARE) -> list[LearnedRule]:
        out: list[LearnedRule] = []
        for domain in sorted(self.counts):
            total = self.docs[domain]
            need = max(min_docs, min_share * total)
            reps = self.lines[domain]
            found = [LearnedRule(domain, reps.get(k, ""), c, total, k)
                     for k, c in self.counts[domain].items() if c >= need and c >= 2]
            found.sort(key=lambda r: (-r.docs, r.line))
            out.extend(r for r in found if r.line)
        return out


def select_rules(rows: Iterable[tuple[str, bytes, str, int]], docs: dict[str, int],
                 min_docs: int, min_share: float) -> list[LearnedRule]:
    """The filter pass on (domain, key, line, count) rows (used by the Ray job)."""
    out = [LearnedRule(d, ln, c, docs[d], k) for d, k, ln, c in rows
           if c >= max(min_docs, min_share * docs[d], 2) and ln]
    out.sort(key=lambda r: (r.domain, -r.docs, r.line))
    return out


def _toml_str(s: str) -> str:
    """A TOML basic string (JSON escaping is valid TOML; DEL must be escaped too)."""
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def render_rule_file(rules: list[LearnedRule], *, min_docs: int, min_share: float,
                     documents: int, sources: Iterable[str] = ()) -> str:
    """The rule file text: a header, then each rule with its counts in a comment."""
    domains = sorted({r.domain for r in rules})
    head = [
        "# Site rules learned by `declutter learn`.",
        f"# Corpus: {documents:,} documents" + (f" from {', '.join(sources)}" if sources else "") + ".",
        f"# A line became a rule when it was in at least {min_docs} documents and at least",
        f"# {min_share:.0%} of the documents of its domain. {len(rules)} rules for {len(domains)} domains.",
        "# Review before use: each rule drops one line on one site (apply with --rules).",
        "",
    ]
    body = []
    for r in rules:
        share = r.docs / r.total if r.total else 0.0
        description = f"Learned from the corpus: a line on {r.docs} of {r.total} pages of {r.domain}."
        body += [
            f"# {r.domain}: in {r.docs} of {r.total} documents ({share:.0%})",
            "[[rule]]",
            f"id = {_toml_str(r.rule_id)}",
            f"name = {_toml_str(('site line: ' + r.line)[:80])}",
            f"description = {_toml_str(description)}",
            f"pattern = {_toml_str(r.pattern)}",
            'action = "drop"',
            f"domains = [{_toml_str(r.domain)}]",
            "",
        ]
    return "\n".join(head + body)


# ---- the local learn job (reads with the stream readers, counts in workers) ----

def learn_batch(batch: Batch) -> tuple[list[tuple[str, list[bytes], list[str]]], int, int]:
    """Worker: (kind, name, items) -> ([(domain, keys, lines) per document], no_url, errors)."""
    from .process import WORKER_STATE

    return learn_items(batch, WORKER_STATE["cleaner"], WORKER_STATE["options"])


def learn_items(batch: Batch, cleaner: Any, opts: Any) -> tuple[list[tuple[str, list[bytes], list[str]]], int, int]:
    from ..urls import host_of
    from .warc import PAGE_TYPES, NotAPage, extract_page

    kind, _name, items = batch
    docs: list[tuple[str, list[bytes], list[str]]] = []
    no_url = errors = 0
    for item in items:
        try:
            if kind == "jsonl":
                if len(item) == 3:
                    errors += 1
                    continue
                obj = json.loads(item[1].decode("utf-8", "replace"))
                page = obj.get(opts.field) if isinstance(obj, dict) else None
                if not isinstance(page, str):
                    errors += 1
                    continue
                url = obj.get(opts.url_field)
                html = opts.html
            elif kind == "warc":
                if item.problem:
                    errors += 1
                    continue
                if item.warc_type not in PAGE_TYPES:
                    continue
                url = item.headers.get("warc-target-uri")
                try:
                    page, html = extract_page(item)
                except NotAPage:
                    continue
                if opts.html is not None:
                    html = opts.html
            else:
                errors += len(items)
                break
            domain = host_of(url) if isinstance(url, str) else None
            if not domain:
                no_url += 1
                continue
            keys, lines = doc_keys(doc_lines(page, url, html, cleaner))
            docs.append((domain, keys, lines))
        except Exception:  # a document that cannot be read does not stop learning
            errors += 1
    return docs, no_url, errors


def learn_rules(paths: list[str], *, fmt: str = "jsonl", options: Any = None, cleaner: Any = None,
                jobs: int | None = 1, min_docs: int = DEFAULT_MIN_DOCS,
                min_share: float = DEFAULT_MIN_SHARE) -> tuple[list[LearnedRule], LineCounts]:
    """Count lines per domain over a corpus and return the rules that pass both
    thresholds, with the counts (documents per domain, errors, pages without URL)."""
    from ..errors import InputError
    from .process import Options
    from .run import Reader, Summary, default_jobs, ordered_map

    opts = options or Options()
    if cleaner is None:
        from ..cleaner import Cleaner

        cleaner = Cleaner()
    summary = Summary()
    counts = LineCounts()
    reader = Reader(list(paths), fmt, summary)
    jobs = default_jobs() if jobs is None or jobs <= 0 else jobs
    for docs, no_url, errors in ordered_map(reader, cleaner, opts, jobs, func=learn_batch):
        counts.no_url += no_url
        counts.errors += errors
        for domain, keys, lines in docs:
            counts.add(domain, keys, lines)
    if summary.unreadable:
        raise InputError("; ".join(summary.unreadable))
    return counts.rules(min_docs, min_share), counts


def main_learn(paths: list[str], output: str | None, *, fmt: str, options: Any, jobs: int | None,
               min_docs: int, min_share: float, stderr: TextIO | None = None) -> int:
    """The `declutter learn` command body: learn, write the file, print a summary."""
    err = stderr or sys.stderr
    t0 = time.perf_counter()
    rules, counts = learn_rules(paths, fmt=fmt, options=options, jobs=jobs,
                                min_docs=min_docs, min_share=min_share)
    text = render_rule_file(rules, min_docs=min_docs, min_share=min_share,
                            documents=sum(counts.docs.values()), sources=paths)
    if output in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    print(f"declutter learn: {sum(counts.docs.values()):,} documents from {len(counts.docs):,} domains, "
          f"{len(rules):,} rules, {counts.no_url:,} without URL, {counts.errors:,} errors, "
          f"{time.perf_counter() - t0:.1f} s", file=err, flush=True)
    return 0

