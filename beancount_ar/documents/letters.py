"""What a collection letter says, read from the dunning rows and the model (no I/O).

    letters = letter_documents(receivables, letters_due(receivables, as_of), as_of)
    letters[0].customer_id, letters[0].tone, letters[0].pay_by   # 'acme', 'reminder', ...

One letter per customer with all its rows, in the order the rows come (the dunning
report sorts them by customer, then invoice). Its tone is set by the highest level
among them: `reminder` at level 1, `final` at the policy's last level (the next step
is a collection agency or the courts), `urgent` at any level in between.

The customer is asked to pay by `as_of` + `PAY_WITHIN[tone]` days: 7 for a reminder
or an urgent reminder, 5 for the final demand. Each currency is paid on its own,
with the invoice numbers as the reference (`INV-1, INV-2`; the customer id when
they would not fit the 140 characters of a SEPA transfer's message) and, for a
single invoice, its digits as the Czech variable symbol on Czech letters and CZK.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from beancount_ar.core.locales import known_locale
from beancount_ar.core.model import ZERO

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from decimal import Decimal

    from beancount_ar.core.model import CustomerVersion, Invoice, Receivables
    from beancount_ar.core.seller import CompanyVersion

__all__ = ["PAY_WITHIN", "LetterAmount", "LetterDocument", "LetterLine", "LetterRow",
           "letter_documents", "letter_locale", "tone_of"]

PAY_WITHIN = {"reminder": 7, "urgent": 7, "final": 5}
DEFAULT_LOCALE = "en_US"
MAX_REFERENCE = 140  # a SEPA transfer's unstructured remittance information
MAX_VARIABLE_SYMBOL = 10  # digits of a Czech variable symbol
_NOT_DIGIT = re.compile(r"\D")


class LetterRow(Protocol):
    """One invoice a letter is due for: the shape of `reports.dunning.DunningRow`."""

    @property
    def customer(self) -> str:
        """The customer id."""

    @property
    def invoice(self) -> Invoice:
        """The invoice."""

    @property
    def level(self) -> int:
        """The level of the letter now due (1 for the first)."""

    @property
    def final(self) -> bool:
        """Whether `level` is the last of the customer's policy."""

    @property
    def days_overdue(self) -> int:
        """Days past due on the as-of day."""

    @property
    def open(self) -> Decimal:
        """What is still owed on the invoice."""

    @property
    def interest(self) -> Decimal:
        """Late-payment interest up to the as-of day."""

    @property
    def compensation(self) -> Decimal:
        """The fixed compensation for recovery costs."""

    @property
    def fee(self) -> Decimal:
        """The policy's fee for this level's letter."""

    @property
    def total(self) -> Decimal:
        """The sum: open + interest + compensation + fee."""


@dataclass(frozen=True)
class LetterLine:
    """One invoice in the letter, its amounts at the ledger's precision."""

    number: str
    date: datetime.date
    due: datetime.date
    currency: str
    level: int
    days_overdue: int
    open: Decimal
    interest: Decimal
    compensation: Decimal
    fee: Decimal
    total: Decimal


@dataclass(frozen=True)
class LetterAmount:
    """What the letter claims in one currency, and how to pay it."""

    currency: str
    open: Decimal
    interest: Decimal
    compensation: Decimal
    fee: Decimal
    total: Decimal
    reference: str  # the transfer's message: the invoice numbers
    variable_symbol: str | None  # Czech letters and CZK, for a single invoice


@dataclass(frozen=True)
class LetterDocument:
    """Everything a collection letter shows, for one customer."""

    seller: CompanyVersion | None
    buyer: CustomerVersion
    customer_id: str
    locale: str  # the customer's `locale`, else the company's
    as_of: datetime.date  # the letter's date
    level: int  # the highest level among the lines
    final: bool
    pay_by: datetime.date
    lines: tuple[LetterLine, ...]
    amounts: tuple[LetterAmount, ...]  # one per currency, sorted

    @property
    def tone(self) -> str:
        """`reminder` (level 1), `urgent` (in between) or `final` (the policy's last)."""
        return tone_of(self.level, final=self.final)

    @property
    def top_lines(self) -> tuple[LetterLine, ...]:
        """The invoices at the letter's level: the ones its wording is about."""
        return tuple(line for line in self.lines if line.level == self.level)

    @property
    def other_lines(self) -> tuple[LetterLine, ...]:
        """The invoices at a lower level: listed too, as overdue as well."""
        return tuple(line for line in self.lines if line.level != self.level)

    @property
    def language(self) -> str:
        """The letter's language: `cs` for `cs_CZ`."""
        return self.locale.split("_")[0].lower()

    @property
    def has_fee(self) -> bool:
        """Whether any line carries a fee (the column is left out otherwise)."""
        return any(line.fee for line in self.lines)

    @property
    def has_interest(self) -> bool:
        """Whether any line carries interest (the letter then says it keeps accruing)."""
        return any(line.interest for line in self.lines)

    @property
    def email(self) -> str:
        """The customer's `email` detail as written ('' when it has none)."""
        return self.buyer.details.get("email", "").strip()


