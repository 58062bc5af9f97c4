"""Properties of `reports.kpi` on random histories, through the real loader.

The histories are `test_properties.histories`: two or three customers invoicing
in USD and EUR, partial and full payments, credit notes and write-offs that
never exceed what is open, prepayments on account, some applied later. Each is
loaded with the suite's plugin; the KPIs (exact `Fraction`s, before any
rounding) are taken on random days over 1 to 3 months. For every row (scope
`all`, one per currency), with B, S, E, C summed here from the loaded postings
and the generator's own record of the history, not from the model:

- there is a row for each currency with receivables or sales, and no other;

- `receivables` is E, the receivable balance on the day; `opening` is B, the
  balance on the day before the period; `sales` is S, the receivable postings
  of invoices and credit notes in the period; `current` is C, what the
  generator's invoices still have open on the day with the day on or before
  their due date;
- `dso - best_possible_dso == average_days_delinquent` exactly (the module
  computes ADD on its own, as past-due receivables over sales); all three are
  None exactly when S is 0;
- CEI is `(B + S/N - E) / (B + S/N - C) * 100` with those figures, None exactly
  when the denominator is 0;
- over one month, B + S - E is K, what was collected or written off in the
  period (minus the other receivable postings dated in it); and when
  collections don't exceed what was collectible, 0 <= K <= B + S - C with
  B + S - C > 0, CEI is between 0 and 100; when K > B + S - C > 0 (unapplied
  credit beyond what is past due), it is above 100: the bound is tight.

And for the report as a whole: the `--by customer` rows of a currency add up
to its `all` row (receivables, sales), and a trend's row for a month is the
report as of that month's end.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import pytest
from beancount.core.data import Transaction
from hypothesis import given
from hypothesis import strategies as st
from ledgers import write_ledger
from test_properties import ACCOUNTS, SETTINGS, START, History, histories

from beancount_ar.cli.loading import load_ledger
from beancount_ar.reports.kpi import kpi, trend_days
from beancount_ar.reports.periods import months_ending

if TYPE_CHECKING:
    from pathlib import Path

_names = itertools.count()
_OWNER = {account: customer for customer, (_, account) in ACCOUNTS.items()}
_ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kpi-histories")


def _postings(entries: list[Any]) -> list[tuple[datetime.date, str, Decimal, str]]:
    """(date, currency, amount, kind) of every receivable posting; kind: invoice, credit, other."""
    found: list[tuple[datetime.date, str, Decimal, str]] = []
    for entry in entries:
        if isinstance(entry, Transaction):
            kind = ("invoice" if "invoice" in entry.tags else
                    "credit" if "credit-note" in entry.tags else "other")
            found.extend((entry.date, posting.units.currency, posting.units.number, kind)
                         for posting in entry.postings
                         if posting.account in _OWNER and posting.units is not None
                         and posting.units.number is not None)
    return found


def _expected(history: History, postings: list[tuple[datetime.date, str, Decimal, str]],
              currency: str, day: datetime.date, months: int) -> dict[str, Decimal]:
    period = months_ending(day, months)
    before = period.first - _ONE_DAY

    def total(last: datetime.date, first: datetime.date = datetime.date.min,
              kinds: tuple[str, ...] = ("invoice", "credit", "other")) -> Decimal:
        return sum((amount for date, cur, amount, kind in postings
                    if cur == currency and first <= date <= last and kind in kinds), Decimal(0))

    current = sum(inv.open_on(day) for inv in history.invoices
                  if inv.currency == currency and inv.date <= day <= inv.due)
    return {"B": total(before), "E": total(day), "C": Decimal(current) / 100,
            "S": total(day, period.first, ("invoice", "credit")),
            "K": -total(day, period.first, ("other",))}


@SETTINGS
@given(data=st.data())
def test_kpi_figures_on_random_histories(workdir: Path, data: st.DataObject) -> None:
    history = data.draw(histories())
    workdir.mkdir(parents=True, exist_ok=True)
    path = write_ledger(workdir, history.text, name=f"kpi-{next(_names)}.beancount")
    ledger = load_ledger(path)
    assert ledger.errors == [], (ledger.errors, history.text)
    postings = _postings(ledger.entries)
    span = (history.last - START).days + 40
    for _ in range(data.draw(st.integers(1, 3))):
        day = START + datetime.timedelta(days=data.draw(st.integers(0, span)))
        months = data.draw(st.integers(1, 3))
        rows = kpi(ledger.receivables, day, months)
        for row in rows:
            assert row.scope == "all"
            want = _expected(history, postings, row.currency, day, months)
            b, s, e, c = (Fraction(want[name]) for name in "BSEC")
            got = (row.opening, row.sales, row.receivables, row.current)
            assert got == (want["B"], want["S"], want["E"], want["C"]), (day, history.text)
            if s:
                assert row.dso is not None
                assert row.best_possible_dso is not None
                assert row.dso - row.best_possible_dso == row.average_days_delinquent
            else:
                assert (row.dso, row.best_possible_dso, row.average_days_delinquent) == (
                    None, None, None)
            collectible = b + s / months - c
            assert row.cei == ((b + s / months - e) / collectible * 100 if collectible
                               else None)
            if months == 1:
                k = Fraction(want["K"])
                assert b + s - e == k
                if 0 <= k <= collectible and collectible > 0:
                    assert row.cei is not None
                    assert 0 <= row.cei <= 100
                elif k > collectible > 0:
                    assert row.cei is not None
                    assert row.cei > 100
        # A row for each currency with receivables or sales, and only those.
        expected = {cur: _expected(history, postings, cur, day, months)
                    for cur in {p[1] for p in postings}}
        assert [row.currency for row in rows] == sorted(
            cur for cur, want in expected.items() if want["E"] or want["S"])


@SETTINGS
@given(data=st.data())
def test_customers_add_up_and_a_trend_is_the_report_at_each_months_end(
        workdir: Path, data: st.DataObject) -> None:
    history = data.draw(histories())
    workdir.mkdir(parents=True, exist_ok=True)
    path = write_ledger(workdir, history.text, name=f"kpi-trend-{next(_names)}.beancount")
    receivables = load_ledger(path).receivables
    span = (history.last - START).days + 40
    day = START + datetime.timedelta(days=data.draw(st.integers(0, span)))
    months = data.draw(st.integers(1, 3))

    whole = {r.currency: r for r in kpi(receivables, day, months)}
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in kpi(receivables, day, months, by="customer"):
        sums[row.currency][0] += row.receivables
        sums[row.currency][1] += row.sales
    for currency, (receivables_sum, sales_sum) in sums.items():
        assert currency in whole or not (receivables_sum or sales_sum)
    for currency, row in whole.items():
        assert sums[currency] == [row.receivables, row.sales]

    for by in (None, "customer"):
        trend = kpi(receivables, day, months, by=by, trend=4)
        for end in trend_days(day, 4):
            assert [r for r in trend if r.day == end] == kpi(receivables, end, months, by=by)
