"""CLI pieces for corpus streams, hooked into declutter/cli.py:

    declutter --jsonl [--field text] [--url-field url] [--out-field F]
              [--with-removed] [--errors FILE] [--stats FILE] [-j N] FILES…
    declutter --warc FILES…                 (WARC response / WET conversion records)
    declutter --jsonl --engine ray [--address ADDR] --out-dir DIR FILES…
    declutter learn CORPUS… -o site-rules.toml [-K 5] [-S 0.1]

Exit status: 0 when every record was emitted — records that failed are
written as error records and counted in the summary, not fatal; 1 when an
input cannot be read (or the output cannot be written: disk full); 2 usage
error. A closed stdout ends the run quietly with status 0.
"""
from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from ..tally import Tally
from .learn import DEFAULT_MIN_DOCS, DEFAULT_MIN_SHARE

if TYPE_CHECKING:
    from .process import Stats
    from .run import Summary

_STREAM_KEYS = ("jsonl", "warc", "field", "url_field", "out_field", "with_removed", "errors_path",
                "jobs", "force_jobs", "engine", "address", "out_dir", "all_responses")
_F = TypeVar("_F", bound=Callable[..., Any])  # a click command function, decorated in place

# The options that mean something only with --jsonl / --warc.
STREAM_ONLY = _STREAM_KEYS[2:]
RAY_MISSING = "--engine ray needs Ray: pip install 'declutter[ray]'"
# the names the Ray engine gives its shards in --out-dir
_SHARD_NAMES = ("part-*.jsonl", "errors-*.jsonl")


def _common_corpus_options(f: _F) -> _F:
    for opt in reversed([
        click.option("--field", default="text", show_default=True, metavar="NAME",
                     help="JSONL: the field holding the page."),
        click.option("--url-field", default="url", show_default=True, metavar="NAME",
                     help="JSONL: the field holding the page's URL."),
        click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, metavar="N",
                     help="Worker processes (0, the default: all cores; more than the cores: capped)."),
        click.option("--force-jobs", is_flag=True, help="Run -j N workers even when N is more than the cores."),
    ]):
        f = opt(f)
    return f


def stream_options(f: _F) -> _F:
    """The corpus options of the main command."""
    for opt in reversed([
        click.option("--jsonl", is_flag=True, help="Input is JSON Lines; output is JSON Lines, one per record."),
        click.option("--warc", is_flag=True, help="Input is WARC (response records) or WET (conversion records)."),
        click.option("--all-responses", is_flag=True,
                     help="WARC: also clean responses that are no article: non-200 status, XML feeds, robots.txt."),
        click.option("--out-field", metavar="NAME", help="JSONL: write the cleaned text here instead of in place."),
        click.option("--with-removed", is_flag=True, help="Add the removed blocks with their rule ids to each record."),
        click.option("--errors", "errors_path", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
                     help="Write error records to FILE instead of inline."),
        click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                     help="local worker processes, or a Ray cluster (pip install 'declutter[ray]')."),
        click.option("--address", metavar="ADDR", help="Ray cluster address (default: start a local Ray)."),
        click.option("--out-dir", metavar="DIR", help="--engine ray: folder (or s3://…) for the JSONL shards."),
    ]):
        f = opt(f)
    return _common_corpus_options(f)


def page_mode(as_text: bool, as_html: bool) -> bool | None:
    """--text / --html: False, True, or None (detect); both at once is a usage error."""
    if as_text and as_html:
        raise click.UsageError("--text and --html exclude each other")
    return True if as_html else (False if as_text else None)


def bounded_jobs(jobs: int, force: bool) -> int | None:
    """-j N as the engine takes it: None for all cores; more workers than cores
    only run slower (each page is CPU work), so N is capped, with a note, unless forced."""
    if not jobs:
        return None
    from .run import default_jobs

    cores = default_jobs()
    if jobs > cores and not force:
        print(f"declutter: -j {jobs} is more than the {cores} cores here; using {cores} "
              f"(--force-jobs to run {jobs})", file=sys.stderr, flush=True)
        return cores
    return jobs


