"""Recognising invoice transactions and reading their number, customer, terms and lines.

    2026-01-05 * "Acme Corp" "Consulting, January" ^INV-2026-001 #invoice
      due: 2026-02-04
      Assets:Receivable:Acme        1800.00 USD
      Income:Consulting            -1500.00 USD
        description: "Architecture review"
      Liabilities:SalesTax          -300.00 USD
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_ar.accounts import NO_CUSTOMER
from beancount_ar.customers import source
from beancount_ar.errors import ARError, ar_error
from beancount_ar.model import ZERO, Customer, IssuedInvoice
from beancount_ar.terms import Terms, parse_terms

if TYPE_CHECKING:
    from beancount.core.data import Posting, Transaction

    from beancount_ar.accounts import AccountOwners
    from beancount_ar.config import ARConfig

def posting_number(posting: Posting) -> tuple[Decimal, str] | None:
    """A posting's units as (number, currency), if booking gave it any."""
    try:
        number, currency = posting.units.number, posting.units.currency  # type: ignore[union-attr]
    except AttributeError:  # booking left no units
        return None
    if type(number) is Decimal and type(currency) is str:  # Decimal subclasses are no money
        return number, currency
    return None


class InvoiceReader:
    """Turns `#invoice` transactions into invoices, reporting AR101-AR103."""

    def __init__(
        self,
        config: ARConfig,
        customers: dict[str, Customer],
        owner_of: AccountOwners,
    ) -> None:
        """Read invoices for `customers`; `owner_of` says who owns each account."""
        self.config = config
        self.customers = customers
        self.owner_of = owner_of
        self.invoices: dict[str, IssuedInvoice] = {}
        self.errors: list[ARError] = []

    def read(self, entry: Transaction) -> IssuedInvoice | None:
        """The invoice `entry` issues, or None (with errors) when it is not valid."""
        links = entry.links
        if len(links) != 1:
            named = ", ".join(sorted(links)) or "none"
            self._fail("AR102", entry, f"invoice of {entry.date} to {self._billed(entry)} has "
                       f"{len(links)} links ({named}); an invoice needs exactly one link, its "
                       "number (^INV-...)")
            return None
        (number,) = links
        receivable = self._receivable(entry, number)
        if receivable is None:
            return None
        customer, account, amount, currency, others = receivable
        if number in self.invoices:
            first = self.invoices[number].source
            self._fail("AR101", entry, f"invoice {number} is used twice (first at "
                              f"{first.filename}:{first.lineno}); give this invoice a new number")
            return None
        terms, due = self._terms_and_due(entry, number, customer)
        invoice = IssuedInvoice(  # positional: this runs once per invoice
            number, customer, account, entry.date, due, terms, amount, currency,
            entry.payee or "", entry.narration or "", others, source(entry.meta),
        )
        self.invoices[number] = invoice
        return invoice

    def _billed(self, entry: Transaction) -> str:
        """Who an invoice bills, for messages: its customer's name, else its payee."""
        for posting in entry.postings:
            owner = self.owner_of[posting.account]
            if owner:
                return f"{self.customers[owner].name} ({owner}, {posting.account})"
        return repr(entry.payee or entry.narration)

    def _fail(self, code: str, entry: Transaction, message: str) -> None:
        self.errors.append(ar_error(code, entry.meta, message, entry))

    def _receivable(
        self, entry: Transaction, number: str
    ) -> tuple[str, str, Decimal, str, tuple[Posting, ...]] | None:
        others = []
        customers: set[str] = set()
        currencies: set[str] = set()
        account, total = "", ZERO
        for posting in entry.postings:
            owner = self.owner_of[posting.account]
            if owner is None:
                others.append(posting)
                continue
            units = posting_number(posting)
            if units is None:
                continue
            if owner == NO_CUSTOMER:
                return None  # AR002 is reported for the account
            customers.add(owner)
            currencies.add(units[1])
            account = account or posting.account
            total += units[0]
        if len(customers) != 1 or len(currencies) != 1 or total <= 0:
            self._fail("AR102", entry, f"invoice {number} must post a positive amount to "
                       f"exactly one customer's account under {self.config.root} in one "
                       f"currency (found {len(customers)} customers, {len(currencies)} "
                       f"currencies, total {total})")
            return None
        return customers.pop(), account, total, currencies.pop(), tuple(others)

    def _terms_and_due(
        self, entry: Transaction, number: str, customer: str
    ) -> tuple[Terms, datetime.date]:
        version = self.customers[customer].at(entry.date)
        terms = version.terms or self.config.default_terms
        given_terms = entry.meta.get("terms")
        if given_terms is not None:
            parsed = parse_terms(given_terms) if isinstance(given_terms, str) else None
            if parsed is None:
                self._fail("AR103", entry, f"invoice {number} has unknown terms "
                           f"{given_terms!r}; use 'net N', 'due on receipt', 'P/D net N' "
                           "or 'eom net N'")
            else:
                terms = parsed
        due = terms.due(entry.date)
        given_due = entry.meta.get("due")
        if given_due is not None:
            if not isinstance(given_due, datetime.date):
                self._fail("AR103", entry, f"invoice {number} due {given_due!r} is not a "
                           "date; write due: YYYY-MM-DD without quotes")
            elif given_due < entry.date:
                self._fail("AR103", entry, f"invoice {number} is due {given_due}, before "
                           f"its date {entry.date}; correct the due date")
            else:
                due = given_due
        return terms, due
