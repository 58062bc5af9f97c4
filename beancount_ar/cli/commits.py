"""`bean-ar check` and `bean-ar diff`: the ledger against bean-check, and against its git history.

    bean-ar check ledger.beancount --against origin/main --format github
    bean-ar diff ledger.beancount HEAD~1
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from beancount_ar.cli.console import EXIT_LEDGER_ERRORS, fail, first_line
from beancount_ar.cli.options import with_ledger
from beancount_ar.core.errors import code_of


@click.command()
@with_ledger()
@click.option("--against", "ref", default=None, metavar="GIT-REF",
              help="Also compare issued invoices with the ledger at this commit.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True, help="text, json, or GitHub annotations.")
def check(ledger: Path, ref: str | None, output_format: str) -> None:
    """Everything bean-check checks, plus card numbers and changed issued invoices.

    Card numbers are looked for in the files' whole text, comments included. With
    --against, issued invoices that changed (AR601) or are gone (AR602).

    Exit status: 0 clean, 1 errors, 2 bad usage (not a git repository, unknown ref).
    """
    from beancount_ar.cli.checking import check_ledger  # noqa: PLC0415 - fast --help
    from beancount_ar.cli.git import HistoryError  # noqa: PLC0415
    from beancount_ar.cli.loading import LedgerError  # noqa: PLC0415

    try:
        errors, warning = check_ledger(ledger, ref)
    except HistoryError as error:
        raise click.UsageError(str(error)) from error
    except LedgerError as error:
        fail(str(error))
    if warning is not None:
        click.echo(f"bean-ar: warning: {warning}", err=True)
    click.echo(_format_check(errors, output_format), nl=False)
    sys.exit(EXIT_LEDGER_ERRORS if errors else 0)


def _format_check(errors: list[Any], output_format: str) -> str:
    rows = []
    for error in errors:
        source = error.source or {}
        message = first_line(error.message)
        # Line 0 (a whole-file error such as AR602) is no line: annotations need one >= 1.
        rows.append((str(source.get("filename", "<unknown>")),
                     max(1, int(source.get("lineno") or 0)), message, code_of(error)))
    if output_format == "json":
        import json  # noqa: PLC0415

        return json.dumps([{"file": f, "line": n, "code": c, "message": m}
                           for f, n, m, c in rows], indent=2) + "\n"
    if output_format == "github":
        return "".join(f"::error file={_escape_property(_workspace_path(f))},line={n}"
                       f"::{_escape_data(m)}\n" for f, n, m, _ in rows)
    return "".join(f"{f}:{n}: {m}\n" for f, n, m, _ in rows)


def _escape_data(text: str) -> str:
    """An annotation's message, escaped as GitHub's toolkit (`escapeData`) does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """An annotation's property value, escaped as GitHub's toolkit (`escapeProperty`) does."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _workspace_path(name: str) -> str:
    """`name` relative to the working directory when below it: GitHub expects workspace paths."""
    path = Path(name)
    cwd = Path.cwd()
    if path.is_absolute() and path.is_relative_to(cwd):
        return str(path.relative_to(cwd))
    return name


@click.command()
@with_ledger("ref", "ref2", optional=1)
def diff(ledger: Path, ref: str, ref2: str | None) -> None:
    """What changed in receivables from REF to REF2 (default: the working tree).

    LEDGER may be left out when -f/--file or BEANCOUNT_FILE names it.

    Invoices issued, changed or gone; payments and credits applied; status
    events; each customer's open balance before and after.
    """
    from beancount_ar.cli.git import HistoryError, checkout_at, temporary_folder  # noqa: PLC0415
    from beancount_ar.cli.loading import LedgerError, load_ledger  # noqa: PLC0415
    from beancount_ar.reports.diff import diff_receivables, render_diff  # noqa: PLC0415

    try:
        with temporary_folder() as old_folder, temporary_folder() as new_folder:
            before = load_ledger(checkout_at(ledger, ref, Path(old_folder)), use_cache=False)
            new_path = checkout_at(ledger, ref2, Path(new_folder)) if ref2 else ledger
            after = load_ledger(new_path, use_cache=False)
    except HistoryError as error:
        raise click.UsageError(str(error)) from error
    except LedgerError as error:
        fail(str(error))
    click.echo(render_diff(diff_receivables(before.receivables, after.receivables), ref,
                           ref2 or "working tree"), nl=False)

