"""What `bean-ar bill` appends: one invoice per contract period due and not yet billed.

    2026-01-01 custom "ar-contract" "acme-support"
      customer: "acme"
      every: "month"
      amount: 1500.00 USD
      account: Income:Support
      description: "Support retainer"

billed through 2026-02-15 (and nothing billed yet) plans

    2026-01-01 * "Acme Corp" "Support retainer" ^INV-2026-0001 #invoice
      contract: "acme-support"
      period: 2026-01-01
      Assets:Receivable:Acme   1500.00 USD
      Income:Support          -1500.00 USD

and INV-2026-0002 for 2026-02-01. No `terms:` is written: the plugins give
every invoice the customer's terms in force on its date (AR-SPEC 3), and an
invoice `terms` would be an override that hides the customer's own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from beancount.core.data import Close, Open

from beancount_ar.core.ledger_text import quoted
from beancount_ar.core.numbering import number_regex

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from decimal import Decimal

    from beancount_ar.core.contracts import Contract
    from beancount_ar.core.model import Receivables


@dataclass(frozen=True)
class Bill:
    """One invoice to append: a contract's period, numbered."""

    number: str
    contract: Contract
    period: datetime.date
    customer: str  # the customer's name on the period's day (the payee)
    account: str  # the customer's receivable account on that day

    @property
    def amount(self) -> Decimal:
        """What the period bills."""
        return self.contract.amount

    @property
    def currency(self) -> str:
        """The contract's currency."""
        return self.contract.currency

    def text(self, tag: str) -> str:
        """The invoice transaction as the ledger writes it, ending in a newline."""
        contract = self.contract
        width = max(len(self.account), len(contract.account))
        debit, credit = str(contract.amount), str(-contract.amount)
        return (f"{self.period} * {quoted(self.customer)} {quoted(contract.description)} "
                f"^{self.number} #{tag}\n"
                f"  contract: {quoted(contract.id)}\n"
                f"  period: {self.period}\n"
                f"  {self.account:<{width}}  {debit:>{len(credit)}} {contract.currency}\n"
                f"  {contract.account:<{width}}  {credit} {contract.currency}\n")


@dataclass(frozen=True)
class Refusal:
    """A period not billed, and why."""

    contract: str
    period: datetime.date
    reason: str


@dataclass(frozen=True)
class Plan:
    """The invoices to append, in date order then contract id, and the periods refused."""

    bills: tuple[Bill, ...]
    refused: tuple[Refusal, ...]

    def text(self, tag: str) -> str:
        """Every invoice to append, a blank line between two."""
        return "\n".join(bill.text(tag) for bill in self.bills)


def plan_bills(receivables: Receivables, through: datetime.date,
               entries: Sequence[Any] = ()) -> Plan:
    """The contract periods starting on or before `through` that no invoice bills yet.

    Each is numbered one more than the highest number of the `invoice_number`
    pattern in its year. Under `numbering: 'sequential'` a period dated before
    that highest number's invoice is refused. A period whose accounts are not
    open on its day is refused too: bean-check would reject the invoice.
    """
    due = sorted((period, contract.id, contract)
                 for contract in receivables.contracts.values()
                 for period in contract.periods(through)
                 if (contract.id, period) not in receivables.billed)
    numbers = _Numbers(receivables)
    opened = _open_accounts(entries)
    bills, refused = [], []
    for period, cid, contract in due:
        version = receivables.customers[contract.customer].at(period)
        closed = [a for a in (version.account, contract.account)
                  if entries and not _is_open(opened, a, period)]
        if closed:
            refused.append(Refusal(cid, period, f"{closed[0]} is not open on {period}; open "
                                   "it (or correct the contract's account) and bill again"))
            continue
        number, problem = numbers.take(period)
        if problem is not None:
            refused.append(Refusal(cid, period, problem))
            continue
        bills.append(Bill(number, contract, period, version.name, version.account))
    return Plan(tuple(bills), tuple(refused))


class _Numbers:
    """The highest number (and its date) of the pattern per year, as new ones are taken."""

    def __init__(self, receivables: Receivables) -> None:
        self.pattern = receivables.config.invoice_number
        self.sequential = receivables.config.numbering == "sequential"
        self.invoices = receivables.invoices
        self.highest: dict[int, tuple[int, datetime.date, str]] = {}

    def take(self, day: datetime.date) -> tuple[str, str | None]:
        """The next number in `day`'s year, or why it cannot be taken."""
        if day.year not in self.highest:
            regex = number_regex(self.pattern, day.year)
            found = [(int(m.group(1)), invoice.date, number)
                     for number, invoice in self.invoices.items()
                     if (m := regex.fullmatch(number))]
            self.highest[day.year] = max(found, default=(0, day, ""))
        seq, date, before = self.highest[day.year]
        number = self.pattern.format(year=day.year, seq=seq + 1)
        if self.sequential and day < date:
            return number, (f"{number} would be dated {day}, before {before} dated {date}, "
                            "and numbers run in date order (numbering: 'sequential'); "
                            "issue it by hand with a number of its own")
        self.highest[day.year] = (seq + 1, day, number)
        return number, None


def _open_accounts(entries: Iterable[Any]) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Each account's open day and close day (or the last day)."""
    spans: dict[str, tuple[datetime.date, datetime.date]] = {}
    for entry in entries:
        if isinstance(entry, Open):
            spans[entry.account] = (entry.date, datetime.date.max)
        elif isinstance(entry, Close) and entry.account in spans:
            spans[entry.account] = (spans[entry.account][0], entry.date)
    return spans


def _is_open(spans: dict[str, tuple[datetime.date, datetime.date]], account: str,
             day: datetime.date) -> bool:
    span = spans.get(account)
    return span is not None and span[0] <= day < span[1]
