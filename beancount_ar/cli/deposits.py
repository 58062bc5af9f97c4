r"""`bean-ar deposit`: the receipts in an undeposited-funds account, the slip, the transfer.

    bean-ar deposit ledger.beancount --from Assets:Undeposited --to Assets:Bank:Checking \\
        --date 2026-06-30 -o slip.pdf --record

The CSV header is `date,payee,invoices,currency,amount` (invoices separated by
spaces); the table ends with a total per currency. `-o` writes the deposit
slip (PDF, or HTML when FILE ends in `.html`) through the one writer, never
over a ledger file. `--record [FILE]` appends the transfer, dated `--date`, to
FILE (default: the top ledger file), read before the ledger loads and refused
when it changed since (AR-SPEC section 14).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from beancount_ar.cli.console import EXIT_USAGE, fail
from beancount_ar.cli.options import DateType, ledger_options, with_ledger

if TYPE_CHECKING:
    import datetime

    from beancount_ar.cli.loading import Ledger
    from beancount_ar.cli.recording import Target
    from beancount_ar.reports.deposits import Pending, Transfer

DEPOSIT_FIELDS = ("date", "payee", "invoices", "currency", "amount")


@click.command("deposit")
@with_ledger()
@ledger_options
@click.option("--from", "source", required=True, metavar="ACCOUNT",
              help="The undeposited-funds account the receipts sit in.")
@click.option("--to", "target", required=True, metavar="ACCOUNT",
              help="The bank account they are deposited into.")
@click.option("--date", "day", type=DateType(), default=None,
              help="The day of the deposit (default: today).")
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True, help="Output layout.")
@click.option("--record", "record", is_flag=False, flag_value="", default=None,
              metavar="[FILE]", help="Append the transfer, dated --date, to FILE "
              "(default: the top ledger file).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write the deposit slip to FILE (PDF, or HTML when "
              "FILE ends in .html).")
def deposit(  # noqa: PLR0913, PLR0917 - one parameter per option
    ledger: Path, source: str, target: str, day: datetime.date | None, output_format: str,
    record: str | None, output: Path | None, *, no_cache: bool, ignore_errors: bool,
) -> None:
    """The receipts making up the --from account's balance on --date, and their totals."""
    from beancount_ar.cli.loading import load  # noqa: PLC0415 - fast --help
    from beancount_ar.cli.recording import record_target  # noqa: PLC0415
    from beancount_ar.reports.aging import today  # noqa: PLC0415
    from beancount_ar.reports.deposits import Transfer, undeposited  # noqa: PLC0415

    date = day or today()
    if source == target:
        raise click.BadParameter(f"{target} is the --from account too", param_hint="--to")
    file = record_target(ledger, record) if record is not None else None  # read first
    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    if not _opened(loaded, source):  # a misspelt account would list nothing, silently
        fail(f"--from {source} is no account of the ledger {ledger} (no open directive)",
             status=EXIT_USAGE)
    pending = undeposited(loaded.entries, loaded.receivables, source, date)
    for currency in pending.mismatched:
        click.echo(f"bean-ar: warning: {source} holds "
                   f"{pending.balance.get(currency, 0)} {currency} but its receipts since "
                   f"it was last at zero add up to {pending.totals.get(currency, 0)}: "
                   "it was credited other than by a deposit", err=True)
    _print(output_format, pending, loaded, date)
    transfer = Transfer(source, target, date)
    if output is not None:
        _write_slip(loaded, pending, transfer, output)
    if file is not None:
        _record(file, loaded, pending, transfer)


def _print(output_format: str, pending: Pending, loaded: Ledger, date: datetime.date) -> None:
    from beancount_ar.reports import formatting  # noqa: PLC0415
    from beancount_ar.reports.deposits import receipt_records  # noqa: PLC0415

    precision = loaded.precision
    records = receipt_records(pending.receipts, precision)
    if output_format == "csv":
        click.echo(formatting.to_csv(DEPOSIT_FIELDS, records), nl=False)
    elif output_format == "json":
        click.echo(formatting.to_json(DEPOSIT_FIELDS, records), nl=False)
    elif not records:
        click.echo(f"Nothing to deposit on {date}.")
    else:
        rows = [[*r[:4], precision.grouped(x.amount, x.currency)]
                for r, x in zip(records, pending.receipts, strict=True)]
        totals = [["Total", "", "", c, precision.grouped(n, c)] for c, n in pending.totals.items()]
        click.echo(formatting.render_table(DEPOSIT_FIELDS, [*rows, *totals],
                                           [False, False, False, False, True],
                                           totals=len(totals)), nl=False)


def _write_slip(loaded: Ledger, pending: Pending, transfer: Transfer, output: Path) -> None:
    """The slip: the depositor and date (the report's heading), each receipt, the totals."""
    from beancount_ar.cli.management import write_report  # noqa: PLC0415
    from beancount_ar.documents.management import ReportSection  # noqa: PLC0415
    from beancount_ar.reports.deposits import receipt_records  # noqa: PLC0415

    source, target, date = transfer
    precision = loaded.precision
    rows = [[*r[:4], precision.grouped(x.amount, x.currency)]
            for r, x in zip(receipt_records(pending.receipts, precision), pending.receipts,
                            strict=True)]
    totals = [[c, precision.grouped(n, c), str(sum(r.currency == c for r in pending.receipts))]
              for c, n in pending.totals.items()]
    # Title Case like the other documents; the CSV header stays DEPOSIT_FIELDS.
    sections = [
        ReportSection(f"Receipts from {source} into {target}",
                      ("Date", "Payee", "Invoices", "Currency", "Amount"), rows,
                      frozenset({"Amount"})),
        ReportSection("Totals", ("Currency", "Total", "Receipts"), totals,
                      frozenset({"Total", "Receipts"})),
    ]
    write_report(loaded, "Deposit slip", date, sections, output)


def _record(file: Target, loaded: Ledger, pending: Pending, transfer: Transfer) -> None:
    """Append the transfer; refuse, with nothing written, what bean-check would reject."""
    from beancount_ar.cli.recording import append_entries  # noqa: PLC0415
    from beancount_ar.reports.deposits import deposit_text  # noqa: PLC0415

    if not any(n > 0 for n in pending.balance.values()):
        click.echo("bean-ar: nothing to deposit; nothing recorded", err=True)
        return
    text = deposit_text(pending, transfer, loaded.precision)
    append_entries(file, loaded, text, f"the deposit into {transfer.target}")


def _opened(loaded: Ledger, account: str) -> bool:
    """Whether the ledger opens `account` on any day."""
    from beancount.core.data import Open  # noqa: PLC0415

    return any(isinstance(e, Open) and e.account == account for e in loaded.entries)
