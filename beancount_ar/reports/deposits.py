"""Receipts waiting in an undeposited-funds account, and the transfer that deposits them.

    2026-06-03 * "Acme Corp" "Payment" ^INV-1
      Assets:Undeposited          1800.00 USD
      Assets:Receivable:Acme     -1800.00 USD

    pending = undeposited(entries, receivables, "Assets:Undeposited", date(2026, 6, 30))
    pending.receipts[0].invoices == ("INV-1",)

The receipts are the account's debits (positive postings, dated on or before
the day) after the last day, per currency, that its running balance ended at
zero: what makes up the balance, as AR-SPEC section 13 says. A receipt's
invoices are those the receivables model applied a posting of the same
transaction to (the model resolves links and `invoice` metadata alike and
keeps each application's source line), so this reads what the aging reads.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from beancount.core.data import Transaction

from beancount_ar.core.ledger_text import quoted

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping, Sequence

    from beancount_ar.core.model import Receivables
    from beancount_ar.core.precision import Precision

ZERO = Decimal(0)
DEPOSIT_TAG = "deposit"


class Transfer(NamedTuple):
    """A deposit: from the undeposited-funds account into the bank account, on a day."""

    source: str
    target: str
    date: datetime.date


@dataclass(frozen=True)
class Receipt:
    """One debit of the undeposited-funds account still in its balance."""

    date: datetime.date
    payee: str
    invoices: tuple[str, ...]
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Pending:
    """What sits in the account on the day: the receipts, their totals and the balance."""

    receipts: tuple[Receipt, ...]
    totals: Mapping[str, Decimal]  # the receipts' sum per currency
    balance: Mapping[str, Decimal]  # the account's balance per currency (non-zero only)

    @property
    def mismatched(self) -> tuple[str, ...]:
        """Currencies whose balance is not the receipts' sum (a credit other than a deposit)."""
        currencies = sorted(set(self.totals) | set(self.balance))
        return tuple(c for c in currencies
                     if self.totals.get(c, ZERO) != self.balance.get(c, ZERO))


def _key(meta: Mapping[str, Any] | None) -> tuple[object, object]:
    meta = meta or {}
    return meta.get("filename"), meta.get("lineno")


def _invoices_by_source(receivables: Receivables) -> dict[tuple[object, object], set[str]]:
    """Each application's source line, with the invoices applied there."""
    found: dict[tuple[object, object], set[str]] = defaultdict(set)
    for number, invoice in receivables.invoices.items():
        for application in invoice.applications:
            found[application.source.filename, application.source.lineno].add(number)
    return found


def _invoices_of(entry: Transaction, by_source: Mapping[tuple[object, object], set[str]],
                 receivables: Receivables) -> tuple[str, ...]:
    """The invoices the transaction's receivable postings settle, in the order first posted."""
    numbers: list[str] = list(by_source.get(_key(entry.meta), ()))
    for posting in entry.postings:
        if receivables.config.is_receivable(posting.account):
            numbers += by_source.get(_key(posting.meta), ())
            number = (posting.meta or {}).get("invoice")
            if isinstance(number, str) and number in receivables.invoices:
                numbers.append(number)
    return tuple(sorted(set(numbers)))


def undeposited(entries: Iterable[Any], receivables: Receivables, account: str,
                day: datetime.date) -> Pending:
    """The receipts in `account` at the end of `day`, their totals and its balance."""
    by_source = _invoices_by_source(receivables)
    balance: dict[str, Decimal] = defaultdict(lambda: ZERO)
    waiting: dict[str, list[Receipt]] = defaultdict(list)
    current: datetime.date | None = None
    for entry in entries:
        if not isinstance(entry, Transaction) or entry.date > day:
            continue
        if entry.date != current:
            _drop_settled(balance, waiting)
            current = entry.date
        for posting in entry.postings:
            units = posting.units
            if posting.account != account or units is None or units.number is None:
                continue
            balance[units.currency] += units.number
            if units.number > 0:
                waiting[units.currency].append(Receipt(
                    entry.date, entry.payee or entry.narration or "",
                    _invoices_of(entry, by_source, receivables), units.number, units.currency))
    _drop_settled(balance, waiting)
    receipts = sorted((r for rs in waiting.values() for r in rs),
                      key=lambda r: (r.date, r.currency))
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for receipt in receipts:
        totals[receipt.currency] += receipt.amount
    return Pending(tuple(receipts), dict(sorted(totals.items())),
                   {c: n for c, n in sorted(balance.items()) if n != 0})


def _drop_settled(balance: Mapping[str, Decimal], waiting: dict[str, list[Receipt]]) -> None:
    """Forget the receipts of every currency whose balance ended the day at zero."""
    for currency, number in balance.items():
        if number == 0:
            waiting[currency] = []


def deposit_text(pending: Pending, transfer: Transfer, precision: Precision) -> str:
    """The transfer of each currency's positive balance from `source` to `target`, as text.

        2026-06-30 * "Deposit of 2 receipts" #deposit
          Assets:Bank:Checking    2300.00 USD
          Assets:Undeposited     -2300.00 USD
    """
    source, target, day = transfer
    amounts = [(c, n) for c, n in pending.balance.items() if n > 0]
    count = len(pending.receipts)
    noun = "receipt" if count == 1 else "receipts"
    lines = [f"{day.isoformat()} * {quoted(f'Deposit of {count} {noun}')} #{DEPOSIT_TAG}"]
    width = max(len(source), len(target)) + 4
    for currency, number in amounts:
        text = precision.plain(number, currency)
        lines.append(f"  {target.ljust(width)}{text.rjust(16)} {currency}")
        lines.append(f"  {source.ljust(width)}{('-' + text).rjust(16)} {currency}")
    return "\n".join(lines) + "\n"


def receipt_records(receipts: Sequence[Receipt], precision: Precision) -> list[list[str]]:
    """The CSV's rows: `date,payee,invoices,currency,amount` (invoices space-separated)."""
    return [[r.date.isoformat(), r.payee, " ".join(r.invoices), r.currency,
             precision.plain(r.amount, r.currency)] for r in receipts]
