"""Contract section 6: each error code, from a ledger snippet, through Beancount's loader.

Every case loads a snippet after the standard header (see conftest.py) with
`plugin "beancount_ar"` and checks: the exact set of codes, the file and line
of the entry at fault (the entry's own line, or the offending posting or
metadata line inside it), that the message names the invoice or customer, and
that it says how to fix the problem.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from beancount.parser import printer
from conftest import GLOBEX, CustomerSpec, codes

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Loaded

    Ledger = Callable[..., Loaded]

# Beancount ships py.typed but leaves `printer.format_error` unannotated; give it its type here.
format_error: Callable[[Any], str] = printer.format_error

# Indented like the snippets it is prepended to, so that the two dedent together.
INVOICE_1 = """
        2026-01-05 * "Acme Corp" "Consulting, January" ^INV-2026-001 #invoice
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD
"""

ACME_TERMS = ("acme", "Acme Corp", "Assets:Receivable:Acme")
INITECH = ("Assets:Receivable:Initech",)


@dataclass(frozen=True)
class Case:
    """A snippet and the one error it must raise."""

    snippet: str
    code: str
    at: tuple[str, ...]  # markers of the lines the error may point at
    names: tuple[str, ...]  # the message names one of these (invoice number, customer)
    fix: str  # regex (case-insensitive): the part of the message that says how to fix it
    codes: frozenset[str] | None = None  # every code of the load; default {code}
    count: int = 1
    options: dict[str, Any] = field(default_factory=dict)  # header options


def check_case(ledger: Ledger, case: Case) -> None:
    loaded = ledger(case.snippet, **case.options)
    assert loaded.codes == (case.codes or {case.code}), [e.message for e in loaded.errors]
    errors = [e for e in loaded.errors if e.message.startswith(case.code + " ")]
    assert len(errors) == case.count, [e.message for e in errors]
    lines = {loaded.line(marker) for marker in case.at}
    for error in errors:
        assert error.source["filename"] == loaded.path
        assert error.source["lineno"] in lines, (error.source, lines, error.message)
        assert any(name in error.message for name in case.names), (case.names, error.message)
        assert re.search(case.fix, error.message, re.IGNORECASE), (case.fix, error.message)


# --- AR001: customer directive invalid ---------------------------------------------------

AR001_CASES = [
    pytest.param(Case(
        """
        2026-01-01 custom "ar-customer" "initech"
          account: Assets:Receivable:Initech
        """,
        "AR001", ('"ar-customer" "initech"',), ("initech",), r"name:",
        options={"accounts": INITECH},
    ), id="missing-name"),
    pytest.param(Case(
        """
        2026-01-01 custom "ar-customer" "initech"
          name: "Initech"
        """,
        "AR001", ('"ar-customer" "initech"',), ("initech",), r"account:",
    ), id="missing-account"),
    pytest.param(Case(
        """
        2026-01-01 custom "ar-customer" "initech"
          name: "Initech"
          account: Assets:Bank:Checking
        """,
        "AR001", ('"ar-customer" "initech"', "account: Assets:Bank"), ("initech",),
        r"Assets:Receivable",
    ), id="account-not-under-root"),
    pytest.param(Case(
        """
        2026-01-01 custom "ar-customer" "initech"
          name: "Initech"
          account: Assets:Receivable:Acme
        """,
        "AR001", ('"ar-customer" "initech"',), ("initech",),
        r"own account|another account|different account",
    ), id="account-of-another-customer"),
    pytest.param(Case(
        """
        2026-01-01 custom "ar-customer" "initech"
          name: "Initech"
          account: Assets:Receivable:Initech
          terms: "whenever"
        """,
        "AR001", ('"ar-customer" "initech"', 'terms: "whenever"'), ("initech",), r"net \d|net N",
        options={"accounts": INITECH},
    ), id="unknown-terms"),
    pytest.param(Case(
        """
        2026-01-01 custom "ar-customer" "initech"
          name: "Initech"
          account: Assets:Receivable:Initech
          credit-limit: "lots"
        """,
        "AR001", ('"ar-customer" "initech"', 'credit-limit: "lots"'), ("initech",),
        r"amount|\d+\.\d+ [A-Z]{3}", options={"accounts": INITECH},
    ), id="credit-limit-not-an-amount"),
    pytest.param(Case(
        """
        2026-01-01 custom "ar-customer" "initech"
          name: "Initech"
          account: Assets:Receivable:Initech
          credit-limit: -5.00 USD
        """,
        "AR001", ('"ar-customer" "initech"', "credit-limit: -5.00 USD"), ("initech",),
        r"amount|\d+\.\d+ [A-Z]{3}", options={"accounts": INITECH},
    ), id="credit-limit-negative"),
]


@pytest.mark.parametrize("case", AR001_CASES)
def test_ar001_customer_directive_invalid(ledger: Ledger, case: Case) -> None:
    check_case(ledger, case)


# --- AR002: receivable account with no customer ------------------------------------------

AR002_CASES = [
    pytest.param(Case(
        """
        2026-01-05 * "Initech" "Consulting for Initech" ^INV-2026-010 #invoice
          Assets:Receivable:Initech     1000.00 USD
          Income:Consulting            -1000.00 USD
        """,
        "AR002", ("Consulting for Initech", "Assets:Receivable:Initech     1000.00"),
        ("Assets:Receivable:Initech", "INV-2026-010"), r"ar-customer",
        options={"accounts": INITECH},
    ), id="invoice"),
    pytest.param(Case(
        """
        2026-02-01 * "Initech" "Initech pays"
          Assets:Bank:Checking           500.00 USD
          Assets:Receivable:Initech     -500.00 USD
        """,
        "AR002", ("Initech pays", "Assets:Receivable:Initech     -500.00"),
        ("Assets:Receivable:Initech",), r"ar-customer",
        options={"accounts": INITECH},
    ), id="payment"),
    pytest.param(Case(
        """
        2026-02-01 * "Someone" "Posted to the root itself"
          Assets:Bank:Checking           500.00 USD
          Assets:Receivable             -500.00 USD
        """,
        "AR002", ("Posted to the root itself", "Assets:Receivable             -500.00"),
        ("Assets:Receivable",), r"ar-customer",
        options={"accounts": ("Assets:Receivable",)},
    ), id="root-account"),
]


@pytest.mark.parametrize("case", AR002_CASES)
def test_ar002_receivable_account_without_customer(ledger: Ledger, case: Case) -> None:
    check_case(ledger, case)


# --- AR101-AR104: invoices --------------------------------------------------------------

def test_ar101_invoice_number_used_twice(ledger: Ledger) -> None:
    check_case(ledger, Case(
        INVOICE_1 + """
        2026-01-20 * "Acme Corp" "Consulting, again" ^INV-2026-001 #invoice
          Assets:Receivable:Acme      500.00 USD
          Income:Consulting          -500.00 USD
        """,
        "AR101", ("Consulting, again",), ("INV-2026-001",), r"new number|renumber|another",
    ))


AR102_CASES = [
    pytest.param(Case(
        """
        2026-01-05 * "Acme Corp" "Invoice without a number" #invoice
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD
        """,
        "AR102", ("Invoice without a number",), ACME_TERMS, r"link",
    ), id="no-link"),
    pytest.param(Case(
        """
        2026-01-05 * "Acme Corp" "Invoice with two numbers" ^INV-2026-001 ^INV-2026-002 #invoice
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD
        """,
        "AR102", ("Invoice with two numbers",), ("INV-2026-001", "INV-2026-002", *ACME_TERMS),
        r"one link",
    ), id="two-links"),
    pytest.param(Case(
        """
        2026-01-05 * "Acme Corp" "Invoice paid in cash" ^INV-2026-001 #invoice
          Assets:Bank:Checking       1000.00 USD
          Income:Consulting         -1000.00 USD
        """,
        "AR102", ("Invoice paid in cash",), ("INV-2026-001",), r"Assets:Receivable",
    ), id="no-receivable-posting"),
    pytest.param(Case(
        """
        2026-01-05 * "Acme Corp" "Negative invoice" ^INV-2026-001 #invoice
          Assets:Receivable:Acme    -1000.00 USD
          Income:Consulting          1000.00 USD
        """,
        "AR102", ("Negative invoice",), ("INV-2026-001",), r"positive",
    ), id="negative-amount"),
    pytest.param(Case(
        """
        2026-01-05 * "Acme Corp" "Invoice for two customers" ^INV-2026-001 #invoice
          Assets:Receivable:Acme      500.00 USD
          Assets:Receivable:Globex    500.00 USD
          Income:Consulting         -1000.00 USD
        """,
        "AR102", ("Invoice for two customers",), ("INV-2026-001",), r"one customer",
    ), id="two-customers"),
    pytest.param(Case(
        """
        2026-01-05 * "Acme Corp" "Invoice in two currencies" ^INV-2026-001 #invoice
          Assets:Receivable:Acme      500.00 USD
          Assets:Receivable:Acme      400.00 EUR
          Income:Consulting          -500.00 USD
          Income:Consulting          -400.00 EUR
        """,
        "AR102", ("Invoice in two currencies",), ("INV-2026-001",), r"one currency",
    ), id="two-currencies"),
]


@pytest.mark.parametrize("case", AR102_CASES)
def test_ar102_invoice_shape(ledger: Ledger, case: Case) -> None:
    check_case(ledger, case)


AR103_CASES = [
    pytest.param(Case(
        """
        2026-01-05 * "Acme Corp" "Due before issued" ^INV-2026-001 #invoice
          due: 2026-01-01
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD
        """,
        "AR103", ("Due before issued", "due: 2026-01-01"), ("INV-2026-001",),
        r"correct|change|on or after",
    ), id="due-before-date"),
    pytest.param(Case(
        """
        2026-01-05 * "Acme Corp" "Due is no date" ^INV-2026-001 #invoice
          due: "next week"
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD
        """,
        "AR103", ("Due is no date", 'due: "next week"'), ("INV-2026-001",),
        r"YYYY-MM-DD|\d{4}-\d\d-\d\d",
    ), id="due-not-a-date"),
    pytest.param(Case(
        """
        2026-01-05 * "Acme Corp" "Odd terms" ^INV-2026-001 #invoice
          terms: "whenever"
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD
        """,
        "AR103", ("Odd terms", 'terms: "whenever"'), ("INV-2026-001",), r"net \d|net N",
    ), id="unknown-terms"),
]


@pytest.mark.parametrize("case", AR103_CASES)
def test_ar103_invoice_due_or_terms(ledger: Ledger, case: Case) -> None:
    check_case(ledger, case)


SEQUENTIAL = {"config": {"numbering": "sequential"}}

SKIPPING_SERIES = """
    2026-01-05 * "Acme Corp" "First of the year" ^INV-2026-001 #invoice
      Assets:Receivable:Acme     1000.00 USD
      Income:Consulting         -1000.00 USD

    2026-01-20 * "Acme Corp" "Third, second never issued" ^INV-2026-003 #invoice
      Assets:Receivable:Acme      500.00 USD
      Income:Consulting          -500.00 USD
