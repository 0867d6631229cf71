"""The rules' table for the compiled core under a `regex` version other than
the one that built data/rx_index.json (rx.table()): it is worked out again
from the sources the shipped table lists, kept in the cache directory, read
from there by the next process, and worked out again when the cached copy is
damaged; a cache that cannot be written costs time, never the table."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import regex

from declutter import rx
from declutter.literals import index_key


def _clear() -> None:
    for cached in (rx.table, rx.shipped_rx, rx.shipped_needs):
        cached.cache_clear()


@pytest.fixture
def shipped() -> dict[str, Any]:
    """The shipped table as this `regex` version reads it."""
    _clear()
    return rx.table()


@pytest.fixture
def other_version(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A running `regex` that calls itself another version, with the cache
    in tmp_path; the tables themselves stay this version's, so the table
    worked out again must equal the shipped one entry for entry."""
    monkeypatch.setattr(regex, "__version__", "0.0.test")
    monkeypatch.setenv("DECLUTTER_CACHE_DIR", str(tmp_path / "cache"))
    _clear()
    yield tmp_path / "cache"
    monkeypatch.undo()
    _clear()


def _entries(table: dict[str, Any]) -> dict[str, Any]:
    entries: dict[str, Any] = table["entries"]
    return entries


def test_the_shipped_table_lists_each_patterns_source() -> None:
    _clear()
    for key, entry in _entries(rx.table()).items():
        assert index_key(entry["source"], entry["flags"]) == key


def test_another_regex_version_works_the_table_out_again_and_keeps_it(shipped, other_version) -> None:
    table = rx.table()
    assert table["regex"] == "0.0.test"
    assert _entries(table) == _entries(shipped)
    kept = rx.cache_file()
    assert kept is not None and kept.parent == other_version and kept.is_file()
    assert "0.0.test" in kept.name
    assert json.loads(kept.read_text(encoding="utf-8"))["entries"] == _entries(shipped)
    assert len(rx.shipped_rx()) == len(_entries(shipped))


def test_the_next_process_reads_the_kept_table(shipped, other_version, monkeypatch) -> None:
    rx.table()
    _clear()

    def refuse(patterns: object) -> dict[str, Any]:
        raise AssertionError("worked out again although the cache holds it")

    monkeypatch.setattr(rx, "build_index", refuse)
    assert _entries(rx.table()) == _entries(shipped)


def test_a_damaged_cache_is_worked_out_again(shipped, other_version) -> None:
    kept = rx.cache_file()
    assert kept is not None
    kept.parent.mkdir(parents=True)
    kept.write_text('{"regex": "0.0.test", "entries": {"a": {}}}', encoding="utf-8")
    assert _entries(rx.table()) == _entries(shipped)
    assert json.loads(kept.read_text(encoding="utf-8"))["entries"] == _entries(shipped)


def test_an_unwritable_cache_still_gives_the_table(shipped, other_version, monkeypatch, tmp_path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("DECLUTTER_CACHE_DIR", str(blocker / "cache"))
    assert _entries(rx.table()) == _entries(shipped)
