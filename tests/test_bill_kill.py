"""`bean-ar bill` killed at random moments leaves the old file or the new one (AR-SPEC 14).

    2026-01-01 custom "ar-contract" "acme-daily"
      customer: "acme"
      every: "day"

Each trial runs the real command in a subprocess and sends SIGKILL after a
random delay within the time a whole run takes (some kills land while the
ledger loads, some while the invoices are written, some after): the ledger
file is then byte for byte what it was, or what it is after a complete run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kill_trials import kill_trials
from ledgers import write_ledger

if TYPE_CHECKING:
    from pathlib import Path

TRIALS = 32
CONTRACT = """
2026-01-01 open Income:Support

2026-01-01 custom "ar-contract" "acme-daily"
  customer: "acme"
  every: "day"
  amount: 100.00 USD
  account: Income:Support
"""
OPTIONS = ["--through", "2026-06-30", "--no-cache"]


def test_a_bill_killed_at_any_moment_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, CONTRACT)
    old, new = kill_trials(path, ["bill", *OPTIONS], trials=TRIALS, seed=20260630)
    assert new.startswith(old)
    assert new.count(b'contract: "acme-daily"') == 181
