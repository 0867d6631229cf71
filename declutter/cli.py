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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from .cleaner import Cleaner
from .errors import DeclutterError, RuleFileError
from .explain import explain_lines
from .limits import OVERSIZE_ACTIONS
from .result import CleanResult
from .rule import Rule, Signal
from .sniff import page_bytes
from .stream.cli import (
    STREAM_ONLY,
    learn_command,
    open_stats,
    page_mode,
    refuse_outputs_on_inputs,
    run_stream_cli,
    stream_options,
    wants_stream,
    write_stats,
)
from .tally import Tally

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


rules_option = click.option(
    "--rules", "rule_paths", multiple=True, type=click.Path(dir_okay=True),
    help="Extra rule file or folder (TOML, or an adblock-style filter list). Repeatable.")
no_defaults_option = click.option(
    "--no-default-rules", is_flag=True, help="Leave the shipped default rules out (signal thresholds stay).")
disable_option = click.option(
    "--disable", multiple=True, metavar="ID",
    help="Turn one rule, or one signal that drops blocks, off by id. Repeatable.")
# The page options the clean and report commands share.
text_option = click.option("--text", "as_text", is_flag=True, help="Treat input as a text page.")
html_option = click.option("--html", "as_html", is_flag=True, help="Treat input as an HTML page.")
url_option = click.option("--url", help="The page's URL, for rules scoped to domains.")
strict_option = click.option("--strict", is_flag=True, help="A rule whose regex times out is an error, not a skip.")
max_bytes_option = click.option(
    "--max-bytes", type=click.IntRange(min=0), metavar="N",
    help="Pages over N bytes are oversized (0: no limit; default from [signals.limits]: 64 MiB).")
oversize_option = click.option(
    "--oversize", type=click.Choice(OVERSIZE_ACTIONS),
    help="An oversized page: pass it untouched, flag it (empty text), truncate it to --max-bytes "
         "and clean that, or fail it (default: truncate).")
time_budget_option = click.option(
    "--time-budget", type=click.FloatRange(min=0), metavar="SECONDS",
    help="CPU seconds one page may take; over it the page fails (0: none; default 60).")


# Options that mean something on single pages only, not with --jsonl / --warc.
PAGE_ONLY = ("as_json", "explain", "color", "url")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("declutter")
    except PackageNotFoundError:  # run from a checkout that is not installed
        from . import __version__

        return __version__


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from .core import resolve

        try:
            core = resolve()
        except DeclutterError as exc:  # DECLUTTER_CORE names a core that cannot be had
            _error(str(exc))
            ctx.exit(EXIT_USAGE)
        _write(f"declutter {_version()} (core: {core})\n")
        ctx.exit(EXIT_OK)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))  # a directory: one error, the run goes on
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Print declutter's version and exit.")
@text_option
@html_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per page: title, text, metadata, removed.")
@click.option("--explain", is_flag=True, help="Print every block marked keep or drop with the id that decided.")
@click.option("--color/--no-color", default=None, help="Colour --explain (default: when stdout is a terminal).")
@url_option
@strict_option
@click.option("--full-reasons", is_flag=True,
              help="Try every rule on every block, so that each removed block names the most specific rule "
                   "(slower; the text is the same). Implied by --explain, and by --json on single pages.")
@max_bytes_option
@oversize_option
@click.option("--stats", "stats_path", type=click.Path(), metavar="FILE",
              help="At the end, write JSON counts of what was removed, per reason id, to FILE.")
