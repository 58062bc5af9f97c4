"""What bean-ar prints besides reports, and how it exits: errors, messages, exit statuses.

    fail("cannot write out.pdf: disk full")  # "bean-ar: ..." on stderr, exit 1

Exit status: 0 success; 1 the ledger has errors or a write failed; 2 bad usage.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, NoReturn

import click

EXIT_LEDGER_ERRORS = 1


EXIT_USAGE = 2


MAX_ERRORS_SHOWN = 50



def fail(message: str, *, status: int = EXIT_LEDGER_ERRORS) -> NoReturn:
    """`bean-ar: message` on stderr, and exit with `status` (1 by default)."""
    click.echo(f"bean-ar: {message}", err=True)
    sys.exit(status)


def print_errors(errors: list[Any]) -> None:
    """Each error as `file:line: message` on stderr, the first 50 of them."""
    for error in errors[:MAX_ERRORS_SHOWN]:
        source = error.source or {}
        click.echo(f"{source.get('filename', '<unknown>')}:{source.get('lineno', 0)}: "
                   f"{first_line(error.message)}", err=True)
    if len(errors) > MAX_ERRORS_SHOWN:
        click.echo(f"... and {len(errors) - MAX_ERRORS_SHOWN} more", err=True)


TRACEBACK_HEADER = ": Traceback (most recent call last):"


def first_line(message: str | None) -> str:
    """An error's first line; Beancount ends a failed plugin import's with a traceback header."""
    first = message.splitlines()[0] if message else ""
    return first.removesuffix(TRACEBACK_HEADER)


def silence_stdout() -> None:
    """Point standard output at the null device.

    What could not be written stays buffered, and Python would try again at exit,
    print "Exception ignored ..." and exit 120.
    """
    with contextlib.suppress(OSError, ValueError):  # no real file (tests): nothing is retried
        descriptor = sys.stdout.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, descriptor)
        os.close(null)

