"""Kill a writing `bean-ar` command at random moments: the file is the old one or the new one.

    old, new = kill_trials(path, ["dunning", "--record"], trials=32, seed=20260630)

Runs the command once to its end (the new bytes, and how long a run takes),
then `trials` times from the old bytes, each sent SIGKILL after a random delay
within that time (while the ledger loads, while the file is written, after;
every other one in the run's last third):
each time the file must be byte for byte the old or the new (AR-SPEC section 14).
What a killed write leaves beside it (`*.partial`) is removed between trials.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from typing import TYPE_CHECKING

from ledgers import BEAN_AR

if TYPE_CHECKING:
    from pathlib import Path


def kill_trials(path: Path, command: list[str], *, trials: int, seed: int,
                written: Path | None = None) -> tuple[bytes, bytes]:
    """`bean-ar COMMAND[0] PATH COMMAND[1:]` killed `trials` times; (old bytes, new bytes).

    The bytes watched are those of `written` (default: PATH, the ledger).
    """
    argv = [str(BEAN_AR), command[0], str(path), *command[1:]]
    watched = written or path
    old = watched.read_bytes()
    started = time.monotonic()
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    duration = time.monotonic() - started
    new = watched.read_bytes()
    chance = random.Random(seed)  # noqa: S311 - moments to kill at, not secrets
    for trial in range(trials):
        watched.write_bytes(old)
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Every other trial kills in the run's last third, where the write happens
        # (the rest of a run is Python starting and the ledger loading).
        start = duration * 0.67 if trial % 2 else 0.0
        time.sleep(chance.uniform(start, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert watched.read_bytes() in (old, new)
        for partial in watched.parent.glob("*.partial"):  # never the file itself
            partial.unlink()
    return old, new
