"""The one way in: a ledger's receivables, built once from its entries and options.

    entries, _, options = beancount.loader.load_file("ledger.beancount")
    receivables = read_receivables(entries, options)
    receivables.invoices["INV-2026-001"].open_amount(datetime.date(2026, 3, 1))
    receivables.errors  # every AR problem, each with its code

The plugins, `bean-ar`, the Fava extension and the documents all read the
model this returns: the configuration (from the ledger's `plugin` line), the
seller (`ar-company`), each currency's precision and every AR error come with
it, and nothing else parses or reads them.

Three passes over the entries: customers, the seller, dunning policies,
reference rates and unknown `ar-` directives; invoices; then, in date order,
applications, status events and credit limits (and, after it, which late
invoices need a reference rate no table has: AR012). Problems come back as
`ARError`s, never as exceptions. An entry the suite fails on becomes an error
at its line and is left out; the rest is still built.
"""

from __future__ import annotations

import dataclasses
import gc
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from beancount.core.data import Custom, Transaction

from beancount_ar.core.accounts import NO_CUSTOMER, AccountOwners
from beancount_ar.core.applications import ApplicationBook
from beancount_ar.core.config import ARConfig, find_config_text, parse_config
from beancount_ar.core.contracts import CONTRACT_DIRECTIVE, Contract, ContractBook, PeriodBook
from beancount_ar.core.credit_limits import credit_limit_error
from beancount_ar.core.customers import CUSTOMER_DIRECTIVE, CustomerBook, no_customer_error
from beancount_ar.core.directives import is_unknown, unknown_directive
from beancount_ar.core.errors import ARError, ar_error
from beancount_ar.core.events import EVENT_KINDS, read_event
from beancount_ar.core.interest import missing_rate_errors
from beancount_ar.core.invoices import InvoiceReader, posting_number
from beancount_ar.core.locales import known_locale
from beancount_ar.core.model import (
    ZERO,
    Customer,
    Invoice,
    IssuedInvoice,
    Receivables,
    StatusEvent,
)
from beancount_ar.core.numbering import check_numbering
from beancount_ar.core.policies import POLICY_DIRECTIVE, PolicyBook, customer_policy_errors
from beancount_ar.core.precision import ledger_precision
from beancount_ar.core.rates import RATE_DIRECTIVE, RateBook
from beancount_ar.core.seller import COMPANY_DIRECTIVE, read_company

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    OnIssue = Callable[[Transaction, IssuedInvoice], None]


def read_receivables(  # noqa: PLR0913 - what to build, all by keyword
    entries: Sequence[Any], options_map: Mapping[str, Any], *,
    history: bool = True, lines: bool | None = None, plugin: str | None = None,
    on_issue: OnIssue | None = None,
) -> Receivables:
    """The receivables of a loaded ledger, with its configuration, seller and AR errors.

    `history=False` is what a load needs, a quarter less work: the invoices as
    issued and every error, but no applications or events, and no invoice
    lines unless `lines` (which follows `history` by default). `plugin` names
    the `plugin` line whose configuration applies (a single plugin's own); by
    default the suite's. `on_issue(entry, invoice)` is called for each invoice
    as its transaction is read: the plugins annotate it there, while the entry
    is at hand, rather than look for every invoice again.
    """
    text = find_config_text(options_map.get("plugin") or (), plugin)
    config, problems = parse_config(text)
    # Beancount keeps no line number for a plugin line: the plugins put it on.
    where = {"filename": str(options_map.get("filename", "<plugin>")), "lineno": 0}
    errors = [ar_error("AR000", where, f"plugin beancount_ar: {p}") for p in problems]
    receivables, found = build_receivables(
        entries, config, history=history, lines=history if lines is None else lines,
        on_issue=on_issue)
    return dataclasses.replace(
        receivables, precision=ledger_precision(options_map), errors=(*errors, *found))


