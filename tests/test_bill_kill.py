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

import random
import signal
import subprocess
import time
from typing import TYPE_CHECKING

from ledgers import BEAN_AR, write_ledger

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


def run(path: Path) -> float:
    """A whole run to its end; how long it took."""
    started = time.monotonic()
    subprocess.run([str(BEAN_AR), "bill", str(path), *OPTIONS], check=True,
                   capture_output=True, timeout=60)
    return time.monotonic() - started


def test_a_bill_killed_at_any_moment_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, CONTRACT)
    old = path.read_bytes()
    duration = run(path)
    new = path.read_bytes()
    assert new.startswith(old)
    assert new.count(b'contract: "acme-daily"') == 181
    chance = random.Random(20260630)  # noqa: S311 - moments to kill at, not secrets
    for _ in range(TRIALS):
        path.write_bytes(old)
        process = subprocess.Popen([str(BEAN_AR), "bill", str(path), *OPTIONS],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert path.read_bytes() in (old, new)
        for partial in tmp_path.glob("*.partial"):  # what a killed write leaves: never the file
            partial.unlink()
