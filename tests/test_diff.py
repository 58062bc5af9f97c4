"""`bean-ar diff LEDGER REF [REF2]`: what a commit did to receivables, from real git repos."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from click.testing import CliRunner

from beancount_ar.cli import main

if TYPE_CHECKING:
    from pathlib import Path

LEDGER = """\
plugin "beancount_ar"
2026-01-01 open Assets:Bank:Checking
2026-01-01 open Income:Consulting
2026-01-01 open Assets:Receivable:Acme
2026-01-01 custom "ar-customer" "acme"
  name: "Acme Corp"
  account: Assets:Receivable:Acme

2026-01-05 * "Acme Corp" "Consulting, January" ^INV-1 #invoice
  Assets:Receivable:Acme        1800.00 USD
  Income:Consulting            -1800.00 USD
"""

CHANGE = """
2026-02-05 * "Acme Corp" "Consulting, February" ^INV-2 #invoice
  Assets:Receivable:Acme         900.00 USD
  Income:Consulting             -900.00 USD

2026-02-10 * "Acme Corp" "Payment" ^INV-1
  Assets:Bank:Checking          1800.00 USD
  Assets:Receivable:Acme       -1800.00 USD

2026-03-15 custom "ar-dunning" "INV-2" 1
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.email=ar@example.com", "-c", "user.name=AR", *args],
        check=True, capture_output=True,
    )


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "books"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "ledger.beancount").write_text(LEDGER)
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "one")
    return repo


def _diff(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["diff", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


EXPECTED = """\
Receivables: {old} -> {new}

Invoices issued:
  INV-2  2026-02-05  acme  900.00 USD

Payments, credits and write-offs applied:
  2026-02-10  acme  payment  INV-1  1800.00 USD

Status events:
  2026-03-15  INV-2  ar-dunning  1

Open balances:
  acme  USD  1800.00 -> 900.00  (-900.00)
"""


def test_against_the_working_tree(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    with (repo / "ledger.beancount").open("a") as ledger:
        ledger.write(CHANGE)
    code, output = _diff(str(repo / "ledger.beancount"), "HEAD")
    assert (code, output) == (0, EXPECTED.format(old="HEAD", new="working tree"))


def test_between_two_commits(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    with (repo / "ledger.beancount").open("a") as ledger:
        ledger.write(CHANGE)
    _git(repo, "commit", "-qam", "two")
    (repo / "ledger.beancount").write_text(LEDGER)  # the working tree does not count
    code, output = _diff(str(repo / "ledger.beancount"), "HEAD~1", "HEAD")
    assert (code, output) == (0, EXPECTED.format(old="HEAD~1", new="HEAD"))


def test_no_change_and_bad_refs(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    path = str(repo / "ledger.beancount")
    assert _diff(path, "HEAD") == (0, "No change in receivables between HEAD and working tree.\n")
    code, output = _diff(path, "nope")
    assert (code, "unknown git ref 'nope'" in output) == (2, True)
