"""Recurring contracts: what to bill a customer every period, and which periods are billed.

    2026-01-01 custom "ar-contract" "acme-support"
      customer: "acme"
      every: "month"                 ; day | week | month | quarter | year
      amount: 1500.00 USD
      account: Income:Support
      description: "Support retainer"
      until: 2026-12-31              ; optional

The k-th period starts k x `every` after the directive's date, counted from
that date each time (never from the period before), so a contract from Jan 31
bills Feb 28, Mar 31, Apr 30. An invoice bills a period through its metadata
`contract: "acme-support"` and `period: 2026-06-01`. A bad directive is AR013
at it (the contract is left out); a second invoice for one period is AR014 at
the second one. One directive per contract id: a second one is AR013 too.
`description` (the invoices' narration) is optional: the contract id stands in.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from beancount_ar.core.customers import customer_id, source
from beancount_ar.core.directives import as_written
from beancount_ar.core.errors import ARError, ar_error

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from beancount.core.data import Custom, Transaction

    from beancount_ar.core.model import Customer, Source

CONTRACT_DIRECTIVE = "ar-contract"
EVERY = ("day", "week", "month", "quarter", "year")
_STEP = {"day": relativedelta(days=1), "week": relativedelta(weeks=1),
         "month": relativedelta(months=1), "quarter": relativedelta(months=3),
         "year": relativedelta(years=1)}
_ACCOUNT = re.compile(r"[A-Z][A-Za-z0-9\-]*(?::[A-Z0-9][A-Za-z0-9\-]*)+")
_HOW = ('write it as custom "ar-contract" "<id>" with customer:, every:, amount: and '
        "account: metadata")


@dataclass(frozen=True)
class Contract:
    """A recurring contract: `amount` to `account`, billed to `customer` each period."""

    id: str
    date: datetime.date  # the first period's start
    customer: str
    every: str  # day | week | month | quarter | year
    amount: Decimal
    currency: str
    account: str
    description: str
    until: datetime.date | None
    source: Source

    def period(self, k: int) -> datetime.date:
        """The start of the k-th period (k = 0 is the directive's date), month ends clamped."""
        return self.date + _STEP[self.every] * k

    def periods(self, through: datetime.date) -> Iterator[datetime.date]:
        """Each period's start up to `through` and `until` (a period starting then is whole)."""
        last = through if self.until is None else min(through, self.until)
        k = 0
        while (start := self.period(k)) <= last:
            yield start
            k += 1


class ContractBook:
    """Collects `ar-contract` directives; read once the customers are known."""

    def __init__(self) -> None:
        """No contracts yet."""
        self.entries: list[Custom] = []
        self.errors: list[ARError] = []

    def add(self, entry: Custom) -> None:
        """Keep one directive for `contracts`."""
        self.entries.append(entry)

    def contracts(self, customers: Mapping[str, Customer]) -> dict[str, Contract]:
        """The valid contracts by id; AR013 for each directive that is not."""
        found: dict[str, Contract] = {}
        for entry in self.entries:
            cid = customer_id(entry)
            if cid is None:
                self._error(entry, f"ar-contract at {entry.date} has no contract id; {_HOW}")
                continue
            if cid in found:
                self._error(entry, f'contract "{cid}" is already defined at line '
                            f"{found[cid].source.lineno}; give each contract its own id")
                continue
            contract = self._contract(entry, cid, customers)
            if contract is not None:
                found[cid] = contract
        return found

    def _error(self, entry: Custom, message: str) -> None:
        self.errors.append(ar_error("AR013", entry.meta, message, entry))

    def _contract(
        self, entry: Custom, cid: str, customers: Mapping[str, Customer]
    ) -> Contract | None:
        meta = entry.meta
        problems = _problems(meta, entry.date, customers)
        for problem in problems:
            self._error(entry, f'contract "{cid}" {problem}')
        if problems:
            return None
        amount = meta["amount"]
        return Contract(cid, entry.date, meta["customer"], meta["every"], amount.number,
                        amount.currency, meta["account"], str(meta.get("description", cid)),
                        meta.get("until"), source(meta))


def _problems(
    meta: Mapping[str, Any], date: datetime.date, customers: Mapping[str, Customer]
) -> list[str]:
    problems = []
    customer = meta.get("customer")
    if not isinstance(customer, str) or customer not in customers:
        problems.append(f"names {'no customer' if customer is None else 'unknown customer '}"
                        f"{'' if customer is None else as_written(customer)}; write "
                        'customer: "<id>" with the id of an ar-customer directive')
    if meta.get("every") not in EVERY:
        problems.append(f"has every {as_written(meta.get('every'))}; write every: "
                        f'"{EVERY[0]}", "' + '", "'.join(EVERY[1:]) + '"')
    amount = meta.get("amount")
    number = getattr(amount, "number", None)
    if not (isinstance(number, Decimal) and isinstance(getattr(amount, "currency", None), str)
            and number > 0):
        problems.append(f"has amount {as_written(amount)}; write a positive amount such as "
                        "1500.00 USD")
    account = meta.get("account")
    if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        problems.append(f"has account {as_written(account)}; write an income account such "
                        "as Income:Support")
    until = meta.get("until")
    if until is not None and (not isinstance(until, datetime.date) or until < date):
        problems.append(f"has until {as_written(until)}; write a date on or after {date}, "
                        "or leave it out")
    if "description" in meta and not isinstance(meta["description"], str):
        problems.append(f"has description {as_written(meta['description'])}; write it in "
                        "double quotes")
    return problems


def billed_period(entry: Transaction) -> tuple[str, datetime.date] | None:
    """The contract and period an invoice transaction bills, from its metadata; else None."""
    meta = entry.meta
    contract, period = meta.get("contract"), meta.get("period")
    if isinstance(period, str):
        try:
            period = datetime.date.fromisoformat(period)
        except ValueError:
            return None
    if isinstance(contract, str) and isinstance(period, datetime.date):
        return contract, period
    return None


class PeriodBook:
    """The contract periods billed so far, by the first invoice for each; AR014 for the next."""

    def __init__(self) -> None:
        """Nothing billed yet."""
        self.billed: dict[tuple[str, datetime.date], str] = {}
        self.errors: list[ARError] = []

    def add(self, entry: Transaction, number: str) -> None:
        """Note the period invoice `number` (transaction `entry`) bills, if it bills one."""
        key = billed_period(entry)
        if key is None:
            return
        first = self.billed.setdefault(key, number)
        if first != number:
            self.errors.append(ar_error(
                "AR014", entry.meta, f'invoice {number} bills contract "{key[0]}" period '
                f"{key[1]}, which invoice {first} bills already; remove one, or issue a "
                "credit note for it and drop its contract: and period:", entry))
