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

import random
import signal
import subprocess
import time
from textwrap import dedent
from typing import TYPE_CHECKING

from ledgers import BEAN_AR, write_ledger

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


def run(path: Path) -> float:
    """A whole run to its end; how long it took."""
    started = time.monotonic()
    subprocess.run([str(BEAN_AR), COMMAND[0], str(path), *COMMAND[1:]], check=True,
                   capture_output=True, timeout=60)
    return time.monotonic() - started


def test_a_deposit_record_killed_at_any_moment_leaves_the_old_or_the_new_file(
        tmp_path: Path) -> None:
    path = write_ledger(tmp_path, RECEIPTS)
    old = path.read_bytes()
    duration = run(path)
    new = path.read_bytes()
    assert new.startswith(old)
    assert new[len(old):].count(b"Deposit of 60 receipts") == 1
    chance = random.Random(20261201)  # noqa: S311 - moments to kill at, not secrets
    for _ in range(TRIALS):
        path.write_bytes(old)
        process = subprocess.Popen([str(BEAN_AR), COMMAND[0], str(path), *COMMAND[1:]],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        now = path.read_bytes()
        assert now in (old, new)
        for partial in tmp_path.glob("*.partial"):  # what a killed write leaves: never the file
            partial.unlink()
