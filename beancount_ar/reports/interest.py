"""Interest and compensation per late invoice, the basis for an interest invoice.

    rows = interest(receivables, datetime.date(2026, 6, 30), since=datetime.date(2026, 1, 1))

One row per invoice overdue on the as-of date or paid after its due date,
open or settled, under its customer's policy in force on the as-of date
(customers with `dunning: "none"` have none). `since` keeps, of the settled
ones, those settled on or after it; open ones always appear.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from beancount_ar.reports.aging import visible_invoices
from beancount_ar.reports.collections import collection_case

if TYPE_CHECKING:
    import datetime
    from decimal import Decimal

    from beancount_ar.core.interest import Claim
    from beancount_ar.core.model import Invoice, Receivables


class InterestRow(NamedTuple):
    """What a late invoice owes beyond its amount."""

    customer: str
    invoice: Invoice
    settled: datetime.date | None  # the day its open amount reached zero; None while open
    days_late: int  # from the due date to `settled` or the as-of date
    interest: Decimal
    compensation: Decimal
    claim: Claim


def interest(receivables: Receivables, as_of: datetime.date,
             since: datetime.date | None = None) -> list[InterestRow]:
    """Late invoices with their interest and compensation, by customer id, then number."""
    rows = []
    for invoice in visible_invoices(receivables, as_of):
        case = collection_case(receivables, invoice, as_of)
        if case is None:
            continue
        claim = case.claim
        if claim.days_late <= 0:
            continue
        if since is not None and claim.settled is not None and claim.settled < since:
            continue
        rows.append(InterestRow(invoice.customer, invoice, claim.settled, claim.days_late,
                                claim.interest, claim.compensation, claim))
    rows.sort(key=lambda row: (row.customer, row.invoice.number))
    return rows
