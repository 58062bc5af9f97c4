"""Billed and collected per period, and what stayed open at each period's end (AR-SPEC §12).

    rows = billed_collected(receivables, "month", datetime.date(2026, 1, 1),
                            datetime.date(2026, 6, 30), by="collector")
    [(r.period.label, r.group, r.currency, r.collected, r.open) for r in rows]

One row per period and currency (and group, with `by`), sorted by period, then
group, then currency. Every row ties: `open` = `opening` (the same group's and
currency's `open` at the end of the period before; for the first period, on
the day before it begins) + `invoiced` - `credited` - `collected` -
`written_off`, and `open` is what `reports.aging` totals on the period's last
day (`end` for the last period).

Each receivable posting counts once, by the transaction it is in: an invoice's
own in `invoiced`; a credit note's in `credited`, a write-off's in
`written_off` (both as reductions, so positive); every other one in
`collected`, negated: payments and prepayments on account as cash in, refunds
and bounced payments as cash out, and on-account credit applied to an invoice
nets to zero within its transaction. The postings the ledger's errors leave on
no invoice (kept so that totals tie; see `ApplicationKind.UNMATCHED`) carry no
record of their transaction's tags, so they count in `collected` as well.

Linear in invoices plus applications: every posting is bucketed to its period
once (those before the first period into an opening bucket), `open` is a
running sum of the buckets, and each invoice marks the stretches of days it
is open (and past due) on difference arrays, two marks a stretch, which
running sums turn into `open_count`, `overdue` and `overdue_count` at every
period end.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from typing import TYPE_CHECKING, Literal, NamedTuple

from beancount_ar.core.model import ZERO, ApplicationKind
from beancount_ar.reports.periods import Period, periods

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from beancount_ar.core.model import Application, Invoice, Receivables

GroupBy = Literal["customer", "collector"]
NO_COLLECTOR = "-"  # the collector column of customers without one, as `bean-ar kpi`'s scope
FIELDS = ("period", "currency", "invoiced", "credited", "collected", "written_off", "open",
          "open_count", "overdue", "overdue_count")
_ONE_DAY = datetime.timedelta(days=1)


class PeriodRow(NamedTuple):
    """One period's figures in one currency (for one customer or collector with `by`)."""

    period: Period
    group: str | None  # the customer id or collector name; None without `by`
    currency: str
    opening: Decimal  # the open amount the period starts from
    invoiced: Decimal
    credited: Decimal
    collected: Decimal
    written_off: Decimal
    open: Decimal
    open_count: int
    overdue: Decimal
    overdue_count: int

    @property
    def is_silent(self) -> bool:
        """Whether every figure of the row is zero (such group rows are left out)."""
        return not (self.invoiced or self.credited or self.collected or self.written_off
                    or self.open or self.open_count or self.overdue or self.overdue_count)


class _Series:
    """One group and currency: a bucket per period, index 0 for all before the first.

    The last slot (past `end`) only takes the closing marks of the stretches
    still open at `end`, so the difference arrays need no bounds check.
    """

    __slots__ = ("collected", "credited", "invoiced", "open_count", "overdue",
                 "overdue_count", "written_off")

    def __init__(self, size: int) -> None:
        self.invoiced = [ZERO] * size
        self.credited = [ZERO] * size
        self.collected = [ZERO] * size
        self.written_off = [ZERO] * size
        self.open_count = [0] * size  # differences: running sums give the figure
        self.overdue = [ZERO] * size
        self.overdue_count = [0] * size

    def add(self, application: Application, index: int) -> None:
        """Count an application (signed as posted) in its column."""
        kind = application.kind
        if kind is ApplicationKind.CREDIT_NOTE:
            self.credited[index] -= application.amount
        elif kind is ApplicationKind.WRITE_OFF:
            self.written_off[index] -= application.amount
        else:
            self.collected[index] -= application.amount


class _Calendar:
    """Which bucket a day falls in: 0 before the first period, 1.. the periods, then `beyond`."""

    def __init__(self, chosen: list[Period]) -> None:
        self.start = chosen[0].first
        self.ends = [period.last for period in chosen]
        self.end = self.ends[-1]
        self.beyond = len(chosen) + 1
        self._cache: dict[datetime.date, int] = {}

    def index(self, day: datetime.date) -> int:
        """The bucket of `day`: a period's index holds the days up to its last one."""
        found = self._cache.get(day)
        if found is None:
            if day < self.start:
                found = 0
            elif day > self.end:
                found = self.beyond
            else:
                found = 1 + bisect_left(self.ends, day)
            self._cache[day] = found
        return found


def billed_collected(
    receivables: Receivables, kind: str, start: datetime.date, end: datetime.date,
    by: GroupBy | None = None,
) -> list[PeriodRow]:
    """Every period of `kind` holding a day from `start` through `end`, per currency used by `end`.

    Without `by` each period has a row for every currency the receivables use
    by `end`; with `by` only the groups' rows with a figure other than zero.
    Each row covers its whole period (the first one also the days before
    `start`), the last one up to `end`.
    """
    if start > end:
        return []
    chosen = periods(kind, start, end)
    chosen[-1] = chosen[-1]._replace(last=end)
    calendar = _Calendar(chosen)
    group_of = _grouping(receivables, by, end)
    series: dict[tuple[str | None, str], _Series] = {}

    def series_of(customer: str, currency: str) -> _Series:
        key = (group_of(customer), currency)
        found = series.get(key)
        if found is None:
            found = series[key] = _Series(calendar.beyond + 1)
        return found

    for invoice in receivables.invoices.values():
        _count_invoice(invoice, calendar, series_of)
    for application in receivables.unapplied:
        index = calendar.index(application.date)
        if index != calendar.beyond:
            series_of(application.customer, application.currency).add(application, index)
    return _rows(chosen, series, keep_silent=by is None)


