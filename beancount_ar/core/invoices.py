"""Recognising invoice transactions and reading their number, customer, terms and lines.

    2026-01-05 * "Acme Corp" "Consulting, January" ^INV-2026-001 #invoice
      due: 2026-02-04
      Assets:Receivable:Acme        1800.00 USD
      Income:Consulting            -1500.00 USD
        description: "Architecture review"
        quantity: 10
        rate: 150.00 USD
      Liabilities:SalesTax          -300.00 USD
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from beancount_ar.core.accounts import NO_CUSTOMER
from beancount_ar.core.customers import source
from beancount_ar.core.directives import as_written
from beancount_ar.core.errors import ARError, ar_error
from beancount_ar.core.model import ZERO, Customer, IssuedInvoice, invoice_lines, new_record
from beancount_ar.core.terms import TERMS_HINT, Terms, parse_terms

if TYPE_CHECKING:
    from beancount.core.data import Posting, Transaction

    from beancount_ar.core.accounts import AccountOwners
    from beancount_ar.core.config import ARConfig

_TIMES = "\N{MULTIPLICATION SIGN}"
_HALF = Decimal("0.5")


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
    """Turns `#invoice` transactions into invoices, reporting AR101-AR103 and AR105."""

    def __init__(
        self,
        config: ARConfig,
        customers: dict[str, Customer],
        owner_of: AccountOwners,
        *,
        keep_lines: bool = True,
    ) -> None:
        """Read invoices for `customers`; `owner_of` says who owns each account.

        `keep_lines=False` (the plugins' checks) reads no lines into the invoices:
        nothing during a load needs them, and they are a third of an invoice's cost.
        """
        self.config = config
        self.keep_lines = keep_lines
        self.customers = customers
        self.owner_of = owner_of
        self.invoices: dict[str, IssuedInvoice] = {}
        self.errors: list[ARError] = []
        self._dues: dict[tuple[int, bool, datetime.date], datetime.date | None] = {}

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
        meta = entry.meta
        for posting in others:  # AR105, in one cheap test for the usual line
            line_meta = posting.meta
            if line_meta and ("description" in line_meta or "quantity" in line_meta
                              or "rate" in line_meta) and not _plainly_right(posting):
                self._line_errors(entry, number, posting)
        narration = entry.narration or ""
        invoice = new_record(IssuedInvoice, (  # in field order: this runs once per invoice
            number, customer, account, entry.date, due, terms, amount, currency,
            entry.payee or "", narration,
            invoice_lines(others, narration) if self.keep_lines else (), source(meta),
        ))
        self.invoices[number] = invoice
        return invoice

    def _billed(self, entry: Transaction) -> str:
        """Who an invoice bills, for messages: its customer's name, else its payee."""
        for posting in entry.postings:
            owner = self.owner_of[posting.account]
            if owner:
                return f"{self.customers[owner].name} ({owner}, {posting.account})"
        return as_written(entry.payee or entry.narration or "")

    def _fail(self, code: str, entry: Transaction, message: str) -> None:
        self.errors.append(ar_error(code, entry.meta, message, entry))

    def _receivable(
        self, entry: Transaction, number: str
    ) -> tuple[str, str, Decimal, str, list[Posting]] | None:
        others = []
        owner_of = self.owner_of
        customer = currency = account = ""
        mixed, total = False, ZERO
        for posting in entry.postings:
            owner = owner_of[posting.account]
            if owner is None:
                others.append(posting)
                continue
            units = posting_number(posting)
            if units is None:
                continue
            if owner == NO_CUSTOMER:
                return None  # AR002 is reported for the account
            if not customer:
                customer, currency, account = owner, units[1], posting.account
            elif owner != customer or units[1] != currency:
                mixed = True
            total += units[0]
        if mixed or not customer or total <= 0:
            found = {self.owner_of[p.account] for p in entry.postings if posting_number(p)}
            currencies = {u[1] for p in entry.postings
                          if self.owner_of[p.account] and (u := posting_number(p))}
            self._fail("AR102", entry, f"invoice {number} must post a positive amount to "
                       f"exactly one customer's account under {self.config.root} in one "
                       f"currency (found {len(found - {None})} customers, {len(currencies)} "
                       f"currencies, total {total})")
            return None
        return customer, account, total, currency, others

    def _terms_and_due(
        self, entry: Transaction, number: str, customer: str
    ) -> tuple[Terms, datetime.date]:
        terms = self._terms(entry, number, customer)
        due = self._given_due(entry, number) or self._due(terms, entry.date)
        if due is None:
            self._fail("AR103", entry, f"invoice {number}: its due date falls after "
                       f"9999-12-31 ({terms} from {entry.date}); correct the invoice's date "
                       "or give due: 9999-12-31")
            due = datetime.date.max
        return terms, due

    def _due(self, terms: Terms, date: datetime.date) -> datetime.date | None:
        """`terms.due(date)`, worked out once per terms and day: invoices share both."""
        key = (terms.net_days, terms.end_of_month, date)  # all `due` depends on
        try:
            return self._dues[key]
        except KeyError:
            due = self._dues[key] = terms.due(date)
            return due

    def _terms(self, entry: Transaction, number: str, customer: str) -> Terms:
        given = entry.meta.get("terms")
        if given is not None:
            parsed = parse_terms(given) if isinstance(given, str) else None
            if parsed is not None:
                return parsed
            self._fail("AR103", entry, f"invoice {number} has unknown terms "
                       f"{as_written(given)}; {TERMS_HINT}")
        return self.customers[customer].at(entry.date).terms or self.config.default_terms

    def _given_due(self, entry: Transaction, number: str) -> datetime.date | None:
        given = entry.meta.get("due")
        if given is None:
            return None
        if not isinstance(given, datetime.date):
            self._fail("AR103", entry, f"invoice {number} due {as_written(given)} is not a "
                       "date; write due: YYYY-MM-DD without quotes")
            return None
        if given < entry.date:
            self._fail("AR103", entry, f"invoice {number} is due {given}, before "
                       f"its date {entry.date}; correct the due date")
            return None
        return given

    def _line_errors(self, entry: Transaction, number: str, posting: Posting) -> None:
        """AR105 for each thing wrong with a line's description, quantity or rate."""
        for problem in line_problems(posting):
            self.errors.append(ar_error(
                "AR105", posting.meta, f"invoice {number} line {posting.account}: {problem}",
                entry))


def _plainly_right(posting: Posting) -> bool:
    """The usual line, in one cheap test: text, a number, a rate in its currency, exact."""
    meta = posting.meta or {}
    quantity, rate = meta.get("quantity"), meta.get("rate")
    if type(quantity) is not Decimal or type(meta.get("description", "")) is not str:
        return False
    units = posting.units
    try:
        number, currency = units.number, units.currency  # type: ignore[union-attr]
        if type(rate) is Decimal:
            return type(number) is Decimal and quantity * rate == -number
        return (type(rate.number) is Decimal and rate.currency == currency  # type: ignore[union-attr]
                and type(number) is Decimal and quantity * rate.number == -number)  # type: ignore[union-attr]
    except AttributeError:  # no units, or a rate that is no amount
        return False


def line_problems(posting: Posting) -> list[str]:
    """What is wrong with an invoice line's `description`, `quantity` and `rate`, in words.

    Each must be of its kind, the rate in the line's currency, and quantity x
    rate the line's amount at the amount's precision. A quantity or a rate
    alone is not checked against the amount.
    """
    meta = posting.meta or {}
    description, quantity, rate = meta.get("description"), meta.get("quantity"), meta.get("rate")
    units = posting_number(posting)
    problems = []
    if description is not None and not isinstance(description, str):
        problems.append(f"description {as_written(description)} is not text; write it in "
                        'double quotes, e.g. description: "Architecture review"')
    if quantity is not None and type(quantity) is not Decimal:
        problems.append(f"quantity {as_written(quantity)} is not a number; write a number, "
                        "e.g. quantity: 10")
        quantity = None
    if rate is not None and units is not None:
        rate = _rate(rate, units[1], problems)
    if isinstance(quantity, Decimal) and isinstance(rate, Decimal) and units is not None:
        mismatch = _amount_problem(quantity, rate, -units[0], units[1])
        if mismatch is not None:
            problems.append(mismatch)
    return problems


def _rate(rate: object, currency: str, problems: list[str]) -> Decimal | None:
    """A line's rate as a number in its currency; else None, with the problem added."""
    if type(rate) is Decimal:
        return rate
    number, rate_currency = getattr(rate, "number", None), getattr(rate, "currency", None)
    if type(number) is not Decimal or not isinstance(rate_currency, str):
        problems.append(f"rate {as_written(rate)} is not an amount; write e.g. "
                        f"rate: 150.00 {currency}")
        return None
    if rate_currency != currency:
        problems.append(f"rate {number} {rate_currency} is in another currency than the "
                        f"line's {currency}; write the rate in {currency}")
        return None
    return number


def _amount_problem(
    quantity: Decimal, rate: Decimal, billed: Decimal, currency: str
) -> str | None:
    """The mismatch of quantity x rate and the billed amount, rounded to its decimals."""
    product = quantity * rate
    if product == billed or not billed.is_finite():
        return None
    # Within half a cent (of the amount's last place) either way: a tie rounds
    # up or to even, and both are an honest rounding.
    exponent = billed.as_tuple().exponent
    if isinstance(exponent, int):
        if abs(product - billed).scaleb(-exponent) <= _HALF:
            return None
        product = product.quantize(Decimal(1).scaleb(exponent), ROUND_HALF_UP)
    return (f"quantity {quantity} {_TIMES} rate {rate} {currency} = {product} {currency}, "
            f"but the line is {billed} {currency}; correct the quantity, the rate or the amount")
