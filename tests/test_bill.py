"""Contract section 13 and 14: `bean-ar bill LEDGER --through DATE [--to FILE] [--dry-run]`.

    2026-01-01 custom "ar-contract" "acme-support"
      customer: "acme"
      every: "month"
      amount: 1500.00 USD
      account: Income:Support

Each test writes a ledger snippet, runs `bean-ar bill` in-process and checks
the exact text appended, the table printed and that the ledger loads after it
with no error.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from beancount import loader
from ledgers import HEADER, invoke, line_of, write_ledger

from beancount_ar.reports import billing

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

OPEN = "2026-01-01 open Income:Support\n2026-01-01 open Income:Hosting\n"
SUPPORT = """
2026-01-31 custom "ar-contract" "acme-support"
  customer: "acme"
  every: "month"
  amount: 1500.00 USD
  account: Income:Support
  description: "Support retainer"
"""


def invoice(day: str, number: str, *, contract: str = "acme-support",
            account: str = "Income:Support", amount: str = "1500.00") -> str:
    """An invoice exactly as `bill` appends it for Acme, for the period starting `day`."""
    width = max(len("Assets:Receivable:Acme"), len(account))
    return (f'{day} * "Acme Corp" "Support retainer" ^{number} #invoice\n'
            f'  contract: "{contract}"\n  period: {day}\n'
            f"  {'Assets:Receivable:Acme':<{width}}  {amount:>{len(amount) + 1}} USD\n"
            f"  {account:<{width}}  -{amount} USD\n")


def ledger(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    """The ledger file: the standard header, the accounts opened, `body`."""
    return write_ledger(tmp_path, OPEN + textwrap.dedent(body), header=header)


def loads_clean(path: Path) -> None:
    """The ledger loads with no error at all (bean-check would pass)."""
    _, errors, _ = loader.load_file(str(path))
    assert [e.message for e in errors] == []


def test_bills_each_period_with_month_ends_clamped(tmp_path: Path) -> None:
    path = ledger(tmp_path, SUPPORT)
    before = path.read_text(encoding="utf-8")
    result = invoke("bill", path, "--through", "2026-04-30")
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8") == before + "\n" + "\n".join([
        invoice("2026-01-31", "INV-2026-0001"),
        invoice("2026-02-28", "INV-2026-0002"),
        invoice("2026-03-31", "INV-2026-0003"),
        invoice("2026-04-30", "INV-2026-0004")])
    assert result.stdout == textwrap.dedent("""\
        Billed through 2026-04-30

        Invoice        Date        Customer   Contract      Cur    Amount
        -------------  ----------  ---------  ------------  ---  --------
        INV-2026-0001  2026-01-31  Acme Corp  acme-support  USD  1,500.00
        INV-2026-0002  2026-02-28  Acme Corp  acme-support  USD  1,500.00
        INV-2026-0003  2026-03-31  Acme Corp  acme-support  USD  1,500.00
        INV-2026-0004  2026-04-30  Acme Corp  acme-support  USD  1,500.00
        -------------  ----------  ---------  ------------  ---  --------
        TOTAL                                               USD  6,000.00
        """)
    assert result.stderr == f"bean-ar: billed 4 invoice(s) in {path}\n"
    loads_clean(path)


def test_a_second_run_bills_nothing(tmp_path: Path) -> None:
    path = ledger(tmp_path, SUPPORT)
    assert invoke("bill", path, "--through", "2026-03-31").exit_code == 0
    after = path.read_text(encoding="utf-8")
    result = invoke("bill", path, "--through", "2026-03-31")
    assert (result.exit_code, result.stdout) == (0, ("Billed through 2026-03-31\n\n"
                                                 "Nothing to bill.\n"))
    assert path.read_text(encoding="utf-8") == after


def test_dry_run_prints_and_writes_nothing(tmp_path: Path) -> None:
    path = ledger(tmp_path, SUPPORT)
    before = path.read_text(encoding="utf-8")
    result = invoke("bill", path, "--through", "2026-02-28", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "Would bill through 2026-02-28 (dry run: nothing written)\n")
    assert "INV-2026-0002  2026-02-28" in result.stdout
    assert path.read_text(encoding="utf-8") == before


def test_until_and_date_order_then_contract_id(tmp_path: Path) -> None:
    hosting = """
2026-02-28 custom "ar-contract" "acme-hosting"
  customer: "acme"
  every: "quarter"
  amount: 90.00 USD
  account: Income:Hosting
  description: "Support retainer"
  until: 2026-03-01
