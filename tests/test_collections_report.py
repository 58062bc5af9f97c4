"""`bean-ar collections`, contract section 12: a ledger snippet in, the exact CSV out.

Every ledger is `ledgers.HEADER` (customers acme, globex, umbrella, kaiju; terms
net 30) followed by the snippet. `HISTORY` has every kind of application
between January and May 2026, and a silent March.
"""

from __future__ import annotations

import datetime
import json
from textwrap import dedent
from typing import TYPE_CHECKING

import pytest
from ledgers import csv_text, invoke, write_ledger

from beancount_ar.reports import aging

if TYPE_CHECKING:
    from pathlib import Path

HEADER = ("period,currency,invoiced,credited,collected,written_off,open,open_count,overdue,"
          "overdue_count")

HISTORY = dedent("""
    2026-01-10 * "Acme Corp" "January" ^INV-1 #invoice
      Assets:Receivable:Acme          1000.00 USD
      Income:Consulting              -1000.00 USD

    2026-01-20 * "Umbrella Corp" "Prepayment" #on-account
      Assets:Bank:Checking             700.00 USD
      Assets:Receivable:Umbrella      -700.00 USD

    2026-02-05 * "Acme Corp" "Payment, part" ^INV-1
      Assets:Bank:Checking             600.00 USD
      Assets:Receivable:Acme          -600.00 USD

    2026-02-10 * "Acme Corp" "Credit note" ^INV-1 #credit-note
      Assets:Receivable:Acme          -100.00 USD
      Income:Consulting                100.00 USD

    2026-02-15 * "Umbrella Corp" "February" ^INV-2 #invoice
      Assets:Receivable:Umbrella       500.00 USD
      Income:Consulting               -500.00 USD

    2026-04-01 * "Umbrella Corp" "Apply prepayment" #on-account
      Assets:Receivable:Umbrella       300.00 USD
      Assets:Receivable:Umbrella      -300.00 USD
        invoice: "INV-2"

    2026-04-10 * "Acme Corp" "Write-off" ^INV-1 #write-off
      Expenses:BadDebt                 300.00 USD
      Assets:Receivable:Acme          -300.00 USD

    2026-04-20 * "Umbrella Corp" "Refund of unapplied credit" #on-account
      Assets:Receivable:Umbrella       100.00 USD
      Assets:Bank:Checking            -100.00 USD

    2026-05-05 * "Umbrella Corp" "Payment" ^INV-2
      Assets:Bank:Checking             200.00 USD
      Assets:Receivable:Umbrella      -200.00 USD

    2026-05-20 * "Umbrella Corp" "Bounced, part" ^INV-2
      Assets:Receivable:Umbrella        50.00 USD
      Assets:Bank:Checking             -50.00 USD

    2026-05-25 * "Globex Inc" "May" ^INV-3 #invoice
      due: 2026-06-30
      Assets:Receivable:Globex        2000.00 EUR
      Income:Consulting              -2000.00 EUR
""")
# INV-1 is due 2026-02-09, INV-2 2026-03-17, INV-3 2026-06-30 (not overdue on that day).

YEAR_END = dedent("""
    2026-12-22 * "Acme Corp" "December" ^INV-W #invoice
      due: 2026-12-31
      Assets:Receivable:Acme           400.00 USD
      Income:Consulting               -400.00 USD

    2027-01-02 * "Acme Corp" "Payment, part" ^INV-W
      Assets:Bank:Checking             150.00 USD
      Assets:Receivable:Acme          -150.00 USD

    2027-01-05 * "Acme Corp" "Payment, the rest" ^INV-W
      Assets:Bank:Checking             250.00 USD
      Assets:Receivable:Acme          -250.00 USD
""")

ZERO_EUR = "0.00,0.00,0.00,0.00,0.00,0,0.00,0"


def collections(tmp_path: Path, body: str, *options: str, output_format: str = "csv") -> str:
    """`bean-ar collections LEDGER --format FORMAT OPTIONS`: its output (exit 0, no stderr)."""
    path = write_ledger(tmp_path, body)
    result = invoke("collections", path, "--format", output_format, *options)
    assert result.exit_code == 0, result.output
    assert result.stderr == "", result.stderr
    return result.stdout


