"""Coverage-guided fuzzing of declutter with atheris (long runs, outside CI).

    pip install atheris
    python fuzz/fuzz_clean.py -max_total_time=3600 fuzz/corpus/   # an hour; the folder keeps what it found
    python fuzz/fuzz_clean.py crash-<hash>                          # replay one input

The first byte of an input picks what is fuzzed; the rest is the payload:

    0  bytes, text mode        3  str (any code point, lone surrogates too), HTML
    1  bytes, HTML mode        4  a rule file (TOML text), then two pages cleaned with it
    2  str, text mode          5  a JSONL batch through the stream worker code

and each case checks declutter's promises: nothing raises but a
DeclutterError (RuleFileError for rule files); everything returned encodes as
UTF-8; text mode removes whole lines only and is idempotent; a stream batch
gives one output line of valid JSON per input line. A broken promise raises
AssertionError, which atheris reports as a crash with the input saved.

`check(data)` needs no atheris: tests/test_hardening_properties.py runs it on
a few inputs so that this target cannot rot.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
from typing import Any

# declutter is imported by _load(), so that main() can instrument it for coverage
Cleaner: Any = None
DeclutterError: Any = None
RuleFileError: Any = None
normalise_newlines: Any = None
process_batch: Any = None
Options: Any = None

_CLEANER: Any = None
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_PAGES = ("Leave a Reply\nThe council approved the budget for the new library after a long debate, and work "
          "will start in the spring.\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\nShare this:",
          "<html><body><div id=comments><p>Leave a Reply</p></div><article><p>The council approved the "
          "budget for the new library after a long debate.</p></article></body></html>")


def _load() -> None:
    global Cleaner, DeclutterError, RuleFileError, normalise_newlines, process_batch, Options
    if Cleaner is not None:
        return
    import declutter.html.extract  # noqa: F401  (the HTML path, loaded up front)
    from declutter import Cleaner as C, DeclutterError as D, RuleFileError as R
    from declutter.blocks import normalise_newlines as n
    from declutter.stream.process import Options as O, process_batch as p

    Cleaner, DeclutterError, RuleFileError, normalise_newlines, process_batch, Options = C, D, R, n, p, O


def _cleaner() -> Any:
    global _CLEANER
    _load()
    if _CLEANER is None:
        _CLEANER = Cleaner(time_budget=10.0)
    return _CLEANER


def _as_str(payload: bytes) -> str:
    # every pair of bytes is one UTF-16 code unit: any code point, lone surrogates included
    return payload[: len(payload) // 2 * 2].decode("utf-16-le", "surrogatepass")


def _encodable(result) -> None:
    result.text.encode("utf-8")
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")


def _lines(page: str | bytes) -> list[str]:
    if isinstance(page, bytes):
        page = page.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    return normalise_newlines(_SURROGATE.sub("\ufffd", page)).split("\n")


def _text_mode(page: str | bytes) -> None:
    cleaner = _cleaner()
    result = cleaner.clean(page, html=False)
    _encodable(result)
    it = iter(_lines(page))
    for line in result.text.split("\n"):
        if line:
            assert any(line == x for x in it), f"output line not an input line (in order): {line!r}"
    assert cleaner.clean(result.text, html=False).text == result.text, "not idempotent"


def _html_mode(page: str | bytes) -> None:
    try:  # noqa: SIM105 - suppress() would read DeclutterError before _cleaner() has loaded it
        _encodable(_cleaner().clean(page, html=True))
    except DeclutterError:
        pass  # documented: binary data is an InputError


def _rule_file(payload: bytes) -> None:
    _load()
    fd, path = tempfile.mkstemp(suffix=".toml")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        try:
            cleaner = Cleaner([path], default_rules=False, time_budget=10.0)
        except RuleFileError as exc:
            assert "\n" not in str(exc), "a rule file error must be one line"
            return
        for page, html in zip(_PAGES, (False, True)):
            with contextlib.suppress(DeclutterError):  # e.g. a page over its time budget
                _encodable(cleaner.clean(page, html=html))
    finally:
        os.unlink(path)


def _stream(payload: bytes) -> None:
    cleaner = _cleaner()
    lines = [ln + b"\n" for ln in payload.split(b"\n") if ln.strip()]
    items = [(i + 1, ln) for i, ln in enumerate(lines)]
    data, _errs, stats = process_batch(("jsonl", "<fuzz>", items), cleaner, Options())
    out = data.decode("utf-8").splitlines()
    assert len(out) == len(items) == stats.records, "one output line per input line"
    for line in out:
        json.loads(line)


def check(data: bytes) -> None:
    """Fuzz one input (see the module docstring)."""
    if not data:
        return
    mode, payload = data[0] % 6, data[1:]
    if mode == 0:
        _text_mode(payload)
    elif mode == 1:
        _html_mode(payload)
    elif mode == 2:
        _text_mode(_as_str(payload))
    elif mode == 3:
        _html_mode(_as_str(payload))
    elif mode == 4:
        _rule_file(payload)
    else:
        _stream(payload)


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["declutter"]):  # coverage feedback from declutter's code
        _load()
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
