"""Statutory interest and compensation on a late invoice (AR-SPEC section 11).

    claim = claim_on(invoice, policy.interest, receivables.rates, as_of, places=2)
    claim.interest, claim.compensation, claim.settled, claim.days_late

The delay begins the day after the due date. Each day from then through the
as-of date, or through the day the invoice was settled if earlier (that day
counts), accrues `open * rate / 100 / 365` on the amount open at the start of
the day (after every application dated before it): simple interest,
actual/365, summed exactly and rounded half-up once. Disputed days count.

| rule | rate for a day of delay |
|---|---|
| `cz` | 8 + the CZ rate in force on the first day of the half-year the delay began in |
| `eu` | 8 + the EU rate in force on 1 January / 1 July of the day's own half-year |
| `uk` | 8 + the UK rate in force on 31 December / 30 June before the delay's half-year |
| `9.5%` | 9.5 |

A day whose reference rate is missing (before the series' first rate) accrues
nothing; the load reports it (AR012, `missing_rate_errors`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import TYPE_CHECKING, NamedTuple

from beancount_ar.core.errors import ARError, ar_error
from beancount_ar.core.model import ZERO

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from beancount_ar.core.model import Customer, Invoice, IssuedInvoice
    from beancount_ar.core.policies import Interest, Policy
    from beancount_ar.core.rates import RateTable

MARGIN = Decimal(8)  # percentage points over the reference rate
DAYS_A_YEAR = 365
ONE_DAY = datetime.timedelta(days=1)
_COMPENSATION = {  # rule -> currency -> the fixed sum per late invoice
    "cz": {"CZK": Decimal(1200), "EUR": Decimal(40)},
    "eu": {"EUR": Decimal(40)},
}
_UK_TIERS = ((Decimal("1000.00"), Decimal(40)), (Decimal("10000.00"), Decimal(70)))
_UK_TOP = Decimal(100)


class Claim(NamedTuple):
    """What a late invoice owes beyond its open amount on a date."""

    days_late: int  # from the due date to `settled` or the as-of date
    settled: datetime.date | None  # the day its open amount reached zero; None while open
    interest: Decimal  # rounded once, to the currency's precision
    compensation: Decimal
    missing: datetime.date | None  # the first reference day with no rate (AR012)
    stale: tuple[tuple[str, datetime.date], ...]  # (series, day last checked) read past


def half_year_start(day: datetime.date) -> datetime.date:
    """1 January or 1 July of `day`'s half-year."""
    return datetime.date(day.year, 1 if day.month <= 6 else 7, 1)  # noqa: PLR2004


def reference_day(kind: str, delay_start: datetime.date, day: datetime.date) -> datetime.date:
    """The day whose reference rate sets the rate of `day` of a delay begun on `delay_start`."""
    if kind == "eu":
        return half_year_start(day)
    if kind == "uk":
        return half_year_start(delay_start) - ONE_DAY
    return half_year_start(delay_start)


def settled_on(invoice: Invoice, as_of: datetime.date) -> datetime.date | None:
    """The day the open amount last reached zero, if nothing is open on `as_of`."""
    open_amount, settled = invoice.amount, None
    for application in invoice.applications:
        if application.date > as_of:
            break
        before, open_amount = open_amount, open_amount + application.amount
        if before > 0 >= open_amount:
            settled = application.date
        elif open_amount > 0:
            settled = None
    return settled if open_amount <= 0 else None


def compensation(kind: str, amount: Decimal, currency: str) -> Decimal:
    """The fixed compensation per late invoice under rule `kind`, in the invoice's currency."""
    if kind == "uk":
        if currency != "GBP":
            return ZERO
        return next((fee for limit, fee in _UK_TIERS if amount < limit), _UK_TOP)
    return _COMPENSATION.get(kind, {}).get(currency, ZERO)


def claim_on(invoice: Invoice, interest: Interest, rates: RateTable, as_of: datetime.date,
             places: int = 2) -> Claim:
    """Interest (at `places` decimals) and compensation on `invoice` as of `as_of`."""
    settled = settled_on(invoice, as_of)
    end = settled if settled is not None else as_of
    days_late = max(0, (end - invoice.due).days)
    if days_late == 0 or interest.kind == "none":
        return Claim(days_late, settled, ZERO, ZERO, None, ())
    total, missing, stale = _accrue(invoice, interest, rates, end)
    amount = _round_half_up(Fraction(total) / (100 * DAYS_A_YEAR), places)
    return Claim(days_late, settled, amount,
                 compensation(interest.kind, invoice.amount, invoice.currency), missing, stale)


