"""The Receivables report in Fava.

    2026-01-01 custom "fava-extension" "beancount_ar.fava"

adds `Receivables` at `/<ledger-slug>/extension/Receivables/`. The model is built
once per ledger load (`after_load_file`); a request only filters and formats.
The as-of date is the end of Fava's time filter, else today.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from fava.beans.funcs import hash_entry
from fava.ext import FavaExtensionBase, extension_endpoint
from fava.util.date import parse_date
from flask import abort, jsonify, make_response, request

from beancount_ar.build import build_receivables
from beancount_ar.config import ARConfig, find_config_text, parse_config
from beancount_ar.formatting import (
    AGING_FIELDS,
    OVERDUE_FIELDS,
    Precision,
    aging_records,
)
from beancount_ar.loading import ledger_precision, today
from beancount_ar.model import ZERO
from beancount_ar.plugin import no_collection_pauses
from beancount_ar.reports import Buckets
from beancount_ar.view import (
    PAGE_SIZE,
    SORT_KEYS,
    STATUSES,
    InvoiceRow,
    PageQuery,
    QueryError,
    aging_rows,
    customer_view,
    invoice_page,
    largest_first,
    open_rows,
    parse_query,
    sort_rows,
    summary,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from flask import Response

    from beancount_ar.model import Receivables as Model
    from beancount_ar.reports import AgingRow


_KEPT = 64  # computed views kept between requests (per date, customer, order)
AGING_SHOWN = 25  # customers in the aging table and chart, largest first; ?aging=all: all
T = TypeVar("T")


class Receivables(FavaExtensionBase):
    """Who owes what: summary, aging, open invoices and customers."""

    report_title = "Receivables"

    receivables: Model
    precision: Precision
    ar_config: ARConfig

    def after_load_file(self) -> None:
        """Build the receivables model of the freshly loaded ledger."""
        with no_collection_pauses():
            self._load()

    def _load(self) -> None:
        options: dict[str, Any] = dict(self.ledger.options)
        config, _ = parse_config(find_config_text(list(options.get("plugin", []))))
        self.ar_config = config
        self.receivables, _ = build_receivables(self.ledger.all_entries, config)
        self.precision = ledger_precision(options)
        self._entries: dict[tuple[str, int], Any] = {}
        for entry in self.ledger.all_entries:
            postings = getattr(entry, "postings", None)
            if postings is None:
                continue
            for meta in (entry.meta, *(p.meta for p in postings)):
                filename, lineno = (meta or {}).get("filename"), (meta or {}).get("lineno")
                if isinstance(filename, str) and isinstance(lineno, int):
                    self._entries[filename, lineno] = entry
        self._hashes: dict[int, str] = {}
        self._memo: dict[tuple[Any, ...], Any] = {}

    def before_request(self) -> None:
        """Answer bad parameters to this extension's pages with 400, not Fava's 500."""
        if f"/extension/{self.name}/" not in request.path:
            return
        try:
            self.query()
        except QueryError as error:
            # Plain text, never HTML: the message repeats what the user sent.
            response = make_response(f"Bad request: {error}\n", 400)
            response.headers["Content-Type"] = "text/plain; charset=utf-8"
            response.headers["X-Content-Type-Options"] = "nosniff"
            abort(response)

    # --- what the template and the endpoints read ---------------------------

    def as_of(self) -> datetime.date:
        """The end of Fava's time filter, else today."""
        time = request.args.get("time", "").strip()
        if not time:
            return today()
        try:
            _, end = parse_date(time, self.ledger.fava_options.fiscal_year_end)
        except (ValueError, TypeError, OverflowError):
            end = None
        if end is None:
            message = f"time filter {time!r} is not a date or period"
            raise QueryError(message)
        return end - datetime.timedelta(days=1)

    def query(self) -> PageQuery:
        """The request as a page query (raises QueryError)."""
        args = dict(request.args.items())
        account = args.pop("account", "")
        query = parse_query(args, self.as_of(), self.receivables.customers)
        owner = self.receivables.customer_of(account) if account else None
        if owner is not None and query.customer is None:
            query = PageQuery(query.as_of, owner, query.status, query.search, query.sort,
                              query.descending, query.page)
        return query

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
            "aging_chart": self._kept(("chart", *key, len(shown)), lambda: _chart(shown)),
            "buckets": Buckets().labels,
            "invoices": invoice_page(self.sorted_rows(query), query, presorted=True),
            "customer": customer_view(self.receivables, query.customer, query.as_of,
                                      self.ar_config.sensitive)
            if query.customer else None,
            "customers": sorted(self.receivables.customers.values(), key=lambda c: c.id),
            "statuses": STATUSES,
            "sort_keys": SORT_KEYS,
            "errors": len(self.ledger.errors),
        }

    def money(self, number: Decimal, currency: str) -> str:
        """An amount at the ledger's precision, with thousands separators."""
        return self.precision.grouped(number, currency)

    def entry_link(self, filename: str, lineno: int) -> str | None:
        """Fava's context view of the transaction at a source line."""
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
        if "page" not in changes:
            args.pop("page", None)
        from urllib.parse import urlencode  # noqa: PLC0415

        return f"{request.path}?{urlencode(args)}" if args else request.path

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
                     for r in aging_records(rows, self.precision)],
        })

    @extension_endpoint("invoices")  # type: ignore[untyped-decorator, arg-type]
    def invoices_json(self) -> Response:
        """The open invoices, filtered, sorted and paged as on the page."""
        query = self.query()
        page = invoice_page(self.sorted_rows(query), query, presorted=True)
        return jsonify({
            "as_of": query.as_of.isoformat(), "total": page.total, "page": page.page,
            "pages": page.pages, "page_size": PAGE_SIZE,
            "rows": [_invoice_json(r, self.precision) for r in page.rows],
        })


def _invoice_json(row: InvoiceRow, precision: Precision) -> dict[str, Any]:
    invoice = row.invoice
    values = [invoice.number, invoice.customer, invoice.currency, invoice.date.isoformat(),
              invoice.due.isoformat(), row.days_overdue,
              precision.plain(invoice.amount, invoice.currency),
              precision.plain(row.open, invoice.currency), row.status.value]
    return dict(zip(OVERDUE_FIELDS, values, strict=True))


def _chart(rows: list[AgingRow]) -> list[dict[str, Any]]:
    """Stacked bars per customer: each bucket's share of the largest total in its currency."""
    customers = [r for r in rows if r.customer != "TOTAL"]
    largest: dict[str, Decimal] = {}
    for r in customers:
        owed = sum((b for b in r.buckets if b > 0), ZERO)
        largest[r.currency] = max(largest.get(r.currency, ZERO), owed)
    return [
        {"row": r, "parts": [(i, float(b / largest[r.currency] * 100))
                             for i, b in enumerate(r.buckets) if b > 0]}
        for r in customers if largest[r.currency] > 0
    ]