def need_ray() -> None:
    """One usage line, not an ImportError's traceback, when Ray is missing."""
    import importlib.util

    if importlib.util.find_spec("ray") is None:
        raise click.UsageError(RAY_MISSING)


def refuse_outputs_on_inputs(inputs: tuple[str, ...] | list[str], *, files: dict[str, str] | None = None,
                             out_dir: str | None = None) -> None:
    """A usage error when an output (FILES: flag -> path) or a shard name in
    OUT_DIR is one of the inputs: opening it for writing would empty the input
    before it is read. Called before anything is opened."""
    import fnmatch

    existing = [p for p in inputs if p != "-" and "://" not in p and os.path.isfile(p)]
    for flag, path in (files or {}).items():
        for name in existing:
            if path and path != "-" and _same_file(path, name):
                raise click.UsageError(f"{flag} {path} is the input {name}: it would be overwritten")
    if out_dir and "://" not in out_dir:
        for name in existing:
            if (any(fnmatch.fnmatch(os.path.basename(name), n) for n in _SHARD_NAMES)
                    and _same_file(os.path.dirname(name) or ".", out_dir)):
                raise click.UsageError(f"--out-dir {out_dir} would overwrite the input {name} with a shard")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): not the same file
        return False


def wants_stream(params: dict[str, Any]) -> bool:
    return bool(params.get("jsonl") or params.get("warc"))


def open_stats(path: str) -> TextIO:
    """Open the --stats file for writing, before any page is cleaned: a path
    that cannot be written is a usage error now, not after hours of work."""
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"--stats {path}: {exc.strerror or exc}") from None


def write_stats(fh: TextIO, tally: Tally | None, pages: int, errors: int) -> int:
    """Write the --stats document and close the file; the exit status of the
    write: 0, or 1 (one line said) when it fails (a full disk)."""
    doc = (tally or Tally()).to_dict(pages, errors)
    try:
        with fh:
            json.dump(doc, fh, indent=1)
            fh.write("\n")
    except OSError as exc:
        print(f"declutter: cannot write --stats {fh.name}: {exc.strerror or exc}", file=sys.stderr, flush=True)
        return 1
    return 0


