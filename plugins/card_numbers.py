"""Card numbers: no payment card number is kept in the books.

    2026-03-02 * "Acme Corp" "Paid by card 4111 1111 1111 1111"

Reports AR401 for every Luhn-valid run of 13-19 digits in a narration, payee,
comment or metadata value. The error and the entries passed on carry a masked
copy (`**** **** **** 1111`), so neither `bean-check` nor Fava shows the number.

Codes: AR401, raised in `beancount_ar/core/cards.py`.

Works alone as `plugin "beancount_ar.plugins.card_numbers"`, or with the rest of
the suite as `plugin "beancount_ar"`.
"""

from __future__ import annotations

from typing import Any

from beancount_ar.suite import printable_result, safe_guard_cards

__plugins__ = ("card_numbers",)


def card_numbers(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[Any]]:
    """Mask card numbers in the entries and report each one."""
    del config  # the guard needs no configuration
    return printable_result(safe_guard_cards(entries, options_map))
