"""Reference rates for statutory interest: the shipped history and the ledger's `ar-rate`.

    2025-06-11 custom "ar-rate" "EU" 2.15      ; ECB main refinancing rate
    2025-05-09 custom "ar-rate" "CZ" 3.50      ; ČNB two-week repo rate
    2025-08-07 custom "ar-rate" "UK" 4.00      ; Bank of England base rate

A rate is in % a year, in force from its date until the next one of the same
series. The package ships each series' history (`reference_rates/*.csv`, with
its source and the day it was last checked; a value no source confirmed is
left out, and its days have no shipped rate); a ledger's `ar-rate` directives
merge into it and win on the same date. An `ar-rate` with an unknown series or
a value that is not a number is AR012 at the directive.

Reading the shipped tables is the core's one read, of data the package ships
(as python-stdnum reads its own): nothing else is opened.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from beancount_ar.core.customers import source
from beancount_ar.core.directives import as_written
from beancount_ar.core.errors import ARError, ar_error

if TYPE_CHECKING:
    from collections.abc import Mapping

    from beancount.core.data import Custom

    from beancount_ar.core.model import Source

RATE_DIRECTIVE = "ar-rate"
SERIES = {
    "CZ": "ČNB two-week repo rate",
    "EU": "ECB main refinancing operations rate",
    "UK": "Bank of England Bank Rate",
}
# Beside this module, as the package installs it (never imported from a zip): a plain
# path costs every load nothing, where importlib.resources cost 5 ms and 0.8 MB of imports.
_TABLES = Path(__file__).resolve().parent / "reference_rates"


class Rate(NamedTuple):
    """A reference rate in force from `date` on, in % a year."""

    date: datetime.date
    rate: Decimal | None  # None: a shipped table's gap, no rate confirmed from this day on
    source: Source | None  # the ledger's directive; None for the shipped history


@dataclass(frozen=True)
class RateTable:
    """Each series' rates by date, the shipped history and the ledger's merged."""

    series: Mapping[str, tuple[Rate, ...]] = field(default_factory=dict)
    checked: Mapping[str, datetime.date] = field(default_factory=dict)  # shipped tables

    def rate_on(self, series: str, day: datetime.date) -> Decimal | None:
        """The rate of `series` in force on `day`; None before its first rate or in a gap."""
        rates = self.series.get(series, ())
        position = bisect.bisect_right(rates, day, key=lambda rate: rate.date)
        return rates[position - 1].rate if position else None

    def stale_after(self, series: str, day: datetime.date) -> datetime.date | None:
        """The day the shipped table was last checked, when `day` lies after it.

        None when `day` is covered: on or before that day, or the ledger gives a
        rate of the series dated after it.
        """
        checked = self.checked.get(series)
        if checked is None or day <= checked:
            return None
        newer = any(r.source is not None and r.date > checked
                    for r in self.series.get(series, ()))
        return None if newer else checked


@functools.cache
def shipped_table() -> RateTable:
    """The history the package ships, one CSV per series."""
    series, checked = {}, {}
    for name in SERIES:
        text = (_TABLES / f"{name.lower()}.csv").read_text(encoding="utf-8")
        rates, day = parse_table(text)
        series[name] = rates
        if day is not None:
            checked[name] = day
    return RateTable(series, checked)


def parse_table(text: str) -> tuple[tuple[Rate, ...], datetime.date | None]:
    """A shipped table: `date,rate` rows after `#` comments, one of them `# checked: DAY`.

    A row with no rate is a gap: nothing confirmed from its day until the next row.
    """
    rates, checked = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.lower().startswith("# checked:"):
            checked = datetime.date.fromisoformat(stripped.split(":", 1)[1].strip())
        if not stripped or stripped.startswith(("#", "date,")):
            continue
        day, rate = [*stripped.split(","), ""][:2]
        rates.append(Rate(datetime.date.fromisoformat(day),
                          Decimal(rate) if rate.strip() else None, None))
    return tuple(sorted(rates, key=lambda r: r.date)), checked


class RateBook:
    """Collects the ledger's `ar-rate` directives and merges them into the shipped history."""

    def __init__(self) -> None:
        """No ledger rates yet."""
        self.given: dict[tuple[str, datetime.date], Rate] = {}
        self.errors: list[ARError] = []

    def add(self, entry: Custom) -> None:
        """Take one `ar-rate` directive."""
        values = [v.value for v in entry.values or ()]
        series = values[0] if values else None
        example = 'custom "ar-rate" "EU" 2.15'
        if not isinstance(series, str) or series.upper() not in SERIES:
            self._error(entry, f"ar-rate at {entry.date} has series {as_written(series)}; "
                        "the series are " + ", ".join(f"{k} ({v})" for k, v in SERIES.items())
                        + f", e.g. {example}")
            return
        series = series.upper()
        number = values[1] if len(values) > 1 else None
        if isinstance(number, str):
            with contextlib.suppress(InvalidOperation):
                number = Decimal(number.strip().removesuffix("%"))
        if not isinstance(number, Decimal) or not number.is_finite():
            self._error(entry, f"ar-rate {series} at {entry.date} has rate "
                        f"{as_written(values[1] if len(values) > 1 else None)}, not a number; "
                        f'write the rate in % a year, e.g. custom "ar-rate" "{series}" 2.15')
            return
        earlier = self.given.get((series, entry.date))
        if earlier is not None and earlier.rate != number:
            self._error(entry, f"ar-rate {series} at {entry.date} gives {number}, but "
                        f"{earlier.rate} is given for that day too (line "
                        f"{earlier.source.lineno if earlier.source else 0}); keep one")
        self.given[series, entry.date] = Rate(entry.date, number, source(entry.meta))

    def table(self) -> RateTable:
        """The shipped history with the ledger's rates merged in (the ledger's win a date)."""
        shipped = shipped_table()
        if not self.given:
            return shipped
        merged = {name: {r.date: r for r in rates} for name, rates in shipped.series.items()}
        for (name, day), rate in self.given.items():
            merged.setdefault(name, {})[day] = rate
        return RateTable({name: tuple(sorted(rates.values(), key=lambda r: r.date))
                          for name, rates in merged.items()}, shipped.checked)

    def _error(self, entry: Custom, message: str) -> None:
        self.errors.append(ar_error("AR012", entry.meta, message, entry))
