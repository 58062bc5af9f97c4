"""`bean-ar`: receivables reports from a Beancount ledger.

    bean-ar aging ledger/example.beancount --as-of 2026-06-30 --format csv
    BEANCOUNT_FILE=ledger/example.beancount bean-ar invoice INV-2026-054 -o inv.pdf

Every command takes the ledger as its first argument, as `-f/--file LEDGER` (before
or after the command's name) or from the BEANCOUNT_FILE environment variable.
Exit status: 0 success; 1 the ledger has errors (listed on stderr, no report
unless --ignore-errors) or a write failed; 2 bad usage, such as a missing file, a
bad option or an output the writer refuses.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from click.core import ParameterSource

from beancount_ar.errors import code_of
from beancount_ar.reports import Buckets, parse_buckets

if TYPE_CHECKING:
    from collections.abc import Callable

    from beancount_ar.company import Company
    from beancount_ar.documents.batch import BillingRun
    from beancount_ar.loading import Ledger
    from beancount_ar.model import Invoice

EXIT_LEDGER_ERRORS = 1
EXIT_USAGE = 2
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


MISSING_LEDGER = ("Missing LEDGER: name the ledger file as the first argument, with "
                  "-f/--file LEDGER, or in the BEANCOUNT_FILE environment variable.")


def _ledger_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--no-cache` and `--ignore-errors`, for commands that load the ledger once."""
    function = click.option(
        "--no-cache", is_flag=True, help="Do not read or write Beancount's pickle cache.")(function)
    return click.option(
        "--ignore-errors", is_flag=True,
        help="Print the report even when the ledger has errors.")(function)


def _with_ledger(*names: str, optional: int = 0) -> Callable[[Callable[..., Any]],
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
    hint = "LEDGER" if first_is_ledger else "-f/--file"
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


def _report_options(function: Callable[..., Any]) -> Callable[..., Any]:
    function = click.option(
        "--format", "output_format", type=click.Choice(["table", "csv", "json"]),
        default="table", show_default=True, help="Output layout.")(function)
    return click.option(
        "--as-of", type=_DateType(), default=None,
        help="Report as the books stood on this day (default: today).")(function)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-f", "--file", "ledger_file", metavar="LEDGER", default=None,
              help="The ledger file, for any command (default: $BEANCOUNT_FILE).")
@click.version_option(package_name="beancount-ar")
def main(ledger_file: str | None) -> None:
    """Accounts receivable from a Beancount ledger.

    LEDGER is each command's first argument, or -f/--file LEDGER (before or
    after the command), or the BEANCOUNT_FILE environment variable, as in Fava.
    Exit status: 0 success, 1 the ledger has errors, 2 bad usage (or an output
    refused).
    """
    del ledger_file  # read by each command, which may also be given its own -f


def _load(path: Path, *, no_cache: bool, ignore_errors: bool) -> Ledger:
    """The ledger; its errors are printed, and end the command unless `ignore_errors`."""
    ledger = _read(path, no_cache=no_cache)
    _stop_on_errors(ledger, ledger.errors, ignore_errors=ignore_errors)
    return ledger


def _load_with_company(path: Path, *, no_cache: bool, ignore_errors: bool,
                       ) -> tuple[Ledger, Company | None]:
    """The ledger and the seller, whose AR010s count as the ledger's errors, each once.

    With the suite's plugin line they are among the ledger's errors already;
    without it only this reading of the company finds them.
    """
    from beancount_ar.company import read_company  # noqa: PLC0415 - documents only
    from beancount_ar.documents.i18n import known_locale  # noqa: PLC0415

    ledger = _read(path, no_cache=no_cache)
    company, company_errors = read_company(ledger.entries, known_locale)
    known = {_error_key(error) for error in ledger.errors}
    errors = [*ledger.errors, *(e for e in company_errors if _error_key(e) not in known)]
    _stop_on_errors(ledger, errors, ignore_errors=ignore_errors)
    return ledger, company


def _error_key(error: Any) -> tuple[object, object, str]:  # noqa: ANN401 - Beancount's errors
    source = error.source or {}
    return source.get("filename"), source.get("lineno"), str(error.message)


