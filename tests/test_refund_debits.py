"""Contract sections 4 and 6, AR208: a debit applied to an invoice takes it above what was billed.

A refund or a bounced payment (a positive receivable posting) applies only to
what was paid or credited on the invoice. Beyond that it is an error at the
transaction; the posting still counts, so the model ties to the account.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from conftest import codes
from ledgers import invoke, write_ledger

from beancount_ar.core.build import build_receivables
from beancount_ar.core.config import ARConfig

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Loaded

    Ledger = Callable[..., Loaded]

INVOICE = """
        2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme     100.00 USD
          Income:Consulting         -100.00 USD
"""
REFUND_OF_NOTHING = INVOICE + """
        2026-02-01 * "Acme Corp" "Refund" ^INV-1
          Assets:Receivable:Acme      20.00 USD
          Assets:Bank:Checking       -20.00 USD
"""
AR208 = ("AR208 debit of 20.00 USD takes invoice INV-1 to 120.00 open, above the 100.00 "
         "billed; a refund applies only to what was paid or credited on the invoice: post "
         "it #on-account or to the right invoice")


def test_refund_on_an_unpaid_invoice_is_ar208_at_the_transaction(ledger: Ledger) -> None:
    loaded = ledger(REFUND_OF_NOTHING)
    assert [(e.source["filename"], e.source["lineno"], e.message) for e in loaded.errors] == [
        (loaded.path, loaded.line('"Refund" ^INV-1'), AR208)]


@pytest.mark.parametrize("plugin", ["beancount_ar", "beancount_ar.plugins.payments"])
def test_ar208_in_bean_check(ledger: Ledger, plugin: str) -> None:
    assert codes(ledger(REFUND_OF_NOTHING, plugin=plugin).errors) == {"AR208"}


def test_ar208_not_from_the_invoices_plugin(ledger: Ledger) -> None:
    assert ledger(REFUND_OF_NOTHING, plugin="beancount_ar.plugins.invoices").errors == []


def test_the_debit_still_counts_so_the_model_ties(ledger: Ledger) -> None:
    loaded = ledger(REFUND_OF_NOTHING, plugin=None)
    receivables, _ = build_receivables(loaded.entries, ARConfig())
    assert receivables.invoices["INV-1"].open_amount() == Decimal("120.00")


def test_the_aging_ties_to_the_account(tmp_path: Path) -> None:
    body = """
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme     100.00 USD
          Income:Consulting         -100.00 USD

        2026-05-10 * "Acme Corp" "Refund" ^INV-1
          Assets:Receivable:Acme      20.00 USD
          Assets:Bank:Checking       -20.00 USD
    """
    path = write_ledger(tmp_path, body)
    result = invoke("aging", path, "--as-of", "2026-06-30", "--format", "csv",
                    "--ignore-errors")
    assert result.exit_code == 0, result.output
    assert "\nacme,USD,0.00,0.00,120.00,0.00,0.00,0.00,120.00\n" in result.stdout
    assert "AR208" in result.stderr


CLEAN = [
    pytest.param("""
        2026-02-01 * "Acme Corp" "Payment" ^INV-1
          Assets:Bank:Checking       100.00 USD
          Assets:Receivable:Acme    -100.00 USD

        2026-02-10 * "Acme Corp" "Refund of part of the payment" ^INV-1
          Assets:Receivable:Acme      30.00 USD
          Assets:Bank:Checking       -30.00 USD
    """, "30.00", id="refund-of-a-payment"),
    pytest.param("""
        2026-02-01 * "Acme Corp" "Payment" ^INV-1
          Assets:Bank:Checking       100.00 USD
          Assets:Receivable:Acme    -100.00 USD

        2026-02-10 * "Acme Corp" "Payment bounced" ^INV-1
          Assets:Receivable:Acme     100.00 USD
          Assets:Bank:Checking      -100.00 USD
    """, "100.00", id="bounced-payment"),
    pytest.param("""
        2026-02-01 * "Acme Corp" "Credit note" ^INV-1 #credit-note
          Assets:Receivable:Acme     -40.00 USD
          Income:Consulting           40.00 USD

        2026-02-10 * "Acme Corp" "Credit note reversed" ^INV-1
          Assets:Receivable:Acme      40.00 USD
          Income:Consulting          -40.00 USD
    """, "100.00", id="credit-note-reversed"),
    pytest.param("""
        2026-02-01 * "Acme Corp" "Correction within one transaction" ^INV-1
          Assets:Receivable:Acme      20.00 USD
          Assets:Receivable:Acme     -20.00 USD
    """, "100.00", id="debit-and-credit-cancel"),
]


@pytest.mark.parametrize(("snippet", "open_amount"), CLEAN)
def test_a_debit_within_what_was_paid_is_clean(
    ledger: Ledger, snippet: str, open_amount: str,
) -> None:
    loaded = ledger(INVOICE + snippet)
    assert loaded.errors == [], [e.message for e in loaded.errors]
    receivables, _ = build_receivables(loaded.entries, ARConfig())
    assert receivables.invoices["INV-1"].open_amount() == Decimal(open_amount)


def test_a_later_payment_on_an_over_debited_invoice_is_not_reported_again(
    ledger: Ledger,
) -> None:
    loaded = ledger(REFUND_OF_NOTHING + """
        2026-03-01 * "Acme Corp" "Payment" ^INV-1
          Assets:Bank:Checking        10.00 USD
          Assets:Receivable:Acme     -10.00 USD
    """)
    assert [e.message for e in loaded.errors] == [AR208]


def test_a_correct_refund_after_a_bad_debit_is_no_error(ledger: Ledger) -> None:
    loaded = ledger(INVOICE + """
        2026-02-01 * "Acme Corp" "Bad debit" ^INV-1
          Assets:Receivable:Acme       5.00 USD
          Assets:Bank:Checking        -5.00 USD

        2026-02-10 * "Acme Corp" "Credit note" ^INV-1 #credit-note
          Assets:Receivable:Acme     -30.00 USD
          Income:Consulting           30.00 USD

        2026-02-20 * "Acme Corp" "Refund of the credit note" ^INV-1
          Assets:Receivable:Acme      30.00 USD
          Assets:Bank:Checking       -30.00 USD

        2026-03-01 * "Acme Corp" "Another bad debit" ^INV-1
          Assets:Receivable:Acme       1.00 USD
          Assets:Bank:Checking        -1.00 USD
    """)
    assert [(e.source["lineno"], e.message.split(" ", 1)[0]) for e in loaded.errors] == [
        (loaded.line('"Bad debit"'), "AR208"), (loaded.line('"Another bad debit"'), "AR208")]


def test_a_partial_refund_of_an_over_payment_is_no_error(ledger: Ledger) -> None:
    loaded = ledger(INVOICE + """
        2026-02-01 * "Acme Corp" "Paid too much" ^INV-1
          Assets:Bank:Checking       110.00 USD
          Assets:Receivable:Acme    -110.00 USD

        2026-02-05 * "Acme Corp" "Refund of part of the excess" ^INV-1
          Assets:Receivable:Acme       4.00 USD
          Assets:Bank:Checking        -4.00 USD
    """)
    assert [(e.source["lineno"], e.message.split(" ", 1)[0]) for e in loaded.errors] == [
        (loaded.line('"Paid too much"'), "AR203")]
