"""Open disputes on a date: invoices with something owed and a dispute not resolved.

    rows = disputes(receivables, datetime.date(2026, 6, 30))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from beancount_ar.core.model import EventKind
from beancount_ar.reports.aging import visible_invoices

if TYPE_CHECKING:
    import datetime
    from decimal import Decimal

    from beancount_ar.core.model import Invoice, Receivables, StatusEvent


class DisputeRow(NamedTuple):
    """An invoice under an open dispute."""

    customer: str
    invoice: Invoice
    since: datetime.date  # the day of the dispute that is open
    days: int  # days since then
    open: Decimal
    reason: str


def open_dispute(invoice: Invoice, as_of: datetime.date) -> StatusEvent | None:
    """The `ar-dispute` that is open on `as_of`: the first one since the last `ar-resolve`."""
    opened = None
    for event in invoice.events:
        if event.date > as_of:
            break
        if event.kind is EventKind.DISPUTE and opened is None:
            opened = event
        elif event.kind is EventKind.RESOLVE:
            opened = None
    return opened


def disputes(receivables: Receivables, as_of: datetime.date) -> list[DisputeRow]:
    """Open disputes of invoices with an open amount (escalated or not), oldest first.

    Ties by invoice number. Every customer's, whatever its dunning policy.
    """
    rows = []
    for invoice in visible_invoices(receivables, as_of):
        dispute = open_dispute(invoice, as_of)
        if dispute is None:
            continue
        open_amount = invoice.open_amount(as_of)
        if open_amount > 0:
            rows.append(DisputeRow(invoice.customer, invoice, dispute.date,
                                   (as_of - dispute.date).days, open_amount, dispute.detail))
    rows.sort(key=lambda row: (row.since, row.invoice.number))
    return rows
