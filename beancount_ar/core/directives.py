"""The contract's `custom "ar-..."` directives, and how their values read in messages.

    2026-02-12 custom "ar-dispute" "INV-2026-001" "Hours disputed"   ; known
    2026-02-12 custom "ar-dipsute" "INV-2026-001"                    ; AR502

A custom directive whose type starts with `ar-` but is none of the contract's
is a typo that would otherwise be ignored: AR502 names the closest known one.
"""

from __future__ import annotations

import datetime
import difflib
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_ar.core.errors import ARError, ar_error

if TYPE_CHECKING:
    from beancount.core.data import Custom

PREFIX = "ar-"
DIRECTIVES = (
    "ar-customer", "ar-company", "ar-dispute", "ar-resolve", "ar-dunning", "ar-escalate",
    "ar-promise", "ar-dunning-policy", "ar-rate", "ar-contract",
)
_KNOWN = frozenset(DIRECTIVES)


def is_unknown(kind: str) -> bool:
    """Whether a custom directive's type looks like the suite's but is none of its directives."""
    return kind not in _KNOWN and kind[:3].lower() == PREFIX


def unknown_directive(entry: Custom) -> ARError:
    """AR502 for a directive `is_unknown` found, naming the closest known directive."""
    close = difflib.get_close_matches(entry.type.lower(), DIRECTIVES, n=1)
    hint = (f"did you mean {close[0]}?" if close
            else f"the directives are {', '.join(DIRECTIVES)}")
    return ar_error("AR502", entry.meta, f"unknown directive {entry.type}; {hint}", entry)


def as_written(value: object) -> str:
    """A metadata or directive value as the ledger writes it: `"text"`, `10.00 USD`, `TRUE`."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (Decimal, datetime.date)):
        return str(value)
    number, currency = getattr(value, "number", None), getattr(value, "currency", None)
    if isinstance(number, Decimal) and isinstance(currency, str):
        return f"{number} {currency}"
    return "nothing" if value is None else str(value)
