"""Receivables KPIs on a date (AR-SPEC section 12): the DSO family, CEI, days to pay and late.

    rows = kpi(receivables, datetime.date(2026, 6, 30), months=3, by="collector")
    [(r.scope, r.currency, one_decimal(r.countback_dso)) for r in rows]  # [('jana', 'USD', '74.7')]
    kpi(receivables, datetime.date(2026, 6, 30), trend=12)  # the same at each of 12 month ends
    collectors(receivables, datetime.date(2026, 6, 30), months=1)  # the supervisor's review

Every figure is exact (a `Fraction`) until `periods.one_decimal` prints it; a
figure with nothing to divide by is None. Scopes are `all`, a customer id, or
the collector in force on the as-of day (`-` for none); as in `collections`,
that collector holds for every row of a trend, so a customer handed over moves
with its history.

Linear in invoices plus applications: the days the report reads (each as-of
day, the day before its period and the day before its month) are known first,
so every posting is added once, to the bucket of the first of those days on or
after it; running sums over the buckets give each figure on each day. Sales
per calendar month, which the countback walks back through, are summed in the
same pass.
"""

from __future__ import annotations

import datetime
import itertools
from bisect import bisect_left
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, NamedTuple

from beancount_ar.core.model import ZERO, ApplicationKind, EventKind
from beancount_ar.reports.periods import Period, months_ending

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from decimal import Decimal

    from beancount_ar.core.model import Application, Invoice, Receivables

By = Literal["customer", "collector"]
ALL = "all"  # the scope of every customer together
NO_COLLECTOR = "-"  # the scope of customers without a collector, as in `bean-ar collections`
_ONE_DAY = datetime.timedelta(days=1)
_SETTLING = (ApplicationKind.PAYMENT, ApplicationKind.CREDIT_APPLIED)
_NOT_CASH = (ApplicationKind.CREDIT_NOTE, ApplicationKind.WRITE_OFF)
_SUMMED = ("balance", "current", "sales", "collected", "weight", "to_pay", "late", "letters")


class KpiRow(NamedTuple):
    """One scope and currency on one day: the inputs (amounts) and the figures (exact)."""

    day: datetime.date  # the as-of day of the figures
    period: Period  # the months the flows are taken over, through `day`
    scope: str
    currency: str
    opening: Decimal  # B: the receivables on the day before the period
    receivables: Decimal  # E: the aging total on `day`
    current: Decimal  # C: the aging's `current` (not yet due) on `day`
    sales: Decimal  # S: invoiced less credited in the period
    collected: Decimal  # cash in the period, as `bean-ar collections` counts it
    letters: int  # `ar-dunning` letters dated in the period (counted for `collectors` only)
    dso: Fraction | None
    countback_dso: Fraction | None
    best_possible_dso: Fraction | None
    average_days_delinquent: Fraction | None
    cei: Fraction | None
    average_days_to_pay: Fraction | None
    average_days_late: Fraction | None


class CollectorRow(NamedTuple):
    """A collector's KPIs in one currency, with the standing of their customers' invoices."""

    kpi: KpiRow
    open_count: int  # invoices with an open amount on the as-of day
    overdue: Decimal  # their open amounts past due, whatever their status
    overdue_count: int


def kpi(receivables: Receivables, as_of: datetime.date, months: int = 3,
        by: By | None = None, trend: int | None = None) -> list[KpiRow]:
    """One row per scope and currency with receivables or sales, sorted by scope, currency.

    With `trend`, the same for the end of each of the last `trend` months (the
    as-of month's end being the as-of day), month after month.
    """
    days = trend_days(as_of, trend) if trend else [as_of]
    book = _Book(receivables, days, months, _scope_of(receivables, by, as_of), letters=False)
    return [row for day in days for row, _ in book.rows(day) if row.receivables or row.sales]


def collectors(receivables: Receivables, as_of: datetime.date,
               months: int = 1) -> list[CollectorRow]:
    """Per collector and currency with any figure other than zero, sorted by collector."""
    book = _Book(receivables, [as_of], months, _scope_of(receivables, "collector", as_of),
                 letters=True)
    rows = [CollectorRow(row, s.open_count, s.overdue, s.overdue_count)
            for row, s in book.rows(as_of)]
    return [r for r in rows if r.open_count or r.overdue or r.kpi.receivables or r.kpi.sales
            or r.kpi.collected or r.kpi.letters]


