"""Properties of `bean-ar forecast` on random histories, through the real loader.

A history is invoices of three customers in USD and EUR over a year and a half,
paid (in one or two parts), credited or written off at random, some disputed
(and maybe resolved) or escalated. It is written as ledger text, loaded by
Beancount with the suite's plugin, and forecast at random dates:

- the rows are every week of the horizon and `later`, for each currency with an
  invoice forecast, sorted by week then currency;
- per currency, the rows sum to what is open on the invoices that are not in
  collections (kept by the generator), and count each such invoice once;
- a forecast from the whole ledger equals the forecast from the entries dated up
  to its day, as the backtest relies on;
- a backtest's model and naive rows each sum to that same open amount, and its
  actual cash never exceeds it.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from forecast_ledgers import YEAR_HEADER
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledgers import invoke, write_ledger

from beancount_ar.cli.loading import load_ledger
from beancount_ar.core.build import read_receivables
from beancount_ar.reports.forecast import LATER, backtest, forecast

if TYPE_CHECKING:
    from pathlib import Path

START = datetime.date(2025, 3, 1)
CUSTOMERS = {
    "acme": ("Acme Corp", "Assets:Receivable:Acme"),
    "globex": ("Globex Inc", "Assets:Receivable:Globex"),
    "umbrella": ("Umbrella Corp", "Assets:Receivable:Umbrella"),
}
OTHER = {"payment": "Assets:Bank:Checking", "credit-note": "Income:Consulting",
         "write-off": "Expenses:BadDebt"}
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_names = itertools.count()


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


@dataclass
class Invoice:
    number: str
    customer: str
    currency: str
    date: datetime.date
    cents: int
    applied: list[tuple[datetime.date, int]] = field(default_factory=list)
    escalated: datetime.date | None = None

    def open_on(self, day: datetime.date) -> int:
        return self.cents - sum(c for d, c in self.applied if d <= day)


@dataclass
class History:
    invoices: list[Invoice]
    text: str


def later(draw: st.DrawFn, day: datetime.date, most: int) -> datetime.date:
    return day + datetime.timedelta(days=draw(st.integers(0, most)))


@st.composite
def histories(draw: st.DrawFn) -> History:
    blocks: list[tuple[datetime.date, str]] = []
    invoices = []
    for index in range(draw(st.integers(1, 12))):
        customer = draw(st.sampled_from(sorted(CUSTOMERS)))
        payee, account = CUSTOMERS[customer]
        inv = Invoice(f"INV-{index:03d}", customer, draw(st.sampled_from(["USD", "EUR"])),
                      later(draw, START, 480), draw(st.integers(1, 500_000)))
        due = later(draw, inv.date, 60)
        text = (f'{inv.date} * "{payee}" "Consulting" ^{inv.number} #invoice\n'
                f"  due: {due}\n  {account}  {money(inv.cents)} {inv.currency}\n"
                f"  Income:Consulting  -{money(inv.cents)} {inv.currency}\n")
        blocks.append((inv.date, text))
        when = inv.date
        for _ in range(draw(st.integers(0, 2))):
            left = inv.open_on(datetime.date.max)
            if not left:
                break
            cents = draw(st.one_of(st.just(left), st.integers(1, left)))
            kind = draw(st.sampled_from(["payment", "payment", "payment", "credit-note",
                                         "write-off"]))
            when = later(draw, when, 90)
            inv.applied.append((when, cents))
            tag = "" if kind == "payment" else f" #{kind}"
            text = (f'{when} * "{payee}" "{kind}" ^{inv.number}{tag}\n'
                    f"  {OTHER[kind]}  {money(cents)} {inv.currency}\n"
                    f"  {account}  -{money(cents)} {inv.currency}\n")
            blocks.append((when, text))
        if draw(st.booleans()):
            disputed = later(draw, inv.date, 60)
            blocks.append((disputed, f'{disputed} custom "ar-dispute" "{inv.number}" "why"\n'))
            if draw(st.booleans()):
                resolved = later(draw, disputed, 60)
                blocks.append((resolved, f'{resolved} custom "ar-resolve" "{inv.number}"\n'))
        if draw(st.integers(0, 4)) == 0:
            inv.escalated = later(draw, due, 120)
            blocks.append((inv.escalated,
                           f'{inv.escalated} custom "ar-escalate" "{inv.number}" "agency"\n'))
        invoices.append(inv)
    blocks.sort(key=lambda block: block[0])
    return History(invoices, "\n".join(text for _, text in blocks))


def forecast_open(history: History, as_of: datetime.date) -> dict[str, tuple[int, int]]:
    """Per currency: cents open on the invoices forecast, and how many they are."""
    found: dict[str, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for inv in history.invoices:
        left = inv.open_on(as_of)
        if inv.date <= as_of and left > 0 and not (inv.escalated and inv.escalated <= as_of):
            cents, count = found[inv.currency]
            found[inv.currency] = (cents + left, count + 1)
    return dict(found)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("forecasts")


def _write(directory: Path, history: History) -> Path:
    return write_ledger(directory, history.text, header=YEAR_HEADER,
                        name=f"history-{next(_names)}.beancount")


as_of_days = st.dates(START, START + datetime.timedelta(days=600))


@SETTINGS
@given(data=st.data())
def test_rows_cover_the_horizon_and_sum_to_the_open_amount(workdir: Path,
                                                           data: st.DataObject) -> None:
    history = data.draw(histories())
    path = _write(workdir, history)
    as_of, weeks = data.draw(as_of_days), data.draw(st.integers(1, 14))
    result = invoke("forecast", path, "--as-of", as_of.isoformat(), "--weeks", str(weeks),
                    "--format", "csv")
    assert result.exit_code == 0, (result.output, history.text)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = forecast_open(history, as_of)

    labels = list(dict.fromkeys(row["week"] for row in rows))
    assert len(labels) == (weeks + 1 if expected else 0)
    assert [(r["week"], r["currency"]) for r in rows] == [
        (label, currency) for label in labels for currency in sorted(expected)]
    if expected:
        first_year, first_week, _ = as_of.isocalendar()
        assert labels[0] == f"{first_year}-W{first_week:02d}"
        assert labels[-1] == LATER
    for currency, (cents, count) in expected.items():
        same = [r for r in rows if r["currency"] == currency]
        assert sum(Decimal(r["expected"]) for r in same) * 100 == cents, history.text
        assert sum(int(r["invoices"]) for r in same) == count


@SETTINGS
@given(data=st.data())
def test_forecast_reads_only_entries_up_to_its_day(workdir: Path, data: st.DataObject) -> None:
    history = data.draw(histories())
    ledger = load_ledger(_write(workdir, history))
    assert ledger.errors == [], (ledger.errors, history.text)
    as_of, weeks = data.draw(as_of_days), data.draw(st.integers(1, 14))
    cut = read_receivables([e for e in ledger.entries if e.date <= as_of], ledger.options)
    assert forecast(ledger.receivables, as_of, weeks) == forecast(cut, as_of, weeks)

    until = as_of + datetime.timedelta(days=data.draw(st.integers(1, 200)))
    result = backtest(ledger.receivables, as_of, weeks, until)
    expected = forecast_open(history, as_of)
    for currency, (cents, _) in expected.items():
        same = [r for r in result.rows if r.currency == currency]
        assert sum(r.expected for r in same) * 100 == cents
        assert sum(r.naive for r in same) * 100 == cents
        assert 0 <= sum(r.actual for r in same) * 100 <= cents
    assert [(r.week, r.currency) for r in result.rows] == [
        (r.week, r.currency) for r in forecast(ledger.receivables, as_of, weeks)]
