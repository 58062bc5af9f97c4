"""The receivables model: customers, invoices, applications and status events.

Built once from the entries by `beancount_ar.core.build`; immutable (frozen
dataclasses, and NamedTuples for the many small records, as Beancount's own
data types, because they are several times cheaper to create); money is
`Decimal` with its currency beside it. Everything that reports on receivables
(plugins, `bean-ar`, Fava, documents) reads this and nothing else.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from beancount_ar.core.precision import Precision

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping

    from beancount.core.data import Posting

    from beancount_ar.core.config import ARConfig
    from beancount_ar.core.contracts import Contract
    from beancount_ar.core.errors import ARError
    from beancount_ar.core.policies import Policy
    from beancount_ar.core.rates import RateTable
    from beancount_ar.core.seller import Company
    from beancount_ar.core.terms import Terms

ZERO = Decimal(0)


class Source(NamedTuple):
    """Where an entry stands in the ledger."""

    filename: str
    lineno: int


# The loads make records by the ten thousand: `new_record(Source, (filename, lineno))`
# skips the keyword handling of a NamedTuple's own __new__, a third of its cost.
new_record = tuple.__new__


class CreditLimit(NamedTuple):
    """A customer's credit line."""

    number: Decimal
    currency: str


@dataclass(frozen=True)
class CustomerVersion:
    """A customer's record as in force from `date` on."""

    date: datetime.date
    name: str
    account: str
    terms: Terms | None
    credit_limit: CreditLimit | None
    details: Mapping[str, str]  # email, address, collector, tax-id, ... as written
    source: Source

    @property
    def collector(self) -> str | None:
        """Who on the team chases this customer."""
        return self.details.get("collector")


@dataclass(frozen=True)
class Customer:
    """A customer and its dated record changes."""

    id: str
    versions: tuple[CustomerVersion, ...]

    @property
    def current(self) -> CustomerVersion:
        """The latest record."""
        return self.versions[-1]

    @property
    def name(self) -> str:
        """The customer's display name."""
        return self.current.name

    def at(self, date: datetime.date) -> CustomerVersion:
        """The record in force on `date` (the first one before the customer's first date)."""
        chosen = self.versions[0]
        if len(self.versions) == 1:
            return chosen
        for version in self.versions:
            if version.date > date:
                break
            chosen = version
        return chosen


class ApplicationKind(enum.Enum):
    """What a receivable posting outside an invoice does."""

    PAYMENT = "payment"  # cash received against an invoice
    CREDIT_NOTE = "credit-note"
    WRITE_OFF = "write-off"
    CREDIT_APPLIED = "credit-applied"  # unapplied credit used on an invoice (#on-account)
    DEBIT = "debit"  # a positive posting against an invoice: refund, bounced payment
    ON_ACCOUNT = "on-account"  # unapplied credit received or used, on no invoice
    UNMATCHED = "unmatched"  # posted in error (see the ledger's errors): kept so totals tie


class Application(NamedTuple):
    """A receivable posting that is not an invoice's own: payment, credit, write-off."""

    date: datetime.date
    customer: str
    account: str
    invoice: str | None
    amount: Decimal  # signed as posted: negative lowers what the customer owes
    currency: str
    kind: ApplicationKind
    narration: str
    source: Source

    @property
    def is_cash(self) -> bool:
        """Whether this is money collected (a payment, or a prepayment on account)."""
        return self.kind is ApplicationKind.PAYMENT or (
            self.kind is ApplicationKind.ON_ACCOUNT and self.amount < 0
        )


TAX_ROOT = "Liabilities:"


