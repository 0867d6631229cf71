"""Error types. Every failure declutter reports is one of these; the CLI maps
each to a one-line message and a documented exit status."""
from __future__ import annotations


class DeclutterError(Exception):
    """Base class of every error declutter raises on purpose."""

    exit_status = 1


class InputError(DeclutterError):
    """An input cannot be read or cannot be cleaned (exit status 1)."""

    exit_status = 1


class RuleFileError(DeclutterError):
    """A rule file is broken: bad TOML, unknown key, bad regex, duplicate id
    (exit status 2). The message names the file, the rule id and the problem."""

    exit_status = 2

    def __init__(self, path: str, problem: str, rule_id: str | None = None) -> None:
        self.path, self.problem, self.rule_id = path, problem, rule_id
        where = f"{path}: rule {rule_id!r}" if rule_id else path
        super().__init__(f"{where}: {problem}")


class ArgumentError(DeclutterError, ValueError):
    """An argument has the right type but a value declutter cannot use: a
    negative max_bytes, an unknown oversize action (exit status 2). Also a
    ValueError, as such errors were before."""

    exit_status = 2


class RuleTimeoutError(DeclutterError):
    """A rule's regex ran past its time budget and --strict was asked for."""

    exit_status = 1


class PageTooLargeError(InputError):
    """A page is over the size limit and `oversize = "error"` was asked for
    (exit status 1; in streams an error record)."""


class PageBudgetError(DeclutterError):
    """A page took more CPU time than its budget (exit status 1; in streams an
    error record): the run goes on with the next page."""

    exit_status = 1


class CoreError(DeclutterError):
    """The compiled core (declutter._core) failed on a page: a bug in it,
    caught at its entry, never a crash of the process (exit status 1; in
    streams an error record). DECLUTTER_CORE=python avoids it."""

    exit_status = 1
