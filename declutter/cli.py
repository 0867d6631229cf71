"""The `declutter` command: a Unix filter over the library.

Exit status: 0 success; 1 an input could not be read or cleaned; 2 usage
error or a broken rule file. A closed stdout (`declutter … | head`) ends the
run quietly with status 0.
"""
from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path
from typing import Iterator

import click

from .cleaner import Cleaner
from .errors import DeclutterError
from .explain import explain_lines
from .result import CleanResult
from .stream.cli import learn_command, run_stream_cli, stream_options, wants_stream

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


rules_option = click.option(
    "--rules", "rule_paths", multiple=True, type=click.Path(dir_okay=True),
    help="Extra rule file or folder (TOML, or an adblock-style filter list). Repeatable.")
no_defaults_option = click.option(
    "--no-default-rules", is_flag=True, help="Leave the shipped default rules out (signal thresholds stay).")
disable_option = click.option(
    "--disable", multiple=True, metavar="ID", help="Turn one rule off by id. Repeatable.")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--text", "mode", flag_value="text", help="Treat input as a text page.")
@click.option("--html", "mode", flag_value="html", help="Treat input as an HTML page.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per page: title, text, metadata, removed.")
@click.option("--explain", is_flag=True, help="Print every block marked keep or drop with the id that decided.")
@click.option("--color/--no-color", default=None, help="Colour --explain (default: when stdout is a terminal).")
@click.option("--url", help="The page's URL, for rules scoped to domains.")
@click.option("--strict", is_flag=True, help="A rule whose regex times out is an error, not a skip.")
@click.option("--full-reasons", is_flag=True,
              help="Try every rule on every block, so that each removed block names the most specific rule "
                   "(slower; the text is the same). Implied by --explain, and by --json on single pages.")
@click.option("--max-bytes", type=click.IntRange(min=0), metavar="N",
              help="Pages over N bytes are oversized (0: no limit; default from [signals.limits]: 64 MiB).")
@click.option("--oversize", type=click.Choice(["pass", "flag", "truncate", "error"]),
              help="An oversized page: pass it untouched, flag it (empty text), truncate it to --max-bytes "
                   "and clean that, or fail it (default: truncate).")
@click.option("--time-budget", type=click.FloatRange(min=0), metavar="SECONDS",
              help="CPU seconds one page may take; over it the page fails (0: none; default 60).")
@rules_option
@no_defaults_option
@disable_option
@stream_options
@click.pass_context
def clean_command(ctx: click.Context, files: tuple[str, ...], mode: str | None, as_json: bool, explain: bool,
        color: bool | None, url: str | None, strict: bool, full_reasons: bool,
        max_bytes: int | None, oversize: str | None,
        time_budget: float | None, rule_paths: tuple[str, ...],
        no_default_rules: bool, disable: tuple[str, ...], **stream: object) -> None:
    """Strip boilerplate from scraped web pages and print the article.

    Reads the FILES named (or stdin) and writes the article body of each to
    stdout. Pages are HTML or text: detected, or forced with --html / --text.

    Also: `declutter rules list`, `declutter rules check FILE`,
    `declutter learn CORPUS... -o site-rules.toml`.
    """
    # By default drop rules are tried only where they can change the text; a
    # reader of reasons (--explain, a page's JSON) gets every rule tried.
    full_reasons = full_reasons or explain or (as_json and not wants_stream(stream))
    cleaner = _cleaner(rule_paths, no_default_rules, disable, strict,
                       dict(max_bytes=max_bytes, oversize=oversize, time_budget=time_budget,
                            full_reasons=full_reasons))
    html = {"html": True, "text": False}.get(mode or "")
    if wants_stream(stream):  # --jsonl / --warc: corpus streams (declutter/stream)
        try:
            status = run_stream_cli(files, cleaner, html, stream)
        except KeyboardInterrupt:  # Ctrl-C: output is whole records up to here
            _error("interrupted")
            status = 130
        ctx.exit(status)
    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    status = EXIT_OK
    for name, data in _inputs(files or ("-",)):
        if data is None:
            status = EXIT_INPUT
            continue
        try:
            result = cleaner.clean(data, url=url, html=html)
        except DeclutterError as exc:
            _error(f"{name}: {exc}")
            status = max(status, exc.exit_status)
            continue
        for note in result.skip_notes():  # one line per rule, however many blocks
            _error(f"{name}: {note}")
        for warning in result.metadata.get("warnings", ()):
            _error(f"{name}: {warning}")
        _write(_format(result, as_json, explain, color))
    ctx.exit(status)