def _read(path: Path, *, no_cache: bool) -> Ledger:
    """Load the ledger (a failure is a message), warning when the suite is not enabled."""
    from beancount_ar.loading import (  # noqa: PLC0415 - fast --help
        LedgerError,
        load_ledger,
        missing_plugin_warning,
    )

    try:
        ledger = load_ledger(path, use_cache=not no_cache)
    except LedgerError as error:
        _fail(str(error))
    warning = missing_plugin_warning(ledger)
    if warning is not None:
        click.echo(f"bean-ar: warning: {warning}", err=True)
    return ledger


def _stop_on_errors(ledger: Ledger, errors: list[Any], *, ignore_errors: bool) -> None:
    """Print `errors`; unless `ignore_errors`, end with the footer and exit status 1."""
    from beancount_ar.loading import runs_suite  # noqa: PLC0415

    if not errors:
        return
    _print_errors(errors)
    if not ignore_errors:
        # Without the plugin line bean-check runs none of the suite's checks.
        also = " (bean-check lists them too)" if runs_suite(ledger) else ""
        click.echo(f"bean-ar: {ledger.path} has {len(errors)} error(s); fix them{also} "
                   "or pass --ignore-errors.", err=True)
        sys.exit(EXIT_LEDGER_ERRORS)


def _print_errors(errors: list[Any]) -> None:
    for error in errors[:MAX_ERRORS_SHOWN]:
        source = error.source or {}
        click.echo(f"{source.get('filename', '<unknown>')}:{source.get('lineno', 0)}: "
                   f"{_first_line(error.message)}", err=True)
    if len(errors) > MAX_ERRORS_SHOWN:
        click.echo(f"... and {len(errors) - MAX_ERRORS_SHOWN} more", err=True)


TRACEBACK_HEADER = ": Traceback (most recent call last):"


def _first_line(message: str | None) -> str:
    """An error's first line; Beancount ends a failed plugin import's with a traceback header."""
    first = message.splitlines()[0] if message else ""
    return first.removesuffix(TRACEBACK_HEADER)


@main.command()
@_with_ledger()
@_ledger_options
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
@_with_ledger()
@_ledger_options
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

STDOUT = "-"
OUTPUT_HELP = "The PDF to write (HTML when it ends in .html); - writes the PDF to standard output."


def _refuse_output(output: Path, loaded: Ledger) -> None:
    """Exit 2, before anything is rendered, when the writer would refuse `output`.

    Also when its folder is missing: a typo in the path, not a full disk. A closed
    standard output for `-o -` is exit 1, as any failed write.
    """
    from beancount_ar.writer import ledger_files, output_refusal  # noqa: PLC0415

    if str(output) == STDOUT:
        _refuse_stdout()
        return
    folder = output.parent
    if not folder.is_dir():
        why = "is not a folder" if folder.exists() else "does not exist"
        _fail(f"cannot write {output}: {folder} {why}; make the folder first or choose "
              "another output", status=EXIT_USAGE)
    refusal = output_refusal(output, ledger_files(loaded.options))
    if refusal is not None:
        _fail(refusal, status=EXIT_USAGE)


def _refuse_stdout() -> None:
    """Exit when standard output is closed (1) or a terminal (2)."""
    if sys.stdout is None:  # Python's own value when the process started without it
        _fail("cannot write the PDF to standard output: it is closed")
    if sys.stdout.isatty():
        _fail("-o - writes a PDF to standard output, which is a terminal here; redirect "
              "it (-o - > invoice.pdf) or name a file", status=EXIT_USAGE)


def _to_stdout(data: bytes) -> None:
    """Write the document to standard output; a full disk or a closed pipe is a message."""
    try:
        sys.stdout.flush()  # the text layer first, so the bytes come in order
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as error:
        _silence_stdout()
        _fail(f"cannot write the PDF to standard output: {error.strerror or error}")


def run() -> None:
    """The `bean-ar` command: `main`, where a full or closed standard output is a message.

    A report printed to a full disk (`> /dev/full`) or a closed pipe would
    otherwise end in a traceback, and Python would retry the write at exit.
    """
    try:
        main()
    except OSError as error:
        _silence_stdout()
        click.echo(f"bean-ar: cannot write the output: {error.strerror or error}", err=True)
        sys.exit(EXIT_LEDGER_ERRORS)


