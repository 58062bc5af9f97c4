"""Letters due and the escalation queue on a date (AR-SPEC section 11).

    rows = letters_due(receivables, datetime.date(2026, 6, 30))    # one DunningRow per letter
    queue = escalations(receivables, datetime.date(2026, 6, 30))  # ready for an agency

A letter is due for an invoice with a positive open amount that is overdue,
not disputed, not escalated, not under an unexpired promise, whose customer's
policy is not `none`, with a next level L = (highest sent) + 1 among the
policy's levels, whose days overdue reach level L's threshold, and whose last
letter is at least `interval` days old. After a broken promise the first letter
waits for no interval (the threshold still applies). A run recorded the same
day therefore finds nothing more to send: the interval is at least one day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from beancount_ar.core.promises import broken_promise, is_promised
from beancount_ar.reports.aging import visible_invoices
from beancount_ar.reports.collections import collection_case, last_letter, letters_sent

if TYPE_CHECKING:
    import datetime
    from decimal import Decimal

    from beancount_ar.core.interest import Claim
    from beancount_ar.core.model import Invoice, Receivables
    from beancount_ar.reports.collections import Case


class DunningRow(NamedTuple):
    """A letter due: its invoice, level, and what the letter claims."""

    customer: str
    invoice: Invoice
    level: int
    final: bool  # `level` is the policy's last level
    days_overdue: int
    open: Decimal
    interest: Decimal
    compensation: Decimal
    fee: Decimal  # that level's fee alone
    total: Decimal  # open + interest + compensation + fee


class EscalationRow(NamedTuple):
    """An invoice past its last letter, ready to hand over for collection."""

    customer: str
    invoice: Invoice
    days_overdue: int
    open: Decimal
    last_letter: datetime.date
    letters: int  # how many letters were sent
    interest: Decimal
    compensation: Decimal
    total: Decimal  # open + interest + compensation


def _open_case(receivables: Receivables, invoice: Invoice, as_of: datetime.date,
               ) -> tuple[Case, Decimal, int] | None:
    """The case of an invoice dunning may act on: open, overdue, undisputed, not escalated."""
    days = invoice.days_overdue(as_of)
    if days <= 0:
        return None
    open_amount = invoice.open_amount(as_of)
    if open_amount <= 0 or invoice.is_disputed(as_of) or invoice.escalation(as_of) \
            or is_promised(invoice, as_of):
        return None
    case = collection_case(receivables, invoice, as_of)
    return None if case is None else (case, open_amount, days)


def letters_due(receivables: Receivables, as_of: datetime.date) -> list[DunningRow]:
    """The letters due on `as_of`, sorted by customer id, then invoice number."""
    rows = []
    for invoice in visible_invoices(receivables, as_of):
        found = _open_case(receivables, invoice, as_of)
        if found is None:
            continue
        case, open_amount, days = found
        policy = case.policy
        level = invoice.dunning_level(as_of) + 1
        if level > policy.last_level or days < policy.threshold(level):
            continue
        last = last_letter(invoice, as_of)
        broken = broken_promise(invoice, as_of)
        waived = broken is not None and (last is None or last <= broken)
        if last is not None and not waived and (as_of - last).days < policy.interval:
            continue
        fee = policy.fee(level)
        claim = case.claim
        rows.append(DunningRow(
            invoice.customer, invoice, level, level == policy.last_level, days, open_amount,
            claim.interest, claim.compensation, fee,
            open_amount + claim.interest + claim.compensation + fee))
    rows.sort(key=lambda row: (row.customer, row.invoice.number))
    return rows


def escalations(receivables: Receivables, as_of: datetime.date) -> list[EscalationRow]:
    """The escalation queue on `as_of`, sorted by customer id, then invoice number.

    An invoice whose highest letter is the policy's last level (or beyond it,
    should the policy have shrunk), overdue by at least `escalate` days, whose
    last letter is at least `interval` days old; open, not disputed, not under
    an unexpired promise, not yet escalated.
    """
    rows = []
    for invoice in visible_invoices(receivables, as_of):
        found = _open_case(receivables, invoice, as_of)
        if found is None:
            continue
        case, open_amount, days = found
        policy = case.policy
        last = last_letter(invoice, as_of)
        if last is None or invoice.dunning_level(as_of) < policy.last_level \
                or days < policy.escalate or (as_of - last).days < policy.interval:
            continue
        claim = case.claim
        sent = len(letters_sent(invoice, as_of))
        rows.append(EscalationRow(
            invoice.customer, invoice, days, open_amount, last, sent, claim.interest,
            claim.compensation, open_amount + claim.interest + claim.compensation))
    rows.sort(key=lambda row: (row.customer, row.invoice.number))
    return rows


def claims_of(receivables: Receivables, invoices: list[Invoice],
              as_of: datetime.date) -> list[Claim]:
    """The claims on `invoices` (for the rate warnings of a report's rows)."""
    cases = (collection_case(receivables, invoice, as_of) for invoice in invoices)
    return [case.claim for case in cases if case is not None]
