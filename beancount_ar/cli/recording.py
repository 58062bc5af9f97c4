"""`--record`: appending status events to a file of the ledger (AR-SPEC section 14).

    target = record_target(Path("ledger.beancount"), None)   # read before the ledger loads
    record_events(target, ledger, entries_text, known_invoices)

The file is read (`writer.read_snapshot`) before the ledger is loaded, so the
write is refused if it changed at any moment after: while the ledger loaded,
while letters were written, or just before the write. Only whole entries are
appended, through `writer.append_to_ledger_file` (temporary file, fsync,
rename): an interrupted run leaves the old file or the new one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from beancount_ar.cli.console import EXIT_USAGE, fail

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from beancount_ar.cli.loading import Ledger
    from beancount_ar.writer import Snapshot


@dataclass(frozen=True)
class Target:
    """The file `--record` appends to, as read before the ledger was loaded."""

    path: Path
    snapshot: Snapshot | None  # None: it could not be read (then it is refused)
    problem: str | None = None


def record_target(ledger: Path, named: str | None) -> Target:
    """Read the file to record into: `named`, or the top ledger file when `named` is empty."""
    from beancount_ar.writer import WriteError, read_snapshot  # noqa: PLC0415

    path = Path(named) if named else ledger
    try:
        return Target(path, read_snapshot(path))
    except WriteError as error:
        return Target(path, None, str(error))


def record_events(target: Target, ledger: Ledger, text: str,
                  invoices: Collection[str], what: str) -> None:
    """Append `text` (whole `custom` entries) to `target`; refuse with nothing written.

    Refused (exit 2) when the file is no file of the ledger or could not be
    read, or when the text does not parse as Beancount entries each naming a
    known invoice; a file changed since it was read is refused too (exit 2).
    """
    # Each event must name an invoice the ledger has (AR501 otherwise).
    append_entries(target, ledger, text, what, lambda entries: _unknown_invoice(entries, invoices))


def append_entries(target: Target, ledger: Ledger, text: str, what: str,
                   check: Callable[[list[Any]], str | None] | None = None) -> None:
    """Append `text` (whole entries) to `target`; refuse with nothing written.

    Refused (exit 2) when the file is no file of the ledger or could not be
    read, when the text does not parse cleanly as Beancount entries or `check`
    finds a problem in them, or when the file changed since it was read.
    """
    from beancount.parser import parser  # noqa: PLC0415

    from beancount_ar.reports.appending import appending_problems  # noqa: PLC0415
    from beancount_ar.writer import (  # noqa: PLC0415
        WriteError,
        WriteRefusedError,
        append_to_ledger_file,
        ledger_files,
    )

    files = ledger_files(ledger.options, ledger.entries)
    if target.snapshot is None:
        fail(f"--record {target.path}: {target.problem}; nothing written", status=EXIT_USAGE)
    if not _is_one_of(target.path, files):
        fail(f"--record {target.path} is not a file of the ledger {ledger.path} (the top file "
             "or one it includes); nothing written", status=EXIT_USAGE)
    # bean-check must pass afterwards as it did before: what is appended must parse
    # cleanly with Beancount's own parser. Checked here, before anything is written.
    entries, errors, _ = parser.parse_string(text)
    problem = (f"the entries to append do not parse ({errors[0].message})" if errors
               else check(entries) if check is not None else None)
    if problem is None:  # what bean-check would reject: accounts not open, assertions broken
        problem = next(iter(appending_problems(ledger.entries, entries)), None)
    if problem is not None:
        fail(f"--record: {problem}; nothing written", status=EXIT_USAGE)
    try:
        append_to_ledger_file(target.snapshot, text)
    except WriteRefusedError as error:
        fail(f"--record: {error}", status=EXIT_USAGE)
    except WriteError as error:
        fail(f"--record: {error}")
    click.echo(f"bean-ar: recorded {what} in {target.path}", err=True)


def _is_one_of(path: Path, files: Collection[Path]) -> bool:
    """Whether `path` is one of the ledger's files, by real path or (hard links) by inode."""
    real = os.path.realpath(path)
    for file in files:
        if os.path.realpath(file) == real:
            return True
        try:
            if path.samefile(file):
                return True
        except OSError:
            continue
    return False


def _unknown_invoice(entries: list[Any], invoices: Collection[str]) -> str | None:
    """The problem with parsed `custom` entries that name no known invoice; None if none does."""
    from beancount.core.data import Custom  # noqa: PLC0415

    for entry in entries:
        number = entry.values[0].value if isinstance(entry, Custom) and entry.values else None
        if number not in invoices:
            return f"an entry to append names no known invoice ({number})"
    return None
