"""`bean-ar`: receivables reports from a Beancount ledger.

    bean-ar aging ledger/example.beancount --as-of 2026-06-30 --format csv

Exit status: 0 success; 1 the ledger has errors (listed on stderr, no report
unless --ignore-errors); 2 bad usage, such as a missing file or a bad option.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from beancount_ar.reports import Buckets, parse_buckets

if TYPE_CHECKING:
    from collections.abc import Callable

    from beancount_ar.company import Company
    from beancount_ar.loading import Ledger

EXIT_LEDGER_ERRORS = 1
D = TypeVar("D")  # a document: invoice or statement
MAX_ERRORS_SHOWN = 50


class _DateType(click.ParamType):  # type: ignore[type-arg] # generic only in click's stubs
    name = "DATE"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> datetime.date:
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date; write YYYY-MM-DD", param, ctx)


class _BucketsType(click.ParamType):  # type: ignore[type-arg]
    name = "EDGES"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> Buckets:
        if isinstance(value, Buckets):
            return value
        buckets = parse_buckets(str(value))
        if buckets is None:
            self.fail(f"{value!r} is not a list of increasing day counts such as 30,60,90",
                      param, ctx)
        return buckets


def _ledger_argument(function: Callable[..., Any]) -> Callable[..., Any]:
    function = click.option(
        "--no-cache", is_flag=True, help="Do not read or write Beancount's pickle cache.")(function)
    function = click.option(
        "--ignore-errors", is_flag=True,
        help="Print the report even when the ledger has errors.")(function)
    return click.argument(
        "ledger", envvar="BEANCOUNT_FILE",
        type=click.Path(exists=True, dir_okay=False, path_type=Path))(function)


def _report_options(function: Callable[..., Any]) -> Callable[..., Any]:
    function = click.option(
        "--format", "output_format", type=click.Choice(["table", "csv", "json"]),
        default="table", show_default=True, help="Output layout.")(function)
    return click.option(
        "--as-of", type=_DateType(), default=None,
        help="Report as the books stood on this day (default: today).")(function)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="beancount-ar")
def main() -> None:
    """Accounts receivable from a Beancount ledger.

    LEDGER defaults to the BEANCOUNT_FILE environment variable, as in Fava.
    Exit status: 0 success, 1 the ledger has errors, 2 bad usage.
    """


def _load(path: Path, *, no_cache: bool, ignore_errors: bool) -> Ledger:
    from beancount_ar.loading import LedgerError, load_ledger  # noqa: PLC0415 - fast --help

    try:
        ledger = load_ledger(path, use_cache=not no_cache)
    except LedgerError as error:
        _fail(str(error))
    if ledger.errors:
        _print_errors(ledger.errors)
        if not ignore_errors:
            click.echo(f"bean-ar: {path} has {len(ledger.errors)} error(s); fix them "
                       "(bean-check lists them too) or pass --ignore-errors.", err=True)
            sys.exit(EXIT_LEDGER_ERRORS)
    return ledger


def _print_errors(errors: list[Any]) -> None:
    for error in errors[:MAX_ERRORS_SHOWN]:
        source = error.source or {}
        click.echo(f"{source.get('filename', '<unknown>')}:{source.get('lineno', 0)}: "
                   f"{error.message.splitlines()[0] if error.message else ''}", err=True)
    if len(errors) > MAX_ERRORS_SHOWN:
        click.echo(f"... and {len(errors) - MAX_ERRORS_SHOWN} more", err=True)


@main.command()
@_ledger_argument
@_report_options
@click.option("--basis", type=click.Choice(["due", "invoice"]), default="due",
              show_default=True, help="Age from the due date or from the invoice date.")
@click.option("--buckets", type=_BucketsType(), default="30,60,90", show_default=True,
              help="Bucket edges in days.")
def aging(  # noqa: PLR0913 - one parameter per option
    ledger: Path, as_of: datetime.date | None, output_format: str, basis: str,
          buckets: Buckets, *, no_cache: bool, ignore_errors: bool) -> None:
    """Open amounts per customer and currency, by age, with totals per currency."""
    from beancount_ar import formatting, reports  # noqa: PLC0415
    from beancount_ar.loading import today  # noqa: PLC0415

    loaded = _load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    day = as_of or today()
    rows = reports.aging(loaded.receivables, day, "invoice" if basis == "invoice" else "due",
                         buckets)
    header = formatting.aging_header(buckets)
    records = formatting.aging_records(rows, loaded.precision)
    if output_format == "csv":
        click.echo(formatting.to_csv(header, records), nl=False)
    elif output_format == "json":
        click.echo(formatting.to_json(header, records), nl=False)
    else:
        click.echo(formatting.aging_table(rows, buckets, loaded.precision, day, basis), nl=False)


@main.command()
@_ledger_argument
@_report_options
def overdue(ledger: Path, as_of: datetime.date | None, output_format: str, *,
            no_cache: bool, ignore_errors: bool) -> None:
    """Invoices past due with an open amount, most days overdue first."""
    from beancount_ar import formatting, reports  # noqa: PLC0415
    from beancount_ar.loading import today  # noqa: PLC0415

    loaded = _load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    day = as_of or today()
    rows = reports.overdue(loaded.receivables, day)
    header = list(formatting.OVERDUE_FIELDS)
    records = formatting.overdue_records(rows, loaded.precision)
    if output_format == "csv":
        click.echo(formatting.to_csv(header, records), nl=False)
    elif output_format == "json":
        click.echo(formatting.to_json(header, records, integers=("days_overdue",)), nl=False)
    else:
        click.echo(formatting.overdue_table(rows, loaded.precision, day), nl=False)


# --- documents ---------------------------------------------------------------

def _company(loaded: Ledger) -> Company | None:
    from beancount_ar.company import read_company  # noqa: PLC0415 - documents only
    from beancount_ar.documents.i18n import known_locale  # noqa: PLC0415

    company, errors = read_company(loaded.entries, known_locale)
    if errors:
        _print_errors(errors)
        sys.exit(EXIT_LEDGER_ERRORS)
    return company


def _write(render: Callable[[D], str], document: D, output: Path) -> None:
    """Render a document and write it as PDF or HTML; a failure is a message."""
    from beancount_ar.documents.render import DocumentError, write_document  # noqa: PLC0415

    seller = getattr(document, "seller", None)
    try:
        write_document(render(document), output, seller.page_size if seller else "A4")
    except DocumentError as error:
        _fail(str(error))
    click.echo(f"wrote {output}")


def _fail(message: str) -> NoReturn:
    click.echo(f"bean-ar: {message}", err=True)
    sys.exit(EXIT_LEDGER_ERRORS)


@main.command()
@_ledger_argument
@click.argument("number")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The PDF to write (HTML when it ends in .html).")
@click.option("--as-of", type=_DateType(), default=None,
              help="Payments and credits up to this day (default: today).")
def invoice(  # noqa: PLR0913 - one parameter per option
    ledger: Path, number: str, output: Path, as_of: datetime.date | None, *,
    no_cache: bool, ignore_errors: bool,
) -> None:
    """Print invoice NUMBER as PDF (or HTML)."""
    from beancount_ar.documents.data import invoice_document  # noqa: PLC0415
    from beancount_ar.documents.render import invoice_html  # noqa: PLC0415
    from beancount_ar.loading import today  # noqa: PLC0415

    loaded = _load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    company = _company(loaded)
    document = invoice_document(loaded.receivables, company, number, as_of or today())
    if document is None:
        _fail(f"no invoice {number} in {ledger} issued on or before {as_of or today()}")
    _write(invoice_html, document, output)


@main.command()
@_ledger_argument
@click.argument("customer")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The PDF to write (HTML when it ends in .html).")
@click.option("--from", "start", type=_DateType(), default=None,
              help="First day of the period (default: the beginning of the books).")
@click.option("--as-of", type=_DateType(), default=None, help="Last day (default: today).")
def statement(ledger: Path, customer: str, output: Path, start: datetime.date | None,  # noqa: PLR0913
              as_of: datetime.date | None, *, no_cache: bool, ignore_errors: bool) -> None:
    """Print CUSTOMER's statement of account as PDF (or HTML)."""
    from beancount_ar.documents.data import statement_document  # noqa: PLC0415
    from beancount_ar.documents.render import statement_html  # noqa: PLC0415
    from beancount_ar.loading import today  # noqa: PLC0415

    if start is not None and as_of is not None and start > as_of:
        raise click.BadParameter(f"--from {start} is after --as-of {as_of}", param_hint="--from")
    loaded = _load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    company = _company(loaded)
    document = statement_document(loaded.receivables, company, customer, start,
                                  as_of or today())
    if document is None:
        _fail(f"no customer {customer!r} in {ledger}")
    _write(statement_html, document, output)


