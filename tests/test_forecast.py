"""`bean-ar forecast`, contract section 12: a ledger snippet in, the exact CSV out.

The ledgers are written by `forecast_ledgers` (customers acme, globex, umbrella,
kaiju from 2025-01-01; invoices with an explicit `due` and their payments); the
forecast is as of Tuesday 2026-06-30, in ISO week 2026-W27 (29 June to 5 July),
unless a test says otherwise.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from forecast_ledgers import FORECAST_HEADER, day, forecast_csv, invoice, paid, run, settled
from ledgers import csv_text

if TYPE_CHECKING:
    from pathlib import Path


# --- who pays when -----------------------------------------------------------------


def test_customers_with_fixed_habits_are_expected_on_their_week(tmp_path: Path) -> None:
    # acme pays 10 days late, globex 4 days early: due on Sunday 5 July (W27) and
    # Wednesday 15 July (W29), acme's invoice is expected on 15 July (W29) and
    # globex's on Saturday 11 July (W28).
    body = (settled("acme", 10, "1000.00", "250.00", "4000.00")
            + settled("globex", -4, "10.00", "20.00", "30.00")
            + invoice("INV-A", "acme", "2026-07-05", "1800.00")
            + invoice("INV-G", "globex", "2026-07-15", "700.00"))
    assert forecast_csv(tmp_path, body, "--weeks", "4") == csv_text("""
        week,currency,expected,invoices
        2026-W27,USD,0.00,0
        2026-W28,USD,700.00,1
        2026-W29,USD,1800.00,1
        2026-W30,USD,0.00,0
        later,USD,0.00,0
    """)


@pytest.mark.parametrize(("days", "due", "week"), [
    # 1000 and 1000 paid on time, 2000 paid 15 days off: weighted 7.5 -> 8 (half up),
    # where the plain average of the invoices would be 5.
    (15, "2026-07-05", "2026-W29"),  # Sunday + 8 = Monday 13 July; + 7 would stay in W28
    (-15, "2026-07-20", "2026-W28"),  # Monday - 8 = Sunday 12 July; - 7 would be W29
])
def test_lateness_is_amount_weighted_and_rounded_half_away_from_zero(
        tmp_path: Path, days: int, due: str, week: str) -> None:
    body = (settled("acme", 0, "1000.00", "1000.00") + settled("acme", days, "2000.00")
            + invoice("INV-1", "acme", due, "100.00"))
    rows = forecast_csv(tmp_path, body, "--weeks", "5").splitlines()[1:]
    assert [row for row in rows if not row.endswith(",0")] == [f"{week},USD,100.00,1"]


def test_fewer_than_three_settled_falls_back_to_all_customers_in_the_currency(
        tmp_path: Path) -> None:
    # USD: acme 3 x 1000 at 10 days and umbrella 2 x 1000 at 20 days: 70000 / 5000 = 14.
    # EUR: globex 3 at 7 days. Umbrella (2 invoices) gets 14 in USD and 7 in EUR;
    # due Wednesday 1 July: 15 July (W29) and 8 July (W28); its own 20 would be W30.
    body = (settled("acme", 10, "1000.00", "1000.00", "1000.00")
            + settled("umbrella", 20, "1000.00", "1000.00")
            + settled("globex", 7, "5.00", "5.00", "5.00", currency="EUR")
            + invoice("INV-U1", "umbrella", "2026-07-01", "300.00")
            + invoice("INV-U2", "umbrella", "2026-07-01", "200.00", "EUR"))
    assert forecast_csv(tmp_path, body, "--weeks", "4") == csv_text("""
        week,currency,expected,invoices
        2026-W27,EUR,0.00,0
        2026-W27,USD,0.00,0
        2026-W28,EUR,200.00,1
        2026-W28,USD,0.00,0
        2026-W29,EUR,0.00,0
        2026-W29,USD,300.00,1
        2026-W30,EUR,0.00,0
        2026-W30,USD,0.00,0
        later,EUR,0.00,0
        later,USD,0.00,0
    """)


def test_no_history_in_the_currency_means_the_due_date(tmp_path: Path) -> None:
    # Only USD was ever settled: kaiju's EUR invoice and a ledger with no history at
    # all both expect the due date, Wednesday 8 July (W28).
    open_eur = invoice("INV-K", "kaiju", "2026-07-08", "90.00", "EUR")
    expected = csv_text("""
        week,currency,expected,invoices
        2026-W27,EUR,0.00,0
        2026-W28,EUR,90.00,1
        later,EUR,0.00,0
    """)
    assert forecast_csv(tmp_path, open_eur, "--weeks", "2") == expected
    history = settled("acme", 30, "1.00", "1.00", "1.00")
    assert forecast_csv(tmp_path, history + open_eur, "--weeks", "2") == expected


def test_only_the_365_days_up_to_as_of_count(tmp_path: Path) -> None:
    # Settled on 2025-07-01 (as-of - 364): counted; on 2025-06-30 (as-of - 365):
    # not; on 2026-07-01, after as-of: not (and that invoice is still open on as-of).
    body = (settled("acme", 1, "1.00", "1.00", "1.00", due="2025-06-30")  # 2025-07-01: 1
            + settled("acme", 0, "9999.00", due="2025-06-30", prefix="OUT")
            + settled("acme", 0, "9999.00", due="2026-07-01", prefix="FUT")
            + invoice("INV-1", "acme", "2026-07-05", "100.00"))
    # acme: 1 day late -> Monday 6 July (W28); the future one, due 1 July, on 2 July.
    assert forecast_csv(tmp_path, body, "--weeks", "2") == csv_text("""
        week,currency,expected,invoices
        2026-W27,USD,9999.00,1
        2026-W28,USD,100.00,1
        later,USD,0.00,0
    """)


def test_settled_by_payment_or_credit_applied_not_by_credit_note_or_write_off(
        tmp_path: Path) -> None:
    # Counted, 12 days late: P1 paid in two parts (settled by the second) and P2 settled
    # by on-account credit applied. Not counted: C1, partly paid and the rest credited
    # (1 day late), and W1, written off. With 2 of its own, acme gets the USD
    # portfolio, the same two: 12 days after Wednesday 1 July is Monday 13 July (W29);
    # were C1 counted, acme's own 8.3 -> 8 would put it in W28.
    due = "2026-03-31"
    late = day(due, 12)
    body = (invoice("P1", "acme", due, "100.00") + paid("P1", "acme", due, "40.00")
            + paid("P1", "acme", late, "60.00")
            + invoice("P2", "acme", due, "100.00")
            + '2026-03-01 * "Acme Corp" "Prepayment" #on-account\n'
              "  Assets:Bank:Checking  100.00 USD\n  Assets:Receivable:Acme  -100.00 USD\n\n"
            + f'{late} * "Acme Corp" "Apply prepayment" #on-account\n'
              "  Assets:Receivable:Acme  100.00 USD\n  Assets:Receivable:Acme  -100.00 USD\n"
              '    invoice: "P2"\n\n'
            + invoice("C1", "acme", due, "100.00") + paid("C1", "acme", due, "30.00")
            + paid("C1", "acme", day(due, 1), "70.00", tag="credit-note")
            + invoice("W1", "acme", "2025-09-01", "100.00")
            + paid("W1", "acme", "2026-03-20", "100.00", tag="write-off")
            + invoice("INV-1", "acme", "2026-07-01", "50.00"))
    assert forecast_csv(tmp_path, body, "--weeks", "3") == csv_text("""
        week,currency,expected,invoices
        2026-W27,USD,0.00,0
        2026-W28,USD,0.00,0
        2026-W29,USD,50.00,1
        later,USD,0.00,0
    """)


# --- what is forecast, and where -------------------------------------------------------


def test_disputed_is_later_and_collections_left_out(tmp_path: Path) -> None:
    body = (invoice("INV-D", "acme", "2026-07-01", "100.00")
            + '2026-06-10 custom "ar-dispute" "INV-D" "Hours disputed"\n\n'
            + invoice("INV-R", "acme", "2026-07-01", "200.00")  # disputed, then resolved
            + '2026-06-10 custom "ar-dispute" "INV-R" "Hours disputed"\n'
              '2026-06-20 custom "ar-resolve" "INV-R"\n\n'
            + invoice("INV-L", "acme", "2026-07-01", "400.00")  # disputed after as-of
            + '2026-07-02 custom "ar-dispute" "INV-L" "Hours disputed"\n\n'
            + invoice("INV-C", "globex", "2026-03-01", "800.00", "EUR")  # collections only
            + '2026-06-01 custom "ar-escalate" "INV-C" "agency"\n\n'
            + invoice("INV-E", "globex", "2026-03-01", "1600.00")  # escalated after as-of
            + '2026-07-01 custom "ar-escalate" "INV-E" "legal"\n\n')
    assert forecast_csv(tmp_path, body, "--weeks", "1") == csv_text("""
        week,currency,expected,invoices
        2026-W27,USD,2200.00,3
        later,USD,100.00,1
    """)


def test_expected_before_as_of_falls_in_the_first_week(tmp_path: Path) -> None:
    # As of Wednesday 1 July: due in May, and due on Monday 29 June of the same week.
    body = (invoice("INV-1", "acme", "2026-05-31", "10.00")
            + invoice("INV-2", "acme", "2026-06-29", "20.00")
            + invoice("INV-3", "acme", "2026-07-06", "40.00"))
    assert forecast_csv(tmp_path, body, "--weeks", "2", as_of="2026-07-01") == csv_text("""
        week,currency,expected,invoices
        2026-W27,USD,30.00,2
        2026-W28,USD,40.00,1
        later,USD,0.00,0
    """)


def test_open_amounts_only_and_nothing_issued_after_as_of(tmp_path: Path) -> None:
    body = (invoice("INV-1", "acme", "2026-07-08", "100.00")
            + paid("INV-1", "acme", "2026-06-20", "60.00")
            + invoice("INV-2", "acme", "2026-06-20", "100.00")  # paid on its due date
            + paid("INV-2", "acme", "2026-06-20", "100.00")
            + invoice("INV-3", "acme", "2026-08-08", "500.00"))  # dated 2026-07-09
    assert forecast_csv(tmp_path, body, "--weeks", "2") == csv_text("""
        week,currency,expected,invoices
        2026-W27,USD,0.00,0
        2026-W28,USD,40.00,1
        later,USD,0.00,0
    """)


def test_iso_weeks_across_the_year_boundary(tmp_path: Path) -> None:
    # 2026 has 53 ISO weeks: W53 is Monday 28 December to Sunday 3 January.
    body = (invoice("INV-1", "acme", "2027-01-03", "1.00")
            + invoice("INV-2", "acme", "2027-01-04", "2.00")
            + invoice("INV-3", "acme", "2027-01-17", "4.00")
            + invoice("INV-4", "acme", "2027-01-18", "8.00"))
    assert forecast_csv(tmp_path, body, "--weeks", "3", as_of="2026-12-30") == csv_text("""
        week,currency,expected,invoices
        2026-W53,USD,1.00,1
        2027-W01,USD,2.00,1
        2027-W02,USD,4.00,1
        later,USD,8.00,1
    """)


def test_nothing_open_prints_the_header_alone(tmp_path: Path) -> None:
    body = settled("acme", 0, "1.00")
    assert forecast_csv(tmp_path, body) == FORECAST_HEADER + "\n"
    assert run(tmp_path, body, output_format="json") == "[]\n"


def test_json_and_table(tmp_path: Path) -> None:
    body = invoice("INV-1", "acme", "2026-07-08", "1234.50")
    rows = json.loads(run(tmp_path, body, "--weeks", "1", output_format="json"))
    assert rows == [{"week": "2026-W27", "currency": "USD", "expected": "0.00", "invoices": 0},
                    {"week": "later", "currency": "USD", "expected": "1234.50", "invoices": 1}]
    table = run(tmp_path, body, "--weeks", "2", output_format="table")
    assert table.splitlines()[2:] == [
        "Week      From        Cur  Expected  Invoices",
        "--------  ----------  ---  --------  --------",
        "2026-W27  2026-06-29  USD      0.00         0",
        "2026-W28  2026-07-06  USD  1,234.50         1",
        "later                 USD      0.00         0",
        "--------  ----------  ---  --------  --------",
        "TOTAL                 USD  1,234.50         1",
    ]
