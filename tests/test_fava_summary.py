"""The Receivables page's summary and aging charts: figures that tie to the ledger.

Per currency the summary shows what is open on invoices, the unapplied credit
and their sum, the net balance, which is the balance of the receivable
accounts on the as-of date as Beancount itself computes it. The aging chart is
one chart per currency, each with its own axis and heading: bars of different
currencies are never drawn to one scale.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from beancount import loader
from beancount.core.data import Transaction
from fava_ledgers import EXAMPLE, FavaSite, bean_ar_csv, plain_number, summary

if TYPE_CHECKING:
    from pathlib import Path

    from fava_ledgers import Element

ROOT = "Assets:Receivable"


@pytest.fixture(scope="module")
def example() -> FavaSite:
    return FavaSite.open(EXAMPLE, today=datetime.date(2027, 1, 15))


def ledger_balances(path: Path, as_of: datetime.date,
                    account: str = ROOT) -> dict[str, Decimal]:
    """Beancount's own balance of `account` and its children on `as_of`, per currency."""
    entries, errors, _ = loader.load_file(str(path))
    assert not errors
    balances: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if not isinstance(entry, Transaction) or entry.date > as_of:
            continue
        for posting in entry.postings:
            units = posting.units
            if units is None or not (posting.account == account
                                     or posting.account.startswith(f"{account}:")):
                continue
            assert units.number is not None
            balances[units.currency] += units.number
    return {currency: number for currency, number in balances.items() if number}


def net_balances(page: Element) -> dict[str, Decimal]:
    return {box.attrs["data-currency"]: Decimal(plain_number(summary(page, box.attrs[
        "data-currency"])["Net balance"])) for box in page.find_all("dl", data_currency=None)}


def test_usd_summary_shows_open_unapplied_and_the_net_balance(example: FavaSite) -> None:
    usd = summary(example.html(time="2026-11"), "USD")
    assert (usd["Open on invoices"], usd["Unapplied credit"], usd["Net balance"]) == (
        "37,233.71", "-3,248.00", "33,985.71")


@pytest.mark.parametrize("time", ["2025-06", "2025-12", "2026-06", "2026-11"])
def test_net_balance_is_the_receivable_accounts_balance(example: FavaSite, time: str) -> None:
    page = example.html(time=time)
    as_of = datetime.date.fromisoformat(page.find(data_testid="as-of").text())
    assert net_balances(page) == ledger_balances(EXAMPLE, as_of)


def test_customer_net_balance_is_that_customers_account_balance(example: FavaSite) -> None:
    customers = {r["customer"] for r in bean_ar_csv("aging", EXAMPLE, "2026-11-30")} - {"TOTAL"}
    model = example.extension().receivables
    for customer in sorted(customers):
        account = model.customers[customer].at(datetime.date(2026, 11, 30)).account
        page = example.html(time="2026-11", customer=customer)
        assert net_balances(page) == ledger_balances(
            EXAMPLE, datetime.date(2026, 11, 30), account), customer


# --- the aging chart: one per currency, each on its own axis ------------------------------


def bar_lengths(chart: Element) -> dict[str, float]:
    """Each customer's bar as a share (%) of its chart's axis."""
    return {bar.attrs["data-customer"]: sum(float(r.attrs["width"]) for r in bar.find_all("rect"))
            for bar in chart.find_all(data_testid="bar")}


def ticks(chart: Element) -> list[str]:
    return [t.text() for t in chart.find_all("text", data_testid="tick")]


def test_each_currency_has_its_own_chart_with_a_heading(example: FavaSite) -> None:
    charts = example.html(time="2026-11").find_all("figure", data_currency=None)
    assert [(c.attrs["data-currency"], c.find("figcaption").text()) for c in charts] == [
        ("CZK", "Aging by customer, CZK"), ("EUR", "Aging by customer, EUR"),
        ("USD", "Aging by customer, USD")]


def test_each_chart_has_its_own_scale(example: FavaSite) -> None:
    page = example.html(time="2026-11")
    rows = [r for r in bean_ar_csv("aging", EXAMPLE, "2026-11-30") if r["customer"] != "TOTAL"]
    buckets = ("current", "1-30", "31-60", "61-90", "90+")
    for chart in page.find_all("figure", data_currency=None):
        currency = chart.attrs["data-currency"]
        owed = {r["customer"]: sum(max(Decimal(r[b]), Decimal(0)) for b in buckets)
                for r in rows if r["currency"] == currency}
        labels = ticks(chart)
        top = Decimal(plain_number(labels[-1]))
        assert labels[0] == "0"
        assert top >= max(owed.values())
        lengths = bar_lengths(chart)
        assert set(lengths) == set(owed)
        for customer, amount in owed.items():
            assert lengths[customer] == pytest.approx(float(amount / top * 100), abs=0.01)


def test_example_axes_end_at_round_figures_above_each_currencys_largest(
    example: FavaSite,
) -> None:
    page = example.html(time="2026-11")
    axes = {c.attrs["data-currency"]: ticks(c)
            for c in page.find_all("figure", data_currency=None)}
    # CZK: novak's 33,622.75 alone, in steps of 10,000; EUR: tyrell's 23,912.64 is the
    # largest; USD: acme's 14,985.00. Steps of 5,000.
    assert axes == {"CZK": ["0", "10,000", "20,000", "30,000", "40,000"],
                    "EUR": ["0", "5,000", "10,000", "15,000", "20,000", "25,000"],
                    "USD": ["0", "5,000", "10,000", "15,000"]}
