"""One rule says whether an issued invoice changed: `check --against` and `diff` agree.

`beancount_ar.reports.history.invoice_changes` decides; AR601 (`bean-ar check --against`)
names what changed and `bean-ar diff` lists the invoice under "Invoices changed".
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from beancount_ar.cli import main
from beancount_ar.cli.loading import load_ledger
from beancount_ar.reports.history import invoice_changes

if TYPE_CHECKING:
    from pathlib import Path

LEDGER = """\
plugin "beancount_ar"
2026-01-01 open Assets:Bank:Checking
2026-01-01 open Income:Consulting
2026-01-01 open Income:Training
2026-01-01 open Assets:Receivable:Acme
2026-01-01 custom "ar-customer" "acme"
  name: "Acme Corp"
  account: Assets:Receivable:Acme

2026-01-05 * "Acme Corp" "Consulting, January" ^INV-1 #invoice
  Assets:Receivable:Acme        1000.00 USD
  Income:Consulting             -600.00 USD
    description: "Architecture review"
  Income:Training               -400.00 USD
"""

# Each edit of INV-1, and what AR601 says changed.
EDITS = {
    "line currency": (("-600.00 USD", "-600.00 EUR @ 1.00 USD"), "lines"),
    "line description": (('"Architecture review"', '"Code review"'), "lines"),
    "line account": (("Income:Training ", "Income:Consulting "), "lines"),
    "line amounts": (("-600.00 USD\n", "-500.00 USD\n"), "lines"),
    "date": (("2026-01-05 *", "2026-01-06 *"), "date 2026-01-05 -> 2026-01-06"),
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.email=ar@example.com", "-c", "user.name=AR", *args],
        check=True, capture_output=True,
    )


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    """A repository with LEDGER committed, and `old` replaced by `new` in the working tree."""
    repo = tmp_path / "books"
    repo.mkdir()
    _git(repo, "init", "-q")
    path = repo / "ledger.beancount"
    path.write_text(LEDGER, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "issue INV-1")
    assert LEDGER.count(old) == 1
    edited = LEDGER.replace(old, new)
    if "-500.00" in new:  # keep the transaction balanced
        edited = edited.replace("-400.00 USD", "-500.00 USD")
    path.write_text(edited, encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("edit", EDITS)
def test_check_and_diff_both_report_the_edit(tmp_path: Path, edit: str) -> None:
    (old, new), said = EDITS[edit]
    path = _edited(tmp_path, old, new)
    code, output = _run("check", str(path), "--against", "HEAD")
    assert code == 1
    expected = (f"AR601 invoice INV-1 was issued at HEAD (ledger.beancount:10) and has "
                f"changed since: {said};")
    assert expected in output
    code, output = _run("diff", str(path), "HEAD")
    assert code == 0
    assert "Invoices changed (issued invoices are corrected with credit notes):\n  INV-1" \
        in output


def test_the_rule_itself(tmp_path: Path) -> None:
    path = _edited(tmp_path, "-600.00 USD", "-600.00 EUR @ 1.00 USD")
    (tmp_path / "before.beancount").write_text(LEDGER, encoding="utf-8")
    before = load_ledger(tmp_path / "before.beancount", use_cache=False).receivables
    after = load_ledger(path, use_cache=False).receivables
    assert invoice_changes(before.invoices["INV-1"], before.invoices["INV-1"]) == []
    assert invoice_changes(before.invoices["INV-1"], after.invoices["INV-1"]) == ["lines"]


def test_lines_in_another_order_are_no_change(tmp_path: Path) -> None:
    reordered = LEDGER.replace(
        '  Income:Consulting             -600.00 USD\n    description: "Architecture review"\n'
        "  Income:Training               -400.00 USD\n",
        "  Income:Training               -400.00 USD\n"
        '  Income:Consulting             -600.00 USD\n    description: "Architecture review"\n')
    assert reordered != LEDGER
    path = _edited(tmp_path, LEDGER, reordered)
    assert _run("check", str(path), "--against", "HEAD") == (0, "")
    assert _run("diff", str(path), "HEAD") == (
        0, "No change in receivables between HEAD and working tree.\n")
