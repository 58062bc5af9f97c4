"""The aging report on a date: each customer's open amounts by age, and totals.

    rows = aging(receivables, datetime.date(2026, 6, 30))

Also what every report on a date shares: the invoices visible on it, unapplied
credit, the bucket columns, and `today`, the default as-of date.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from beancount_ar.core.model import ZERO

if TYPE_CHECKING:
    from collections.abc import Iterator

    from beancount_ar.core.model import Invoice, Receivables

TOTAL = "TOTAL"  # what the outputs print in a total row's customer column, never an id
Basis = Literal["due", "invoice"]


@dataclass(frozen=True)
class Buckets:
    """Aging columns: `current`, then day ranges ending at each edge, then past the last."""

    edges: tuple[int, ...] = (30, 60, 90)

    @property
    def labels(self) -> tuple[str, ...]:
        """`current, 1-30, 31-60, 61-90, 90+` for the default edges."""
        starts = (1, *(edge + 1 for edge in self.edges[:-1]))
        ranges = (f"{start}-{edge}" for start, edge in zip(starts, self.edges, strict=True))
        return ("current", *ranges, f"{self.edges[-1]}+")

    def index(self, days: int) -> int:
        """The column for an amount `days` past due (or old): 0 is `current`."""
        if days <= 0:
            return 0
        for position, edge in enumerate(self.edges, start=1):
            if days <= edge:
                return position
        return len(self.edges) + 1


def parse_buckets(text: str) -> Buckets | None:
    """`15,45` -> edges (15, 45); None unless positive whole numbers in increasing order."""
    try:
        edges = tuple(int(part) for part in text.split(","))
    except ValueError:
        return None
    if not edges or edges[0] < 1 or any(b <= a for a, b in itertools.pairwise(edges)):
        return None
    return Buckets(edges)


@dataclass(frozen=True)
class AgingRow:
    """One customer's open amounts in one currency, by age; `customer` is None for a total.

    A total row is no customer's, so a customer whose id is `TOTAL` stays a
    customer everywhere; the outputs print `TOTAL` (see `label`) for total rows.
    """

    customer: str | None
    name: str
    currency: str
    unapplied: Decimal
    buckets: tuple[Decimal, ...]

    @property
    def is_total(self) -> bool:
        """Whether this is the sum of the customer rows in its currency."""
        return self.customer is None

    @property
    def label(self) -> str:
        """The customer column as printed: the customer's id, or `TOTAL`."""
        return TOTAL if self.customer is None else self.customer

    @property
    def total(self) -> Decimal:
        """What the customer owes in this currency, net of unapplied credit."""
        return self.unapplied + sum(self.buckets, ZERO)


def visible_invoices(receivables: Receivables, as_of: datetime.date) -> Iterator[Invoice]:
    """Invoices issued on or before `as_of`."""
    return (i for i in receivables.invoices.values() if i.date <= as_of)


def unapplied_credit(
    receivables: Receivables, as_of: datetime.date
) -> dict[tuple[str, str], Decimal]:
    """Per customer and currency: what is on the account on no invoice, on `as_of`.

    A posting applied to an invoice not yet issued on `as_of` counts here too, so
    the report always ties to the account balance.
    """
    credit: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for application in receivables.unapplied:
        if application.date <= as_of:
            credit[application.customer, application.currency] += application.amount
    for invoice in receivables.invoices.values():
        if invoice.date > as_of:
            for application in invoice.applications:
                if application.date <= as_of:
                    credit[application.customer, application.currency] += application.amount
    return credit


def aging(
    receivables: Receivables, as_of: datetime.date, basis: Basis = "due",
    buckets: Buckets = Buckets(),
) -> list[AgingRow]:
    """Customer rows sorted by id and currency, then a total row per currency."""
    width = len(buckets.edges) + 2
    amounts: dict[tuple[str, str], list[Decimal]] = {}
    for invoice in visible_invoices(receivables, as_of):
        open_amount = invoice.open_amount(as_of)
        if open_amount:
            start = invoice.due if basis == "due" else invoice.date
            row = amounts.setdefault((invoice.customer, invoice.currency), [ZERO] * width)
            row[buckets.index((as_of - start).days)] += open_amount
    credit = unapplied_credit(receivables, as_of)
    keys = sorted(set(amounts) | {key for key, value in credit.items() if value})
    rows = [
        AgingRow(customer, customer_name(receivables, customer), currency, credit.get(
            (customer, currency), ZERO), tuple(amounts.get((customer, currency), [ZERO] * width)))
        for customer, currency in keys
    ]
    return rows + _totals(rows, width)


def customer_name(receivables: Receivables, customer: str) -> str:
    """The customer's name, or its id when the ledger declares none."""
    found = receivables.customers.get(customer)
    return found.name if found else customer


def _totals(rows: list[AgingRow], width: int) -> list[AgingRow]:
    totals: dict[str, tuple[Decimal, list[Decimal]]] = {}
    for row in rows:
        unapplied, sums = totals.get(row.currency, (ZERO, [ZERO] * width))
        totals[row.currency] = (unapplied + row.unapplied,
                                [a + b for a, b in zip(sums, row.buckets, strict=True)])
    return [total_row(currency, unapplied, tuple(sums))
            for currency, (unapplied, sums) in sorted(totals.items())]


def total_row(currency: str, unapplied: Decimal, buckets: tuple[Decimal, ...]) -> AgingRow:
    """A total row: no customer's, printed `TOTAL`."""
    return AgingRow(None, TOTAL, currency, unapplied, buckets)


def today() -> datetime.date:
    """The default as-of date of every report: today, in the local time zone."""
    return datetime.datetime.now().astimezone().date()
