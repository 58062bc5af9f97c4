"""Expected cash per ISO week: each open invoice on its due date plus its customer's lateness.

    rows = forecast(receivables, datetime.date(2026, 6, 30), weeks=12)
    rows[0]  # ForecastRow(week='2026-W27', currency='USD', expected=Decimal('1800.00'), invoices=1)
    result = backtest(receivables, datetime.date(2026, 3, 31), weeks=12,
                      until=datetime.date(2026, 6, 30))
    one_decimal(result.wape_model), one_decimal(result.wape_naive)  # ('18.4', '41.0')

AR-SPEC section 12. The invoices forecast on the as-of day D are those issued
on or before D with something open on D and not in collections (no
`ar-escalate` up to D). Each is expected on its due date plus its customer's
lateness (`Lateness`): in the week of that day among the `weeks` ISO weeks
starting with D's week; in the first week when that day is before D; `later`
when it is after the last week, or when the invoice is disputed on D.

**Settled by payment.** An invoice is settled by payment on day S, as of D, when
its open amount (what was billed plus everything applied to it up to D) is zero
on D and the application that last took it from above zero to zero, on S, was a
payment or on-account credit applied to it (`PAYMENT`, `CREDIT_APPLIED`). An
invoice closed by a credit note or a write-off is not settled by payment, even
if it was partly paid first; one paid in parts is settled on the day of the last
part; one a refund reopened is settled only when it is paid again. Its days
late are S minus its due date (negative when early).

Everything is read through the model's as-of views (`open_amount(D)`,
`is_disputed(D)`, `escalation(D)`, applications dated up to D), so a forecast as
of D from the whole ledger is the forecast from the entries dated up to D: a
backtest needs one model and no second load. Each invoice and each
application is visited a bounded number of times: linear in the ledger.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

from beancount_ar.core.model import ZERO, ApplicationKind
from beancount_ar.reports.aging import visible_invoices
from beancount_ar.reports.periods import period_of

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from decimal import Decimal

    from beancount_ar.core.model import Invoice, Receivables
    from beancount_ar.reports.periods import Period

LATER = "later"  # the row after the horizon's weeks
MIN_SETTLED = 3  # a customer's own lateness needs at least this many settled invoices
WINDOW = datetime.timedelta(days=365)
ONE_WEEK = datetime.timedelta(days=7)
# What settles an invoice "by payment", and what the backtest counts as cash applied
# (a refund or bounced payment, DEBIT, counts against it: it undoes cash).
SETTLING = frozenset({ApplicationKind.PAYMENT, ApplicationKind.CREDIT_APPLIED})
CASH = SETTLING | {ApplicationKind.DEBIT}


class ForecastRow(NamedTuple):
    """What is expected in one week (or `later`) in one currency, and from how many invoices."""

    week: str  # `2026-W27`, or `later`
    currency: str
    expected: Decimal
    invoices: int


class BacktestRow(NamedTuple):
    """A week of a backtest: the model's forecast, the naive one and the cash that came."""

    week: str
    currency: str
    expected: Decimal
    naive: Decimal  # every invoice paid on its due date
    actual: Decimal  # cash applied to the forecast invoices that week


@dataclass(frozen=True)
class Backtest:
    """A backtest's rows and its WAPE (Σ|actual - forecast| / Σ actual * 100) over the weeks.

    The WAPEs are exact (a Fraction, for `periods.one_decimal`); None when no
    cash came in the weeks shown (nothing to divide by). The `later` rows are
    left out of them. The overall figures add up amounts of every currency as
    they are (AR-SPEC's single line); `currencies` holds each currency's own
    (model, naive), which mean more when the ledger has several.
    """

    rows: list[BacktestRow]
    wape_model: Fraction | None
    wape_naive: Fraction | None
    currencies: Mapping[str, tuple[Fraction | None, Fraction | None]]


