"""Invoice numbers: the sequential-numbering check (AR104) and the next number of a pattern.

    plugin "beancount_ar" "{'numbering': 'sequential', 'invoice_number': 'INV-{year}-{seq:04d}'}"

With INV-2026-0007 the highest of 2026, `next_seq` gives 8 for 2026 and 1 for 2027.
"""

from __future__ import annotations

import itertools
import re
import string
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


def number_regex(pattern: str, year: int) -> re.Pattern[str]:
    """The numbers `pattern` ('INV-{year}-{seq:04d}') makes in `year`, `seq` as group 1."""
    parts = []
    for literal, name, spec, _ in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name == "year":
            parts.append(re.escape(format(year, spec or "")))
        elif name == "seq":
            parts.append(r"(\d+)")
    return re.compile("".join(parts))


def next_seq(pattern: str, year: int, numbers: Iterable[str]) -> int:
    """One more than the highest `seq` of the numbers `pattern` makes in `year` (1 if none)."""
    regex = number_regex(pattern, year)
    found = [int(m.group(1)) for n in numbers if (m := regex.fullmatch(n))]
    return max(found, default=0) + 1
