"""`bean-ar match --apply` killed at random moments leaves the old import file or the new one.

    bean-ar match ledger.beancount receipts.beancount --apply --no-cache   # SIGKILL

Each trial runs the real command in a subprocess and kills it within the time
a whole run takes: the import file is then byte for byte what it was, or what
it is after a complete run, never a mix, and the ledger is never touched
(AR-SPEC sections 13 and 14). With bill's and deposit --record's trials, more
than fifty kills across the three writers.
"""

from __future__ import annotations

from textwrap import dedent
from typing import TYPE_CHECKING

from kill_trials import kill_trials
from ledgers import write_ledger

if TYPE_CHECKING:
    from pathlib import Path

TRIALS = 24
INVOICES = "".join(dedent(f"""
    2026-05-01 * "Acme Corp" "Consulting" ^INV-2026-{n:04d} #invoice
      Assets:Receivable:Acme         {100 + n}.00 USD
      Income:Consulting             -{100 + n}.00 USD
""") for n in range(1, 81))
RECEIPTS = "; imported from the bank\n" + "".join(dedent(f"""
    2026-06-{1 + n % 28:02d} * "Payer {n}" "Payment INV-2026-{n:04d}"
      Assets:Bank:Checking           {100 + n}.00 USD
      Income:Uncategorized
""") for n in range(1, 81))


def test_a_match_apply_killed_at_any_moment_leaves_the_old_or_the_new_file(
        tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, INVOICES)
    ledger_bytes = ledger.read_bytes()
    receipts = tmp_path / "receipts.beancount"
    receipts.write_text(RECEIPTS, encoding="utf-8")
    old, new = kill_trials(ledger, ["match", str(receipts), "--apply", "--format", "csv",
                                    "--no-cache"], trials=TRIALS, seed=20261202,
                           written=receipts)
    assert new != old
    assert new.count(b'invoice: "INV-2026-') == 80
    assert ledger.read_bytes() == ledger_bytes
