"""Properties of statutory interest on random invoices and payments (hypothesis).

- interest is never negative;
- an invoice paid in full by its due date owes no interest and no compensation;
- interest and compensation never decrease as the as-of date moves on.

The claims are worked out by the core (`claim_on`) under each rule, on the
shipped reference rates, for invoices due from 2013 to 2026.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from beancount_ar.core.interest import claim_on
from beancount_ar.core.model import (
    Application,
    ApplicationKind,
    Invoice,
    IssuedInvoice,
    Source,
)
from beancount_ar.core.policies import parse_interest
from beancount_ar.core.rates import shipped_table
from beancount_ar.core.terms import Terms

RULES = ("cz", "eu", "uk", "9.5%", "none")
CURRENCIES = ("CZK", "EUR", "GBP", "USD")
SOURCE = Source("<test>", 0)


@st.composite
def invoices(draw: st.DrawFn) -> Invoice:
    """An invoice and payments that never take it below zero."""
    date = draw(st.dates(datetime.date(2013, 1, 1), datetime.date(2026, 6, 30)))
    terms = draw(st.integers(0, 60))
    due = date + datetime.timedelta(days=terms)
    cents = draw(st.integers(1, 5_000_000))
    currency = draw(st.sampled_from(CURRENCIES))
    amount = Decimal(cents).scaleb(-2)
    issue = IssuedInvoice("INV-1", "acme", "Assets:Receivable:Acme", date, due, Terms(terms),
                          amount, currency, "Acme", "Consulting", (), SOURCE)
    payments, left, day = [], cents, date
    for _ in range(draw(st.integers(0, 4))):
        if left == 0:
            break
        day += datetime.timedelta(days=draw(st.integers(0, 120)))
        paid = draw(st.integers(1, left))
        left -= paid
        payments.append(Application(day, "acme", "Assets:Receivable:Acme", "INV-1",
                                    -Decimal(paid).scaleb(-2), currency,
                                    ApplicationKind.PAYMENT, "Payment", SOURCE))
    return Invoice(issue, tuple(payments))


def claim(invoice: Invoice, rule: str, as_of: datetime.date) -> tuple[Decimal, Decimal]:
    interest = parse_interest(rule)
    assert interest is not None
    found = claim_on(invoice, interest, shipped_table(), as_of, 2)
    return found.interest, found.compensation


SETTINGS = settings(max_examples=200, deadline=None)


@SETTINGS
@given(invoices(), st.sampled_from(RULES), st.integers(0, 800))
def test_interest_is_never_negative(invoice: Invoice, rule: str, days: int) -> None:
    interest, compensation = claim(invoice, rule, invoice.date + datetime.timedelta(days=days))
    assert interest >= 0
    assert compensation >= 0


@SETTINGS
@given(invoices(), st.sampled_from(RULES), st.integers(0, 800))
def test_paid_by_the_due_date_owes_nothing(invoice: Invoice, rule: str, days: int) -> None:
    on_time = tuple(a for a in invoice.applications if a.date <= invoice.due)
    paid = -sum((a.amount for a in on_time), Decimal(0))
    last = invoice.due - datetime.timedelta(days=days % 30)
    settle = Application(max(invoice.date, last), "acme", invoice.account, "INV-1",
                         -(invoice.amount - paid), invoice.currency, ApplicationKind.PAYMENT,
                         "Payment", SOURCE)
    settled = invoice._replace(applications=tuple(sorted((*on_time, settle),
                                                         key=lambda a: a.date)))
    as_of = invoice.due + datetime.timedelta(days=days)
    assert claim(settled, rule, as_of) == (Decimal(0), Decimal(0))


@SETTINGS
@given(invoices(), st.sampled_from(RULES), st.integers(0, 800), st.integers(0, 400))
def test_never_decreases_as_the_as_of_date_moves_on(invoice: Invoice, rule: str, days: int,
                                                    later: int) -> None:
    as_of = invoice.date + datetime.timedelta(days=days)
    first = claim(invoice, rule, as_of)
    second = claim(invoice, rule, as_of + datetime.timedelta(days=later))
    assert second[0] >= first[0]
    assert second[1] >= first[1]
