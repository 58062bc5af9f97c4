"""`bean-ar dunning`, `escalations`, `disputes` and `interest`: collections (AR-SPEC section 11).

    bean-ar dunning ledger.beancount --as-of 2026-06-30 --record        # letters due, recorded
    bean-ar escalations ledger.beancount --record agency -o handover.csv
    bean-ar disputes ledger.beancount --format csv
    bean-ar interest ledger.beancount --from 2026-01-01

Each takes the ledger, `--as-of` and `--format table|csv|json` like `aging`. CSV
and JSON print plain amounts at the ledger's precision; a run with nothing to
show prints the CSV header alone (JSON `[]`) and exits 0.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from beancount_ar.cli.letters import letter_options
from beancount_ar.cli.options import DateType, ledger_options, report_options, with_ledger
from beancount_ar.core.ledger_text import event_text

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Sequence

    from beancount_ar.cli.loading import Ledger

INTEGERS = ("days_overdue", "level", "days", "days_late")


def _print(output_format: str, header: Sequence[str], records: list[list[str]],
           table: Callable[[], str]) -> None:
    from beancount_ar.reports import formatting  # noqa: PLC0415

    if output_format == "csv":
        click.echo(formatting.to_csv(header, records), nl=False)
    elif output_format == "json":
        integers = [name for name in header if name in INTEGERS]
        click.echo(formatting.to_json(header, records, integers=integers), nl=False)
    else:
        click.echo(table(), nl=False)


def _warn_rates(ledger: Ledger, invoices: list[Any], as_of: datetime.date) -> None:
    """The shipped-rate warnings for the rows printed, on stderr."""
    from beancount_ar.reports.collections import rate_warnings  # noqa: PLC0415
    from beancount_ar.reports.dunning import claims_of  # noqa: PLC0415

    for warning in rate_warnings(claims_of(ledger.receivables, invoices, as_of)):
        click.echo(f"bean-ar: warning: {warning}", err=True)


def _day(as_of: datetime.date | None) -> datetime.date:
    from beancount_ar.reports.aging import today  # noqa: PLC0415

    return as_of or today()


@click.command()
@with_ledger()
@ledger_options
@report_options
@click.option("--record", "record", is_flag=False, flag_value="", default=None,
              metavar="[FILE]", help='Append one custom "ar-dunning" per letter, dated the '
              "as-of day, to FILE (default: the top ledger file).")
@letter_options
def dunning(  # noqa: PLR0913 - one parameter per option
    ledger: Path, as_of: datetime.date | None, output_format: str, record: str | None,
    letters: dict[str, Any], *, no_cache: bool, ignore_errors: bool,
) -> None:
    """Letters due on the as-of date: one row per invoice, by customer, then invoice."""
    from beancount_ar.cli.letters import deliver_letters  # noqa: PLC0415
    from beancount_ar.cli.loading import load  # noqa: PLC0415
    from beancount_ar.cli.recording import record_events, record_target  # noqa: PLC0415
    from beancount_ar.reports import formatting  # noqa: PLC0415
    from beancount_ar.reports.dunning import letters_due  # noqa: PLC0415

    target = record_target(ledger, record) if record is not None else None  # read first
    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    day = _day(as_of)
    rows = letters_due(loaded.receivables, day)
    precision = loaded.precision
    _print(output_format, formatting.DUNNING_FIELDS,
           formatting.dunning_records(rows, precision),
           lambda: formatting.collections_table(
               f"Letters due on {day}", ["Customer", "Invoice", "Cur", "Due", "Days", "Open",
                                         "Level", "Interest", "Comp.", "Fee", "Total"],
               formatting.dunning_records(rows, precision, precision.grouped),
               numeric=("Days", "Open", "Level", "Interest", "Comp.", "Fee", "Total"),
               currency_column="Cur", totals=("Total",), empty="No letters are due.",
               precision=precision))
    _warn_rates(loaded, [row.invoice for row in rows], day)
    deliver_letters(loaded, rows, day, letters)
    if target is not None:
        if not rows:
            click.echo("bean-ar: no letters due; nothing recorded", err=True)
            return
        text = "".join(event_text(day, "ar-dunning", row.invoice.number, row.level)
                       for row in rows)
        record_events(target, loaded, text, loaded.receivables.invoices,
                      f"{len(rows)} letter(s)")


@click.command()
@with_ledger("file", optional=1)
@ledger_options
@report_options
@click.option("--record", "record", type=click.Choice(["agency", "legal"]), default=None,
              help='Append custom "ar-escalate" INV KIND per row, dated the as-of day, to '
              "FILE (default: the top ledger file).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the hand-over CSV for the agency or lawyers here.")
def escalations(  # noqa: PLR0913, PLR0917 - one parameter per option
    ledger: Path, file: str | None, as_of: datetime.date | None, output_format: str,
    record: str | None, output: Path | None, *, no_cache: bool, ignore_errors: bool,
) -> None:
    """Invoices past their last letter, ready to hand over: by customer, then invoice."""
    from beancount_ar.cli.console import EXIT_USAGE, fail  # noqa: PLC0415
    from beancount_ar.cli.loading import load  # noqa: PLC0415
    from beancount_ar.cli.recording import record_events, record_target  # noqa: PLC0415
    from beancount_ar.reports import formatting  # noqa: PLC0415
    from beancount_ar.reports.dunning import escalations as queue  # noqa: PLC0415

    if file is not None and record is None:
        fail(f"FILE ({file}) is where --record agency|legal writes; give --record too",
             status=EXIT_USAGE)
    target = record_target(ledger, file) if record is not None else None  # read first
    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    day = _day(as_of)
    rows = queue(loaded.receivables, day)
    precision = loaded.precision
    _print(output_format, formatting.ESCALATION_FIELDS,
           formatting.escalation_records(rows, precision),
           lambda: formatting.collections_table(
               f"Escalation queue on {day}", ["Customer", "Invoice", "Cur", "Due", "Days",
                                              "Open", "Last letter", "Interest", "Comp.",
                                              "Total"],
               formatting.escalation_records(rows, precision, precision.grouped),
               numeric=("Days", "Open", "Interest", "Comp.", "Total"),
               currency_column="Cur", totals=("Total",), empty="Nothing to escalate.",
               precision=precision))
    _warn_rates(loaded, [row.invoice for row in rows], day)
    if output is not None:
        _write_handover(loaded, rows, day, output)
    if target is not None:
        if not rows:
            click.echo("bean-ar: nothing to escalate; nothing recorded", err=True)
            return
        text = "".join(event_text(day, "ar-escalate", row.invoice.number, record)
                       for row in rows)
        record_events(target, loaded, text, loaded.receivables.invoices,
                      f"{len(rows)} escalation(s) to {record}")


def _write_handover(loaded: Ledger, rows: Sequence[Any], day: datetime.date,
                    output: Path) -> None:
    """The hand-over CSV, through the writer (never over a ledger file); said on stderr first."""
    from beancount_ar.cli.console import EXIT_USAGE, fail  # noqa: PLC0415
    from beancount_ar.reports.handover import HANDOVER_FIELDS, handover_csv  # noqa: PLC0415
    from beancount_ar.writer import (  # noqa: PLC0415
        WriteError,
        WriteRefusedError,
        ledger_files,
        write_output,
    )

    debtors = len({row.customer for row in rows})
    click.echo(f"bean-ar: {output}: {len(rows)} invoice(s) of {debtors} debtor(s), with "
               f"{', '.join(HANDOVER_FIELDS)} (card numbers masked)", err=True)
    data = handover_csv(loaded.receivables, rows, day).encode("utf-8")
    try:
        write_output(output, data, protected=ledger_files(loaded.options, loaded.entries))
    except WriteRefusedError as error:
        fail(str(error), status=EXIT_USAGE)
    except WriteError as error:
        fail(str(error))


@click.command()
@with_ledger()
@ledger_options
@report_options
def disputes(ledger: Path, as_of: datetime.date | None, output_format: str, *,
             no_cache: bool, ignore_errors: bool) -> None:
    """Open disputes of invoices with something owed, oldest first."""
    from beancount_ar.cli.loading import load  # noqa: PLC0415
    from beancount_ar.reports import formatting  # noqa: PLC0415
    from beancount_ar.reports.disputes import disputes as open_disputes  # noqa: PLC0415

    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    day = _day(as_of)
    rows = open_disputes(loaded.receivables, day)
    precision = loaded.precision
    _print(output_format, formatting.DISPUTE_FIELDS, formatting.dispute_records(rows, precision),
           lambda: formatting.collections_table(
               f"Open disputes on {day}", ["Invoice", "Customer", "Cur", "Since", "Days",
                                           "Open", "Reason"],
               formatting.dispute_records(rows, precision, precision.grouped),
               numeric=("Days", "Open"), currency_column="Cur", totals=("Open",),
               empty="No disputes are open.", precision=precision))


@click.command()
@with_ledger()
@ledger_options
@report_options
@click.option("--from", "since", type=DateType(), default=None,
              help="Of the settled invoices, keep those settled on or after this day.")
def interest(  # noqa: PLR0913 - one parameter per option
    ledger: Path, as_of: datetime.date | None, output_format: str,
    since: datetime.date | None, *, no_cache: bool, ignore_errors: bool,
) -> None:
    """Interest and compensation per overdue or late-paid invoice, by customer, then invoice."""
    from beancount_ar.cli.loading import load  # noqa: PLC0415
    from beancount_ar.reports import formatting  # noqa: PLC0415
    from beancount_ar.reports.interest import interest as late_invoices  # noqa: PLC0415

    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    day = _day(as_of)
    rows = late_invoices(loaded.receivables, day, since)
    precision = loaded.precision
    _print(output_format, formatting.INTEREST_FIELDS, formatting.interest_records(rows, precision),
           lambda: formatting.collections_table(
               f"Interest and compensation as of {day}", ["Invoice", "Customer", "Cur", "Due",
                                                          "Settled", "Days", "Interest",
                                                          "Comp."],
               formatting.interest_records(rows, precision, precision.grouped),
               numeric=("Days", "Interest", "Comp."), currency_column="Cur",
               totals=("Interest", "Comp."), empty="No invoice is late.",
               precision=precision))
    from beancount_ar.reports.collections import rate_warnings  # noqa: PLC0415

    for warning in rate_warnings(row.claim for row in rows):
        click.echo(f"bean-ar: warning: {warning}", err=True)
