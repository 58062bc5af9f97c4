"""beancount-ar: accounts receivable for plain-text accounting.

    plugin "beancount_ar" "{'root': 'Assets:Receivable', 'default_terms': 'net 30'}"

Enabling the package as a Beancount plugin runs the whole suite: customers,
invoices, payments, status events, credit limits and the card-number guard.
"""

from __future__ import annotations

import gc
from typing import Any

__version__ = "0.1.0"
__plugins__ = ("beancount_ar",)


def beancount_ar(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[Any]]:
    """Run the whole receivables suite (see `beancount_ar.suite.run_suite`)."""
    # The collector is paused while the suite's modules load too: the objects an
    # import makes would set off a full collection over the whole ledger.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        from beancount_ar.suite import run_suite  # noqa: PLC0415 - keep `import beancount_ar` light

        del config  # the one way in reads it from the plugin line, as Beancount keeps it
        return run_suite(entries, options_map)
    finally:
        if was_enabled:
            gc.enable()
