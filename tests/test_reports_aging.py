"""`bean-ar aging`, contract section 7: a ledger snippet in, the exact CSV out.

Every ledger is `ledgers.HEADER` (customers acme, globex, umbrella, kaiju; terms
net 30) followed by the snippet; the report is as of 2026-06-30 unless a test
says otherwise.
"""

from __future__ import annotations

import datetime
import json
from textwrap import dedent
from typing import TYPE_CHECKING

import pytest
from ledgers import AGING_HEADER, aging_csv, csv_text, report

if TYPE_CHECKING:
    from pathlib import Path

AS_OF = datetime.date(2026, 6, 30)


def test_single_open_invoice_not_yet_due_is_current(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-06-01 * "Acme Corp" "Consulting, June" ^INV-2026-001 #invoice
          Assets:Receivable:Acme        1800.00 USD
          Income:Consulting            -1500.00 USD
          Liabilities:SalesTax          -300.00 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,1800.00,0.00,0.00,0.00,0.00,1800.00
        TOTAL,USD,0.00,1800.00,0.00,0.00,0.00,0.00,1800.00
    """)


def test_empty_ledger_prints_only_the_header(tmp_path: Path) -> None:
    assert aging_csv(tmp_path, "") == AGING_HEADER + "\n"


@pytest.mark.parametrize(("days_past_due", "row"), [
    (-5, "acme,USD,0.00,1000.00,0.00,0.00,0.00,0.00,1000.00"),
    (0, "acme,USD,0.00,1000.00,0.00,0.00,0.00,0.00,1000.00"),
    (1, "acme,USD,0.00,0.00,1000.00,0.00,0.00,0.00,1000.00"),
    (30, "acme,USD,0.00,0.00,1000.00,0.00,0.00,0.00,1000.00"),
    (31, "acme,USD,0.00,0.00,0.00,1000.00,0.00,0.00,1000.00"),
    (60, "acme,USD,0.00,0.00,0.00,1000.00,0.00,0.00,1000.00"),
    (61, "acme,USD,0.00,0.00,0.00,0.00,1000.00,0.00,1000.00"),
    (90, "acme,USD,0.00,0.00,0.00,0.00,1000.00,0.00,1000.00"),
    (91, "acme,USD,0.00,0.00,0.00,0.00,0.00,1000.00,1000.00"),
    (150, "acme,USD,0.00,0.00,0.00,0.00,0.00,1000.00,1000.00"),
])
def test_bucket_edges_by_days_past_due(tmp_path: Path, days_past_due: int, row: str) -> None:
    due = AS_OF - datetime.timedelta(days=days_past_due)
    snippet = f"""
        2026-01-02 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: {due}
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD
    """
    total = "TOTAL" + row.removeprefix("acme")
    assert aging_csv(tmp_path, snippet) == f"{AGING_HEADER}\n{row}\n{total}\n"


def test_bucket_edges_in_one_ledger(tmp_path: Path) -> None:
    # due today and due later: current; 1 and 30 days: 1-30; 31 and 60: 31-60;
    # 61 and 90: 61-90; 91: 90+.
    snippet = dedent("""
        2026-01-02 * "Acme Corp" "due today" ^INV-A #invoice
          due: 2026-06-30
          Assets:Receivable:Acme           1.00 USD
          Income:Consulting               -1.00 USD

        2026-01-02 * "Acme Corp" "due tomorrow" ^INV-B #invoice
          due: 2026-07-01
          Assets:Receivable:Acme           2.00 USD
          Income:Consulting               -2.00 USD

        2026-01-02 * "Acme Corp" "1 day past due" ^INV-C #invoice
          due: 2026-06-29
          Assets:Receivable:Acme          10.00 USD
          Income:Consulting              -10.00 USD

        2026-01-02 * "Acme Corp" "30 days past due" ^INV-D #invoice
          due: 2026-05-31
          Assets:Receivable:Acme          20.00 USD
          Income:Consulting              -20.00 USD

        2026-01-02 * "Acme Corp" "31 days past due" ^INV-E #invoice
          due: 2026-05-30
          Assets:Receivable:Acme         100.00 USD
          Income:Consulting             -100.00 USD

        2026-01-02 * "Acme Corp" "60 days past due" ^INV-F #invoice
          due: 2026-05-01
          Assets:Receivable:Acme         200.00 USD
          Income:Consulting             -200.00 USD

        2026-01-02 * "Acme Corp" "61 days past due" ^INV-G #invoice
          due: 2026-04-30
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD

        2026-01-02 * "Acme Corp" "90 days past due" ^INV-H #invoice
          due: 2026-04-01
          Assets:Receivable:Acme        2000.00 USD
          Income:Consulting            -2000.00 USD

        2026-01-02 * "Acme Corp" "91 days past due" ^INV-I #invoice
          due: 2026-03-31
          Assets:Receivable:Acme       10000.00 USD
          Income:Consulting           -10000.00 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,3.00,30.00,300.00,3000.00,10000.00,13333.00
        TOTAL,USD,0.00,3.00,30.00,300.00,3000.00,10000.00,13333.00
    """)


def test_due_date_from_customer_terms(tmp_path: Path) -> None:
    # net 30 from 2026-05-01 is 2026-05-31: 30 days past due on 2026-06-30.
    # A customer on net 60 from the same day is due 2026-06-30: current.
    snippet = dedent("""
        2026-02-01 custom "ar-customer" "globex"
          terms: "net 60"

        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme         400.00 USD
          Income:Consulting             -400.00 USD

        2026-05-01 * "Globex Inc" "Consulting" ^INV-2 #invoice
          Assets:Receivable:Globex       500.00 USD
          Income:Consulting             -500.00 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,0.00,400.00,0.00,0.00,0.00,400.00
        globex,USD,0.00,500.00,0.00,0.00,0.00,0.00,500.00
        TOTAL,USD,0.00,500.00,400.00,0.00,0.00,0.00,900.00
    """)


def test_partial_payment_leaves_the_rest_open(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-05-01 * "Acme Corp" "Consulting, April" ^INV-2026-001 #invoice
          due: 2026-05-31
          Assets:Receivable:Acme        1800.00 USD
          Income:Consulting            -1800.00 USD

        2026-06-15 * "Acme Corp" "Payment, part" ^INV-2026-001
          Assets:Bank:Checking           500.00 USD
          Assets:Receivable:Acme        -500.00 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,0.00,1300.00,0.00,0.00,0.00,1300.00
        TOTAL,USD,0.00,0.00,1300.00,0.00,0.00,0.00,1300.00
    """)


