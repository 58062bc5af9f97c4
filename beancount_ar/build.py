"""Building the receivables model from a ledger's entries, once, in linear time.

    entries, _, options = beancount.loader.load_file("ledger.beancount")
    receivables, errors = build_receivables(entries, ARConfig())

Three passes over the entries: customers; invoices; then, in date order,
applications, status events and credit limits. Problems come back as
`ARError`s, never as exceptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beancount.core.data import Custom, Transaction

from beancount_ar.accounts import NO_CUSTOMER, AccountOwners
from beancount_ar.applications import ApplicationBook
from beancount_ar.checks import check_numbering
from beancount_ar.customers import CUSTOMER_DIRECTIVE, CustomerBook
from beancount_ar.errors import ARError, ar_error
from beancount_ar.events import EVENT_KINDS, read_event
from beancount_ar.invoices import InvoiceReader, posting_number
from beancount_ar.model import Customer, Invoice, IssuedInvoice, Receivables, StatusEvent

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from beancount_ar.config import ARConfig


def build_receivables(
    entries: Sequence[Any], config: ARConfig
) -> tuple[Receivables, list[ARError]]:
    """The receivables model of `entries` (sorted by date), and every AR problem in them."""
    builder = _Builder(config, keep_history=True)
    try:
        return builder.build(entries), builder.errors
    except Exception as exc:  # noqa: BLE001 - a plugin must never raise: report, don't crash
        return Receivables(config, {}, {}, ()), [*builder.errors, builder.failure(exc)]


def check_receivables(
    entries: Sequence[Any], config: ARConfig
) -> tuple[dict[str, IssuedInvoice], list[ARError]]:
    """Every AR problem in `entries`, and the invoices as issued: what the plugins need.

    The same passes as `build_receivables`, keeping no history (applications,
    events): a quarter less work on every `bean-check`.
    """
    builder = _Builder(config, keep_history=False)
    try:
        _, reader, _, _ = builder.read(entries)
    except Exception as exc:  # noqa: BLE001 - a plugin must never raise: report, don't crash
        return {}, [*builder.errors, builder.failure(exc)]
    return reader.invoices, builder.errors


class _Builder:
    def __init__(self, config: ARConfig, *, keep_history: bool) -> None:
        self.keep_history = keep_history
        self.config = config
        self.errors: list[ARError] = []
        self.owner_of = AccountOwners(config.root, {})
        self.unknown_accounts: set[str] = set()
        self.current: Any = None  # the entry being read, named if something fails

    def each(self, entries: Sequence[Any]) -> Iterator[Any]:
        for entry in entries:
            self.current = entry
            yield entry
        self.current = None

    def failure(self, exc: Exception) -> ARError:
        meta = getattr(self.current, "meta", None)
        return ar_error("AR000", meta, f"beancount-ar failed on this entry ({exc!r}); "
                        "please report it with the entry", None)

    def build(self, entries: Sequence[Any]) -> Receivables:
        customers, reader, book, events = self.read(entries)
        invoices = {
            number: Invoice.from_issue(
                invoice, book.applied.get(number, ()), events.get(number, ()))
            for number, invoice in reader.invoices.items()
        }
        return Receivables(self.config, customers, invoices, tuple(book.unapplied),
                           dict(self.owner_of.owners))

    def read(self, entries: Sequence[Any]) -> tuple[
        dict[str, Customer], InvoiceReader, ApplicationBook, dict[str, list[StatusEvent]]
    ]:
        customers = self._customers(entries)
        reader = InvoiceReader(self.config, customers, self.owner_of)
        issued: dict[int, IssuedInvoice] = {}
        for entry in self.each(entries):
            if isinstance(entry, Transaction):
                self._check_accounts(entry)
                if self.config.invoice_tag in entry.tags:
                    invoice = reader.read(entry)
                    if invoice is not None:
                        issued[id(entry)] = invoice
        self.errors.extend(reader.errors)
        if self.config.numbering == "sequential":
            self.errors.extend(check_numbering(reader.invoices.values()))
        book = ApplicationBook(self.config, reader.invoices, self.owner_of,
                               keep_history=self.keep_history)
        events = self._apply(entries, book, issued, customers)
        self.errors.extend(book.errors)
        return customers, reader, book, events

    def _customers(self, entries: Sequence[Any]) -> dict[str, Customer]:
        book = CustomerBook(self.config)
        for entry in self.each(entries):
            if isinstance(entry, Custom) and entry.type == CUSTOMER_DIRECTIVE:
                book.add(entry)
        self.errors.extend(book.errors)
        self.owner_of = AccountOwners(self.config.root, book.account_owner)
        return book.customers()

    def _check_accounts(self, entry: Transaction) -> None:
        for posting in entry.postings:
            account = posting.account
            if (self.owner_of[account] == NO_CUSTOMER and account not in self.unknown_accounts
                    and posting_number(posting)):
                self.unknown_accounts.add(account)
                self.errors.append(ar_error(
                    "AR002", posting.meta or entry.meta, f"receivable account {account} "
                    'belongs to no customer; add a custom "ar-customer" directive with '
                    f"account: {account}", entry))

    def _apply(
        self, entries: Sequence[Any], book: ApplicationBook,
        issued: dict[int, IssuedInvoice],
        customers: dict[str, Customer],
    ) -> dict[str, list[StatusEvent]]:
        events: dict[str, list[StatusEvent]] = {}
        for entry in self.each(entries):
            if isinstance(entry, Transaction):
                if self.config.invoice_tag not in entry.tags:
                    book.apply(entry)
                elif id(entry) in issued:
                    invoice = issued[id(entry)]
                    book.issue(invoice)
                    self._check_credit_limit(entry, invoice, book, customers)
                else:
                    book.unmatched(entry)
            elif isinstance(entry, Custom) and entry.type in EVENT_KINDS:
                event = read_event(entry, book.invoices)
                if isinstance(event, ARError):
                    self.errors.append(event)
                elif self.keep_history:
                    events.setdefault(event.invoice, []).append(event)
        return events

    def _check_credit_limit(
        self, entry: Transaction, invoice: IssuedInvoice, book: ApplicationBook,
        customers: dict[str, Customer],
    ) -> None:
        if self.config.credit_limit == "off":
            return
        limit = customers[invoice.customer].at(invoice.date).credit_limit
        if limit is None or limit.currency != invoice.currency:
            return
        balance = book.balance[invoice.customer, invoice.currency]
        if balance > limit.number:
            self.errors.append(ar_error(
                "AR301", entry.meta, f"invoice {invoice.number} takes customer "
                f"{invoice.customer!r} to {balance} {limit.currency}, over its credit limit "
                f"of {limit.number} {limit.currency}; collect first, raise the limit with a "
                "dated ar-customer, or set credit_limit: 'off'", entry))