@time_budget_option
@rules_option
@no_defaults_option
@disable_option
@stream_options
@click.pass_context
def clean_command(ctx: click.Context, /, files: tuple[str, ...], as_text: bool, as_html: bool, as_json: bool,
        explain: bool,
        color: bool | None, url: str | None, strict: bool, full_reasons: bool,
        max_bytes: int | None, oversize: str | None, stats_path: str | None,
        time_budget: float | None, rule_paths: tuple[str, ...],
        no_default_rules: bool, disable: tuple[str, ...], **stream: object) -> None:
    """Strip boilerplate from scraped web pages and print the article.

    Reads the FILES named (or stdin) and writes the article body of each to
    stdout. Pages are HTML or text: detected, or forced with --html / --text.

    Also: `declutter rules list`, `declutter rules check [FILE...]`, `declutter rules show ID`,
    `declutter learn CORPUS... -o site-rules.toml`, `declutter report PAGE -o report.html`.
    """
    html = page_mode(as_text, as_html)
    _refuse_idle_flags(ctx, wants_stream(stream))
    if explain and as_json:
        raise click.UsageError("--explain and --json exclude each other")
    # By default drop rules are tried only where they can change the text; a
    # reader of reasons (--explain, a page's JSON) gets every rule tried.
    full_reasons = full_reasons or explain or (as_json and not wants_stream(stream))
    cleaner = _cleaner(rule_paths, no_default_rules, disable, strict,
                       {"max_bytes": max_bytes, "oversize": oversize, "time_budget": time_budget,
                        "full_reasons": full_reasons})
    if wants_stream(stream):  # --jsonl / --warc: corpus streams (declutter/stream)
        try:
            status = run_stream_cli(files, cleaner, html, stream, stats_path)
        except KeyboardInterrupt:  # Ctrl-C: output is whole records up to here
            _error("interrupted")
            status = 130
        ctx.exit(status)
    if color is None:
        color = (sys.stdout.isatty() and not os.environ.get("NO_COLOR")
                 and os.environ.get("TERM") != "dumb")
    files = files or ("-",)
    status, pages, failed = EXIT_OK, 0, 0
    tally, stats_fh = None, None
    if stats_path:
        refuse_outputs_on_inputs(files, files={"--stats": stats_path})
        tally, stats_fh = Tally(), open_stats(stats_path)
    for name, data in _inputs(files, _decompress_limit(cleaner)):
        if data is None:
            status, failed = EXIT_INPUT, failed + 1
            continue
        try:
            result = cleaner.clean(data, url=url, html=html)
        except DeclutterError as exc:
            _error(f"{name}: {exc}")
            status, failed = max(status, exc.exit_status), failed + 1
            continue
        if tally is not None:
            tally.add_page(result.removed)
        for note in result.skip_notes():  # one line per rule, however many blocks
            _error(f"{name}: {note}")
        for warning in result.metadata.get("warnings", ()):
            _error(f"{name}: {warning}")
        if len(files) > 1 and not as_json:  # several pages: a header each, as `head` does
            _write(("\n" if pages else "") + f"==> {name} <==\n")
        _write(_format(result, as_json, explain, color, name))
        pages += 1
    if stats_fh is not None:
        status = max(status, write_stats(stats_fh, tally, pages + failed, failed))
    ctx.exit(status)


def _format(result: CleanResult, as_json: bool, explain: bool, color: bool, source: str) -> str:
    if as_json:
        return json.dumps({"source": source, **result.to_dict()}, ensure_ascii=False) + "\n"
    if explain:
        return "".join(line + "\n" for line in explain_lines(result, color=color))
    return result.text + "\n" if result.text else ""


def _given(ctx: click.Context, name: str) -> bool:
    """Whether the user gave option NAME (an option's default does not count)."""
    return ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT)


def _flag_name(ctx: click.Context, name: str) -> str:
    param = next(p for p in ctx.command.params if p.name == name)
    return "/".join(param.opts + param.secondary_opts)


def _refuse_idle_flags(ctx: click.Context, stream: bool) -> None:
    """An option that would be silently ignored is a usage error: corpus
    options on a page, page options on a corpus."""
    idle, where = (PAGE_ONLY, "on single pages, not with --jsonl/--warc") if stream else (
        STREAM_ONLY, "with --jsonl or --warc")
    for name in idle:
        if _given(ctx, name):
            raise click.UsageError(f"{_flag_name(ctx, name)} works only {where}")


def _decompress_limit(cleaner: Cleaner) -> int | None:
    """How much of a compressed page to open: enough for the size limit to
    act; everything when there is no limit or oversized pages pass untouched."""
    limits = cleaner.limits
    return limits.max_bytes if limits.max_bytes and limits.oversize != "pass" else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def admin() -> None:
    """declutter's commands beside cleaning."""


admin.add_command(learn_command)


@admin.command("report")
@click.argument("page", type=click.Path(allow_dash=True))
@click.option("-o", "--output", default="-", metavar="FILE",
              help="Where to write the report (default: stdout).")