def test_one_payment_for_two_invoices_through_invoice_metadata(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-03-01 * "Acme Corp" "Consulting, February" ^INV-2026-002 #invoice
          due: 2026-06-10
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD

        2026-03-01 * "Acme Corp" "Consulting, March" ^INV-2026-003 #invoice
          due: 2026-04-15
          Assets:Receivable:Acme        2500.00 USD
          Income:Consulting            -2500.00 USD

        2026-06-01 * "Acme Corp" "Payment for two invoices"
          Assets:Bank:Checking          3000.00 USD
          Assets:Receivable:Acme       -1000.00 USD
            invoice: "INV-2026-002"
          Assets:Receivable:Acme       -2000.00 USD
            invoice: "INV-2026-003"
    """)
    # INV-2026-002 is paid; 500.00 of INV-2026-003 is left, 76 days past due.
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,0.00,0.00,0.00,500.00,0.00,500.00
        TOTAL,USD,0.00,0.00,0.00,0.00,500.00,0.00,500.00
    """)


def test_credit_note_lowers_the_open_amount(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-05-20 * "Acme Corp" "Consulting" ^INV-2026-001 #invoice
          due: 2026-06-20
          Assets:Receivable:Acme        1800.00 USD
          Income:Consulting            -1800.00 USD

        2026-06-22 * "Acme Corp" "Credit note: 2 hours not billable" ^INV-2026-001 #credit-note
          Assets:Receivable:Acme        -300.00 USD
          Income:Consulting              300.00 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,0.00,1500.00,0.00,0.00,0.00,1500.00
        TOTAL,USD,0.00,0.00,1500.00,0.00,0.00,0.00,1500.00
    """)


def test_partial_write_off_leaves_the_rest_open(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-01-02 * "Acme Corp" "Consulting" ^INV-2026-004 #invoice
          due: 2026-02-01
          Assets:Receivable:Acme         800.00 USD
          Income:Consulting             -800.00 USD

        2026-06-01 * "Acme Corp" "Write-off" ^INV-2026-004 #write-off
          Expenses:BadDebt               500.00 USD
          Assets:Receivable:Acme        -500.00 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,0.00,0.00,0.00,0.00,300.00,300.00
        TOTAL,USD,0.00,0.00,0.00,0.00,0.00,300.00,300.00
    """)