def test_months_with_every_kind_of_application_and_a_silent_month(tmp_path: Path) -> None:
    # April: the prepayment applied to INV-2 nets to zero; the refund of unapplied
    # credit is cash out. May: a payment in, part of it bounced (a debit on INV-2).
    # EUR is used by --to, so it has a row in every month, zeros included.
    assert collections(tmp_path, HISTORY, "--from", "2026-01-01", "--to", "2026-06-30") == (
        csv_text(f"""
        {HEADER}
        2026-01,EUR,{ZERO_EUR}
        2026-01,USD,1000.00,0.00,700.00,0.00,300.00,1,0.00,0
        2026-02,EUR,{ZERO_EUR}
        2026-02,USD,500.00,100.00,600.00,0.00,100.00,2,300.00,1
        2026-03,EUR,{ZERO_EUR}
        2026-03,USD,0.00,0.00,0.00,0.00,100.00,2,800.00,2
        2026-04,EUR,{ZERO_EUR}
        2026-04,USD,0.00,0.00,-100.00,300.00,-100.00,1,200.00,1
        2026-05,EUR,2000.00,0.00,0.00,0.00,2000.00,1,0.00,0
        2026-05,USD,0.00,0.00,150.00,0.00,-250.00,1,50.00,1
        2026-06,EUR,0.00,0.00,0.00,0.00,2000.00,1,0.00,0
        2026-06,USD,0.00,0.00,0.00,0.00,-250.00,1,50.00,1
    """))


def test_quarters_and_a_last_period_cut_at_to(tmp_path: Path) -> None:
    assert collections(tmp_path, HISTORY, "--period", "quarter", "--from", "2026-01-01",
                       "--to", "2026-06-30") == csv_text(f"""
        {HEADER}
        2026-Q1,EUR,{ZERO_EUR}
        2026-Q1,USD,1500.00,100.00,1300.00,0.00,100.00,2,800.00,2
        2026-Q2,EUR,2000.00,0.00,0.00,0.00,2000.00,1,0.00,0
        2026-Q2,USD,0.00,0.00,50.00,300.00,-250.00,1,50.00,1
    """)
    # Up to 2026-05-10: INV-2 is paid (no bounce yet), and EUR is not used yet: no EUR rows.
    assert collections(tmp_path, HISTORY, "--period", "quarter", "--from", "2026-01-01",
                       "--to", "2026-05-10") == csv_text(f"""
        {HEADER}
        2026-Q1,USD,1500.00,100.00,1300.00,0.00,100.00,2,800.00,2
        2026-Q2,USD,0.00,0.00,100.00,300.00,-300.00,0,0.00,0
    """)


def test_a_year(tmp_path: Path) -> None:
    assert collections(tmp_path, HISTORY, "--period", "year", "--from", "2026-01-01",
                       "--to", "2026-06-30") == csv_text(f"""
        {HEADER}
        2026,EUR,2000.00,0.00,0.00,0.00,2000.00,1,0.00,0
        2026,USD,1500.00,100.00,1350.00,300.00,-250.00,1,50.00,1
    """)


def test_iso_weeks_across_a_year_boundary(tmp_path: Path) -> None:
    # 2026 has 53 ISO weeks: 2026-W53 runs from Monday 2026-12-28 to Sunday 2027-01-03.
    assert collections(tmp_path, YEAR_END, "--period", "week", "--from", "2026-12-21",
                       "--to", "2027-01-10") == csv_text(f"""
        {HEADER}
        2026-W52,USD,400.00,0.00,0.00,0.00,400.00,1,0.00,0
        2026-W53,USD,0.00,0.00,150.00,0.00,250.00,1,250.00,1
        2027-W01,USD,0.00,0.00,250.00,0.00,0.00,0,0.00,0
    """)


def test_years_across_the_boundary_and_due_on_the_last_day_is_not_overdue(
        tmp_path: Path) -> None:
    assert collections(tmp_path, YEAR_END, "--period", "year", "--from", "2026-12-01",
                       "--to", "2027-01-10") == csv_text(f"""
        {HEADER}
        2026,USD,400.00,0.00,0.00,0.00,400.00,1,0.00,0
        2027,USD,0.00,0.00,400.00,0.00,0.00,0,0.00,0
    """)


