"""`bean-ar kpi` and `bean-ar collectors`, contract section 12: a ledger snippet in, exact CSV out.

Every ledger is `ledgers.HEADER` (customers acme, globex, umbrella, kaiju; terms
net 30, so an invoice of 06-05 is due 07-05) followed by the snippet; the
report is as of 2026-06-30 unless a test says otherwise. The figures in each
test's comments are worked out by hand from the ledger.
"""

from __future__ import annotations

import json
from textwrap import dedent
from typing import TYPE_CHECKING

from ledgers import csv_text, invoke, report, write_ledger

if TYPE_CHECKING:
    from pathlib import Path

KPI_HEADER = ("scope,currency,receivables,sales,dso,countback_dso,best_possible_dso,"
              "average_days_delinquent,cei,average_days_to_pay,average_days_late")
COLLECTORS_HEADER = ("collector,currency,open,open_count,overdue,overdue_count,sales,"
                     "collected,dso,cei,average_days_late,letters")


def kpi_csv(directory: Path, body: str, *options: str) -> str:
    return report(directory, body, "kpi", *options)


# The contract's example: sales April 70000, May 80000, June 100000; 38000 paid.
CONTRACT = dedent("""
    2026-04-10 * "Acme Corp" "April" ^INV-A #invoice
      due: 2026-05-10
      Assets:Receivable:Acme        70000.00 USD
      Income:Consulting            -70000.00 USD

    2026-05-10 * "Acme Corp" "May" ^INV-M #invoice
      due: 2026-06-09
      Assets:Receivable:Acme        80000.00 USD
      Income:Consulting            -80000.00 USD

    2026-06-10 * "Acme Corp" "June" ^INV-J #invoice
      due: 2026-07-10
      Assets:Receivable:Acme       100000.00 USD
      Income:Consulting           -100000.00 USD

    2026-06-20 * "Acme Corp" "Part payment" ^INV-A
      Assets:Bank:Checking          38000.00 USD
      Assets:Receivable:Acme       -38000.00 USD
""")


def test_the_contracts_countback_example_gives_74_7(tmp_path: Path) -> None:
    # Receivables 212000, over 2026-04-01..06-30 (91 days), sales 250000:
    # dso = 212000 / 250000 * 91 = 77.168; countback = 30 + 31 + 32000/70000 * 30
    # = 74.714; not yet due only June's 100000: best = 100000 / 250000 * 91 = 36.4,
    # ADD = 112000 / 250000 * 91 = 40.768; CEI with B = 0, S/N = 250000/3:
    # (83333.33 - 212000) / (83333.33 - 100000) * 100 = 772.0 (sales grew from
    # nothing); nothing settled: days to pay and late undefined.
    assert kpi_csv(tmp_path, CONTRACT) == csv_text(f"""
        {KPI_HEADER}
        all,USD,212000.00,250000.00,77.2,74.7,36.4,40.8,772.0,,
    """)


def test_the_table_for_people(tmp_path: Path) -> None:
    assert report(tmp_path, CONTRACT, "kpi", output_format="table") == dedent("""\
        Receivables KPIs as of 2026-06-30, over 3 months from 2026-04-01

        Scope  Cur  Receivables       Sales   DSO  Countback  Best   ADD  CEI %  To pay  Late
        -----  ---  -----------  ----------  ----  ---------  ----  ----  -----  ------  ----
        all    USD   212,000.00  250,000.00  77.2       74.7  36.4  40.8  772.0
    """)


