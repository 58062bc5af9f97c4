"""`bean-ar bill`: an invoice for each contract period due, appended to the ledger (AR-SPEC 13).

    bean-ar bill ledger.beancount --through 2026-06-30              # bill, into the top file
    bean-ar bill ledger.beancount --through 2026-06-30 --dry-run    # only show what it would
    bean-ar bill ledger.beancount --through 2026-06-30 --to billing.beancount
    bean-ar bill ledger.beancount --through 2026-06-30 --pdf out/  # + PDFs, email drafts

It prints the invoices (a table with a total per currency) and appends them
through the one writer: only to a file of the ledger, read before the ledger
loads, so a file changed meanwhile is refused with nothing written. A second
run bills nothing: every period has its invoice. A period it may not bill
(numbering out of date order, an account not open) is named on stderr and the
run exits 1, the rest written; invoices that would add an AR error to the
ledger (AR301, a credit limit passed) are named and nothing is written.
`--pdf DIR` then writes each new invoice's PDF and email draft there, as
`bean-ar invoice new --pdf` does (`cli/invoicing.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from beancount_ar.cli.console import EXIT_LEDGER_ERRORS, EXIT_USAGE, fail
from beancount_ar.cli.options import DateType, ledger_options, with_ledger

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable

    from beancount_ar.cli.loading import Ledger
    from beancount_ar.cli.recording import Target
    from beancount_ar.reports.billing import Plan

HEADER = ["Invoice", "Date", "Customer", "Contract", "Cur", "Amount"]
PDF_HELP = ("After writing, put each new invoice's PDF here and an email draft (.eml) to "
            "the customer's email (folder made if missing).")


def invoice_outputs(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--to FILE` and `--pdf DIR`, for the commands that issue invoices (bill, invoice new)."""
    function = click.option(
        "--pdf", "pdf", type=click.Path(file_okay=False, path_type=Path), default=None,
        metavar="DIR", help=PDF_HELP)(function)
    return click.option(
        "--to", "to", type=click.Path(dir_okay=False), default=None, metavar="FILE",
        help="The ledger file to append to (default: the top ledger file).")(function)


@click.command()
@with_ledger()
@ledger_options
@click.option("--through", type=DateType(), required=True,
              help="Bill every contract period that starts on or before this day.")
@invoice_outputs
@click.option("--dry-run", is_flag=True, help="Print what would be billed; write nothing.")
def bill(  # noqa: PLR0913 - one parameter per option
    ledger: Path, through: datetime.date, to: str | None, pdf: Path | None, *, dry_run: bool,
    no_cache: bool, ignore_errors: bool,
) -> None:
    """Append one invoice per contract period due through --through and not billed yet."""
    from beancount_ar.cli.invoicing import refuse_pdf_outputs, write_pdfs  # noqa: PLC0415
    from beancount_ar.cli.loading import load  # noqa: PLC0415
    from beancount_ar.cli.recording import record_target  # noqa: PLC0415
    from beancount_ar.reports.billing import plan_bills  # noqa: PLC0415

    target = record_target(ledger, to)  # read before the ledger loads
    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    check_target(target, loaded, to)
    plan = plan_bills(loaded.receivables, through, loaded.entries)
    text, problems = plan_problems(loaded, plan)
    title = (f"Would bill through {through} (dry run: nothing written)" if dry_run
             else f"Not billed through {through} (refused: nothing written)" if problems
             else f"Billed through {through}")
    print_plan(loaded, plan, title)
    for refusal in plan.refused:
        click.echo(f"bean-ar: not billed: contract {refusal.contract} period "
                   f"{refusal.period}: {refusal.reason}", err=True)
    if problems:
        refuse(problems, dry_run=dry_run)
    if plan.bills and not dry_run:
        if pdf is not None:
            refuse_pdf_outputs(loaded, plan, pdf)
        append_plan(target, text, f"billed {len(plan.bills)} invoice(s)")
        if pdf is not None:
            write_pdfs(ledger, plan, pdf, no_cache=no_cache, ignore_errors=ignore_errors)
    if plan.refused:
        raise SystemExit(EXIT_LEDGER_ERRORS)


def check_target(target: Target, loaded: Ledger, named: str | None) -> None:
    """Refuse (exit 2), before anything is printed, a file that is not the ledger's."""
    from beancount_ar.cli.recording import _is_one_of as is_ledger_file  # noqa: PLC0415
    from beancount_ar.writer import ledger_files  # noqa: PLC0415

    if target.snapshot is None:
        fail(f"--to {target.path}: {target.problem}; nothing written", status=EXIT_USAGE)
    if named is not None and not is_ledger_file(
            target.path, ledger_files(loaded.options, loaded.entries)):
        fail(f"--to {target.path} is not a file of the ledger {loaded.path} (the top file "
             "or one it includes); nothing written", status=EXIT_USAGE)


def print_plan(loaded: Ledger, plan: Plan, title: str) -> None:
    """The invoices as a table, a total per currency (a one-off invoice has no contract)."""
    from beancount_ar.reports import formatting  # noqa: PLC0415

    precision = loaded.precision
    records = [[b.number, b.date.isoformat(), b.customer, b.contract or "", b.currency,
                precision.grouped(b.amount, b.currency)] for b in plan.bills]
    click.echo(formatting.collections_table(
        title, HEADER, records, numeric=("Amount",), currency_column="Cur",
        totals=("Amount",), empty="Nothing to bill.", precision=precision), nl=False)


def plan_problems(loaded: Ledger, plan: Plan) -> tuple[str, list[str]]:
    """The text to append, and why it must not be: [] when it may.

    Refused: text that does not parse (exit 2 at once), what bean-check would
    reject afterwards (an account not open, a balance assertion after an invoice,
    a new AR error such as AR301). A dry run asks too, so it shows what a real
    run would refuse.
    """
    from beancount.parser import parser  # noqa: PLC0415

    from beancount_ar.reports.appending import appending_refusals  # noqa: PLC0415

    text = plan.text(loaded.receivables.config.invoice_tag)
    if not plan.bills:
        return text, []
    # Parsed once: for 20,000 invoices a parse is a tenth of the run.
    added, errors, _ = parser.parse_string(text)
    if errors:
        fail(f"the invoices to append do not parse ({errors[0].message}); nothing written",
             status=EXIT_USAGE)
    return text, appending_refusals(loaded.entries, loaded.options,
                                    loaded.receivables.errors, added)


def refuse(problems: list[str], *, dry_run: bool) -> None:
    """Name each problem on stderr and exit 1 (a dry run says a real run would refuse)."""
    for problem in problems:
        click.echo(f"bean-ar: {problem}", err=True)
    outcome = "a real run would write nothing" if dry_run else "nothing written"
    fail(f"the invoices would add {len(problems)} error(s) to the ledger; {outcome}")


def append_plan(target: Target, text: str, done: str) -> None:
    """Append the invoices' `text` through the one writer, then say `done` on stderr.

    Refused with nothing written: a file changed since it was read.
    """
    from beancount_ar.writer import (  # noqa: PLC0415
        WriteError,
        WriteRefusedError,
        append_to_ledger_file,
    )

    if target.snapshot is None:  # refused in check_target; here for the type checker
        return
    try:
        append_to_ledger_file(target.snapshot, text)
    except WriteRefusedError as error:
        fail(str(error), status=EXIT_USAGE)
    except WriteError as error:
        fail(str(error))
    click.echo(f"bean-ar: {done} in {target.path}", err=True)