"""

AR104_CASES = [
    pytest.param(Case(
        SKIPPING_SERIES, "AR104", ("Third, second never issued",), ("INV-2026-003",),
        r"missing|renumber", options=SEQUENTIAL,
    ), id="skip"),
    pytest.param(Case(
        """
        2026-01-20 * "Acme Corp" "Number one, issued late" ^INV-2026-001 #invoice
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD

        2026-01-10 * "Globex Inc" "Number two, issued early" ^INV-2026-002 #invoice
          Assets:Receivable:Globex    500.00 USD
          Income:Consulting          -500.00 USD
        """,
        "AR104", ("Number one, issued late", "Number two, issued early"),
        ("INV-2026-001", "INV-2026-002"), r"date order|renumber|re-?date",
        options=SEQUENTIAL,
    ), id="out-of-date-order"),
    pytest.param(Case(
        """
        2026-01-05 * "Acme Corp" "Number one" ^INV-2026-001 #invoice
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD

        2026-01-10 * "Globex Inc" "Number one again, written short" ^INV-2026-1 #invoice
          Assets:Receivable:Globex    500.00 USD
          Income:Consulting          -500.00 USD
        """,
        "AR104", ('"Number one"', "Number one again"), ("INV-2026-001", "INV-2026-1"),
        r"next free number|renumber|new number", options=SEQUENTIAL,
    ), id="repeat"),
]


@pytest.mark.parametrize("case", AR104_CASES)
def test_ar104_numbering_sequential(ledger: Ledger, case: Case) -> None:
    check_case(ledger, case)


def test_ar104_not_raised_when_numbering_is_off(ledger: Ledger) -> None:
    assert ledger(SKIPPING_SERIES).codes == set()
    assert ledger(SKIPPING_SERIES, config={"numbering": "off"}).codes == set()


def test_ar104_each_year_is_its_own_series(ledger: Ledger) -> None:
    loaded = ledger("""
        2025-12-20 * "Acme Corp" "Last of 2025" ^INV-2025-117 #invoice
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD

        2026-01-05 * "Acme Corp" "First of 2026" ^INV-2026-001 #invoice
          Assets:Receivable:Acme      500.00 USD
          Income:Consulting          -500.00 USD

        2026-01-06 * "Globex Inc" "Second of 2026" ^INV-2026-002 #invoice
          Assets:Receivable:Globex    500.00 USD
          Income:Consulting          -500.00 USD
    """, **SEQUENTIAL)
    assert loaded.codes == set()


# --- AR201-AR207: payments, credit notes, write-offs -------------------------------------

AR201_CASES = [
    pytest.param(Case(
        INVOICE_1 + """
        2026-02-01 * "Acme Corp" "Payment, no reference"
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
        """,
        "AR201", ("Payment, no reference", "-400.00 USD"), ACME_TERMS,
        r"on-account|invoice:|link",
    ), id="no-link"),
    pytest.param(Case(
        INVOICE_1 + """
        2026-01-06 * "Acme Corp" "Second invoice" ^INV-2026-002 #invoice
          Assets:Receivable:Acme      500.00 USD
          Income:Consulting          -500.00 USD

        2026-02-01 * "Acme Corp" "Payment, two references" ^INV-2026-001 ^INV-2026-002
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
        """,
        "AR201", ("Payment, two references", "-400.00 USD"), ACME_TERMS,
        r"invoice:",
    ), id="two-links-no-invoice-metadata"),
]


@pytest.mark.parametrize("case", AR201_CASES)
def test_ar201_applied_to_no_invoice(ledger: Ledger, case: Case) -> None:
    check_case(ledger, case)


AR202_CASES = [
    pytest.param(Case(
        INVOICE_1 + """
        2026-02-01 * "Acme Corp" "Payment for a typo" ^INV-2026-999
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
        """,
        "AR202", ("Payment for a typo", "-400.00 USD"), ("INV-2026-999",),
        r"correct|link|invoice:",
    ), id="link"),
    pytest.param(Case(
        INVOICE_1 + """
        2026-02-01 * "Acme Corp" "Payment, metadata typo"
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
            invoice: "INV-2026-998"
        """,
        "AR202", ("Payment, metadata typo", "-400.00 USD", 'invoice: "INV-2026-998"'),
        ("INV-2026-998",), r"correct|link|invoice:",
    ), id="posting-metadata"),
]


@pytest.mark.parametrize("case", AR202_CASES)
def test_ar202_unknown_invoice(ledger: Ledger, case: Case) -> None:
    check_case(ledger, case)


AR203_CASES = [
    pytest.param(Case(
        INVOICE_1 + """
        2026-02-01 * "Acme Corp" "Paid too much" ^INV-2026-001
          Assets:Bank:Checking       1200.00 USD
          Assets:Receivable:Acme    -1200.00 USD
        """,
        "AR203", ("Paid too much", "-1200.00 USD"), ("INV-2026-001",),
        r"on-account|split|lower|reduce",
    ), id="one-payment"),
    pytest.param(Case(
        INVOICE_1 + """
        2026-02-01 * "Acme Corp" "Paid half" ^INV-2026-001
          Assets:Bank:Checking        600.00 USD
          Assets:Receivable:Acme     -600.00 USD

        2026-02-15 * "Acme Corp" "Paid the half again" ^INV-2026-001
          Assets:Bank:Checking        600.00 USD
          Assets:Receivable:Acme     -600.00 USD
        """,
        "AR203", ("Paid the half again",), ("INV-2026-001",), r"on-account|split|lower|reduce",
    ), id="second-payment"),
    pytest.param(Case(
        INVOICE_1 + """
        2026-02-01 * "Acme Corp" "Paid in full" ^INV-2026-001
          Assets:Bank:Checking       1000.00 USD
          Assets:Receivable:Acme    -1000.00 USD

        2026-02-10 * "Acme Corp" "Credit note after payment" ^INV-2026-001 #credit-note
          Assets:Receivable:Acme     -100.00 USD
          Income:Consulting           100.00 USD
        """,
        "AR203", ("Credit note after payment", "-100.00 USD"), ("INV-2026-001",),
        r"on-account|split|lower|reduce",
    ), id="credit-note-on-paid-invoice"),
]


@pytest.mark.parametrize("case", AR203_CASES)
def test_ar203_over_payment(ledger: Ledger, case: Case) -> None:
    check_case(ledger, case)


def test_ar204_other_currency(ledger: Ledger) -> None:
    check_case(ledger, Case(
        INVOICE_1 + """
        2026-02-01 * "Acme Corp" "Paid in euros" ^INV-2026-001
          Assets:Bank:Checking        920.00 EUR
          Assets:Receivable:Acme     -920.00 EUR
        """,
        "AR204", ("Paid in euros", "-920.00 EUR"), ("INV-2026-001",), r"in USD",
    ))


def test_ar205_other_customers_account(ledger: Ledger) -> None:
    check_case(ledger, Case(
        INVOICE_1 + """
        2026-02-01 * "Acme Corp" "Paid into the wrong account" ^INV-2026-001
          Assets:Bank:Checking          1000.00 USD
          Assets:Receivable:Globex     -1000.00 USD
        """,
        "AR205", ("Paid into the wrong account", "Assets:Receivable:Globex     -1000.00"),
        ("INV-2026-001",), r"Assets:Receivable:Acme",
    ))


def test_ar206_dated_before_invoice(ledger: Ledger) -> None:
    check_case(ledger, Case(
        INVOICE_1 + """
        2026-01-02 * "Acme Corp" "Paid before invoiced" ^INV-2026-001
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
        """,
        "AR206", ("Paid before invoiced", "-400.00 USD"), ("INV-2026-001",),
        r"on or after|date it|re-?date",
    ))


AR207_CASES = [
    pytest.param(Case(
        INVOICE_1 + """
        2026-01-10 * "Acme Corp" "Prepayment" #on-account
          Assets:Bank:Checking        100.00 USD
          Assets:Receivable:Acme     -100.00 USD

        2026-01-20 * "Acme Corp" "Apply more credit than there is" #on-account
          Assets:Receivable:Acme      300.00 USD
          Assets:Receivable:Acme     -300.00 USD
            invoice: "INV-2026-001"
        """,
        "AR207", ("Apply more credit than there is", "Assets:Receivable:Acme      300.00"),
        ACME_TERMS, r"lower|record|prepayment",
    ), id="application"),
    pytest.param(Case(
        """
        2026-01-10 * "Acme Corp" "Prepayment" #on-account
          Assets:Bank:Checking        100.00 USD
          Assets:Receivable:Acme     -100.00 USD

        2026-01-20 * "Acme Corp" "Refund more than prepaid" #on-account
          Assets:Bank:Checking       -300.00 USD
          Assets:Receivable:Acme      300.00 USD
        """,
        "AR207", ("Refund more than prepaid", "Assets:Receivable:Acme      300.00"),
        ACME_TERMS, r"lower|record|prepayment",
    ), id="refund"),
]


@pytest.mark.parametrize("case", AR207_CASES)
def test_ar207_more_credit_used_than_unapplied(ledger: Ledger, case: Case) -> None:
    check_case(ledger, case)


# --- AR301: credit limits ------------------------------------------------------------------

LIMITED = (CustomerSpec("acme", "Acme Corp", "Assets:Receivable:Acme", "net 30",
                        credit_limit="1000.00 USD"), GLOBEX)

TWO_INVOICES_OVER_LIMIT = """
    2026-01-05 * "Acme Corp" "Within the limit" ^INV-2026-001 #invoice
      Assets:Receivable:Acme      600.00 USD
      Income:Consulting          -600.00 USD

    2026-01-20 * "Acme Corp" "Over the limit" ^INV-2026-002 #invoice
      Assets:Receivable:Acme      600.00 USD
      Income:Consulting          -600.00 USD
