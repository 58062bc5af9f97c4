"""The hand-over file for a collection agency or lawyers: the escalation queue, in full.

    text = handover_csv(receivables, escalations(receivables, as_of), as_of)

One CSV row per invoice: the debtor (name, address, tax id, email), the
invoice's dates and amounts, the letters sent and the interest claimed. Every
cell goes through `mask_cards`: a card number written anywhere in the ledger
never leaves in this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount_ar.core.cards import mask_cards
from beancount_ar.reports.collections import letters_sent
from beancount_ar.reports.formatting import to_csv

if TYPE_CHECKING:
    import datetime
    from collections.abc import Sequence

    from beancount_ar.core.model import Receivables
    from beancount_ar.reports.dunning import EscalationRow

HANDOVER_FIELDS = (
    "customer", "name", "address", "tax_id", "email", "invoice", "currency", "date", "due",
    "days_overdue", "amount", "open", "letters", "last_letter", "interest", "compensation",
    "total",
)


def handover_records(receivables: Receivables, rows: Sequence[EscalationRow],
                     as_of: datetime.date) -> list[list[str]]:
    """The hand-over cells, card numbers masked; `letters` lists `level@day` per letter."""
    plain = receivables.precision.plain
    records = []
    for row in rows:
        invoice, currency = row.invoice, row.invoice.currency
        customer = receivables.customers.get(row.customer)
        version = customer.at(as_of) if customer else None
        details = version.details if version else {}
        letters = " ".join(f"{level}@{day}" for day, level in letters_sent(invoice, as_of))
        cells = [
            row.customer, version.name if version else row.customer, details.get("address", ""),
            details.get("tax-id", details.get("vat-id", "")), details.get("email", ""),
            invoice.number, currency, invoice.date.isoformat(), invoice.due.isoformat(),
            str(row.days_overdue), plain(invoice.amount, currency), plain(row.open, currency),
            letters, row.last_letter.isoformat(), plain(row.interest, currency),
            plain(row.compensation, currency), plain(row.total, currency),
        ]
        records.append([mask_cards(cell) for cell in cells])
    return records


def handover_csv(receivables: Receivables, rows: Sequence[EscalationRow],
                 as_of: datetime.date) -> str:
    """The hand-over file's text."""
    return to_csv(HANDOVER_FIELDS, handover_records(receivables, rows, as_of))
