"""Proposing the invoices each bank receipt settles, and why (AR-SPEC section 13).

    2026-03-02 * "ACME CORP." "Payment VS 20260042"
      Assets:Bank:Checking   1800.00 USD
      Income:Uncategorized

settles `INV-2026-0042` (open 1,800.00 USD) because its variable symbol is in the
narration. In order, a receipt settles:

1. the invoices it names (number, or digits as a Czech variable symbol), up to
   their open amounts, whoever pays; the rest goes on account;
2. for a payer recognised by IBAN or name (or alias): the one open invoice of
   exactly its amount, a unique set of open invoices adding up to it, or the
   one invoice it pays less its early-payment discount within the discount days;
3. anything else from a known payer on account (also an amount that fits
   several invoices equally); an unknown payer's receipt is left alone.

Receipts are taken in date order (file order within a day), each counting
those before it as applied. A wrong link is worse than none: every rule that
could pick one of several candidates picks none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from beancount_ar.reports.receipts import ZERO, directory, read_receipts

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping, Sequence

    from beancount_ar.core.model import Invoice, Receivables
    from beancount_ar.reports.receipts import Directory, Receipt

_SET_SEARCH_STEPS = 20_000  # beyond this many steps a set of invoices counts as ambiguous
_LARGEST_SET_POOL = 40  # a customer with more open invoices is never matched by sets


@dataclass(frozen=True)
class Proposal:
    """What one receipt settles: invoices, discounts granted, the rest on account."""

    receipt: Receipt
    customer: str | None
    invoices: tuple[tuple[str, Decimal], ...] = ()  # (number, amount applied)
    discounts: tuple[tuple[str, Decimal], ...] = ()  # (number, discount granted)
    on_account: Decimal = ZERO
    reason: str = "unknown payer: left alone"
    confidence: float = 0.0

    @property
    def settles(self) -> bool:
        """Whether applying it changes the receipt (any invoice, or money on account)."""
        return bool(self.invoices) or self.on_account > ZERO


def match_receipts(receivables: Receivables, entries: Iterable[object]) -> list[Proposal]:
    """A proposal for each receipt among an import file's `entries`, in file order."""
    receipts = read_receipts(entries, receivables.config)
    matcher = _Matcher(receivables, directory(receivables))
    proposals = {id(r): matcher.propose(r)
                 for r in sorted(receipts, key=lambda r: r.date)}  # sorted() keeps file order
    return [proposals[id(r)] for r in receipts]


