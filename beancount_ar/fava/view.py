"""The Receivables page as data: summary, aging, open invoices, one customer.

Pure functions of the model and the request's parameters; the Fava extension
turns a request into `PageQuery` and renders what comes back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount_ar.core.model import ZERO, ApplicationKind, Invoice, Status
from beancount_ar.core.promises import is_promised
from beancount_ar.reports.aging import AgingRow, Buckets, aging, total_row, unapplied_credit
from beancount_ar.reports.formatting import OVERDUE_FIELDS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from beancount_ar.core.model import Application, Customer, Receivables
    from beancount_ar.core.precision import Precision

PAGE_SIZE = 50
SORT_KEYS = ("number", "customer", "date", "due", "days_overdue", "amount", "open", "status")
# A status as the filter, the JSON and the page's data attributes name it: "open" alone
# would read as "still owed", which overdue invoices are too.
STATUS_NAMES = {Status.PAID: "paid", Status.OPEN: "not-due", Status.OVERDUE: "overdue",
                Status.DISPUTED: "disputed", Status.COLLECTIONS: "collections"}
STATUS_LABELS = {"paid": "Paid", "not-due": "Not yet due", "overdue": "Overdue",
                 "promised": "Promised", "disputed": "Disputed", "collections": "In collections"}
# `promised` (AR-SPEC section 11) is an overdue invoice under a promise to pay, as in
# `bean-ar overdue`: disputed and in collections beat it.
STATUSES = ("not-due", "overdue", "promised", "disputed", "collections")
DEPRECATED_STATUSES = {"open": "not-due"}  # the name before 0.x; old links keep working
PAGE_PARAMS = ("page", "customer_page")  # the open-invoice list's and the customer view's
SensitiveKeys = tuple[str, ...]


class QueryError(ValueError):
    """A request parameter the page cannot use; the message says which and why.

    `param` names the parameter to drop for a page that works; `status` is the
    HTTP status of the answer.
    """

    status = 400
    reason = "Bad request"

    def __init__(self, message: str, param: str | None = None) -> None:
        """The reason, and the parameter at fault."""
        super().__init__(message)
        self.param = param


class PageNotFoundError(QueryError):
    """A page number past the last page."""

    status = 404
    reason = "Not found"


@dataclass(frozen=True)
class PageQuery:
    """What the user asked for: date, filters, sort order and page."""

    as_of: datetime.date
    customer: str | None = None
    status: str | None = None
    search: str = ""
    sort: str = "days_overdue"
    descending: bool = True
    page: int = 1
    customer_page: int = 1


@dataclass(frozen=True)
class CurrencySummary:
    """One currency's receivables on the as-of date."""

    currency: str
    open: Decimal = ZERO
    overdue: Decimal = ZERO
    disputed: Decimal = ZERO
    collections: Decimal = ZERO
    unapplied: Decimal = ZERO
    open_count: int = 0
    overdue_count: int = 0

    @property
    def net(self) -> Decimal:
        """Open on invoices plus unapplied credit: the receivable accounts' balance."""
        return self.open + self.unapplied


@dataclass(frozen=True)
class InvoiceRow:
    """An open invoice as the table shows it."""

    invoice: Invoice
    customer_name: str
    days_overdue: int
    open: Decimal
    status: Status
    history: tuple[Application, ...]
    promised: bool = False  # under a promise to pay on the as-of date

    @property
    def status_name(self) -> str:
        """The status as the filter and the JSON name it: `not-due`, `overdue`, ..."""
        if self.promised and self.status is Status.OVERDUE:
            return "promised"
        return STATUS_NAMES[self.status]

    @property
    def status_label(self) -> str:
        """The status as the page writes it: `Not yet due`, `Overdue`, ..."""
        return STATUS_LABELS[self.status_name]


