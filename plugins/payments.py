"""Payments, credit notes and write-offs: every receivable posting lands on an invoice.

    2026-02-01 * "Acme Corp" "Payment" ^INV-2026-001
      Assets:Bank:Checking          1800.00 USD
      Assets:Receivable:Acme       -1800.00 USD

Reports AR201 (applied to no invoice), AR202 (unknown invoice), AR203
(over-payment), AR204 (other currency), AR205 (other customer's account),
AR206 (dated before the invoice), AR207 (more unapplied credit used than the
customer has) and AR208 (a debit, such as a refund, that takes an invoice above
what was billed).

Codes: AR201-AR208, raised in `beancount_ar/core/applications.py` (payments, credit
notes and write-offs are applications to invoices).

Works alone as `plugin "beancount_ar.plugins.payments"`, or with the rest of the suite
as `plugin "beancount_ar"`; the configuration is the suite's dict literal.
"""

from __future__ import annotations

from typing import Any

from beancount_ar.suite import printable_result, run_checks

__plugins__ = ("payments",)

CODES = ("AR201", "AR202", "AR203", "AR204", "AR205", "AR206", "AR207", "AR208")


def payments(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[Any]]:
    """Check how receivable postings apply to invoices."""
    del config  # read by the one way in from the plugin line, as Beancount keeps it
    return printable_result(run_checks(entries, options_map, __name__, CODES))
