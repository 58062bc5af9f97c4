"""Whole-ledger checks on invoices: sequential numbering (AR104)."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from beancount_ar.core.errors import ARError, ar_error

if TYPE_CHECKING:
    from collections.abc import Iterable

    from beancount_ar.core.model import IssuedInvoice

_SERIES = re.compile(r"(.*?)(\d+)")


def check_numbering(invoices: Iterable[IssuedInvoice]) -> list[ARError]:
    """AR104: numbers of one series (prefix incl. year) run without gaps, in date order."""
    series: dict[str, list[tuple[int, IssuedInvoice]]] = {}
    errors = []
    for invoice in invoices:
        match = _SERIES.fullmatch(invoice.number)
        if match is None:
            errors.append(_error(invoice, f"invoice {invoice.number} does not end in a number; "
                                 "number invoices like INV-2026-001"))
            continue
        series.setdefault(match.group(1), []).append((int(match.group(2)), invoice))
    for members in series.values():
        members.sort(key=lambda m: (m[0], m[1].date))
        for (before_n, before), (n, invoice) in itertools.pairwise(members):
            errors.extend(_pair_errors(before_n, before, n, invoice))
    return errors


def _pair_errors(
    before_n: int, before: IssuedInvoice, n: int, invoice: IssuedInvoice
) -> list[ARError]:
    if n == before_n:
        return [_error(invoice, f"invoice {invoice.number} repeats number {n} of "
                       f"{before.number}; give it the next free number")]
    errors = []
    if n != before_n + 1:
        gap = "a number" if n == before_n + 2 else f"{n - before_n - 1} numbers"
        errors.append(_error(invoice, f"invoice {invoice.number} follows {before.number}: "
                             f"the series skips {gap}; issue the missing numbers or renumber"))
    if invoice.date < before.date:
        errors.append(_error(invoice, f"invoice {invoice.number} dated {invoice.date} is "
                             f"earlier than {before.number} dated {before.date}; numbers run "
                             "in date order"))
    return errors


def _error(invoice: IssuedInvoice, message: str) -> ARError:
    meta = {"filename": invoice.source.filename, "lineno": invoice.source.lineno}
    return ar_error("AR104", meta, message)
