"""`declutter report`: the HTML page that shows why each block went.

First the page's structure, read with the standard library's HTML parser:
struck blocks are the dropped ones, reason ids and totals are right, what the
page says is escaped. Then the same reports in a real headless Chromium
(tests/headless.py): what the browser *renders* struck is exactly what was
dropped, and a hostile page runs no script."""
from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from declutter import Cleaner
from declutter.report import source_location

from conftest import ROOT, SEED, call_cli
from headless import Browser, find_chromium

WORDPRESS = ROOT / "fixtures" / "html" / "wordpress-post.html"

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
GLOBAL = "<script>window.pwned = 1</script>"
HOSTILE_URL = f"https://example.com/{IMG}"
HOSTILE_PAGE = f"""<html><head><title>{SCRIPT.replace('<', '&lt;')} news</title>
<meta property="og:title" content="{SCRIPT.replace('<', '&lt;')}{IMG.replace('"', '&quot;').replace('<', '&lt;')}">
<meta name="author" content="{IMG.replace('"', '&quot;').replace('<', '&lt;')}"></head>
<body><nav><a href="/">Home {SCRIPT.replace('<', '&lt;')}</a></nav>
<article><h1>A headline</h1>
<p>{SCRIPT.replace('<', '&lt;')} The council met on Tuesday to talk about the bridge over the river and agreed the plan after a long debate that ran for years.</p>
<p>{IMG.replace('<', '&lt;')} Residents on both banks said the new footbridge would cut the walk to the station by twenty minutes and bring more visitors.</p>
<p>{GLOBAL.replace('<', '&lt;')} Work is to begin in the spring and the bridge should open to walkers and cyclists before the end of next year, the council said.</p>
</article><footer>{IMG.replace('<', '&lt;')} footer</footer></body></html>"""


@dataclass
class Item:
    """One block as the report shows it."""

    decision: str
    reason: str
    struck: bool = False
    text: str = ""
    path: str = ""


@dataclass
class Report(HTMLParser):
    """What a report page holds: its blocks, legend rows (cells by class or
    column number), every tag seen, its title, heading and metadata text."""

    items: list[Item] = field(default_factory=list)
    legend: dict[str, dict[str, str]] = field(default_factory=dict)
    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    title: str = ""
    h1: str = ""
    meta: str = ""

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._open: list[tuple[str, str]] = []  # (tag, class) of the open elements
        self._row: dict[str, str] | None = None
        self._cell = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        cls = a.get("class") or ""
        self.tags.append((tag, a))
        self._open.append((tag, cls))
        if tag == "li":
            self.items.append(Item(cls, a.get("data-reason") or ""))
        elif tag == "del" and self.items:
            self.items[-1].struck = True
        elif tag == "tr" and a.get("data-reason"):
            self._row = self.legend.setdefault(a["data-reason"] or "", {"": cls})
        elif tag == "td" and self._row is not None:
            self._cell = cls or str(sum(1 for k in self._row if k.isdigit() or k.startswith("n ")) + 1)
            self._row[self._cell] = ""

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass
        if tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        tags = {t for t, _ in self._open}
        classes = {c for _, c in self._open}
        if "title" in tags:
            self.title += data
        elif "h1" in tags:
            self.h1 += data
        elif "dl" in tags:
            self.meta += data
        elif self._row is not None and "td" in tags:
            self._row[self._cell] += data
        elif "text" in classes and self.items:
            self.items[-1].text += data
        elif "path" in classes and self.items:
            self.items[-1].path += data


def parse(html: str) -> Report:
    report = Report()
    report.feed(html)
    report.close()
    return report


def report_of(page: Path | str, tmp_path: Path, *args: str, input: bytes | str = b"") -> str:
    out = tmp_path / "report.html"
    run = call_cli("report", str(page), "-o", str(out), *args, input=input)
    assert run.returncode == 0, run.stderr
    return out.read_text(encoding="utf-8")


def verdicts_of(page: bytes | str, url: str | None = None, **options: object) -> list[tuple[str, str]]:
    result = Cleaner(full_reasons=True, **options).clean(page, url=url)  # type: ignore[arg-type]
    return [("keep" if v.keep else "drop", v.reason) for v in result.verdicts]


# --- structure ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [SEED, WORDPRESS], ids=["seed", "wordpress-post"])
def test_struck_blocks_are_exactly_the_dropped_ones(page: Path, tmp_path: Path) -> None:
    report = parse(report_of(page, tmp_path))
    expected = verdicts_of(page.read_bytes())
    assert [(i.decision, i.reason) for i in report.items] == expected
    assert [i.struck for i in report.items] == [d == "drop" for d, _ in expected]
    assert any(i.struck for i in report.items) and not all(i.struck for i in report.items)


def test_every_block_in_order_with_its_text(tmp_path: Path) -> None:
    report = parse(report_of(SEED, tmp_path))
    result = Cleaner(full_reasons=True).clean(SEED.read_bytes())
    assert [i.text for i in report.items] == [b.text.strip() for b in result.blocks]
    assert report.h1 == result.title == "China seeks policy support for Russian automakers"


