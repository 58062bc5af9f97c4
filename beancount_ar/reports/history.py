"""Issued invoices stay issued: compare the ledger with itself at a git commit.

    bean-ar check ledger.beancount --against origin/main

The ledger as it stood at the commit (its top file and every file it includes)
is read from git by the CLI (`cli/git.py`), and its invoices are compared one
by one with today's here: AR601 when an issued invoice's date, customer, currency,
amount or lines changed, AR602 when it is gone. A mistake on an issued invoice
is corrected with a credit note, never by editing the invoice.

What is compared of each invoice is its `Fingerprint`, small enough for the CLI
to keep (and cache) without either side's entries: `invoice_changes` is the
rule, and `bean-ar diff` uses it too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from beancount_ar.core.errors import ARError, ar_error

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping
    from decimal import Decimal

    from beancount_ar.core.model import Invoice, Receivables

# A line as compared: account, description, quantity, rate, amount, currency.
LineKey = tuple[str, str, "Decimal | None", "Decimal | None", "Decimal", str]


class Fingerprint(NamedTuple):
    """What AR601/AR602 compare of an issued invoice, and where it stands."""

    number: str
    date: datetime.date
    customer: str
    currency: str
    amount: Decimal
    lines: tuple[LineKey, ...]  # sorted: their order does not count
    filename: str  # relative to the checkout's root for the ledger at a ref
    lineno: int


def fingerprint(invoice: Invoice, root: Path | None = None) -> Fingerprint:
    """The invoice's fingerprint; its file relative to `root` when given."""
    filename = invoice.source.filename
    if root is not None:
        filename = str(Path(filename).relative_to(root))
    lines = sorted(
        (line.account, line.description, line.quantity, line.rate, line.amount, line.currency)
        for line in invoice.lines
    )
    return Fingerprint(invoice.number, invoice.date, invoice.customer, invoice.currency,
                       invoice.amount, tuple(lines), filename, invoice.source.lineno)


def fingerprints(receivables: Receivables, root: Path | None = None) -> dict[str, Fingerprint]:
    """Every invoice's fingerprint by number (see `fingerprint`)."""
    return {number: fingerprint(invoice, root)
            for number, invoice in receivables.invoices.items()}


def compare_invoices(
    then: Mapping[str, Fingerprint], now: Mapping[str, Fingerprint], ref: str, *,
    new_top: Path,
) -> list[ARError]:
    """AR601 for each issued invoice changed since `ref`, AR602 for each one gone.

    `then` holds files relative to the checkout's root, `now` today's paths.
    """
    errors = []
    for number, before in then.items():
        after = now.get(number)
        where_then = f"{before.filename}:{before.lineno}"
        if after is None:
            errors.append(ar_error(
                # Reported at the top file, whose first line stands for the whole of it.
                "AR602", {"filename": str(new_top), "lineno": 1},
                f"invoice {number} issued at {ref} ({where_then}) is gone; restore it and "
                "cancel it with a credit note instead"))
            continue
        changed = fingerprint_changes(before, after)
        if changed:
            meta = {"filename": after.filename, "lineno": after.lineno}
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
    return fingerprint_changes(fingerprint(before), fingerprint(after))


def fingerprint_changes(before: Fingerprint, after: Fingerprint) -> list[str]:
    """`invoice_changes` on two fingerprints (where they stand does not count)."""
    changes = [
        f"{label} {old} -> {new}"
        for label, old, new in (
            ("date", before.date, after.date),
            ("customer", before.customer, after.customer),
            ("currency", before.currency, after.currency),
            ("amount", before.amount, after.amount),
        )
        if old != new
    ]
    if before.lines != after.lines:
        changes.append("lines")
    return changes