@text_option
@html_option
@url_option
@strict_option
@max_bytes_option
@oversize_option
@time_budget_option
@rules_option
@no_defaults_option
@disable_option
def report_command(page: str, output: str, as_text: bool, as_html: bool, url: str | None, strict: bool,
                   max_bytes: int | None, oversize: str | None, time_budget: float | None,
                   rule_paths: tuple[str, ...], no_default_rules: bool, disable: tuple[str, ...]) -> None:
    """Write one self-contained HTML page showing why: every block of PAGE in
    order, dropped ones struck through, each with the id of the rule or
    signal that decided, a legend of those ids and their totals."""
    from .report import render_report

    html = page_mode(as_text, as_html)
    if output != "-" and page != "-" and os.path.exists(page) and os.path.exists(output) \
            and os.path.samefile(page, output):
        raise click.UsageError(f"the output {output} is the input")
    cleaner = _cleaner(rule_paths, no_default_rules, disable, strict,
                       {"max_bytes": max_bytes, "oversize": oversize, "time_budget": time_budget,
                        "full_reasons": True})  # a report is read for its reasons
    name, data = next(_inputs((page,), _decompress_limit(cleaner)))
    if data is None:
        sys.exit(EXIT_INPUT)
    try:
        result = cleaner.clean(data, url=url, html=html)
    except DeclutterError as exc:
        _error(f"{name}: {exc}")
        sys.exit(exc.exit_status)
    for note in [*result.skip_notes(), *result.metadata.get("warnings", ())]:
        _error(f"{name}: {note}")
    _write_report(render_report(result, cleaner.ruleset, source=name, url=url), output)


def _write_report(report: str, output: str) -> None:
    if output == "-":
        _write(report)
        return
    try:
        Path(output).write_text(report, encoding="utf-8")
    except OSError as exc:
        _error(f"{output}: cannot write: {exc.strerror or exc}")
        sys.exit(EXIT_INPUT)


@admin.group()
def rules() -> None:
    """List loaded rules, check rule files and their examples, show one rule."""


@rules.command("list")
@rules_option
@no_defaults_option
@disable_option
def rules_list(rule_paths: tuple[str, ...], no_default_rules: bool, disable: tuple[str, ...]) -> None:
    """Show every loaded rule: id, action, where, source file and name; then
    declutter's own signals: id, "signal", source file and name."""
    cleaner = _cleaner(rule_paths, no_default_rules, disable, False)
    rs = cleaner.ruleset
    width = max((len(i) for i in [*(r.id for r in rs.all_rules), *(s.id for s in rs.described)]), default=2)
    for r in rs.all_rules:
        state = "off" if (r.id in rs.disabled or not r.enabled) else "on "
        scope = f" domains={','.join(r.domains)}" if r.domains else ""
        _write(f"{r.id:<{width}}  {state} {r.action:<11} {r.where:<10} {_short_path(r.source)}  {r.name}{scope}\n")
    for signal in rs.described:
        # the action column says "signal"; one that only keeps or classifies is always on
        state = "off" if signal.id in rs.disabled else "on "
        _write(f"{signal.id:<{width}}  {state} {'signal':<11} {'-':<10} {_short_path(signal.source)}  {signal.name}\n")


@rules.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True))
def rules_check(files: tuple[str, ...]) -> None:
    """Validate the rule files given, on their own (without the defaults):
    syntax, keys, regexes, duplicate ids among them; then run every rule's
    examples and counter_examples through the matching. A file that holds no
    rule and no setting is an error. With no FILE: the default rules."""
    from .examples import check_rules
    from .ruleset import default_rules_dir, read_any, rule_paths

    paths = files or (str(default_rules_dir()),)
    total = 0
    try:
        for path in paths:
            found = [read_any(p) for p in rule_paths(path)]
            if not any(rf.rules or rf.signals for rf in found):
                raise RuleFileError(path, "no rules found (not a rule file or filter list?)")
            total += sum(len(rf.rules) for rf in found)
    except RuleFileError as exc:
        _error(str(exc))
        sys.exit(EXIT_USAGE)
    rules = _cleaner(paths, True, (), False).ruleset.all_rules  # together: clashing ids, signal settings
    failures = check_rules(rules)
    for failure in failures:
        _write(failure.message(_short_path(failure.rule.source)) + "\n")
    examples = sum(len(r.examples) + len(r.counter_examples) for r in rules)
    if failures:
        _error(f"{len(failures)} of {examples} examples failed")
        sys.exit(EXIT_INPUT)
    _write(f"ok: {total} rules, {examples} examples in {len(paths)} path(s)\n")


@rules.command("show")
@click.argument("rule_id", metavar="ID")
@rules_option
@no_defaults_option
def rules_show(rule_id: str, rule_paths: tuple[str, ...], no_default_rules: bool) -> None:
    """Print one rule or signal: id, name, description, source (file:line),
    what it matches and does (a signal: its settings), its examples."""
    rs = _cleaner(rule_paths, no_default_rules, (), False).ruleset
    rule = next((r for r in rs.all_rules if r.id == rule_id), None)
    signal = next((s for s in rs.described if s.id == rule_id), None)
    if rule is not None:
        _write("".join(line + "\n" for line in _rule_lines(rule)))
    elif signal is not None:
        _write("".join(line + "\n" for line in _signal_lines(signal, rs.signals)))
    else:
        _error(f"no loaded rule or signal has the id {rule_id!r}")
        sys.exit(EXIT_USAGE)


