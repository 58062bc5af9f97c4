"""Issue 12.1: `bean-ar invoice new CUSTOMER AMOUNT ACCOUNT [--date] [--description] [--to]`.

    $ bean-ar invoice new ledger.beancount acme "900.00 USD" Income:Consulting --date 2026-03-02

appends the next number of its year, billed to Acme's receivable account, and
prints it as `bill` prints its invoices. Every refusal leaves the ledger byte
for byte; `bean-ar invoice LEDGER NUMBER -o FILE` prints an invoice as before.
"""

from __future__ import annotations

import datetime
import textwrap
from typing import TYPE_CHECKING

import pytest
from beancount import loader
from ledgers import HEADER, invoke, write_ledger

from beancount_ar.cli.loading import load_ledger
from beancount_ar.reports.aging import today

if TYPE_CHECKING:
    from pathlib import Path

EXISTING = """
2026-01-05 * "Acme Corp" "Consulting" ^INV-2026-0001 #invoice
  Assets:Receivable:Acme    100.00 USD
  Income:Consulting        -100.00 USD
"""
APPENDED = """
2026-03-02 * "Acme Corp" "Workshop" ^INV-2026-0002 #invoice
  Assets:Receivable:Acme   900.00 USD
  Income:Consulting       -900.00 USD
"""
TABLE = """\
Issued

Invoice        Date        Customer   Contract  Cur  Amount
-------------  ----------  ---------  --------  ---  ------
INV-2026-0002  2026-03-02  Acme Corp            USD  900.00
-------------  ----------  ---------  --------  ---  ------
TOTAL                                           USD  900.00
"""
NEW = ("acme", "900.00 USD", "Income:Consulting", "--date", "2026-03-02",
       "--description", "Workshop")


def ledger(tmp_path: Path, body: str = EXISTING, header: str = HEADER) -> Path:
    return write_ledger(tmp_path, textwrap.dedent(body), header=header)


def loads_clean(path: Path) -> None:
    _, errors, _ = loader.load_file(str(path))
    assert [e.message for e in errors] == []


