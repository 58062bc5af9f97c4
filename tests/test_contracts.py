"""Contract section 13, recurring contracts: `ar-contract`, its periods, AR013 and AR014.

    2026-01-01 custom "ar-contract" "acme-support"
      customer: "acme"
      every: "month"
      amount: 1500.00 USD
      account: Income:Support
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest

from beancount_ar.core.build import read_receivables

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Loaded

    Ledger = Callable[..., Loaded]

D = datetime.date


def contract(start: str = "2026-01-01", every: str = '"month"', *extra: str,
             customer: str = '"acme"', amount: str = "1500.00 USD",
             account: str = "Income:Support") -> str:
    """An `ar-contract` directive "acme-support" with the given fields."""
    lines = [f'{start} custom "ar-contract" "acme-support"', f"  customer: {customer}",
             f"  every: {every}", f"  amount: {amount}", f"  account: {account}", *extra]
    return "\n".join(lines) + "\n"


def periods(loaded: Loaded, through: D) -> list[D]:
    """The period starts of contract acme-support through `through`."""
    receivables = read_receivables(loaded.entries, loaded.options)
    return list(receivables.contracts["acme-support"].periods(through))


@pytest.mark.parametrize(("every", "expected"), [
    ("day", [D(2026, 1, 30), D(2026, 1, 31), D(2026, 2, 1)]),
    ("week", [D(2026, 1, 30), D(2026, 2, 6), D(2026, 2, 13)]),
    ("month", [D(2026, 1, 30), D(2026, 2, 28), D(2026, 3, 30)]),
    ("quarter", [D(2026, 1, 30), D(2026, 4, 30), D(2026, 7, 30)]),
    ("year", [D(2026, 1, 30), D(2027, 1, 30), D(2028, 1, 30)]),
])
def test_each_every_steps_from_the_start(ledger: Ledger, every: str,
                                         expected: list[D]) -> None:
    loaded = ledger(contract("2026-01-30", f'"{every}"'))
    assert loaded.errors == []
    assert periods(loaded, expected[-1]) == expected


def test_month_ends_clamp_from_jan_31(ledger: Ledger) -> None:
    loaded = ledger(contract("2026-01-31"))
    assert periods(loaded, D(2026, 4, 30)) == [
        D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]


def test_nov_30_bills_may_30_not_the_clamped_28th(ledger: Ledger) -> None:
    loaded = ledger(contract("2025-11-30"))
    assert periods(loaded, D(2026, 5, 31))[-4:] == [
        D(2026, 2, 28), D(2026, 3, 30), D(2026, 4, 30), D(2026, 5, 30)]


def test_until_stops_the_periods_and_the_last_is_whole(ledger: Ledger) -> None:
    loaded = ledger(contract("2026-01-01", '"month"', "  until: 2026-03-15"))
    assert periods(loaded, D(2026, 12, 31)) == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]


def test_the_model_reads_every_field(ledger: Ledger) -> None:
    loaded = ledger(contract("2026-01-01", '"quarter"', '  description: "Support retainer"',
                             "  until: 2026-12-31"))
    found = read_receivables(loaded.entries, loaded.options).contracts["acme-support"]
    assert (found.customer, found.every, str(found.amount), found.currency, found.account,
            found.description, found.until) == (
        "acme", "quarter", "1500.00", "USD", "Income:Support", "Support retainer",
        D(2026, 12, 31))


@pytest.mark.parametrize(("fields", "message"), [
    ({"customer": '"nobody"'}, ('contract "acme-support" names unknown customer "nobody"; '
     'write customer: "<id>" with the id of an ar-customer directive')),
    ({"every": '"fortnight"'}, ('contract "acme-support" has every "fortnight"; write every: '
     '"day", "week", "month", "quarter", "year"')),
    ({"amount": "-5.00 USD"}, ('contract "acme-support" has amount -5.00 USD; write a positive '
     "amount such as 1500.00 USD")),
    ({"amount": '"lots"'}, ('contract "acme-support" has amount "lots"; write a positive '
     "amount such as 1500.00 USD")),
    ({"account": '"support"'}, ('contract "acme-support" has account "support"; write an '
     "income account such as Income:Support")),
])
def test_ar013_names_the_field_and_the_fix(ledger: Ledger, fields: dict[str, str],
                                           message: str) -> None:
    loaded = ledger(contract("2026-01-01", fields.get("every", '"month"'),
                             customer=fields.get("customer", '"acme"'),
                             amount=fields.get("amount", "1500.00 USD"),
                             account=fields.get("account", "Income:Support")))
    assert [(e.source["lineno"], e.message) for e in loaded.errors] == [
        (loaded.line('"ar-contract"'), f"AR013 {message}")]
    assert read_receivables(loaded.entries, loaded.options).contracts == {}


def test_ar013_until_before_the_start(ledger: Ledger) -> None:
    loaded = ledger(contract("2026-03-01", '"month"', "  until: 2026-02-01"))
    assert [e.message for e in loaded.errors] == [
        ('AR013 contract "acme-support" has until 2026-02-01; write a date on or after '
        "2026-03-01, or leave it out")]


def test_ar013_a_second_directive_for_one_id(ledger: Ledger) -> None:
    loaded = ledger(contract() + "\n" + contract("2026-02-01"))
    first = loaded.line('2026-01-01 custom "ar-contract"')
    assert [(e.source["lineno"], e.message) for e in loaded.errors] == [
        (loaded.line('2026-02-01 custom "ar-contract"'),
         ('AR013 contract "acme-support" is already defined at line '
         f"{first}; give each contract its own id"))]


BILLED = """
2026-02-01 * "Acme Corp" "Support retainer" ^INV-2026-0001 #invoice
  contract: "acme-support"
  period: 2026-02-01
  Assets:Receivable:Acme    1500.00 USD
  Income:Support           -1500.00 USD
