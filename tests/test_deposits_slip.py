"""The deposit slip as a PDF, read back with `pdftotext`: depositor, accounts, receipts, totals.

    bean-ar deposit ledger.beancount --from Assets:Undeposited --to Assets:Bank:Checking \
        --date 2026-06-30 -o slip.pdf
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from ledgers import invoke, write_ledger
from test_deposits import ACCOUNTS, LEDGER

if TYPE_CHECKING:
    from pathlib import Path

COMPANY = """
2026-01-01 custom "ar-company" "Seed Consulting LLC"
  address: "12 Harbour Street, Boston MA 02110"
"""


def test_the_slip_holds_the_depositor_the_accounts_each_receipt_and_the_totals(
        tmp_path: Path) -> None:
    path = write_ledger(tmp_path, COMPANY + LEDGER)
    slip = tmp_path / "slip.pdf"
    result = invoke("deposit", path, *ACCOUNTS, "--date", "2026-06-30", "-o", slip, "--no-cache")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"bean-ar: wrote {slip}\n"
    text = subprocess.run(["pdftotext", "-layout", str(slip), "-"], check=True,
                          capture_output=True, text=True).stdout
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert lines[:2] == ["Deposit slip", "Seed Consulting LLC · 2026-06-30"]
    assert "Receipts from Assets:Undeposited into Assets:Bank:Checking" in lines
    assert "Date Payee Invoices Currency Amount" in lines
    assert "Currency Total Receipts" in lines
    assert "2026-06-10 Globex Inc INV-3 EUR 250.00" in lines
    assert "2026-06-12 Acme Corp INV-2 INV-4 USD 800.00" in lines
    assert "EUR 250.00 1" in lines
    assert "USD 800.00 1" in lines