def trend_days(as_of: datetime.date, count: int) -> list[datetime.date]:
    """The last day of each of the `count` months ending with as-of's, that one as-of itself."""
    month = _month(as_of)
    return [*(_first_of(month - back + 1) - _ONE_DAY for back in range(count - 1, 0, -1)),
            as_of]


def _first_of(month: int) -> datetime.date:
    """The first day of a month numbered as `_month` numbers it."""
    year, month_of_year = divmod(month, 12)
    return datetime.date(year, month_of_year + 1, 1)


def _scope_of(receivables: Receivables, by: By | None,
              as_of: datetime.date) -> Callable[[str], str]:
    """The scope of a customer id: `all`, the id, or its collector on `as_of`."""
    if by is None:
        return lambda _customer: ALL
    if by == "customer":
        return lambda customer: customer
    found = {customer_id: customer.at(as_of).collector or NO_COLLECTOR
             for customer_id, customer in receivables.customers.items()}
    return lambda customer: found.get(customer, NO_COLLECTOR)


def _month(day: datetime.date) -> int:
    """A month as one number, so that the month before is one less."""
    return day.year * 12 + day.month - 1


class _Calendar:
    """The days the report reads, in order; a posting goes to the first of them on or after it."""

    def __init__(self, days: Iterable[datetime.date]) -> None:
        self.days = sorted(set(days))
        self.position = {day: index for index, day in enumerate(self.days)}
        self.beyond = len(self.days)  # the bucket of what happened after the last day
        self._cache: dict[datetime.date, int] = {}

    def index(self, day: datetime.date) -> int:
        """The bucket of `day`: the first day read on or after it (`beyond` past the last)."""
        found = self._cache.get(day)
        if found is None:
            found = self._cache[day] = bisect_left(self.days, day)
        return found


class _Series:
    """One scope and currency: what each posting adds, in the bucket of its day.

    `current` holds differences (what becomes not yet due, then what falls due),
    the other lists amounts; the running sums are the figures on each day read.
    """

    __slots__ = ("_running", "balance", "collected", "current", "first_month", "late", "letters",
                 "months", "open_count", "overdue", "overdue_count", "resettled", "sales",
                 "to_pay", "weight")

    def __init__(self, size: int) -> None:
        self.balance, self.current = [ZERO] * size, [ZERO] * size
        self.sales, self.collected = [ZERO] * size, [ZERO] * size
        # Amounts of the invoices settled, and times their days to pay and days late.
        self.weight, self.to_pay, self.late = [ZERO] * size, [ZERO] * size, [ZERO] * size
        self.letters = [ZERO] * size
        self.months: dict[int, Decimal] = {}  # sales per calendar month (`_month`)
        self.first_month: int | None = None
        # Invoices settled more than once (paid, reopened by a debit, paid again):
        # (amount, date, due, settlement days); a period counts the last of its days.
        self.resettled: list[tuple[Decimal, datetime.date, datetime.date,
                                   list[datetime.date]]] = []
        self.open_count, self.overdue, self.overdue_count = 0, ZERO, 0  # on the last day
        self._running: dict[str, list[Decimal]] | None = None

    def sell(self, day: datetime.date, index: int, amount: Decimal) -> None:
        """Sales (negative for a credit note) on `day`."""
        self.sales[index] += amount
        month = _month(day)
        self.months[month] = self.months.get(month, ZERO) + amount

    def apply(self, application: Application, index: int) -> None:
        """An application's amount in the receivables, and in the sales or the cash."""
        amount = application.amount
        self.balance[index] += amount
        kind = application.kind
        if kind is ApplicationKind.CREDIT_NOTE:
            self.sell(application.date, index, amount)
        elif kind not in _NOT_CASH:
            self.collected[index] -= amount

    def running(self) -> dict[str, list[Decimal]]:
        """Each list's running sums: the figures on each day read (made once)."""
        if self._running is None:
            self._running = {name: list(itertools.accumulate(getattr(self, name)))
                             for name in _SUMMED}
        return self._running

    def not_due(self, start: int, falls_due: int, amount: Decimal) -> None:
        """`amount` not yet due from bucket `start` until bucket `falls_due`."""
        if start < falls_due:
            self.current[start] += amount
            self.current[falls_due] -= amount

    def stand(self, open_amount: Decimal, *, overdue: bool) -> None:
        """An invoice's open amount on the last day read, and whether it is past due then."""
        if open_amount:
            self.open_count += 1
            if overdue:
                self.overdue += open_amount
                self.overdue_count += 1

    def settle(self, amount: Decimal, date: datetime.date, due: datetime.date,
               settled: list[datetime.date], index: Callable[[datetime.date], int]) -> None:
        """An invoice of `amount` settled on the `settled` days, weighted by its amount."""
        if len(settled) > 1:
            self.resettled.append((amount, date, due, settled))
            return
        day = settled[0]
        at = index(day)
        self.weight[at] += amount
        self.to_pay[at] += amount * (day - date).days
        self.late[at] += amount * (day - due).days