# Four customers, every kind of application; acme and globex have collectors.
# USD receivable movements:
#   acme      03-02 INV-1 +1000 (due 04-01), 04-11 paid (40 days to pay, 10 late)
#             04-15 INV-4 +600 (due 05-15), 05-20 credit note -100,
#                   06-24 paid 500 (70 days to pay, 40 late)
#             05-04 INV-2 +2000 (due 06-03), 06-13 paid (40 days to pay, 10 late)
#             06-05 INV-3 +3000 (due 07-05), open
#   globex    05-10 INV-5 +400 (due 06-09), open; 06-25 prepayment -300 on account
#   umbrella  04-01 INV-7 +500 (due 05-01), 06-10 written off (not settled by payment)
#             05-20 prepayment -250; 06-02 INV-8 +250 (due 07-02), 06-15 the credit
#                   applied (13 days to pay, -17 late)
# EUR: globex 06-01 INV-6 +800 (due 07-01), 06-21 paid (20 days to pay, -10 late).
LEDGER = dedent("""
    2026-01-02 custom "ar-customer" "acme"
      collector: "jana"

    2026-01-02 custom "ar-customer" "globex"
      collector: "petr"

    2026-03-02 * "Acme Corp" "March" ^INV-1 #invoice
      Assets:Receivable:Acme         1000.00 USD
      Income:Consulting             -1000.00 USD

    2026-04-01 * "Umbrella Corp" "April" ^INV-7 #invoice
      Assets:Receivable:Umbrella      500.00 USD
      Income:Consulting              -500.00 USD

    2026-04-11 * "Acme Corp" "Payment" ^INV-1
      Assets:Bank:Checking           1000.00 USD
      Assets:Receivable:Acme        -1000.00 USD

    2026-04-15 * "Acme Corp" "April" ^INV-4 #invoice
      Assets:Receivable:Acme          600.00 USD
      Income:Consulting              -600.00 USD

    2026-05-04 * "Acme Corp" "May" ^INV-2 #invoice
      Assets:Receivable:Acme         2000.00 USD
      Income:Consulting             -2000.00 USD

    2026-05-10 * "Globex Inc" "May" ^INV-5 #invoice
      Assets:Receivable:Globex        400.00 USD
      Income:Consulting              -400.00 USD

    2026-05-20 * "Acme Corp" "Credit note" ^INV-4 #credit-note
      Assets:Receivable:Acme         -100.00 USD
      Income:Consulting               100.00 USD

    2026-05-20 * "Umbrella Corp" "Prepayment" #on-account
      Assets:Bank:Checking            250.00 USD
      Assets:Receivable:Umbrella     -250.00 USD

    2026-05-20 custom "ar-dunning" "INV-4" 1

    2026-06-01 * "Globex Inc" "June" ^INV-6 #invoice
      Assets:Receivable:Globex        800.00 EUR
      Income:Consulting              -800.00 EUR

    2026-06-01 custom "ar-dunning" "INV-7" 1

    2026-06-02 * "Umbrella Corp" "June" ^INV-8 #invoice
      Assets:Receivable:Umbrella      250.00 USD
      Income:Consulting              -250.00 USD

    2026-06-05 * "Acme Corp" "June" ^INV-3 #invoice
      Assets:Receivable:Acme         3000.00 USD
      Income:Consulting             -3000.00 USD

    2026-06-10 * "Umbrella Corp" "Write-off" ^INV-7 #write-off
      Expenses:BadDebt                500.00 USD
      Assets:Receivable:Umbrella     -500.00 USD

    2026-06-12 custom "ar-dunning" "INV-5" 1

    2026-06-13 * "Acme Corp" "Payment" ^INV-2
      Assets:Bank:Checking           2000.00 USD
      Assets:Receivable:Acme        -2000.00 USD

    2026-06-15 * "Umbrella Corp" "Apply prepayment" #on-account
      Assets:Receivable:Umbrella      250.00 USD
      Assets:Receivable:Umbrella     -250.00 USD
        invoice: "INV-8"

    2026-06-20 custom "ar-dunning" "INV-4" 2

    2026-06-21 * "Globex Inc" "Payment" ^INV-6
      Assets:Bank:Checking            800.00 EUR
      Assets:Receivable:Globex       -800.00 EUR

    2026-06-24 * "Acme Corp" "Payment" ^INV-4
      Assets:Bank:Checking            500.00 USD
      Assets:Receivable:Acme         -500.00 USD

    2026-06-25 * "Globex Inc" "Prepayment" #on-account
      Assets:Bank:Checking            300.00 USD
      Assets:Receivable:Globex       -300.00 USD
""")


def test_each_column_over_one_month(tmp_path: Path) -> None:
    # June, 30 days. USD: E = 3000 (INV-3) + 400 (INV-5) - 300 (credit) = 3100;
    # sales S = 3000 + 250 = 3250; not yet due C = 3000 (INV-3); on 05-31
    # B = 2500 (acme) + 400 (globex) + 250 (umbrella) = 3150.
    #   dso = 3100 / 3250 * 30 = 28.615; best = 3000 / 3250 * 30 = 27.692;
    #   ADD = 100 / 3250 * 30 = 0.923; countback: June's 3250 exceed 3100, so
    #   3100 / 3250 * 30 = 28.615; CEI = (3150 + 3250 - 3100) / (3150 + 3250 - 3000)
    #   = 3300 / 3400 = 97.06 %.
    #   Settled by payment or applied credit in June: INV-2 (2000: 40 days to pay,
    #   10 late), INV-4 (600: 70, 40), INV-8 (250: 13, -17); INV-7 was written off.
    #   To pay (80000 + 42000 + 3250) / 2850 = 43.947; late (20000 + 24000 - 4250)
    #   / 2850 = 13.947.
    # EUR: nothing owed, 800 sold and paid 20 days after the invoice, 10 early:
    #   CEI (0 + 800 - 0) / (0 + 800 - 0) = 100.
    assert kpi_csv(tmp_path, LEDGER, "--months", "1") == csv_text(f"""
        {KPI_HEADER}
        all,EUR,0.00,800.00,0.0,0.0,0.0,0.0,100.0,20.0,-10.0
        all,USD,3100.00,3250.00,28.6,28.6,27.7,0.9,97.1,43.9,13.9
    """)