def test_days_around_a_due_date(tmp_path: Path) -> None:
    # Due 2026-12-31: not yet due that day, past due the day after.
    assert collections(tmp_path, YEAR_END, "--period", "day", "--from", "2026-12-30",
                       "--to", "2027-01-02") == csv_text(f"""
        {HEADER}
        2026-12-30,USD,0.00,0.00,0.00,0.00,400.00,1,0.00,0
        2026-12-31,USD,0.00,0.00,0.00,0.00,400.00,1,0.00,0
        2027-01-01,USD,0.00,0.00,0.00,0.00,400.00,1,400.00,1
        2027-01-02,USD,0.00,0.00,150.00,0.00,250.00,1,250.00,1
    """)


def test_an_invoice_due_on_the_months_last_day_is_overdue_only_after_it(
        tmp_path: Path) -> None:
    snippet = """
        2026-03-02 * "Kaiju KK" "March" ^INV-K #invoice
          due: 2026-03-31
          Assets:Receivable:Kaiju        1000.00 USD
          Income:Consulting             -1000.00 USD
    """
    assert collections(tmp_path, snippet, "--from", "2026-03-01", "--to", "2026-04-30") == (
        csv_text(f"""
        {HEADER}
        2026-03,USD,1000.00,0.00,0.00,0.00,1000.00,1,0.00,0
        2026-04,USD,0.00,0.00,0.00,0.00,1000.00,1,1000.00,1
    """))


def test_from_within_a_period_still_reports_the_whole_period(tmp_path: Path) -> None:
    # The first row is February, all of it: the payment of 2026-02-05 counts, and
    # it starts from the open of 2026-01-31.
    assert collections(tmp_path, HISTORY, "--from", "2026-02-20", "--to", "2026-03-10") == (
        csv_text("""
        period,currency,invoiced,credited,collected,written_off,open,open_count,overdue,overdue_count
        2026-02,USD,500.00,100.00,600.00,0.00,100.00,2,300.00,1
        2026-03,USD,0.00,0.00,0.00,0.00,100.00,2,300.00,1
    """))


def test_by_customer_keeps_the_rows_with_a_figure(tmp_path: Path) -> None:
    # acme has nothing left after April's write-off, kaiju never had anything.
    assert collections(tmp_path, HISTORY, "--from", "2026-01-01", "--to", "2026-06-30",
                       "--by", "customer") == csv_text(f"""
        customer,{HEADER}
        acme,2026-01,USD,1000.00,0.00,0.00,0.00,1000.00,1,0.00,0
        umbrella,2026-01,USD,0.00,0.00,700.00,0.00,-700.00,0,0.00,0
        acme,2026-02,USD,0.00,100.00,600.00,0.00,300.00,1,300.00,1
        umbrella,2026-02,USD,500.00,0.00,0.00,0.00,-200.00,1,0.00,0
        acme,2026-03,USD,0.00,0.00,0.00,0.00,300.00,1,300.00,1
        umbrella,2026-03,USD,0.00,0.00,0.00,0.00,-200.00,1,500.00,1
        acme,2026-04,USD,0.00,0.00,0.00,300.00,0.00,0,0.00,0
        umbrella,2026-04,USD,0.00,0.00,-100.00,0.00,-100.00,1,200.00,1
        globex,2026-05,EUR,2000.00,0.00,0.00,0.00,2000.00,1,0.00,0
        umbrella,2026-05,USD,0.00,0.00,150.00,0.00,-250.00,1,50.00,1
        globex,2026-06,EUR,0.00,0.00,0.00,0.00,2000.00,1,0.00,0
        umbrella,2026-06,USD,0.00,0.00,0.00,0.00,-250.00,1,50.00,1
    """)


COLLECTORS = dedent("""
    2026-01-02 custom "ar-customer" "acme"
      collector: "jana"

    2026-01-02 custom "ar-customer" "umbrella"
      collector: "petr"

    2026-06-01 custom "ar-customer" "umbrella"
      collector: "jana"
""")


