"""Promises to pay: an invoice under a promise is left alone until the promised day.

    2026-07-01 custom "ar-promise" "INV-2026-002" 2026-07-15   ; promised to pay by then

The latest promise made on or before a day governs it: it is in force from
the day it was made through the promised day. Once that day has passed with
anything still open the promise is broken, and the first letter after it is
due without waiting for the policy's interval (AR-SPEC section 11).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount_ar.core.model import EventKind

if TYPE_CHECKING:
    import datetime

    from beancount_ar.core.model import Invoice, StatusEvent


def latest_promise(invoice: Invoice, as_of: datetime.date) -> StatusEvent | None:
    """The last `ar-promise` made on or before `as_of` (the last in the ledger on a tie)."""
    found = None
    for event in invoice.events:
        if event.date > as_of:
            break
        if event.kind is EventKind.PROMISE and event.promised is not None:
            found = event
    return found


def is_promised(invoice: Invoice, as_of: datetime.date) -> bool:
    """Whether a promise is in force on `as_of`: made by then, promised day not yet past."""
    promise = latest_promise(invoice, as_of)
    return promise is not None and promise.promised is not None and as_of <= promise.promised


def broken_promise(invoice: Invoice, as_of: datetime.date) -> datetime.date | None:
    """The promised day of the latest promise, when it has passed by `as_of`; else None."""
    promise = latest_promise(invoice, as_of)
    if promise is None or promise.promised is None or as_of <= promise.promised:
        return None
    return promise.promised
