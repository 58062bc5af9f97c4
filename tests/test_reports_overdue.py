"""`bean-ar overdue`, contract sections 5 and 7: a ledger snippet in, the exact CSV out.

Every ledger is `ledgers.HEADER` (customers acme, globex, umbrella, kaiju; terms
net 30) followed by the snippet; the report is as of 2026-06-30 unless a test
says otherwise.
"""

from __future__ import annotations

import json
from textwrap import dedent
from typing import TYPE_CHECKING

from ledgers import OVERDUE_HEADER, csv_text, overdue_csv, report

if TYPE_CHECKING:
    from pathlib import Path


def test_most_days_overdue_first_ties_by_invoice_number(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-02-01 * "Acme Corp" "Consulting" ^INV-010 #invoice
          due: 2026-05-31
          Assets:Receivable:Acme         100.00 USD
          Income:Consulting             -100.00 USD

        2026-02-01 * "Globex Inc" "Consulting" ^INV-002 #invoice
          due: 2026-05-31
          Assets:Receivable:Globex       200.00 EUR
          Income:Consulting             -200.00 EUR

        2026-02-01 * "Umbrella Corp" "Consulting" ^INV-003 #invoice
          due: 2026-03-31
          Assets:Receivable:Umbrella     300.00 USD
          Income:Consulting             -300.00 USD

        2026-02-01 * "Acme Corp" "Consulting" ^INV-001 #invoice
          due: 2026-06-29
          Assets:Receivable:Acme         400.00 USD
          Income:Consulting             -400.00 USD

        2026-02-01 * "Acme Corp" "Consulting" ^INV-004 #invoice
          due: 2026-06-30
          Assets:Receivable:Acme         500.00 USD
          Income:Consulting             -500.00 USD

        2026-02-01 * "Acme Corp" "Consulting" ^INV-005 #invoice
          due: 2026-07-01
          Assets:Receivable:Acme         600.00 USD
          Income:Consulting             -600.00 USD
    """)
    assert overdue_csv(tmp_path, snippet) == csv_text("""
        invoice,customer,currency,date,due,days_overdue,amount,open,status
        INV-003,umbrella,USD,2026-02-01,2026-03-31,91,300.00,300.00,overdue
        INV-002,globex,EUR,2026-02-01,2026-05-31,30,200.00,200.00,overdue
        INV-010,acme,USD,2026-02-01,2026-05-31,30,100.00,100.00,overdue
        INV-001,acme,USD,2026-02-01,2026-06-29,1,400.00,400.00,overdue
    """)


def test_due_from_terms(tmp_path: Path) -> None:
    # net 30 (the default) from 2026-05-01: due 2026-05-31.
    snippet = dedent("""
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme         100.00 USD
          Income:Consulting             -100.00 USD

        2026-06-01 * "Acme Corp" "Consulting" ^INV-2 #invoice
          terms: "due on receipt"
          Assets:Receivable:Acme          50.00 USD
          Income:Consulting              -50.00 USD
    """)
    assert overdue_csv(tmp_path, snippet) == csv_text("""
        invoice,customer,currency,date,due,days_overdue,amount,open,status
        INV-1,acme,USD,2026-05-01,2026-05-31,30,100.00,100.00,overdue
        INV-2,acme,USD,2026-06-01,2026-06-01,29,50.00,50.00,overdue
    """)


def test_amount_is_the_invoice_open_is_what_is_still_owed(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-01-05 * "Acme Corp" "Consulting, January" ^INV-2026-001 #invoice
          due: 2026-02-04
          Assets:Receivable:Acme        1800.00 USD
          Income:Consulting            -1500.00 USD
          Liabilities:SalesTax          -300.00 USD

        2026-02-10 * "Acme Corp" "Credit note: 2 hours not billable" ^INV-2026-001 #credit-note
          Assets:Receivable:Acme        -300.00 USD
          Income:Consulting              300.00 USD

        2026-03-01 * "Acme Corp" "Payment, part" ^INV-2026-001
          Assets:Bank:Checking           500.00 USD
          Assets:Receivable:Acme        -500.00 USD
    """)
    assert overdue_csv(tmp_path, snippet) == csv_text("""
        invoice,customer,currency,date,due,days_overdue,amount,open,status
        INV-2026-001,acme,USD,2026-01-05,2026-02-04,146,1800.00,1000.00,overdue
    """)


