"""`bean-ar deposit --record` killed at random moments leaves the old file or the new one.

    bean-ar deposit ledger.beancount --from Assets:Undeposited --to Assets:Bank:Checking \\
        --date 2026-06-30 --record --no-cache     # SIGKILL after a random delay

Each trial runs the real command in a subprocess and kills it within the time
a whole run takes (while the ledger loads, while the transfer is written, or
after): the ledger is then byte for byte what it was, or what it is after a
complete run, never a mix (AR-SPEC section 14). A contract test: about two
seconds, mostly Python starting up.
"""

from __future__ import annotations

from textwrap import dedent
from typing import TYPE_CHECKING

from kill_trials import kill_trials
from ledgers import write_ledger

if TYPE_CHECKING:
    from pathlib import Path

TRIALS = 12
RECEIPTS = "2026-01-01 open Assets:Undeposited\n" + "".join(dedent(f"""
    2026-05-01 * "Acme Corp" "Consulting" ^INV-{n:03d} #invoice
      Assets:Receivable:Acme         {100 + n}.00 USD
      Income:Consulting             -{100 + n}.00 USD

    2026-06-{1 + n % 28:02d} * "Acme Corp" "Payment" ^INV-{n:03d}
      Assets:Undeposited             {100 + n}.00 USD
      Assets:Receivable:Acme        -{100 + n}.00 USD
""") for n in range(60))
COMMAND = ["deposit", "--from", "Assets:Undeposited", "--to", "Assets:Bank:Checking",
           "--date", "2026-06-30", "--format", "csv", "--record", "--no-cache"]


def test_a_deposit_record_killed_at_any_moment_leaves_the_old_or_the_new_file(
        tmp_path: Path) -> None:
    path = write_ledger(tmp_path, RECEIPTS)
    old, new = kill_trials(path, COMMAND, trials=TRIALS, seed=20261201)
    assert new.startswith(old)
    assert new[len(old):].count(b"Deposit of 60 receipts") == 1
