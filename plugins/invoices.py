"""Invoices: number, customer, terms and due date on every invoice transaction.

    2026-01-05 * "Acme Corp" "Consulting, January" ^INV-2026-001 #invoice
      Assets:Receivable:Acme        1800.00 USD
      Income:Consulting            -1800.00 USD

gains `invoice: "INV-2026-001"`, `customer: "acme"`, `terms: "net 30"` and
`due: 2026-02-04`. Reports AR101 (number used twice), AR102 (not exactly one
link or no positive receivable posting to one customer), AR103 (bad `due` or
`terms`, or a due date after 9999-12-31), AR105 (a line whose quantity x rate
is not its amount, whose rate is in another currency, or whose quantity or
description is not a number or text) and, with `numbering: 'sequential'`, AR104
(a series skips or runs out of date order), and the recurring contracts' AR013
(an `ar-contract` directive naming an unknown customer or with a bad field) and
AR014 (two invoices for one contract period): a contract is what invoices are
billed from, so this plugin, not the customers one, reports them.

Codes: AR101-AR103 and AR105, raised in `beancount_ar/core/invoices.py`; AR104 in
`beancount_ar/core/numbering.py`; AR013 and AR014 in `beancount_ar/core/contracts.py`.

Works alone as `plugin "beancount_ar.plugins.invoices"`, or with the rest of the suite
as `plugin "beancount_ar"`; the configuration is the suite's dict literal.
"""

from __future__ import annotations

from typing import Any

from beancount_ar.suite import printable_result, run_checks

__plugins__ = ("invoices",)

CODES = ("AR101", "AR102", "AR103", "AR104", "AR105", "AR013", "AR014")


def invoices(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[Any]]:
    """Add invoice metadata and check invoice numbers, postings and due dates."""
    del config  # read by the one way in from the plugin line, as Beancount keeps it
    return printable_result(run_checks(entries, options_map, __name__, CODES, annotate=True))
