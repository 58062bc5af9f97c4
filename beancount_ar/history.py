"""Issued invoices stay issued: compare the ledger with itself at a git commit.

    bean-ar check ledger.beancount --against origin/main

The ledger as it stood at the commit (its top file and every file it includes)
is read from git, not from the working tree, and its invoices are compared one
by one with today's: AR601 when an issued invoice's date, customer, currency,
amount or lines changed, AR602 when it is gone. A mistake on an issued invoice
is corrected with a credit note, never by editing the invoice.
`invoice_changes` is that rule, and `bean-ar diff` uses it too.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from beancount_ar.errors import ARError, ar_error

if TYPE_CHECKING:
    from beancount_ar.model import Invoice, Receivables

GIT_TIMEOUT = 120


class HistoryError(Exception):
    """The comparison cannot be made (not a repository, unknown ref, file missing there)."""


def _git(repo: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from the user's own repo
            ["git", "-C", str(repo), *args], capture_output=True, check=False,  # noqa: S607
            timeout=GIT_TIMEOUT,
        )
    except FileNotFoundError as error:
        raise HistoryError("git is not installed") from error
    except subprocess.TimeoutExpired as error:
        raise HistoryError(f"git {' '.join(args)} took over {GIT_TIMEOUT} s") from error
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(message[-1] if message else f"git {' '.join(args)} failed")
    return result.stdout


def repository_of(ledger: Path) -> tuple[Path, Path]:
    """The work tree holding `ledger`, and the ledger's path inside it."""
    folder = ledger.resolve().parent
    try:
        top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    except HistoryError as error:
        raise HistoryError(f"{ledger} is not in a git repository ({error})") from error
    return top, ledger.resolve().relative_to(top.resolve())


def checkout_at(ledger: Path, ref: str, into: Path) -> Path:
    """Write the repository's files as of `ref` into `into`; the ledger's path there."""
    top, relative = repository_of(ledger)
    try:
        commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except HistoryError as error:
        raise HistoryError(f"unknown git ref {ref!r}") from error
    archive = _git(top, "archive", "--format=tar", commit)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    old = into / relative
    if not old.is_file():
        raise HistoryError(f"{relative} does not exist at {ref} (renamed or added since?); "
                           "compare against a ref where it exists")
    return old


def compare_invoices(
    then: Receivables, now: Receivables, ref: str, *, new_top: Path, old_root: Path,
) -> list[ARError]:
    """AR601 for each issued invoice changed since `ref`, AR602 for each one gone."""
    errors = []
    for number, before in then.invoices.items():
        after = now.invoices.get(number)
        where_then = f"{Path(before.source.filename).relative_to(old_root)}:{before.source.lineno}"
        if after is None:
            errors.append(ar_error(
                # Reported at the top file, whose first line stands for the whole of it.
                "AR602", {"filename": str(new_top), "lineno": 1},
                f"invoice {number} issued at {ref} ({where_then}) is gone; restore it and "
                "cancel it with a credit note instead"))
            continue
        changed = invoice_changes(before, after)
        if changed:
            meta = {"filename": after.source.filename, "lineno": after.source.lineno}
            errors.append(ar_error(
                "AR601", meta, f"invoice {number} was issued at {ref} ({where_then}) and has "
                f"changed since: {', '.join(changed)}; restore it and correct it with a "
                "credit note"))
    return errors


def invoice_changes(before: Invoice, after: Invoice) -> list[str]:
    """What differs between two versions of an issued invoice; empty when it is unchanged.

    The one rule both `bean-ar check --against` (AR601) and `bean-ar diff` use:
    its date, customer, currency, amount, or any of its lines (account,
    description, quantity, rate, amount, currency), in any order.

        invoice_changes(then, now)  # ["amount 1800.00 -> 900.00", "lines"]
    """
    changes = []
    for label, old, new in (
        ("date", before.date, after.date),
        ("customer", before.customer, after.customer),
        ("currency", before.currency, after.currency),
        ("amount", before.amount, after.amount),
    ):
        if old != new:
            changes.append(f"{label} {old} -> {new}")
    if _lines(before) != _lines(after):
        changes.append("lines")
    return changes


def _lines(invoice: Invoice) -> list[tuple[object, ...]]:
    return sorted(
        (line.account, line.description, line.quantity, line.rate, line.amount, line.currency)
        for line in invoice.lines
    )


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """Where the ledger at the ref is written, removed afterwards."""
    return tempfile.TemporaryDirectory(prefix="bean-ar-check-")
