"""Status events: disputes, resolutions, dunning letters, escalations.

    2026-02-12 custom "ar-dispute"  "INV-2026-001" "Hours disputed"
    2026-02-20 custom "ar-resolve"  "INV-2026-001"
    2026-03-15 custom "ar-dunning"  "INV-2026-002" 1
    2026-06-01 custom "ar-escalate" "INV-2026-004" "agency"
    2026-07-01 custom "ar-promise"  "INV-2026-002" 2026-07-15   ; promised to pay by then
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_ar.core.customers import source
from beancount_ar.core.directives import as_written
from beancount_ar.core.errors import ARError, ar_error
from beancount_ar.core.model import EventKind, StatusEvent

if TYPE_CHECKING:
    from collections.abc import Callable, Container

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
    argument = values[1] if len(values) > 1 else None
    read = _argument(entry, kind, number, argument)
    if isinstance(read, ARError):
        return read
    detail, level, promised = read
    return StatusEvent(entry.date, number, kind, detail, level, source(entry.meta), promised)


Argument = tuple[str, int | None, datetime.date | None]  # (detail, level, promised day)


def _argument(entry: Custom, kind: EventKind, number: str, argument: object) -> Argument | ARError:
    """An event's second value, read by its kind."""
    reader = _READERS.get(kind)
    if reader is None:  # a dispute's reason, if any
        return (argument if isinstance(argument, str) else ""), None, None
    return reader(entry, number, argument)


def _level(entry: Custom, number: str, argument: object) -> Argument | ARError:
    if not isinstance(argument, Decimal) or argument != argument.to_integral_value() \
            or argument < 1:
        return _error(entry, f"ar-dunning for {number} has {_given('level', argument)}; "
                      "the level is a positive whole number (1, 2, 3)")
    return "", int(argument), None


def _escalation(entry: Custom, number: str, argument: object) -> Argument | ARError:
    if argument not in ESCALATIONS:
        return _error(entry, f"ar-escalate for {number} has {_given('kind', argument)}; "
                      'use "agency" or "legal"')
    return str(argument), None, None


def _promise(entry: Custom, number: str, argument: object) -> Argument | ARError:
    if not isinstance(argument, datetime.date) or argument < entry.date:
        return _error(entry, f"ar-promise for {number} has {_given('date', argument)}; "
                      "write the day the customer promised to pay by, on or after the "
                      f'promise, e.g. custom "ar-promise" "{number}" '
                      f"{entry.date + datetime.timedelta(days=14)}")
    return argument.isoformat(), None, argument


_READERS: dict[EventKind, Callable[[Custom, str, object], Argument | ARError]] = {
    EventKind.DUNNING: _level, EventKind.ESCALATE: _escalation, EventKind.PROMISE: _promise}


def _given(name: str, value: object) -> str:
    """What an event gave for `name`, for its message: `level 0`, `no kind`."""
    return f"no {name}" if value is None else f"{name} {as_written(value)}"


def _error(entry: Custom, message: str) -> ARError:
    return ar_error("AR501", entry.meta, message, entry)