def build_receivables(
    entries: Sequence[Any], config: ARConfig, *, history: bool = True, lines: bool = True,
    on_issue: OnIssue | None = None,
) -> tuple[Receivables, list[ARError]]:
    """The receivables model of `entries` (sorted by date), and every AR problem in them."""
    builder = _Builder(config, keep_history=history, keep_lines=lines)
    builder.on_issue = on_issue
    try:
        receivables = builder.build(entries)
    except Exception as exc:  # noqa: BLE001 - a plugin must never raise: report, don't crash
        return Receivables(config, {}, {}, ()), [*builder.errors, failure(None, exc)]
    return receivables, builder.errors


class _Builder:
    def __init__(self, config: ARConfig, *, keep_history: bool, keep_lines: bool) -> None:
        self.keep_history = keep_history
        self.keep_lines = keep_lines
        self.config = config
        self.errors: list[ARError] = []
        self.owner_of = AccountOwners(config.root, {})
        self.company_entries: list[Custom] = []
        self.policies = PolicyBook()
        self.rates = RateBook()
        self.contract_book = ContractBook()
        self.periods = PeriodBook()
        self.contracts: dict[str, Contract] = {}
        self.on_issue: OnIssue | None = None

    def build(self, entries: Sequence[Any]) -> Receivables:
        customers, reader, book, events = self.read(entries)
        if self.keep_history:
            invoices = {
                number: Invoice(
                    invoice, tuple(book.applied.get(number, ())), tuple(events.get(number, ())))
                for number, invoice in reader.invoices.items()
            }
        else:
            invoices = {number: Invoice(invoice) for number, invoice in reader.invoices.items()}
        seller, seller_errors = read_company(self.company_entries, known_locale)
        self.errors.extend(seller_errors)  # after the rest, as the plugins always listed them
        return Receivables(self.config, customers, invoices, tuple(book.unapplied),
                           dict(self.owner_of.owners), seller,
                           policies=self.policies.policies(), rates=self.rates.table(),
                           contracts=self.contracts,
                           billed=self.periods.billed)

    def read(self, entries: Sequence[Any]) -> tuple[
        dict[str, Customer], InvoiceReader, ApplicationBook, dict[str, list[StatusEvent]]
    ]:
        customers = self._customers(entries)
        reader = InvoiceReader(self.config, customers, self.owner_of,
                               keep_lines=self.keep_lines)
        issued: dict[int, IssuedInvoice] = {}
        tag = self.config.invoice_tag
        for entry in entries:
            if isinstance(entry, Transaction) and tag in entry.tags:
                try:
                    invoice = reader.read(entry)
                    if invoice is not None and self.on_issue is not None:
                        self.on_issue(entry, invoice)
                except Exception as exc:  # noqa: BLE001 - one entry's failure spares the rest
                    self.errors.append(failure(entry, exc))
                    continue
                if invoice is not None:
                    issued[id(entry)] = invoice
                    self.periods.add(entry, invoice.number)
        self.errors.extend(reader.errors)
        self.errors.extend(self.periods.errors)
        if self.config.numbering == "sequential":
            self.errors.extend(check_numbering(reader.invoices.values()))
        book = ApplicationBook(self.config, reader.invoices, self.owner_of,
                               keep_history=self.keep_history)
        events = self._apply(entries, book, issued, customers)
        self.errors.extend(book.errors)
        self._report_unknown_accounts(entries)
        self._report_missing_rates(reader, book, customers)
        return customers, reader, book, events

    def _report_missing_rates(self, reader: InvoiceReader, book: ApplicationBook,
                              customers: dict[str, Customer]) -> None:
        """AR012 for the invoices that ran late (never those paid by their due date)."""
        policies = self.policies.policies()
        if not any(v.interest.series for p in policies.values() for v in p.versions):
            return
        late = [invoice for number, invoice in reader.invoices.items()
                if number in book.late or book.open.get(number, ZERO) > 0]
        self.errors.extend(missing_rate_errors(
            late, customers=customers, policies=policies, rates=self.rates.table()))

    def _customers(self, entries: Sequence[Any]) -> dict[str, Customer]:
        book = CustomerBook(self.config)
        for entry in entries:
            if isinstance(entry, Custom):
                try:
                    if entry.type == CUSTOMER_DIRECTIVE:
                        book.add(entry)
                    elif entry.type == COMPANY_DIRECTIVE:
                        self.company_entries.append(entry)
                    elif entry.type == POLICY_DIRECTIVE:
                        self.policies.add(entry)
                    elif entry.type == RATE_DIRECTIVE:
                        self.rates.add(entry)
                    elif entry.type == CONTRACT_DIRECTIVE:
                        self.contract_book.add(entry)
                    elif is_unknown(entry.type):
                        self.errors.append(unknown_directive(entry))
                except Exception as exc:  # noqa: BLE001 - one entry's failure spares the rest
                    self.errors.append(failure(entry, exc))
        self.errors.extend(book.errors)
        self.errors.extend(self.policies.errors)
        self.errors.extend(self.rates.errors)
        self.owner_of = AccountOwners(self.config.root, book.account_owner)
        customers = book.customers()
        self.errors.extend(customer_policy_errors(customers, self.policies.policies()))
        self.contracts = self.contract_book.contracts(customers)
        self.errors.extend(self.contract_book.errors)
        return customers

    def _report_unknown_accounts(self, entries: Sequence[Any]) -> None:
        """AR002 at the first posting to each receivable account with no customer.

        The passes looked up every posting's account, so the unknown ones are
        known already; only then, and only if there are any, is the ledger
        searched again for where each is first used.
        """
        unknown = {a for a, owner in self.owner_of.items() if owner == NO_CUSTOMER}
        for entry in entries:
            if not unknown:
                return
            if isinstance(entry, Transaction):
                for posting in entry.postings:
                    if posting.account in unknown and posting_number(posting):
                        unknown.discard(posting.account)
                        self.errors.append(no_customer_error(posting, entry))

    def _apply(
        self, entries: Sequence[Any], book: ApplicationBook,
        issued: dict[int, IssuedInvoice],
        customers: dict[str, Customer],
    ) -> dict[str, list[StatusEvent]]:
        events: dict[str, list[StatusEvent]] = {}
        tag = self.config.invoice_tag
        # A try costs nothing until something raises (CPython 3.11), so every
        # entry gets its own: one entry's failure spares the rest.
        for entry in entries:
            try:
                if isinstance(entry, Transaction):
                    if tag not in entry.tags:
                        book.apply(entry)
                    elif id(entry) in issued:
                        invoice = issued[id(entry)]
                        book.issue(invoice)
                        over = credit_limit_error(self.config, entry, invoice, book, customers)
                        if over is not None:
                            self.errors.append(over)
                    else:
                        book.unmatched(entry)
                elif isinstance(entry, Custom) and entry.type in EVENT_KINDS:
                    self._read_event(entry, book, events)
            except Exception as exc:  # noqa: BLE001, PERF203
                self.errors.append(failure(entry, exc))
        return events

    def _read_event(
        self, entry: Custom, book: ApplicationBook, events: dict[str, list[StatusEvent]]
    ) -> None:
        event = read_event(entry, book.invoices)
        if isinstance(event, ARError):
            self.errors.append(event)
        elif self.keep_history:
            events.setdefault(event.invoice, []).append(event)


def failure(entry: object, exc: Exception) -> ARError:
    """AR000 at an entry the suite failed on: a bug to report; the entry is left out."""
    return ar_error("AR000", getattr(entry, "meta", None), "beancount-ar failed on this entry "
                    f"({type(exc).__name__}: {exc}) and left it out; please report it with "
                    "the entry", None)


@contextmanager
def no_collection_pauses() -> Iterator[None]:
    """Pause the cyclic garbage collector while the suite runs.

    The model creates no reference cycles, but its many small objects would set
    off full collections over Beancount's whole entry graph, which doubled the
    suite's cost on a 10k-invoice ledger. The previous state is restored; what
    the suite allocated is freed by reference counting before that.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