def test_written_off_invoice_is_closed(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-01-02 * "Acme Corp" "Consulting" ^INV-2026-004 #invoice
          due: 2026-02-01
          Assets:Receivable:Acme         500.00 USD
          Income:Consulting             -500.00 USD

        2026-06-01 * "Acme Corp" "Write-off" ^INV-2026-004 #write-off
          Expenses:BadDebt               500.00 USD
          Assets:Receivable:Acme        -500.00 USD

        2026-06-10 * "Globex Inc" "Consulting" ^INV-2026-005 #invoice
          Assets:Receivable:Globex       250.00 USD
          Income:Consulting             -250.00 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        globex,USD,0.00,250.00,0.00,0.00,0.00,0.00,250.00
        TOTAL,USD,0.00,250.00,0.00,0.00,0.00,0.00,250.00
    """)


def test_prepayment_on_account_is_negative_unapplied(tmp_path: Path) -> None:
    # acme has an open invoice and credit; umbrella has only credit, and still has a row.
    snippet = dedent("""
        2026-06-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD

        2026-06-05 * "Acme Corp" "Prepayment" #on-account
          Assets:Bank:Checking           200.00 USD
          Assets:Receivable:Acme        -200.00 USD

        2026-04-01 * "Umbrella Corp" "Prepayment" #on-account
          Assets:Bank:Checking           700.00 USD
          Assets:Receivable:Umbrella    -700.00 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,-200.00,1000.00,0.00,0.00,0.00,0.00,800.00
        umbrella,USD,-700.00,0.00,0.00,0.00,0.00,0.00,-700.00
        TOTAL,USD,-900.00,1000.00,0.00,0.00,0.00,0.00,100.00
    """)


APPLY_PREPAYMENT = """
    2026-04-01 * "Umbrella Corp" "Prepayment" #on-account
      Assets:Bank:Checking           700.00 USD
      Assets:Receivable:Umbrella    -700.00 USD

    2026-06-15 * "Umbrella Corp" "Consulting" ^INV-1009 #invoice
      due: 2026-07-15
      Assets:Receivable:Umbrella    1000.00 USD
      Income:Consulting            -1000.00 USD

    2026-06-20 * "Umbrella Corp" "Apply prepayment to INV-1009" #on-account
      Assets:Receivable:Umbrella     300.00 USD
      Assets:Receivable:Umbrella    -300.00 USD
        invoice: "INV-1009"
"""


def test_applying_on_account_credit_to_an_invoice(tmp_path: Path) -> None:
    assert aging_csv(tmp_path, APPLY_PREPAYMENT) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        umbrella,USD,-400.00,700.00,0.00,0.00,0.00,0.00,300.00
        TOTAL,USD,-400.00,700.00,0.00,0.00,0.00,0.00,300.00
    """)