class _Book:
    """Every scope's series on the report's days, built in one pass over the model."""

    def __init__(self, receivables: Receivables, days: list[datetime.date], months: int,
                 scope_of: Callable[[str], str], *, letters: bool) -> None:
        self.months = months
        read = [d for day in days for d in (day, months_ending(day, months).first - _ONE_DAY,
                                            day.replace(day=1) - _ONE_DAY)]
        self.calendar = _Calendar(read)
        self.series: dict[tuple[str, str], _Series] = {}
        by_customer: dict[tuple[str, str], _Series] = {}

        def series_of(customer: str, currency: str) -> _Series:
            found = by_customer.get((customer, currency))
            if found is None:
                key = (scope_of(customer), currency)
                found = self.series.get(key)
                if found is None:
                    found = self.series[key] = _Series(self.calendar.beyond + 1)
                by_customer[customer, currency] = found
            return found

        for invoice in receivables.invoices.values():
            self._add_invoice(invoice, series_of(invoice.customer, invoice.currency),
                              letters=letters)
        index, beyond = self.calendar.index, self.calendar.beyond
        for application in receivables.unapplied:
            at = index(application.date)
            if at != beyond:
                series_of(application.customer, application.currency).apply(application, at)
        for series in self.series.values():
            series.first_month = min(series.months, default=None)

    def _add_invoice(self, invoice: Invoice, series: _Series, *, letters: bool) -> None:
        """An invoice: its amount, its applications, its standing, settlement and letters."""
        issue, applications, events = invoice
        index, beyond = self.calendar.index, self.calendar.beyond
        date, due, amount = issue.date, issue.due, issue.amount
        issued = index(date)
        # Not yet due from its date through its due day: marks on and after those days.
        falls_due = index(due + _ONE_DAY) if due < datetime.date.max else beyond
        if issued != beyond:
            series.balance[issued] += amount
            series.sell(date, issued, amount)
            series.not_due(issued, falls_due, amount)
        open_amount, settled = self._apply(series, applications, amount, issued, falls_due)
        if issued == beyond:
            return
        series.stand(open_amount, overdue=due < self.calendar.days[-1])
        if settled:
            series.settle(amount, date, due, settled, index)
        if letters:
            for event in events:
                if event.kind is EventKind.DUNNING and (at := index(event.date)) != beyond:
                    series.letters[at] += 1

    def _apply(self, series: _Series, applications: tuple[Application, ...], amount: Decimal,
               issued: int, falls_due: int) -> tuple[Decimal, list[datetime.date]]:
        """An invoice's applications: its open amount on the last day, and the days it settled.

        It settles on a day a payment or applied credit takes its open amount to
        zero, and that day ends with nothing open.
        """
        index, beyond = self.calendar.index, self.calendar.beyond
        open_amount = amount
        settled: list[datetime.date] = []
        for application in applications:
            at = index(application.date)
            if at == beyond:
                break  # in date order: the rest is after the last day read
            series.apply(application, at)
            # One dated before its invoice (AR206) counts from the invoice's day.
            series.not_due(max(at, issued), falls_due, application.amount)
            before = open_amount
            open_amount += application.amount
            if before > 0 >= open_amount:
                if application.kind in _SETTLING:
                    settled.append(application.date)
            elif open_amount > 0 and settled and settled[-1] == application.date:
                settled.pop()  # reopened the same day: it did not end the day settled
        return open_amount, settled

    def rows(self, day: datetime.date) -> list[tuple[KpiRow, _Series]]:
        """Every series' figures on `day` (a day read), sorted by scope, then currency."""
        period = months_ending(day, self.months)
        position = self.calendar.position
        at = _At(day, period, self.months, position[day], position[period.first - _ONE_DAY],
                 position[day.replace(day=1) - _ONE_DAY])
        return [(_figures(series, scope, currency, at), series)
                for (scope, currency), series in sorted(self.series.items())]


