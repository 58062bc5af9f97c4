"""`bean-ar deposit`: the receipts in an undeposited-funds account, and --record (AR-SPEC 13, 14).

The receipts listed are the account's debits after the last day its balance
ended at zero, per currency; `--record` appends the transfer through the
writer, and a second run the same day finds nothing left.
"""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent
from typing import TYPE_CHECKING

from beancount import loader
from ledgers import csv_text, invoke, write_ledger

if TYPE_CHECKING:
    import pytest

DEPOSIT_HEADER = "date,payee,invoices,currency,amount"
ACCOUNTS = ("--from", "Assets:Undeposited", "--to", "Assets:Bank:Checking")
LEDGER = dedent("""
    2026-01-01 open Assets:Undeposited

    2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
      Assets:Receivable:Acme         1000.00 USD
      Income:Consulting             -1000.00 USD

    2026-05-02 * "Acme Corp" "Consulting" ^INV-2 #invoice
      Assets:Receivable:Acme          500.00 USD
      Income:Consulting              -500.00 USD

    2026-05-03 * "Globex Inc" "Consulting" ^INV-3 #invoice
      Assets:Receivable:Globex        250.00 EUR
      Income:Consulting              -250.00 EUR

    2026-05-04 * "Globex Inc" "Consulting" ^INV-4 #invoice
      Assets:Receivable:Globex        300.00 USD
      Income:Consulting              -300.00 USD

    2026-06-01 * "Acme Corp" "Payment" ^INV-1
      Assets:Undeposited             1000.00 USD
      Assets:Receivable:Acme        -1000.00 USD

    2026-06-05 * "Deposit" #deposit
      Assets:Bank:Checking           1000.00 USD
      Assets:Undeposited            -1000.00 USD

    2026-06-10 * "Globex Inc" "Payment" ^INV-3
      Assets:Undeposited              250.00 EUR
      Assets:Receivable:Globex       -250.00 EUR

    2026-06-12 * "Acme Corp" "Payment for two invoices"
      Assets:Undeposited              800.00 USD
      Assets:Receivable:Acme         -500.00 USD
        invoice: "INV-2"
      Assets:Receivable:Globex       -300.00 USD
        invoice: "INV-4"
""")


