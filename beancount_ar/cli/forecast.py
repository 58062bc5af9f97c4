"""`bean-ar forecast`: expected cash per ISO week, and a backtest of it (AR-SPEC section 12).

    bean-ar forecast ledger.beancount --as-of 2026-06-30 --weeks 12 --format csv
    bean-ar forecast ledger.beancount --backtest 2026-03-31 --as-of 2026-06-30

The forecast's CSV header is `week,currency,expected,invoices`. A backtest
forecasts as of DATE and sets the cash applied after it, through `--as-of`
(default today), beside each row: CSV header `week,currency,expected,naive,actual`,
then the line `WAPE model X% naive Y%` (JSON: `{"rows": [...], "wape": {"model":
"X", "naive": "Y"}}`). An undefined WAPE (no cash in the weeks shown) is empty.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import click

from beancount_ar.cli.options import DateType, ledger_options, report_options, with_ledger

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from decimal import Decimal
    from fractions import Fraction
    from pathlib import Path

    from beancount_ar.core.precision import Precision
    from beancount_ar.reports.forecast import Backtest, BacktestRow, ForecastRow

FORECAST_FIELDS = ("week", "currency", "expected", "invoices")
BACKTEST_FIELDS = ("week", "currency", "expected", "naive", "actual")
MAX_WEEKS = 520  # ten years: beyond, a forecast from today's habits means nothing


@click.command()
@with_ledger()
@ledger_options
@report_options
@click.option("--weeks", type=click.IntRange(1, MAX_WEEKS), default=12, show_default=True,
              help="ISO weeks to forecast, starting with the as-of day's week.")
@click.option("--backtest", type=DateType(), default=None, metavar="DATE",
              help="Forecast as of DATE and compare with the cash applied after it, "
              "through --as-of; the last line is the WAPE of the model and of the naive "
              "forecast (every invoice paid on its due date).")
def forecast(  # noqa: PLR0913 - one parameter per option
    ledger: Path, as_of: datetime.date | None, output_format: str, weeks: int,
    backtest: datetime.date | None, *, no_cache: bool, ignore_errors: bool,
) -> None:
    """Expected cash per ISO week: each open invoice on its due date plus its customer's lateness.

    Invoices in collections are left out; a disputed one is expected `later`.
    """
    from beancount_ar.cli.loading import load  # noqa: PLC0415 - fast --help
    from beancount_ar.reports import forecast as report  # noqa: PLC0415
    from beancount_ar.reports.aging import today  # noqa: PLC0415

    day = as_of or today()
    start = backtest or day
    if backtest is not None and backtest >= day:
        raise click.BadParameter(f"{backtest} is not before --as-of {day}: there is no cash "
                                 "after it to compare with", param_hint="--backtest")
    try:
        last = report.horizon_end(start, weeks)
    except OverflowError:
        raise click.BadParameter(f"{weeks} weeks from {start} end after 9999-12-31",
                                 param_hint="--weeks") from None
    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    precision = loaded.precision
    if backtest is None:
        rows = report.forecast(loaded.receivables, day, weeks)
        _print(output_format, FORECAST_FIELDS, _forecast_records(rows, precision),
               lambda: _forecast_table(rows, precision, day, weeks))
        return
    result = report.backtest(loaded.receivables, backtest, weeks, day)
    if last > day:
        click.echo(f"bean-ar: warning: the last week shown ends on {last}, after --as-of "
                   f"{day}: the cash of the days after it is not in `actual`", err=True)
    _print_backtest(output_format, result, precision, backtest, day)


def _print(output_format: str, header: Sequence[str], records: list[list[str]],
           table: Callable[[], str]) -> None:
    from beancount_ar.reports import formatting  # noqa: PLC0415

    if output_format == "csv":
        click.echo(formatting.to_csv(header, records), nl=False)
    elif output_format == "json":
        click.echo(formatting.to_json(header, records, integers=("invoices",)), nl=False)
    else:
        click.echo(table(), nl=False)


def _forecast_records(rows: Sequence[ForecastRow], precision: Precision) -> list[list[str]]:
    return [[row.week, row.currency, precision.plain(row.expected, row.currency),
             str(row.invoices)] for row in rows]


def _backtest_records(rows: Sequence[BacktestRow], precision: Precision) -> list[list[str]]:
    return [[row.week, row.currency,
             *(precision.plain(n, row.currency) for n in (row.expected, row.naive, row.actual))]
            for row in rows]


def wape_line(model: Fraction | None, naive: Fraction | None, currency: str = "") -> str:
    """`WAPE model 18.4% naive 41.0%`: one decimal, half-up; empty when undefined."""
    from beancount_ar.reports.periods import one_decimal  # noqa: PLC0415

    scope = f" {currency}" if currency else ""
    return f"WAPE{scope} model {one_decimal(model)}% naive {one_decimal(naive)}%"


def _print_backtest(output_format: str, result: Backtest, precision: Precision,
                    date: datetime.date, until: datetime.date) -> None:
    import json  # noqa: PLC0415

    from beancount_ar.reports import formatting  # noqa: PLC0415
    from beancount_ar.reports.periods import one_decimal  # noqa: PLC0415

    records = _backtest_records(result.rows, precision)
    overall = wape_line(result.wape_model, result.wape_naive)
    if output_format == "csv":
        click.echo(formatting.to_csv(BACKTEST_FIELDS, records) + overall)
    elif output_format == "json":
        rows = json.loads(formatting.to_json(BACKTEST_FIELDS, records))
        wape = {"model": one_decimal(result.wape_model), "naive": one_decimal(result.wape_naive)}
        click.echo(json.dumps({"rows": rows, "wape": wape}, indent=2, ensure_ascii=False))
    else:
        title = (f"Cash forecast backtest as of {date}, beside the cash applied through "
                 f"{until} (naive: every invoice paid on its due date)")
        amounts = [(row.week, row.currency, (row.expected, row.naive, row.actual))
                   for row in result.rows]
        # With several currencies the overall figure adds unlike units: each
        # currency's own comes first, for people.
        each = [wape_line(*figures, currency) for currency, figures in result.currencies.items()]
        lines = [*each, overall] if len(each) > 1 else [overall]
        click.echo(_table(title, ["Expected", "Naive", "Actual"], amounts, [], precision)
                   + "\n".join(lines))


def _forecast_table(rows: Sequence[ForecastRow], precision: Precision, as_of: datetime.date,
                    weeks: int) -> str:
    title = (f"Cash forecast as of {as_of}, {weeks} week(s): each open invoice on its due "
             "date plus its customer's lateness (disputed: later; in collections: left out)")
    amounts = [(row.week, row.currency, (row.expected,)) for row in rows]
    return _table(title, ["Expected"], amounts, [row.invoices for row in rows], precision)


def _table(title: str, columns: list[str], rows: Sequence[tuple[str, str, tuple[Decimal, ...]]],
           counts: Sequence[int], precision: Precision) -> str:
    """Rows for people: the week's Monday beside it, thousands separators, a TOTAL per currency."""
    from beancount_ar.reports import formatting  # noqa: PLC0415

    if not rows:
        return f"{title}\n\nNothing is expected: no open invoice outside collections.\n"
    header = ["Week", "From", "Cur", *columns, *(["Invoices"] if counts else [])]
    totals: dict[str, list[Decimal]] = {}
    records = []
    for index, (week, currency, amounts) in enumerate(rows):
        sums = totals.setdefault(currency, [amount * 0 for amount in amounts])
        totals[currency] = [a + b for a, b in zip(sums, amounts, strict=True)]
        records.append([week, _week_start(week), currency,
                        *(precision.grouped(n, currency) for n in amounts),
                        *([str(counts[index])] if counts else [])])
    invoices: dict[str, int] = {}
    for (_, currency, _), count in zip(rows, counts, strict=False):
        invoices[currency] = invoices.get(currency, 0) + count
    total_records = [["TOTAL", "", currency, *(precision.grouped(n, currency) for n in sums),
                      *([str(invoices[currency])] if counts else [])]
                     for currency, sums in sorted(totals.items())]
    right = [False, False, False, *[True] * (len(header) - 3)]
    table = formatting.render_table(header, [*records, *total_records], right,
                                    len(total_records))
    return f"{title}\n\n{table}"


def _week_start(label: str) -> str:
    """The Monday of an ISO week label (`2026-W27` -> `2026-06-29`); empty for `later`."""
    year, _, week = label.partition("-W")
    if not week:
        return ""
    return datetime.date.fromisocalendar(int(year), int(week), 1).isoformat()