def test_before_the_application_the_credit_is_still_unapplied(tmp_path: Path) -> None:
    assert aging_csv(tmp_path, APPLY_PREPAYMENT, as_of="2026-06-19") == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        umbrella,USD,-700.00,1000.00,0.00,0.00,0.00,0.00,300.00
        TOTAL,USD,-700.00,1000.00,0.00,0.00,0.00,0.00,300.00
    """)


def test_credit_fully_applied_to_an_invoice_fully_paid_leaves_no_row(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-04-01 * "Umbrella Corp" "Prepayment" #on-account
          Assets:Bank:Checking           300.00 USD
          Assets:Receivable:Umbrella    -300.00 USD

        2026-06-15 * "Umbrella Corp" "Consulting" ^INV-1009 #invoice
          Assets:Receivable:Umbrella     300.00 USD
          Income:Consulting             -300.00 USD

        2026-06-20 * "Umbrella Corp" "Apply prepayment to INV-1009" #on-account
          Assets:Receivable:Umbrella     300.00 USD
          Assets:Receivable:Umbrella    -300.00 USD
            invoice: "INV-1009"
    """)
    assert aging_csv(tmp_path, snippet) == AGING_HEADER + "\n"


def test_fully_paid_customers_have_no_row(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-03-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme        1800.00 USD
          Income:Consulting            -1800.00 USD

        2026-04-01 * "Acme Corp" "Payment" ^INV-1
          Assets:Bank:Checking          1800.00 USD
          Assets:Receivable:Acme       -1800.00 USD

        2026-06-10 * "Globex Inc" "Consulting" ^INV-2 #invoice
          Assets:Receivable:Globex       900.00 USD
          Income:Consulting             -900.00 USD

        2026-06-11 * "Umbrella Corp" "Consulting" ^INV-3 #invoice
          Assets:Receivable:Umbrella     100.00 USD
          Income:Consulting             -100.00 USD

        2026-06-12 * "Umbrella Corp" "Credit note: all of it" ^INV-3 #credit-note
          Assets:Receivable:Umbrella    -100.00 USD
          Income:Consulting              100.00 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        globex,USD,0.00,900.00,0.00,0.00,0.00,0.00,900.00
        TOTAL,USD,0.00,900.00,0.00,0.00,0.00,0.00,900.00
    """)


def test_rows_sorted_by_customer_then_currency_totals_by_currency(tmp_path: Path) -> None:
    # Written out of order on purpose; zeta's name sorts first but its id last.
    snippet = dedent("""
        2026-01-01 open Assets:Receivable:Zeta
        2026-01-01 custom "ar-customer" "zeta"
          name: "Aardvark Holdings"
          account: Assets:Receivable:Zeta

        2026-06-01 * "Umbrella Corp" "Consulting" ^U-USD #invoice
          Assets:Receivable:Umbrella     300.00 USD
          Income:Consulting             -300.00 USD

        2026-06-02 * "Umbrella Corp" "Consulting" ^U-EUR #invoice
          due: 2026-06-20
          Assets:Receivable:Umbrella     400.00 EUR
          Income:Consulting             -400.00 EUR

        2026-06-03 * "Globex Inc" "Consulting" ^G-EUR #invoice
          Assets:Receivable:Globex       500.00 EUR
          Income:Consulting             -500.00 EUR

        2026-06-04 * "Aardvark Holdings" "Consulting" ^Z-USD #invoice
          Assets:Receivable:Zeta          50.00 USD
          Income:Consulting              -50.00 USD

        2026-06-05 * "Acme Corp" "Consulting" ^A-USD #invoice
          due: 2026-06-10
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,0.00,1000.00,0.00,0.00,0.00,1000.00
        globex,EUR,0.00,500.00,0.00,0.00,0.00,0.00,500.00
        umbrella,EUR,0.00,0.00,400.00,0.00,0.00,0.00,400.00
        umbrella,USD,0.00,300.00,0.00,0.00,0.00,0.00,300.00
        zeta,USD,0.00,50.00,0.00,0.00,0.00,0.00,50.00
        TOTAL,EUR,0.00,500.00,400.00,0.00,0.00,0.00,900.00
        TOTAL,USD,0.00,350.00,1000.00,0.00,0.00,0.00,1350.00
    """)


def test_zero_decimal_currency_prints_without_decimals(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-05-01 * "Kaiju KK" "Consulting" ^K-1 #invoice
          due: 2026-05-31
          Assets:Receivable:Kaiju      150000 JPY
          Income:Consulting           -150000 JPY

        2026-06-10 * "Kaiju KK" "Payment" ^K-1
          Assets:Bank:Checking          50000 JPY
          Assets:Receivable:Kaiju      -50000 JPY

        2026-06-10 * "Kaiju KK" "Consulting" ^K-2 #invoice
          Assets:Receivable:Kaiju        1234.50 USD
          Income:Consulting             -1234.50 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        kaiju,JPY,0,0,100000,0,0,0,100000
        kaiju,USD,0.00,1234.50,0.00,0.00,0.00,0.00,1234.50
        TOTAL,JPY,0,0,100000,0,0,0,100000
        TOTAL,USD,0.00,1234.50,0.00,0.00,0.00,0.00,1234.50
    """)


