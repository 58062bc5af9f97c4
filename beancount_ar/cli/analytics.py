"""`bean-ar collections`: billed and collected per period, and what stayed open (AR-SPEC §12).

    bean-ar collections ledger.beancount --period quarter --from 2026-01-01 --format csv
    bean-ar collections ledger.beancount --period day --from 2026-06-29 --by collector

One row per period and currency, sorted by period then currency (with `--by`,
then by customer or collector), from `--from` (default: the first invoice's
date) through `--to` (default: today). CSV and JSON print plain amounts at the
ledger's precision; the table is for people: thousands separators, names
beside customer ids, and a `TOTAL` row per currency.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import click

from beancount_ar.cli.management import output_option, write_report
from beancount_ar.cli.options import DateType, ledger_options, with_ledger
from beancount_ar.reports.periods import PERIOD_KINDS

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from beancount_ar.core.model import Receivables
    from beancount_ar.core.precision import Precision
    from beancount_ar.documents.management import ReportSection
    from beancount_ar.reports.billed_collected import GroupBy, PeriodRow

    Money = Callable[[Decimal, str], str]

INTEGERS = ("open_count", "overdue_count")


@click.command("collections")
@with_ledger()
@ledger_options
@click.option("--period", type=click.Choice(PERIOD_KINDS), default="month", show_default=True,
              help="One row per day, ISO week, month, quarter or year.")
@click.option("--from", "since", type=DateType(), default=None,
              help="The first day reported (default: the first invoice's date).")
@click.option("--to", "until", type=DateType(), default=None,
              help="The last day reported (default: today).")
@click.option("--by", type=click.Choice(["customer", "collector"]), default=None,
              help="A row per customer, or per collector (the one in force on --to).")
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True, help="Output layout.")
@output_option
def collections_command(  # noqa: PLR0913, PLR0917 - one parameter per option
    ledger: Path, period: str, since: datetime.date | None, until: datetime.date | None,
    by: GroupBy | None, output_format: str, output: Path | None, *, no_cache: bool,
    ignore_errors: bool,
) -> None:
    """Invoiced, credited, collected and written off per period; open and overdue at its end."""
    from beancount_ar.cli.loading import load  # noqa: PLC0415 - fast --help
    from beancount_ar.reports import formatting  # noqa: PLC0415
    from beancount_ar.reports.aging import today  # noqa: PLC0415
    from beancount_ar.reports.billed_collected import (  # noqa: PLC0415
        FIELDS,
        billed_collected,
        first_invoice_date,
    )

    end = until or today()
    if since is not None and since > end:
        raise click.BadParameter(f"{since} is after --to {end}", param_hint="'--from'")
    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    start = since or first_invoice_date(loaded.receivables)
    rows = [] if start is None else billed_collected(loaded.receivables, period, start, end, by)
    header = [*([by] if by else []), *FIELDS]
    records = _records(rows, loaded.precision.plain, grouped=by is not None)
    if output_format == "csv":
        click.echo(formatting.to_csv(header, records), nl=False)
    elif output_format == "json":
        click.echo(formatting.to_json(header, records, integers=INTEGERS), nl=False)
    title = f"Billed and collected by {period}"
    if by:
        title += f" and {by}"
    if start is not None and start <= end:
        title += f", {start} to {end}"
    if output_format == "table":
        click.echo(_table(title, rows, loaded.receivables, loaded.precision, by), nl=False)
    if output is not None:
        write_report(loaded, title, end, _sections(rows, loaded.receivables,
                                                   loaded.precision, by), output)


def _cells(row: PeriodRow, money: Money) -> list[str]:
    """The contract's columns of a row, from `period` on."""
    currency = row.currency
    return [row.period.label, currency,
            *(money(n, currency) for n in (row.invoiced, row.credited, row.collected,
                                           row.written_off, row.open)),
            str(row.open_count), money(row.overdue, currency), str(row.overdue_count)]