def _source(path: str, line: int | None) -> str:
    return f"{_short_path(path)}:{line}" if line is not None else _short_path(path)


def _rule_lines(rule: Rule) -> list[str]:
    out = [f"id: {rule.id}", f"name: {rule.name}", f"description: {' '.join(rule.description.split())}",
           f"source: {_source(rule.source, rule.line)}", f"action: {rule.action}", f"where: {rule.where}"]
    if rule.pattern is not None:
        out.append(f"pattern: {rule.pattern.pattern}")
    if rule.starts:
        out.append(f"starts: {json.dumps(list(rule.starts), ensure_ascii=False)}")
    if rule.phrases:
        out.append(f"phrases: {json.dumps(list(rule.phrases), ensure_ascii=False)}")
    if rule.selector is not None:
        out.append(f"selector: {rule.selector}")
    if rule.max_chars is not None or rule.min_chars:
        out.append(f"chars: {rule.min_chars}-{'' if rule.max_chars is None else rule.max_chars}")
    if rule.domains:
        out.append(f"domains: {', '.join(rule.domains)}")
    if not rule.enabled:
        out.append("enabled: false")
    for title, lines in (("examples", rule.examples), ("counter-examples", rule.counter_examples)):
        out.append(f"{title}:" if lines else f"{title}: none")
        out.extend(f"  {n}. {line}" for n, line in enumerate(lines, start=1))
    return out


def _signal_lines(signal: Signal, settings: dict[str, dict[str, Any]]) -> list[str]:
    out = [f"id: {signal.id}", f"name: {signal.name}", f"description: {signal.description}",
           f"source: {_source(signal.source, signal.line)}", "action: signal"]
    for table in signal.settings:
        values = settings.get(table, {})
        out.append(f"settings [signals.{table}]:" if values else f"settings [signals.{table}]: none")
        out.extend(f"  {key} = {json.dumps(value, ensure_ascii=False)}" for key, value in values.items())
    return out


def _short_path(path: str) -> str:
    """The path relative to the current folder when it lies below it, else as it is."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith(os.pardir) else relative


def _cleaner(rule_paths: tuple[str, ...], no_default_rules: bool, disable: tuple[str, ...], strict: bool,
             limits: dict[str, Any] | None = None) -> Cleaner:
    try:
        cleaner = Cleaner(rule_paths, default_rules=not no_default_rules, disable=disable, strict=strict,
                          **(limits or {}))
    except DeclutterError as exc:  # a broken rule file or a bad limit: usage errors
        _error(str(exc))
        sys.exit(EXIT_USAGE)
    for note in cleaner.load_warnings:  # filters of a list that were skipped
        _error(note)
    return cleaner


def _inputs(files: tuple[str, ...], limit: int | None) -> Iterator[tuple[str, bytes | None]]:
    """Each input's name and page bytes (a gzip or zstd page opened); None,
    after a one-line error, if unreadable, a folder, binary or a corpus."""
    for name in files:
        try:
            if name == "-":
                name, data = "<stdin>", sys.stdin.buffer.read()
            elif os.path.isdir(name):
                _error(f"{name}: is a directory")
                yield name, None
                continue
            else:
                data = Path(name).read_bytes()
        except OSError as exc:
            _error(f"{name}: cannot read: {exc.strerror or exc}")
            yield name, None
            continue
        try:
            yield name, page_bytes(data, limit)
        except DeclutterError as exc:
            _error(f"{name}: {exc}")
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
    if args and command is clean_command and _looks_like_a_command(args[0]):
        _error(_no_such_command(args[0]))
        sys.exit(EXIT_USAGE)
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


def _looks_like_a_command(word: str) -> bool:
    """A first word that is no file and no option, with no dot or slash: a
    mistyped subcommand (`lern`), not a page to read."""
    return (not word.startswith("-") and not any(c in word for c in "./\\")
            and not os.path.lexists(word))


def _no_such_command(word: str) -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(admin.commands), n=1)
    if close:
        return f"no such command {word!r}; did you mean {close[0]!r}?"
    return f"no such command or file {word!r} (commands: {', '.join(sorted(admin.commands))})"


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