@dataclass(frozen=True)
class InvoicePage:
    """One page of the filtered, sorted open invoices."""

    rows: tuple[InvoiceRow, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class CustomerView:
    """A customer's terms, credit line, contacts, invoices and payments."""

    customer: Customer
    terms: str
    credit_limit: Decimal | None
    credit_currency: str | None
    balance: Decimal | None  # in the credit limit's currency
    details: tuple[tuple[str, str], ...]  # contact fields, sensitive ones masked
    invoices: tuple[InvoiceRow, ...]
    payments: tuple[Application, ...]
    utilisation: Decimal | None = field(default=None)


def open_rows(receivables: Receivables, as_of: datetime.date) -> list[InvoiceRow]:
    """Every invoice issued by `as_of` with something still open on it."""
    rows = []
    for invoice in receivables.invoices.values():
        if invoice.date > as_of:
            continue
        open_amount = invoice.open_amount(as_of)
        if open_amount:
            rows.append(_row(receivables, invoice, as_of, open_amount))
    return rows


def _row(receivables: Receivables, invoice: Invoice, as_of: datetime.date,
         open_amount: Decimal) -> InvoiceRow:
    customer = receivables.customers.get(invoice.customer)
    return InvoiceRow(
        invoice, customer.name if customer else invoice.customer, invoice.days_overdue(as_of),
        open_amount, invoice.status(as_of),
        tuple(a for a in invoice.applications if a.date <= as_of), is_promised(invoice, as_of),
    )


def summary(receivables: Receivables, rows: Iterable[InvoiceRow], as_of: datetime.date,
            customer: str | None = None) -> list[CurrencySummary]:
    """Totals per currency: open, overdue, disputed, in collections, unapplied, counts.

    `rows` are already narrowed to `customer` when one is given; so is the credit.
    """
    sums: dict[str, dict[str, Decimal]] = {}
    counts: dict[str, list[int]] = {}
    for row in rows:
        cur = row.invoice.currency
        bucket = sums.setdefault(cur, {})
        bucket["open"] = bucket.get("open", ZERO) + row.open
        count = counts.setdefault(cur, [0, 0])
        count[0] += 1
        if row.days_overdue > 0:
            bucket["overdue"] = bucket.get("overdue", ZERO) + row.open
            count[1] += 1
        if row.status in (Status.DISPUTED, Status.COLLECTIONS):
            bucket[row.status.value] = bucket.get(row.status.value, ZERO) + row.open
    for (owner, cur), amount in unapplied_credit(receivables, as_of).items():
        if customer is not None and owner != customer:
            continue
        bucket = sums.setdefault(cur, {})
        bucket["unapplied"] = bucket.get("unapplied", ZERO) + amount
    return [
        CurrencySummary(cur, **values, open_count=counts.get(cur, [0, 0])[0],
                        overdue_count=counts.get(cur, [0, 0])[1])
        for cur, values in sorted(sums.items())
    ]


def largest_first(rows: Sequence[AgingRow], shown: int) -> list[AgingRow]:
    """The `shown` customer rows owing most (in their currency), then every total row."""
    customers = [r for r in rows if not r.is_total]
    top = sorted(customers, key=lambda r: r.total, reverse=True)[:shown]
    kept = {id(r) for r in top}
    return [r for r in rows if id(r) in kept or r.is_total]


def aging_rows(receivables: Receivables, query: PageQuery) -> list[AgingRow]:
    """The same rows as `bean-ar aging`, narrowed to one customer when asked."""
    rows = aging(receivables, query.as_of, "due", Buckets())
    if query.customer is None:
        return rows
    own = [r for r in rows if r.customer == query.customer]
    return own + [total_row(r.currency, r.unapplied, r.buckets) for r in own]


def sort_rows(rows: Iterable[InvoiceRow], key: str, *, descending: bool) -> list[InvoiceRow]:
    """Rows in a column's order; ties by invoice number, ascending, as `bean-ar overdue`."""
    ordered = sorted(rows, key=lambda r: r.invoice.number)
    ordered.sort(key=SORT_VALUES[key], reverse=descending)
    return ordered


def invoice_page(rows: Sequence[InvoiceRow], query: PageQuery, *,
                 presorted: bool = False) -> InvoicePage:
    """Filter by customer, status and text; sort (unless `presorted`); cut one page.

    Raises PageNotFoundError for a page past the last.
    """
    if not presorted:
        rows = sort_rows(rows, query.sort, descending=query.descending)
    matches = _matcher(query.search)
    chosen = [
        r for r in rows
        if (query.customer is None or r.invoice.customer == query.customer)
        and (query.status is None or r.status_name == query.status)
        and matches(r)
    ]
    return cut_page(chosen, query.page, "page")


def cut_page(rows: Sequence[InvoiceRow], page: int, param: str) -> InvoicePage:
    """Page `page` of `rows`, PAGE_SIZE a page; past the last, PageNotFoundError names `param`."""
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    if page > pages:
        message = (f"there is no page {page}: {len(rows)} invoice(s) make "
                   f"{pages} page(s) of {PAGE_SIZE}")
        raise PageNotFoundError(message, param)
    start = (page - 1) * PAGE_SIZE
    return InvoicePage(tuple(rows[start:start + PAGE_SIZE]), len(rows), page, pages)


def _matcher(search: str) -> Callable[[InvoiceRow], bool]:
    """Whether a row matches the search text: words, or its amount or open amount.

    A number (`4131`, `4131.00`, `4,131.00`) finds the rows whose amount or open
    amount is that number, not those whose figures merely contain its digits.
    """
    needle = search.casefold()
    if not needle:
        return lambda _: True
    number = _amount(needle)
    return lambda r: needle in _haystack(r) or (
        number is not None and number in (r.invoice.amount, r.open))


def _amount(text: str) -> Decimal | None:
    """`4131`, `4131.00` and `4,131.00` as a number; None for anything else."""
    plain = text.replace(",", "").replace(" ", "")
    if not plain or not all(c.isdigit() or c in ".-" for c in plain):
        return None
    try:
        return Decimal(plain)
    except ArithmeticError:
        return None


def _haystack(row: InvoiceRow) -> str:
    invoice = row.invoice
    return (f"{invoice.number} {invoice.customer} {row.customer_name} {invoice.payee} "
            f"{invoice.narration} {row.status_name} {row.status_label}").casefold()


SortValue = str | int | Decimal | datetime.date
SORT_VALUES: dict[str, Callable[[InvoiceRow], SortValue]] = {
    "number": lambda r: r.invoice.number, "customer": lambda r: r.invoice.customer,
    "date": lambda r: r.invoice.date, "due": lambda r: r.invoice.due,
    "days_overdue": lambda r: r.days_overdue, "amount": lambda r: r.invoice.amount,
    "open": lambda r: r.open, "status": lambda r: r.status_name,
}


def customer_view(receivables: Receivables, customer_id: str, as_of: datetime.date,
                  sensitive: SensitiveKeys) -> CustomerView:
    """Everything the page shows about one customer on `as_of`."""
    customer = receivables.customers[customer_id]
    version = customer.at(as_of)
    limit = version.credit_limit
    invoices = tuple(
        _row(receivables, i, as_of, i.open_amount(as_of))
        for i in receivables.invoices.values()
        if i.customer == customer_id and i.date <= as_of
    )
    payments = sorted(
        (a for i in invoices for a in i.history if a.kind is not ApplicationKind.DEBIT)
    , key=lambda a: (a.date, a.source.lineno))
    payments += [a for a in receivables.unapplied if a.customer == customer_id
                 and a.date <= as_of]
    balance = None
    if limit is not None:
        balance = sum((r.open for r in invoices if r.invoice.currency == limit.currency), ZERO)
        balance += unapplied_credit(receivables, as_of).get((customer_id, limit.currency), ZERO)
    return CustomerView(
        customer=customer,
        terms=str(version.terms or receivables.config.default_terms),
        credit_limit=limit.number if limit else None,
        credit_currency=limit.currency if limit else None,
        balance=balance,
        details=_details(version.details, sensitive),
        invoices=tuple(sorted(invoices, key=lambda r: (r.invoice.date, r.invoice.number),
                              reverse=True)),
        payments=tuple(sorted(payments, key=lambda a: (a.date, a.source.lineno), reverse=True)),
        utilisation=(balance / limit.number * 100).quantize(Decimal(1))
        if limit is not None and balance is not None and limit.number else None,
    )


def _details(details: Mapping[str, str], sensitive: SensitiveKeys) -> tuple[tuple[str, str], ...]:
    marked = set(sensitive) | set(details.get("sensitive", "").replace(",", " ").split())
    return tuple(
        (key, mask_value(value) if key in marked else value)
        for key, value in details.items() if key != "sensitive"
    )


def parse_query(args: Mapping[str, str], as_of: datetime.date,
                customers: Mapping[str, Customer]) -> PageQuery:
    """The page's query from request parameters; QueryError says what is wrong."""
    customer = args.get("customer") or None
    if customer is not None and customer not in customers:
        raise QueryError(f"unknown customer {customer!r}", "customer")
    status = args.get("status") or None
    status = DEPRECATED_STATUSES.get(status, status) if status else None
    if status is not None and status not in STATUSES:
        message = f"unknown status {status!r}; use one of {', '.join(STATUSES)}"
        raise QueryError(message, "status")
    sort = args.get("sort") or "days_overdue"
    if sort not in SORT_KEYS:
        message = f"unknown sort column {sort!r}; use one of {', '.join(SORT_KEYS)}"
        raise QueryError(message, "sort")
    order = args.get("order") or "desc"
    if order not in ("asc", "desc"):
        raise QueryError("order must be asc or desc", "order")
    return PageQuery(as_of, customer, status, (args.get("q") or "").strip()[:200], sort,
                     order == "desc", _page_number(args, "page"),
                     _page_number(args, "customer_page"))


def _page_number(args: Mapping[str, str], param: str) -> int:
    try:
        page = int(args.get(param) or 1)
    except ValueError:
        raise QueryError(f"{param} {args.get(param)!r} is not a number", param) from None
    if page < 1:
        raise QueryError(f"{param} must be 1 or more", param)
    return page


def mask_value(value: str, shown: int = 4) -> str:
    """A sensitive customer field (IBAN, VAT id) shown by its last characters only: `••••5399`."""
    compact = value.replace(" ", "")
    return "••••" + compact[-shown:] if len(compact) > shown else "••••"


def invoice_record(row: InvoiceRow, precision: Precision) -> dict[str, Any]:
    """An open invoice for the JSON endpoint: `bean-ar overdue`'s fields, amounts as text."""
    invoice = row.invoice
    values = [invoice.number, invoice.customer, invoice.currency, invoice.date.isoformat(),
              invoice.due.isoformat(), row.days_overdue,
              precision.plain(invoice.amount, invoice.currency),
              precision.plain(row.open, invoice.currency), row.status_name]
    return dict(zip(OVERDUE_FIELDS, values, strict=True))


def entries_by_line(entries: Iterable[Any]) -> dict[tuple[str, int], Any]:
    """Fava's entries by the source lines of their own and their postings' metadata."""
    found: dict[tuple[str, int], Any] = {}
    for entry in entries:
        postings = getattr(entry, "postings", None)
        if postings is None:
            continue
        for meta in (entry.meta, *(p.meta for p in postings)):
            filename, lineno = (meta or {}).get("filename"), (meta or {}).get("lineno")
            if isinstance(filename, str) and isinstance(lineno, int):
                found[filename, lineno] = entry
    return found