def test_status_overdue_disputed_collections(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-05-01 * "Acme Corp" "plain" ^INV-A #invoice
          Assets:Receivable:Acme         100.00 USD
          Income:Consulting             -100.00 USD

        2026-05-01 * "Acme Corp" "disputed" ^INV-B #invoice
          Assets:Receivable:Acme         200.00 USD
          Income:Consulting             -200.00 USD

        2026-05-01 * "Acme Corp" "escalated" ^INV-C #invoice
          Assets:Receivable:Acme         300.00 USD
          Income:Consulting             -300.00 USD

        2026-05-01 * "Acme Corp" "disputed and escalated" ^INV-D #invoice
          Assets:Receivable:Acme         400.00 USD
          Income:Consulting             -400.00 USD

        2026-05-01 * "Acme Corp" "dispute resolved" ^INV-E #invoice
          Assets:Receivable:Acme         500.00 USD
          Income:Consulting             -500.00 USD

        2026-05-01 * "Acme Corp" "disputed after the report date" ^INV-F #invoice
          Assets:Receivable:Acme         600.00 USD
          Income:Consulting             -600.00 USD

        2026-05-01 * "Acme Corp" "dunning letter sent" ^INV-G #invoice
          Assets:Receivable:Acme         700.00 USD
          Income:Consulting             -700.00 USD

        2026-06-02 custom "ar-dispute"  "INV-B" "Hours disputed"
        2026-06-03 custom "ar-escalate" "INV-C" "agency"
        2026-06-04 custom "ar-dispute"  "INV-D" "Hours disputed"
        2026-06-05 custom "ar-escalate" "INV-D" "legal"
        2026-06-06 custom "ar-dispute"  "INV-E" "Hours disputed"
        2026-06-07 custom "ar-resolve"  "INV-E"
        2026-07-01 custom "ar-dispute"  "INV-F" "Too late for this report"
        2026-06-08 custom "ar-dunning"  "INV-G" 1
    """)
    assert overdue_csv(tmp_path, snippet) == csv_text("""
        invoice,customer,currency,date,due,days_overdue,amount,open,status
        INV-A,acme,USD,2026-05-01,2026-05-31,30,100.00,100.00,overdue
        INV-B,acme,USD,2026-05-01,2026-05-31,30,200.00,200.00,disputed
        INV-C,acme,USD,2026-05-01,2026-05-31,30,300.00,300.00,collections
        INV-D,acme,USD,2026-05-01,2026-05-31,30,400.00,400.00,collections
        INV-E,acme,USD,2026-05-01,2026-05-31,30,500.00,500.00,overdue
        INV-F,acme,USD,2026-05-01,2026-05-31,30,600.00,600.00,overdue
        INV-G,acme,USD,2026-05-01,2026-05-31,30,700.00,700.00,overdue
    """)


def test_escalated_then_disputed_is_still_collections(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme         100.00 USD
          Income:Consulting             -100.00 USD

        2026-06-10 custom "ar-escalate" "INV-1" "agency"
        2026-06-20 custom "ar-dispute"  "INV-1" "Never received the goods"
    """)
    assert overdue_csv(tmp_path, snippet) == csv_text("""
        invoice,customer,currency,date,due,days_overdue,amount,open,status
        INV-1,acme,USD,2026-05-01,2026-05-31,30,100.00,100.00,collections
    """)


