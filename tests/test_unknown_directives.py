"""Contract section 6: typos are errors, and messages say in words what was written.

- AR502: a `custom "ar-..."` directive the contract does not define names the
  closest directive it does define.
- AR202 on a transaction tagged close to the invoice tag asks whether the tag
  was meant.
- No message shows a Python repr (`Decimal('0')`, `None`): values read as the
  ledger writes them.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

import pytest
from conftest import codes

from beancount_ar.core.build import build_receivables
from beancount_ar.core.config import ARConfig
from beancount_ar.core.directives import DIRECTIVES
from beancount_ar.core.model import EventKind

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Loaded

    Ledger = Callable[..., Loaded]

INVOICE_1 = """
        2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme     100.00 USD
          Income:Consulting         -100.00 USD
"""


# --- AR502: unknown ar- directives ---------------------------------------------------------

@pytest.mark.parametrize(("written", "meant"), [
    ("ar-dipsute", "ar-dispute"),
    ("ar-dunnig", "ar-dunning"),
    ("ar-costumer", "ar-customer"),
    ("ar-resolved", "ar-resolve"),
    ("ar-escalation", "ar-escalate"),
    ("ar-dunning-polcy", "ar-dunning-policy"),
    ("AR-Dispute", "ar-dispute"),
])
def test_ar502_names_the_closest_directive(ledger: Ledger, written: str, meant: str) -> None:
    loaded = ledger(INVOICE_1 + f"""
        2026-02-12 custom "{written}" "INV-1" "Hours disputed"
    """)
    assert [(e.source["filename"], e.source["lineno"], e.message) for e in loaded.errors] == [
        (loaded.path, loaded.line(f'"{written}"'),
         f"AR502 unknown directive {written}; did you mean {meant}?")]


def test_ar502_without_a_close_one_lists_the_directives(ledger: Ledger) -> None:
    loaded = ledger('2026-02-12 custom "ar-xyzzy" "INV-1"')
    (error,) = loaded.errors
    assert error.message == ("AR502 unknown directive ar-xyzzy; the directives are "
                             + ", ".join(DIRECTIVES))


def test_ar502_for_a_directive_without_values_prints(ledger: Ledger) -> None:
    loaded = ledger('2026-02-12 custom "ar-dipsute"')
    assert codes(loaded.errors) == {"AR502"}


@pytest.mark.parametrize("directive", DIRECTIVES)
def test_no_ar502_for_the_contracts_directives(ledger: Ledger, directive: str) -> None:
    loaded = ledger(INVOICE_1 + f"""
        2026-02-12 custom "{directive}" "INV-1"
    """)
    assert "AR502" not in codes(loaded.errors)


def test_no_ar502_for_other_custom_directives(ledger: Ledger) -> None:
    loaded = ledger("""
        2026-02-12 custom "budget" "Expenses:Rent" "monthly" 2350.00 USD
        2026-02-12 custom "fava-option" "language" "en"
        2026-02-12 custom "arrears" "INV-1"
    """)
    assert loaded.errors == []


@pytest.mark.parametrize("plugin", ["beancount_ar", "beancount_ar.plugins.status_events"])
def test_ar502_in_bean_check(ledger: Ledger, plugin: str) -> None:
    loaded = ledger('2026-02-12 custom "ar-dunnig" "INV-1" 1', plugin=plugin)
    assert codes(loaded.errors) == {"AR502"}


@pytest.mark.parametrize("plugin", ["beancount_ar.plugins.invoices",
                                    "beancount_ar.plugins.payments"])
def test_ar502_not_from_other_plugins(ledger: Ledger, plugin: str) -> None:
    assert ledger('2026-02-12 custom "ar-dunnig" "INV-1" 1', plugin=plugin).errors == []


# --- AR202: a tag close to the invoice tag -----------------------------------------------------

@pytest.mark.parametrize("tag", ["invoce", "Invoice", "invoices", "INVOICE"])
def test_ar202_asks_about_a_tag_close_to_the_invoice_tag(ledger: Ledger, tag: str) -> None:
    loaded = ledger(f"""
        2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #{tag}
          Assets:Receivable:Acme     100.00 USD
          Income:Consulting         -100.00 USD
    """)
    (error,) = loaded.errors
    assert error.message == (
        f"AR202 2026-01-05 Assets:Receivable:Acme: applies to unknown invoice INV-1; it is "
        f"tagged #{tag}: did you mean #invoice? Otherwise correct the link or the posting's "
        "invoice: metadata")


def test_ar202_asks_about_the_configured_invoice_tag(ledger: Ledger) -> None:
    loaded = ledger("""
        2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #bil
          Assets:Receivable:Acme     100.00 USD
          Income:Consulting         -100.00 USD
    """, config={"invoice_tag": "bill"})
    (error,) = loaded.errors
    assert "it is tagged #bil: did you mean #bill?" in error.message


def test_ar202_without_a_close_tag_gives_no_hint(ledger: Ledger) -> None:
    loaded = ledger("""
        2026-02-01 * "Acme Corp" "Payment" ^INV-404 #bank-import
          Assets:Bank:Checking       100.00 USD
          Assets:Receivable:Acme    -100.00 USD
    """)
    (error,) = loaded.errors
    assert error.message == (
        "AR202 2026-02-01 Assets:Receivable:Acme: applies to unknown invoice INV-404; "
        "correct the link or the posting's invoice: metadata")


# --- Messages in plain words --------------------------------------------------------------

TERMS = '"net N", "due on receipt", "P/D net N" or "eom net N"'
REPR = re.compile(r"Decimal\(|\bNone\b|datetime\.|Amount\(|'\w")

PLAIN_MESSAGES = [
    pytest.param(INVOICE_1 + """
        2026-03-15 custom "ar-dunning" "INV-1" 0
    """, "AR501 ar-dunning for INV-1 has level 0; the level is a positive whole number "
         "(1, 2, 3)", id="dunning-level-0"),
    pytest.param(INVOICE_1 + """
        2026-03-15 custom "ar-dunning" "INV-1" 1.5
    """, "AR501 ar-dunning for INV-1 has level 1.5; the level is a positive whole number "
         "(1, 2, 3)", id="dunning-level-fraction"),
    pytest.param(INVOICE_1 + """
        2026-03-15 custom "ar-dunning" "INV-1"
    """, "AR501 ar-dunning for INV-1 has no level; the level is a positive whole number "
         "(1, 2, 3)", id="dunning-no-level"),
    pytest.param(INVOICE_1 + """
        2026-03-15 custom "ar-dunning" "INV-1" "first"
    """, 'AR501 ar-dunning for INV-1 has level "first"; the level is a positive whole number '
         "(1, 2, 3)", id="dunning-level-text"),
    pytest.param(INVOICE_1 + """
        2026-03-15 custom "ar-escalate" "INV-1"
    """, 'AR501 ar-escalate for INV-1 has no kind; use "agency" or "legal"',
         id="escalate-no-kind"),
    pytest.param(INVOICE_1 + """
        2026-03-15 custom "ar-escalate" "INV-1" "police"
    """, 'AR501 ar-escalate for INV-1 has kind "police"; use "agency" or "legal"',
         id="escalate-kind-unknown"),
    pytest.param(INVOICE_1 + """
        2026-03-15 custom "ar-escalate" "INV-1" TRUE
    """, 'AR501 ar-escalate for INV-1 has kind TRUE; use "agency" or "legal"',
         id="escalate-kind-boolean"),
    pytest.param("""
        2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
          terms: 2026-02-01
          Assets:Receivable:Acme     100.00 USD
          Income:Consulting         -100.00 USD
    """, "AR103 invoice INV-1 has unknown terms 2026-02-01; write " + TERMS,
        id="invoice-terms-date"),
    pytest.param("""
        2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
          terms: "whenever"
          Assets:Receivable:Acme     100.00 USD
          Income:Consulting         -100.00 USD
    """, 'AR103 invoice INV-1 has unknown terms "whenever"; write ' + TERMS,
        id="invoice-terms-text"),
    pytest.param("""
        2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: "2026-02-04"
          Assets:Receivable:Acme     100.00 USD
          Income:Consulting         -100.00 USD
    """, 'AR103 invoice INV-1 due "2026-02-04" is not a date; write due: YYYY-MM-DD without '
         "quotes", id="invoice-due-text"),
    pytest.param("""
        2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: TRUE
          Assets:Receivable:Acme     100.00 USD
          Income:Consulting         -100.00 USD
    """, "AR103 invoice INV-1 due TRUE is not a date; write due: YYYY-MM-DD without quotes",
         id="invoice-due-boolean"),
    pytest.param("""
        2026-01-05 * "Someone" "Consulting" #invoice
          Assets:Bank:Checking       100.00 USD
          Income:Consulting         -100.00 USD
    """, 'AR102 invoice of 2026-01-05 to "Someone" has 0 links (none); an invoice needs '
         "exactly one link, its number (^INV-...)", id="invoice-without-link"),
    pytest.param("""
        2026-01-01 custom "ar-customer" "initech"
          name: "Initech"
          account: Assets:Receivable:Initech
          terms: 30
    """, 'AR001 customer "initech" has unknown terms 30; write ' + TERMS,
        id="customer-terms-number"),
    pytest.param("""
        2026-01-01 custom "ar-customer" "initech"
          name: "Initech"
          account: Assets:Receivable:Initech
          credit-limit: 1000
    """, 'AR001 customer "initech" has a bad credit-limit 1000; write an amount of zero or '
         "more such as 20000.00 USD", id="customer-credit-limit-number"),
    pytest.param("""
        2026-01-01 custom "ar-customer" "initech"
          name: "Initech"
          account: Assets:Receivable:Initech
          credit-limit: -5.00 USD
    """, 'AR001 customer "initech" has a bad credit-limit -5.00 USD; write an amount of zero '
         "or more such as 20000.00 USD", id="customer-credit-limit-negative"),
]


@pytest.mark.parametrize(("snippet", "message"), PLAIN_MESSAGES)
def test_messages_say_what_was_written(ledger: Ledger, snippet: str, message: str) -> None:
    loaded = ledger(snippet, accounts=("Assets:Receivable:Initech",))
    assert [e.message for e in loaded.errors] == [message]
    assert not REPR.search(message)


@pytest.mark.parametrize("plugin", [
    "beancount_ar", *(f"beancount_ar.plugins.{name}" for name in (
        "customers", "invoices", "payments", "status_events", "credit_limits",
        "card_numbers", "company"))])
def test_a_custom_line_without_values_never_crashes_bean_check(
        ledger: Callable[..., Loaded], plugin: str) -> None:
    # Beancount's own pad plugin, which runs after ours, cannot print such a line.
    loaded = ledger("""
        2026-02-01 custom "ar-dunning"
        2026-02-02 custom "ar-"
    """, plugin=plugin)
    messages = [e.message for e in loaded.errors]
    assert not any("Traceback" in m or "Error applying plugin" in m for m in messages), messages


@pytest.mark.parametrize(("tag", "hint"), [
    ("invoce", "it is tagged #invoce: did you mean #invoice? Otherwise "),
    ("onaccount", "it is tagged #onaccount: did you mean #on-account? Otherwise "),
    ("creditnote", "it is tagged #creditnote: did you mean #credit-note? Otherwise "),
])
def test_ar201_on_a_mistyped_tag_names_the_tag_meant(ledger: Ledger, tag: str, hint: str) -> None:
    loaded = ledger(f"""
        2026-02-01 * "Acme Corp" "Something" #{tag}
          Assets:Receivable:Acme     100.00 USD
          Income:Consulting         -100.00 USD
    """)
    [error] = loaded.errors
    assert error.message == (
        f"AR201 2026-02-01 Assets:Receivable:Acme: applies to no invoice (0 links); {hint}"
        "add the invoice's link, invoice: metadata on the posting, or tag the transaction "
        "#on-account")


@pytest.mark.parametrize(("directive", "message"), [
    ('2026-01-01 custom "ar-customer" 42',
     ('AR001 ar-customer at 2026-01-01 has customer id 42, which is not text; write it as '
     'custom "ar-customer" "<id>" with name: and account: metadata')),
    ('2026-01-01 custom "ar-customer" "kaiju"\n  name: 123\n  account: Assets:Receivable:Kaiju',
     ('AR001 customer "kaiju" has name 123, which is not text; write name: "..." in double '
     "quotes")),
])
def test_a_customer_value_of_the_wrong_kind_says_what_was_written(
        ledger: Ledger, directive: str, message: str) -> None:
    loaded = ledger(directive + "\n", accounts=("Assets:Receivable:Kaiju",))
    assert [e.message for e in loaded.errors] == [message]


PROMISE_INVOICE = """
        2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme     100.00 USD
          Income:Consulting         -100.00 USD
