"""The command line's arguments: the ledger (argument, -f/--file, $BEANCOUNT_FILE), dates, buckets.

    bean-ar aging ledger.beancount --as-of 2026-06-30 --buckets 15,45
    BEANCOUNT_FILE=ledger.beancount bean-ar invoice INV-2026-054 -o inv.pdf
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from beancount_ar.reports.aging import Buckets, parse_buckets

if TYPE_CHECKING:
    from collections.abc import Callable


class DateType(click.ParamType):  # type: ignore[type-arg] # generic only in click's stubs
    """A YYYY-MM-DD date."""

    name = "DATE"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> datetime.date:
        """The date written, or a usage error."""
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date; write YYYY-MM-DD", param, ctx)


class BucketsType(click.ParamType):  # type: ignore[type-arg]
    """Aging bucket edges in days: `30,60,90`."""

    name = "EDGES"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> Buckets:
        """The edges written, or a usage error."""
        if isinstance(value, Buckets):
            return value
        buckets = parse_buckets(str(value))
        if buckets is None:
            self.fail(f"{value!r} is not a list of increasing day counts such as 30,60,90",
                      param, ctx)
        return buckets


MISSING_LEDGER = ("Missing LEDGER: name the ledger file as the first argument, with "
                  "-f/--file LEDGER, or in the BEANCOUNT_FILE environment variable.")


def ledger_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--no-cache` and `--ignore-errors`, for commands that load the ledger once."""
    function = click.option(
        "--no-cache", is_flag=True, help="Do not read or write Beancount's pickle cache.")(function)
    return click.option(
        "--ignore-errors", is_flag=True,
        help="Print the report even when the ledger has errors.")(function)


def with_ledger(*names: str, optional: int = 0) -> Callable[[Callable[..., Any]],
                                                            Callable[..., Any]]:
    """`[LEDGER] NAMES...` and `-f/--file LEDGER` (default: $BEANCOUNT_FILE).

    The command is called with `ledger` (an existing file) and one keyword per
    name; the last `optional` names may be left out (they are then None).
    """
    metavar = " ".join(["[LEDGER]", *(n.upper() for n in names[:len(names) - optional]),
                        *(f"[{n.upper()}]" for n in names[len(names) - optional:])])

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def command(*, ledger_file: str | None, positionals: tuple[str, ...],
                    **options: object) -> object:
            ctx = click.get_current_context()
            ledger, values = _resolve_ledger(ctx, ledger_file, positionals, names, optional)
            return function(ledger=ledger, **dict(zip(names, values, strict=True)), **options)

        command = click.argument("positionals", nargs=-1, metavar=metavar)(command)
        return click.option(
            "-f", "--file", "ledger_file", envvar="BEANCOUNT_FILE", show_envvar=True,
            metavar="LEDGER", default=None,
            help="The ledger file, instead of the first argument (default: $BEANCOUNT_FILE).",
        )(command)

    return decorate


def _resolve_ledger(
    ctx: click.Context, ledger_file: str | None, values: tuple[str, ...], names: tuple[str, ...],
    optional: int,
) -> tuple[Path, list[str | None]]:
    """The ledger and the values of `names`, from the positionals and -f/$BEANCOUNT_FILE.

    The first positional is the ledger when there is one more than the names need,
    or when it is an existing file and either a name that may be left out follows
    it or no -f/$BEANCOUNT_FILE is set; else -f/$BEANCOUNT_FILE names the ledger.
    """
    required = len(names) - optional
    ledger_file, on_command_line = _ledger_file(ctx, ledger_file)
    first_is_file = bool(values) and Path(values[0]).is_file()
    if len(values) > len(names) + 1:
        ctx.fail(f"Got unexpected extra argument ({values[len(names) + 1]}).")
    first_is_ledger = len(values) == len(names) + 1 or (not on_command_line and first_is_file and (
        len(values) > required or not ledger_file))
    if first_is_ledger and on_command_line:
        ctx.fail(f"The ledger is given twice: {values[0]} and -f/--file {ledger_file}.")
    chosen, rest = (values[0], values[1:]) if first_is_ledger else (ledger_file, values)
    if chosen is None:
        ctx.fail(MISSING_LEDGER)
    if len(rest) < required:
        ctx.fail(f"Missing argument '{names[len(rest)].upper()}'.")
    from_variable = ctx.get_parameter_source("ledger_file") is ParameterSource.ENVIRONMENT
    hint = ("LEDGER" if first_is_ledger else
            "-f/--file" if on_command_line or not from_variable else "BEANCOUNT_FILE")
    ledger = click.Path(exists=True, dir_okay=False, path_type=Path).convert(
        chosen, _Hint(hint), ctx)
    return ledger, [*rest, *[None] * (len(names) - len(rest))]


def _ledger_file(ctx: click.Context, ledger_file: str | None) -> tuple[str | None, bool]:
    """-f/--file from before or after the command's name, else $BEANCOUNT_FILE.

    The second value tells whether it was given on the command line.
    """
    after = ctx.get_parameter_source("ledger_file") is ParameterSource.COMMANDLINE
    before = ctx.parent.params.get("ledger_file") if ctx.parent else None
    if before is not None and after:
        ctx.fail(f"The ledger is given twice: -f/--file {before} before the command and "
                 f"-f/--file {ledger_file} after it.")
    if before is not None:
        return str(before), True
    return ledger_file, after


class _Hint(click.Argument):
    """A stand-in parameter so click's own "does not exist" messages name LEDGER or -f."""

    def __init__(self, hint: str) -> None:
        super().__init__(["ledger"])
        self.hint = hint

    def get_error_hint(self, ctx: click.Context | None) -> str:
        """What the message calls the value."""
        del ctx
        return f"'{self.hint}'"


def report_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--format` and `--as-of`, for the reports on a date."""
    function = click.option(
        "--format", "output_format", type=click.Choice(["table", "csv", "json"]),
        default="table", show_default=True, help="Output layout.")(function)
    return click.option(
        "--as-of", type=DateType(), default=None,
        help="Report as the books stood on this day (default: today).")(function)