AS_OF_RULE = """
    2026-06-01 * "Acme Corp" "Consulting, May" ^INV-1 #invoice
      due: 2026-06-10
      Assets:Receivable:Acme        1000.00 USD
      Income:Consulting            -1000.00 USD

    2026-07-01 * "Acme Corp" "Consulting, June" ^INV-2 #invoice
      Assets:Receivable:Acme         600.00 USD
      Income:Consulting             -600.00 USD

    2026-07-05 * "Acme Corp" "Payment" ^INV-1
      Assets:Bank:Checking          1000.00 USD
      Assets:Receivable:Acme       -1000.00 USD
"""


def test_as_of_ignores_later_payments_and_later_invoices(tmp_path: Path) -> None:
    assert aging_csv(tmp_path, AS_OF_RULE, as_of="2026-06-30") == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,0.00,1000.00,0.00,0.00,0.00,1000.00
        TOTAL,USD,0.00,0.00,1000.00,0.00,0.00,0.00,1000.00
    """)


def test_as_of_on_the_payment_day_counts_the_payment(tmp_path: Path) -> None:
    assert aging_csv(tmp_path, AS_OF_RULE, as_of="2026-07-05") == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,600.00,0.00,0.00,0.00,0.00,600.00
        TOTAL,USD,0.00,600.00,0.00,0.00,0.00,0.00,600.00
    """)


def test_as_of_before_any_invoice_is_empty(tmp_path: Path) -> None:
    assert aging_csv(tmp_path, AS_OF_RULE, as_of="2026-05-31") == AGING_HEADER + "\n"


@pytest.mark.parametrize(("days_old", "row"), [
    (0, "acme,USD,0.00,1000.00,0.00,0.00,0.00,0.00,1000.00"),
    (1, "acme,USD,0.00,0.00,1000.00,0.00,0.00,0.00,1000.00"),
    (30, "acme,USD,0.00,0.00,1000.00,0.00,0.00,0.00,1000.00"),
    (31, "acme,USD,0.00,0.00,0.00,1000.00,0.00,0.00,1000.00"),
    (60, "acme,USD,0.00,0.00,0.00,1000.00,0.00,0.00,1000.00"),
    (61, "acme,USD,0.00,0.00,0.00,0.00,1000.00,0.00,1000.00"),
    (90, "acme,USD,0.00,0.00,0.00,0.00,1000.00,0.00,1000.00"),
    (91, "acme,USD,0.00,0.00,0.00,0.00,0.00,1000.00,1000.00"),
])
def test_basis_invoice_ages_from_the_invoice_date(tmp_path: Path, days_old: int,
                                                   row: str) -> None:
    dated = AS_OF - datetime.timedelta(days=days_old)
    snippet = f"""
        {dated} * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: 2026-12-31
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD
    """
    total = "TOTAL" + row.removeprefix("acme")
    assert aging_csv(tmp_path, snippet, "--basis", "invoice") == f"{AGING_HEADER}\n{row}\n{total}\n"


