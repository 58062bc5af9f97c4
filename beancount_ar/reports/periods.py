"""Reporting periods: day, ISO week, month, quarter and year, and figures to one decimal.

    >>> import datetime
    >>> [p.label for p in periods("week", datetime.date(2026, 6, 28), datetime.date(2026, 7, 6))]
    ['2026-W26', '2026-W27', '2026-W28']
    >>> period_of("quarter", datetime.date(2026, 5, 17))
    Period(label='2026-Q2', first=datetime.date(2026, 4, 1), last=datetime.date(2026, 6, 30))
    >>> one_decimal(Decimal("74.65")), one_decimal(None)
    ('74.7', '')

Labels as AR-SPEC section 12 writes them: `2026-06-30`, `2026-W27`, `2026-06`,
`2026-Q2`, `2026`. Month arithmetic is python-dateutil's `relativedelta`.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, NamedTuple

from dateutil.relativedelta import relativedelta

if TYPE_CHECKING:
    from fractions import Fraction

PERIOD_KINDS = ("day", "week", "month", "quarter", "year")
_ONE_DAY = datetime.timedelta(days=1)
_TENTH = Decimal("0.1")


class Period(NamedTuple):
    """A reporting period: its label and its first and last day."""

    label: str
    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        """How many calendar days it holds."""
        return (self.last - self.first).days + 1


def period_of(kind: str, day: datetime.date) -> Period:
    """The period of `kind` (`day`, `week`, `month`, `quarter`, `year`) that holds `day`."""
    if kind == "day":
        return Period(day.isoformat(), day, day)
    if kind == "week":
        year, week, weekday = day.isocalendar()
        first = day - datetime.timedelta(days=weekday - 1)
        return Period(f"{year}-W{week:02d}", first, first + datetime.timedelta(days=6))
    if kind == "month":
        first = day.replace(day=1)
        return Period(f"{day.year}-{day.month:02d}", first,
                      first + relativedelta(months=1) - _ONE_DAY)
    if kind == "quarter":
        quarter = (day.month - 1) // 3 + 1
        first = datetime.date(day.year, 3 * quarter - 2, 1)
        return Period(f"{day.year}-Q{quarter}", first,
                      first + relativedelta(months=3) - _ONE_DAY)
    if kind == "year":
        return Period(str(day.year), datetime.date(day.year, 1, 1),
                      datetime.date(day.year, 12, 31))
    message = f"unknown period {kind!r}; use one of {', '.join(PERIOD_KINDS)}"
    raise ValueError(message)


def periods(kind: str, start: datetime.date, end: datetime.date) -> list[Period]:
    """Every period of `kind` that holds a day from `start` through `end`, in order."""
    found: list[Period] = []
    day = start
    while day <= end:
        period = period_of(kind, day)
        found.append(period)
        if period.last >= datetime.date.max:
            break
        day = period.last + _ONE_DAY
    return found


def months_ending(as_of: datetime.date, months: int) -> Period:
    """The `months` calendar months ending with `as_of`'s month, that one through `as_of`."""
    first = as_of.replace(day=1) - relativedelta(months=months - 1)
    return Period(f"{first:%Y-%m}..{as_of.isoformat()}", first, as_of)


def one_decimal(value: Decimal | Fraction | None) -> str:
    """A figure as section 12 prints days and percentages: one decimal, half-up; '' if undefined.

    `value` is the exact figure (a Fraction keeps a quotient exact until this rounding).
    """
    if value is None:
        return ""
    exact = value if isinstance(value, Decimal) else (
        Decimal(value.numerator) / Decimal(value.denominator))
    rounded = exact.quantize(_TENTH, rounding=ROUND_HALF_UP)
    return f"{abs(rounded) if rounded == 0 else rounded:f}"