def first_invoice_date(receivables: Receivables) -> datetime.date | None:
    """The date of the ledger's first invoice (the default `--from`); None without any."""
    return min((invoice.date for invoice in receivables.invoices.values()), default=None)


def _grouping(receivables: Receivables, by: GroupBy | None,
              end: datetime.date) -> Callable[[str], str | None]:
    """The group of a customer id: None, the id, or its collector on `end`.

    The collector in force on `end` holds for every period, so a customer handed
    to another collector moves with its whole history and each group's rows still tie.
    """
    if by is None:
        return lambda _customer: None
    if by == "customer":
        return lambda customer: customer
    collectors = {
        customer_id: customer.at(end).collector or NO_COLLECTOR
        for customer_id, customer in receivables.customers.items()
    }
    return lambda customer: collectors.get(customer, NO_COLLECTOR)


def _count_invoice(invoice: Invoice, calendar: _Calendar,
                   series_of: Callable[[str, str], _Series]) -> None:
    """An invoice's amount, its applications, and the stretches it is open and past due."""
    index = calendar.index(invoice.date)
    beyond = calendar.beyond
    figures = None
    # What is applied to an invoice is in its currency and on its customer's account:
    # anything else is an error, kept on no invoice (in `unapplied`).
    for application in invoice.applications:
        applied = calendar.index(application.date)
        if applied != beyond:
            figures = figures or series_of(invoice.customer, invoice.currency)
            figures.add(application, applied)
    if index == beyond:
        return
    figures = figures or series_of(invoice.customer, invoice.currency)
    figures.invoiced[index] += invoice.amount
    _count_stretches(invoice, calendar, figures)


def _count_stretches(invoice: Invoice, calendar: _Calendar, figures: _Series) -> None:
    """Mark each stretch of days the invoice has an open amount, and is past due with it.

    A stretch from day `a` up to (not including) day `b` holds the period ends
    of buckets `index(a)` to `index(b) - 1`: +1 at the first, -1 after the last.
    An invoice is past due from the day after its due date.
    """
    applications = invoice.applications
    count = len(applications)
    past_due = invoice.due + _ONE_DAY if invoice.due < datetime.date.max else None
    day = invoice.date
    open_amount = invoice.amount
    position = 0
    # A posting dated before its invoice (AR206) counts from the invoice's own day.
    while position < count and applications[position].date <= day:
        open_amount += applications[position].amount
        position += 1
    while day <= calendar.end:
        following = applications[position].date if position < count else None
        if open_amount:
            first = calendar.index(day)
            after = calendar.beyond if following is None else calendar.index(following)
            if first < after:
                figures.open_count[first] += 1
                figures.open_count[after] -= 1
                if past_due is not None:
                    due_index = first if past_due <= day else calendar.index(past_due)
                    if due_index < after:
                        figures.overdue_count[due_index] += 1
                        figures.overdue_count[after] -= 1
                        figures.overdue[due_index] += open_amount
                        figures.overdue[after] -= open_amount
        if following is None:
            return
        day = following
        while position < count and applications[position].date == day:
            open_amount += applications[position].amount
            position += 1


def _rows(chosen: list[Period], series: dict[tuple[str | None, str], _Series], *,
          keep_silent: bool) -> list[PeriodRow]:
    """The rows, period by period, each series' running sums carried along."""
    ordered = sorted(series.items(), key=lambda item: (item[0][0] or "", item[0][1]))
    state = [_opening(figures) for _, figures in ordered]
    rows: list[PeriodRow] = []
    for position, period in enumerate(chosen, start=1):
        for slot, ((group, currency), figures) in enumerate(ordered):
            opening, open_count, overdue, overdue_count = state[slot]
            invoiced, credited = figures.invoiced[position], figures.credited[position]
            collected, written_off = figures.collected[position], figures.written_off[position]
            closing = opening + invoiced - credited - collected - written_off
            open_count += figures.open_count[position]
            overdue += figures.overdue[position]
            overdue_count += figures.overdue_count[position]
            state[slot] = (closing, open_count, overdue, overdue_count)
            row = PeriodRow(period, group, currency, opening, invoiced, credited, collected,
                            written_off, closing, open_count, overdue, overdue_count)
            if keep_silent or not row.is_silent:
                rows.append(row)
    return rows


def _opening(figures: _Series) -> tuple[Decimal, int, Decimal, int]:
    """The open amount, counts and overdue on the day before the first period."""
    return (figures.invoiced[0] - figures.credited[0] - figures.collected[0]
            - figures.written_off[0], figures.open_count[0], figures.overdue[0],
            figures.overdue_count[0])

