"""The Receivables report in Fava.

    2026-01-01 custom "fava-extension" "beancount_ar.fava"

adds `Receivables` at `/<ledger-slug>/extension/Receivables/`. The model is built
once per ledger load, by the first request that needs it; later requests only
filter and format.
The as-of date is the end of Fava's time filter, else today, and today when the
filter ends after today (the page says so). A bad parameter, an account filter
that is no receivable account, or a page past the last is a 400/404: on the page
a message inside Fava's frame, from the JSON endpoints plain text.

Documents, rendered in memory as on `bean-ar invoice` / `bean-ar statement`:
`.../Receivables/invoice_pdf?number=INV-1` and `.../statement_pdf?customer=acme`
(as of the same date; the statement from the time filter's start, else from the
beginning of the books). An unknown number or customer is a 404, a document that
cannot be made (no wkhtmltopdf, a broken template, a bad `ar-company`) a 503,
both in plain text.
"""

from __future__ import annotations

import datetime
import threading
from typing import TYPE_CHECKING, Any, TypeVar, cast

from beancount.core.account import has_component
from fava.beans.funcs import hash_entry
from fava.core.filters import Match
from fava.ext import FavaExtensionBase, extension_endpoint
from fava.util.date import parse_date
from flask import abort, jsonify, make_response, render_template, request, url_for
from markupsafe import Markup

from beancount_ar.core.build import no_collection_pauses, read_receivables
from beancount_ar.documents.batch import file_name
from beancount_ar.fava.actions import plain
from beancount_ar.fava.analytics import Analytics
from beancount_ar.fava.billing import BillingActions
from beancount_ar.fava.chart import aging_charts
from beancount_ar.fava.collections import Collections
from beancount_ar.fava.payments import PaymentActions
from beancount_ar.fava.view import (
    PAGE_PARAMS,
    PAGE_SIZE,
    SORT_KEYS,
    STATUS_LABELS,
    STATUSES,
    InvoicePage,
    InvoiceRow,
    PageQuery,
    QueryError,
    aging_rows,
    customer_view,
    cut_page,
    entries_by_line,
    invoice_page,
    invoice_record,
    largest_first,
    open_rows,
    parse_query,
    sort_rows,
    summary,
)
from beancount_ar.reports.aging import Buckets, today
from beancount_ar.reports.formatting import AGING_FIELDS, aging_records

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from flask import Response

    from beancount_ar.core.errors import ARError
    from beancount_ar.core.model import Receivables as Model
    from beancount_ar.core.seller import CompanyVersion
    from beancount_ar.fava.view import CustomerView


__all__ = ["Analytics", "Collections", "Receivables"]  # Fava: a report per extension class

_KEPT = 64  # computed views kept between requests (per date, customer, order)
AGING_SHOWN = 25  # customers in the aging table and chart, largest first; ?aging=all: all
DOCUMENTS = ("invoice_pdf", "statement_pdf")  # endpoints that answer a PDF
WRITES = ("pay", "write_off", "bill")  # endpoints that append to the ledger
# Fava adds its filters to every URL it builds; a document link keeps `time` alone.
_FAVA_FILTERS = ("conversion", "interval", "account", "filter", "time")
T = TypeVar("T")


