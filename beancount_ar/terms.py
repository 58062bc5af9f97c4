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


@dataclass(frozen=True)
class Terms:
    """When an invoice falls due, and the early-payment discount if any."""

    net_days: int
    discount_percent: Decimal | None = None
    discount_days: int | None = None
    end_of_month: bool = False

    def due(self, invoice_date: datetime.date) -> datetime.date:
        """The due date of an invoice issued on `invoice_date` under these terms."""
        # Day-number arithmetic: this runs once per invoice on every load.
        start = invoice_date.toordinal()
        if self.end_of_month:
            year, month = invoice_date.year, invoice_date.month
            start = datetime.date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
        return datetime.date.fromordinal(start + self.net_days)

    def discount_due(self, invoice_date: datetime.date) -> datetime.date | None:
        """The last day the early-payment discount applies, if the terms give one."""
        if self.discount_days is None:
            return None
        return invoice_date + datetime.timedelta(days=self.discount_days)

    def __str__(self) -> str:
        """The terms as a user writes them: `2/10 net 30`."""
        if self.end_of_month:
            return f"eom net {self.net_days}"
        if self.discount_percent is not None:
            return f"{self.discount_percent}/{self.discount_days} net {self.net_days}"
        if self.net_days == 0:
            return "due on receipt"
        return f"net {self.net_days}"


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
