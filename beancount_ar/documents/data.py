"""What an invoice and a statement of account say, read from the model (no I/O).

    document = invoice_document(receivables, "INV-2026-001", as_of)
    statement = statement_document(receivables, "acme", start, as_of)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_ar.core.model import ZERO, ApplicationKind
from beancount_ar.reports.aging import AgingRow, Buckets, aging

if TYPE_CHECKING:
    import datetime

    from beancount_ar.core.model import (
        Application,
        CustomerVersion,
        Invoice,
        InvoiceLine,
        Receivables,
    )
    from beancount_ar.core.seller import CompanyVersion


@dataclass(frozen=True)
class InvoiceDocument:
    """Everything a printed invoice shows."""

    seller: CompanyVersion | None
    buyer: CustomerVersion
    customer_id: str
    invoice: Invoice
    lines: tuple[InvoiceLine, ...]
    taxes: tuple[InvoiceLine, ...]
    subtotal: Decimal
    total: Decimal
    received: tuple[Application, ...]  # payments and credits up to the as-of date
    balance_due: Decimal
    discount_percent: Decimal | None
    discount_until: datetime.date | None
    as_of: datetime.date

    @property
    def reference(self) -> str:
        """The payment reference: the invoice number."""
        return self.invoice.number


def _seller(receivables: Receivables, day: datetime.date) -> CompanyVersion | None:
    """The seller's record in force on `day`, if the ledger has an `ar-company`."""
    return receivables.seller.at(day) if receivables.seller else None


def invoice_document(receivables: Receivables, number: str,
                     as_of: datetime.date) -> InvoiceDocument | None:
    """The invoice `number` as of a day, or None when there is no such invoice."""
    invoice = receivables.invoices.get(number)
    if invoice is None or invoice.date > as_of:  # not issued yet on the as-of date
        return None
    customer = receivables.customers[invoice.customer]
    lines = tuple(line for line in invoice.lines if not line.is_tax)
    taxes = tuple(line for line in invoice.lines if line.is_tax)
    received = tuple(a for a in invoice.applications if a.date <= as_of)
    terms = invoice.terms
    return InvoiceDocument(
        seller=_seller(receivables, invoice.date),
        buyer=customer.at(invoice.date),
        customer_id=customer.id,
        invoice=invoice,
        lines=lines,
        taxes=taxes,
        subtotal=sum((line.amount for line in lines), ZERO),
        total=invoice.amount,
        received=received,
        balance_due=invoice.open_amount(as_of),
        discount_percent=terms.discount_percent,
        discount_until=terms.discount_due(invoice.date),
        as_of=as_of,
    )


KIND_LABELS = {
    ApplicationKind.PAYMENT: "Payment",
    ApplicationKind.CREDIT_NOTE: "Credit note",
    ApplicationKind.WRITE_OFF: "Write-off",
    ApplicationKind.CREDIT_APPLIED: "Prepayment",
    ApplicationKind.ON_ACCOUNT: "Prepayment",
    ApplicationKind.DEBIT: "Adjustment",
    ApplicationKind.UNMATCHED: "Adjustment",
}


@dataclass(frozen=True)
class StatementLine:
    """One movement on the customer's account, with the balance after it."""

    date: datetime.date
    kind: str  # an English label, translated when printed
    document: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass(frozen=True)
class AmountDue:
    """What the statement asks for in one currency, and by when.

    `total` is the closing balance (open invoices net of unapplied credit); of it,
    `now` is the part already past due (at most the total), to be paid at once, and
    the rest falls due on `next_due`, the earliest due date of the open invoices
    not yet due (None when none is).
    """

    total: Decimal
    now: Decimal
    next_due: datetime.date | None

    @property
    def later(self) -> Decimal:
        """The part not yet due: payable by `next_due`."""
        return self.total - self.now


@dataclass(frozen=True)
class CurrencyStatement:
    """The account in one currency over the period."""

    currency: str
    opening: Decimal
    lines: tuple[StatementLine, ...]
    closing: Decimal
    aging: AgingRow | None
    due: AmountDue


@dataclass(frozen=True)
class StatementDocument:
    """A statement of account: every currency the customer deals in."""

    seller: CompanyVersion | None
    buyer: CustomerVersion
    customer_id: str
    start: datetime.date | None
    as_of: datetime.date  # the statement date and the period's last day
    currencies: tuple[CurrencyStatement, ...]
    buckets: tuple[str, ...]

    @property
    def reference(self) -> str:
        """The payment reference for the whole account: the customer id."""
        return self.customer_id


Movement = tuple["datetime.date", int, str, str, str, Decimal]


def statement_document(receivables: Receivables, customer_id: str,
                       start: datetime.date | None, as_of: datetime.date,
                       ) -> StatementDocument | None:
    """The statement of `customer_id` from `start` (else the beginning) to `as_of`."""
    customer = receivables.customers.get(customer_id)
    if customer is None:
        return None
    movements: dict[str, list[Movement]] = {}
    for invoice in receivables.invoices.values():
        if invoice.customer == customer_id and invoice.date <= as_of:
            movements.setdefault(invoice.currency, []).append((
                invoice.date, invoice.source.lineno, "Invoice", invoice.number,
                invoice.narration, invoice.amount))
        for a in invoice.applications:
            if a.customer == customer_id:
                _add(movements, a)
    for a in receivables.unapplied:
        if a.customer == customer_id:
            _add(movements, a)
    rows = {r.currency: r for r in aging(receivables, as_of, "due", Buckets())
            if r.customer == customer_id}
    open_invoices = [i for i in receivables.invoices.values()
                     if i.customer == customer_id and i.date <= as_of and i.open_amount(as_of) > 0]
    statements = tuple(
        _currency_statement(currency, items, start, as_of, row=rows.get(currency),
                            open_invoices=[i for i in open_invoices if i.currency == currency])
        for currency, items in sorted(movements.items())
    )
    return StatementDocument(
        seller=_seller(receivables, as_of), buyer=customer.at(as_of),
        customer_id=customer_id, start=start, as_of=as_of, currencies=statements,
        buckets=Buckets().labels,
    )


def _add(movements: dict[str, list[Movement]], a: Application) -> None:
    movements.setdefault(a.currency, []).append((
        a.date, a.source.lineno, KIND_LABELS[a.kind], a.invoice or "", a.narration, a.amount))


def _currency_statement(  # noqa: PLR0913 - one currency's account and its open invoices
    currency: str, items: list[Movement], start: datetime.date | None,
    as_of: datetime.date, *, row: AgingRow | None, open_invoices: list[Invoice],
) -> CurrencyStatement:
    items.sort(key=lambda m: (m[0], m[1]))
    opening = sum((m[5] for m in items if start is not None and m[0] < start), ZERO)
    balance = opening
    lines = []
    for date, _, kind, document, description, amount in items:
        if (start is not None and date < start) or date > as_of:
            continue
        balance += amount
        lines.append(StatementLine(date, kind, document, description,
                                   amount if amount > 0 else ZERO,
                                   -amount if amount < 0 else ZERO, balance))
    return CurrencyStatement(currency, opening, tuple(lines), balance, row,
                             _amount_due(balance, open_invoices, as_of))


def _amount_due(total: Decimal, open_invoices: list[Invoice],
                as_of: datetime.date) -> AmountDue:
    """The closing balance split into what is past due on `as_of` and what falls due later."""
    past_due = sum((i.open_amount(as_of) for i in open_invoices if i.due < as_of), ZERO)
    later = [i.due for i in open_invoices if i.due >= as_of]
    now = max(ZERO, min(past_due, total))
    return AmountDue(total, now, min(later) if later else None)
