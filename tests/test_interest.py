"""`bean-ar interest` and the claims on letters, contract section 11: statutory interest.

Ledgers are `ledgers.HEADER` and the snippet; each test gives the reference rates
it relies on as `ar-rate` directives dated after the shipped tables were last
checked, so no stale-rate warning is printed (the report helper wants stderr empty).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from textwrap import dedent
from typing import TYPE_CHECKING

import pytest
from ledgers import csv_text, invoke, report, write_ledger

from beancount_ar.core.interest import compensation, reference_day

if TYPE_CHECKING:
    from pathlib import Path

INTEREST_HEADER = "invoice,customer,currency,due,settled,days_late,interest,compensation"


def policy(interest: str) -> str:
    return dedent(f"""
        2026-01-01 custom "ar-dunning-policy" "standard"
          interest: "{interest}"
    """)


def test_the_worked_example_of_the_contract(tmp_path: Path) -> None:
    # 10000.00 EUR due 2026-05-16, unpaid, as of 2026-06-30, eu with 2.15 in force:
    # 45 days x 10000.00 x 10.15 / 100 / 365 = 125.14, compensation 40.00.
    snippet = policy("eu") + dedent("""
        2026-01-01 custom "ar-rate" "EU" 2.15
        2026-04-16 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: 2026-05-16
          Assets:Receivable:Acme        10000.00 EUR
          Income:Consulting            -10000.00 EUR
    """)
    assert report(tmp_path, snippet, "interest") == csv_text(f"""
        {INTEREST_HEADER}
        INV-1,acme,EUR,2026-05-16,,45,125.14,40.00
    """)
    assert report(tmp_path, snippet, "dunning") == csv_text("""
        customer,invoice,currency,due,days_overdue,open,level,interest,compensation,fee,total
        acme,INV-1,EUR,2026-05-16,45,10000.00,1,125.14,40.00,0.00,10165.14
    """)


def test_cz_is_fixed_at_the_half_year_the_delay_began(tmp_path: Path) -> None:
    # Delay from 2026-03-01 (first half): 8 + 3.50 (the rate on 2026-01-01) for all
    # 184 days, though the repo rate rose on 2026-05-01 and a new half-year began:
    # 100000.00 x 11.50 x 184 / 36500 = 5797.26, and 1200 CZK compensation.
    snippet = policy("cz") + dedent("""
        2026-01-01 custom "ar-rate" "CZ" 3.50
        2026-05-01 custom "ar-rate" "CZ" 4.00
        2026-01-29 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: 2026-02-28
          Assets:Receivable:Acme       100000.00 CZK
          Income:Consulting           -100000.00 CZK
    """)
    assert report(tmp_path, snippet, "interest", as_of="2026-08-31") == csv_text(f"""
        {INTEREST_HEADER}
        INV-1,acme,CZK,2026-02-28,,184,5797.26,1200.00
    """)


def test_cz_on_eur_invoices_compensates_forty_euros(tmp_path: Path) -> None:
    snippet = policy("cz") + dedent("""
        2026-01-01 custom "ar-rate" "CZ" 3.50
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: 2026-05-31
          Assets:Receivable:Acme          365.00 EUR
          Income:Consulting              -365.00 EUR
        2026-05-01 * "Globex Inc" "Consulting" ^INV-2 #invoice
          due: 2026-05-31
          Assets:Receivable:Globex        365.00 USD
          Income:Consulting              -365.00 USD
    """)
    # 365.00 x 11.50 x 30 / 36500 = 3.45; a USD invoice gets no compensation.
    assert report(tmp_path, snippet, "interest") == csv_text(f"""
        {INTEREST_HEADER}
        INV-1,acme,EUR,2026-05-31,,30,3.45,40.00
        INV-2,globex,USD,2026-05-31,,30,3.45,0.00
    """)


def test_eu_moves_with_the_half_year_of_each_day(tmp_path: Path) -> None:
    # June at 8 + 2.15 (rate on 1 January), July and August at 8 + 2.40 (on 1 July):
    # 10000.00 x (10.15 x 30 + 10.40 x 62) / 36500 = 260.08.
    snippet = policy("eu") + dedent("""
        2026-01-01 custom "ar-rate" "EU" 2.15
        2026-06-15 custom "ar-rate" "EU" 2.40
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: 2026-05-31
          Assets:Receivable:Acme        10000.00 EUR
          Income:Consulting            -10000.00 EUR
    """)
    assert report(tmp_path, snippet, "interest", as_of="2026-08-31") == csv_text(f"""
        {INTEREST_HEADER}
        INV-1,acme,EUR,2026-05-31,,92,260.08,40.00
    """)


def test_uk_compensation_tiers_by_the_invoice_amount(tmp_path: Path) -> None:
    # Delay from 2026-04-01: 8 + the UK rate on 2025-12-31 (3.75, shipped) = 11.75,
    # 30 days by 2026-04-30.
    invoices = "".join(dedent(f"""
        2026-03-01 * "Acme Corp" "Consulting" ^INV-{n} #invoice
          Assets:Receivable:Acme        {amount} GBP
          Income:Consulting            -{amount} GBP
    """) for n, amount in enumerate(("999.99", "1000.00", "9999.99", "10000.00"), 1))
    text = report(tmp_path, policy("uk") + invoices, "interest", as_of="2026-04-30")
    assert text == csv_text(f"""
        {INTEREST_HEADER}
        INV-1,acme,GBP,2026-03-31,,30,9.66,40.00
        INV-2,acme,GBP,2026-03-31,,30,9.66,70.00
        INV-3,acme,GBP,2026-03-31,,30,96.58,70.00
        INV-4,acme,GBP,2026-03-31,,30,96.58,100.00
    """)


@pytest.mark.parametrize(("kind", "amount", "currency", "expected"), [
    ("uk", "999.99", "GBP", "40"), ("uk", "1000.00", "GBP", "70"),
    ("uk", "9999.99", "GBP", "70"), ("uk", "10000.00", "GBP", "100"),
    ("uk", "10000.00", "EUR", "0"), ("cz", "1.00", "CZK", "1200"), ("cz", "1.00", "EUR", "40"),
    ("cz", "1.00", "GBP", "0"), ("eu", "1.00", "EUR", "40"), ("eu", "1.00", "CZK", "0"),
    ("fixed", "1.00", "EUR", "0"), ("none", "1.00", "EUR", "0"),
])
def test_compensation_table(kind: str, amount: str, currency: str, expected: str) -> None:
    assert compensation(kind, Decimal(amount), currency) == Decimal(expected)


@pytest.mark.parametrize(("kind", "start", "day", "expected"), [
    ("cz", "2026-03-01", "2026-09-30", "2026-01-01"),
    ("cz", "2026-07-01", "2027-02-01", "2026-07-01"),
    ("eu", "2026-03-01", "2026-09-30", "2026-07-01"),
    ("eu", "2026-03-01", "2027-01-01", "2027-01-01"),
    ("uk", "2026-03-01", "2026-09-30", "2025-12-31"),
    ("uk", "2026-07-01", "2026-09-30", "2026-06-30"),
])
def test_the_reference_day_of_each_rule(kind: str, start: str, day: str, expected: str) -> None:
    assert reference_day(kind, datetime.date.fromisoformat(start),
                         datetime.date.fromisoformat(day)).isoformat() == expected


def test_interest_on_a_declining_balance(tmp_path: Path) -> None:
    # 10 days on 1000.00, 10 on 600.00, 10 on 300.00 at 10 %: 190000 / 36500 = 5.21.
    # A payment counts from the day after it: its own day accrues on what was open.
    snippet = policy("10%") + dedent("""
        2026-03-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme         1000.00 USD
          Income:Consulting             -1000.00 USD
        2026-04-10 * "Acme Corp" "Payment" ^INV-1
          Assets:Bank:Checking            400.00 USD
          Assets:Receivable:Acme         -400.00 USD
        2026-04-20 * "Acme Corp" "Credit note" ^INV-1 #credit-note
          Assets:Receivable:Acme         -300.00 USD
          Income:Consulting               300.00 USD
    """)
    assert report(tmp_path, snippet, "interest", as_of="2026-04-30") == csv_text(f"""
        {INTEREST_HEADER}
        INV-1,acme,USD,2026-03-31,,30,5.21,0.00
    """)


PAID_LATE = dedent("""
    2026-01-01 custom "ar-rate" "EU" 2.15
    2026-03-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
      Assets:Receivable:Acme         1000.00 EUR
      Income:Consulting             -1000.00 EUR
    2026-04-15 * "Acme Corp" "Payment" ^INV-1
      Assets:Bank:Checking           1000.00 EUR
      Assets:Receivable:Acme        -1000.00 EUR
    2026-03-01 * "Globex Inc" "Consulting" ^INV-2 #invoice
      Assets:Receivable:Globex        500.00 EUR
      Income:Consulting              -500.00 EUR
    2026-03-31 * "Globex Inc" "Payment" ^INV-2
      Assets:Bank:Checking            500.00 EUR
      Assets:Receivable:Globex       -500.00 EUR