class InvoiceLine(NamedTuple):
    """An income or tax line of an invoice, as billed (positive)."""

    account: str
    description: str
    quantity: Decimal | None
    rate: Decimal | None
    amount: Decimal
    currency: str
    is_tax: bool

    @classmethod
    def from_posting(cls, posting: Posting, narration: str) -> InvoiceLine | None:
        """The line a posting bills; `description`, `quantity`, `rate` from its metadata."""
        number = getattr(posting.units, "number", None)
        currency = getattr(posting.units, "currency", None)
        if not isinstance(number, Decimal) or not isinstance(currency, str):
            return None
        meta: Mapping[str, Any] = posting.meta or {}
        description, quantity = meta.get("description"), meta.get("quantity")
        rate = meta.get("rate")
        if getattr(rate, "currency", currency) != currency:
            rate = None  # a rate in another currency is no rate of this line (AR105)
        rate = getattr(rate, "number", rate)  # `rate: 150.00 USD` is an Amount
        return cls(
            account=posting.account,
            description=description if isinstance(description, str) else narration,
            quantity=quantity if isinstance(quantity, Decimal) else None,
            rate=rate if isinstance(rate, Decimal) else None,
            amount=-number,
            currency=currency,
            is_tax=posting.account.startswith(TAX_ROOT),
        )




def invoice_lines(postings: Iterable[Posting], narration: str) -> tuple[InvoiceLine, ...]:
    """The lines an invoice's postings other than the receivable bill."""
    lines = []
    for posting in postings:
        meta = posting.meta
        if meta and ("description" in meta or "quantity" in meta or "rate" in meta):
            line = InvoiceLine.from_posting(posting, narration)
            if line is not None:
                lines.append(line)
            continue
        number = getattr(posting.units, "number", None)
        currency = getattr(posting.units, "currency", None)
        if isinstance(number, Decimal) and isinstance(currency, str):
            account = posting.account
            lines.append(new_record(InvoiceLine, (
                account, narration, None, None, -number, currency,
                account.startswith(TAX_ROOT))))
    return tuple(lines)


class EventKind(enum.Enum):
    """A status event's directive."""

    DISPUTE = "ar-dispute"
    RESOLVE = "ar-resolve"
    DUNNING = "ar-dunning"
    ESCALATE = "ar-escalate"
    PROMISE = "ar-promise"


class StatusEvent(NamedTuple):
    """A dispute, resolution, dunning letter, escalation or promise to pay for one invoice."""

    date: datetime.date
    invoice: str
    kind: EventKind
    detail: str  # dispute reason, `agency` / `legal`, or the promised day as written
    level: int | None
    source: Source
    promised: datetime.date | None = None  # the day a promise says the invoice is paid by


class Status(enum.Enum):
    """Where an invoice stands on a date."""

    PAID = "paid"
    OPEN = "open"
    OVERDUE = "overdue"
    DISPUTED = "disputed"
    COLLECTIONS = "collections"


class IssuedInvoice(NamedTuple):
    """An invoice as its transaction issues it, before anything is applied to it."""

    number: str
    customer: str
    account: str
    date: datetime.date
    due: datetime.date
    terms: Terms
    amount: Decimal
    currency: str
    payee: str
    narration: str
    lines: tuple[InvoiceLine, ...]  # income and tax lines as billed
    source: Source