def test_each_column_over_three_months(tmp_path: Path) -> None:
    # April to June, 91 days. USD sales: April 600 + 500, May 2000 + 400 - 100,
    # June 3250: S = 6650; E = 3100, C = 3000 as over one month; B (03-31) = 1000.
    #   dso = 3100 * 91 / 6650 = 42.421; best = 3000 * 91 / 6650 = 41.053;
    #   ADD = 100 * 91 / 6650 = 1.368 (1.4, while 42.4 - 41.1 would be 1.3: the
    #   difference is taken before rounding); countback as over one month, 28.6;
    #   CEI = (1000 + 6650/3 - 3100) / (1000 + 6650/3 - 3000) = 350 / 650 = 53.85 %.
    #   Settled: June's three and INV-1 (1000: 40 days to pay, 10 late):
    #   to pay (40000 + 125250) / 3850 = 42.922; late (10000 + 39750) / 3850 = 12.922.
    assert kpi_csv(tmp_path, LEDGER) == csv_text(f"""
        {KPI_HEADER}
        all,EUR,0.00,800.00,0.0,0.0,0.0,0.0,100.0,20.0,-10.0
        all,USD,3100.00,6650.00,42.4,28.6,41.1,1.4,53.8,42.9,12.9
    """)


def test_by_customer(tmp_path: Path) -> None:
    # June. acme: E = C = S = 3000, B = 2500: every DSO 30 (countback: June's
    #   3000 use up the 3000), CEI (2500 + 3000 - 3000) / (2500 + 3000 - 3000);
    #   settled INV-2 and INV-4: to pay 122000 / 2600 = 46.923, late 44000 / 2600.
    # globex USD: E = 400 - 300 = 100, nothing sold in June: dso, best and ADD
    #   undefined; countback: June adds its 30 days, then 100 / 400 (May's sales)
    #   * 31 = 7.75: 37.75, half-up 37.8; CEI (400 + 0 - 100) / (400 + 0 - 0) = 75;
    #   nothing settled. globex EUR as in the scope `all`.
    # umbrella: nothing owed, 250 sold; B = 500 - 250; INV-8 settled by the credit.
    # kaiju: nothing at all, no row.
    assert kpi_csv(tmp_path, LEDGER, "--months", "1", "--by", "customer") == csv_text(f"""
        {KPI_HEADER}
        acme,USD,3000.00,3000.00,30.0,30.0,30.0,0.0,100.0,46.9,16.9
        globex,EUR,0.00,800.00,0.0,0.0,0.0,0.0,100.0,20.0,-10.0
        globex,USD,100.00,0.00,,37.8,,,75.0,,
        umbrella,USD,0.00,250.00,0.0,0.0,0.0,0.0,100.0,13.0,-17.0
    """)


def test_by_collector_puts_customers_without_one_under_a_dash(tmp_path: Path) -> None:
    # acme is jana's, globex petr's, umbrella has no collector: the rows of
    # `--by customer` under their collector, sorted by scope.
    assert kpi_csv(tmp_path, LEDGER, "--months", "1", "--by", "collector") == csv_text(f"""
        {KPI_HEADER}
        -,USD,0.00,250.00,0.0,0.0,0.0,0.0,100.0,13.0,-17.0
        jana,USD,3000.00,3000.00,30.0,30.0,30.0,0.0,100.0,46.9,16.9
        petr,EUR,0.00,800.00,0.0,0.0,0.0,0.0,100.0,20.0,-10.0
        petr,USD,100.00,0.00,,37.8,,,75.0,,
    """)