class _Matcher:
    """The open amounts as receipts are applied one after another."""

    def __init__(self, receivables: Receivables, found: Directory) -> None:
        self.receivables = receivables
        self.found = found
        self.applied: dict[str, Decimal] = {}  # invoice -> applied by earlier receipts
        self.by_customer: dict[str, list[Invoice]] = {}
        for invoice in receivables.invoices.values():
            self.by_customer.setdefault(invoice.customer, []).append(invoice)

    def open_amount(self, invoice: Invoice, day: datetime.date) -> Decimal:
        """Open on `day`, less what earlier receipts of the file applied."""
        if invoice.date > day:
            return ZERO
        return invoice.open_amount(day) - self.applied.get(invoice.number, ZERO)

    def propose(self, receipt: Receipt) -> Proposal:
        """The proposal for `receipt`, its applications counted for the next ones."""
        proposal = self._proposal(receipt)
        for number, amount in (*proposal.invoices, *proposal.discounts):
            self.applied[number] = self.applied.get(number, ZERO) + amount
        return proposal

    def _proposal(self, receipt: Receipt) -> Proposal:
        named, by_symbol = self.found.references(receipt)
        payer = self._payer(receipt)
        referenced = [i for i in (self._one_of(receipt, numbers, payer[0]) for numbers in named)
                      if i is not None]
        if referenced:
            return self._by_reference(receipt, referenced, by_symbol=by_symbol)
        customer, how, confidence = payer
        settled = [n for numbers in named if len(numbers) == 1 for n in numbers]
        if customer is None and settled:  # named a settled invoice: its customer paid
            customer = self.receivables.invoices[settled[0]].customer
            how, confidence = f"names {settled[0]}, already settled", 0.6
        if customer is None:
            return Proposal(receipt, None)
        return self._by_amount(receipt, customer, how, confidence)

    def _one_of(self, receipt: Receipt, numbers: frozenset[str],
                payer: str | None) -> Invoice | None:
        """The one invoice of `numbers` still open in the receipt's currency, or None.

        A variable symbol may be the digits of several invoices: then the payer's.
        """
        invoices = [self.receivables.invoices[n] for n in sorted(numbers)]
        invoices = [i for i in invoices if i.currency == receipt.currency
                    and self.open_amount(i, receipt.date) > ZERO]
        if len(invoices) > 1 and payer is not None:
            invoices = [i for i in invoices if i.customer == payer]
        return invoices[0] if len(invoices) == 1 else None

    def _payer(self, receipt: Receipt) -> tuple[str | None, str, float]:
        """The customer who paid, how it was recognised, and how sure that is."""
        customer = self.found.customer_by_iban(receipt)
        if customer is not None:
            return customer, f"IBAN ••••{receipt.ibans[0][-4:]}", 0.95
        customer, core_only = self.found.customer_by_name(receipt)
        if customer is None:
            return None, "", 0.0
        how = "name without legal form" if core_only else "name"
        return customer, f"{how} {receipt.payer!r}", 0.8 if core_only else 0.9

    def _by_reference(self, receipt: Receipt, invoices: Sequence[Invoice], *,
                      by_symbol: bool) -> Proposal:
        """Settle the invoices named, in the order of their dates; the rest on account."""
        what = "variable symbol" if by_symbol else "reference"
        names = ", ".join(i.number for i in invoices)
        opened = {i.number: self.open_amount(i, receipt.date) for i in invoices}
        if len(invoices) == 1:
            discount = self._discount(receipt, invoices[0], opened[invoices[0].number])
            if discount is not None:
                return discount
        left = receipt.amount
        applied = []
        for invoice in sorted(invoices, key=lambda i: (i.date, i.number)):
            share = min(left, opened[invoice.number])
            if share > ZERO:
                applied.append((invoice.number, share))
                left -= share
        full = all(amount == opened[number] for number, amount in applied)
        reason = f"{what} {names}" + ("" if full and not left else
                                      ", partly paid" if not full else ", the rest on account")
        return Proposal(receipt, invoices[0].customer, tuple(applied), on_account=left,
                        reason=reason, confidence=(0.97 if by_symbol else 0.99) - (
                            0.0 if full and not left else 0.07))

    def _by_amount(self, receipt: Receipt, customer: str, how: str,
                   confidence: float) -> Proposal:
        """Settle by amount: one invoice, a set of invoices, or one less its discount."""
        pool = [(i, self.open_amount(i, receipt.date)) for i in self.by_customer.get(customer, ())
                if i.currency == receipt.currency]
        pool = [(i, amount) for i, amount in pool if amount > ZERO]
        equal = [i for i, amount in pool if amount == receipt.amount]
        if len(equal) == 1:
            return Proposal(receipt, customer, ((equal[0].number, receipt.amount),),
                            reason=f"{how}; the amount of {equal[0].number}",
                            confidence=confidence)
        if not equal:
            discounted = [p for p in (self._discount(receipt, i, amount, how, confidence)
                                      for i, amount in pool) if p is not None]
            if len(discounted) == 1:
                return discounted[0]
            chosen = None if discounted else _unique_set(receipt.amount, pool)
            if chosen:
                names = ", ".join(i.number for i, _ in chosen)
                return Proposal(receipt, customer, tuple((i.number, a) for i, a in chosen),
                                reason=f"{how}; the sum of {names}",
                                confidence=confidence - 0.1)
        why = (f"fits {len(equal)} invoices equally" if len(equal) > 1
               else "fits no open invoice")
        return Proposal(receipt, customer, on_account=receipt.amount,
                        reason=f"{how}; {why}: on account", confidence=confidence - 0.3)

    def _discount(self, receipt: Receipt, invoice: Invoice, open_amount: Decimal,
                  how: str | None = None, confidence: float = 0.99) -> Proposal | None:
        """The invoice paid less its early-payment discount, within the discount days."""
        terms = invoice.issue.terms
        last_day = terms.discount_due(invoice.date)
        if terms.discount_percent is None or last_day is None or receipt.date > last_day:
            return None
        # Half up, as a clerk rounds a discount (the decimal default would round half even).
        places = self.receivables.precision.digits.get(receipt.currency, 2)
        discount = (open_amount * terms.discount_percent / 100).quantize(
            Decimal(1).scaleb(-places), ROUND_HALF_UP)
        if discount <= ZERO or receipt.amount != open_amount - discount:
            return None
        prefix = f"{how}; " if how else "reference; "
        return Proposal(receipt, invoice.customer, ((invoice.number, receipt.amount),),
                        ((invoice.number, discount),),
                        reason=f"{prefix}{invoice.number} less its {terms.discount_percent}% "
                               f"discount (paid by {last_day})",
                        confidence=confidence - 0.05)


def _unique_set(amount: Decimal, pool: Sequence[tuple[Invoice, Decimal]],
                ) -> list[tuple[Invoice, Decimal]] | None:
    """The one set of two or more invoices whose open amounts add up to `amount`.

    None when there is none, more than one, or the search would take too long:
    a set is only proposed when no other set could be meant.
    """
    if len(pool) < 2 or len(pool) > _LARGEST_SET_POOL:  # noqa: PLR2004 - a set is two or more
        return None
    ordered = sorted(pool, key=lambda p: p[1], reverse=True)
    suffix = [ZERO] * (len(ordered) + 1)
    for index in range(len(ordered) - 1, -1, -1):
        suffix[index] = suffix[index + 1] + ordered[index][1]
    found: list[list[int]] = []
    steps = 0

    def search(start: int, left: Decimal, chosen: list[int]) -> bool:
        nonlocal steps
        if left == ZERO:
            found.append(list(chosen))
            return len(found) > 1
        for index in range(start, len(ordered)):
            steps += 1
            if steps > _SET_SEARCH_STEPS or suffix[index] < left:
                return steps > _SET_SEARCH_STEPS
            if ordered[index][1] <= left:
                chosen.append(index)
                stop = search(index + 1, left - ordered[index][1], chosen)
                chosen.pop()
                if stop:
                    return True
        return False

    if search(0, amount, []) or len(found) != 1 or len(found[0]) < 2:  # noqa: PLR2004
        return None
    return sorted((ordered[i] for i in found[0]), key=lambda p: (p[0].date, p[0].number))


def totals(proposals: Iterable[Proposal]) -> Mapping[str, Decimal]:
    """The amount applied to invoices and on account, per currency."""
    sums: dict[str, Decimal] = {}
    for proposal in proposals:
        applied = sum((a for _, a in proposal.invoices), ZERO) + proposal.on_account
        currency = proposal.receipt.currency
        sums[currency] = sums.get(currency, ZERO) + applied
    return sums

