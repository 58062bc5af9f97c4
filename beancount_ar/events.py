"""Status events: disputes, resolutions, dunning letters, escalations.

    2026-02-12 custom "ar-dispute"  "INV-2026-001" "Hours disputed"
    2026-02-20 custom "ar-resolve"  "INV-2026-001"
    2026-03-15 custom "ar-dunning"  "INV-2026-002" 1
    2026-06-01 custom "ar-escalate" "INV-2026-004" "agency"
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_ar.customers import source
from beancount_ar.directives import as_written
from beancount_ar.errors import ARError, ar_error
from beancount_ar.model import EventKind, StatusEvent

if TYPE_CHECKING:
    from collections.abc import Container

    from beancount.core.data import Custom

EVENT_KINDS = {kind.value: kind for kind in EventKind}
ESCALATIONS = ("agency", "legal")


def read_event(entry: Custom, invoices: Container[str]) -> StatusEvent | ARError:
    """The status event a directive records, or the AR501 error that explains why not."""
    kind = EVENT_KINDS[entry.type]
    values = [v.value for v in entry.values or ()]
    number = values[0] if values and isinstance(values[0], str) else None
    if number is None:
        return _error(entry, f"{entry.type} needs the invoice number as its first value, "
                      f'e.g. custom "{entry.type}" "INV-2026-001"')
    if number not in invoices:
        return _error(entry, f"{entry.type} names unknown invoice {number}; "
                      "correct the invoice number")
    detail, level = "", None
    argument = values[1] if len(values) > 1 else None
    if kind is EventKind.DUNNING:
        if not isinstance(argument, Decimal) or argument != argument.to_integral_value() \
                or argument < 1:
            return _error(entry, f"ar-dunning for {number} has {_given('level', argument)}; "
                          "the level is a positive whole number (1, 2, 3)")
        level = int(argument)
    elif kind is EventKind.ESCALATE:
        if argument not in ESCALATIONS:
            return _error(entry, f"ar-escalate for {number} has {_given('kind', argument)}; "
                          'use "agency" or "legal"')
        detail = str(argument)
    elif isinstance(argument, str):
        detail = argument
    return StatusEvent(entry.date, number, kind, detail, level, source(entry.meta))


def _given(name: str, value: object) -> str:
    """What an event gave for `name`, for its message: `level 0`, `no kind`."""
    return f"no {name}" if value is None else f"{name} {as_written(value)}"


def _error(entry: Custom, message: str) -> ARError:
    return ar_error("AR501", entry.meta, message, entry)