def test_due_today_not_yet_due_and_paid_invoices_are_not_listed(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-05-01 * "Acme Corp" "due today" ^INV-1 #invoice
          due: 2026-06-30
          Assets:Receivable:Acme         100.00 USD
          Income:Consulting             -100.00 USD

        2026-05-01 * "Acme Corp" "not yet due" ^INV-2 #invoice
          due: 2026-07-15
          Assets:Receivable:Acme         200.00 USD
          Income:Consulting             -200.00 USD

        2026-03-01 * "Acme Corp" "paid late" ^INV-3 #invoice
          Assets:Receivable:Acme         300.00 USD
          Income:Consulting             -300.00 USD

        2026-06-15 * "Acme Corp" "Payment" ^INV-3
          Assets:Bank:Checking           300.00 USD
          Assets:Receivable:Acme        -300.00 USD

        2026-03-01 * "Globex Inc" "paid by credit note and write-off" ^INV-4 #invoice
          Assets:Receivable:Globex       400.00 USD
          Income:Consulting             -400.00 USD

        2026-04-01 * "Globex Inc" "Credit note" ^INV-4 #credit-note
          Assets:Receivable:Globex      -100.00 USD
          Income:Consulting              100.00 USD

        2026-06-01 * "Globex Inc" "Write-off" ^INV-4 #write-off
          Expenses:BadDebt               300.00 USD
          Assets:Receivable:Globex      -300.00 USD
    """)
    assert overdue_csv(tmp_path, snippet) == OVERDUE_HEADER + "\n"


def test_as_of_ignores_later_payments_and_later_invoices(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: 2026-06-10
          Assets:Receivable:Acme        1000.00 USD
          Income:Consulting            -1000.00 USD

        2026-07-01 * "Acme Corp" "Consulting" ^INV-2 #invoice
          due: 2026-07-01
          Assets:Receivable:Acme         600.00 USD
          Income:Consulting             -600.00 USD

        2026-07-05 * "Acme Corp" "Payment" ^INV-1
          Assets:Bank:Checking          1000.00 USD
          Assets:Receivable:Acme       -1000.00 USD
    """)
    assert overdue_csv(tmp_path, snippet, as_of="2026-06-30") == csv_text("""
        invoice,customer,currency,date,due,days_overdue,amount,open,status
        INV-1,acme,USD,2026-05-01,2026-06-10,20,1000.00,1000.00,overdue
    """)
    assert overdue_csv(tmp_path, snippet, as_of="2026-07-05") == csv_text("""
        invoice,customer,currency,date,due,days_overdue,amount,open,status
        INV-2,acme,USD,2026-07-01,2026-07-01,4,600.00,600.00,overdue
    """)


def test_zero_decimal_currency(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-05-01 * "Kaiju KK" "Consulting" ^K-1 #invoice
          Assets:Receivable:Kaiju      150000 JPY
          Income:Consulting           -150000 JPY

        2026-06-10 * "Kaiju KK" "Payment" ^K-1
          Assets:Bank:Checking          50000 JPY
          Assets:Receivable:Kaiju      -50000 JPY
    """)
    assert overdue_csv(tmp_path, snippet) == csv_text("""
        invoice,customer,currency,date,due,days_overdue,amount,open,status
        K-1,kaiju,JPY,2026-05-01,2026-05-31,30,150000,100000,overdue
    """)


def test_json_has_the_csv_fields_with_amounts_as_strings(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-01-05 * "Acme Corp" "Consulting" ^INV-2026-001 #invoice
          due: 2026-02-04
          Assets:Receivable:Acme       12345.67 USD
          Income:Consulting           -12345.67 USD

        2026-03-01 * "Acme Corp" "Payment, part" ^INV-2026-001
          Assets:Bank:Checking           345.67 USD
          Assets:Receivable:Acme        -345.67 USD

        2026-06-01 custom "ar-dispute" "INV-2026-001" "Hours disputed"
    """)
    records = json.loads(report(tmp_path, snippet, "overdue", output_format="json"))
    assert len(records) == 1
    record = records[0]
    assert list(record) == OVERDUE_HEADER.split(",")
    assert int(record.pop("days_overdue")) == 146
    assert record == {
        "invoice": "INV-2026-001", "customer": "acme", "currency": "USD",
        "date": "2026-01-05", "due": "2026-02-04", "amount": "12345.67", "open": "12000.00",
        "status": "disputed",
    }


def test_empty_json_is_an_empty_list(tmp_path: Path) -> None:
    assert json.loads(report(tmp_path, "", "overdue", output_format="json")) == []
