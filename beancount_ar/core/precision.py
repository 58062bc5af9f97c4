"""Each currency's precision: the decimals the ledger writes for it most often.

    option "operating_currency" "USD"
    2026-01-05 * "Acme Corp" "Consulting" ^INV-2026-001 #invoice
      Assets:Receivable:Acme        1800.00 USD          ; USD: 2 decimals
      Income:Consulting

Read from Beancount's display context, as `bean-query` and Fava print amounts;
reports and documents show money at this precision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount.core.display_context import Precision as DisplayPrecision

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class Precision:
    """Fractional digits per currency, as the ledger writes them (Beancount's dcontext)."""

    digits: Mapping[str, int] = field(default_factory=dict)

    def quantize(self, number: Decimal, currency: str) -> Decimal:
        """`number` at the currency's precision; zero is never negative."""
        places = self.digits.get(currency)
        if places is not None:
            number = number.quantize(Decimal(1).scaleb(-places))
        return abs(number) if number == 0 else number

    def plain(self, number: Decimal, currency: str) -> str:
        """`1500.00`, `-300.00`, `0.00`: CSV and JSON."""
        return f"{self.quantize(number, currency):f}"

    def grouped(self, number: Decimal, currency: str) -> str:
        """`1,500.00`: tables for people."""
        return f"{self.quantize(number, currency):,f}"


def ledger_precision(options: Mapping[str, Any]) -> Precision:
    """The number of decimals the ledger writes most often for each currency."""
    context = options.get("dcontext")
    digits = {}
    for currency, currency_context in getattr(context, "ccontexts", {}).items():
        places = currency_context.get_fractional(DisplayPrecision.MOST_COMMON)
        if places is not None and not currency.startswith("__"):
            digits[currency] = places
    return Precision(digits)