def deposit(path: Path, *options: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of `bean-ar deposit LEDGER --from ... --to ... OPTIONS`."""
    result = invoke("deposit", path, *ACCOUNTS, "--no-cache", *options)
    return result.exit_code, result.stdout, result.stderr


def test_lists_the_receipts_after_the_last_zero_balance_per_currency(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    assert deposit(path, "--date", "2026-06-30", "--format", "csv") == (0, csv_text(f"""
        {DEPOSIT_HEADER}
        2026-06-10,Globex Inc,INV-3,EUR,250.00
        2026-06-12,Acme Corp,INV-2 INV-4,USD,800.00
    """), "")


def test_the_table_totals_each_currency(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    assert deposit(path, "--date", "2026-06-30")[1] == dedent("""\
        date        payee       invoices     currency  amount
        ----------  ----------  -----------  --------  ------
        2026-06-10  Globex Inc  INV-3        EUR       250.00
        2026-06-12  Acme Corp   INV-2 INV-4  USD       800.00
        ----------  ----------  -----------  --------  ------
        Total                                EUR       250.00
        Total                                USD       800.00
    """)


def test_a_date_in_the_past_sees_the_account_as_it_stood(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    assert deposit(path, "--date", "2026-06-03", "--format", "json")[1] == json.dumps([
        {"date": "2026-06-01", "payee": "Acme Corp", "invoices": "INV-1", "currency": "USD",
         "amount": "1000.00"}], indent=2) + "\n"
    assert deposit(path, "--date", "2026-06-05", "--format", "csv")[1] == DEPOSIT_HEADER + "\n"
    assert deposit(path, "--date", "2026-06-05")[1] == "Nothing to deposit on 2026-06-05.\n"


def test_a_receipt_and_a_deposit_the_same_day_leave_nothing(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER + dedent("""
        2026-06-30 * "Deposit" #deposit
          Assets:Bank:Checking            800.00 USD
          Assets:Undeposited             -800.00 USD
    """))
    assert deposit(path, "--date", "2026-06-30", "--format", "csv")[1] == csv_text(f"""
        {DEPOSIT_HEADER}
        2026-06-10,Globex Inc,INV-3,EUR,250.00
    """)


def test_record_appends_the_transfer_and_a_second_run_finds_nothing(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    before = path.read_text(encoding="utf-8")
    status, _, stderr = deposit(path, "--date", "2026-06-30", "--record")
    assert (status, stderr) == (
        0, f"bean-ar: recorded the deposit into Assets:Bank:Checking in {path}\n")
    assert path.read_text(encoding="utf-8") == before + "\n" + dedent("""\
        2026-06-30 * "Deposit of 2 receipts" #deposit
          Assets:Bank:Checking              250.00 EUR
          Assets:Undeposited               -250.00 EUR
          Assets:Bank:Checking              800.00 USD
          Assets:Undeposited               -800.00 USD
    """)
    _, errors, _ = loader.load_file(str(path))
    assert errors == []
    again = deposit(path, "--date", "2026-06-30", "--record", "--format", "csv")
    assert again == (0, DEPOSIT_HEADER + "\n", "bean-ar: nothing to deposit; nothing recorded\n")
    assert deposit(path, "--date", "2026-07-01", "--format", "csv")[1] == DEPOSIT_HEADER + "\n"


def test_record_into_an_included_file(tmp_path: Path) -> None:
    (tmp_path / "deposits.beancount").write_text("", encoding="utf-8")
    path = write_ledger(tmp_path, 'include "deposits.beancount"\n' + LEDGER)
    before = path.read_bytes()
    included = tmp_path / "deposits.beancount"
    status, _, _ = deposit(path, "--date", "2026-06-30", "--record", str(included))
    assert status == 0
    assert path.read_bytes() == before
    assert included.read_text(encoding="utf-8").startswith('2026-06-30 * "Deposit of 2 receipts"')
    _, errors, _ = loader.load_file(str(path))
    assert errors == []


def test_record_refuses_a_file_not_in_the_ledger(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    other = tmp_path / "other.beancount"
    other.write_text("", encoding="utf-8")
    before = path.read_bytes()
    status, _, stderr = deposit(path, "--date", "2026-06-30", "--record", str(other))
    assert status == 2
    assert stderr == (f"bean-ar: --record {other} is not a file of the ledger {path} (the top "
                      "file or one it includes); nothing written\n")
    assert path.read_bytes() == before
    assert other.read_bytes() == b""


def test_record_refuses_a_bank_account_not_open(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    before = path.read_bytes()
    result = invoke("deposit", path, "--from", "Assets:Undeposited", "--to", "Assets:Bank:Savings",
                    "--date", "2026-06-30", "--record")
    assert result.exit_code == 2
    assert result.stderr == ("bean-ar: --record: Assets:Bank:Savings is not open on 2026-06-30; "
                             "nothing written\n")
    assert path.read_bytes() == before


def test_record_refuses_a_file_changed_since_it_was_read(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import beancount_ar.reports.deposits as report

    path = write_ledger(tmp_path, LEDGER)
    edit = "; edited by someone else meanwhile\n"
    original = report.undeposited

    def meanwhile(*args: object) -> report.Pending:
        with path.open("a", encoding="utf-8") as file:
            file.write(edit)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(report, "undeposited", meanwhile)
    before = path.read_text(encoding="utf-8")
    status, _, stderr = deposit(path, "--date", "2026-06-30", "--record")
    assert status == 2
    assert stderr == (f"bean-ar: --record: {path.resolve()} changed since it was read; "
                      "nothing written (run the command again)\n")
    assert path.read_text(encoding="utf-8") == before + edit


def test_an_account_the_ledger_never_opens_is_bad_usage(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    result = invoke("deposit", path, "--from", "Assets:Undeposit", "--to",
                    "Assets:Bank:Checking", "--no-cache")
    assert result.exit_code == 2
    assert result.stderr == (f"bean-ar: --from Assets:Undeposit is no account of the ledger "
                             f"{path} (no open directive)\n")
    assert result.stdout == ""


def test_one_currency_at_zero_leaves_the_others_receipts_listed(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER.replace('2026-06-10 * "Globex', '2026-06-02 * "Globex'))
    assert deposit(path, "--date", "2026-06-07", "--format", "csv")[1] == csv_text(f"""
        {DEPOSIT_HEADER}
        2026-06-02,Globex Inc,INV-3,EUR,250.00
    """)


def test_the_same_account_twice_is_bad_usage(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    result = invoke("deposit", path, "--from", "Assets:Undeposited", "--to",
                    "Assets:Undeposited")
    assert result.exit_code == 2
    assert "is the --from account too" in result.stderr


def test_a_credit_other_than_a_deposit_is_warned_of(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER + dedent("""
        2026-06-20 * "Bank fee taken from the till"
          Income:Consulting                10.00 USD
          Assets:Undeposited              -10.00 USD
    """))
    status, out, stderr = deposit(path, "--date", "2026-06-30", "--format", "csv")
    assert status == 0
    assert "2026-06-12,Acme Corp,INV-2 INV-4,USD,800.00" in out
    assert stderr == ("bean-ar: warning: Assets:Undeposited holds 790.00 USD but its receipts "
                      "since it was last at zero add up to 800.00: it was credited other than "
                      "by a deposit\n")


def test_the_slip_is_refused_over_a_ledger_file(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    before = path.read_bytes()
    status, _, stderr = deposit(path, "--date", "2026-06-30", "-o", str(path))
    assert status == 2
    assert "is a file of the ledger" in stderr
    assert path.read_bytes() == before


def test_the_slip_as_html_names_the_depositor_account_receipts_and_totals(
        tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    slip = tmp_path / "slip.html"
    assert deposit(path, "--date", "2026-06-30", "-o", str(slip))[0] == 0
    html = slip.read_text(encoding="utf-8")
    for text in ("Deposit slip", "2026-06-30", "Assets:Undeposited", "Assets:Bank:Checking",
                 "INV-2 INV-4", "800.00", "250.00", '<th class="num">Amount</th>',
                 "<th>Currency</th>", '<th class="num">Receipts</th>'):
        assert text in html


def test_the_readme_shows_what_the_command_prints_and_records(tmp_path: Path) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    path = write_ledger(tmp_path, LEDGER)
    table = deposit(path, "--date", "2026-06-30")[1]
    assert table in readme
    before = path.read_text(encoding="utf-8")
    assert deposit(path, "--date", "2026-06-30", "--record")[0] == 0
    recorded = path.read_text(encoding="utf-8")[len(before) + 1:]
    assert "".join(f"  {line}\n" for line in recorded.splitlines()) in readme