"""


@pytest.mark.parametrize(("promise", "message"), [
    ('2026-03-01 custom "ar-promise" "INV-999" 2026-03-15',
     "AR501 ar-promise names unknown invoice INV-999; correct the invoice number"),
    ('2026-03-01 custom "ar-promise" "INV-1" "soon"',
     ('AR501 ar-promise for INV-1 has date "soon"; write the day the customer promised to pay '
     'by, on or after the promise, e.g. custom "ar-promise" "INV-1" 2026-03-15')),
    ('2026-03-01 custom "ar-promise" "INV-1"',
     ("AR501 ar-promise for INV-1 has no date; write the day the customer promised to pay "
     'by, on or after the promise, e.g. custom "ar-promise" "INV-1" 2026-03-15')),
    ('2026-03-01 custom "ar-promise" "INV-1" 2026-02-01',
     ("AR501 ar-promise for INV-1 has date 2026-02-01; write the day the customer promised to "
     'pay by, on or after the promise, e.g. custom "ar-promise" "INV-1" 2026-03-15')),
])
def test_a_bad_promise_is_ar501(ledger: Ledger, promise: str, message: str) -> None:
    loaded = ledger(PROMISE_INVOICE + "\n        " + promise + "  ; PROMISE\n")
    assert [(e.source["lineno"], e.message) for e in loaded.errors] == [
        (loaded.line("; PROMISE"), message)]


def test_a_promise_is_read_with_its_day(ledger: Ledger) -> None:
    promise = '\n        2026-03-01 custom "ar-promise" "INV-1" 2026-03-15\n'
    loaded = ledger(PROMISE_INVOICE + promise, plugin=None)
    receivables, errors = build_receivables(loaded.entries, ARConfig())
    assert errors == []
    [event] = receivables.invoices["INV-1"].events
    assert (event.kind, event.date, event.promised) == (
        EventKind.PROMISE, datetime.date(2026, 3, 1), datetime.date(2026, 3, 15))