def test_basis_invoice_against_basis_due(tmp_path: Path) -> None:
    # INV-1: 45 days old, not due until 2026-07-15. INV-2: 10 days old, due on receipt.
    snippet = dedent("""
        2026-05-16 * "Acme Corp" "Consulting" ^INV-1 #invoice
          terms: "net 60"
          Assets:Receivable:Acme         700.00 USD
          Income:Consulting             -700.00 USD

        2026-06-20 * "Acme Corp" "Consulting" ^INV-2 #invoice
          terms: "due on receipt"
          Assets:Receivable:Acme          80.00 USD
          Income:Consulting              -80.00 USD
    """)
    assert aging_csv(tmp_path, snippet, "--basis", "invoice") == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,0.00,80.00,700.00,0.00,0.00,780.00
        TOTAL,USD,0.00,0.00,80.00,700.00,0.00,0.00,780.00
    """)
    assert aging_csv(tmp_path, snippet, "--basis", "due") == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,700.00,80.00,0.00,0.00,0.00,780.00
        TOTAL,USD,0.00,700.00,80.00,0.00,0.00,0.00,780.00
    """)


def test_custom_buckets_move_the_edges(tmp_path: Path) -> None:
    # 0 days: current; 1 and 15: 1-15; 16 and 45: 16-45; 46: 45+.
    snippet = dedent("""
        2026-01-02 * "Acme Corp" "due today" ^INV-A #invoice
          due: 2026-06-30
          Assets:Receivable:Acme           1.00 USD
          Income:Consulting               -1.00 USD

        2026-01-02 * "Acme Corp" "1 day past due" ^INV-B #invoice
          due: 2026-06-29
          Assets:Receivable:Acme          10.00 USD
          Income:Consulting              -10.00 USD

        2026-01-02 * "Acme Corp" "15 days past due" ^INV-C #invoice
          due: 2026-06-15
          Assets:Receivable:Acme          20.00 USD
          Income:Consulting              -20.00 USD

        2026-01-02 * "Acme Corp" "16 days past due" ^INV-D #invoice
          due: 2026-06-14
          Assets:Receivable:Acme         100.00 USD
          Income:Consulting             -100.00 USD

        2026-01-02 * "Acme Corp" "45 days past due" ^INV-E #invoice
          due: 2026-05-16
          Assets:Receivable:Acme         200.00 USD
          Income:Consulting             -200.00 USD

        2026-01-02 * "Acme Corp" "46 days past due" ^INV-F #invoice
          due: 2026-05-15
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD
    """)
    assert aging_csv(tmp_path, snippet, "--buckets", "15,45") == csv_text("""
        customer,currency,unapplied,current,1-15,16-45,45+,total
        acme,USD,0.00,1.00,30.00,300.00,1000.00,1331.00
        TOTAL,USD,0.00,1.00,30.00,300.00,1000.00,1331.00
    """)


def test_custom_buckets_header_when_empty(tmp_path: Path) -> None:
    assert aging_csv(tmp_path, "", "--buckets", "15,45") == (
        "customer,currency,unapplied,current,1-15,16-45,45+,total\n")