""")


def test_an_invoice_paid_late_in_full_is_in_interest_not_in_dunning(tmp_path: Path) -> None:
    # Paid on day 15 of the delay, which counts: 1000.00 x 10.15 x 15 / 36500 = 4.17.
    # INV-2, paid on its due date, was never late.
    snippet = policy("eu") + PAID_LATE
    assert report(tmp_path, snippet, "interest") == csv_text(f"""
        {INTEREST_HEADER}
        INV-1,acme,EUR,2026-03-31,2026-04-15,15,4.17,40.00
    """)
    assert report(tmp_path, snippet, "dunning") == csv_text("""
        customer,invoice,currency,due,days_overdue,open,level,interest,compensation,fee,total
    """)


@pytest.mark.parametrize(("since", "listed"), [
    ("2026-04-15", True), ("2026-04-16", False), ("2026-01-01", True)])
def test_from_keeps_the_settled_on_or_after_it_and_every_open_one(
        tmp_path: Path, since: str, listed: bool) -> None:  # noqa: FBT001
    snippet = policy("eu") + PAID_LATE + dedent("""
        2026-03-01 * "Umbrella Corp" "Consulting" ^INV-3 #invoice
          Assets:Receivable:Umbrella      365.00 EUR
          Income:Consulting              -365.00 EUR
    """)
    text = report(tmp_path, snippet, "interest", "--from", since)
    assert ("INV-1," in text) is listed
    assert "INV-3,umbrella,EUR,2026-03-31,,91," in text


def test_actual_365_in_a_leap_year(tmp_path: Path) -> None:
    # 2028-02-28, 02-29 and 03-01 at 36.5 %: 1000.00 x 36.5 x 3 / 36500 = 3.00
    # (a 366-day year would give 2.99).
    snippet = policy("36.5%") + dedent("""
        2028-01-28 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: 2028-02-27
          Assets:Receivable:Acme         1000.00 USD
          Income:Consulting             -1000.00 USD
    """)
    assert report(tmp_path, snippet, "interest", as_of="2028-03-01") == csv_text(f"""
        {INTEREST_HEADER}
        INV-1,acme,USD,2028-02-27,,3,3.00,0.00
    """)


def test_a_fixed_rate_counts_disputed_days_and_pays_no_compensation(tmp_path: Path) -> None:
    # 9.5 % on 3650.00 for 30 days = 28.50; the dispute changes nothing.
    snippet = policy("9.5%") + dedent("""
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme         3650.00 EUR
          Income:Consulting             -3650.00 EUR
        2026-06-05 custom "ar-dispute" "INV-1" "Hours disputed"
    """)
    assert report(tmp_path, snippet, "interest") == csv_text(f"""
        {INTEREST_HEADER}
        INV-1,acme,EUR,2026-05-31,,30,28.50,0.00
    """)


def test_no_interest_under_the_defaults_and_no_rows_for_none_customers(tmp_path: Path) -> None:
    snippet = dedent("""
        2026-01-02 custom "ar-customer" "globex"
          dunning: "none"
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme         1000.00 USD
          Income:Consulting             -1000.00 USD
        2026-05-01 * "Globex Inc" "Consulting" ^INV-2 #invoice
          Assets:Receivable:Globex       1000.00 USD
          Income:Consulting             -1000.00 USD
    """)
    assert report(tmp_path, snippet, "interest") == csv_text(f"""
        {INTEREST_HEADER}
        INV-1,acme,USD,2026-05-31,,30,0.00,0.00
    """)


def test_a_delay_past_the_last_check_of_a_shipped_table_warns(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, policy("eu") + dedent("""
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme        10000.00 EUR
          Income:Consulting            -10000.00 EUR
    """))
    # The delay runs into July: the eu rule reads the rate of 1 July, after the table's
    # last check. The last known rate (2.15, from 2025-06-11) still applies:
    # 10000 x 10.15 x 45 / 36500.
    result = invoke("interest", path, "--as-of", "2026-07-15", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("INV-1,acme,EUR,2026-05-31,,45,125.14,40.00\n")
    assert result.stderr == (
        "bean-ar: warning: the shipped EU reference rates (ECB main refinancing operations "
        "rate) were last checked on 2026-02-05; a delay runs past that day and no newer "
        'ar-rate "EU" is in the ledger, so the last known rate still applies (add the rate '
        "if it changed)\n")
    dunning = invoke("dunning", path, "--as-of", "2026-07-15", "--format", "csv")
    assert "last checked on 2026-02-05" in dunning.stderr
