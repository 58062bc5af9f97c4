"""`bean-ar collections` on the example ledger: every row ties, and ends at the aging's TOTAL.

The example runs from 2025-05 to 2026-11 in USD, EUR and CZK, with every kind
of application; the demo's day is 2026-11-30.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from fava_ledgers import EXAMPLE, bean_ar_csv
from ledgers import invoke

from beancount_ar.cli.loading import load_ledger
from beancount_ar.reports.aging import aging
from beancount_ar.reports.periods import PERIOD_KINDS, period_of

TO = "2026-11-30"
FLOWS = ("invoiced", "credited", "collected", "written_off")


def collections_csv(*options: str) -> list[dict[str, str]]:
    result = invoke("collections", EXAMPLE, "--to", TO, "--format", "csv", *options)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def aging_totals(day: datetime.date) -> dict[str, Decimal]:
    receivables = load_ledger(EXAMPLE).receivables
    return {row.currency: row.total for row in aging(receivables, day) if row.is_total}


@pytest.mark.parametrize("kind", [k for k in PERIOD_KINDS if k != "day"])
def test_every_row_ties_and_the_last_open_is_the_aging_total(kind: str) -> None:
    rows = collections_csv("--period", kind)
    first = datetime.date.fromisoformat("2025-05-01")  # the first invoice's month
    assert rows[0]["period"] == period_of(kind, first).label
    previous = {currency: Decimal(0) for currency in ("CZK", "EUR", "USD")}
    for row in rows:
        currency = row["currency"]
        flows = [Decimal(row[name]) for name in FLOWS]
        expected = previous[currency] + flows[0] - flows[1] - flows[2] - flows[3]
        assert Decimal(row["open"]) == expected, row
        previous[currency] = Decimal(row["open"])
    aging_total = {row["currency"]: Decimal(row["total"])
                   for row in bean_ar_csv("aging", EXAMPLE, TO) if row["customer"] == "TOTAL"}
    assert previous == aging_total


def test_each_months_open_is_the_aging_total_at_its_end() -> None:
    receivables = load_ledger(EXAMPLE).receivables
    for row in collections_csv():
        last = min(period_of("month", datetime.date.fromisoformat(row["period"] + "-01")).last,
                   datetime.date.fromisoformat(TO))
        totals = {r.currency: r.total for r in aging(receivables, last) if r.is_total}
        assert Decimal(row["open"]) == totals.get(row["currency"], Decimal(0)), row


@pytest.mark.parametrize("by", ["customer", "collector"])
def test_groups_sum_to_the_whole(by: str) -> None:
    whole = {(r["period"], r["currency"]): r for r in collections_csv("--period", "quarter")}
    sums: dict[tuple[str, str], list[Decimal]] = {}
    names = (*FLOWS, "open", "open_count", "overdue", "overdue_count")
    for row in collections_csv("--period", "quarter", "--by", by):
        figures = sums.setdefault((row["period"], row["currency"]), [Decimal(0)] * len(names))
        for position, name in enumerate(names):
            figures[position] += Decimal(row[name])
    for key, row in whole.items():
        assert sums.get(key, [Decimal(0)] * len(names)) == [Decimal(row[n]) for n in names]


def test_the_collectors_of_the_example() -> None:
    # Every customer of the example has a collector.
    assert {row["collector"] for row in collections_csv("--by", "collector")} == {"jana", "petr"}


def test_days_from_yesterday_tie_to_the_aging() -> None:
    rows = collections_csv("--period", "day", "--from", "2026-11-29")
    assert [(r["period"], r["currency"]) for r in rows] == [
        (day, currency) for day in ("2026-11-29", "2026-11-30")
        for currency in ("CZK", "EUR", "USD")]
    before = aging_totals(datetime.date(2026, 11, 28))
    for row in rows:
        flows = [Decimal(row[name]) for name in FLOWS]
        opening = before.get(row["currency"], Decimal(0))
        assert Decimal(row["open"]) == opening + flows[0] - flows[1] - flows[2] - flows[3]
        before[row["currency"]] = Decimal(row["open"])
    assert before == aging_totals(datetime.date(2026, 11, 30))


def test_the_readme_shows_the_morning_report_as_printed() -> None:
    readme = (EXAMPLE.parent.parent / "README.md").read_text(encoding="utf-8")
    command = ("$ bean-ar collections ledger/example.beancount --period day --from 2026-11-09 "
               "--to 2026-11-10 --by collector\n")
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    result = invoke("collections", EXAMPLE, "--period", "day", "--from", "2026-11-09",
                    "--to", "2026-11-10", "--by", "collector")
    assert result.exit_code == 0, result.output
    assert shown == result.stdout