def _records(rows: Sequence[PeriodRow], money: Money, *, grouped: bool) -> list[list[str]]:
    """Rows as CSV/JSON cells: the group first with `--by`."""
    return [[*([row.group or ""] if grouped else []), *_cells(row, money)]
            for row in rows]


def _table(title: str, rows: Sequence[PeriodRow], receivables: Receivables,
           precision: Precision, by: GroupBy | None) -> str:
    """The report for people; a `TOTAL` row per currency sums the flows of every row shown.

    Its open and overdue figures (and counts) are those at `--to`: the last period's.
    """
    from beancount_ar.reports import formatting  # noqa: PLC0415

    header, records, right, totals = _people(rows, receivables, precision, by)
    if not rows:
        return f"{title}\n\nNothing to report.\n"
    return f"{title}\n\n{formatting.render_table(header, records, right, totals)}"


def _sections(rows: Sequence[PeriodRow], receivables: Receivables, precision: Precision,
              by: GroupBy | None) -> list[ReportSection]:
    """The management report: per currency, its rows as the table shows them, and a chart."""
    from beancount_ar.documents.charts import trend_chart  # noqa: PLC0415
    from beancount_ar.documents.management import ReportSection  # noqa: PLC0415

    header, records, right, _ = _people(rows, receivables, precision, by)
    numeric = frozenset(h for h, r in zip(header, right, strict=True) if r)
    place = header.index("Cur")
    sections = []
    for currency in sorted({row.currency for row in rows}):
        own = [row for row in rows if row.currency == currency]
        chart = None if by else trend_chart(
            [row.period.label for row in own],
            bars={"invoiced": [row.invoiced for row in own],
                  "collected": [row.collected for row in own]},
            lines={"open": [row.open for row in own], "overdue": [row.overdue for row in own]})
        sections.append(ReportSection(currency, header,
                                      [r for r in records if r[place] == currency],
                                      numeric, chart))
    return sections


def _people(rows: Sequence[PeriodRow], receivables: Receivables, precision: Precision,
            by: GroupBy | None) -> tuple[list[str], list[list[str]], list[bool], int]:
    """The table for people: header, records (totals last), right-aligned columns, totals."""
    from beancount_ar.reports.aging import TOTAL, customer_name  # noqa: PLC0415

    groups = {"customer": ["Customer", "Name"], "collector": ["Collector"]}.get(by or "", [])
    header = ["Period", *groups, "Cur", "Invoiced", "Credited", "Collected", "Written off",
              "Open", "Open #", "Overdue", "Overdue #"]
    records = []
    for row in rows:
        label, currency, *figures = _cells(row, precision.grouped)
        names = [row.group or "", customer_name(receivables, row.group or "")][:len(groups)]
        records.append([label, *names, currency, *figures])
    totals = _totals(rows)
    for currency, (flows, stock, counts) in sorted(totals.items()):
        amounts = [precision.grouped(n, currency) for n in (*flows, stock[0])]
        records.append([TOTAL, *[""] * len(groups), currency, *amounts, str(counts[0]),
                        precision.grouped(stock[1], currency), str(counts[1])])
    right = [False] * (2 + len(groups)) + [True] * 8
    return header, records, right, len(totals)


def _totals(rows: Sequence[PeriodRow]) -> dict[str, tuple[list[Decimal], list[Decimal],
                                                          list[int]]]:
    """Per currency: the flows summed, and open, overdue and their counts at the last period."""
    last = rows[-1].period if rows else None
    totals: dict[str, tuple[list[Decimal], list[Decimal], list[int]]] = {}
    zero = Decimal(0)
    for row in rows:
        flows, stock, counts = totals.setdefault(
            row.currency, ([zero] * 4, [zero, zero], [0, 0]))
        for position, value in enumerate((row.invoiced, row.credited, row.collected,
                                          row.written_off)):
            flows[position] += value
        if row.period == last:
            stock[0] += row.open
            stock[1] += row.overdue
            counts[0] += row.open_count
            counts[1] += row.overdue_count
    return totals

