"""The receivables model, built directly with `build_receivables` from loaded snippets."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType
from conftest import GLOBEX, CustomerSpec, codes

from beancount_ar.core.build import build_receivables
from beancount_ar.core.config import ARConfig
from beancount_ar.core.model import ApplicationKind, Status
from beancount_ar.core.terms import parse_terms

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Loaded

    from beancount_ar.core.model import Receivables

    Ledger = Callable[..., Loaded]

D = datetime.date
USD = "USD"


def build(loaded: Loaded, config: ARConfig | None = None) -> Receivables:
    assert loaded.errors == [], [e.message for e in loaded.errors]
    receivables, errors = build_receivables(loaded.entries, config or ARConfig())
    assert errors == [], [e.message for e in errors]
    return receivables


# --- Invoices and their open amount -----------------------------------------------------------

PAID_IN_STEPS = """
    2026-01-05 * "Acme Corp" "Consulting, January" ^INV-2026-001 #invoice
      Assets:Receivable:Acme        1800.00 USD
      Income:Consulting            -1500.00 USD
        description: "Architecture review"
        quantity: 10
        rate: 150.00 USD
      Liabilities:SalesTax          -300.00 USD

    2026-02-01 * "Acme Corp" "Payment" ^INV-2026-001
      Assets:Bank:Checking           400.00 USD
      Assets:Receivable:Acme        -400.00 USD

    2026-02-10 * "Acme Corp" "Credit note: 2 hours not billable" ^INV-2026-001 #credit-note
      Assets:Receivable:Acme        -300.00 USD
      Income:Consulting              300.00 USD

    2026-09-30 * "Acme Corp" "Write-off" ^INV-2026-001 #write-off
      Expenses:BadDebt              1100.00 USD
      Assets:Receivable:Acme       -1100.00 USD
