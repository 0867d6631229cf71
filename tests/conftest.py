"""Shared helpers for the foundation tests: paths, one default Cleaner per
session, a runner for the `declutter` command, and small page builders."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "text"
SEED = ROOT / "seeds" / "000_0eb8e67bc03ad9ec.txt"
RULES_DIR = ROOT / "rules"

# The console script's entry point, run with this interpreter (no PATH lookup).
CLI = [sys.executable, "-c", "import sys; from declutter.cli import main; sys.argv[0] = 'declutter'; main()"]


def run_cli(*args: str, input: bytes | str = b"", cwd: Path | str | None = None,
            env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `declutter ARGS` with INPUT on stdin; stdout/stderr decoded as UTF-8."""
    data = input.encode("utf-8") if isinstance(input, str) else input
    proc = subprocess.run([*CLI, *args], input=data, capture_output=True, cwd=cwd or ROOT,
                          env=env, timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode,
                                       proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


def call_cli(*args: str, input: bytes | str = b"") -> subprocess.CompletedProcess[str]:
    """Run `declutter ARGS` in this process: declutter.cli.main() exactly as the
    console script calls it, with stdin/stdout/stderr swapped for buffers and the
    exit status taken from its SystemExit. Much cheaper than a new interpreter
    (the rules' regexes stay compiled); process-level behaviour (closed pipes,
    real stdin) is tested with run_cli."""
    import io

    from declutter import cli

    data = input.encode("utf-8") if isinstance(input, str) else input
    out, err = io.BytesIO(), io.BytesIO()
    streams = (io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"),
               io.TextIOWrapper(out, encoding="utf-8", newline="\n"),
               io.TextIOWrapper(err, encoding="utf-8", newline="\n"))
    saved = sys.argv, sys.stdin, sys.stdout, sys.stderr
    sys.argv = ["declutter", *args]
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        streams[1].flush()
        streams[2].flush()
        sys.argv, sys.stdin, sys.stdout, sys.stderr = saved
    return subprocess.CompletedProcess(["declutter", *args], code,
                                       out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))


def fixture_names() -> list[str]:
    return sorted(p.name[: -len(".txt")] for p in FIXTURES.glob("*.txt") if not p.name.endswith(".expected.txt"))


@pytest.fixture(scope="session")
def cleaner():
    from declutter import Cleaner

    return Cleaner()


# Hand-written article paragraphs (invented text), long enough to read as
# prose to any reasonable boilerplate filter.
PARAS = [
    "The town council voted on Tuesday evening to approve the long-delayed plan for a new footbridge "
    "across the river, ending a debate that had run for more than six years and divided residents of "
    "the two neighbourhoods on either bank.",
    "Supporters of the scheme say that the bridge will cut the walk from the railway station to the "
    "market square by almost twenty minutes, and that it will bring more visitors to the shops and "
    "cafes along the quiet eastern embankment.",
    "Opponents had argued that the money would be better spent on repairing the roads, many of which "
    "are still scarred by the floods of two winters ago, and that the design would spoil the view of "
    "the old stone mill from the water.",
    "Work is expected to begin in the spring, once the final drawings have been checked by the "
    "engineers and the contract has been signed with the building firm that offered the lowest price "
    "in last year's open tender.",
    "The council's leader said after the vote that she was pleased the matter had at last been "
    "settled, and she thanked the hundreds of people who had written letters or spoken at the public "
    "meetings held in the library over the summer.",
    "A small group of residents has said it will ask for the decision to be reviewed, but lawyers "
    "consulted by the local paper think that such a challenge is unlikely to succeed, because the "
    "council followed every step that the law requires.",
]


def page(*lines: str) -> str:
    """A text page: the given lines, each followed by a blank line (one block per paragraph)."""
    return "\n\n".join(lines) + "\n"


def verdicts(result) -> list[tuple[str, bool, str]]:
    """(stripped text, kept?, deciding id) for every block of a CleanResult."""
    return [(b.text.strip(), v.keep, v.reason) for b, v in zip(result.blocks, result.verdicts)]


def reason_of(result, text: str) -> list[str]:
    """The deciding ids of every block whose stripped text is TEXT ('keep:ID' for kept blocks)."""
    out = [("keep:" if keep else "") + reason for t, keep, reason in verdicts(result) if t == text]
    assert out, f"no block {text!r} on the page"
    return out


def removed_reasons(result, text: str) -> list[str]:
    """The reasons given in result.removed for blocks whose text is TEXT."""
    return [r.reason for r in result.removed if r.text == text]
