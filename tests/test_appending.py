"""Appending must leave a ledger that passes bean-check as before (AR-SPEC section 14).

A new transaction dated before a `balance` assertion of one of its accounts (or
an account above it) would make the assertion fail, unless a `pad` takes the
difference up; a posting to an account not open that day fails too. The
writers ask `appending_problems` before writing, and write nothing if it names
anything.
"""

from __future__ import annotations

from textwrap import dedent
from typing import TYPE_CHECKING

from beancount import loader
from beancount.parser import parser
from ledgers import invoke, write_ledger

from beancount_ar.reports.appending import appending_problems

if TYPE_CHECKING:
    from pathlib import Path

LEDGER = dedent("""\
    2026-01-01 open Assets:Bank:Checking
    2026-01-01 open Assets:Receivable
    2026-01-01 open Assets:Receivable:Acme
    2026-01-01 open Income:Support
    2026-01-01 open Equity:Opening
    2026-05-01 close Income:Support

    2026-03-01 balance Assets:Receivable 0.00 USD
""")
INVOICE = dedent("""\
    {date} * "Acme Corp" "Support" ^INV-9 #invoice
      Assets:Receivable:Acme   100.00 USD
      Income:Support          -100.00 USD
""")


def problems(ledger: str, new: str) -> list[str]:
    """What appending `new` to `ledger` would break."""
    entries, _, _ = loader.load_string(ledger)  # a pad with nothing to pad is an error
    added, errors, _ = parser.parse_string(new)
    assert errors == []
    return appending_problems(entries, added)


def test_an_entry_before_a_balance_assertion_of_a_parent_account_breaks_it() -> None:
    assert problems(LEDGER, INVOICE.format(date="2026-02-01")) == [
        ("the balance assertion of Assets:Receivable on 2026-03-01 (<string>:8) would fail: "
         "the new entries dated before it change that balance by 100.00 USD")]


def test_an_entry_on_or_after_the_assertion_day_does_not() -> None:
    assert problems(LEDGER, INVOICE.format(date="2026-03-01")) == []


def test_a_pad_before_the_assertion_takes_the_difference_up() -> None:
    padded = LEDGER.replace("2026-03-01 balance",
                            "2026-01-15 pad Assets:Receivable:Acme Equity:Opening\n"
                            "2026-03-01 balance Assets:Receivable:Acme 0.00 USD\n"
                            "2026-03-01 balance")
    assert problems(padded, INVOICE.format(date="2026-02-01")) == [
        ("the balance assertion of Assets:Receivable on 2026-03-01 (<string>:10) would fail: "
         "the new entries dated before it change that balance by 100.00 USD")]
    only_child = padded.replace("2026-03-01 balance Assets:Receivable 0.00 USD\n", "")
    assert problems(only_child, INVOICE.format(date="2026-02-01")) == []


def test_an_account_closed_or_not_yet_open_is_named() -> None:
    assert problems(LEDGER, INVOICE.format(date="2026-06-01")) == [
        "Income:Support is closed on 2026-06-01 (closed 2026-05-01)"]
    assert problems(LEDGER, INVOICE.format(date="2025-12-31"))[:2] == [
        "Assets:Receivable:Acme is not open on 2025-12-31",
        "Income:Support is not open on 2025-12-31"]


def test_a_currency_the_account_is_not_opened_for_is_named() -> None:
    ledger = LEDGER.replace("2026-01-01 open Assets:Receivable:Acme",
                            "2026-01-01 open Assets:Receivable:Acme USD")
    assert problems(ledger, INVOICE.format(date="2026-03-01").replace("USD", "EUR")) == [
        "Assets:Receivable:Acme is opened for USD only, not EUR"]


def test_deposit_record_refuses_a_transfer_that_breaks_an_assertion(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, dedent("""
        2026-01-01 open Assets:Undeposited

        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme         1000.00 USD
          Income:Consulting             -1000.00 USD

        2026-06-01 * "Acme Corp" "Payment" ^INV-1
          Assets:Undeposited             1000.00 USD
          Assets:Receivable:Acme        -1000.00 USD

        2026-07-01 balance Assets:Bank:Checking 0.00 USD
    """))
    before = path.read_bytes()
    result = invoke("deposit", path, "--from", "Assets:Undeposited", "--to",
                    "Assets:Bank:Checking", "--date", "2026-06-30", "--record")
    assert result.exit_code == 2
    assert "the balance assertion of Assets:Bank:Checking on 2026-07-01" in result.stderr
    assert result.stderr.endswith("; nothing written\n")
    assert path.read_bytes() == before
