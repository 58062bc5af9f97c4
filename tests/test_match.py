"""`bean-ar match`: the invoices each bank receipt settles, and `--apply` (AR-SPEC 13, 14).

A receipt is a transaction of the import file whose other leg posts to the
suspense account or is missing. It settles the invoices it names (number or
variable symbol); else, for a payer known by IBAN or name, the one invoice of
its amount, a unique set, or one invoice less its discount; else on account.
An unknown payer is left alone, and `--apply` rewrites only what it settles.
"""

from __future__ import annotations

import json
from textwrap import dedent
from typing import TYPE_CHECKING

from beancount import loader
from ledgers import csv_text, invoke

if TYPE_CHECKING:
    from pathlib import Path

HEADER = "line,date,payee,currency,amount,customer,invoices,on_account,discounts,reason,confidence"
LEDGER = dedent("""\
    option "operating_currency" "USD"
    plugin "beancount_ar"

    2026-01-01 open Assets:Bank:Checking
    2026-01-01 open Assets:Receivable:Acme
    2026-01-01 open Assets:Receivable:Globex
    2026-01-01 open Assets:Receivable:Initech
    2026-01-01 open Income:Consulting
    2026-01-01 open Income:Discounts

    2026-01-01 custom "ar-customer" "acme"
      name: "Acme Corp"
      account: Assets:Receivable:Acme
      terms: "2/10 net 30"
      aliases: "ACME Corporation; Acme"

    2026-01-01 custom "ar-customer" "globex"
      name: "Globex s.r.o."
      account: Assets:Receivable:Globex

    2026-01-01 custom "ar-customer" "initech"
      name: "Initech"
      account: Assets:Receivable:Initech

    2026-03-01 custom "ar-customer" "initech"
      iban: "CZ65 0800 0000 1920 0014 5399"

    2026-02-01 * "Acme Corp" "Consulting" ^INV-2026-0001 #invoice
      Assets:Receivable:Acme  1800.00 USD
      Income:Consulting

    2026-02-05 * "Acme Corp" "Consulting" ^INV-2026-0002 #invoice
      Assets:Receivable:Acme  500.00 USD
      Income:Consulting

    2026-02-06 * "Globex" "Consulting" ^INV-2026-0003 #invoice
      Assets:Receivable:Globex  1000.00 USD
      Income:Consulting

    2026-02-07 * "Globex" "Consulting" ^INV-2026-0004 #invoice
      Assets:Receivable:Globex  1000.00 USD
      Income:Consulting

    2026-02-08 * "Initech" "Consulting" ^INV-2026-0005 #invoice
      Assets:Receivable:Initech  300.00 USD
      Income:Consulting

    2026-02-09 * "Initech" "Consulting" ^INV-2026-0006 #invoice
      Assets:Receivable:Initech  450.00 USD
      Income:Consulting

    2026-02-10 * "Initech" "Consulting" ^INV-2026-0007 #invoice
      Assets:Receivable:Initech  125.00 USD
      Income:Consulting
""")

RECEIPTS = dedent("""\
    ; imported from statement 2026-03.csv
    2026-02-09 * "ACME  CORP" "Payment"
      Assets:Bank:Checking  1764.00 USD
      Income:Uncategorized

    2026-02-20 * "Somebody else" "VS 0020260002" ; paid for Acme
      bank-ref: "X1"
      Assets:Bank:Checking  200.00 USD

    2026-03-02 * "GLOBEX S.R.O." "Payment"
      Assets:Bank:Checking  1000.00 USD
      Income:Uncategorized

    2026-03-03 * "Bank transfer" "Invoices"
      iban: "cz6508000000192000145399"
      Assets:Bank:Checking  750.00 USD
      Income:Uncategorized

    2026-03-04 * "Globex" "Payment, invoice inv-2026-0003."
      Assets:Bank:Checking  1200.00 USD
      Income:Uncategorized

    2026-03-05 * "Stranger Ltd" "Payment 1000.00"
      Assets:Bank:Checking  1000.00 USD
      Income:Uncategorized

    2026-03-06 * "Acme Corp" "Refund to us"
      Assets:Bank:Checking  -50.00 USD
      Income:Uncategorized
""")


def files(tmp_path: Path) -> tuple[Path, Path]:
    """The ledger and the import file, written."""
    ledger = tmp_path / "ledger.beancount"
    ledger.write_text(LEDGER, encoding="utf-8")
    receipts = tmp_path / "receipts.beancount"
    receipts.write_text(RECEIPTS, encoding="utf-8")
    return ledger, receipts


