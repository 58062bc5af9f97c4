"""What the collections reports share: each invoice's policy, claim and standing on a date.

    case = collection_case(receivables, invoice, as_of)   # None: out of collections
    case.policy.levels, case.claim.interest, case.last_letter

An invoice is in collections when its customer's policy in force on the as-of
date is not `none`. Its claim (interest and compensation) is worked out under
that policy's interest rule, at the currency's precision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from beancount_ar.core.interest import claim_on
from beancount_ar.core.model import EventKind
from beancount_ar.core.policies import policy_for
from beancount_ar.core.rates import SERIES

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable

    from beancount_ar.core.interest import Claim
    from beancount_ar.core.model import Invoice, Receivables
    from beancount_ar.core.policies import PolicyVersion

DEFAULT_PLACES = 2


class Case(NamedTuple):
    """An invoice under a dunning policy on a date."""

    invoice: Invoice
    policy: PolicyVersion
    claim: Claim


def places(receivables: Receivables, currency: str) -> int:
    """The decimals the ledger writes for `currency` (2 when it writes none)."""
    return receivables.precision.digits.get(currency, DEFAULT_PLACES)


def collection_case(receivables: Receivables, invoice: Invoice,
                    as_of: datetime.date) -> Case | None:
    """The invoice's policy and claim on `as_of`; None when its customer is out of collections."""
    policy = policy_for(receivables.policies, receivables.customers, invoice.customer, as_of)
    if policy is None:
        return None
    claim = claim_on(invoice, policy.interest, receivables.rates, as_of,
                     places(receivables, invoice.currency))
    return Case(invoice, policy, claim)


def letters_sent(invoice: Invoice, as_of: datetime.date) -> list[tuple[datetime.date, int]]:
    """The `ar-dunning` letters sent up to `as_of`: (day, level), in date order."""
    return [(e.date, e.level or 0) for e in invoice.events
            if e.kind is EventKind.DUNNING and e.date <= as_of]


def last_letter(invoice: Invoice, as_of: datetime.date) -> datetime.date | None:
    """The day of the last `ar-dunning` letter sent up to `as_of`."""
    days = [day for day, _ in letters_sent(invoice, as_of)]
    return max(days) if days else None


def rate_warnings(claims: Iterable[Claim]) -> list[str]:
    """One line per series a claim read past the day its shipped table was last checked."""
    stale = sorted({pair for claim in claims for pair in claim.stale})
    return [f"the shipped {series} reference rates ({SERIES[series]}) were last checked on "
            f'{checked}; a delay runs past that day and no newer ar-rate "{series}" is in '
            "the ledger, so the last known rate still applies (add the rate if it changed)"
            for series, checked in stale]