@dataclass(frozen=True)
class Lateness:
    """Days late expected of each invoice, learnt from what was settled by payment.

    `customers` holds the customers with at least `MIN_SETTLED` invoices settled
    by payment in the 365 days up to the as-of day (after as-of - 365, on or
    before as-of); `currencies` the same over all customers, per currency. Each
    is the amount-weighted average of days late, rounded half-up (half away
    from zero: 2.5 → 3, -2.5 → -3) to whole days. A customer's average weighs
    the amounts of all its invoices, whatever their currency.
    """

    customers: Mapping[str, int]
    currencies: Mapping[str, int]

    def days(self, invoice: Invoice) -> int:
        """The customer's lateness; else its currency's; else 0."""
        found = self.customers.get(invoice.customer)
        if found is None:
            found = self.currencies.get(invoice.currency, 0)
        return found


class _Average:
    """A running amount-weighted average of days late."""

    __slots__ = ("count", "weight", "weighted")

    def __init__(self) -> None:
        self.count = 0
        self.weight = ZERO
        self.weighted = ZERO

    def add(self, amount: Decimal, days: int) -> None:
        self.count += 1
        self.weight += amount
        self.weighted += amount * days

    def rounded(self) -> int:
        return round_half_up(Fraction(self.weighted) / Fraction(self.weight))


