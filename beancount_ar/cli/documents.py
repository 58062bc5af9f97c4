"""`bean-ar invoice`, `statement` and `invoices`: documents as PDF (or HTML), guarded outputs.

    bean-ar invoice ledger.beancount INV-2026-054 -o inv.pdf
    bean-ar statement ledger.beancount acme -o acme.pdf --from 2026-01-01
    bean-ar invoices ledger.beancount --from 2026-06-01 --to 2026-06-30 -o out/

Every file is written by `beancount_ar.writer`, which refuses the ledger's own files.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from beancount_ar.cli.console import EXIT_LEDGER_ERRORS, EXIT_USAGE, fail, silence_stdout
from beancount_ar.cli.options import DateType, ledger_options, with_ledger

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable

    from beancount_ar.cli.loading import Ledger
    from beancount_ar.core.model import Invoice
    from beancount_ar.documents.batch import BillingRun

D = TypeVar("D")  # a document: invoice or statement

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
        fail(f"cannot write {output}: {folder} {why}; make the folder first or choose "
              "another output", status=EXIT_USAGE)
    refusal = output_refusal(output, ledger_files(loaded.options, loaded.entries))
    if refusal is not None:
        fail(refusal, status=EXIT_USAGE)


def _refuse_stdout() -> None:
    """Exit when standard output is closed (1) or a terminal (2)."""
    if sys.stdout is None:  # Python's own value when the process started without it
        fail("cannot write the PDF to standard output: it is closed")
    if sys.stdout.isatty():
        fail("-o - writes a PDF to standard output, which is a terminal here; redirect "
              "it (-o - > invoice.pdf) or name a file", status=EXIT_USAGE)


def _to_stdout(data: bytes) -> None:
    """Write the document to standard output; a full disk or a closed pipe is a message."""
    try:
        sys.stdout.flush()  # the text layer first, so the bytes come in order
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as error:
        silence_stdout()
        fail(f"cannot write the PDF to standard output: {error.strerror or error}")


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
        fail(str(error))
    if to_stdout:
        _to_stdout(data)
        return
    try:
        write_output(output, data, protected=ledger_files(loaded.options, loaded.entries))
    except WriteRefusedError as error:
        fail(str(error), status=EXIT_USAGE)
    except WriteError as error:
        fail(str(error))
    click.echo(f"wrote {output}")


@click.command()
@with_ledger("number")
@ledger_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              required=True, help=OUTPUT_HELP)
@click.option("--as-of", type=DateType(), default=None,
              help="Payments and credits up to this day (default: today).")
def invoice(  # noqa: PLR0913 - one parameter per option
    ledger: Path, number: str, output: Path, as_of: datetime.date | None, *,
    no_cache: bool, ignore_errors: bool,
) -> None:
    """Print invoice NUMBER as PDF (or HTML); `invoice new` issues one (see its --help).

    LEDGER may be left out when -f/--file or BEANCOUNT_FILE names it; a ledger
    file named `new` is given as ./new or with -f. The output is
    refused (exit 2, nothing written) when it is a file of the ledger, a symlink or
    not a regular file.
    """
    from beancount_ar.cli.loading import load_for_documents  # noqa: PLC0415 - fast --help
    from beancount_ar.documents.data import invoice_document  # noqa: PLC0415
    from beancount_ar.documents.render import invoice_html  # noqa: PLC0415
    from beancount_ar.reports.aging import today  # noqa: PLC0415

    loaded = load_for_documents(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    _refuse_output(output, loaded)
    document = invoice_document(loaded.receivables, number, as_of or today())
    if document is None:
        fail(f"no invoice {number} in {ledger} issued on or before {as_of or today()}",
              status=EXIT_USAGE)
    _write(invoice_html, document, output, loaded)


@click.command()
@with_ledger("customer")
@ledger_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              required=True, help=OUTPUT_HELP)
@click.option("--from", "start", type=DateType(), default=None,
              help="First day of the period (default: the beginning of the books).")
@click.option("--as-of", type=DateType(), default=None, help="Last day (default: today).")
def statement(ledger: Path, customer: str, output: Path, start: datetime.date | None,  # noqa: PLR0913
              as_of: datetime.date | None, *, no_cache: bool, ignore_errors: bool) -> None:
    """Print CUSTOMER's statement of account as PDF (or HTML).

    LEDGER may be left out when -f/--file or BEANCOUNT_FILE names it; -o is guarded
    as for `invoice`.
    """
    from beancount_ar.cli.loading import load_for_documents  # noqa: PLC0415 - fast --help
    from beancount_ar.documents.data import statement_document  # noqa: PLC0415
    from beancount_ar.documents.render import statement_html  # noqa: PLC0415
    from beancount_ar.reports.aging import today  # noqa: PLC0415

    if start is not None and as_of is not None and start > as_of:
        raise click.BadParameter(f"--from {start} is after --as-of {as_of}", param_hint="--from")
    loaded = load_for_documents(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    _refuse_output(output, loaded)
    document = statement_document(loaded.receivables, customer, start,
                                  as_of or today())
    if document is None:
        fail(f"no customer {customer} in {ledger}", status=EXIT_USAGE)
    _write(statement_html, document, output, loaded)


@click.command()
@with_ledger()
@ledger_options
@click.option("--from", "start", type=DateType(), required=True, help="First invoice date.")
@click.option("--to", "end", type=DateType(), required=True, help="Last invoice date.")
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
    from beancount_ar.cli.loading import load_for_documents  # noqa: PLC0415 - fast --help
    from beancount_ar.documents.batch import refused_outputs  # noqa: PLC0415
    from beancount_ar.writer import ledger_files  # noqa: PLC0415

    if start > end:
        raise click.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    if str(output) == STDOUT:
        fail("-o - writes one document to standard output; the billing run needs a folder",
             status=EXIT_USAGE)
    loaded = load_for_documents(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    chosen = [i for i in loaded.receivables.invoices.values() if start <= i.date <= end]
    if not chosen:
        click.echo(f"no invoices dated {start} to {end}; nothing written")
        return
    protected = ledger_files(loaded.options, loaded.entries)
    refused = refused_outputs(chosen, output, protected)
    for _number, refusal in refused:
        click.echo(f"bean-ar: {refusal}", err=True)
    if refused:
        fail(f"{len(refused)} invoice file(s) refused; nothing written", status=EXIT_USAGE)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot make the folder {output}: {error.strerror}")
    result = _run_billing(loaded, chosen, output, jobs)
    for number, problem in result.failed:
        click.echo(f"bean-ar: {number}: {problem}", err=True)
    totals = ", ".join(f"{total:,} {currency}" for currency, total in sorted(result.totals.items()))
    click.echo(f"{len(result.written)} invoice(s) written to {output}"
               + (f" ({totals})" if totals else "")
               + (f"; {len(result.failed)} failed" if result.failed else ""))
    if result.failed:
        sys.exit(EXIT_LEDGER_ERRORS)


def _run_billing(loaded: Ledger, chosen: list[Invoice], output: Path,
                 jobs: int | None) -> BillingRun:
    """The run itself, with a progress bar only for a person at a terminal."""
    from beancount_ar.documents.batch import billing_run  # noqa: PLC0415
    from beancount_ar.reports.aging import today  # noqa: PLC0415
    from beancount_ar.writer import ledger_files  # noqa: PLC0415

    protected = ledger_files(loaded.options, loaded.entries)

    def run(progress: Callable[[int], object]) -> BillingRun:
        return billing_run(loaded.receivables, chosen, output, today(), jobs=jobs,
                           progress=progress, protected=protected)

    # On a pipe or a file click prints the bar's label once: a stray line in a log.
    if not sys.stderr.isatty():
        return run(lambda _: None)
    with click.progressbar(length=len(chosen), label="Billing run", file=sys.stderr) as bar:
        return run(bar.update)