"""


def test_invoice_fields_and_lines(ledger: Ledger) -> None:
    invoice = build(ledger(PAID_IN_STEPS)).invoices["INV-2026-001"]
    assert (invoice.number, invoice.customer, invoice.account) == (
        "INV-2026-001", "acme", "Assets:Receivable:Acme")
    assert (invoice.date, invoice.due, str(invoice.terms)) == (
        D(2026, 1, 5), D(2026, 2, 4), "net 30")
    assert (invoice.amount, invoice.currency) == (Decimal("1800.00"), USD)
    assert (invoice.payee, invoice.narration) == ("Acme Corp", "Consulting, January")
    income, tax = invoice.lines
    assert (income.account, income.description, income.quantity, income.rate) == (
        "Income:Consulting", "Architecture review", Decimal(10), Decimal("150.00"))
    assert (income.amount, income.currency, income.is_tax) == (Decimal("1500.00"), USD, False)
    assert (tax.account, tax.amount, tax.is_tax) == (
        "Liabilities:SalesTax", Decimal("300.00"), True)


@pytest.mark.parametrize(("as_of", "open_amount"), [
    (D(2026, 1, 5), Decimal("1800.00")),
    (D(2026, 1, 31), Decimal("1800.00")),
    (D(2026, 2, 1), Decimal("1400.00")),
    (D(2026, 2, 9), Decimal("1400.00")),
    (D(2026, 2, 10), Decimal("1100.00")),
    (D(2026, 9, 29), Decimal("1100.00")),
    (D(2026, 9, 30), Decimal("0.00")),
    (None, Decimal("0.00")),
])
def test_open_amount_as_of(
    ledger: Ledger, as_of: datetime.date | None, open_amount: Decimal
) -> None:
    invoice = build(ledger(PAID_IN_STEPS)).invoices["INV-2026-001"]
    assert invoice.open_amount(as_of) == open_amount


def test_application_kinds_of_payment_credit_note_write_off(ledger: Ledger) -> None:
    invoice = build(ledger(PAID_IN_STEPS)).invoices["INV-2026-001"]
    got = [(a.date, a.kind, a.amount, a.invoice, a.customer, a.currency, a.is_cash)
           for a in invoice.applications]
    assert got == [
        (D(2026, 2, 1), ApplicationKind.PAYMENT, Decimal("-400.00"), "INV-2026-001", "acme",
         USD, True),
        (D(2026, 2, 10), ApplicationKind.CREDIT_NOTE, Decimal("-300.00"), "INV-2026-001",
         "acme", USD, False),
        (D(2026, 9, 30), ApplicationKind.WRITE_OFF, Decimal("-1100.00"), "INV-2026-001",
         "acme", USD, False),
    ]


def test_multi_invoice_payment_applies_to_each(ledger: Ledger) -> None:
    receivables = build(ledger("""
        2026-01-20 * "Acme Corp" "Second" ^INV-2026-002 #invoice
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD

        2026-01-25 * "Acme Corp" "Third" ^INV-2026-003 #invoice
          Assets:Receivable:Acme        2500.00 USD
          Income:Consulting            -2500.00 USD

        2026-03-01 * "Acme Corp" "Payment for two invoices"
          Assets:Bank:Checking          3000.00 USD
          Assets:Receivable:Acme       -1000.00 USD
            invoice: "INV-2026-002"
          Assets:Receivable:Acme       -2000.00 USD
            invoice: "INV-2026-003"
    """))
    second, third = receivables.invoices["INV-2026-002"], receivables.invoices["INV-2026-003"]
    assert [(a.kind, a.amount) for a in second.applications] == [
        (ApplicationKind.PAYMENT, Decimal("-1000.00"))]
    assert [(a.kind, a.amount) for a in third.applications] == [
        (ApplicationKind.PAYMENT, Decimal("-2000.00"))]
    assert (second.open_amount(), third.open_amount()) == (Decimal("0.00"), Decimal("500.00"))
    assert (second.status(D(2026, 3, 1)), third.status(D(2026, 3, 1))) == (
        Status.PAID, Status.OVERDUE)
    assert receivables.unapplied == ()


def test_posting_invoice_metadata_wins_over_the_link(ledger: Ledger) -> None:
    receivables = build(ledger("""
        2026-01-05 * "Acme Corp" "First" ^INV-2026-001 #invoice
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD

        2026-01-06 * "Acme Corp" "Second" ^INV-2026-002 #invoice
          Assets:Receivable:Acme         500.00 USD
          Income:Consulting             -500.00 USD

        2026-02-01 * "Acme Corp" "Paid, linked to the first" ^INV-2026-001
          Assets:Bank:Checking           900.00 USD
          Assets:Receivable:Acme        -400.00 USD
          Assets:Receivable:Acme        -500.00 USD
            invoice: "INV-2026-002"
    """))
    first, second = receivables.invoices["INV-2026-001"], receivables.invoices["INV-2026-002"]
    assert (first.open_amount(), second.open_amount()) == (Decimal("600.00"), Decimal("0.00"))


def test_on_account_posting_with_a_link_belongs_to_no_invoice(ledger: Ledger) -> None:
    receivables = build(ledger("""
        2026-01-05 * "Acme Corp" "First" ^INV-2026-001 #invoice
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD

        2026-02-01 * "Acme Corp" "Prepayment, mentions the invoice" ^INV-2026-001 #on-account
          Assets:Bank:Checking           300.00 USD
          Assets:Receivable:Acme        -300.00 USD
    """))
    assert receivables.invoices["INV-2026-001"].open_amount() == Decimal("1000.00")
    assert [(a.kind, a.amount, a.invoice) for a in receivables.unapplied] == [
        (ApplicationKind.ON_ACCOUNT, Decimal("-300.00"), None)]


# --- On-account credit ------------------------------------------------------------------------

UMBRELLA = CustomerSpec("umbrella", "Umbrella Corp", "Assets:Receivable:Umbrella", "net 30")

ON_ACCOUNT = """
    2026-04-01 * "Umbrella Corp" "Prepayment" #on-account
      Assets:Bank:Checking           700.00 USD
      Assets:Receivable:Umbrella    -700.00 USD

    2026-06-20 * "Umbrella Corp" "Consulting, June" ^INV-1009 #invoice
      Assets:Receivable:Umbrella     500.00 USD
      Income:Consulting             -500.00 USD

    2026-07-01 * "Umbrella Corp" "Apply prepayment to INV-1009" #on-account
      Assets:Receivable:Umbrella     300.00 USD
      Assets:Receivable:Umbrella    -300.00 USD
        invoice: "INV-1009"

    2026-08-01 * "Umbrella Corp" "Refund part of the prepayment" #on-account
      Assets:Bank:Checking          -100.00 USD
      Assets:Receivable:Umbrella     100.00 USD