class Invoice(NamedTuple):
    """An issued invoice and everything applied to it since.

    The issue's fields read through (`invoice.number`, `invoice.due`, ...).
    """

    issue: IssuedInvoice
    applications: tuple[Application, ...] = ()
    events: tuple[StatusEvent, ...] = ()

    @property
    def number(self) -> str:
        """The invoice number, its transaction's link."""
        return self.issue.number

    @property
    def customer(self) -> str:
        """The id of the customer billed."""
        return self.issue.customer

    @property
    def account(self) -> str:
        """The receivable account posted to."""
        return self.issue.account

    @property
    def date(self) -> datetime.date:
        """The day it was issued."""
        return self.issue.date

    @property
    def due(self) -> datetime.date:
        """The day it falls due."""
        return self.issue.due

    @property
    def terms(self) -> Terms:
        """The payment terms it was issued on."""
        return self.issue.terms

    @property
    def amount(self) -> Decimal:
        """What was billed (positive)."""
        return self.issue.amount

    @property
    def currency(self) -> str:
        """The currency billed in."""
        return self.issue.currency

    @property
    def payee(self) -> str:
        """The transaction's payee, as written."""
        return self.issue.payee

    @property
    def narration(self) -> str:
        """The transaction's narration, as written."""
        return self.issue.narration

    @property
    def lines(self) -> tuple[InvoiceLine, ...]:
        """Income and tax lines as billed."""
        return self.issue.lines

    @property
    def source(self) -> Source:
        """Where the invoice transaction stands in the ledger."""
        return self.issue.source

    def open_amount(self, as_of: datetime.date | None = None) -> Decimal:
        """What is still owed on the invoice, counting applications up to `as_of`."""
        applied = sum(
            (a.amount for a in self.applications if as_of is None or a.date <= as_of), ZERO
        )
        return self.amount + applied

    def days_overdue(self, as_of: datetime.date) -> int:
        """Days past due on `as_of`; 0 when not yet due (due today is not overdue)."""
        return max(0, (as_of - self.due).days)

    def is_disputed(self, as_of: datetime.date) -> bool:
        """An `ar-dispute` up to `as_of` with no `ar-resolve` after it."""
        disputed = False
        for event in self.events:
            if event.date > as_of:
                break
            if event.kind is EventKind.DISPUTE:
                disputed = True
            elif event.kind is EventKind.RESOLVE:
                disputed = False
        return disputed

    def escalation(self, as_of: datetime.date) -> str | None:
        """`agency` or `legal` once handed over for collection, the latest one winning."""
        kind = None
        for event in self.events:
            if event.date > as_of:
                break
            if event.kind is EventKind.ESCALATE:
                kind = event.detail
        return kind

    def dunning_level(self, as_of: datetime.date) -> int:
        """The highest collection letter sent up to `as_of`; 0 for none."""
        return max(
            (e.level or 0 for e in self.events if e.kind is EventKind.DUNNING and e.date <= as_of),
            default=0,
        )

    def status(self, as_of: datetime.date) -> Status:
        """Paid, open, overdue, disputed or in collections on `as_of`."""
        if self.open_amount(as_of) == ZERO:
            return Status.PAID
        if self.escalation(as_of):
            return Status.COLLECTIONS
        if self.is_disputed(as_of):
            return Status.DISPUTED
        return Status.OVERDUE if self.days_overdue(as_of) > 0 else Status.OPEN


def _shipped_rates() -> RateTable:
    """The reference rates the package ships (a model built without a ledger's own)."""
    from beancount_ar.core.rates import shipped_table  # noqa: PLC0415 - rates reads the model

    return shipped_table()


@dataclass(frozen=True)
class Receivables:
    """Everything the ledger says about who owes what, and who is owed: the seller."""

    config: ARConfig
    customers: Mapping[str, Customer]
    invoices: Mapping[str, Invoice]  # in ledger (date) order
    unapplied: tuple[Application, ...]  # receivable postings on no invoice, by date
    account_owner: Mapping[str, str] = field(default_factory=dict)  # account -> customer id
    seller: Company | None = None  # the `ar-company` directives
    precision: Precision = field(default_factory=Precision)
    errors: tuple[ARError, ...] = ()  # every AR problem found on the way, in ledger order
    policies: Mapping[str, Policy] = field(default_factory=dict)  # `ar-dunning-policy`, by id
    rates: RateTable = field(default_factory=_shipped_rates)  # reference rates
    contracts: Mapping[str, Contract] = field(default_factory=dict)  # `ar-contract`, by id
    billed: Mapping[tuple[str, datetime.date], str] = field(default_factory=dict)  # -> invoice

    def customer_of(self, account: str) -> str | None:
        """The customer an account (or its nearest ancestor) belongs to."""
        while account:
            if account in self.account_owner:
                return self.account_owner[account]
            account = account.rpartition(":")[0]
        return None