def _accrue(invoice: Invoice, interest: Interest, rates: RateTable, end: datetime.date,
            ) -> tuple[Decimal, datetime.date | None, tuple[tuple[str, datetime.date], ...]]:
    """The sum of open * rate over the delay's days, exactly; the first missing day; stale."""
    start = invoice.due + ONE_DAY
    # The open amount changes on the day after an application; the eu rate each half-year.
    changes = {a.date + ONE_DAY for a in invoice.applications if start < a.date + ONE_DAY <= end}
    if interest.kind == "eu":
        year = start.year
        while datetime.date(year, 1, 1) <= end:
            changes |= {d for d in (datetime.date(year, 1, 1), datetime.date(year, 7, 1))
                        if start < d <= end}
            year += 1
    total, missing, stale = ZERO, None, set()
    days = [start, *sorted(changes), end + ONE_DAY]
    for first, following in zip(days, days[1:], strict=False):  # noqa: RUF007
        open_amount = invoice.open_amount(first - ONE_DAY)
        if open_amount <= 0:
            continue
        rate = interest.rate
        if interest.series is not None:
            day = reference_day(interest.kind, start, first)
            reference = rates.rate_on(interest.series, day)
            checked = rates.stale_after(interest.series, day)
            if checked is not None:
                stale.add((interest.series, checked))
            if reference is None:
                missing = missing or day
                continue
            rate = MARGIN + reference
        if rate is not None:
            total += open_amount * rate * (following - first).days
    return total, missing, tuple(sorted(stale))


def _round_half_up(value: Fraction, places: int) -> Decimal:
    """`value` rounded half away from zero to `places` decimals, from the exact fraction."""
    scaled = value * 10 ** places
    units = floor(scaled + Fraction(1, 2)) if scaled >= 0 else -floor(-scaled + Fraction(1, 2))
    return Decimal(units).scaleb(-places)


def missing_rate_errors(
    late: Iterable[IssuedInvoice], *, customers: Mapping[str, Customer],
    policies: Mapping[str, Policy], rates: RateTable,
) -> list[ARError]:
    """AR012 at each policy whose statutory interest needs a rate no table has.

    The load checks the invoices that run late (`late`: not settled by their
    due date, or still open), so an invoice paid on time never reports. Each
    policy version that could apply from the first day of the delay on (that
    version and every later one, of every policy the customer names from then
    on) needs the rate of its rule's reference day for that first day; later
    days' reference days come later, and a series has a rate from its first on.
    One error per policy version and series, naming the earliest missing day.
    """
    from beancount_ar.core.policies import CUSTOMER_KEY, NO_DUNNING, STANDARD  # noqa: PLC0415

    found: dict[tuple[str, int, str], tuple[datetime.date, list[str], object]] = {}
    for invoice in late:
        start = invoice.due + ONE_DAY
        customer = customers.get(invoice.customer)
        names = {STANDARD}
        if customer is not None:
            names = {v.details.get(CUSTOMER_KEY, STANDARD) for v in customer.versions
                     if v.date > start} | {customer.at(start).details.get(CUSTOMER_KEY, STANDARD)}
        for name in sorted(names - {NO_DUNNING}):
            policy = policies.get(name)
            if policy is None:
                continue
            current = policy.at(start)
            for version in (current, *(v for v in policy.versions
                                       if v.date is not None and v.date > start)):
                series = version.interest.series
                if series is None or version.source is None:
                    continue
                day = reference_day(version.interest.kind, start, start)
                if rates.rate_on(series, day) is not None:
                    continue
                key = (name, version.source.lineno, series)
                earliest, numbers, where = found.get(key, (day, [], version.source))
                found[key] = (min(earliest, day), [*numbers, invoice.number], where)
    errors = []
    for (name, _, series), (day, numbers, where) in sorted(found.items()):
        others = f" and {len(numbers) - 1} more" if len(numbers) > 1 else ""
        errors.append(ar_error(
            "AR012", {"filename": getattr(where, "filename", "<unknown>"),
                      "lineno": getattr(where, "lineno", 0)},
            f'ar-dunning-policy "{name}" claims interest with the {series} reference rate, '
            f"but no {series} rate is in force on {day}, which the delay of "
            f'{numbers[0]}{others} needs; add a custom "ar-rate" "{series}" directive '
            f"dated on or before {day} with the rate then in force"))
    return errors
