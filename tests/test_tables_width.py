"""Terminal tables align by display width: CJK and emoji take two columns (issue 8, point 9).

A customer named "株式会社テスト" (7 characters, 14 columns) and one named with an
emoji: every column after the name starts at the same display column on every line.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pytest
import wcwidth
from ledgers import invoke, write_ledger

from beancount_ar.reports.formatting import display_width, pad

if TYPE_CHECKING:
    from pathlib import Path

HEADER = textwrap.dedent("""\
    option "operating_currency" "USD"
    plugin "beancount_ar"

    2026-01-01 open Assets:Receivable:Tokyo
    2026-01-01 open Assets:Receivable:Sushi
    2026-01-01 open Assets:Receivable:Acme
    2026-01-01 open Income:Consulting

    2026-01-01 custom "ar-customer" "tokyo"
      name: "株式会社テスト"
      account: Assets:Receivable:Tokyo

    2026-01-01 custom "ar-customer" "sushi"
      name: "🍣 Sushi Bar"
      account: Assets:Receivable:Sushi

    2026-01-01 custom "ar-customer" "acme"
      name: "Acme Corp"
      account: Assets:Receivable:Acme
""")

BODY = """
2026-05-01 * "株式会社テスト" "Consulting" ^T-1 #invoice
  Assets:Receivable:Tokyo      1500.00 USD
  Income:Consulting           -1500.00 USD

2026-05-02 * "Sushi Bar" "Consulting" ^S-1 #invoice
  Assets:Receivable:Sushi       250.00 USD
  Income:Consulting            -250.00 USD

2026-06-20 * "Acme Corp" "Consulting" ^A-1 #invoice
  Assets:Receivable:Acme         99.00 USD
  Income:Consulting             -99.00 USD
"""

AGING = """\
Receivables aging as of 2026-06-30 (days past due)

Customer  Name            Cur  Unapplied  current      1-30  31-60  61-90   90+     Total
--------  --------------  ---  ---------  -------  --------  -----  -----  ----  --------
acme      Acme Corp       USD       0.00    99.00      0.00   0.00   0.00  0.00     99.00
sushi     🍣 Sushi Bar    USD       0.00     0.00    250.00   0.00   0.00  0.00    250.00
tokyo     株式会社テスト  USD       0.00     0.00  1,500.00   0.00   0.00  0.00  1,500.00
--------  --------------  ---  ---------  -------  --------  -----  -----  ----  --------
TOTAL                     USD       0.00    99.00  1,750.00   0.00   0.00  0.00  1,849.00
"""


def _table(tmp_path: Path, command: str) -> list[str]:
    path = write_ledger(tmp_path, BODY, header=HEADER)
    result = invoke(command, path, "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[2:]  # below the title and its blank line


def _column_of(line: str, cell: str) -> int:
    """The display column where `cell` starts on `line`."""
    return int(wcwidth.wcswidth(line[:line.index(cell)]))


def test_aging_table_is_aligned_by_display_width(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, BODY, header=HEADER)
    result = invoke("aging", path, "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.output
    assert result.stdout == AGING


@pytest.mark.parametrize(("command", "cell"), [("aging", "USD"), ("overdue", "USD")])
def test_the_column_after_the_name_starts_at_one_display_column(
        tmp_path: Path, command: str, cell: str) -> None:
    lines = [line for line in _table(tmp_path, command) if not line.startswith("-")]
    header, *rows = lines
    assert any("株式会社テスト" in row for row in rows)
    assert any("🍣" in row for row in rows)
    column = _column_of(header, "Cur")
    assert {_column_of(row, cell) for row in rows} == {column}


@pytest.mark.parametrize("command", ["aging", "overdue"])
def test_every_customer_line_has_the_rules_display_width(tmp_path: Path, command: str) -> None:
    # Each row ends in a full-width cell (a right-aligned total, or the status "overdue").
    lines = _table(tmp_path, command)
    rule = next(line for line in lines if line.startswith("-"))
    rows = [line for line in lines if line.startswith(("tokyo", "sushi", "acme", "T-1", "S-1"))]
    assert len(rows) == (3 if command == "aging" else 2)
    assert {wcwidth.wcswidth(row) for row in rows} == {len(rule)}


@pytest.mark.parametrize(("text", "width"), [
    ("Acme", 4), ("株式会社テスト", 14), ("🍣 Sushi", 8), ("Zoe\u0308", 3), ("tab\there", 7),
])
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


def test_pad_fills_to_display_columns() -> None:
    assert pad("株式", 6) == "株式  "
    assert pad("7", 3, right=True) == "  7"
    assert pad("株式会社", 4) == "株式会社"
