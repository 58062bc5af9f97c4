"""Payment terms: `net 30`, `due on receipt`, `2/10 net 30`, `eom net 30`."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from decimal import Decimal

_NET = re.compile(r"net\s+(\d{1,4})")
_DISCOUNT = re.compile(r"(\d{1,2}(?:\.\d+)?)\s*/\s*(\d{1,4})\s+net\s+(\d{1,4})")
_EOM = re.compile(r"eom\s+net\s+(\d{1,4})")
_LAST_DAY = datetime.date.max.toordinal()
TERMS_HINT = 'write "net N", "due on receipt", "P/D net N" or "eom net N"'


@dataclass(frozen=True)
class Terms:
    """When an invoice falls due, and the early-payment discount if any."""

    net_days: int
    discount_percent: Decimal | None = None
    discount_days: int | None = None
    end_of_month: bool = False

    def due(self, invoice_date: datetime.date) -> datetime.date | None:
        """The due date of an invoice issued on `invoice_date` under these terms.

        None when it would fall after 9999-12-31, the last day a date can hold.
        """
        # Day-number arithmetic: this runs once per invoice on every load.
        start = _month_end(invoice_date) if self.end_of_month else invoice_date.toordinal()
        return _day(start + self.net_days)

    def discount_due(self, invoice_date: datetime.date) -> datetime.date | None:
        """The last day the early-payment discount applies; None without one (or past 9999)."""
        if self.discount_days is None:
            return None
        return _day(invoice_date.toordinal() + self.discount_days)

    def __str__(self) -> str:
        """The terms as a user writes them: `2/10 net 30`."""
        if self.end_of_month:
            return f"eom net {self.net_days}"
        if self.discount_percent is not None:
            return f"{self.discount_percent}/{self.discount_days} net {self.net_days}"
        if self.net_days == 0:
            return "due on receipt"
        return f"net {self.net_days}"


def _month_end(day: datetime.date) -> int:
    """The day number of the last day of `day`'s month."""
    if day.month == 12:  # noqa: PLR2004 - December: no next month in year 9999
        return datetime.date(day.year, 12, 31).toordinal()
    return datetime.date(day.year, day.month + 1, 1).toordinal() - 1


def _day(ordinal: int) -> datetime.date | None:
    """The date of a day number; None after the last day a date can hold."""
    return datetime.date.fromordinal(ordinal) if ordinal <= _LAST_DAY else None


@functools.lru_cache(maxsize=256)  # a ledger writes a handful of terms, on many invoices
def parse_terms(text: str) -> Terms | None:
    """Parse a terms string; None when it is none of the four forms."""
    normal = " ".join(text.lower().split())
    if normal == "due on receipt":
        return Terms(0)
    if match := _NET.fullmatch(normal):
        return Terms(int(match.group(1)))
    if match := _EOM.fullmatch(normal):
        return Terms(int(match.group(1)), end_of_month=True)
    if match := _DISCOUNT.fullmatch(normal):
        percent = Decimal(match.group(1))
        days, net = int(match.group(2)), int(match.group(3))
        if 0 < percent < 100 and days <= net:  # noqa: PLR2004
            return Terms(net, percent, days)
    return None