class Receivables(PaymentActions, BillingActions, FavaExtensionBase):
    """Who owes what: summary, aging, open invoices and customers; payments, billing."""

    report_title = "Receivables"
    clock = staticmethod(today)  # the day "today" is; tests set their own

    def after_load_file(self) -> None:
        """Forget the last load's model: the first page that needs it builds it, once.

        Not now: the load itself stays as fast as Fava without the extension,
        and a ledger that never opens these pages never pays for them.
        """
        self._model: Model | None = None
        self._building = threading.Lock()
        self._entries: dict[tuple[str, int], Any] | None = None
        self._hashes: dict[int, str] = {}
        self._memo: dict[tuple[Any, ...], Any] = {}

    @property
    def receivables(self) -> Model:
        """The receivables of the loaded ledger (the one way in), built on first use."""
        with self._building:
            if self._model is None:
                with no_collection_pauses():
                    self._model = read_receivables(self.ledger.all_entries,
                                                   self.ledger.options)
            return self._model

    @property
    def company_errors(self) -> list[ARError]:
        """What is wrong with the `ar-company` directives (AR010)."""
        return [e for e in self.receivables.errors if e.code == "AR010"]

    def before_request(self) -> None:
        """Answer bad parameters to this extension's pages with 400/404, not Fava's 500."""
        if f"/extension/{self.name}/" not in request.path:
            return
        endpoint = request.path.rsplit("/", 1)[-1]
        if endpoint in WRITES:  # their form is theirs to check, and a GET is a 405
            return
        try:
            if endpoint in DOCUMENTS:
                self.as_of()  # their own parameters: an unknown one is a 404, not a 400
            else:
                self._check_pages(self.query())
        except QueryError as error:
            message = f"{error.reason}: {error}"
            abort(self._error_page(message, error) if endpoint == ""
                  else plain(message, error.status))

    def _check_pages(self, query: PageQuery) -> None:
        """Raise PageNotFoundError for a page past the last, of either list."""
        self.invoices(query)
        self.customer_invoices(query)

    def _error_page(self, message: str, error: QueryError) -> Response:
        """The Receivables page reduced to the message, inside Fava's layout."""
        template = self.jinja_env.get_template(f"{self.name}.html")
        content = Markup(template.render(  # noqa: S704 - the template autoescapes
            ledger=self.ledger, extension=self, error=message, param=error.param,
            retry=self.link(**{error.param: None}) if error.param else None))
        html = render_template("_layout.html", content=content, page_title=self.report_title)
        # Fava's in-page loads (`partial`) show an error status's body as raw source text,
        # so those get the rendered message with 200; a full load gets the real status.
        return make_response(html, 200 if request.args.get("partial") else error.status)

    # --- what the template and the endpoints read ---------------------------

    def time_filter(self) -> tuple[datetime.date, datetime.date] | None:
        """Fava's time filter as its first and last day; None when there is none."""
        time = request.args.get("time", "").strip()
        if not time:
            return None
        try:
            start, end = parse_date(time, self.ledger.fava_options.fiscal_year_end)
        except (ValueError, TypeError, OverflowError):
            start = end = None
        if start is None or end is None:
            message = f"time filter {time!r} is not a date or period"
            raise QueryError(message, "time")
        return start, end - datetime.timedelta(days=1)

    def as_of(self) -> datetime.date:
        """The end of Fava's time filter, else today; today when the filter ends later."""
        window = self.time_filter()
        return self.clock() if window is None else min(window[1], self.clock())

    def filter_ends_after_today(self) -> datetime.date | None:
        """The time filter's last day when it is after today (the page then says so)."""
        window = self.time_filter()
        return window[1] if window is not None and window[1] > self.clock() else None

    def query(self) -> PageQuery:
        """The request as a page query (raises QueryError)."""
        args = dict(request.args.items())
        owner = self._account_owner(args.pop("account", "").strip())
        query = parse_query(args, self.as_of(), self.receivables.customers)
        if owner is not None and query.customer is None:
            query = PageQuery(query.as_of, owner, query.status, query.search, query.sort,
                              query.descending, query.page, query.customer_page)
        return query

    def _account_owner(self, account: str) -> str | None:
        """The customer Fava's account filter narrows the page to; None for all of them.

        The filter on a customer's receivable account is that customer; one that
        takes in receivable accounts of several (the root, `Assets`, a pattern)
        leaves the page whole; one that takes in none is a QueryError.
        """
        if not account:
            return None
        owner = self.receivables.customer_of(account)
        if owner is not None:
            return owner
        match = Match(account)
        accounts = [self.receivables.config.root, *self.receivables.account_owner]
        if any(has_component(a, account) or match(a) or self.receivables.config.root.startswith(
                f"{account}:") for a in accounts):
            return None
        message = (f"the account filter {account!r} takes in no receivable account; "
                   f"this page covers {self.receivables.config.root} and the accounts below it")
        raise QueryError(message, "account")

    def _kept(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """What `compute` gives, kept for later requests until the ledger reloads.

        The model only changes on a load, so a request that sorts, filters or
        pages again costs the rendering alone.
        """
        if key not in self._memo:
            if len(self._memo) >= _KEPT:
                self._memo.pop(next(iter(self._memo)))
            self._memo[key] = compute()
        return cast("T", self._memo[key])

    def rows_on(self, as_of: datetime.date, customer: str | None = None) -> list[InvoiceRow]:
        """The open invoices on a date (of one customer), kept between requests."""
        if customer is not None:
            return self._kept(("rows", as_of, customer), lambda: [
                r for r in self.rows_on(as_of) if r.invoice.customer == customer])
        return self._kept(("rows", as_of), lambda: open_rows(self.receivables, as_of))

    def sorted_rows(self, query: PageQuery) -> list[InvoiceRow]:
        """The open invoices in the order asked for, kept between requests."""
        return self._kept(
            ("sorted", query.as_of, query.customer, query.sort, query.descending),
            lambda: sort_rows(self.rows_on(query.as_of, query.customer), query.sort,
                              descending=query.descending))

    def page(self) -> dict[str, Any]:
        """Everything the Receivables page shows for this request."""
        query = self.query()
        key = (query.as_of, query.customer)
        aging = self._kept(("aging", *key), lambda: aging_rows(self.receivables, query))
        shown = aging if request.args.get("aging") == "all" else largest_first(
            aging, AGING_SHOWN)
        return {
            "query": query,
            "summary": self._kept(("summary", *key), lambda: summary(
                self.receivables, self.rows_on(*key), query.as_of, query.customer)),
            "aging": shown,
            "aging_hidden": len(aging) - len(shown),
            "aging_shown": AGING_SHOWN,
            "aging_chart": self._kept(("chart", *key, len(shown)), lambda: aging_charts(shown)),
            "buckets": Buckets().labels,
            "invoices": self.invoices(query),
            "customer": self._customer(query),
            "customer_invoices": self.customer_invoices(query),
            "customers": sorted(self.receivables.customers.values(), key=lambda c: c.id),
            "filter_end": self.filter_ends_after_today(),
            "statuses": [(s, STATUS_LABELS[s]) for s in STATUSES],
            "sort_keys": SORT_KEYS,
            "errors": len(self.ledger.errors),
        }

    def invoices(self, query: PageQuery) -> InvoicePage:
        """The page of open invoices asked for (raises PageNotFoundError past the last)."""
        return invoice_page(self.sorted_rows(query), query, presorted=True)

    def _customer(self, query: PageQuery) -> CustomerView | None:
        customer = query.customer
        if customer is None:
            return None
        return self._kept(("customer", query.as_of, customer), lambda: customer_view(
            self.receivables, customer, query.as_of, self.receivables.config.sensitive))

    def customer_invoices(self, query: PageQuery) -> InvoicePage | None:
        """The page of the customer view's invoices asked for (PageNotFoundError past the last)."""
        view = self._customer(query)
        return None if view is None else cut_page(view.invoices, query.customer_page,
                                                  "customer_page")

    def money(self, number: Decimal, currency: str) -> str:
        """An amount at the ledger's precision, with thousands separators."""
        return self.receivables.precision.grouped(number, currency)

    def entry_link(self, filename: str, lineno: int) -> str | None:
        """Fava's context view of the transaction at a source line."""
        if self._entries is None:
            self._entries = entries_by_line(self.ledger.all_entries)
        entry = self._entries.get((filename, lineno))
        if entry is None:
            return None
        key = id(entry)
        if key not in self._hashes:
            self._hashes[key] = hash_entry(entry)
        return f"#context-{self._hashes[key]}"

    def link(self, **changes: str | int | None) -> str:
        """This page's URL with some parameters changed (None removes one)."""
        args = dict(request.args.items())
        args.pop("partial", None)  # Fava's in-page loads add it; a link must not keep it
        args.update({k: str(v) for k, v in changes.items() if v is not None})
        for key in [k for k, v in changes.items() if v is None]:
            args.pop(key, None)
        if not any(key in changes for key in PAGE_PARAMS):
            for key in PAGE_PARAMS:  # another filter, order or customer starts at page one
                args.pop(key, None)
        from urllib.parse import urlencode  # noqa: PLC0415

        return f"{request.path}?{urlencode(args)}" if args else request.path

    def document_link(self, endpoint: str, **params: str) -> str:
        """The URL of a document endpoint for this page's date: Fava's `time`, no other filter."""
        from urllib.parse import urlencode  # noqa: PLC0415

        # Fava adds its filters to each URL it builds; None keeps them out.
        page = url_for("extension_report", extension_name=self.name,
                       **dict.fromkeys(_FAVA_FILTERS))
        time = request.args.get("time")
        args = {**({"time": time} if time else {}), **params}
        return f"{page}{endpoint}?{urlencode(args)}"

    # --- JSON endpoints ------------------------------------------------------

    @extension_endpoint("aging")  # type: ignore[untyped-decorator, arg-type]
    def aging_json(self) -> Response:
        """`bean-ar aging` as JSON for the same date and customer filter."""
        query = self.query()
        rows = self._kept(("aging", query.as_of, query.customer),
                          lambda: aging_rows(self.receivables, query))
        header = [*AGING_FIELDS, *Buckets().labels, "total"]
        return jsonify({
            "as_of": query.as_of.isoformat(),
            "rows": [dict(zip(header, r, strict=True))
                     for r in aging_records(rows, self.receivables.precision)],
        })

    @extension_endpoint("invoices")  # type: ignore[untyped-decorator, arg-type]
    def invoices_json(self) -> Response:
        """The open invoices, filtered, sorted and paged as on the page."""
        query = self.query()
        page = self.invoices(query)
        return jsonify({
            "as_of": query.as_of.isoformat(), "total": page.total, "page": page.page,
            "pages": page.pages, "page_size": PAGE_SIZE,
            "rows": [invoice_record(r, self.receivables.precision) for r in page.rows],
        })

    # --- documents -----------------------------------------------------------

    @extension_endpoint("invoice_pdf")  # type: ignore[untyped-decorator, arg-type]
    def invoice_pdf(self) -> Response:
        """`bean-ar invoice NUMBER` as of the page's date, as an inline PDF."""
        from beancount_ar.documents.data import invoice_document  # noqa: PLC0415
        from beancount_ar.documents.render import invoice_html  # noqa: PLC0415

        number = request.args.get("number", "").strip()
        as_of = self.as_of()
        document = invoice_document(self.receivables, number, as_of)
        if document is None:
            return plain(f"No invoice {number!r} issued on or before {as_of} in this ledger",
                          404)
        return self._pdf(number, document.seller, lambda: invoice_html(document))

    @extension_endpoint("statement_pdf")  # type: ignore[untyped-decorator, arg-type]
    def statement_pdf(self) -> Response:
        """`bean-ar statement CUSTOMER` up to the page's date, as an inline PDF."""
        from beancount_ar.documents.data import statement_document  # noqa: PLC0415
        from beancount_ar.documents.render import statement_html  # noqa: PLC0415

        customer = request.args.get("customer", "").strip()
        as_of = self.as_of()
        window = self.time_filter()
        start = None if window is None else min(window[0], as_of)
        document = statement_document(self.receivables, customer, start, as_of)
        if document is None:
            return plain(f"No customer {customer!r} in this ledger", 404)
        return self._pdf(f"statement-{customer}-{as_of.isoformat()}", document.seller,
                         lambda: statement_html(document))

    def _pdf(self, name: str, seller: CompanyVersion | None, html: Callable[[], str]) -> Response:
        """The page `html` makes as an inline PDF named `name`; 503 when it cannot be made."""
        from beancount_ar.documents.render import DocumentError, pdf_bytes  # noqa: PLC0415

        if self.company_errors:  # as `bean-ar`: no document with a seller in doubt
            reasons = "\n".join(e.message for e in self.company_errors)
            return plain(f"Cannot print: the ar-company directive has errors\n{reasons}", 503)
        try:
            pdf = pdf_bytes(html(), seller.page_size if seller else "A4")
        except DocumentError as error:
            return plain(f"Cannot print: {error}", 503)
        response = make_response(pdf, 200)
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = f'inline; filename="{file_name(name)}"'
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
