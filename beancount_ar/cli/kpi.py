"""`bean-ar kpi` and `bean-ar collectors`: receivables KPIs (AR-SPEC section 12).

    bean-ar kpi ledger.beancount --as-of 2026-06-30 --months 3 --by collector --format csv
    bean-ar kpi ledger.beancount --trend 12 --format json     # a row per month, for a chart
    bean-ar collectors ledger.beancount --as-of 2026-06-30    # the supervisor's monthly review

Days and percentages print with one decimal, half-up from the exact figure;
an undefined one is empty in CSV and the table, null in JSON. Amounts print as
in every report: plain at the ledger's precision in CSV and JSON (strings),
grouped in the table.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING

import click

from beancount_ar.cli.management import output_option, write_report
from beancount_ar.cli.options import ledger_options, report_options, with_ledger

if TYPE_CHECKING:
    import datetime
    from collections.abc import Sequence
    from fractions import Fraction
    from pathlib import Path

    from beancount_ar.core.precision import Precision
    from beancount_ar.documents.management import ReportSection
    from beancount_ar.reports.kpi import CollectorRow, KpiRow

KPI_FIELDS = ("scope", "currency", "receivables", "sales", "dso", "countback_dso",
              "best_possible_dso", "average_days_delinquent", "cei", "average_days_to_pay",
              "average_days_late")
KPI_TITLES = ("Scope", "Cur", "Receivables", "Sales", "DSO", "Countback", "Best", "ADD",
              "CEI %", "To pay", "Late")
COLLECTOR_FIELDS = ("collector", "currency", "open", "open_count", "overdue", "overdue_count",
                    "sales", "collected", "dso", "cei", "average_days_late", "letters")
COLLECTOR_TITLES = ("Collector", "Cur", "Open", "#", "Overdue", "#", "Sales", "Collected",
                    "DSO", "CEI %", "Late", "Letters")
FIGURES = {"dso", "countback_dso", "best_possible_dso", "average_days_delinquent", "cei",
           "average_days_to_pay", "average_days_late"}
INTEGERS = {"open_count", "overdue_count", "letters"}


@click.command("kpi")
@with_ledger()
@ledger_options
@report_options
@click.option("--months", type=click.IntRange(min=1), default=3, show_default=True,
              help="The period: this many calendar months ending with the as-of month.")
@click.option("--by", type=click.Choice(["customer", "collector"]), default=None,
              help="A row per customer or collector (default: one row, scope `all`).")
@click.option("--trend", type=click.IntRange(min=1), default=None, metavar="MONTHS",
              help="The same figures at the end of each of the last MONTHS months, "
              "with a first column `month`.")
@output_option
def kpi_command(  # noqa: PLR0913, PLR0917 - one parameter per option
    ledger: Path, as_of: datetime.date | None, output_format: str, months: int,
    by: str | None, trend: int | None, output: Path | None, *, no_cache: bool,
    ignore_errors: bool,
) -> None:
    """DSO (plain, countback, best possible), days delinquent, CEI, days to pay and late."""
    from beancount_ar.cli.loading import load  # noqa: PLC0415 - fast --help
    from beancount_ar.reports.aging import today  # noqa: PLC0415
    from beancount_ar.reports.kpi import kpi as kpi_rows  # noqa: PLC0415

    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    day = as_of or today()
    rows = kpi_rows(loaded.receivables, day, months,
                    "customer" if by == "customer" else "collector" if by else None, trend)
    header = ["month", *KPI_FIELDS] if trend else list(KPI_FIELDS)
    titles = ["Month", *KPI_TITLES] if trend else list(KPI_TITLES)
    people = [_kpi_record(row, loaded.precision, grouped=True, month=bool(trend))
              for row in rows]
    period = f"{months} month{'s' if months > 1 else ''}"
    title = (f"Receivables KPIs at the end of each of the last {trend} months to {day}, "
             f"each over {period}" if trend else
             f"Receivables KPIs as of {day}, over {period} from {_first_day(day, months)}")
    if output is not None:
        write_report(loaded, title, day, _kpi_sections(rows, titles, people, trend=trend),
                     output)
    if output_format == "table":
        click.echo(_table(title, titles, people, "Nothing owed and nothing sold."), nl=False)
        return
    records = [_kpi_record(row, loaded.precision, grouped=False, month=bool(trend))
               for row in rows]
    click.echo(_output(output_format, header, records), nl=False)


@click.command()
@with_ledger()
@ledger_options
@report_options
@click.option("--months", type=click.IntRange(min=1), default=1, show_default=True,
              help="The period: this many calendar months ending with the as-of month.")
def collectors(  # noqa: PLR0913 - one parameter per option
    ledger: Path, as_of: datetime.date | None, output_format: str, months: int, *,
    no_cache: bool, ignore_errors: bool,
) -> None:
    """Per collector: open and overdue, collected, DSO, CEI, days late and letters sent."""
    from beancount_ar.cli.loading import load  # noqa: PLC0415 - fast --help
    from beancount_ar.reports.aging import today  # noqa: PLC0415
    from beancount_ar.reports.kpi import collectors as collector_rows  # noqa: PLC0415

    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    day = as_of or today()
    rows = collector_rows(loaded.receivables, day, months)
    grouped = output_format == "table"
    records = [_collector_record(row, loaded.precision, grouped=grouped) for row in rows]
    if grouped:
        period = f"{months} month{'s' if months > 1 else ''}"
        title = (f"Collectors as of {day}: open and overdue that day; collected, DSO, CEI, "
                 f"days late and letters over {period} from {_first_day(day, months)}")
        click.echo(_table(title, list(COLLECTOR_TITLES), records,
                          "No collector has anything to show."), nl=False)
        return
    click.echo(_output(output_format, list(COLLECTOR_FIELDS), records), nl=False)


def _kpi_sections(rows: Sequence[KpiRow], titles: list[str], people: list[list[str]], *,
                  trend: int | None) -> list[ReportSection]:
    """The management report: per currency, its rows as the table shows them.

    With `--trend`, a chart of DSO, countback DSO and CEI over the months above them.
    """
    from beancount_ar.documents.charts import trend_chart  # noqa: PLC0415
    from beancount_ar.documents.management import ReportSection  # noqa: PLC0415
    from beancount_ar.reports.periods import one_decimal  # noqa: PLC0415

    def figure(value: Fraction | None) -> Decimal | None:
        text = one_decimal(value)
        return Decimal(text) if text else None

    numeric = frozenset(titles[2 + bool(trend):])
    sections = []
    for currency in sorted({row.currency for row in rows}):
        own = [(row, cells) for row, cells in zip(rows, people, strict=True)
               if row.currency == currency]
        chart = None
        if trend:
            alone = [row for row, _ in own if row.scope == "all"]
            chart = trend_chart([f"{row.day:%Y-%m}" for row in alone], bars={}, lines={
                "dso": [figure(row.dso) for row in alone],
                "countback_dso": [figure(row.countback_dso) for row in alone],
                "cei": [figure(row.cei) for row in alone]})
        sections.append(ReportSection(currency, titles, [cells for _, cells in own],
                                      numeric, chart))
    return sections


def _first_day(day: datetime.date, months: int) -> datetime.date:
    from beancount_ar.reports.periods import months_ending  # noqa: PLC0415

    return months_ending(day, months).first


def _kpi_record(row: KpiRow, precision: Precision, *, grouped: bool, month: bool) -> list[str]:
    from beancount_ar.reports.periods import one_decimal  # noqa: PLC0415

    money = precision.grouped if grouped else precision.plain
    cells = [row.scope, row.currency, money(row.receivables, row.currency),
             money(row.sales, row.currency),
             *(one_decimal(figure) for figure in (
                 row.dso, row.countback_dso, row.best_possible_dso,
                 row.average_days_delinquent, row.cei, row.average_days_to_pay,
                 row.average_days_late))]
    return [f"{row.day:%Y-%m}", *cells] if month else cells


def _collector_record(row: CollectorRow, precision: Precision, *, grouped: bool) -> list[str]:
    from beancount_ar.reports.periods import one_decimal  # noqa: PLC0415

    money = precision.grouped if grouped else precision.plain
    figures, currency = row.kpi, row.kpi.currency
    return [figures.scope, currency, money(figures.receivables, currency), str(row.open_count),
            money(row.overdue, currency), str(row.overdue_count),
            money(figures.sales, currency), money(figures.collected, currency),
            one_decimal(figures.dso), one_decimal(figures.cei),
            one_decimal(figures.average_days_late), str(figures.letters)]


def _output(output_format: str, header: Sequence[str], records: list[list[str]]) -> str:
    """CSV, or JSON: amounts and figures as strings, counts as numbers, undefined as null."""
    from beancount_ar.reports import formatting  # noqa: PLC0415

    if output_format == "csv":
        return formatting.to_csv(header, records)
    objects = [{key: int(value) if key in INTEGERS else
                None if key in FIGURES and value == "" else value
                for key, value in zip(header, record, strict=True)} for record in records]
    return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"


def _table(title: str, header: Sequence[str], records: list[list[str]], empty: str) -> str:
    from beancount_ar.reports import formatting  # noqa: PLC0415

    if not records:
        return f"{title}\n\n{empty}\n"
    # Names and currency on the left, amounts and figures on the right.
    right = [name not in {"Month", "Scope", "Cur", "Collector"} for name in header]
    return f"{title}\n\n{formatting.render_table(header, records, right)}"
