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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from beancount_ar.core.ledger_text import quoted
from beancount_ar.core.numbering import number_regex
from beancount_ar.reports.appending import account_spans, is_open

if TYPE_CHECKING:
    import datetime
    from collections.abc import Sequence
    from decimal import Decimal

    from beancount_ar.core.model import Receivables


@dataclass(frozen=True)
class Bill:
    """One invoice to append: a contract's period, or a one-off invoice, numbered."""

    number: str
    date: datetime.date  # the period's start, or the one-off invoice's date
    customer: str  # the customer's name on that day (the payee)
    account: str  # the customer's receivable account on that day
    income: str  # the account credited
    amount: Decimal
    currency: str
    narration: str
    contract: str | None = None  # the contract id: `contract:` and `period:` are written

    def text(self, tag: str) -> str:
        """The invoice transaction as the ledger writes it, ending in a newline."""
        width = max(len(self.account), len(self.income))
        debit, credit = str(self.amount), str(-self.amount)
        billed = (f"  contract: {quoted(self.contract)}\n  period: {self.date}\n"
                  if self.contract is not None else "")
        return (f"{self.date} * {quoted(self.customer)} {quoted(self.narration)} "
                f"^{self.number} #{tag}\n{billed}"
                f"  {self.account:<{width}}  {debit:>{len(credit)}} {self.currency}\n"
                f"  {self.income:<{width}}  {credit} {self.currency}\n")


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
    opened = account_spans(entries)
    bills, refused = [], []
    for period, cid, contract in due:
        version = receivables.customers[contract.customer].at(period)
        closed = [a for a in (version.account, contract.account)
                  if entries and not is_open(opened, a, period)]
        if closed:
            refused.append(Refusal(cid, period, f"{closed[0]} is not open on {period}; open "
                                   "it (or correct the contract's account) and bill again"))
            continue
        number, problem = numbers.take(period)
        if problem is not None:
            refused.append(Refusal(cid, period,
                                   f"{problem}; issue it by hand with a number of its own"))
            continue
        bills.append(Bill(number, period, version.name, version.account, contract.account,
                          contract.amount, contract.currency, contract.description, cid))
    return Plan(tuple(bills), tuple(refused))


class NotIssuedError(Exception):
    """A one-off invoice that may not be issued; the message says why and what to do.

    `usage` is true when the request itself is wrong (the customer, the amount),
    false when the ledger stands in the way (an account not open, the numbering).
    """

    def __init__(self, message: str, *, usage: bool = False) -> None:
        """The reason, and whether the request itself is wrong."""
        super().__init__(message)
        self.usage = usage


def plan_invoice(  # noqa: PLR0913 - the invoice's parts, all by keyword
    receivables: Receivables, entries: Sequence[Any], *, customer: str, amount: Decimal,
    currency: str, income: str, day: datetime.date, narration: str | None = None,
) -> Plan:
    """One invoice of `amount` to `income`, billed to `customer` on `day`, numbered as `bill` does.

        plan_invoice(receivables, entries, customer="acme", amount=Decimal("900.00"),
                     currency="USD", income="Income:Consulting", day=date(2026, 3, 2))

    Without `narration` the narration is the income account's last part
    (`Consulting`). The customer's terms in force on `day` give the due date, as
    for every invoice (AR-SPEC 3).

    Raises:
        NotIssuedError: an unknown customer, an amount not above zero or finer than
            the currency's precision, an account not open on `day`, or a number that
            would run out of date order under `numbering: 'sequential'`.
    """
    found = receivables.customers.get(customer)
    if found is None:
        known = ", ".join(sorted(receivables.customers)) or "none"
        raise NotIssuedError(f"no customer {quoted(customer)} in the ledger (customers: "
                             f"{known}); write an ar-customer with an account: first", usage=True)
    _check_amount(receivables, amount, currency)
    amount = receivables.precision.quantize(amount, currency)  # 900 USD is written 900.00
    version = found.at(day)
    opened = account_spans(entries)
    for account in (version.account, income):
        if not is_open(opened, account, day):
            raise NotIssuedError(f"{account} is not open on {day}; open it (or choose "
                                 "another account or date) and issue the invoice again")
    number, problem = _Numbers(receivables).take(day)
    if problem is not None:
        raise NotIssuedError(f"{problem}; date it later, or write it by hand with a number "
                             "of its own")
    text = narration or income.rpartition(":")[2].replace("-", " ")
    return Plan((Bill(number, day, version.name, version.account, income, amount, currency,
                      text),), ())


def _check_amount(receivables: Receivables, amount: Decimal, currency: str) -> None:
    if amount <= 0:
        raise NotIssuedError(f"the amount {amount} {currency} is not above zero; an invoice "
                             "bills a positive amount", usage=True)
    places = receivables.precision.digits.get(currency)
    exponent = amount.as_tuple().exponent
    if places is not None and isinstance(exponent, int) and -exponent > places:
        raise NotIssuedError(f"the amount {amount} {currency} has {-exponent} decimals; the "
                             f"ledger writes {currency} with {places}", usage=True)


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
                            "and numbers run in date order (numbering: 'sequential')")
        self.highest[day.year] = (seq + 1, day, number)
        return number, None