def run_stream_cli(files: tuple[str, ...], cleaner: Any, html: bool | None, params: dict[str, Any],
                   stats_path: str | None = None) -> int:
    """Run a corpus clean from the CLI; returns the exit status. With
    STATS_PATH, removals are counted per reason id and written there as JSON
    at the end, and the summary names the top reasons."""
    from ..errors import InputError
    from .process import Options

    if params.get("jsonl") and params.get("warc"):
        raise click.UsageError("--jsonl and --warc exclude each other")
    fmt = "warc" if params.get("warc") else "jsonl"
    opts = Options(field=params.get("field") or "text", url_field=params.get("url_field") or "url",
                   out_field=params.get("out_field"), with_removed=bool(params.get("with_removed")),
                   html=html, errors_apart=bool(params.get("errors_path")),
                   all_responses=bool(params.get("all_responses")), stats=stats_path is not None)
    refuse_outputs_on_inputs(files, files={"--errors": params.get("errors_path") or "", "--stats": stats_path or ""},
                             out_dir=params.get("out_dir") if params.get("engine") == "ray" else None)
    if params.get("engine") == "ray":
        need_ray()
        if not params.get("out_dir"):
            raise click.UsageError("--engine ray writes JSONL shards: give --out-dir DIR")
        from .ray_engine import clean_dataset

        if not files or "-" in files:
            raise click.UsageError("--engine ray reads files or s3:// paths, not stdin")
        stats_fh = open_stats(stats_path) if stats_path else None
        try:
            summary = clean_dataset(list(files), params["out_dir"], cleaner, fmt=fmt, options=opts,
                                    address=params.get("address"))
        except BaseException:
            if stats_fh is not None:
                stats_fh.close()
            raise
        print(summary.line(), file=sys.stderr, flush=True)
        if stats_fh is not None:
            print((summary.stats.tally or Tally()).top_line(), file=sys.stderr, flush=True)
        return max(summary.exit_status, _end_stats(stats_fh, summary.stats))
    if params.get("out_dir") or params.get("address"):
        raise click.UsageError("--out-dir and --address go with --engine ray")
    from .run import clean_stream

    jobs = bounded_jobs(int(params.get("jobs") or 0), bool(params.get("force_jobs")))
    errors_fh = None
    if params.get("errors_path"):
        try:
            errors_fh = open(params["errors_path"], "wb")  # noqa: SIM115 - closed in the finally below
        except OSError as exc:
            raise click.UsageError(f"--errors {params['errors_path']}: {exc.strerror or exc}") from None
    try:
        stats_fh = open_stats(stats_path) if stats_path else None
    except click.UsageError:
        if errors_fh is not None:
            errors_fh.close()
        raise
    done: Summary | None = None
    try:
        done = clean_stream(list(files) or ["-"], cleaner, fmt=fmt, options=opts,
                               errors_out=errors_fh, jobs=jobs)
    except InputError as exc:
        print(f"declutter: {exc}", file=sys.stderr, flush=True)
        return 1
    except OSError as exc:
        if exc.errno == errno.EPIPE:  # the reader went away (`| head`): stop quietly
            _silence_stdout()
            return 0
        print(f"declutter: cannot write output: {exc.strerror or exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        if errors_fh is not None:
            errors_fh.close()
        if done is None and stats_fh is not None:  # the run did not end: no stats to write
            stats_fh.close()
    return max(done.exit_status, _end_stats(stats_fh, done.stats))


def _end_stats(fh: TextIO | None, stats: Stats) -> int:
    """With --stats: the file written (0), or the exit status of its failure."""
    if fh is None:
        return 0
    return write_stats(fh, stats.tally, stats.records, stats.errors)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that no later flush complains about the pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except OSError:
        pass


@click.command("learn", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("corpus", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", default="-", metavar="FILE", show_default=True,
              help="Where to write the rule file (- for stdout).")
@click.option("-K", "--min-docs", type=click.IntRange(min=2), default=DEFAULT_MIN_DOCS, show_default=True,
              help="A line must be in at least this many documents of its domain.")
@click.option("-S", "--min-share", type=click.FloatRange(0.0, 1.0), default=DEFAULT_MIN_SHARE, show_default=True,
              help="…and in at least this share of its domain's documents.")
@click.option("--warc", is_flag=True, help="The corpus is WARC/WET (default: JSON Lines).")
@click.option("--text", "as_text", is_flag=True, help="Treat pages as text.")
@click.option("--html", "as_html", is_flag=True, help="Treat pages as HTML.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--address", metavar="ADDR", help="Ray cluster address (default: a local Ray).")
@_common_corpus_options
def learn_command(corpus: tuple[str, ...], output: str, min_docs: int, min_share: float, warc: bool,
                  as_text: bool, as_html: bool, engine: str, address: str | None, field: str,
                  url_field: str, jobs: int, force_jobs: bool) -> None:
    """Learn site rules from a corpus: lines that recur on many pages of a domain.

    Counts normalised lines (digits, case and spacing folded) per domain and
    writes a rule file of the lines found in at least K documents and a share
    S of the documents of their domain, each rule scoped to its domain, with
    its counts in a comment. Apply it with `declutter --rules FILE`.
    """
    from .learn import main_learn
    from .process import Options

    opts = Options(field=field, url_field=url_field, html=page_mode(as_text, as_html))
    fmt = "warc" if warc else "jsonl"
    refuse_outputs_on_inputs(corpus, files={"-o": output})
    if engine == "ray":
        need_ray()
        from .ray_engine import learn_dataset

        learn_dataset(list(corpus), output, fmt=fmt, options=opts, address=address,
                      min_docs=min_docs, min_share=min_share)
        return
    from ..errors import InputError

    try:
        main_learn(list(corpus), output, fmt=fmt, options=opts, jobs=bounded_jobs(jobs, force_jobs),
                   min_docs=min_docs, min_share=min_share)
    except InputError as exc:
        print(f"declutter: {exc}", file=sys.stderr, flush=True)
        click.get_current_context().exit(1)
