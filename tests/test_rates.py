"""Reference rates, contract section 11: `ar-rate`, the shipped history, and AR012.

Loads go through Beancount's real loader with the suite's plugin line, as
bean-check runs them.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from importlib import resources
from textwrap import dedent
from typing import TYPE_CHECKING

import pytest

from beancount_ar.core.build import read_receivables
from beancount_ar.core.rates import SERIES, parse_table, shipped_table

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Loaded


@pytest.mark.parametrize(("directive", "message"), [
    ('custom "ar-rate" "US" 5.25', ('AR012 ar-rate at 2026-01-01 has series "US"; the series '
     "are CZ (ČNB two-week repo rate), EU (ECB main refinancing operations rate), UK (Bank "
     'of England Bank Rate), e.g. custom "ar-rate" "EU" 2.15')),
    ('custom "ar-rate" "EU" "two"', ('AR012 ar-rate EU at 2026-01-01 has rate "two", not a '
     'number; write the rate in % a year, e.g. custom "ar-rate" "EU" 2.15')),
    ('custom "ar-rate" "EU" 2.15 EUR', ('AR012 ar-rate EU at 2026-01-01 has rate 2.15 EUR, not '
     'a number; write the rate in % a year, e.g. custom "ar-rate" "EU" 2.15')),
    ('custom "ar-rate" "CZ"', ('AR012 ar-rate CZ at 2026-01-01 has rate nothing, not a number; '
     'write the rate in % a year, e.g. custom "ar-rate" "CZ" 2.15')),
])
def test_a_bad_rate_is_ar012_at_the_directive(ledger: Callable[..., Loaded], directive: str,
                                              message: str) -> None:
    loaded = ledger(f"2026-01-01 {directive}")
    assert [(e.source["lineno"], e.message) for e in loaded.errors] == [
        (loaded.line('"ar-rate"'), message)]


LATE_IN_2012 = dedent("""
    option "operating_currency" "EUR"
    plugin "beancount_ar"
    2011-01-01 open Assets:Receivable:Acme
    2011-01-01 open Assets:Bank:Checking
    2011-01-01 open Income:Consulting
    2012-01-01 custom "ar-dunning-policy" "standard"
      interest: "eu"
    2012-01-02 custom "ar-customer" "acme"
      name: "Acme Corp"
      account: Assets:Receivable:Acme
    2012-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
      Assets:Receivable:Acme         1000.00 EUR
      Income:Consulting             -1000.00 EUR
""")


def test_a_delay_before_the_table_starts_is_ar012_at_the_policy(
        ledger: Callable[..., Loaded]) -> None:
    # Due 2012-02-04; its delay needs the EU rate on 2012-01-01, before the shipped
    # history (from 2012-07-11).
    loaded = ledger(LATE_IN_2012, header=False)
    assert [(e.source["lineno"], e.message) for e in loaded.errors] == [(
        loaded.line('"ar-dunning-policy"'),
        ('AR012 ar-dunning-policy "standard" claims interest with the EU reference rate, but '
        "no EU rate is in force on 2012-01-01, which the delay of INV-1 needs; add a custom "
        '"ar-rate" "EU" directive dated on or before 2012-01-01 with the rate then in force'))]


def test_the_ledger_s_own_older_rate_fills_the_gap(ledger: Callable[..., Loaded]) -> None:
    loaded = ledger(LATE_IN_2012 + '2011-12-14 custom "ar-rate" "EU" 1.00\n', header=False)
    assert loaded.errors == []


def test_an_invoice_paid_on_time_needs_no_rate(ledger: Callable[..., Loaded]) -> None:
    loaded = ledger(LATE_IN_2012 + dedent("""
        2012-02-04 * "Acme Corp" "Payment" ^INV-1
          Assets:Bank:Checking           1000.00 EUR
          Assets:Receivable:Acme        -1000.00 EUR
    """), header=False)
    assert loaded.errors == []


def test_a_delay_before_the_shipped_table_is_ar012(ledger: Callable[..., Loaded]) -> None:
    # The CZ table starts on 2012-11-02: a cz delay begun in the first half of 2012 needs
    # the rate on 2012-01-01, which no table holds.
    loaded = ledger("""
        plugin "beancount_ar"
        2012-01-01 open Assets:Receivable:Acme
        2012-01-01 open Income:Consulting
        2012-01-01 custom "ar-dunning-policy" "standard"
          interest: "cz"
        2012-01-02 custom "ar-customer" "acme"
          name: "Acme Corp"
          account: Assets:Receivable:Acme
        2012-03-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme         1000.00 CZK
          Income:Consulting             -1000.00 CZK
    """, header=False)
    assert loaded.codes == {"AR012"}
    assert "no CZ rate is in force on 2012-01-01" in loaded.errors[0].message


def test_the_ledger_wins_on_the_same_date(ledger: Callable[..., Loaded]) -> None:
    entries, errors, options = ledger("""
        2025-06-11 custom "ar-rate" "EU" 9.99
        2026-02-10 custom "ar-rate" "eu" 2.00
    """)
    assert errors == []
    rates = read_receivables(entries, options).rates
    assert rates.rate_on("EU", datetime.date(2025, 6, 11)) == Decimal("9.99")
    assert rates.rate_on("EU", datetime.date(2025, 6, 10)) == Decimal("2.40")  # shipped
    assert rates.rate_on("EU", datetime.date(2026, 3, 1)) == Decimal("2.00")
    assert rates.stale_after("EU", datetime.date(2026, 3, 1)) is None  # the ledger is newer
    assert shipped_table().stale_after("EU", datetime.date(2026, 3, 1)) == datetime.date(
        2026, 2, 5)


@pytest.mark.parametrize("series", sorted(SERIES))
def test_each_shipped_table_names_its_source_and_last_check(series: str) -> None:
    text = (resources.files("beancount_ar.core") / "reference_rates"
            / f"{series.lower()}.csv").read_text(encoding="utf-8")
    assert re.search(r"^# Source: https://www\.(cnb\.cz|ecb\.europa\.eu|bankofengland\.co\.uk)/",
                     text, re.MULTILINE)
    rates, checked = parse_table(text)
    assert checked is not None
    assert rates[0].date <= datetime.date(2013, 1, 1)  # in force from 2013 on
    assert rates[0].rate is not None
    assert [r.date for r in rates] == sorted({r.date for r in rates})
    assert all(r.rate is None or Decimal(0) <= r.rate < Decimal(20) for r in rates)


@pytest.mark.parametrize(("series", "day", "rate"), [
    ("CZ", "2013-01-01", "0.05"), ("CZ", "2023-07-01", "7.00"), ("CZ", "2025-07-01", "3.50"),
    ("EU", "2013-01-01", "0.75"), ("EU", "2023-01-01", "2.50"), ("EU", "2025-07-01", "2.15"),
    ("EU", "2024-07-01", "4.25"), ("UK", "2024-12-31", "4.75"), ("UK", "2025-06-30", "4.25"),
])
def test_known_rates(series: str, day: str, rate: str) -> None:
    assert shipped_table().rate_on(series, datetime.date.fromisoformat(day)) == Decimal(rate)
