"""Issued invoices stay issued: compare the ledger with itself at a git commit.

    bean-ar check ledger.beancount --against origin/main

The ledger as it stood at the commit (its top file and every file it includes)
is read from git by the CLI (`cli/git.py`), and its invoices are compared one
by one with today's here: AR601 when an issued invoice's date, customer, currency,
amount or lines changed, AR602 when it is gone. A mistake on an issued invoice
is corrected with a credit note, never by editing the invoice.
`invoice_changes` is that rule, and `bean-ar diff` uses it too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from beancount_ar.core.errors import ARError, ar_error

if TYPE_CHECKING:
    from beancount_ar.core.model import Invoice, Receivables

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