"""


def test_ar014_two_invoices_for_one_period(ledger: Ledger) -> None:
    again = BILLED.replace("INV-2026-0001", "INV-2026-0002")
    loaded = ledger(contract() + BILLED + again, accounts=["Income:Support"])
    assert [(e.source["lineno"], e.message) for e in loaded.errors] == [
        (loaded.line("INV-2026-0002"),
         ('AR014 invoice INV-2026-0002 bills contract "acme-support" period 2026-02-01, '
         "which invoice INV-2026-0001 bills already; remove one, or issue a credit note "
         "for it and drop its contract: and period:"))]


def test_ar014_also_for_an_invoice_issued_by_hand(ledger: Ledger) -> None:
    by_hand = """
2026-02-03 * "Acme Corp" "February support, by hand" ^ACME-7 #invoice
  contract: "acme-support"
  period: 2026-02-01
  Assets:Receivable:Acme    1500.00 USD
  Income:Support           -1500.00 USD
"""
    loaded = ledger(contract() + BILLED + by_hand, accounts=["Income:Support"])
    assert [e.code for e in loaded.errors] == ["AR014"]
    assert loaded.errors[0].source["lineno"] == loaded.line("ACME-7")


def test_billed_periods_are_in_the_model(ledger: Ledger) -> None:
    loaded = ledger(contract() + BILLED, accounts=["Income:Support"])
    assert loaded.errors == []
    receivables = read_receivables(loaded.entries, loaded.options)
    assert receivables.billed == {("acme-support", D(2026, 2, 1)): "INV-2026-0001"}


def test_the_invoices_plugin_reports_them_alone(ledger: Ledger) -> None:
    loaded = ledger(contract(customer='"nobody"'), plugin="beancount_ar.plugins.invoices")
    assert loaded.codes == {"AR013"}
    loaded = ledger(contract(customer='"nobody"'), plugin="beancount_ar.plugins.customers")
    assert loaded.errors == []
