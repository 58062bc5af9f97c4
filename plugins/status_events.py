"""Status events: disputes, resolutions, dunning letters and escalations.

    2026-02-12 custom "ar-dispute"  "INV-2026-001" "Hours disputed"
    2026-03-15 custom "ar-dunning"  "INV-2026-002" 1
    2026-06-01 custom "ar-escalate" "INV-2026-004" "agency"

Reports AR501 when an event names an unknown invoice, a dunning level that is
not a positive whole number, or an escalation other than agency or legal, and
AR502 for a `custom "ar-..."` directive the contract does not define (a typo
such as `ar-dipsute`), naming the closest one.

Also AR011 for a bad `ar-dunning-policy` or a customer's `dunning` naming no
policy, and AR012 for a bad `ar-rate` or a late invoice whose policy's interest
rule needs a reference rate no table has (collections, AR-SPEC section 11).

Codes: AR501, raised in `beancount_ar/core/events.py`; AR502 in
`beancount_ar/core/directives.py`; AR011 in `beancount_ar/core/policies.py`;
AR012 in `beancount_ar/core/rates.py` and `beancount_ar/core/interest.py`.

Works alone as `plugin "beancount_ar.plugins.status_events"`, or with the rest of the suite
as `plugin "beancount_ar"`; the configuration is the suite's dict literal.
"""

from __future__ import annotations

from typing import Any

from beancount_ar.suite import printable_result, run_checks

__plugins__ = ("status_events",)

CODES = ("AR501", "AR502", "AR011", "AR012")


def status_events(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[Any]]:
    """Check status events."""
    del config  # read by the one way in from the plugin line, as Beancount keeps it
    return printable_result(run_checks(entries, options_map, __name__, CODES))