def test_by_collector_groups_customers_by_the_collector_on_to(tmp_path: Path) -> None:
    # umbrella passed from petr to jana on 2026-06-01: on --to 2026-06-30 its whole
    # history is jana's, beside acme's. globex has no collector: `-`.
    assert collections(tmp_path, COLLECTORS + HISTORY, "--from", "2026-01-01",
                       "--to", "2026-06-30", "--by", "collector") == csv_text(f"""
        collector,{HEADER}
        jana,2026-01,USD,1000.00,0.00,700.00,0.00,300.00,1,0.00,0
        jana,2026-02,USD,500.00,100.00,600.00,0.00,100.00,2,300.00,1
        jana,2026-03,USD,0.00,0.00,0.00,0.00,100.00,2,800.00,2
        jana,2026-04,USD,0.00,0.00,-100.00,300.00,-100.00,1,200.00,1
        -,2026-05,EUR,2000.00,0.00,0.00,0.00,2000.00,1,0.00,0
        jana,2026-05,USD,0.00,0.00,150.00,0.00,-250.00,1,50.00,1
        -,2026-06,EUR,0.00,0.00,0.00,0.00,2000.00,1,0.00,0
        jana,2026-06,USD,0.00,0.00,0.00,0.00,-250.00,1,50.00,1
    """)
    # On 2026-05-31 umbrella is still petr's.
    assert collections(tmp_path, COLLECTORS + HISTORY, "--period", "quarter", "--from",
                       "2026-04-01", "--to", "2026-05-31", "--by", "collector") == csv_text(f"""
        collector,{HEADER}
        -,2026-Q2,EUR,2000.00,0.00,0.00,0.00,2000.00,1,0.00,0
        jana,2026-Q2,USD,0.00,0.00,0.00,300.00,0.00,0,0.00,0
        petr,2026-Q2,USD,0.00,0.00,50.00,0.00,-250.00,1,50.00,1
    """)