def test_each_kind_of_receipt_is_proposed_with_its_reason(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    result = invoke("match", ledger, receipts, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == csv_text(f"""
        {HEADER}
        2,2026-02-09,ACME  CORP,USD,1764.00,acme,INV-2026-0001:1764.00,0.00,INV-2026-0001:36.00,name 'ACME  CORP'; INV-2026-0001 less its 2% discount (paid by 2026-02-11),0.85
        6,2026-02-20,Somebody else,USD,200.00,acme,INV-2026-0002:200.00,0.00,,"variable symbol INV-2026-0002, partly paid",0.90
        10,2026-03-02,GLOBEX S.R.O.,USD,1000.00,globex,,1000.00,,name 'GLOBEX S.R.O.'; fits 2 invoices equally: on account,0.60
        14,2026-03-03,Bank transfer,USD,750.00,initech,INV-2026-0005:300.00 INV-2026-0006:450.00,0.00,,"IBAN ••••5399; the sum of INV-2026-0005, INV-2026-0006",0.85
        19,2026-03-04,Globex,USD,1200.00,globex,INV-2026-0003:1000.00,200.00,,"reference INV-2026-0003, the rest on account",0.92
        23,2026-03-05,Stranger Ltd,USD,1000.00,,,0.00,,unknown payer: left alone,0.00
    """)  # noqa: E501 - one receipt per line, as the CSV has it


def test_receipts_earlier_in_the_file_count_as_applied(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    receipts.write_text(dedent("""\
        2026-03-01 * "Acme" "Payment"
          Assets:Bank:Checking  500.00 USD
          Income:Uncategorized

        2026-03-02 * "Acme" "Payment"
          Assets:Bank:Checking  500.00 USD
          Income:Uncategorized
    """), encoding="utf-8")
    rows = json.loads(invoke("match", ledger, receipts, "--format", "json").stdout)
    assert [(r["invoices"], r["on_account"]) for r in rows] == [
        ([{"invoice": "INV-2026-0002", "amount": "500.00"}], "0.00"),
        ([], "500.00"),  # INV-2026-0002 is settled by the first: the second is on account
    ]


def test_apply_rewrites_only_the_settled_receipts(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    ledger_bytes = ledger.read_bytes()
    result = invoke("match", ledger, receipts, "--apply", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "settled 5 receipt(s)" in result.stderr
    assert ledger.read_bytes() == ledger_bytes
    assert receipts.read_text(encoding="utf-8") == dedent("""\
        ; imported from statement 2026-03.csv
        2026-02-09 * "ACME  CORP" "Payment"
          Assets:Bank:Checking  1764.00 USD
          Assets:Receivable:Acme  -1764.00 USD
            invoice: "INV-2026-0001"

        2026-02-09 * "Acme Corp" "Early-payment discount, INV-2026-0001" ^INV-2026-0001 #credit-note
          Assets:Receivable:Acme  -36.00 USD
          Income:Discounts  36.00 USD

        2026-02-20 * "Somebody else" "VS 0020260002" ; paid for Acme
          bank-ref: "X1"
          Assets:Bank:Checking  200.00 USD
          Assets:Receivable:Acme  -200.00 USD
            invoice: "INV-2026-0002"

        2026-03-02 * "GLOBEX S.R.O." "Payment" #on-account
          Assets:Bank:Checking  1000.00 USD
          Assets:Receivable:Globex  -1000.00 USD

        2026-03-03 * "Bank transfer" "Invoices"
          iban: "cz6508000000192000145399"
          Assets:Bank:Checking  750.00 USD
          Assets:Receivable:Initech  -300.00 USD
            invoice: "INV-2026-0005"
          Assets:Receivable:Initech  -450.00 USD
            invoice: "INV-2026-0006"

        2026-03-04 * "Globex" "Payment, invoice inv-2026-0003." #on-account
          Assets:Bank:Checking  1200.00 USD
          Assets:Receivable:Globex  -1000.00 USD
            invoice: "INV-2026-0003"
          Assets:Receivable:Globex  -200.00 USD

        2026-03-05 * "Stranger Ltd" "Payment 1000.00"
          Assets:Bank:Checking  1000.00 USD
          Income:Uncategorized

        2026-03-06 * "Acme Corp" "Refund to us"
          Assets:Bank:Checking  -50.00 USD
          Income:Uncategorized
    """)


def test_the_ledger_with_the_applied_receipts_passes_bean_check(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    invoke("match", ledger, receipts, "--apply")
    receipts.write_text(receipts.read_text(encoding="utf-8").replace(
        "Income:Uncategorized", "Assets:Bank:Checking"), encoding="utf-8")  # the others, booked
    ledger.write_text(LEDGER + '\ninclude "receipts.beancount"\n', encoding="utf-8")
    _, errors, _ = loader.load_file(str(ledger))
    assert [e.message for e in errors] == []


def test_a_second_apply_finds_nothing_to_settle(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    invoke("match", ledger, receipts, "--apply")
    settled = receipts.read_bytes()
    result = invoke("match", ledger, receipts, "--apply", "--format", "csv")
    assert result.exit_code == 0
    assert "nothing to apply" in result.stderr
    assert receipts.read_bytes() == settled
    assert result.stdout == csv_text(f"""
        {HEADER}
        35,2026-03-05,Stranger Ltd,USD,1000.00,,,0.00,,unknown payer: left alone,0.00
    """)


def test_apply_refuses_a_file_of_the_ledger(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    ledger.write_text(LEDGER + '\ninclude "receipts.beancount"\n', encoding="utf-8")
    before = receipts.read_bytes()
    result = invoke("match", ledger, receipts, "--apply", "--ignore-errors")
    assert result.exit_code == 2
    assert "is a file of the ledger" in result.stderr
    assert receipts.read_bytes() == before


def test_apply_refuses_a_posting_to_an_account_not_open(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    ledger.write_text(LEDGER + "\n2026-02-28 close Assets:Receivable:Globex\n", encoding="utf-8")
    before = receipts.read_bytes()
    result = invoke("match", ledger, receipts, "--apply", "--ignore-errors")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "bean-ar: --apply: the settled receipts: Assets:Receivable:Globex is closed on "
        "2026-03-02 (closed 2026-02-28); nothing written")
    assert receipts.read_bytes() == before


def test_apply_refuses_what_would_break_a_balance_assertion(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    ledger.write_text(LEDGER + "\n2026-03-31 balance Assets:Receivable:Initech 875.00 USD\n",
                      encoding="utf-8")
    before = receipts.read_bytes()
    result = invoke("match", ledger, receipts, "--apply")
    assert result.exit_code == 1
    assert ("the balance assertion of Assets:Receivable:Initech on 2026-03-31"
            in result.stderr)
    assert receipts.read_bytes() == before


def test_a_receipt_file_with_a_broken_entry_still_matches_the_others(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    receipts.write_text(dedent("""\
        2026-03-01 * "Acme" "Payment"
          Assets:Bank:Checking  500.00 USD
          Income:Uncategorized

        2026-03-02 * "Acme" "Broken
          Assets:Bank:Checking  500.00 USD
    """), encoding="utf-8")
    result = invoke("match", ledger, receipts, "--format", "csv")
    assert result.exit_code == 0
    assert "receipts.beancount:5:" in result.stderr
    assert "INV-2026-0002:500.00" in result.stdout


def test_missing_receipts_file_is_a_message(tmp_path: Path) -> None:
    ledger, _ = files(tmp_path)
    result = invoke("match", ledger, tmp_path / "nope.beancount")
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
    assert "Traceback" not in result.output


def test_the_table_names_each_decision_and_counts_them(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    result = invoke("match", ledger, receipts)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Line", "Date", "Payer", "Cur", "Amount", "Customer",
                                "Invoices", "On", "account", "Conf", "Why"]
    assert lines[-1] == ("6 receipt(s): 4 to invoices, 1 on account, 1 left alone "
                         "(unknown payer)")


def test_a_variable_symbol_of_two_series_settles_the_one_still_open(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    ledger.write_text(LEDGER + dedent("""
        2026-02-11 * "Globex" "Services" ^FA-2026-0001 #invoice
          Assets:Receivable:Globex  640.00 USD
          Income:Consulting
    """), encoding="utf-8")  # its digits are INV-2026-0001's: 20260001
    receipts.write_text(dedent("""\
        2026-02-12 * "Globex s.r.o." "VS 20260001"
          Assets:Bank:Checking  640.00 USD

        2026-02-13 * "Someone" "VS 20260001"
          Assets:Bank:Checking  100.00 USD
    """), encoding="utf-8")
    rows = json.loads(invoke("match", ledger, receipts, "--format", "json").stdout)
    assert [(r["customer"], r["invoices"], r["reason"]) for r in rows] == [
        ("globex", [{"invoice": "FA-2026-0001", "amount": "640.00"}],
         "variable symbol FA-2026-0001"),  # both open: the payer's
        ("acme", [{"invoice": "INV-2026-0001", "amount": "100.00"}],
         "variable symbol INV-2026-0001, partly paid"),  # now only one is open
    ]


def test_a_payer_written_without_diacritics_is_recognised(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    ledger.write_text(LEDGER.replace('name: "Initech"', 'name: "Strojírny Novák a.s."'),
                      encoding="utf-8")
    receipts.write_text(dedent("""\
        2026-03-01 * "STROJIRNY NOVAK" "Platba"
          Assets:Bank:Checking  125.00 USD
    """), encoding="utf-8")
    rows = json.loads(invoke("match", ledger, receipts, "--format", "json").stdout)
    assert [(r["customer"], r["invoices"]) for r in rows] == [
        ("initech", [{"invoice": "INV-2026-0007", "amount": "125.00"}])]


def test_a_discount_account_not_open_says_how_to_name_another(tmp_path: Path) -> None:
    ledger, receipts = files(tmp_path)
    ledger.write_text(LEDGER.replace("2026-01-01 open Income:Discounts\n", ""),
                      encoding="utf-8")
    result = invoke("match", ledger, receipts, "--apply")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "bean-ar: --apply: the settled receipts: Income:Discounts is not open on 2026-02-09 "
        "(discounts go to Income:Discounts: open it, or name another account in the plugin "
        "configuration's discount_account); nothing written")