@main.command()
@_ledger_argument
@click.option("--from", "start", type=_DateType(), required=True, help="First invoice date.")
@click.option("--to", "end", type=_DateType(), required=True, help="Last invoice date.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write one PDF per invoice into (made if missing).")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="PDFs rendered at once (default: one per core).")
def invoices(  # noqa: PLR0913 - one parameter per option
    ledger: Path, start: datetime.date, end: datetime.date, output: Path, jobs: int | None, *,
    no_cache: bool, ignore_errors: bool,
) -> None:
    """The billing run: every invoice dated FROM..TO as a PDF named by its number."""
    from beancount_ar.documents.batch import billing_run  # noqa: PLC0415
    from beancount_ar.loading import today  # noqa: PLC0415

    if start > end:
        raise click.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    loaded = _load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    company = _company(loaded)
    chosen = [i for i in loaded.receivables.invoices.values() if start <= i.date <= end]
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _fail(f"cannot make the folder {output}: {error.strerror}")
    with click.progressbar(length=len(chosen), label="Billing run", file=sys.stderr) as bar:
        result = billing_run(loaded.receivables, company, chosen, output, today(),
                             jobs=jobs, progress=bar.update)
    for number, problem in result.failed:
        click.echo(f"bean-ar: {number}: {problem}", err=True)
    totals = ", ".join(f"{total:,} {currency}" for currency, total in sorted(result.totals.items()))
    click.echo(f"{len(result.written)} invoice(s) written to {output}"
               + (f" ({totals})" if totals else "")
               + (f"; {len(result.failed)} failed" if result.failed else ""))
    if result.failed:
        sys.exit(EXIT_LEDGER_ERRORS)