def test_from_defaults_to_the_first_invoice_and_to_to_today(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # kaiju's prepayment comes before the first invoice: it is in the open the first
    # day starts from, in no day's figures.
    snippet = """
        2026-01-05 * "Kaiju KK" "Prepayment" #on-account
          Assets:Bank:Checking            100.00 USD
          Assets:Receivable:Kaiju        -100.00 USD

        2026-01-14 * "Acme Corp" "January" ^INV-1 #invoice
          Assets:Receivable:Acme          1000.00 USD
          Income:Consulting              -1000.00 USD
    """
    monkeypatch.setattr(aging, "today", lambda: datetime.date(2026, 1, 16))
    assert collections(tmp_path, snippet, "--period", "day") == csv_text(f"""
        {HEADER}
        2026-01-14,USD,1000.00,0.00,0.00,0.00,900.00,1,0.00,0
        2026-01-15,USD,0.00,0.00,0.00,0.00,900.00,1,0.00,0
        2026-01-16,USD,0.00,0.00,0.00,0.00,900.00,1,0.00,0
    """)


def test_to_defaults_to_the_real_today(tmp_path: Path) -> None:
    snippet = """
        2026-01-14 * "Acme Corp" "January" ^INV-1 #invoice
          Assets:Receivable:Acme          1000.00 USD
          Income:Consulting              -1000.00 USD
    """
    text = collections(tmp_path, snippet, "--period", "year")
    last = text.splitlines()[-1]
    assert last.startswith(f"{datetime.datetime.now().astimezone().year},USD,")


def test_nothing_to_report(tmp_path: Path) -> None:
    assert collections(tmp_path, "") == HEADER + "\n"
    assert collections(tmp_path, "", "--from", "2026-01-01", "--to", "2026-03-31") == (
        HEADER + "\n")
    assert collections(tmp_path, "", "--format", "json") == "[]\n"
    # The first invoice comes after --to: no period to report.
    assert collections(tmp_path, HISTORY, "--to", "2026-01-09") == HEADER + "\n"
    table = collections(tmp_path, "", output_format="table")
    assert table == "Billed and collected by month\n\nNothing to report.\n"


def test_json_carries_the_csv_fields_with_counts_as_numbers(tmp_path: Path) -> None:
    text = collections(tmp_path, HISTORY, "--period", "quarter", "--from", "2026-04-01",
                       "--to", "2026-06-30", "--by", "customer", output_format="json")
    assert json.loads(text)[0] == {
        "customer": "acme", "period": "2026-Q2", "currency": "USD", "invoiced": "0.00",
        "credited": "0.00", "collected": "0.00", "written_off": "300.00", "open": "0.00",
        "open_count": 0, "overdue": "0.00", "overdue_count": 0}


def test_the_table_for_people(tmp_path: Path) -> None:
    text = collections(tmp_path, HISTORY, "--period", "quarter", "--from", "2026-01-01",
                       "--to", "2026-06-30", "--by", "customer", output_format="table")
    assert text == dedent("""\
        Billed and collected by quarter and customer, 2026-01-01 to 2026-06-30

        Period   Customer  Name           Cur  Invoiced  Credited  Collected  Written off      Open  Open #  Overdue  Overdue #
        -------  --------  -------------  ---  --------  --------  ---------  -----------  --------  ------  -------  ---------
        2026-Q1  acme      Acme Corp      USD  1,000.00    100.00     600.00         0.00    300.00       1   300.00          1
        2026-Q1  umbrella  Umbrella Corp  USD    500.00      0.00     700.00         0.00   -200.00       1   500.00          1
        2026-Q2  acme      Acme Corp      USD      0.00      0.00       0.00       300.00      0.00       0     0.00          0
        2026-Q2  globex    Globex Inc     EUR  2,000.00      0.00       0.00         0.00  2,000.00       1     0.00          0
        2026-Q2  umbrella  Umbrella Corp  USD      0.00      0.00      50.00         0.00   -250.00       1    50.00          1
        -------  --------  -------------  ---  --------  --------  ---------  -----------  --------  ------  -------  ---------
        TOTAL                             EUR  2,000.00      0.00       0.00         0.00  2,000.00       1     0.00          0
        TOTAL                             USD  1,500.00    100.00   1,350.00       300.00   -250.00       1    50.00          1
    """)  # noqa: E501


@pytest.mark.parametrize(("options", "message"), [
    (("--from", "2026-07-01", "--to", "2026-06-30"), "2026-07-01 is after --to 2026-06-30"),
    (("--period", "fortnight"), "'fortnight' is not one of"),
    (("--from", "2026-13-01"), "is not a date"),
    (("--by", "region"), "'region' is not one of"),
])
def test_bad_usage_exits_2(tmp_path: Path, options: tuple[str, ...], message: str) -> None:
    path = write_ledger(tmp_path, HISTORY)
    result = invoke("collections", path, *options)
    assert result.exit_code == 2
    assert message in result.stderr


def test_with_ignore_errors_a_posting_on_no_invoice_counts_as_collected(tmp_path: Path) -> None:
    # AR202: the payment names no known invoice; kept on the account, so the open
    # still ties to the aging.
    snippet = """
        2026-01-10 * "Acme Corp" "January" ^INV-1 #invoice
          Assets:Receivable:Acme          1000.00 USD
          Income:Consulting              -1000.00 USD

        2026-01-20 * "Acme Corp" "Payment" ^INV-9
          Assets:Bank:Checking             400.00 USD
          Assets:Receivable:Acme          -400.00 USD
    """
    path = write_ledger(tmp_path, snippet)
    result = invoke("collections", path, "--from", "2026-01-01", "--to", "2026-01-31",
                    "--format", "csv", "--ignore-errors")
    assert result.exit_code == 0, result.output
    assert "AR202" in result.stderr
    assert result.stdout == csv_text(f"""
        {HEADER}
        2026-01,USD,1000.00,0.00,400.00,0.00,600.00,1,0.00,0
    """)
    aging_result = invoke("aging", path, "--as-of", "2026-01-31", "--format", "csv",
                          "--ignore-errors")
    assert aging_result.stdout.splitlines()[-1].endswith(",600.00")