def test_a_collector_sums_the_figures_of_their_customers(tmp_path: Path) -> None:
    # From 02-01 umbrella is jana's too: jana's June has acme's and umbrella's
    # figures together. E = 3000, S = 3250, C = 3000, B = 2500 + 250:
    # dso 3000 / 3250 * 30 = 27.692; ADD 0; countback 3000 / 3250 * 30;
    # CEI (2750 + 3250 - 3000) / (2750 + 3250 - 3000) = 100;
    # to pay (122000 + 3250) / 2850 = 43.947, late (44000 - 4250) / 2850 = 13.947.
    body = LEDGER + dedent("""
        2026-02-01 custom "ar-customer" "umbrella"
          collector: "jana"
    """)
    assert kpi_csv(tmp_path, body, "--months", "1", "--by", "collector") == csv_text(f"""
        {KPI_HEADER}
        jana,USD,3000.00,3250.00,27.7,27.7,27.7,0.0,100.0,43.9,13.9
        petr,EUR,0.00,800.00,0.0,0.0,0.0,0.0,100.0,20.0,-10.0
        petr,USD,100.00,0.00,,37.8,,,75.0,,
    """)


def test_undefined_figures_are_empty(tmp_path: Path) -> None:
    # Only a prepayment: E = -100, nothing sold, B = C = 0: no DSO but the
    # countback (nothing is owed: 0), CEI's denominator B + S/N - C is 0.
    body = """
        2026-06-10 * "Kaiju KK" "Prepayment" #on-account
          Assets:Bank:Checking            100.00 USD
          Assets:Receivable:Kaiju        -100.00 USD
    """
    assert kpi_csv(tmp_path, body) == csv_text(f"""
        {KPI_HEADER}
        all,USD,-100.00,0.00,,0.0,,,,,
    """)


def test_a_countback_that_never_ends_is_empty(tmp_path: Path) -> None:
    # A receivable posted on no invoice (AR201, reported): 100 owed and nothing
    # ever sold, so the walk back through the months would never use it up; and
    # with nothing before, sold or not yet due, CEI has nothing to divide by.
    path = write_ledger(tmp_path, """
        2026-06-10 * "Kaiju KK" "Misposted"
          Assets:Receivable:Kaiju         100.00 USD
          Income:Consulting              -100.00 USD
    """)
    result = invoke("kpi", path, "--as-of", "2026-06-30", "--format", "csv", "--ignore-errors")
    assert result.exit_code == 0
    assert "AR201" in result.stderr
    assert result.stdout == csv_text(f"""
        {KPI_HEADER}
        all,USD,100.00,0.00,,,,,,,
    """)


def test_the_as_of_month_counts_to_the_as_of_day(tmp_path: Path) -> None:
    # As of 06-09 (April 1 to June 9, 70 days): INV-A's 70000 and INV-M's 80000;
    # June's invoice and the payment come later. E = S = 150000; INV-M is due that
    # day, so not yet due: C = 80000. dso = 70; countback: June so far sold
    # nothing and adds its 9 days, then May's 80000 and 31 days, April's 70000 and
    # 30 days: 70; best = 80000 / 150000 * 70 = 37.333; ADD = 70000 / 150000 * 70
    # = 32.667; CEI (0 + 50000 - 150000) / (0 + 50000 - 80000) = 333.33 %.
    assert report(tmp_path, CONTRACT, "kpi", as_of="2026-06-09") == csv_text(f"""
        {KPI_HEADER}
        all,USD,150000.00,150000.00,70.0,70.0,37.3,32.7,333.3,,
    """)


def test_trend_prints_the_figures_at_each_months_end(tmp_path: Path) -> None:
    # One month each, scope all; months with nothing owed and nothing sold have no row.
    # March (31 days): E = S = C = 1000, B = 0: CEI's denominator is 0.
    # April (30): E = S = C = 600 + 500, B = 1000; INV-1 settled (40, 10).
    # May (31): E = 3150, S = 2300, C = 2000 + 400 (INV-2, INV-5), B = 1100:
    #   dso 3150 * 31 / 2300 = 42.457; best 2400 * 31 / 2300 = 32.348; ADD
    #   750 * 31 / 2300 = 10.109; countback 31 + 850 / 1100 * 30 = 54.182;
    #   CEI (1100 + 2300 - 3150) / (1100 + 2300 - 2400) = 25; nothing settled.
    # June: as `--months 1`, the last row being the report as of 06-30.
    assert kpi_csv(tmp_path, LEDGER, "--months", "1", "--trend", "12") == csv_text(f"""
        month,{KPI_HEADER}
        2026-03,all,USD,1000.00,1000.00,31.0,31.0,31.0,0.0,,,
        2026-04,all,USD,1100.00,1100.00,30.0,30.0,30.0,0.0,100.0,40.0,10.0
        2026-05,all,USD,3150.00,2300.00,42.5,54.2,32.3,10.1,25.0,,
        2026-06,all,EUR,0.00,800.00,0.0,0.0,0.0,0.0,100.0,20.0,-10.0
        2026-06,all,USD,3100.00,3250.00,28.6,28.6,27.7,0.9,97.1,43.9,13.9
    """)