def tone_of(level: int, *, final: bool) -> str:
    """The letter's tone for its highest level.

        >>> tone_of(1, final=False), tone_of(2, final=False), tone_of(3, final=True)
        ('reminder', 'urgent', 'final')
    """
    if final:
        return "final"
    return "reminder" if level <= 1 else "urgent"


def letter_locale(buyer: CustomerVersion, seller: CompanyVersion | None) -> str:
    """The customer's `locale` when Babel knows it, else the company's, else en_US.

        >>> from beancount_ar.core.model import CustomerVersion, Source
        >>> import datetime
        >>> kos = CustomerVersion(datetime.date(2026, 1, 1), "Kos", "Assets:Receivable:Kos",
        ...                       None, None, {"locale": "cs_CZ"}, Source("x", 1))
        >>> letter_locale(kos, None)
        'cs_CZ'
    """
    own = buyer.details.get("locale", "").strip()
    if own and known_locale(own):
        return own
    return seller.locale if seller else DEFAULT_LOCALE


def letter_documents(receivables: Receivables, rows: Iterable[LetterRow],
                     as_of: datetime.date) -> list[LetterDocument]:
    """One letter per customer of `rows`, in the order their first row comes."""
    by_customer: dict[str, list[LetterRow]] = {}
    for row in rows:
        by_customer.setdefault(row.customer, []).append(row)
    seller = receivables.seller.at(as_of) if receivables.seller else None
    return [_letter(receivables, seller, customer_id, customer_rows, as_of)
            for customer_id, customer_rows in by_customer.items()]


def _letter(receivables: Receivables, seller: CompanyVersion | None, customer_id: str,
            rows: Sequence[LetterRow], as_of: datetime.date) -> LetterDocument:
    buyer = receivables.customers[customer_id].at(as_of)
    locale = letter_locale(buyer, seller)
    quantize = receivables.precision.quantize
    lines = tuple(LetterLine(
        number=r.invoice.number, date=r.invoice.date, due=r.invoice.due,
        currency=r.invoice.currency, level=r.level, days_overdue=r.days_overdue,
        **{name: quantize(getattr(r, name), r.invoice.currency)
           for name in ("open", "interest", "compensation", "fee", "total")},
    ) for r in rows)
    level = max(r.level for r in rows)
    final = any(r.final for r in rows)
    czech = locale.split("_")[0].lower() == "cs"
    amounts = tuple(_amount(currency, [line for line in lines if line.currency == currency],
                            customer_id, czech=czech)
                    for currency in sorted({line.currency for line in lines}))
    pay_by = as_of + datetime.timedelta(days=PAY_WITHIN[tone_of(level, final=final)])
    return LetterDocument(
        seller=seller, buyer=buyer, customer_id=customer_id, locale=locale, as_of=as_of,
        level=level, final=final, pay_by=pay_by, lines=lines, amounts=amounts,
    )


def _amount(currency: str, lines: Sequence[LetterLine], customer_id: str, *,
            czech: bool) -> LetterAmount:
    """One currency's sums, reference and (for one invoice) variable symbol."""
    numbers = [line.number for line in lines]
    reference = ", ".join(numbers)
    if len(reference) > MAX_REFERENCE:
        reference = customer_id
    symbol = _NOT_DIGIT.sub("", numbers[0]) if len(numbers) == 1 else ""
    show_symbol = czech or currency == "CZK"
    return LetterAmount(
        currency=currency,
        open=sum((line.open for line in lines), ZERO),
        interest=sum((line.interest for line in lines), ZERO),
        compensation=sum((line.compensation for line in lines), ZERO),
        fee=sum((line.fee for line in lines), ZERO),
        total=sum((line.total for line in lines), ZERO),
        reference=reference,
        variable_symbol=(symbol if show_symbol and 0 < len(symbol) <= MAX_VARIABLE_SYMBOL
                         else None),
    )