def test_json_has_the_csv_fields_with_amounts_as_strings(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: 2026-05-31
          Assets:Receivable:Acme       12345.67 USD
          Income:Consulting           -12345.67 USD

        2026-06-05 * "Acme Corp" "Prepayment" #on-account
          Assets:Bank:Checking           200.00 USD
          Assets:Receivable:Acme        -200.00 USD

        2026-05-01 * "Kaiju KK" "Consulting" ^K-1 #invoice
          Assets:Receivable:Kaiju      150000 JPY
          Income:Consulting           -150000 JPY
    """)
    out = report(tmp_path, snippet, "aging", output_format="json")
    assert json.loads(out) == [
        {"customer": "acme", "currency": "USD", "unapplied": "-200.00", "current": "0.00",
         "1-30": "12345.67", "31-60": "0.00", "61-90": "0.00", "90+": "0.00",
         "total": "12145.67"},
        {"customer": "kaiju", "currency": "JPY", "unapplied": "0", "current": "0",
         "1-30": "150000", "31-60": "0", "61-90": "0", "90+": "0", "total": "150000"},
        {"customer": "TOTAL", "currency": "JPY", "unapplied": "0", "current": "0",
         "1-30": "150000", "31-60": "0", "61-90": "0", "90+": "0", "total": "150000"},
        {"customer": "TOTAL", "currency": "USD", "unapplied": "-200.00", "current": "0.00",
         "1-30": "12345.67", "31-60": "0.00", "61-90": "0.00", "90+": "0.00",
         "total": "12145.67"},
    ]


def test_json_fields_follow_custom_buckets(tmp_path: Path) -> None:
    snippet = """
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: 2026-06-10
          Assets:Receivable:Acme         100.00 USD
          Income:Consulting             -100.00 USD
    """
    out = report(tmp_path, snippet, "aging", "--buckets", "15,45", output_format="json")
    records = json.loads(out)
    assert [list(r) for r in records] == [
        ["customer", "currency", "unapplied", "current", "1-15", "16-45", "45+", "total"]] * 2
    assert records[0]["16-45"] == "100.00"


def test_empty_json_is_an_empty_list(tmp_path: Path) -> None:
    assert json.loads(report(tmp_path, "", "aging", output_format="json")) == []


def test_refund_of_on_account_credit_uses_it_up(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-04-01 * "Umbrella Corp" "Prepayment" #on-account
          Assets:Bank:Checking           700.00 USD
          Assets:Receivable:Umbrella    -700.00 USD

        2026-05-01 * "Umbrella Corp" "Refund, part of the prepayment" #on-account
          Assets:Receivable:Umbrella     200.00 USD
          Assets:Bank:Checking          -200.00 USD

        2026-07-01 * "Umbrella Corp" "Prepayment after the report date" #on-account
          Assets:Bank:Checking           900.00 USD
          Assets:Receivable:Umbrella    -900.00 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        umbrella,USD,-500.00,0.00,0.00,0.00,0.00,0.00,-500.00
        TOTAL,USD,-500.00,0.00,0.00,0.00,0.00,0.00,-500.00
    """)


def test_payment_with_the_excess_kept_on_account(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD

        2026-06-01 * "Acme Corp" "Payment, 200.00 too much" #on-account
          Assets:Bank:Checking          1200.00 USD
          Assets:Receivable:Acme       -1000.00 USD
            invoice: "INV-1"
          Assets:Receivable:Acme        -200.00 USD
    """)
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,-200.00,0.00,0.00,0.00,0.00,0.00,-200.00
        TOTAL,USD,-200.00,0.00,0.00,0.00,0.00,0.00,-200.00
    """)


def test_posting_invoice_metadata_wins_over_the_link(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: 2026-05-10
          Assets:Receivable:Acme         100.00 USD
          Income:Consulting             -100.00 USD

        2026-05-01 * "Acme Corp" "Consulting" ^INV-2 #invoice
          due: 2026-06-20
          Assets:Receivable:Acme         200.00 USD
          Income:Consulting             -200.00 USD

        2026-06-01 * "Acme Corp" "Payment" ^INV-1
          Assets:Bank:Checking           250.00 USD
          Assets:Receivable:Acme        -100.00 USD
          Assets:Receivable:Acme        -150.00 USD
            invoice: "INV-2"
    """)
    # INV-1 is paid through the link; 50.00 of INV-2 is left, 10 days past due.
    assert aging_csv(tmp_path, snippet) == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,0.00,50.00,0.00,0.00,0.00,50.00
        TOTAL,USD,0.00,0.00,50.00,0.00,0.00,0.00,50.00
    """)


def test_custom_buckets_with_basis_invoice(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-05-16 * "Acme Corp" "45 days old" ^INV-1 #invoice
          due: 2026-12-31
          Assets:Receivable:Acme         700.00 USD
          Income:Consulting             -700.00 USD

        2026-05-15 * "Acme Corp" "46 days old" ^INV-2 #invoice
          due: 2026-12-31
          Assets:Receivable:Acme          80.00 USD
          Income:Consulting              -80.00 USD
    """)
    assert aging_csv(tmp_path, snippet, "--basis", "invoice", "--buckets", "15,45") == csv_text("""
        customer,currency,unapplied,current,1-15,16-45,45+,total
        acme,USD,0.00,0.00,0.00,700.00,80.00,780.00
        TOTAL,USD,0.00,0.00,0.00,700.00,80.00,780.00
    """)