def _silence_stdout() -> None:
    """Point standard output at the null device.

    What could not be written stays buffered, and Python would try again at exit,
    print "Exception ignored ..." and exit 120.
    """
    with contextlib.suppress(OSError, ValueError):  # no real file (tests): nothing is retried
        descriptor = sys.stdout.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, descriptor)
        os.close(null)


def _write(render: Callable[[D], str], document: D, output: Path, loaded: Ledger) -> None:
    """Render a document and write it as PDF or HTML (- : PDF on stdout); a failure is a message."""
    from beancount_ar.documents.render import DocumentError, document_bytes  # noqa: PLC0415
    from beancount_ar.writer import (  # noqa: PLC0415
        WriteError,
        WriteRefusedError,
        ledger_files,
        write_output,
    )

    to_stdout = str(output) == STDOUT
    seller = getattr(document, "seller", None)
    try:
        data = document_bytes(render(document), Path("stdout.pdf") if to_stdout else output,
                              seller.page_size if seller else "A4")
    except DocumentError as error:
        _fail(str(error))
    if to_stdout:
        _to_stdout(data)
        return
    try:
        write_output(output, data, protected=ledger_files(loaded.options))
    except WriteRefusedError as error:
        _fail(str(error), status=EXIT_USAGE)
    except WriteError as error:
        _fail(str(error))
    click.echo(f"wrote {output}")


def _fail(message: str, *, status: int = EXIT_LEDGER_ERRORS) -> NoReturn:
    click.echo(f"bean-ar: {message}", err=True)
    sys.exit(status)


@main.command()
@_with_ledger("number")
@_ledger_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              required=True, help=OUTPUT_HELP)
@click.option("--as-of", type=_DateType(), default=None,
              help="Payments and credits up to this day (default: today).")
def invoice(  # noqa: PLR0913 - one parameter per option
    ledger: Path, number: str, output: Path, as_of: datetime.date | None, *,
    no_cache: bool, ignore_errors: bool,
) -> None:
    """Print invoice NUMBER as PDF (or HTML).

    LEDGER may be left out when -f/--file or BEANCOUNT_FILE names it. The output is
    refused (exit 2, nothing written) when it is a file of the ledger, a symlink or
    not a regular file.
    """
    from beancount_ar.documents.data import invoice_document  # noqa: PLC0415
    from beancount_ar.documents.render import invoice_html  # noqa: PLC0415
    from beancount_ar.loading import today  # noqa: PLC0415

    loaded, company = _load_with_company(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    _refuse_output(output, loaded)
    document = invoice_document(loaded.receivables, company, number, as_of or today())
    if document is None:
        _fail(f"no invoice {number} in {ledger} issued on or before {as_of or today()}",
              status=EXIT_USAGE)
    _write(invoice_html, document, output, loaded)


@main.command()
@_with_ledger("customer")
@_ledger_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              required=True, help=OUTPUT_HELP)
@click.option("--from", "start", type=_DateType(), default=None,
              help="First day of the period (default: the beginning of the books).")