def test_trend_with_three_months_and_by_customer_as_json(tmp_path: Path) -> None:
    # Each row as `--months 3 --by customer --as-of` that month's end; JSON keeps
    # figures as strings and an undefined one as null.
    text = report(tmp_path, LEDGER, "kpi", "--by", "customer", "--trend", "2",
                  output_format="json")
    rows = json.loads(text)
    assert [(r["month"], r["scope"], r["currency"]) for r in rows] == [
        ("2026-05", "acme", "USD"), ("2026-05", "globex", "USD"),
        ("2026-05", "umbrella", "USD"),
        ("2026-06", "acme", "USD"), ("2026-06", "globex", "EUR"),
        ("2026-06", "globex", "USD"), ("2026-06", "umbrella", "USD")]
    # globex USD at 05-31 over March-May (92 days): E = S = C = 400: all 92.
    assert rows[1] == {
        "month": "2026-05", "scope": "globex", "currency": "USD", "receivables": "400.00",
        "sales": "400.00", "dso": "92.0", "countback_dso": "31.0",
        "best_possible_dso": "92.0", "average_days_delinquent": "0.0", "cei": "100.0",
        "average_days_to_pay": None, "average_days_late": None}
    june = report(tmp_path, LEDGER, "kpi", "--by", "customer", output_format="json")
    assert [{k: v for k, v in r.items() if k != "month"} for r in rows[3:]] == json.loads(june)


def test_collectors(tmp_path: Path) -> None:
    # June, on 06-30. `open` is the aging total (unapplied credit included), the
    # counts are invoices; `collected` is cash: payments and prepayments, an applied
    # credit nets to zero; letters are the ar-dunning dated in June.
    # -     umbrella: nothing open (INV-7 written off, INV-8 settled by the credit
    #       applied on 06-15, which collects nothing); the 06-01 letter for INV-7.
    # jana  acme: INV-3 open, not yet due; 2000 + 500 collected; the letter of
    #       06-20 (the one of 05-20 is in May).
    # petr  globex: EUR 800 paid; USD INV-5 open and overdue less the 300 prepaid
    #       on 06-25, which is collected; the letter of 06-12. DSO undefined.
    assert report(tmp_path, LEDGER, "collectors") == csv_text(f"""
        {COLLECTORS_HEADER}
        -,USD,0.00,0,0.00,0,250.00,0.00,0.0,100.0,-17.0,1
        jana,USD,3000.00,1,0.00,0,3000.00,2500.00,30.0,100.0,16.9,1
        petr,EUR,0.00,0,0.00,0,800.00,800.00,0.0,100.0,-10.0,0
        petr,USD,100.00,1,400.00,1,0.00,300.00,,75.0,,1
    """)


def test_collectors_over_two_months_count_mays_letters_too(tmp_path: Path) -> None:
    # May and June (61 days) for jana: B (04-30) = 600; S = 2000 - 100 + 3000 = 4900;
    # E = C = 3000: dso = best = 3000 * 61 / 4900 = 37.347; CEI (600 + 2450 - 3000)
    # / (600 + 2450 - 3000) = 100; settled INV-2 and INV-4 as in June; collected 2500;
    # letters 05-20 and 06-20. petr's USD: B = 0, S = 400 (May), C = 0, E = 100:
    # dso 100 * 61 / 400 = 15.25 (half-up 15.3); CEI (0 + 200 - 100) / (0 + 200 - 0) = 50.
    text = report(tmp_path, LEDGER, "collectors", "--months", "2")
    assert text.splitlines()[2:] == [
        "jana,USD,3000.00,1,0.00,0,4900.00,2500.00,37.3,100.0,16.9,2",
        "petr,EUR,0.00,0,0.00,0,800.00,800.00,0.0,100.0,-10.0,0",
        "petr,USD,100.00,1,400.00,1,400.00,300.00,15.3,50.0,,1",
    ]


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, CONTRACT)
    for options in (["--months", "0"], ["--trend", "0"], ["--by", "region"]):
        result = invoke("kpi", path, *options)
        assert result.exit_code == 2, (options, result.output)
    assert invoke("collectors", path, "--months", "0").exit_code == 2
