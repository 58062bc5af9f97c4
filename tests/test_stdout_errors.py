"""A report that cannot be written (a full disk, a closed pipe) is a message, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ledgers import BEAN_AR

EXAMPLE = Path(__file__).resolve().parent.parent / "ledger" / "example.beancount"


def test_a_report_to_a_full_disk_is_a_message_and_exit_1() -> None:
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run([str(BEAN_AR), "aging", str(EXAMPLE), "--as-of", "2026-11-30"],
                              stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr == "bean-ar: cannot write the output: No space left on device\n"


def test_a_report_into_a_closed_pipe_is_no_traceback() -> None:
    # The reading end is closed before the report is written: the write meets EPIPE.
    with subprocess.Popen([str(BEAN_AR), "overdue", str(EXAMPLE), "--as-of", "2026-11-30"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        proc.stdout.close()
        _, stderr = proc.communicate()
    assert proc.returncode == 1
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
