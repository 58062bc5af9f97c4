"""Credit limits: no invoice takes a customer over its credit line (AR301).

    2026-01-01 custom "ar-customer" "acme"
      credit-limit: 20000.00 USD

The balance is the customer's open invoices less unapplied credit, in the
limit's currency, on the invoice's day; `credit_limit: 'off'` turns it off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount_ar.core.errors import ARError, ar_error

if TYPE_CHECKING:
    from collections.abc import Mapping

    from beancount.core.data import Transaction

    from beancount_ar.core.applications import ApplicationBook
    from beancount_ar.core.config import ARConfig
    from beancount_ar.core.model import Customer, IssuedInvoice


def credit_limit_error(
    config: ARConfig, entry: Transaction, invoice: IssuedInvoice, book: ApplicationBook,
    customers: Mapping[str, Customer],
) -> ARError | None:
    """AR301 when `invoice`, just issued in `book`, takes its customer over the limit."""
    if config.credit_limit == "off":
        return None
    limit = customers[invoice.customer].at(invoice.date).credit_limit
    if limit is None or limit.currency != invoice.currency:
        return None
    balance = book.balance[invoice.customer, invoice.currency]
    if balance <= limit.number:
        return None
    return ar_error(
        "AR301", entry.meta, f'invoice {invoice.number} takes customer '
        f'"{invoice.customer}" to {balance} {limit.currency}, over its credit limit '
        f"of {limit.number} {limit.currency}; collect first, raise the limit with a "
        "dated ar-customer, or set credit_limit: 'off'", entry)
