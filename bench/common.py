"""What the benchmark scripts share: failed commands and child CPU time."""

from __future__ import annotations

import resource
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess


class CommandError(Exception):
    """A benchmarked command exited non-zero or printed something unexpected."""

    def __init__(self, cmd: list[str], proc: subprocess.CompletedProcess[str], why: str) -> None:
        """Keep the command and its result for the report."""
        super().__init__(why)
        self.cmd = cmd
        self.proc = proc
        self.why = why


def children_cpu() -> float:
    """CPU time (user + system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def report_failure(err: CommandError) -> int:
    """Print a failed command with its output; return the exit status."""
    print(f"command failed ({err.why}): {' '.join(err.cmd)}", file=sys.stderr)
    for name, text in (("stdout", err.proc.stdout), ("stderr", err.proc.stderr)):
        if text and text.strip():
            print(f"--- {name} ---\n{text.rstrip()[-8000:]}", file=sys.stderr)
    return 2