@click.option("--as-of", type=_DateType(), default=None, help="Last day (default: today).")
def statement(ledger: Path, customer: str, output: Path, start: datetime.date | None,  # noqa: PLR0913
              as_of: datetime.date | None, *, no_cache: bool, ignore_errors: bool) -> None:
    """Print CUSTOMER's statement of account as PDF (or HTML).

    LEDGER may be left out when -f/--file or BEANCOUNT_FILE names it; -o is guarded
    as for `invoice`.
    """
    from beancount_ar.documents.data import statement_document  # noqa: PLC0415
    from beancount_ar.documents.render import statement_html  # noqa: PLC0415
    from beancount_ar.loading import today  # noqa: PLC0415

    if start is not None and as_of is not None and start > as_of:
        raise click.BadParameter(f"--from {start} is after --as-of {as_of}", param_hint="--from")
    loaded, company = _load_with_company(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    _refuse_output(output, loaded)
    document = statement_document(loaded.receivables, company, customer, start,
                                  as_of or today())
    if document is None:
        _fail(f"no customer {customer} in {ledger}", status=EXIT_USAGE)
    _write(statement_html, document, output, loaded)


@main.command()
@_with_ledger()
@_ledger_options
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
    """The billing run: every invoice dated FROM..TO as a PDF named by its number.

    Each file is guarded as `invoice -o` is: when any would land on a file of the
    ledger, a symlink or something not a regular file, nothing is written (exit 2).
    With no invoice in the range nothing is written and no folder is made.
    """
    from beancount_ar.documents.batch import refused_outputs  # noqa: PLC0415
    from beancount_ar.writer import ledger_files  # noqa: PLC0415

    if start > end:
        raise click.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    if str(output) == STDOUT:
        _fail("-o - writes one document to standard output; the billing run needs a folder",
              status=EXIT_USAGE)
    loaded, company = _load_with_company(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    chosen = [i for i in loaded.receivables.invoices.values() if start <= i.date <= end]
    if not chosen:
        click.echo(f"no invoices dated {start} to {end}; nothing written")
        return
    protected = ledger_files(loaded.options)
    refused = refused_outputs(chosen, output, protected)
    for _number, refusal in refused:
        click.echo(f"bean-ar: {refusal}", err=True)
    if refused:
        _fail(f"{len(refused)} invoice file(s) refused; nothing written", status=EXIT_USAGE)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _fail(f"cannot make the folder {output}: {error.strerror}")
    result = _run_billing(loaded, company, chosen, output, jobs)
    for number, problem in result.failed:
        click.echo(f"bean-ar: {number}: {problem}", err=True)
    totals = ", ".join(f"{total:,} {currency}" for currency, total in sorted(result.totals.items()))
    click.echo(f"{len(result.written)} invoice(s) written to {output}"
               + (f" ({totals})" if totals else "")
               + (f"; {len(result.failed)} failed" if result.failed else ""))
    if result.failed:
        sys.exit(EXIT_LEDGER_ERRORS)


def _run_billing(loaded: Ledger, company: Company | None, chosen: list[Invoice], output: Path,
                 jobs: int | None) -> BillingRun:
    """The run itself, with a progress bar only for a person at a terminal."""
    from beancount_ar.documents.batch import billing_run  # noqa: PLC0415
    from beancount_ar.loading import today  # noqa: PLC0415
    from beancount_ar.writer import ledger_files  # noqa: PLC0415

    def run(progress: Callable[[int], object]) -> BillingRun:
        return billing_run(loaded.receivables, company, chosen, output, today(), jobs=jobs,
                           progress=progress, protected=ledger_files(loaded.options))

    # On a pipe or a file click prints the bar's label once: a stray line in a log.
    if not sys.stderr.isatty():
        return run(lambda _: None)
    with click.progressbar(length=len(chosen), label="Billing run", file=sys.stderr) as bar:
        return run(bar.update)


@main.command()
@_with_ledger()
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
    from beancount_ar.checking import check_ledger  # noqa: PLC0415
    from beancount_ar.history import HistoryError  # noqa: PLC0415
    from beancount_ar.loading import LedgerError  # noqa: PLC0415

    try:
        errors, warning = check_ledger(ledger, ref)
    except HistoryError as error:
        raise click.UsageError(str(error)) from error
    except LedgerError as error:
        _fail(str(error))
    if warning is not None:
        click.echo(f"bean-ar: warning: {warning}", err=True)
    click.echo(_format_check(errors, output_format), nl=False)
    sys.exit(EXIT_LEDGER_ERRORS if errors else 0)


def _format_check(errors: list[Any], output_format: str) -> str:
    rows = []
    for error in errors:
        source = error.source or {}
        message = _first_line(error.message)
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


@main.command()
@_with_ledger("ref", "ref2", optional=1)
def diff(ledger: Path, ref: str, ref2: str | None) -> None:
    """What changed in receivables from REF to REF2 (default: the working tree).

    LEDGER may be left out when -f/--file or BEANCOUNT_FILE names it.

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