def test_appends_the_next_number_and_prints_it(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    before = path.read_text(encoding="utf-8")
    result = invoke("invoice", "new", path, *NEW)
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8") == before + APPENDED
    assert result.stdout == TABLE
    assert result.stderr == f"bean-ar: issued INV-2026-0002 in {path}\n"
    loads_clean(path)


def test_due_by_the_customers_terms_in_force_on_its_date(tmp_path: Path) -> None:
    terms = '2026-03-01 custom "ar-customer" "acme"\n  terms: "net 15"\n'
    path = ledger(tmp_path, EXISTING + terms)
    assert invoke("invoice", "new", path, *NEW).exit_code == 0
    invoices = load_ledger(path).receivables.invoices
    assert invoices["INV-2026-0002"].due == datetime.date(2026, 3, 17)
    assert invoices["INV-2026-0001"].due == datetime.date(2026, 2, 4)  # net 30 before


def test_defaults_today_and_the_accounts_last_part(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    before = path.read_text(encoding="utf-8")
    result = invoke("invoice", "new", "-f", path, "acme", "900 USD", "Income:Consulting")
    assert result.exit_code == 0, result.stderr
    day = today()
    seq = "0002" if day.year == 2026 else "0001"
    assert path.read_text(encoding="utf-8") == before + (
        f'\n{day} * "Acme Corp" "Consulting" ^INV-{day.year}-{seq} #invoice\n'
        "  Assets:Receivable:Acme   900.00 USD\n"
        "  Income:Consulting       -900.00 USD\n")


def test_ledger_from_the_environment_and_before_the_command(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    assert invoke("invoice", "new", *NEW, env={"BEANCOUNT_FILE": str(path)}).exit_code == 0
    result = invoke("-f", path, "invoice", "new", "acme", "50.00 USD", "Income:Consulting",
                    "--date", "2026-03-03")
    assert result.exit_code == 0, result.stderr
    assert "^INV-2026-0003 #invoice" in path.read_text(encoding="utf-8")
    loads_clean(path)


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    before = path.read_text(encoding="utf-8")
    result = invoke("invoice", "new", path, *NEW, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == TABLE.replace("Issued", "Would issue (dry run: nothing written)")
    assert (result.stderr, path.read_text(encoding="utf-8")) == ("", before)


def test_to_an_included_file(tmp_path: Path) -> None:
    billing = tmp_path / "billing.beancount"
    billing.write_text("", encoding="utf-8")
    path = ledger(tmp_path, EXISTING + 'include "billing.beancount"\n')
    before = path.read_text(encoding="utf-8")
    result = invoke("invoice", "new", path, *NEW, "--to", billing)
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8") == before
    assert billing.read_text(encoding="utf-8") == APPENDED.lstrip("\n")
    loads_clean(path)


SEQUENTIAL = HEADER.replace('plugin "beancount_ar"',
                            "plugin \"beancount_ar\" \"{'numbering': 'sequential'}\"")
LIMIT = '2026-01-02 custom "ar-customer" "acme"\n  credit-limit: 500.00 USD\n'


def test_the_amount_as_two_arguments_or_in_the_operating_currency(tmp_path: Path) -> None:
    for amount in (["900.00", "USD"], ["900.00"]):
        path = ledger(tmp_path, EXISTING)
        result = invoke("invoice", "new", path, "acme", *amount, "Income:Consulting",
                        "--date", "2026-03-02")
        assert result.exit_code == 0, result.output
        assert path.read_text(encoding="utf-8").endswith(
            "  Assets:Receivable:Acme   900.00 USD\n  Income:Consulting       -900.00 USD\n")


@pytest.mark.parametrize("case", [
    (("bob", "900.00 USD", "Income:Consulting"), EXISTING, HEADER, 2,
     ('not issued: no customer "bob" in the ledger (customers: acme, globex, kaiju, umbrella); '
     "write an ar-customer with an account: first; nothing written")),
    (("acme", "0.00 USD", "Income:Consulting"), EXISTING, HEADER, 2,
     ("not issued: the amount 0.00 USD is not above zero; an invoice bills a positive amount; "
     "nothing written")),
    (("acme", "900.001 USD", "Income:Consulting"), EXISTING, HEADER, 2,
     ("not issued: the amount 900.001 USD has 3 decimals; the ledger writes USD with 2; "
     "nothing written")),
    (("acme", "nine hundred", "Income:Consulting"), EXISTING, HEADER, 2,
     ("AMOUNT 'nine hundred' is not an amount; write the number and the currency, such as "
     '"900.00 USD" (a number alone is in the operating currency, when the ledger has '
     "exactly one)")),
    (("acme", "900.00 USD", "Income:Workshops"), EXISTING, HEADER, 1,
     ("not issued: Income:Workshops is not open on 2026-03-02; open it (or choose another "
     "account or date) and issue the invoice again; nothing written")),
    (("acme", "900.00 USD", "Income:Consulting"), EXISTING.replace("2026-01-05", "2026-03-05"),
     SEQUENTIAL, 1,
     ("not issued: INV-2026-0002 would be dated 2026-03-02, before INV-2026-0001 dated "
     "2026-03-05, and numbers run in date order (numbering: 'sequential'); date it later, or "
     "write it by hand with a number of its own; nothing written")),
    (("acme", "900.00 USD", "Income:Consulting"), LIMIT + EXISTING, HEADER, 1,
     "the invoices would add 1 error(s) to the ledger; nothing written"),
], ids=["unknown-customer", "zero", "too-fine", "no-currency", "account-not-open",
        "out-of-date-order", "over-credit-limit"])
def test_refusals_leave_the_ledger_byte_for_byte(
        tmp_path: Path, case: tuple[tuple[str, ...], str, str, int, str]) -> None:
    args, body, header, status, message = case
    path = ledger(tmp_path, body, header)
    before = path.read_bytes()
    result = invoke("invoice", "new", path, *args, "--date", "2026-03-02")
    assert result.exit_code == status
    assert result.stderr.splitlines()[-1] == f"bean-ar: {message}"
    assert path.read_bytes() == before


def test_over_the_credit_limit_names_the_error(tmp_path: Path) -> None:
    path = ledger(tmp_path, LIMIT + EXISTING)
    result = invoke("invoice", "new", path, *NEW)
    assert result.stderr.splitlines()[0] == (
        'bean-ar: AR301 invoice INV-2026-0002 takes customer "acme" to 1000.00 USD, over its '
        "credit limit of 500.00 USD; collect first, raise the limit with a dated ar-customer, "
        "or set credit_limit: 'off'")


def test_a_customer_without_an_account_is_a_ledger_error(tmp_path: Path) -> None:
    nobody = '2026-01-01 custom "ar-customer" "nobody"\n  name: "Nobody Ltd"\n'
    path = ledger(tmp_path, EXISTING + nobody)
    before = path.read_bytes()
    result = invoke("invoice", "new", path, "nobody", "9.00 USD", "Income:Consulting")
    assert result.exit_code == 1
    assert 'customer "nobody" has no account' in result.stderr
    assert path.read_bytes() == before


def test_a_file_not_of_the_ledger_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.beancount"
    other.write_text("", encoding="utf-8")
    path = ledger(tmp_path)
    before = path.read_bytes()
    result = invoke("invoice", "new", path, *NEW, "--to", other)
    assert result.exit_code == 2
    assert result.stderr == (f"bean-ar: --to {other} is not a file of the ledger {path} (the "
                             "top file or one it includes); nothing written\n")
    assert (path.read_bytes(), other.read_text(encoding="utf-8")) == (before, "")


def test_invoice_number_still_prints_the_invoice(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    result = invoke("invoice", path, "INV-2026-0001", "-o", tmp_path / "inv.html",
                    "--as-of", "2026-06-30")
    assert (result.exit_code, result.stdout) == (0, f"wrote {tmp_path / 'inv.html'}\n")
    assert "INV-2026-0001" in (tmp_path / "inv.html").read_text(encoding="utf-8")
    result = invoke("-f", path, "invoice", "INV-2026-0001", "-o", tmp_path / "two.html")
    assert result.exit_code == 0, result.stderr


def test_a_ledger_named_new_is_given_as_dot_slash_new(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    write_ledger(tmp_path, EXISTING, name="new")
    monkeypatch.chdir(tmp_path)
    result = invoke("invoice", "./new", "INV-2026-0001", "-o", "inv.html")
    assert result.exit_code == 0, result.stderr
    result = invoke("invoice", "new", "./new", *NEW)
    assert result.exit_code == 0, result.stderr
    assert "^INV-2026-0002 #invoice" in (tmp_path / "new").read_text(encoding="utf-8")


def test_a_dry_run_names_what_a_real_run_would_refuse(tmp_path: Path) -> None:
    path = ledger(tmp_path, LIMIT + EXISTING)
    before = path.read_bytes()
    result = invoke("invoice", "new", path, *NEW, "--dry-run")
    assert result.exit_code == 1
    assert result.stdout.startswith("Would issue (dry run: nothing written)\n")
    assert result.stderr.splitlines()[-1] == (
        "bean-ar: the invoices would add 1 error(s) to the ledger; a real run would write "
        "nothing")
    assert path.read_bytes() == before
    result = invoke("invoice", "new", path, *NEW)
    assert result.exit_code == 1
    assert result.stdout.startswith("Not issued (refused: nothing written)\n")
    assert path.read_bytes() == before
