"""What a change did to receivables: the model at one commit against another.

    bean-ar diff ledger.beancount HEAD~1          # against the working tree
    bean-ar diff ledger.beancount v1.0 v1.1

Invoices issued, changed or gone; payments, credits and write-offs applied;
status events; and each customer's open balance before and after.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from beancount_ar.core.model import ZERO
from beancount_ar.reports.aging import aging, unapplied_credit
from beancount_ar.reports.history import invoice_changes

if TYPE_CHECKING:
    from decimal import Decimal

    from beancount_ar.core.model import Application, Invoice, Receivables, StatusEvent

EVERYTHING = datetime.date(9999, 12, 31)  # balances count every entry of each side


@dataclass(frozen=True)
class BalanceChange:
    """A customer's open balance in one currency, before and after."""

    customer: str
    currency: str
    before: Decimal
    after: Decimal


@dataclass(frozen=True)
class ReceivablesDiff:
    """Everything that differs between two versions of the books."""

    issued: tuple[Invoice, ...]
    changed: tuple[tuple[Invoice, Invoice], ...]
    gone: tuple[Invoice, ...]
    applied: tuple[Application, ...]
    unapplied: tuple[Application, ...]  # applications in the old books, not in the new
    events: tuple[StatusEvent, ...]
    balances: tuple[BalanceChange, ...]

    @property
    def empty(self) -> bool:
        """Nothing in receivables changed."""
        return not any((self.issued, self.changed, self.gone, self.applied, self.unapplied,
                        self.events, self.balances))


def _application_key(a: Application) -> tuple[object, ...]:
    return (a.date, a.customer, a.invoice, a.amount, a.currency, a.kind, a.narration)


def _applications(books: Receivables) -> list[Application]:
    return [a for i in books.invoices.values() for a in i.applications] + list(books.unapplied)


def _balances(books: Receivables) -> dict[tuple[str, str], Decimal]:
    totals = {(r.customer, r.currency): r.total
              for r in aging(books, EVERYTHING) if r.customer is not None}
    for key, credit in unapplied_credit(books, EVERYTHING).items():
        totals.setdefault(key, credit)
    return totals


def diff_receivables(before: Receivables, after: Receivables) -> ReceivablesDiff:
    """What changed from `before` to `after`."""
    old, new = before.invoices, after.invoices
    old_apps = Counter(_application_key(a) for a in _applications(before))
    new_apps = Counter(_application_key(a) for a in _applications(after))
    applied = [a for a in _applications(after) if _take(new_apps, old_apps, a)]
    removed = [a for a in _applications(before) if _take(old_apps, new_apps, a)]
    old_events = {(e.date, e.invoice, e.kind, e.detail, e.level)
                  for i in old.values() for e in i.events}
    events = [e for i in new.values() for e in i.events
              if (e.date, e.invoice, e.kind, e.detail, e.level) not in old_events]
    balances_before, balances_after = _balances(before), _balances(after)
    balances = [
        BalanceChange(c, cur, balances_before.get((c, cur), ZERO),
                      balances_after.get((c, cur), ZERO))
        for c, cur in sorted(set(balances_before) | set(balances_after))
        if balances_before.get((c, cur), ZERO) != balances_after.get((c, cur), ZERO)
    ]
    return ReceivablesDiff(
        issued=tuple(i for n, i in new.items() if n not in old),
        changed=tuple((old[n], i) for n, i in new.items()
                      if n in old and invoice_changes(old[n], i)),
        gone=tuple(i for n, i in old.items() if n not in new),
        applied=tuple(sorted(applied, key=lambda a: (a.date, a.customer))),
        unapplied=tuple(sorted(removed, key=lambda a: (a.date, a.customer))),
        events=tuple(sorted(events, key=lambda e: (e.date, e.invoice))),
        balances=tuple(balances),
    )


def _take(mine: Counter[tuple[object, ...]], theirs: Counter[tuple[object, ...]],
          application: Application) -> bool:
    """Whether this application is one more than the other side has (and count it)."""
    key = _application_key(application)
    if mine[key] > theirs[key]:
        mine[key] -= 1
        return True
    return False


def render_diff(diff: ReceivablesDiff, old_label: str, new_label: str) -> str:
    """The difference for people, section by section."""
    if diff.empty:
        return f"No change in receivables between {old_label} and {new_label}.\n"
    out = [f"Receivables: {old_label} -> {new_label}", ""]
    for title, items in (
        ("Invoices issued", [f"{i.number}  {i.date}  {i.customer}  {i.amount} {i.currency}"
                             for i in diff.issued]),
        ("Invoices changed (issued invoices are corrected with credit notes)",
         [f"{a.number}  {a.date} {a.customer} {a.amount} {a.currency} -> "
          f"{b.date} {b.customer} {b.amount} {b.currency}" for a, b in diff.changed]),
        ("Invoices gone", [f"{i.number}  {i.date}  {i.customer}  {i.amount} {i.currency}"
                           for i in diff.gone]),
        ("Payments, credits and write-offs applied",
         [f"{a.date}  {a.customer}  {a.kind.value}  {a.invoice or '(on account)'}  "
          f"{-a.amount} {a.currency}" for a in diff.applied]),
        ("Applications removed",
         [f"{a.date}  {a.customer}  {a.kind.value}  {a.invoice or '(on account)'}  "
          f"{-a.amount} {a.currency}" for a in diff.unapplied]),
        ("Status events", [f"{e.date}  {e.invoice}  {e.kind.value}  {e.detail or e.level or ''}"
                           .rstrip() for e in diff.events]),
        ("Open balances", [f"{b.customer}  {b.currency}  {b.before} -> {b.after}  "
                           f"({b.after - b.before:+})" for b in diff.balances]),
    ):
        if items:
            out += [f"{title}:", *(f"  {item}" for item in items), ""]
    return "\n".join(out)
