"""The Collections report in Fava: who to chase today, and recording what was done.

    2026-01-01 custom "fava-extension" "beancount_ar.fava"

adds, beside `Receivables`, `Collections` at `/<slug>/extension/Collections/`,
as of the same day as the Receivables page (the end of Fava's time filter, else
today): the letters due and the escalation queue (`bean-ar dunning` and
`bean-ar escalations`' rows, each with a button that records it), the open
disputes with their age and the promises to pay, and a form to record a letter
sent, a dispute, a resolution, a promise or an escalation for any invoice.
Every form posts to `.../Collections/record`, which writes through
`beancount_ar.fava.actions` (POST only, the page's token, same origin, the file
as the page showed it) under Fava's own file lock, then reloads the ledger as
Fava's editor does. The model is the Receivables extension's: one
build per load for both pages.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, cast

from fava.ext import FavaExtensionBase, extension_endpoint
from flask import make_response, redirect, request

from beancount_ar.fava.actions import (
    KINDS,
    RefusedError,
    TopFile,
    check_request,
    new_token,
    plain,
    read_form,
    record,
)
from beancount_ar.reports.dunning import escalations, letters_due

if TYPE_CHECKING:
    import datetime
    from decimal import Decimal

    from fava.core import FavaLedger
    from flask.wrappers import Response as FlaskResponse

    from beancount_ar.core.model import Invoice
    from beancount_ar.core.model import Receivables as Model
    from beancount_ar.fava import Receivables
    from beancount_ar.reports.dunning import DunningRow, EscalationRow

_LOCK = threading.Lock()  # when Fava's file module has none of its own (see `_file_lock`)


class Collections(TopFile, FavaExtensionBase):
    """Disputes and promises, and a form to record what was done about an invoice."""

    report_title = "Collections"

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        """One token per ledger and process for this page's forms."""
        super().__init__(ledger, config)
        self.token = new_token()

    @property
    def receivables_page(self) -> Receivables:
        """The Receivables extension of the same ledger, whose model both pages read."""
        page = self.ledger.extensions.get_extension("Receivables")
        if page is None:  # both live in beancount_ar.fava: one is never loaded without the other
            message = "the Receivables extension is not loaded"
            raise RuntimeError(message)
        return cast("Receivables", page)

    @property
    def receivables(self) -> Model:
        """The model of the loaded ledger."""
        return self.receivables_page.receivables

    def as_of(self) -> datetime.date:
        """The Receivables page's as-of day."""
        return self.receivables_page.as_of()

    def disputes(self) -> list[tuple[Invoice, datetime.date, str]]:
        """Open disputes of invoices with something open: (invoice, since, reason), oldest first."""
        as_of, found = self.as_of(), []
        for invoice in self.receivables.invoices.values():
            if invoice.date <= as_of and invoice.is_disputed(as_of) \
                    and invoice.open_amount(as_of) > 0:
                opened = [e for e in invoice.events if e.date <= as_of]
                last = next(e for e in reversed(opened) if e.kind.value == "ar-dispute")
                found.append((invoice, last.date, last.detail))
        return sorted(found, key=lambda row: (row[1], row[0].number))

    def promises(self) -> list[tuple[Invoice, datetime.date, datetime.date]]:
        """Promises to pay still open on the as-of day: (invoice, made on, to pay by)."""
        as_of, found = self.as_of(), []
        for invoice in self.receivables.invoices.values():
            made = [e for e in invoice.events if e.date <= as_of and e.promised is not None]
            if made and invoice.open_amount(as_of) > 0:
                found.append((invoice, made[-1].date, cast("datetime.date", made[-1].promised)))
        return sorted(found, key=lambda row: (row[2], row[0].number))

    def open_invoices(self) -> list[Invoice]:
        """Invoices with something open on the as-of day, by number: what the form offers."""
        as_of = self.as_of()
        return sorted((i for i in self.receivables.invoices.values()
                       if i.date <= as_of and i.open_amount(as_of) > 0),
                      key=lambda invoice: invoice.number)

    def letters(self) -> list[DunningRow]:
        """The letters due on the as-of day (`bean-ar dunning`'s rows)."""
        return letters_due(self.receivables, self.as_of())

    def escalation_queue(self) -> list[EscalationRow]:
        """The invoices to hand over on the as-of day (`bean-ar escalations`' rows)."""
        return escalations(self.receivables, self.as_of())

    def money(self, number: Decimal, currency: str) -> str:
        """An amount at the ledger's precision, with thousands separators."""
        return self.receivables.precision.grouped(number, currency)

    def kinds(self) -> dict[str, str]:
        """What the form may record, and what its detail is."""
        return KINDS

    @extension_endpoint("letter")  # type: ignore[untyped-decorator, arg-type]
    def letter(self) -> FlaskResponse:
        """The letter due to `?customer=` as the PDF shows it: HTML, or `&format=pdf`."""
        from beancount_ar.documents.letter_render import (  # noqa: PLC0415 - on request
            letter_html,
            letter_pdf,
            output_stem,
        )
        from beancount_ar.documents.letters import letter_documents  # noqa: PLC0415
        from beancount_ar.documents.render import DocumentError  # noqa: PLC0415

        customer = request.args.get("customer", "").strip()
        rows = [row for row in self.letters() if row.customer == customer]
        if not rows:
            return plain(f"No letter is due to customer {customer!r} on {self.as_of()}", 404)
        seller_errors = [e.message for e in self.receivables.errors if e.code == "AR010"]
        if seller_errors:  # as `bean-ar`: no document with a seller in doubt
            return plain("Cannot print: the ar-company directive has errors\n"
                          + "\n".join(seller_errors), 503)
        (document,) = letter_documents(self.receivables, rows, self.as_of())
        try:
            if request.args.get("format") == "pdf":
                response = make_response(letter_pdf(document), 200)
                response.headers["Content-Type"] = "application/pdf"
                response.headers["Content-Disposition"] = (
                    f'inline; filename="{output_stem(document)}.pdf"')
            else:
                response = make_response(letter_html(document), 200)
                response.headers["Content-Type"] = "text/html; charset=utf-8"
                # The letter is a document, not a page: nothing runs, nothing is fetched.
                response.headers["Content-Security-Policy"] = (
                    "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
        except DocumentError as error:
            return plain(f"Cannot print: {error}", 503)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @extension_endpoint("record", ["GET"])  # type: ignore[untyped-decorator, arg-type]
    def record_by_get(self) -> FlaskResponse:
        """A GET (a link, a crawler, a forged image) records nothing: 405, POST only."""
        response = plain("recording takes a POST from the Collections page; nothing was "
                          "written", 405)
        response.headers["Allow"] = "POST"
        return response

    @extension_endpoint("record", ["POST"])  # type: ignore[untyped-decorator, arg-type]
    def record(self) -> FlaskResponse:
        """Append one status event (see `beancount_ar.fava.actions`), then reload the ledger."""
        try:
            origin = request.headers.get("Origin") or request.headers.get("Referer")
            check_request(request.method, origin, request.host,
                          request.form.get("token"), self.token)
            recording = read_form(request.form, self.receivables,
                                  self.receivables_page.clock())
            with _file_lock(self.ledger):
                record(recording, self.target, request.form.get("file_sha256", ""))
                self.ledger.watcher.notify(self.target)
                self.ledger.load_file()
        except RefusedError as error:
            return plain(str(error), error.status)
        # 303: the browser comes back to the page with a GET, never posting twice.
        page = request.path.rsplit("/", 1)[0] + "/"
        return cast("FlaskResponse", redirect(f"{page}?recorded={recording.invoice}", 303))


def _file_lock(ledger: FavaLedger) -> Any:  # noqa: ANN401 - a lock, whichever kind
    """Fava's own lock around its source writes, so an editor save and a recording never mix.

    Fava keeps it on its file module (`_lock`, private in Fava 1.30); without it, ours.
    """
    return getattr(ledger.file, "_lock", None) or _LOCK