def test_totals_per_reason_count_blocks_and_characters(tmp_path: Path) -> None:
    report = parse(report_of(SEED, tmp_path))
    result = Cleaner(full_reasons=True).clean(SEED.read_bytes())
    blocks: dict[str, int] = {}
    chars: dict[str, int] = {}
    for b, v in zip(result.blocks, result.verdicts):
        blocks[v.reason] = blocks.get(v.reason, 0) + 1
        chars[v.reason] = chars.get(v.reason, 0) + len(b.text.strip())
    assert {r: int(row["n blocks"]) for r, row in report.legend.items()} == blocks
    assert {r: int(row["n chars"]) for r, row in report.legend.items()} == chars
    assert report.legend["comments.thread-heading"][""] == "drop"
    assert report.legend["signal.body"][""] == "keep"


def test_legend_gives_name_description_and_file_line(tmp_path: Path) -> None:
    html = report_of(SEED, tmp_path)
    row = parse(html).legend
    assert "comment form or thread heading" in row["comments.thread-heading"]["5"]
    assert "Repeated line" in row["signal.repeated"]["5"]  # a signal's [[signal]] entry
    for reason, cells in row.items():
        # the line is the header of the TOML table that defines the id
        file, line = cells["6"].rsplit(":", 1)
        table = Path(file).read_text().splitlines()[int(line) - 1:]
        assert table[0].strip() in ("[[rule]]", "[[signal]]")
        body = table[1:next((i for i, t in enumerate(table[1:], 1) if t.startswith("[")), len(table))]
        assert f'id = "{reason}"' in [t.strip() for t in body]
    # hovering the id beside a block shows the same
    assert 'title="comment form or thread heading — ' in html


def test_source_location_takes_the_loaders_line_when_it_has_one() -> None:
    rule = next(r for r in Cleaner().ruleset.all_rules if r.id == "comments.thread-heading")
    file, line = source_location(rule).rsplit(":", 1)  # the loader's: its table's header
    assert int(line) == rule.line
    assert Path(file).read_text().splitlines()[int(line) - 1] == "[[rule]]"
    unrecorded = SimpleNamespace(id=rule.id, source=rule.source, line=None)
    file, line = source_location(unrecorded).rsplit(":", 1)  # type: ignore[arg-type]  # scanned for its id
    assert Path(file).read_text().splitlines()[int(line) - 1] == 'id = "comments.thread-heading"'
    recorded = SimpleNamespace(id=rule.id, source=rule.source, line=7)
    assert source_location(recorded).endswith(":7")  # type: ignore[arg-type]


def test_html_blocks_show_their_tag_path(tmp_path: Path) -> None:
    report = parse(report_of(WORDPRESS, tmp_path))
    result = Cleaner(full_reasons=True).clean(WORDPRESS.read_bytes())
    assert [i.path for i in report.items] == [b.tag_path for b in result.blocks]
    assert all(i.path for i in report.items)
    assert "riverside.example.org" in report.meta  # metadata: the canonical URL


def test_text_blocks_have_no_tag_path(tmp_path: Path) -> None:
    assert all(not i.path for i in parse(report_of(SEED, tmp_path)).items)


def test_hostile_page_text_title_metadata_and_url_are_escaped(tmp_path: Path) -> None:
    html = report_of("-", tmp_path, "--url", HOSTILE_URL, input=HOSTILE_PAGE)
    report = parse(html)
    assert not [t for t, _ in report.tags if t in ("script", "img", "iframe", "object", "embed")]
    assert not [a for _, a in report.tags if any(k.startswith("on") for k in a)]
    text = " ".join(i.text for i in report.items)
    for payload in (SCRIPT, IMG, GLOBAL):  # shown as text, not markup
        assert payload in text
    assert SCRIPT in report.h1 and SCRIPT in report.title
    assert HOSTILE_URL in report.meta and IMG in report.meta
    for payload in (SCRIPT, IMG, GLOBAL):
        assert payload not in html


def test_hostile_text_page_is_escaped_too(tmp_path: Path) -> None:
    page = f"{SCRIPT}\n\n{IMG}\n\n" + "The council met on Tuesday and agreed the plan for the new bridge. " * 4
    report = parse(report_of("-", tmp_path, "--text", "--url", HOSTILE_URL, input=page))
    assert not [t for t, _ in report.tags if t in ("script", "img")]
    assert [i.text for i in report.items][:2] == [SCRIPT, IMG]


def test_report_is_self_contained(tmp_path: Path) -> None:
    """Inline CSS, no script, nothing to fetch: links only to its own rows."""
    for page in (SEED, WORDPRESS):
        report = parse(report_of(page, tmp_path))
        assert not [t for t, _ in report.tags if t in ("script", "link", "img", "iframe")]
        assert not [a for _, a in report.tags if "src" in a]
        assert {a["href"][:8] for t, a in report.tags if t == "a"} == {"#reason-"}
        style = report_of(page, tmp_path).split("<style>")[1].split("</style>")[0]
        assert "url(" not in style and "@import" not in style