"""


def unapplied_credit(
    receivables: Receivables, customer: str, as_of: datetime.date | None = None
) -> Decimal:
    return sum((a.amount for a in receivables.unapplied
                if a.customer == customer and (as_of is None or a.date <= as_of)), Decimal(0))


def test_on_account_credit_and_its_application(ledger: Ledger) -> None:
    receivables = build(ledger(ON_ACCOUNT, customers=(UMBRELLA,)))
    invoice = receivables.invoices["INV-1009"]
    assert [(a.date, a.kind, a.amount, a.is_cash) for a in invoice.applications] == [
        (D(2026, 7, 1), ApplicationKind.CREDIT_APPLIED, Decimal("-300.00"), False)]
    assert invoice.open_amount() == Decimal("200.00")
    assert [(a.date, a.kind, a.amount, a.invoice, a.is_cash)
            for a in receivables.unapplied] == [
        (D(2026, 4, 1), ApplicationKind.ON_ACCOUNT, Decimal("-700.00"), None, True),
        (D(2026, 7, 1), ApplicationKind.ON_ACCOUNT, Decimal("300.00"), None, False),
        (D(2026, 8, 1), ApplicationKind.ON_ACCOUNT, Decimal("100.00"), None, False),
    ]


@pytest.mark.parametrize(("as_of", "credit"), [
    (D(2026, 3, 31), Decimal(0)),
    (D(2026, 4, 1), Decimal("-700.00")),
    (D(2026, 7, 1), Decimal("-400.00")),
    (D(2026, 8, 1), Decimal("-300.00")),
])
def test_unapplied_credit_as_of(ledger: Ledger, as_of: datetime.date, credit: Decimal) -> None:
    receivables = build(ledger(ON_ACCOUNT, customers=(UMBRELLA,)))
    assert unapplied_credit(receivables, "umbrella", as_of) == credit


# --- Status and dunning ---------------------------------------------------------------------------

EVENTS = """
    2026-01-05 * "Acme Corp" "Consulting, January" ^INV-2026-001 #invoice
      Assets:Receivable:Acme        1000.00 USD
      Income:Consulting            -1000.00 USD

    2026-02-12 custom "ar-dispute"  "INV-2026-001" "Hours disputed"
    2026-02-20 custom "ar-resolve"  "INV-2026-001"
    2026-03-15 custom "ar-dunning"  "INV-2026-001" 1
    2026-04-15 custom "ar-dunning"  "INV-2026-001" 2
    2026-05-01 custom "ar-escalate" "INV-2026-001" "agency"
    2026-05-10 custom "ar-dispute"  "INV-2026-001" "Disputed once in collections"
    2026-06-01 custom "ar-escalate" "INV-2026-001" "legal"

    2026-07-01 * "Acme Corp" "Paid at last" ^INV-2026-001
      Assets:Bank:Checking          1000.00 USD
      Assets:Receivable:Acme       -1000.00 USD

    2026-01-20 * "Globex Inc" "Consulting" ^INV-2026-002 #invoice
      Assets:Receivable:Globex       500.00 USD
      Income:Consulting             -500.00 USD

    2026-01-25 custom "ar-dispute"  "INV-2026-002" "Wrong rate"
    2026-03-01 custom "ar-escalate" "INV-2026-002" "legal"
