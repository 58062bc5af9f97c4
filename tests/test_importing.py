"""The beangulp hook `beancount_ar.importing.match_receipts`, run as README's `import.py`.

README shows a complete `import.py` for a CSV bank statement (beangulp's CSV
importer, then the hook). This test takes that file from README as written,
runs `python import.py extract -e ledger.beancount statement.csv` with the real
beangulp, and reads the output back with Beancount's parser: each receipt is
settled as `bean-ar match --apply` settles it. Beangulp prints the entries
itself, so the test compares entries, not its bytes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from beancount.core.data import Transaction
from beancount.parser import parser
from test_match import LEDGER

ROOT = Path(__file__).resolve().parent.parent
STATEMENT = """\
Date;Counterparty;IBAN;Message;VS;Amount
09.02.2026;ACME  CORP;;Payment;;1764.00
20.02.2026;Somebody else;;For Acme;0020260002;200.00
03.03.2026;Bank transfer;CZ65 0800 0000 1920 0014 5399;Invoices;;750.00
05.03.2026;Stranger Ltd;;Payment;;1 000,00
"""


def import_script() -> str:
    """The `import.py` block of README, exactly as written there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- import.py: [^\n]*-->\n```python\n(.*?)```", readme, re.DOTALL)
    assert found, "README has no import.py block"
    return found.group(1)


def extract(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Run README's import.py on the statement."""
    (tmp_path / "import.py").write_text(import_script(), encoding="utf-8")
    (tmp_path / "ledger.beancount").write_text(LEDGER, encoding="utf-8")
    (tmp_path / "statement.csv").write_text(STATEMENT, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "import.py", "extract", *options, "statement.csv"],
        cwd=tmp_path, capture_output=True, text=True, check=False)


def postings(entry: Transaction) -> list[tuple[str, object, object]]:
    """(account, amount, invoice) per posting."""
    return [(p.account, p.units.number if p.units else None, (p.meta or {}).get("invoice"))
            for p in entry.postings]


def test_readme_import_py_settles_each_receipt(tmp_path: Path) -> None:
    done = extract(tmp_path, "-e", "ledger.beancount")
    assert done.returncode == 0, done.stderr
    entries, errors, _ = parser.parse_string(done.stdout)
    assert errors == []
    transactions = [e for e in entries if isinstance(e, Transaction)]
    assert [(str(e.date), e.payee, sorted(e.tags), postings(e)) for e in transactions] == [
        ("2026-02-09", "ACME  CORP", [], [
            ("Assets:Bank:Checking", Decimal("1764.00"), None),
            ("Assets:Receivable:Acme", Decimal("-1764.00"), "INV-2026-0001")]),
        ("2026-02-09", "Acme Corp", ["credit-note"], [
            ("Assets:Receivable:Acme", Decimal("-36.00"), None),
            ("Income:Discounts", Decimal("36.00"), None)]),
        ("2026-02-20", "Somebody else", [], [
            ("Assets:Bank:Checking", Decimal("200.00"), None),
            ("Assets:Receivable:Acme", Decimal("-200.00"), "INV-2026-0002")]),
        ("2026-03-03", "Bank transfer", [], [
            ("Assets:Bank:Checking", Decimal("750.00"), None),
            ("Assets:Receivable:Initech", Decimal("-300.00"), "INV-2026-0005"),
            ("Assets:Receivable:Initech", Decimal("-450.00"), "INV-2026-0006")]),
        ("2026-03-05", "Stranger Ltd", [], [  # unknown payer: as the importer made it
            ("Assets:Bank:Checking", Decimal("1000.00"), None)]),
    ]
    discount = transactions[1]
    assert discount.links == {"INV-2026-0001"}


def test_without_a_ledger_nothing_is_matched_and_the_hook_says_so(tmp_path: Path) -> None:
    done = extract(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "no ledger given (-e LEDGER)" in done.stderr
    entries, _, _ = parser.parse_string(done.stdout)
    assert all(len(e.postings) == 1 for e in entries if isinstance(e, Transaction))