"""
    path = ledger(tmp_path, SUPPORT + hosting)
    result = invoke("bill", path, "--through", "2026-06-30")
    assert result.exit_code == 0, result.stderr
    numbers = [(line.split()[0], line.split()[4]) for line in result.stdout.splitlines()
               if line.startswith("INV-")]
    assert numbers == [
        ("INV-2026-0001", "acme-support"), ("INV-2026-0002", "acme-hosting"),
        ("INV-2026-0003", "acme-support"), ("INV-2026-0004", "acme-support"),
        ("INV-2026-0005", "acme-support"), ("INV-2026-0006", "acme-support"),
        ("INV-2026-0007", "acme-support")]
    assert invoice("2026-02-28", "INV-2026-0002", contract="acme-hosting",
                   account="Income:Hosting", amount="90.00") in path.read_text(encoding="utf-8")
    loads_clean(path)


def test_numbering_follows_existing_invoices_and_starts_again_each_year(
        tmp_path: Path) -> None:
    existing = """
2026-11-02 * "Acme Corp" "Consulting" ^INV-2026-0041 #invoice
  Assets:Receivable:Acme    100.00 USD
  Income:Consulting        -100.00 USD

2026-11-03 * "Acme Corp" "Consulting" ^FA-2026-0099 #invoice
  Assets:Receivable:Acme    100.00 USD
  Income:Consulting        -100.00 USD
"""
    path = ledger(tmp_path, SUPPORT.replace("2026-01-31", "2026-11-30") + existing)
    result = invoke("bill", path, "--through", "2027-01-30")
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert invoice("2026-11-30", "INV-2026-0042") in text
    assert invoice("2026-12-30", "INV-2026-0043") in text
    assert invoice("2027-01-30", "INV-2027-0001") in text
    loads_clean(path)


def test_a_pattern_of_its_own(tmp_path: Path) -> None:
    header = HEADER.replace('plugin "beancount_ar"',
                            "plugin \"beancount_ar\" \"{'invoice_number': 'S{year}/{seq}'}\"")
    path = ledger(tmp_path, SUPPORT, header=header)
    assert invoke("bill", path, "--through", "2026-02-28").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "^S2026/1 #invoice" in text
    assert "^S2026/2 #invoice" in text
    loads_clean(path)


def test_a_hand_issued_invoice_for_a_period_is_not_billed_again(tmp_path: Path) -> None:
    by_hand = """
2026-02-27 * "Acme Corp" "February support" ^ACME-FEB #invoice
  contract: "acme-support"
  period: 2026-02-28
  Assets:Receivable:Acme    1500.00 USD
  Income:Support           -1500.00 USD
"""
    path = ledger(tmp_path, SUPPORT + by_hand)
    result = invoke("bill", path, "--through", "2026-03-31")
    assert result.exit_code == 0, result.stderr
    assert [line.split()[1] for line in result.stdout.splitlines()
            if line.startswith("INV-")] == ["2026-01-31", "2026-03-31"]
    loads_clean(path)


def test_sequential_numbering_refuses_a_period_out_of_date_order(tmp_path: Path) -> None:
    header = HEADER.replace('plugin "beancount_ar"',
                            "plugin \"beancount_ar\" \"{'numbering': 'sequential'}\"")
    existing = """
2026-02-15 * "Acme Corp" "Consulting" ^INV-2026-0001 #invoice
  Assets:Receivable:Acme    100.00 USD
  Income:Consulting        -100.00 USD
