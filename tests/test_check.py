"""`bean-ar check --against REF`: issued invoices stay issued, against real git repositories."""

from __future__ import annotations

import json
import subprocess
import textwrap
from typing import TYPE_CHECKING

from click.testing import CliRunner

from beancount_ar.cli import main

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

LEDGER = """\
plugin "beancount_ar"
include "customers.beancount"
2026-01-01 open Assets:Bank:Checking
2026-01-01 open Income:Consulting

2026-01-05 * "Acme Corp" "Consulting, January" ^INV-1 #invoice
  Assets:Receivable:Acme        1800.00 USD
  Income:Consulting            -1800.00 USD
    description: "Architecture review"

2026-02-05 * "Acme Corp" "Consulting, February" ^INV-2 #invoice
  Assets:Receivable:Acme         900.00 USD
  Income:Consulting             -900.00 USD
"""

CUSTOMERS = """\
2026-01-01 open Assets:Receivable:Acme
2026-01-01 custom "ar-customer" "acme"
  name: "Acme Corp"
  account: Assets:Receivable:Acme
"""

PAYMENT = """
2026-02-10 * "Acme Corp" "Payment" ^INV-1
  Assets:Bank:Checking          1800.00 USD
  Assets:Receivable:Acme       -1800.00 USD
"""


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.email=ar@example.com", "-c", "user.name=AR", *args],
        check=True, capture_output=True, text=True,
    ).stdout


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "books"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "ledger.beancount").write_text(LEDGER)
    (repo / "customers.beancount").write_text(CUSTOMERS)
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "issue INV-1 and INV-2")
    return repo