"""

AR301_CASES = [
    pytest.param(Case(
        TWO_INVOICES_OVER_LIMIT, "AR301", ("Over the limit",), ("INV-2026-002",),
        r"raise the limit|collect|credit-limit", options={"customers": LIMITED},
    ), id="second-invoice-over"),
    pytest.param(Case(
        """
        2026-01-05 * "Acme Corp" "One big invoice" ^INV-2026-001 #invoice
          Assets:Receivable:Acme     1500.00 USD
          Income:Consulting         -1500.00 USD
        """,
        "AR301", ("One big invoice",), ("INV-2026-001",),
        r"raise the limit|collect|credit-limit", options={"customers": LIMITED},
    ), id="one-invoice-over"),
    pytest.param(Case(
        """
        2026-01-05 * "Acme Corp" "Before the new line" ^INV-2026-001 #invoice
          Assets:Receivable:Acme     1500.00 USD
          Income:Consulting         -1500.00 USD

        2026-01-15 custom "ar-customer" "acme"
          credit-limit: 5000.00 USD
        """,
        "AR301", ("Before the new line",), ("INV-2026-001",),
        r"raise the limit|collect|credit-limit", options={"customers": LIMITED},
    ), id="increase-is-not-retroactive"),
]


@pytest.mark.parametrize("case", AR301_CASES)
def test_ar301_over_credit_limit(ledger: Ledger, case: Case) -> None:
    check_case(ledger, case)


AR301_CLEAN = [
    pytest.param(TWO_INVOICES_OVER_LIMIT,
                 {"customers": LIMITED, "config": {"credit_limit": "off"}}, id="check-off"),
    pytest.param("""
        2026-01-05 * "Acme Corp" "Within the limit" ^INV-2026-001 #invoice
          Assets:Receivable:Acme      600.00 USD
          Income:Consulting          -600.00 USD

        2026-01-15 custom "ar-customer" "acme"
          credit-limit: 5000.00 USD

        2026-01-20 * "Acme Corp" "Within the new limit" ^INV-2026-002 #invoice
          Assets:Receivable:Acme      600.00 USD
          Income:Consulting          -600.00 USD
    """, {"customers": LIMITED}, id="dated-increase-lifts-it"),
    pytest.param(TWO_INVOICES_OVER_LIMIT, {"customers": (
        CustomerSpec("acme", "Acme Corp", "Assets:Receivable:Acme", "net 30",
                     credit_limit="1000.00 EUR"), GLOBEX)}, id="limit-in-other-currency"),
    pytest.param(INVOICE_1.replace("1000.00", "600.00") + """
        2026-01-10 * "Acme Corp" "Paid" ^INV-2026-001
          Assets:Bank:Checking        600.00 USD
          Assets:Receivable:Acme     -600.00 USD

        2026-01-20 * "Acme Corp" "Second, first paid" ^INV-2026-002 #invoice
          Assets:Receivable:Acme      600.00 USD
          Income:Consulting          -600.00 USD
    """, {"customers": LIMITED}, id="paid-invoices-do-not-count"),
    pytest.param("""
        2026-01-02 * "Acme Corp" "Prepayment" #on-account
          Assets:Bank:Checking        500.00 USD
          Assets:Receivable:Acme     -500.00 USD

        2026-01-05 * "Acme Corp" "Covered by prepayment" ^INV-2026-001 #invoice
          Assets:Receivable:Acme     1200.00 USD
          Income:Consulting         -1200.00 USD
    """, {"customers": LIMITED}, id="unapplied-credit-counts"),
]


@pytest.mark.parametrize(("snippet", "options"), AR301_CLEAN)
def test_ar301_not_raised(ledger: Ledger, snippet: str, options: dict[str, Any]) -> None:
    assert ledger(snippet, **options).codes == set()


# --- AR401: card numbers --------------------------------------------------------------------

CARD = "4111 1111 1111 1111"
CARD_DIGITS = CARD.replace(" ", "")
MASKED_SPACED = "**** **** **** 1111"
MASKED_DIGITS = "************1111"

AR401_CASES = [
    pytest.param(f"""
        2026-02-01 * "Acme Corp" "Paid by card {CARD}" ^INV-2026-001
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
    """, "Paid by card", MASKED_SPACED, id="narration"),
    pytest.param(f"""
        2026-02-01 * "Card {CARD}" "Paid by card" ^INV-2026-001
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
    """, "Paid by card", MASKED_SPACED, id="payee"),
    pytest.param(f"""
        2026-02-01 * "Acme Corp" "Paid by card" ^INV-2026-001
          card: "{CARD}"
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
    """, "Paid by card", MASKED_SPACED, id="entry-metadata"),
    pytest.param(f"""
        2026-02-01 * "Acme Corp" "Paid by card" ^INV-2026-001
          Assets:Bank:Checking        400.00 USD
            reference: "charged to {CARD.replace(" ", "-")}"
          Assets:Receivable:Acme     -400.00 USD
    """, "Paid by card", "****-****-****-1111", id="posting-metadata"),
    pytest.param(f"""
        2026-02-01 custom "card-on-file" "acme" "{CARD}"
    """, "card-on-file", MASKED_SPACED, id="custom-value"),
    pytest.param(f"""
        2026-02-01 * "Acme Corp" "Paid by card" ^INV-2026-001
          card: {CARD_DIGITS}
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
    """, "Paid by card", MASKED_DIGITS, id="number-metadata"),
    pytest.param(f"""
        2026-02-01 custom "card-on-file" "acme" {CARD_DIGITS}
    """, "card-on-file", MASKED_DIGITS, id="number-custom-value"),
    # Beancount reads `4,111,111,111,111,111` as the number 4111111111111111.
    pytest.param("""
        2026-02-01 * "Acme Corp" "Paid by card" ^INV-2026-001
          card: 4,111,111,111,111,111
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
    """, "Paid by card", MASKED_DIGITS, id="number-metadata-with-thousands-separators"),
    pytest.param("""
        2026-02-01 custom "card-on-file" "acme" 4,111,111,111,111,111
    """, "card-on-file", MASKED_DIGITS, id="number-custom-value-with-thousands-separators"),
]


def _assert_no_card(text: str) -> None:
    assert CARD not in text
    assert CARD_DIGITS not in text
    assert CARD.replace(" ", "-") not in text


@pytest.mark.parametrize(("snippet", "marker", "masked"), AR401_CASES)
def test_ar401_card_number(ledger: Ledger, snippet: str, marker: str, masked: str) -> None:
    loaded = ledger(INVOICE_1 + snippet)
    assert loaded.codes == {"AR401"}, [e.message for e in loaded.errors]
    (error,) = loaded.errors
    assert error.source["filename"] == loaded.path
    assert error.source["lineno"] == loaded.line(marker)
    assert masked in error.message
    assert re.search(r"remove|last four|last 4", error.message, re.IGNORECASE)
    # What bean-check prints: the message and the entry.
    printed = format_error(error)
    _assert_no_card(printed)
    assert masked in printed
    # What Fava shows: the entries the loader returns.
    _assert_no_card(repr(loaded.entries))
    _assert_no_card("\n".join(printer.format_entry(entry) for entry in loaded.entries))


def test_ar401_masks_the_entry_of_other_errors(ledger: Ledger) -> None:
    loaded = ledger(INVOICE_1 + f"""
        2026-02-01 * "Acme Corp" "Overpaid by card {CARD}" ^INV-2026-001
          Assets:Bank:Checking       1200.00 USD
          Assets:Receivable:Acme    -1200.00 USD
    """)
    assert loaded.codes == {"AR203", "AR401"}
    for error in loaded.errors:
        printed = format_error(error)
        _assert_no_card(printed)
        assert MASKED_SPACED in printed
    _assert_no_card(repr(loaded.entries))


def test_ar401_card_number_as_invoice_reference_is_masked_in_every_message(ledger: Ledger) -> None:
    loaded = ledger(INVOICE_1 + f"""
        2026-02-01 * "Acme Corp" "Paid, card as reference"
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
            invoice: "{CARD}"
    """)
    assert loaded.codes == {"AR202", "AR401"}
    for error in loaded.errors:
        _assert_no_card(format_error(error))
    _assert_no_card(repr(loaded.entries))


def test_ar401_card_numbers_plugin_alone(ledger: Ledger) -> None:
    loaded = ledger(INVOICE_1 + f"""
        2026-02-01 * "Acme Corp" "Paid by card {CARD}" ^INV-2026-001
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
    """, plugin="beancount_ar.plugins.card_numbers")
    assert loaded.codes == {"AR401"}
    (error,) = loaded.errors
    assert error.source["lineno"] == loaded.line("Paid by card")
    _assert_no_card(format_error(error))
    _assert_no_card(repr(loaded.entries))


def test_ar401_card_number_in_an_included_file(ledger: Ledger, tmp_path: Path) -> None:
    included = tmp_path / "payments.beancount"
    included.write_text(textwrap.dedent(f"""\
        2026-02-01 * "Acme Corp" "Paid by card {CARD}" ^INV-2026-001
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
    """), encoding="utf-8")
    loaded = ledger(INVOICE_1 + """
        include "payments.beancount"
    """)
    assert loaded.codes == {"AR401"}
    (error,) = loaded.errors
    assert (error.source["filename"], error.source["lineno"]) == (str(included), 1)
    _assert_no_card(format_error(error))
    _assert_no_card(repr(loaded.entries))


NOT_CARDS = [
    pytest.param('iban: "CZ65 0800 0000 1920 0014 5399"', id="iban-metadata"),
    pytest.param('iban: "CZ6508000000192000145399"', id="iban-compact"),
    pytest.param("paid-on: 2026-02-01", id="date"),
    pytest.param('reference: "2026-02-01 2026-02-28"', id="dates-in-text"),
    pytest.param('phone: "+420 777 123 456"', id="phone"),
    pytest.param('phone: "+1 (555) 123-4567 ext 89"', id="phone-us"),
    pytest.param('order: "4111 1111 1111"', id="twelve-digits"),
    pytest.param("order: 411111111111", id="twelve-digit-number"),
    pytest.param('reference: "4111 1111 1111 1112"', id="luhn-invalid"),
    pytest.param("reference: 4111111111111112", id="luhn-invalid-number"),
]


@pytest.mark.parametrize("metadata", NOT_CARDS)
def test_ar401_not_raised_for_other_numbers(ledger: Ledger, metadata: str) -> None:
    loaded = ledger(INVOICE_1 + f"""
        2026-02-01 * "Acme Corp" "Paid by transfer" ^INV-2026-001
          {metadata}
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
    """)
    assert loaded.codes == set()


def test_ar401_not_raised_for_iban_in_narration_and_company(ledger: Ledger) -> None:
    loaded = ledger(INVOICE_1 + """
        2026-01-01 custom "ar-company" "Seed Consulting s.r.o."
          iban: "CZ65 0800 0000 1920 0014 5399"
          tax-id: "CZ12345679"

        2026-02-01 * "Acme Corp" "From CZ65 0800 0000 1920 0014 5399, tel +420 777 123 456"
          Assets:Bank:Checking        400.00 USD
          Assets:Receivable:Acme     -400.00 USD
            invoice: "INV-2026-001"
    """)
    assert loaded.codes == set()


# --- AR501: status events ---------------------------------------------------------------------

AR501_CASES = [
    pytest.param(Case(
        INVOICE_1 + """
        2026-02-12 custom "ar-dispute" "INV-2026-404" "Hours disputed"
        """,
        "AR501", ('"ar-dispute"',), ("INV-2026-404",), r"correct|existing|known",
    ), id="unknown-invoice"),
    pytest.param(Case(
        INVOICE_1 + """
        2026-03-15 custom "ar-dunning" "INV-2026-001" 0
        """,
        "AR501", ('"ar-dunning"',), ("INV-2026-001",), r"positive|1, 2",
    ), id="dunning-level-0"),
    pytest.param(Case(
        INVOICE_1 + """
        2026-03-15 custom "ar-dunning" "INV-2026-001" 1.5
        """,
        "AR501", ('"ar-dunning"',), ("INV-2026-001",), r"whole|integer|1, 2",
    ), id="dunning-level-1.5"),
    pytest.param(Case(
        INVOICE_1 + """
        2026-06-01 custom "ar-escalate" "INV-2026-001" "police"
        """,
        "AR501", ('"ar-escalate"',), ("INV-2026-001",), r"agency.*legal",
    ), id="escalation-police"),
]


@pytest.mark.parametrize("case", AR501_CASES)
def test_ar501_status_event(ledger: Ledger, case: Case) -> None:
    check_case(ledger, case)


# --- AR000: the plugin's configuration ----------------------------------------------------------

AR000_CASES = [
    pytest.param("{'root': ", r"dict", id="not-a-literal"),
    pytest.param("['root']", r"dict", id="not-a-dict"),
    pytest.param("{'colour': 'red'}", r"root.*default_terms|default_terms.*root",
                 id="unknown-key"),
    pytest.param("{'credit_limit': 'warn'}", r"error.*off", id="bad-credit-limit"),
    pytest.param("{'default_terms': 'whenever'}", r"net \d|net N", id="bad-default-terms"),
    pytest.param("{'invoice_tag': '#inv'}", r"without its #: 'inv'", id="tag-with-hash"),
    pytest.param("{'invoice_tag': 'my invoice'}", r"is not a tag", id="tag-with-space"),
    pytest.param("{'root': 'assets:lower'}", r"'assets:lower' is not an account name",
                 id="root-not-an-account"),
]


@pytest.mark.parametrize(("config", "fix"), AR000_CASES)
def test_ar000_bad_configuration(ledger: Ledger, config: str, fix: str) -> None:
    loaded = ledger(INVOICE_1, config=config)
    assert loaded.codes == {"AR000"}, [e.message for e in loaded.errors]
    (error,) = loaded.errors
    assert error.source["filename"] == loaded.path
    assert "configuration" in error.message
    assert re.search(fix, error.message, re.IGNORECASE), error.message


@pytest.mark.parametrize(("config", "fix"), AR000_CASES)
def test_ar000_points_at_the_plugin_line(ledger: Ledger, config: str, fix: str) -> None:
    del fix
    loaded = ledger(INVOICE_1, config=config)
    (error,) = loaded.errors
    assert error.message.startswith("AR000 ")
    assert (error.source["filename"], error.source["lineno"]) == (
        loaded.path, loaded.line('plugin "beancount_ar"'))


def test_ar000_bad_configuration_still_checks_with_defaults(ledger: Ledger) -> None:
    loaded = ledger(INVOICE_1 + """
        2026-02-01 * "Acme Corp" "Paid too much" ^INV-2026-001
          Assets:Bank:Checking       1200.00 USD
          Assets:Receivable:Acme    -1200.00 USD
    """, config="{'colour': 'red'}")
    assert loaded.codes == {"AR000", "AR203"}


def test_standard_header_and_one_invoice_are_clean(ledger: Ledger) -> None:
    assert ledger(INVOICE_1).codes == set()


# --- Nothing ever raises out of a plugin ------------------------------------------------------

ODD_LEDGERS = [
    pytest.param("""
        9999-12-20 * "Acme Corp" "Due after the end of time" ^INV-9999-001 #invoice
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD
    """, id="due-date-overflows"),
    pytest.param("""
        2026-01-01 custom "ar-customer" "initech"
          name: 12
          account: "Assets:Receivable:Initech"
          terms: 30
          credit-limit: 1000
    """, id="customer-fields-of-the-wrong-type"),
    pytest.param('2026-01-01 custom "ar-customer" 42', id="customer-id-a-number"),
    pytest.param('2026-01-01 custom "ar-customer"', id="customer-without-values"),
    pytest.param('2026-01-01 custom "ar-dispute"', id="event-without-values"),
    pytest.param(INVOICE_1 + """
        2026-03-15 custom "ar-dunning" "INV-2026-001" 100000000000000000000000
    """, id="dunning-level-huge"),
    pytest.param('2026-01-01 custom "ar-escalate" 2026-01-01 Assets:Bank:Checking',
                 id="event-values-not-strings"),
    pytest.param(INVOICE_1 + """
        2026-03-15 custom "ar-dunning" "INV-2026-001" 1 USD
        2026-03-15 custom "ar-escalate" "INV-2026-001" TRUE
    """, id="event-values-of-the-wrong-type"),
    pytest.param("""
        2026-01-05 * "Acme Corp" "Due is a boolean" ^INV-2026-001 #invoice
          due: TRUE
          terms: 2026-02-01
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD

        2026-02-01 * "Acme Corp" "Odd invoice references"
          Assets:Bank:Checking        300.00 USD
          Assets:Receivable:Acme     -100.00 USD
            invoice: TRUE
          Assets:Receivable:Acme     -100.00 USD
            invoice: 2026-01-05
          Assets:Receivable:Acme     -100.00 USD
            invoice: Assets:Bank:Checking
    """, id="metadata-of-the-wrong-type"),
    pytest.param("""
        2026-01-05 * "Acme Corp" "Invoice at cost" ^INV-2026-001 #invoice
          Assets:Receivable:Acme     10 HOURS {100.00 USD}
          Income:Consulting         -1000.00 USD
    """, id="receivable-held-at-cost"),
    pytest.param("""
        2026-01-05 * "Acme Corp" "Odd lines" ^INV-2026-001 #invoice
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting          -500.00 USD
            quantity: "1e999"
            rate: TRUE
            description: 2026-01-01
          Income:Consulting          -500.00 USD
            quantity: 1 USD
            rate: "fifty"
            description:
          Income:Consulting             0 USD
            quantity: 99999999999999999999999999999999999999
            rate: 99999999999999999999999999999999999999.99 USD
    """, id="invoice-line-metadata-of-the-wrong-type"),
    pytest.param('2026-01-01 custom "ar-dipsute"\n2026-01-01 custom "ar-"',
                 id="unknown-directives-without-values"),
]


PLUGINS = ("beancount_ar", "beancount_ar.plugins.customers", "beancount_ar.plugins.invoices",
           "beancount_ar.plugins.payments", "beancount_ar.plugins.status_events",
           "beancount_ar.plugins.credit_limits", "beancount_ar.plugins.card_numbers")


def plugin_errors(ledger: Ledger, snippet: str, plugin: str) -> tuple[Loaded, list[Any]]:
    """The errors the plugin adds to what Beancount itself reports for `snippet`."""
    beancount_own = {e.message for e in ledger(snippet, plugin=None).errors}
    loaded = ledger(snippet, plugin=plugin)
    return loaded, [e for e in loaded.errors if e.message not in beancount_own]


@pytest.mark.parametrize("snippet", ODD_LEDGERS)
@pytest.mark.parametrize("plugin", PLUGINS)
def test_plugins_never_raise(ledger: Ledger, snippet: str, plugin: str) -> None:
    loaded, errors = plugin_errors(ledger, snippet, plugin)
    # Every error is one of ours: a plugin's exception is Beancount's "Error applying plugin".
    assert all(re.match(r"AR\d{3} ", e.message) for e in errors), [e.message for e in errors]
    for error in errors:
        assert error.source["filename"] == loaded.path, error


def test_ar501_event_without_values_and_the_other_checks_still_run(ledger: Ledger) -> None:
    # Beancount reads `custom "ar-dispute"` with values None (and trips over it itself).
    snippet = INVOICE_1 + """
        2026-02-01 * "Acme Corp" "Paid too much" ^INV-2026-001
          Assets:Bank:Checking       1200.00 USD
          Assets:Receivable:Acme    -1200.00 USD

        2026-03-01 custom "ar-dispute"
    """
    loaded, errors = plugin_errors(ledger, snippet, "beancount_ar")
    assert codes(errors) == {"AR203", "AR501"}, [e.message for e in errors]
    (error,) = [e for e in errors if e.message.startswith("AR501 ")]
    assert error.source["lineno"] == loaded.line('custom "ar-dispute"')
