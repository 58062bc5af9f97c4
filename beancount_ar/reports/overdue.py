"""The overdue report on a date: invoices past due with something still owed.

    late = overdue(receivables, datetime.date(2026, 6, 30))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from beancount_ar.core.model import Status
from beancount_ar.core.promises import is_promised
from beancount_ar.reports.aging import customer_name, visible_invoices

if TYPE_CHECKING:
    import datetime
    from decimal import Decimal

    from beancount_ar.core.model import Invoice, Receivables


@dataclass(frozen=True)
class OverdueRow:
    """An invoice past due with something still owed."""

    invoice: Invoice
    customer_name: str
    days_overdue: int
    open: Decimal
    status: Status
    promised: bool = False  # under a promise to pay on the as-of date

    @property
    def label(self) -> str:
        """The status as printed: `promised` only beats `overdue` (AR-SPEC section 11)."""
        return "promised" if self.promised and self.status is Status.OVERDUE \
            else self.status.value


def overdue(receivables: Receivables, as_of: datetime.date) -> list[OverdueRow]:
    """Invoices past due with an open amount: most days overdue first, then by number."""
    rows = []
    for invoice in visible_invoices(receivables, as_of):
        days = invoice.days_overdue(as_of)
        if days > 0:
            open_amount = invoice.open_amount(as_of)
            if open_amount > 0:
                rows.append(OverdueRow(invoice, customer_name(receivables, invoice.customer), days,
                                       open_amount, invoice.status(as_of),
                                       is_promised(invoice, as_of)))
    rows.sort(key=lambda row: (-row.days_overdue, row.invoice.number))
    return rows