def _check(ledger: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(ledger), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_an_appended_payment_passes(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    with (repo / "ledger.beancount").open("a") as ledger:
        ledger.write(PAYMENT)
    assert _check(repo / "ledger.beancount", "--against", "HEAD") == (0, "")


def test_an_edited_amount_fails_with_ar601_naming_the_invoice(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    path.write_text(LEDGER.replace("1800.00 USD", "1700.00 USD"))
    code, output = _check(path, "--against", "HEAD")
    assert code == 1
    assert f"{path}:6: AR601 invoice INV-1 was issued at HEAD (ledger.beancount:6)" in output
    assert "amount 1800.00 -> 1700.00" in output


def test_an_edited_customer_or_date_fails(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    path.write_text(LEDGER.replace("2026-02-05 *", "2026-02-06 *"))
    code, output = _check(path, "--against", "HEAD")
    assert code == 1
    assert "AR601 invoice INV-2" in output
    assert "date 2026-02-05 -> 2026-02-06" in output


def test_a_removed_invoice_fails_with_ar602_at_the_top_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    path.write_text(LEDGER.split("\n2026-02-05", maxsplit=1)[0] + "\n")
    code, output = _check(path, "--against", "HEAD")
    assert code == 1
    assert f"{path}:1: AR602 invoice INV-2 issued at HEAD (ledger.beancount:11) is gone" in output


def test_a_change_in_an_included_file_is_caught(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "customers.beancount").write_text(
        CUSTOMERS + textwrap.dedent("""
            2026-01-01 open Assets:Receivable:Globex
            2026-01-01 custom "ar-customer" "globex"
              name: "Globex"
              account: Assets:Receivable:Globex
        """))
    path = repo / "ledger.beancount"
    path.write_text(LEDGER.replace("Assets:Receivable:Acme         900.00",
                                   "Assets:Receivable:Globex       900.00"))
    code, output = _check(path, "--against", "HEAD")
    assert code == 1
    assert "AR601 invoice INV-2" in output
    assert "customer acme -> globex" in output


def test_the_ref_is_read_from_git_not_from_the_working_tree(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "customers.beancount").write_text(CUSTOMERS.replace("Acme Corp", "Acme Corporation"))
    _git(repo, "commit", "-qam", "rename the customer")
    assert _check(repo / "ledger.beancount", "--against", "HEAD~1") == (0, "")


def test_a_renamed_top_file_gives_a_clear_message(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _git(repo, "mv", "ledger.beancount", "books.beancount")
    _git(repo, "commit", "-qm", "rename")
    code, output = _check(repo / "books.beancount", "--against", "HEAD~1")
    assert code == 2
    assert "books.beancount does not exist at HEAD~1" in output


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    code, output = _check(repo / "ledger.beancount", "--against", "no-such-ref")
    assert (code, "unknown git ref 'no-such-ref'" in output) == (2, True)
    outside = tmp_path / "loose.beancount"
    outside.write_text(LEDGER)
    code, output = _check(outside, "--against", "HEAD")
    assert (code, "is not in a git repository" in output) == (2, True)


def test_a_detached_and_a_shallow_checkout_work(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    with (repo / "ledger.beancount").open("a") as ledger:
        ledger.write(PAYMENT)
    _git(repo, "commit", "-qam", "payment")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(shallow)],
                   check=True, capture_output=True)
    _git(shallow, "checkout", "-q", "--detach", "HEAD")
    assert _check(shallow / "ledger.beancount", "--against", "HEAD~1") == (0, "")


def test_a_card_number_in_a_comment_is_ar401_masked(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    with path.open("a") as ledger:
        ledger.write("; customer paid with 4111 1111 1111 1111\n")
    code, output = _check(path)
    assert code == 1
    assert f"{path}:14: AR401 card number **** **** **** 1111" in output
    assert "4111 1111 1111 1111" not in output


def test_comment_cards_deep_in_a_large_file_are_at_their_own_lines(tmp_path: Path) -> None:
    # The text is read in pieces of 64 Ki characters: lines keep their numbers across them,
    # a form feed counts as a line end as before, and CRLF line ends as one.
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    filler = "".join(f"; note {n:06d} {'x' * 60}\r\n" for n in range(3000))  # ~210 KB
    with path.open("a", newline="") as ledger:
        ledger.write(filler + "; paid with 4111 1111 1111 1111\r\n"
                     "; page\x0c; 5500 0000 0000 0004\n")
    code, output = _check(path)
    assert code == 1
    found = [line.split(": AR401")[0] for line in output.splitlines() if "AR401" in line]
    assert found == [f"{path}:{14 + 3000}", f"{path}:{14 + 3002}"]
    assert "4111 1111 1111 1111" not in output


def test_json_and_github_formats(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    path.write_text(LEDGER.replace("1800.00 USD", "1700.00 USD"))
    code, output = _check(path, "--against", "HEAD", "--format", "json")
    assert code == 1
    (error,) = json.loads(output)
    assert (error["file"], error["line"], error["code"]) == (str(path), 6, "AR601")
    code, output = _check(path, "--against", "HEAD", "--format", "github")
    assert output.startswith(f"::error file={path},line=6::AR601 invoice INV-1")


def test_ar602_is_at_line_1_of_the_top_file_in_every_format(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    path.write_text(LEDGER.split("\n2026-02-05", maxsplit=1)[0] + "\n")
    gone = "AR602 invoice INV-2 issued at HEAD (ledger.beancount:11) is gone"
    expected = f"{path}:1: {gone}; restore it and cancel it with a credit note instead\n"
    assert _check(path, "--against", "HEAD") == (1, expected)
    code, output = _check(path, "--against", "HEAD", "--format", "json")
    (error,) = json.loads(output)
    assert (code, error["file"], error["line"], error["code"]) == (1, str(path), 1, "AR602")
    code, output = _check(path, "--against", "HEAD", "--format", "github")
    assert (code, output.split("::")[1]) == (1, f"error file={path},line=1")


def test_an_error_with_no_line_is_annotated_at_line_1_without_a_traceback(
        tmp_path: Path) -> None:
    ledger = tmp_path / "main.beancount"
    ledger.write_text('plugin "no_such_plugin_module"\n2026-01-01 open Assets:Bank\n')
    code, output = _check(ledger, "--format", "github")
    assert code == 1
    assert output == '::error file=<load>,line=1::Error importing "no_such_plugin_module"\n'


def test_an_include_gpg_cannot_decrypt_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    ledger = tmp_path / "main.beancount"
    ledger.write_text('plugin "beancount_ar"\ninclude "customers.beancount.gpg"\n')
    (tmp_path / "customers.beancount.gpg").write_text(
        "-----BEGIN PGP MESSAGE-----\nnot a message\n-----END PGP MESSAGE-----\n")
    code, output = _check(ledger)
    assert code == 1
    assert output.startswith(f"bean-ar: cannot load {ledger}: Could not decrypt file")


def _github(ledger: Path) -> str:
    code, output = _check(ledger, "--against", "HEAD", "--format", "github")
    assert code == 1
    return output


def test_github_annotations_escape_the_file_property(tmp_path: Path) -> None:
    # As GitHub's toolkit escapeProperty: % \r \n : , in a property value.
    repo = _repo(tmp_path)
    _git(repo, "mv", "ledger.beancount", "my,books:100%.beancount")
    _git(repo, "commit", "-qm", "renamed")
    path = repo / "my,books:100%.beancount"
    path.write_text(LEDGER.replace("1800.00 USD", "1700.00 USD"))
    escaped = str(path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert _github(path).startswith(f"::error file={escaped},line=6::AR601 invoice INV-1")


def test_github_annotations_name_files_below_the_working_directory_relatively(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    path.write_text(LEDGER.replace("1800.00 USD", "1700.00 USD"))
    monkeypatch.chdir(tmp_path)
    assert _github(path).startswith("::error file=books/ledger.beancount,line=6::AR601")
    monkeypatch.chdir(repo)
    assert _github(path).startswith("::error file=ledger.beancount,line=6::AR601")


def test_github_annotations_escape_data_and_properties_as_the_toolkit_does() -> None:
    from beancount_ar.cli.commits import _format_check
    from beancount_ar.core.errors import ARError

    error = ARError({"filename": "/elsewhere/a,b:c%\r.beancount", "lineno": 3},
                    "AR601 invoice 1, at 100%: changed", None)
    assert _format_check([error], "github") == (
        "::error file=/elsewhere/a%2Cb%3Ac%25%0D.beancount,line=3"
        "::AR601 invoice 1, at 100%25: changed\n")  # only the first line is printed