"""


@pytest.mark.parametrize(("as_of", "status"), [
    (D(2026, 1, 5), Status.OPEN),
    (D(2026, 2, 4), Status.OPEN),  # due today is not yet overdue
    (D(2026, 2, 5), Status.OVERDUE),
    (D(2026, 2, 12), Status.DISPUTED),
    (D(2026, 2, 19), Status.DISPUTED),
    (D(2026, 2, 20), Status.OVERDUE),  # dispute resolved: back to overdue
    (D(2026, 4, 30), Status.OVERDUE),
    (D(2026, 5, 1), Status.COLLECTIONS),
    (D(2026, 5, 10), Status.COLLECTIONS),  # escalated and disputed
    (D(2026, 6, 30), Status.COLLECTIONS),
    (D(2026, 7, 1), Status.PAID),
])
def test_status(ledger: Ledger, as_of: datetime.date, status: Status) -> None:
    invoice = build(ledger(EVENTS)).invoices["INV-2026-001"]
    assert invoice.status(as_of) is status


@pytest.mark.parametrize(("as_of", "status"), [
    (D(2026, 1, 24), Status.OPEN),
    (D(2026, 1, 25), Status.DISPUTED),  # disputed before it falls due
    (D(2026, 2, 28), Status.DISPUTED),
    (D(2026, 3, 1), Status.COLLECTIONS),  # disputed, then escalated
])
def test_status_disputed_then_escalated(
    ledger: Ledger, as_of: datetime.date, status: Status
) -> None:
    invoice = build(ledger(EVENTS)).invoices["INV-2026-002"]
    assert invoice.status(as_of) is status


def test_dispute_escalation_and_days_overdue(ledger: Ledger) -> None:
    invoice = build(ledger(EVENTS)).invoices["INV-2026-001"]
    assert [invoice.is_disputed(d) for d in (D(2026, 2, 11), D(2026, 2, 12), D(2026, 2, 20),
                                             D(2026, 5, 10))] == [False, True, False, True]
    assert [invoice.escalation(d) for d in (D(2026, 4, 30), D(2026, 5, 1), D(2026, 6, 1))] == [
        None, "agency", "legal"]
    assert [invoice.days_overdue(d) for d in (D(2026, 1, 5), D(2026, 2, 4), D(2026, 2, 5),
                                              D(2026, 3, 6))] == [0, 0, 1, 30]


@pytest.mark.parametrize(("as_of", "level"), [
    (D(2026, 3, 14), 0),
    (D(2026, 3, 15), 1),
    (D(2026, 4, 14), 1),
    (D(2026, 4, 15), 2),
    (D(2026, 12, 31), 2),
])
def test_dunning_level(ledger: Ledger, as_of: datetime.date, level: int) -> None:
    invoice = build(ledger(EVENTS)).invoices["INV-2026-001"]
    assert invoice.dunning_level(as_of) == level


def test_events_are_kept_in_date_order(ledger: Ledger) -> None:
    invoice = build(ledger(EVENTS)).invoices["INV-2026-001"]
    assert [(e.date, e.kind.value, e.detail, e.level) for e in invoice.events] == [
        (D(2026, 2, 12), "ar-dispute", "Hours disputed", None),
        (D(2026, 2, 20), "ar-resolve", "", None),
        (D(2026, 3, 15), "ar-dunning", "", 1),
        (D(2026, 4, 15), "ar-dunning", "", 2),
        (D(2026, 5, 1), "ar-escalate", "agency", None),
        (D(2026, 5, 10), "ar-dispute", "Disputed once in collections", None),
        (D(2026, 6, 1), "ar-escalate", "legal", None),
    ]


# --- Customers ------------------------------------------------------------------------------------

def test_customer_at_date(ledger: Ledger) -> None:
    receivables = build(ledger("""
        2026-03-01 custom "ar-customer" "acme"
          terms: "net 60"
          credit-limit: 5000.00 USD
          collector: "jana"
    """, customers=(CustomerSpec("acme", "Acme Corp", "Assets:Receivable:Acme", "net 30",
                                 credit_limit="1000.00 USD"), GLOBEX)))
    acme = receivables.customers["acme"]
    assert (acme.id, acme.name) == ("acme", "Acme Corp")
    assert [v.date for v in acme.versions] == [D(2026, 1, 1), D(2026, 3, 1)]
    before_first, old, new = acme.at(D(2025, 6, 1)), acme.at(D(2026, 2, 28)), acme.at(
        D(2026, 3, 1))
    assert before_first == old == acme.versions[0]
    assert new == acme.versions[1] == acme.current
    assert old.credit_limit is not None  # narrows CreditLimit | None for mypy
    assert new.credit_limit is not None
    assert (old.terms, old.credit_limit.number, old.collector) == (
        parse_terms("net 30"), Decimal("1000.00"), None)
    assert (new.terms, new.credit_limit.number, new.credit_limit.currency, new.collector) == (
        parse_terms("net 60"), Decimal("5000.00"), USD, "jana")
    assert (new.name, new.account) == ("Acme Corp", "Assets:Receivable:Acme")
    assert acme.at(D(2027, 1, 1)) == new


def test_customer_of_account(ledger: Ledger) -> None:
    receivables = build(ledger("", accounts=("Assets:Receivable:Acme:Old",)))
    assert receivables.customer_of("Assets:Receivable:Acme") == "acme"
    assert receivables.customer_of("Assets:Receivable:Acme:Old") == "acme"
    assert receivables.customer_of("Assets:Receivable:Globex") == "globex"
    assert receivables.customer_of("Assets:Receivable:Initech") is None
    assert receivables.customer_of("Assets:Bank:Checking") is None


# --- Never raises ---------------------------------------------------------------------------------

def _odd_entries(meta: data.Meta) -> list[data.Directive]:
    day = D(2026, 1, 10)
    return [
        data.Transaction(
            meta, day, "*", "Acme Corp", "Invoice without units", frozenset({"invoice"}),
            frozenset({"INV-2026-077"}), [
                data.Posting("Assets:Receivable:Acme", None, None, None, None, None),
                data.Posting("Income:Consulting", None, None, None, None, {}),
            ]),
        data.Transaction(
            meta, day, "*", None, "Payment without units", frozenset(), frozenset(), [
                data.Posting("Assets:Receivable:Acme", None, None, None, None, None),
                # Beancount's Amount.number field is Optional[Decimal] (it builds
                # Amount(None, ...) itself), but its __new__ is annotated `number: Decimal`.
                data.Posting("Assets:Receivable:Acme",
                             Amount(None, USD),  # type: ignore[arg-type]
                             None, None, None, None),
            ]),
        data.Custom(meta, day, "ar-customer", []),
        data.Custom(meta, day, "ar-customer", [ValueType(Decimal(12), Decimal)]),
        data.Custom(meta, day, "ar-dunning", []),
        data.Custom(meta, day, "ar-escalate", [ValueType(Decimal(3), Decimal)]),
        data.Transaction(
            meta, day, "*", "Acme Corp", "Payment for invoice 12", frozenset(), frozenset(), [
                data.Posting("Assets:Bank:Checking", Amount(Decimal(5), USD), None, None,
                             None, None),
                data.Posting("Assets:Receivable:Acme", Amount(Decimal(-5), USD), None, None,
                             None, {**meta, "invoice": Decimal(12)}),
            ]),
    ]


def test_build_receivables_never_raises_on_odd_entries(ledger: Ledger) -> None:
    loaded = ledger("""
        2026-01-05 * "Acme Corp" "Consulting" ^INV-2026-001 #invoice
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD
    """)
    meta = data.new_metadata("odd.beancount", 7)
    entries = sorted([*loaded.entries, *_odd_entries(meta)], key=data.entry_sortkey)
    receivables, errors = build_receivables(entries, ARConfig())
    assert codes(errors) == {"AR001", "AR102", "AR202", "AR501"}
    odd = [e for e in errors if e.source["filename"] == "odd.beancount"]
    assert len(odd) == len(errors)
    assert all(e.source["lineno"] == 7 for e in errors)
    # The rest of the ledger is still read.
    assert set(receivables.invoices) == {"INV-2026-001"}
    assert set(receivables.customers) == {"acme", "globex"}


def test_build_receivables_never_raises_on_entries_without_location() -> None:
    entries = _odd_entries({})
    receivables, errors = build_receivables(entries, ARConfig())
    assert codes(errors) <= {"AR000", "AR001", "AR002", "AR102", "AR202", "AR501"}
    assert errors
    assert receivables.invoices == {}
