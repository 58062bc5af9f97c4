"""Credit limits: no invoice takes a customer over its credit line.

    2026-01-01 custom "ar-customer" "acme"
      name: "Acme Corp"
      account: Assets:Receivable:Acme
      credit-limit: 20000.00 USD

Reports AR301 when an invoice takes the customer's balance (open invoices less
unapplied credit, in the limit's currency) over the limit in force that day.
`credit_limit: 'off'` in the configuration turns the check off.

Codes: AR301, raised in `beancount_ar/core/credit_limits.py`.

Works alone as `plugin "beancount_ar.plugins.credit_limits"`, or with the rest of the suite
as `plugin "beancount_ar"`; the configuration is the suite's dict literal.
"""

from __future__ import annotations

from typing import Any

from beancount_ar.suite import printable_result, run_checks

__plugins__ = ("credit_limits",)

CODES = ("AR301",)


def credit_limits(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[Any]]:
    """Check invoices against the customer credit limit in force on their date."""
    del config  # read by the one way in from the plugin line, as Beancount keeps it
    return printable_result(run_checks(entries, options_map, __name__, CODES))