def _format(result: CleanResult, as_json: bool, explain: bool, color: bool) -> str:
    if as_json:
        return json.dumps(result.to_dict(), ensure_ascii=False) + "\n"
    if explain:
        return "".join(line + "\n" for line in explain_lines(result, color=color))
    return result.text + "\n" if result.text else ""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def admin() -> None:
    """declutter's commands beside cleaning."""


admin.add_command(learn_command)


@admin.group()
def rules() -> None:
    """List loaded rules or check a rule file."""


@rules.command("list")
@rules_option
@no_defaults_option
@disable_option
def rules_list(rule_paths: tuple[str, ...], no_default_rules: bool, disable: tuple[str, ...]) -> None:
    """Show every loaded rule: id, action, where, source file and name."""
    cleaner = _cleaner(rule_paths, no_default_rules, disable, False)
    rs = cleaner.ruleset
    width = max((len(r.id) for r in rs.all_rules), default=2)
    for r in rs.all_rules:
        state = "off" if (r.id in rs.disabled or not r.enabled) else "on "
        scope = f" domains={','.join(r.domains)}" if r.domains else ""
        _write(f"{r.id:<{width}}  {state} {r.action:<11} {r.where:<10} {_short_path(r.source)}  {r.name}{scope}\n")


@rules.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
def rules_check(files: tuple[str, ...]) -> None:
    """Validate rule files: syntax, keys, regexes, and ids clashing with the defaults."""
    from .ruleset import default_rules_dir, rule_paths

    defaults = {p.resolve() for p in rule_paths(default_rules_dir())}
    total = 0
    for path in files:
        # A default file is checked on its own; any other against the defaults.
        own = all(p.resolve() in defaults for p in rule_paths(path))
        cleaner = _cleaner((path,), own, (), False)
        total += sum(1 for r in cleaner.ruleset.all_rules if Path(r.source).resolve() not in defaults or own)
    _write(f"ok: {total} rules in {len(files)} path(s)\n")


def _short_path(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def _cleaner(rule_paths: tuple[str, ...], no_default_rules: bool, disable: tuple[str, ...], strict: bool,
             limits: dict | None = None) -> Cleaner:
    try:
        cleaner = Cleaner(rule_paths, default_rules=not no_default_rules, disable=disable, strict=strict,
                          **(limits or {}))
    except DeclutterError as exc:  # a broken rule file or a bad limit: usage errors
        _error(str(exc))
        sys.exit(EXIT_USAGE)
    for note in cleaner.load_warnings:  # filters of a list that were skipped
        _error(note)
    return cleaner


def _inputs(files: tuple[str, ...]) -> Iterator[tuple[str, bytes | None]]:
    """Each input's name and bytes; None (after a one-line error) if unreadable."""
    for name in files:
        try:
            if name == "-":
                yield "<stdin>", sys.stdin.buffer.read()
            else:
                yield name, Path(name).read_bytes()
        except OSError as exc:
            _error(f"{name}: cannot read: {exc.strerror or exc}")
            yield name, None


def _write(text: str) -> None:
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        # here, not in main(): inside the command click would turn EPIPE into exit status 1
        _quiet_pipe()


def _error(message: str) -> None:
    sys.stderr.write(f"declutter: {message}\n")
    sys.stderr.flush()


def main() -> None:
    """Entry point: run the CLI, turning a closed stdout into a quiet exit."""
    args = sys.argv[1:]
    command = admin if args and args[0] in admin.commands else clean_command
    try:
        # standalone_mode=False: click returns ctx.exit()'s status instead of raising
        status = command.main(args, standalone_mode=False, prog_name="declutter")
    except click.exceptions.Exit as exc:
        _flush_or_quiet()
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        _error(exc.format_message().replace("\n", " "))
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        _error("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        _quiet_pipe()
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            _quiet_pipe()
        _error(f"cannot write output: {exc.strerror or exc}")
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        _error("interrupted")
        sys.exit(130)
    _flush_or_quiet()
    sys.exit(status if isinstance(status, int) else EXIT_OK)


def _flush_or_quiet() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_pipe()
    except OSError as exc:
        _error(f"cannot write output: {exc.strerror or exc}")
        sys.exit(EXIT_INPUT)


def _quiet_pipe() -> None:
    # The reader went away (`| head`): stop quietly, and keep Python from
    # complaining again when it flushes stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_OK)
