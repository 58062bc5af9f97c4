"""Customers: every receivable account belongs to a declared customer.

    2026-01-01 custom "ar-customer" "acme"
      name: "Acme Corp"
      account: Assets:Receivable:Acme
      terms: "net 30"
      credit-limit: 20000.00 USD

Reports AR001 for an invalid `ar-customer` (no name or account, unknown terms,
bad credit limit) and AR002 for a receivable account that belongs to no customer.

Codes: AR001 and AR002, raised in `beancount_ar/core/customers.py`.

Works alone as `plugin "beancount_ar.plugins.customers"`, or with the rest of the suite
as `plugin "beancount_ar"`; the configuration is the suite's dict literal.
"""

from __future__ import annotations

from typing import Any

from beancount_ar.suite import printable_result, run_checks

__plugins__ = ("customers",)

CODES = ("AR001", "AR002")


def customers(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[Any]]:
    """Check customer directives and the ownership of receivable accounts."""
    del config  # read by the one way in from the plugin line, as Beancount keeps it
    return printable_result(run_checks(entries, options_map, __name__, CODES))