def round_half_up(value: Fraction) -> int:
    """`value` to a whole number, halves away from zero (as `Decimal`'s ROUND_HALF_UP)."""
    magnitude = int(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def settled_by_payment(invoice: Invoice, as_of: datetime.date) -> datetime.date | None:
    """The day `invoice` was settled by payment (see the module's docstring), as of `as_of`."""
    open_amount, settled = invoice.amount, None
    for application in invoice.applications:  # in date order
        if application.date > as_of:
            break
        before, open_amount = open_amount, open_amount + application.amount
        if before > 0 >= open_amount:
            settled = application.date if application.kind in SETTLING else None
        elif open_amount > 0:
            settled = None
    return settled if open_amount <= 0 else None


def lateness(receivables: Receivables, as_of: datetime.date) -> Lateness:
    """Each customer's and each currency's lateness on `as_of` (see `Lateness`)."""
    since = as_of - WINDOW
    customers: dict[str, _Average] = defaultdict(_Average)
    currencies: dict[str, _Average] = defaultdict(_Average)
    for invoice in visible_invoices(receivables, as_of):
        if not invoice.applications:
            continue
        settled = settled_by_payment(invoice, as_of)
        if settled is not None and settled > since:
            days = (settled - invoice.due).days
            customers[invoice.customer].add(invoice.amount, days)
            currencies[invoice.currency].add(invoice.amount, days)
    return Lateness(
        {c: a.rounded() for c, a in customers.items() if a.count >= MIN_SETTLED},
        {c: a.rounded() for c, a in currencies.items()})


def horizon_end(as_of: datetime.date, weeks: int) -> datetime.date:
    """The last day (a Sunday) of `weeks` ISO weeks from `as_of`'s; OverflowError past 9999."""
    monday = as_of - datetime.timedelta(days=as_of.weekday())
    return monday + datetime.timedelta(days=7 * weeks - 1)


class _Horizon:
    """The weeks forecast: `weeks` ISO weeks from the as-of day's, then `later`."""

    def __init__(self, as_of: datetime.date, weeks: int) -> None:
        self.as_of = as_of
        self.last = horizon_end(as_of, weeks)
        self.weeks: list[Period] = [period_of("week", as_of)]
        while len(self.weeks) < weeks:
            self.weeks.append(period_of("week", self.weeks[-1].first + ONE_WEEK))
        self.labels = [week.label for week in self.weeks]

    def label(self, day: datetime.date) -> str:
        """The row of a day: the first week before the as-of day, `later` after the last."""
        if day < self.as_of:
            return self.labels[0]
        if day > self.last:
            return LATER
        return period_of("week", day).label

    def expected_label(self, due: datetime.date, days: int) -> str:
        """The row of an invoice due on `due` and expected `days` after it."""
        try:
            return self.label(due + datetime.timedelta(days=days))
        except OverflowError:  # past 9999-12-31 (or before year 1)
            return LATER if days > 0 else self.labels[0]


class _Expectation(NamedTuple):
    invoice: Invoice
    open: Decimal
    label: str  # by the model
    naive: str  # on its due date


def _expectations(receivables: Receivables, horizon: _Horizon,
                  learnt: Lateness) -> list[_Expectation]:
    """The invoices forecast on the horizon's as-of day, each with its rows."""
    as_of = horizon.as_of
    found = []
    for invoice in visible_invoices(receivables, as_of):
        open_amount = invoice.open_amount(as_of)
        if open_amount <= 0 or invoice.escalation(as_of) is not None:
            continue
        naive = horizon.expected_label(invoice.due, 0)
        label = LATER if invoice.is_disputed(as_of) else horizon.expected_label(
            invoice.due, learnt.days(invoice))
        found.append(_Expectation(invoice, open_amount, label, naive))
    return found


def _grid(horizon: _Horizon, currencies: Iterable[str]) -> list[tuple[str, str]]:
    """Every (week, currency) of the horizon, then `later` per currency, in order."""
    ordered = sorted(set(currencies))
    return [(week, currency) for week in [*horizon.labels, LATER] for currency in ordered]


def forecast(receivables: Receivables, as_of: datetime.date, weeks: int = 12,
             learnt: Lateness | None = None) -> list[ForecastRow]:
    """Rows by week then currency, zeros included; they sum to the open amounts forecast.

    `learnt` is the lateness to apply (default: learnt as of `as_of`).
    """
    horizon = _Horizon(as_of, weeks)
    found = _expectations(receivables, horizon, learnt or lateness(receivables, as_of))
    amounts: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for expectation in found:
        key = (expectation.label, expectation.invoice.currency)
        amounts[key] += expectation.open
        counts[key] += 1
    return [ForecastRow(week, currency, amounts[week, currency], counts[week, currency])
            for week, currency in _grid(horizon, (e.invoice.currency for e in found))]


def backtest(receivables: Receivables, date: datetime.date, weeks: int,
             until: datetime.date) -> Backtest:
    """The forecast as of `date` beside the naive one and the cash applied through `until`.

    Actual cash is what was applied to the forecast invoices after `date`, on or
    before `until`, by payment or on-account credit, less refunds: in the week it
    was applied, `later` after the last week.
    """
    horizon = _Horizon(date, weeks)
    found = _expectations(receivables, horizon, lateness(receivables, date))
    model: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    naive: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    actual: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for expectation in found:
        currency = expectation.invoice.currency
        model[expectation.label, currency] += expectation.open
        naive[expectation.naive, currency] += expectation.open
        for application in expectation.invoice.applications:
            if date < application.date <= until and application.kind in CASH:
                actual[horizon.label(application.date), currency] -= application.amount
    rows = [BacktestRow(week, currency, model[week, currency], naive[week, currency],
                        actual[week, currency])
            for week, currency in _grid(horizon, (e.invoice.currency for e in found))]
    weekly = [row for row in rows if row.week != LATER]
    currencies = {
        currency: (wape(same, naive=False), wape(same, naive=True))
        for currency in sorted({row.currency for row in weekly})
        for same in [[row for row in weekly if row.currency == currency]]}
    return Backtest(rows, wape(weekly, naive=False), wape(weekly, naive=True), currencies)


def wape(rows: Iterable[BacktestRow], *, naive: bool) -> Fraction | None:
    """Σ|actual - forecast| / Σ actual * 100, exactly; None when no cash came."""
    error = total = ZERO
    for row in rows:
        error += abs(row.actual - (row.naive if naive else row.expected))
        total += row.actual
    if total == 0:
        return None
    return Fraction(error) / Fraction(total) * 100
