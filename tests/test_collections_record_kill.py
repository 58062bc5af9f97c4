"""`bean-ar dunning --record` killed at random moments leaves the old file or the new one.

Each trial runs the real command in a subprocess and sends SIGKILL after a
random delay within the time a whole run takes (so some kills land while the
ledger loads, some while the entries are written, some after): the ledger file
is then byte for byte what it was, or what it is after a complete run, never a
mix (AR-SPEC section 14). At least 30 trials; a few seconds in all.
"""

from __future__ import annotations

from textwrap import dedent
from typing import TYPE_CHECKING

from kill_trials import kill_trials
from ledgers import write_ledger

if TYPE_CHECKING:
    from pathlib import Path

TRIALS = 32
INVOICES = "".join(dedent(f"""
    2026-05-01 * "Acme Corp" "Consulting" ^INV-{n:03d} #invoice
      Assets:Receivable:Acme         {100 + n}.00 USD
      Income:Consulting             -{100 + n}.00 USD
""") for n in range(200))
OPTIONS = ["--as-of", "2026-06-30", "--format", "csv", "--record", "--no-cache"]


def test_a_record_killed_at_any_moment_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, INVOICES)
    old, new = kill_trials(path, ["dunning", *OPTIONS], trials=TRIALS, seed=20260630)
    assert new != old
    assert new.startswith(old)
    assert new.count(b'custom "ar-dunning"') == 200