"""
    path = ledger(tmp_path, SUPPORT + existing, header=header)
    result = invoke("bill", path, "--through", "2026-03-31")
    assert result.exit_code == 1
    assert result.stderr == (
        "bean-ar: not billed: contract acme-support period 2026-01-31: INV-2026-0002 would be "
        "dated 2026-01-31, before INV-2026-0001 dated 2026-02-15, and numbers run in date "
        "order (numbering: 'sequential'); issue it by hand with a number of its own\n"
        f"bean-ar: billed 2 invoice(s) in {path}\n")
    text = path.read_text(encoding="utf-8")
    assert invoice("2026-02-28", "INV-2026-0002") in text
    assert invoice("2026-03-31", "INV-2026-0003") in text
    loads_clean(path)


def test_to_an_included_file(tmp_path: Path) -> None:
    (tmp_path / "billing.beancount").write_text("", encoding="utf-8")
    path = ledger(tmp_path, SUPPORT + '\ninclude "billing.beancount"\n')
    before = path.read_text(encoding="utf-8")
    result = invoke("bill", path, "--through", "2026-01-31", "--to",
                    tmp_path / "billing.beancount")
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8") == before
    assert (tmp_path / "billing.beancount").read_text(encoding="utf-8") == invoice(
        "2026-01-31", "INV-2026-0001")
    loads_clean(path)


def test_to_a_file_not_in_the_ledger_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.beancount"
    other.write_text("", encoding="utf-8")
    path = ledger(tmp_path, SUPPORT)
    before = path.read_text(encoding="utf-8")
    result = invoke("bill", path, "--through", "2026-01-31", "--to", other)
    assert result.exit_code == 2
    assert result.stderr == (f"bean-ar: --to {other} is not a file of the ledger {path} (the "
                             "top file or one it includes); nothing written\n")
    assert (path.read_text(encoding="utf-8"), other.read_text(encoding="utf-8")) == (before, "")


def test_an_account_not_open_is_named_and_not_billed(tmp_path: Path) -> None:
    path = ledger(tmp_path, SUPPORT.replace("Income:Support", "Income:Retainers"))
    before = path.read_text(encoding="utf-8")
    result = invoke("bill", path, "--through", "2026-01-31")
    assert result.exit_code == 1
    assert result.stderr == (
        "bean-ar: not billed: contract acme-support period 2026-01-31: Income:Retainers is "
        "not open on 2026-01-31; open it (or correct the contract's account) and bill again\n")
    assert path.read_text(encoding="utf-8") == before


def test_a_ledger_with_errors_is_not_billed(tmp_path: Path) -> None:
    path = ledger(tmp_path, SUPPORT.replace('"acme"', '"nobody"'))
    before = path.read_text(encoding="utf-8")
    result = invoke("bill", path, "--through", "2026-01-31")
    assert result.exit_code == 1
    assert "AR013" in result.stderr
    assert path.read_text(encoding="utf-8") == before


def test_a_file_changed_since_it_was_read_is_refused(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = ledger(tmp_path, SUPPORT)
    edit = "; edited by someone else meanwhile\n"
    plan = billing.plan_bills

    def meanwhile(*args: Any) -> billing.Plan:
        with path.open("a", encoding="utf-8") as file:
            file.write(edit)
        return plan(*args)

    monkeypatch.setattr(billing, "plan_bills", meanwhile)
    before = path.read_text(encoding="utf-8")
    result = invoke("bill", path, "--through", "2026-01-31")
    assert result.exit_code == 2
    assert result.stderr == (f"bean-ar: {path.resolve()} changed since it was read; "
                             "nothing written (run the command again)\n")
    assert path.read_text(encoding="utf-8") == before + edit


def test_invoices_that_would_add_errors_are_not_written(tmp_path: Path) -> None:
    limit = '2026-01-02 custom "ar-customer" "acme"\n  credit-limit: 2000.00 USD\n'
    path = ledger(tmp_path, limit + SUPPORT)
    before = path.read_text(encoding="utf-8")
    result = invoke("bill", path, "--through", "2026-02-28")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        ('bean-ar: AR301 invoice INV-2026-0002 takes customer "acme" to 3000.00 USD, over its '
        "credit limit of 2000.00 USD; collect first, raise the limit with a dated "
        "ar-customer, or set credit_limit: 'off'"),
        "bean-ar: the invoices would add 1 error(s) to the ledger; nothing written"]
    assert path.read_text(encoding="utf-8") == before


def test_invoices_before_a_balance_assertion_of_their_account_are_not_written(
        tmp_path: Path) -> None:
    # The ledger asserts Acme owes nothing on March 1: billing January and February
    # would make bean-check fail, so nothing is written.
    path = ledger(tmp_path, SUPPORT + "\n2026-03-01 balance Assets:Receivable:Acme 0.00 USD\n")
    before = path.read_text(encoding="utf-8")
    result = invoke("bill", path, "--through", "2026-02-28")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        (f"bean-ar: the balance assertion of Assets:Receivable:Acme on 2026-03-01 ({path}:"
        f"{line_of(path, '2026-03-01 balance')}) would fail: the new entries dated before it "
        "change that balance by 3000.00 USD"),
        "bean-ar: the invoices would add 1 error(s) to the ledger; nothing written"]
    assert path.read_text(encoding="utf-8") == before