class _At(NamedTuple):
    """A day the figures are taken on, its period, and where they stand among the days read."""

    day: datetime.date
    period: Period
    months: int
    now: int  # the day's bucket
    before: int  # the bucket of the day before the period
    month_before: int  # the bucket of the day before the day's month


def _figures(series: _Series, scope: str, currency: str, at: _At) -> KpiRow:
    """The row of one series on `at.day`, over the months of `at.period`."""
    sums = series.running()
    now, before = at.now, at.before
    balance, sales = sums["balance"], sums["sales"]
    opening, receivables, not_due = balance[before], balance[now], sums["current"][now]
    sold = sales[now] - sales[before]
    days, months = at.period.days, at.months
    weight, to_pay, late = (sums[name][now] - sums[name][before]
                            for name in ("weight", "to_pay", "late"))
    for amount, date, due, settled in series.resettled:
        last = next((d for d in reversed(settled) if d <= at.day), None)
        if last is not None and last >= at.period.first:
            weight += amount
            to_pay += amount * (last - date).days
            late += amount * (last - due).days
    # CEI's B + S/N - E over B + S/N - C, both times N.
    collectible = months * opening + sold
    return KpiRow(
        at.day, at.period, scope, currency, opening, receivables, not_due, sold,
        sums["collected"][now] - sums["collected"][before],
        int(sums["letters"][now] - sums["letters"][before]),
        dso=_ratio(receivables, sold, days),
        countback_dso=_countback(receivables, at.day, sales[now] - sales[at.month_before],
                                 series),
        best_possible_dso=_ratio(not_due, sold, days),
        # What is past due (and unapplied credit) over sales: dso - best, computed apart.
        average_days_delinquent=_ratio(receivables - not_due, sold, days),
        cei=_ratio(collectible - months * receivables, collectible - months * not_due, 100),
        average_days_to_pay=_ratio(to_pay, weight),
        average_days_late=_ratio(late, weight))


def _ratio(numerator: Decimal, denominator: Decimal, times: int = 1,
           plus: int = 0) -> Fraction | None:
    """`numerator / denominator * times + plus`, exactly; None when the denominator is 0.

    Decimal sums of amounts are exact; one Fraction is made, from whole numbers.
    """
    if not denominator:
        return None
    a, b = numerator.as_integer_ratio()
    c, d = denominator.as_integer_ratio()
    return Fraction(a * d * times + plus * b * c, b * c)


def _countback(receivables: Decimal, day: datetime.date, this_month: Decimal,
               series: _Series) -> Fraction | None:
    """Days of sales, month by month back from `day`'s, that the receivables amount to.

    None when the receivables exceed every sale before them (the walk would
    never end); 0 when nothing is owed.
    """
    left, total = receivables, 0
    month, sales, length = _month(day), this_month, day.day
    while left > 0:
        if series.first_month is None or month < series.first_month:
            return None
        if left < sales:
            return _ratio(left, sales, length, total)
        left -= sales
        total += length
        month -= 1
        sales = series.months.get(month, ZERO)
        length = (_first_of(month + 1) - _first_of(month)).days
    return Fraction(total)