@main.command()
@click.argument("ledger", envvar="BEANCOUNT_FILE",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
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
    from beancount_ar.checking import run_check  # noqa: PLC0415
    from beancount_ar.history import HistoryError  # noqa: PLC0415
    from beancount_ar.loading import LedgerError  # noqa: PLC0415

    try:
        errors = run_check(ledger, ref)
    except HistoryError as error:
        raise click.UsageError(str(error)) from error
    except LedgerError as error:
        _fail(str(error))
    click.echo(_format_check(errors, output_format), nl=False)
    sys.exit(EXIT_LEDGER_ERRORS if errors else 0)


def _format_check(errors: list[Any], output_format: str) -> str:
    rows = []
    for error in errors:
        source = error.source or {}
        message = (error.message or "").splitlines()[0] if error.message else ""
        rows.append((str(source.get("filename", "<unknown>")), int(source.get("lineno") or 0),
                     message))
    if output_format == "json":
        import json  # noqa: PLC0415

        return json.dumps([{"file": f, "line": n, "code": m.split(" ", 1)[0]
                            if m.startswith("AR") else None, "message": m}
                           for f, n, m in rows], indent=2) + "\n"
    if output_format == "github":
        def escape(text: str) -> str:
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        return "".join(f"::error file={escape(f)},line={n}::{escape(m)}\n" for f, n, m in rows)
    return "".join(f"{f}:{n}: {m}\n" for f, n, m in rows)


@main.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("ref")
@click.argument("ref2", required=False)
def diff(ledger: Path, ref: str, ref2: str | None) -> None:
    """What changed in receivables from REF to REF2 (default: the working tree).

    Invoices issued, changed or gone; payments and credits applied; status
    events; each customer's open balance before and after.
    """
    from beancount_ar.diff import diff_receivables, render_diff  # noqa: PLC0415
    from beancount_ar.history import (  # noqa: PLC0415
        HistoryError,
        checkout_at,
        temporary_folder,
    )
    from beancount_ar.loading import LedgerError, load_ledger  # noqa: PLC0415

    try:
        with temporary_folder() as old_folder, temporary_folder() as new_folder:
            before = load_ledger(checkout_at(ledger, ref, Path(old_folder)), use_cache=False)
            new_path = checkout_at(ledger, ref2, Path(new_folder)) if ref2 else ledger
            after = load_ledger(new_path, use_cache=False)
    except HistoryError as error:
        raise click.UsageError(str(error)) from error
    except LedgerError as error:
        _fail(str(error))
    click.echo(render_diff(diff_receivables(before.receivables, after.receivables), ref,
                           ref2 or "working tree"), nl=False)
