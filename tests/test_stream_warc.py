"""WARC and WET streams on real files (fixtures/warc, see its README): every
intact page record kept, in order, with URL, date and id; every broken record
reported as an error record; no page lost silently."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from declutter import Cleaner
from declutter.stream import Options, clean_stream

pytest.importorskip("fastwarc")

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "warc"


class Echo:
    """Keeps every line; the title is the first line."""

    def clean(self, page, url=None, html=None):
        from types import SimpleNamespace

        if isinstance(page, bytes):
            page = page.decode("utf-8", "replace")
        return SimpleNamespace(text=page, title=page.split("\n", 1)[0], metadata={"html": html}, removed=[],
                               removed_chars=0)


def records(name: str, cleaner=None, jobs: int = 1, options=None):
    out = io.BytesIO()
    summary = clean_stream([str(FIX / name)], cleaner or Echo(), fmt="warc", out=out, jobs=jobs,
                           summary_to=False, options=options)
    return [json.loads(x) for x in out.getvalue().splitlines()], summary


def split(recs):
    return [r for r in recs if "error" not in r], [r for r in recs if "error" in r]


def test_whole_wet_file_gives_all_25_pages_in_order():
    recs, summary = records("filter_test_1.wet.gz")
    ok, bad = split(recs)
    assert len(ok) == 25 and not bad
    assert ok[0]["url"] == "http://100-things-to-do-before-high-school.wikia.com/wiki/File:Say_yes_28.PNG"
    assert ok[-1]["url"] == ("http://www.mayoclinic.org/diseases-conditions/asthma/care-at-mayo-clinic/"
                             "research/CON-20026992?p=1")
    biopix = next(r for r in ok if r["url"] == "http://www.biopix.com/naso-lituratus_photo-67116.aspx")
    assert biopix["record_id"] == "<urn:uuid:15ecf3d7-4673-45b4-bfa8-510f651c3968>"
    assert biopix["date"] == "2016-12-02T18:09:16Z"
    assert biopix["warc_type"] == "conversion"
    assert biopix["text"].startswith("Naso lituratus Biopix photo/image 67116\nBiopix\nStart")
    assert biopix["metadata"] == {"html": False}  # WET records are text
    assert summary.stats.records == 25 and summary.stats.errors == 0


@pytest.mark.parametrize("name, intact, broken", [
    ("corrupt_two_warcinfo.wet.gz", 5, []),
    ("corrupt_warcconversion_1.wet.gz", 4, ["without WARC-Target-URI"]),
    ("fragment1_incomplete_last.wet.gz", 1, ["record truncated: 9186 of 12694"]),
    ("fragment1_asthma_incomplete_last.wet.gz", 0,
     ["Content-Length does not match", "record truncated: 9187 of 12694"]),
    ("fragment2_no_header.wet.gz", 1, ["7429 bytes that are not a WARC record", "record truncated"]),
    ("appended_zip_fragment_unexpected_eof.wet.gz", 15, ["record truncated: 3479 of 7758"]),
    ("file_and_wet_headers_only.wet.gz", 0, ["Content-Length does not match", "record header cut short"]),
    ("file_headers_only.wet.gz", 0, ["record truncated"]),
])
def test_broken_wet_fragments(name, intact, broken):
    recs, summary = records(name)
    ok, bad = split(recs)
    assert len(ok) == intact
    assert len(bad) == len(broken) == summary.stats.errors
    for rec, what in zip(bad, broken):
        assert what in rec["error"]
        assert rec["source"].startswith(str(FIX / name) + "@")
    assert all(r["url"] and r["record_id"] for r in ok)


def test_intact_records_around_damage_are_the_same_records():
    """The 4 intact records of a damaged file are the records of the clean one."""
    whole, _ = records("corrupt_two_warcinfo.wet.gz")
    damaged, _ = records("corrupt_warcconversion_1.wet.gz")
    ok, bad = split(damaged)
    assert [r["record_id"] for r in ok] == [r["record_id"] for r in whole[1:]]
    assert [r["text"] for r in ok] == [r["text"] for r in whole[1:]]
    assert bad[0]["record_id"] == whole[0]["record_id"]  # the broken one is named, not dropped


def test_truncated_gzip_member_is_named_in_the_error():
    recs, _ = records("appended_zip_fragment_unexpected_eof.wet.gz")
    assert "gzip stream truncated" in recs[-1]["error"]
    assert recs[-1]["url"] and recs[-1]["record_id"]


def test_warc_html_responses_from_wget():
    # 16 responses: 9 redirects (non-200), robots.txt, an RSS feed and 3 images
    # (not HTML), 2 HTML pages; 3 resource records are wget's own metadata:// files
    recs, summary = records("IAH-urls-wget.warc.gz")
    ok, bad = split(recs)
    assert not bad and [r["url"] for r in ok] == ["https://archive.org/"] * 2
    assert summary.stats.skipped == 17
    assert summary.stats.skips == {"non-200": 9, "not HTML": 5, "not pages": 3}
    recs, summary = records("IAH-urls-wget.warc.gz", options=Options(all_responses=True))
    ok, bad = split(recs)
    assert not bad and len(ok) == 13 and summary.stats.skipped == 6  # images and metadata:// stay out
    assert ok[0]["url"] == "http://www.archive.org/robots.txt"
    assert all(r["warc_type"] == "response" and r["date"].startswith("2013-10-21") for r in ok)


def test_warc_0_17_from_heritrix_truncated_file():
    recs, summary = records("IAH-20080430204825-00000-blackbook-truncated.warc.gz")
    ok, bad = split(recs)
    assert len(ok) == 2 and not bad and summary.stats.skips == {"not HTML": 5, "not pages": 1}
    recs, summary = records("IAH-20080430204825-00000-blackbook-truncated.warc.gz",
                            options=Options(all_responses=True))
    ok, bad = split(recs)
    assert len(ok) == 4 and not bad and summary.stats.skipped == 4


def test_real_cleaner_on_html_responses_in_parallel():
    opts = Options(all_responses=True)
    one, _ = records("IAH-urls-wget.warc.gz", Cleaner(), jobs=1, options=opts)
    two, _ = records("IAH-urls-wget.warc.gz", Cleaner(), jobs=2, options=opts)
    assert one == two and len(one) == 13
    assert all("<html" not in r["text"].lower() for r in one)


def test_uncompressed_and_concatenated_inputs(tmp_path):
    plain = tmp_path / "a.wet"
    plain.write_bytes(gzip.decompress((FIX / "filter_test_1.wet.gz").read_bytes()))
    out = io.BytesIO()
    s = clean_stream([str(plain), str(FIX / "fragment1_incomplete_last.wet.gz")], Echo(), fmt="warc",
                     out=out, jobs=2, summary_to=False, batch_records=4)
    recs = [json.loads(x) for x in out.getvalue().splitlines()]
    assert len(recs) == 27 and s.stats.errors == 1
    assert "error" in recs[-1] and all("error" not in r for r in recs[:26])
