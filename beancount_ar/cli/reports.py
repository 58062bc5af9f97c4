"""`bean-ar aging` and `bean-ar overdue`: the reports on a date, as a table, CSV or JSON.

    bean-ar aging ledger.beancount --as-of 2026-06-30 --basis invoice --format csv
    bean-ar overdue ledger.beancount --as-of 2026-06-30
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from beancount_ar.cli.options import BucketsType, ledger_options, report_options, with_ledger

if TYPE_CHECKING:
    import datetime
    from pathlib import Path

    from beancount_ar.reports.aging import Buckets


@click.command()
@with_ledger()
@ledger_options
@report_options
@click.option("--basis", type=click.Choice(["due", "invoice"]), default="due",
              show_default=True, help="Age from the due date or from the invoice date.")
@click.option("--buckets", type=BucketsType(), default="30,60,90", show_default=True,
              help="Bucket edges in days.")
def aging(  # noqa: PLR0913 - one parameter per option
    ledger: Path, as_of: datetime.date | None, output_format: str, basis: str,
          buckets: Buckets, *, no_cache: bool, ignore_errors: bool) -> None:
    """Open amounts per customer and currency, by age, with totals per currency."""
    from beancount_ar.cli.loading import load  # noqa: PLC0415 - fast --help
    from beancount_ar.reports import formatting  # noqa: PLC0415
    from beancount_ar.reports.aging import aging as aging_rows  # noqa: PLC0415
    from beancount_ar.reports.aging import today  # noqa: PLC0415

    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    day = as_of or today()
    rows = aging_rows(loaded.receivables, day, "invoice" if basis == "invoice" else "due",
                      buckets)
    header = formatting.aging_header(buckets)
    records = formatting.aging_records(rows, loaded.precision)
    if output_format == "csv":
        click.echo(formatting.to_csv(header, records), nl=False)
    elif output_format == "json":
        click.echo(formatting.to_json(header, records), nl=False)
    else:
        click.echo(formatting.aging_table(rows, buckets, loaded.precision, day, basis), nl=False)


@click.command()
@with_ledger()
@ledger_options
@report_options
def overdue(ledger: Path, as_of: datetime.date | None, output_format: str, *,
            no_cache: bool, ignore_errors: bool) -> None:
    """Invoices past due with an open amount, most days overdue first."""
    from beancount_ar.cli.loading import load  # noqa: PLC0415 - fast --help
    from beancount_ar.reports import formatting  # noqa: PLC0415
    from beancount_ar.reports.aging import today  # noqa: PLC0415
    from beancount_ar.reports.overdue import overdue as overdue_rows  # noqa: PLC0415

    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    day = as_of or today()
    rows = overdue_rows(loaded.receivables, day)
    header = list(formatting.OVERDUE_FIELDS)
    records = formatting.overdue_records(rows, loaded.precision)
    if output_format == "csv":
        click.echo(formatting.to_csv(header, records), nl=False)
    elif output_format == "json":
        click.echo(formatting.to_json(header, records, integers=("days_overdue",)), nl=False)
    else:
        click.echo(formatting.overdue_table(rows, loaded.precision, day), nl=False)

