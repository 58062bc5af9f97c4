"""Contract sections 3 and 6, AR105: an invoice line's description, quantity and rate.

    Income:Consulting            -1500.00 USD
      description: "Architecture review"
      quantity: 10
      rate: 150.00 USD

quantity x rate must be the line's amount at the amount's precision, the rate
in the line's currency, the quantity a number and the description text. The
error is at the line's posting; the invoice is still issued.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from conftest import codes

from beancount_ar.core.build import build_receivables
from beancount_ar.core.config import ARConfig

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Loaded

    Ledger = Callable[..., Loaded]


def invoice(line_meta: str, amount: str = "100.00", currency: str = "USD") -> str:
    """INV-1 with one line of `amount` carrying `line_meta` (metadata lines, `;`-separated)."""
    meta = "".join(f"\n          {m.strip()}" for m in line_meta.split(";") if m.strip())
    return f"""
        2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme     {amount} {currency}
          Income:Consulting         -{amount} {currency}  ; the line{meta}
    """


LINE = "INV-1 line Income:Consulting"
TIMES = "\N{MULTIPLICATION SIGN}"

BAD_LINES = [
    pytest.param("quantity: 3; rate: 10.00 USD", "100.00",
                 f"{LINE}: quantity 3 {TIMES} rate 10.00 USD = 30.00 USD, but the line is "
                 "100.00 USD; correct the quantity, the rate or the amount", id="product"),
    pytest.param("quantity: 3; rate: 10.00", "100.00",
                 f"{LINE}: quantity 3 {TIMES} rate 10.00 USD = 30.00 USD, but the line is "
                 "100.00 USD; correct the quantity, the rate or the amount",
                 id="product-rate-without-currency"),
    pytest.param("quantity: -3; rate: 10.00 USD", "30.00",
                 f"{LINE}: quantity -3 {TIMES} rate 10.00 USD = -30.00 USD, but the line is "
                 "30.00 USD; correct the quantity, the rate or the amount",
                 id="negative-quantity"),
    pytest.param("quantity: 3; rate: 10.00 USD", "30.01",
                 f"{LINE}: quantity 3 {TIMES} rate 10.00 USD = 30.00 USD, but the line is "
                 "30.01 USD; correct the quantity, the rate or the amount", id="off-by-a-cent"),
    pytest.param("quantity: 0.333; rate: 30.00 USD", "10.00",
                 f"{LINE}: quantity 0.333 {TIMES} rate 30.00 USD = 9.99 USD, but the line is "
                 "10.00 USD; correct the quantity, the rate or the amount",
                 id="product-shown-at-the-amounts-decimals"),
    pytest.param("quantity: 3; rate: 10.00 EUR", "30.00",
                 f"{LINE}: rate 10.00 EUR is in another currency than the line's USD; "
                 "write the rate in USD", id="rate-currency"),
    pytest.param('quantity: "abc"; rate: 10.00 USD', "30.00",
                 f'{LINE}: quantity "abc" is not a number; write a number, e.g. quantity: 10',
                 id="quantity-text"),
    pytest.param("quantity: TRUE", "30.00",
                 f"{LINE}: quantity TRUE is not a number; write a number, e.g. quantity: 10",
                 id="quantity-boolean"),
    pytest.param("quantity: 3 USD", "30.00",
                 f"{LINE}: quantity 3 USD is not a number; write a number, e.g. quantity: 10",
                 id="quantity-amount"),
    pytest.param('rate: "ten"', "30.00",
                 f'{LINE}: rate "ten" is not an amount; write e.g. rate: 150.00 USD',
                 id="rate-text"),
    pytest.param("description: 12345", "30.00",
                 f"{LINE}: description 12345 is not text; write it in double quotes, e.g. "
                 'description: "Architecture review"', id="description-number"),
    pytest.param("description: 2026-01-05", "30.00",
                 f"{LINE}: description 2026-01-05 is not text; write it in double quotes, e.g. "
                 'description: "Architecture review"', id="description-date"),
]


@pytest.mark.parametrize(("meta", "amount", "message"), BAD_LINES)
def test_ar105_bad_line(ledger: Ledger, meta: str, amount: str, message: str) -> None:
    loaded = ledger(invoice(meta, amount))
    assert [(e.source["filename"], e.source["lineno"], e.message) for e in loaded.errors] == [
        (loaded.path, loaded.line("; the line"), f"AR105 invoice {message}")]


GOOD_LINES = [
    pytest.param("quantity: 10; rate: 10.00 USD", "100.00", "USD", id="exact"),
    pytest.param("quantity: 10; rate: 10.00", "100.00", "USD", id="rate-without-currency"),
    pytest.param("quantity: 2.5; rate: 10.00 USD", "25.00", "USD", id="fractional-quantity"),
    pytest.param("quantity: 3; rate: 3.333 USD", "10.00", "USD", id="rounded-down"),
    pytest.param("quantity: 3; rate: 3.335 USD", "10.01", "USD", id="tie-rounded-up"),
    pytest.param("quantity: 3; rate: 3.335 USD", "10.00", "USD", id="tie-rounded-to-even"),
    pytest.param("quantity: 3; rate: 1000 JPY", "3000", "JPY", id="currency-without-decimals"),
    pytest.param("quantity: 7", "100.00", "USD", id="quantity-alone"),
    pytest.param("rate: 150.00 USD", "100.00", "USD", id="rate-alone"),
    pytest.param('description: "Architecture review"', "100.00", "USD", id="description"),
]


@pytest.mark.parametrize(("meta", "amount", "currency"), GOOD_LINES)
def test_good_line_is_clean(ledger: Ledger, meta: str, amount: str, currency: str) -> None:
    loaded = ledger(invoice(meta, amount, currency))
    assert loaded.errors == [], [e.message for e in loaded.errors]


def test_discount_line_with_negative_rate_is_clean(ledger: Ledger) -> None:
    loaded = ledger("""
        2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme     90.00 USD
          Income:Consulting        -100.00 USD
            quantity: 10
            rate: 10.00 USD
          Income:Consulting          10.00 USD
            description: "Loyalty discount"
            quantity: 1
            rate: -10.00 USD
    """)
    assert loaded.errors == [], [e.message for e in loaded.errors]


def test_each_bad_line_is_its_own_error_and_the_invoice_is_issued(ledger: Ledger) -> None:
    loaded = ledger("""
        2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme     130.00 USD
          Income:Consulting        -100.00 USD  ; first
            quantity: 3
            rate: 10.00 USD
          Income:Consulting         -30.00 USD  ; second
            description: 12345
            quantity: "abc"
    """, plugin=None)
    receivables, errors = build_receivables(loaded.entries, ARConfig())
    assert [(e.code, e.source["lineno"]) for e in errors] == [
        ("AR105", loaded.line("; first")), ("AR105", loaded.line("; second")),
        ("AR105", loaded.line("; second"))]
    assert receivables.invoices["INV-1"].open_amount() == Decimal("130.00")


@pytest.mark.parametrize("plugin", ["beancount_ar", "beancount_ar.plugins.invoices"])
def test_ar105_in_bean_check(ledger: Ledger, plugin: str) -> None:
    loaded = ledger(invoice("quantity: 3; rate: 10.00 USD"), plugin=plugin)
    assert codes(loaded.errors) == {"AR105"}


@pytest.mark.parametrize("plugin", ["beancount_ar.plugins.payments",
                                    "beancount_ar.plugins.customers"])
def test_ar105_not_from_other_plugins(ledger: Ledger, plugin: str) -> None:
    loaded = ledger(invoice("quantity: 3; rate: 10.00 USD"), plugin=plugin)
    assert loaded.errors == []


def test_a_rate_in_another_currency_is_not_printed_as_the_lines(ledger: Ledger) -> None:
    loaded = ledger(invoice("quantity: 3; rate: 10.00 EUR", "30.00"), plugin=None)
    receivables, _ = build_receivables(loaded.entries, ARConfig())
    (line,) = receivables.invoices["INV-1"].lines
    assert (line.quantity, line.rate, line.amount) == (Decimal(3), None, Decimal("30.00"))