def test_rule_options_are_the_clean_commands(tmp_path: Path) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text('\n[[rule]]\nid = "mine.beijing"\nname = "my test rule"\n'
                     'description = "Drops the dateline paragraph."\npattern = "^BEIJING"\n')
    report = parse(report_of(SEED, tmp_path, "--rules", str(rules), "--disable", "signal.repeated"))
    reasons = [i.reason for i in report.items]
    assert "mine.beijing" in reasons and "signal.repeated" not in reasons
    assert report.legend["mine.beijing"]["6"].endswith("mine.toml:2")  # its [[rule]] header
    assert reasons == [r for _, r in verdicts_of(SEED.read_bytes(), rules=[str(rules)],
                                                  disable=["signal.repeated"])]
    plain = parse(report_of(SEED, tmp_path, "--no-default-rules"))
    assert not any(i.reason.startswith("comments.") for i in plain.items)


def test_report_to_stdout_and_from_stdin() -> None:
    run = call_cli("report", "-", "--text", input=SEED.read_bytes())
    assert run.returncode == 0
    assert [i.reason for i in parse(run.stdout).items] == [r for _, r in verdicts_of(SEED.read_bytes())]


def test_report_errors_are_one_line_with_the_documented_status(tmp_path: Path) -> None:
    missing = call_cli("report", str(tmp_path / "nope.html"), "-o", str(tmp_path / "r.html"))
    assert missing.returncode == 1 and missing.stderr.startswith("declutter: ") and missing.stderr.count("\n") == 1
    page = tmp_path / "page.txt"
    page.write_bytes(SEED.read_bytes())
    same = call_cli("report", str(page), "-o", str(page))
    assert same.returncode == 2 and "is the input" in same.stderr
    assert page.read_bytes() == SEED.read_bytes()
    unwritable = call_cli("report", str(SEED), "-o", str(tmp_path / "no" / "such" / "r.html"))
    assert unwritable.returncode == 1 and "cannot write" in unwritable.stderr
    assert "Traceback" not in missing.stderr + same.stderr + unwritable.stderr
    usage = call_cli("report", str(SEED), "--text", "--html")
    assert usage.returncode == 2


# --- in a real browser -------------------------------------------------------------------------------------

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium not found on PATH (CI installs it: .ci/run)")

# Per block as rendered: its reason id, whether its text is drawn struck
# through, its opacity; and what would show that a script ran.
BLOCKS_AS_RENDERED = """JSON.stringify([...document.querySelectorAll('ol.blocks > li')].map(li => {
  const text = li.querySelector('.text'), style = getComputedStyle(text);
  return {reason: li.querySelector('.why a').textContent,
          struck: style.textDecorationLine.includes('line-through'),
          opacity: parseFloat(style.opacity), text: text.textContent};
}))"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if CHROMIUM is None:
        pytest.skip("chromium not found on PATH (CI installs it: .ci/run)")
    chromium = Browser(CHROMIUM, tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@needs_chromium
@pytest.mark.parametrize("page", [SEED, WORDPRESS], ids=["seed", "wordpress-post"])
def test_browser_renders_struck_exactly_the_dropped_blocks(browser: Browser, page: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text(report_of(page, tmp_path))
    tab = browser.open(out.as_uri())
    assert tab.loaded
    shown = json.loads(tab.evaluate(BLOCKS_AS_RENDERED))
    expected = verdicts_of(page.read_bytes())
    assert [b["reason"] for b in shown] == [r for _, r in expected]
    assert [b["struck"] for b in shown] == [d == "drop" for d, _ in expected]
    assert all((b["opacity"] < 1) == b["struck"] for b in shown)  # dropped ones dimmed, kept ones not
    assert png_size(tab.screenshot(tmp_path / "report.png")) == (1000, 800)


@needs_chromium
def test_browser_runs_no_script_of_a_hostile_page(browser: Browser, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text(report_of("-", tmp_path, "--url", HOSTILE_URL, input=HOSTILE_PAGE))
    tab = browser.open(out.as_uri())
    assert tab.loaded and not tab.events("Page.javascriptDialogOpening")  # no alert() opened
    state = json.loads(tab.evaluate("""JSON.stringify({
        title: document.title, pwned: typeof window.pwned,
        scripts: document.scripts.length, images: document.images.length,
        handlers: [...document.querySelectorAll('*')].filter(
            e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
        body: document.body.innerText})"""))
    assert state["title"].startswith(f"declutter report: {SCRIPT}")  # as text, unchanged
    assert state == {**state, "pwned": "undefined", "scripts": 0, "images": 0, "handlers": 0}
    for payload in (SCRIPT, IMG, GLOBAL, HOSTILE_URL):
        assert payload in state["body"]
    shown = json.loads(tab.evaluate(BLOCKS_AS_RENDERED))
    assert [b["struck"] for b in shown] == [d == "drop" for d, _ in verdicts_of(HOSTILE_PAGE, url=HOSTILE_URL)]
    png_size(tab.screenshot(tmp_path / "hostile.png"))
