"""Recording a payment or a write-off from the Receivables page (AR-SPEC 4 and 14).

    POST /<slug>/extension/Receivables/pay
      token, file_sha256 (from the page), invoice=INV-A1, date=2026-07-01,
      amount=1000.00, account=Assets:Bank:Checking

appends, to the ledger's top file,

    2026-07-01 * "Acme Corp" "Payment" ^INV-A1
      Assets:Bank:Checking     1000.00 USD
      Assets:Receivable:Acme  -1000.00 USD

and `.../write_off` (invoice, date, amount: the open amount as shown, account)
the same shape tagged `#write-off`, debiting an expense account. An amount of
zero or less, more than the open amount (an overpayment is booked on account
by hand), with more decimals than the currency's, a date before the invoice or
after today, or an account not open that day is refused (400) with nothing
written; so is everything `actions.append_checked` refuses. The page is then
shown again with the text written, from Fava's reloaded ledger.
"""

from __future__ import annotations

import datetime
import hmac
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from beancount.core.data import Open
from fava.ext import extension_endpoint
from flask import redirect, request

from beancount_ar.core.applications import WRITE_OFF_TAG
from beancount_ar.core.ledger_text import quoted
from beancount_ar.core.model import ApplicationKind
from beancount_ar.fava.actions import (
    Ledger,
    RefusedError,
    TopFile,
    append_checked,
    check_request,
    new_token,
    plain,
)
from beancount_ar.fava.collections import _file_lock as file_lock  # the same lock
from beancount_ar.fava.view import entries_by_line
from beancount_ar.reports.appending import account_spans, is_open

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from fava.core import FavaLedger
    from flask.wrappers import Response

    from beancount_ar.core.model import Invoice
    from beancount_ar.core.model import Receivables as Model
    from beancount_ar.reports.appending import Spans

BAD_DEBT = "Expenses:BadDebt"
_KEPT_TEXTS = 16  # what was written, shown once the page comes back
_STATE = threading.Lock()


@dataclass(frozen=True)
class Settlement:
    """A payment or write-off of one invoice: the transaction to append."""

    date: datetime.date
    invoice: str
    payee: str
    narration: str
    tag: str | None
    debit: str  # the bank account, or the expense account of a write-off
    credit: str  # the invoice's receivable account
    amount: Decimal
    currency: str

    @property
    def text(self) -> str:
        """The transaction as the ledger writes it, ending in a newline."""
        tag = f" #{self.tag}" if self.tag else ""
        width = max(len(self.debit), len(self.credit))
        debit, credit = f"{self.amount:f}", f"{-self.amount:f}"
        return (f"{self.date} * {quoted(self.payee)} {quoted(self.narration)} "
                f"^{self.invoice}{tag}\n"
                f"  {self.debit:<{width}}  {debit:>{len(credit)}} {self.currency}\n"
                f"  {self.credit:<{width}}  {credit} {self.currency}\n")


@dataclass(frozen=True)
class Choices:
    """What the forms offer: bank accounts per currency, expense accounts, the defaults."""

    banks: Mapping[str, tuple[str, ...]]  # currency -> open Assets accounts that take it
    bank: Mapping[str, str]  # currency -> the default: the last payment's in that currency
    expenses: tuple[str, ...]
    write_off: str

    def banks_for(self, currency: str) -> tuple[str, ...]:
        """The accounts a payment in `currency` may go into."""
        return self.banks.get(currency, ())

    def bank_for(self, currency: str) -> str | None:
        """The account a payment in `currency` goes into unless the user picks another."""
        return self.bank.get(currency)


def choices(receivables: Model, entries: Sequence[Any], today: datetime.date) -> Choices:
    """The open bank and expense accounts; the last payment's and write-off's accounts.

    A bank account is an Assets account that is no receivable account and whose
    `open` allows the invoice's currency (a USD cheque account takes no EUR); the
    default is the account of the last payment in that currency, else the first
    one opened for that currency, else the first `Assets:Bank` one.
    """
    spans = account_spans(entries)
    open_now = sorted(a for a in spans if is_open(spans, a, today))
    allowed = {e.account: e.currencies for e in entries if isinstance(e, Open) and e.currencies}
    assets = [a for a in open_now if a.startswith("Assets:") and not _receivable(receivables, a)]
    currencies = sorted({i.currency for i in receivables.invoices.values()})
    banks = {c: tuple(a for a in assets if a not in allowed or c in allowed[a])
             for c in currencies}
    bank = {}
    for currency, accounts in banks.items():
        last = _last_account(receivables, entries, ApplicationKind.PAYMENT, currency)
        own = [a for a in accounts if a in allowed]  # opened for this currency (and others)
        banks_first = [a for a in accounts if a.startswith("Assets:Bank")]
        default = last if last in accounts else next(iter(own + banks_first + list(accounts)),
                                                      None)
        if default is not None:
            bank[currency] = default
    expenses = tuple(a for a in open_now if a.startswith("Expenses:"))
    write_off = _last_account(receivables, entries, ApplicationKind.WRITE_OFF) or BAD_DEBT
    return Choices(banks, bank, expenses, write_off)


def _receivable(receivables: Model, account: str) -> bool:
    root = receivables.config.root
    return receivables.customer_of(account) is not None or account == root \
        or account.startswith(f"{root}:")


def _last_account(receivables: Model, entries: Sequence[Any], kind: ApplicationKind,
                  currency: str | None = None) -> str | None:
    """The non-receivable debit of the ledger's last transaction applying `kind`."""
    applied = [a for invoice in receivables.invoices.values() for a in invoice.applications
               if a.kind is kind and currency in (None, invoice.currency)]
    if not applied:
        return None
    last = max(enumerate(applied), key=lambda pair: (pair[1].date, pair[0]))[1]
    entry = entries_by_line(entries).get((last.source.filename, last.source.lineno))
    debits = [p.account for p in getattr(entry, "postings", ())
              if p.units is not None and p.units.number is not None and p.units.number > 0
              and not _receivable(receivables, p.account)]
    return debits[0] if debits else None


def read_settlement(form: Mapping[str, str], receivables: Model, spans: Spans,
                    today: datetime.date, *, write_off: bool) -> Settlement:
    """The payment (or write-off) a form asks for; RefusedError (400) when it is no valid one."""
    number = form.get("invoice", "").strip()
    invoice = receivables.invoices.get(number)
    if invoice is None:
        raise RefusedError(400, f"no invoice {number!r} in this ledger; nothing was written")
    day = _day(form.get("date", ""), invoice, today)
    amount = _amount(form.get("amount", ""), invoice, receivables)
    if write_off and amount != invoice.open_amount():
        raise RefusedError(409, f"{number} has {invoice.open_amount():f} {invoice.currency} "
                           f"open, not {amount:f}; reload the page; nothing was written")
    account = form.get("account", "").strip()
    what = "the expense account" if write_off else "the bank account"
    if not is_open(spans, account, day):
        raise RefusedError(400, f"{what} {account!r} is not open on {day}: open it first "
                           "(or choose another); nothing was written")
    if _receivable(receivables, account) or not account.startswith(
            "Expenses:" if write_off else "Assets:"):
        kind = "an Expenses" if write_off else "an Assets account that is no receivable"
        raise RefusedError(400, f"{what} must be {kind} account (got {account!r}); "
                           "nothing was written")
    payee = receivables.customers[invoice.customer].at(day).name \
        if invoice.customer in receivables.customers else invoice.payee
    return Settlement(day, number, payee, "Write-off" if write_off else "Payment",
                      WRITE_OFF_TAG if write_off else None, account, invoice.account,
                      amount, invoice.currency)


def _day(given: str, invoice: Invoice, today: datetime.date) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(given.strip())
    except ValueError:
        raise RefusedError(400, f"the date must be YYYY-MM-DD (got {given!r}); nothing was "
                           "written") from None
    if day < invoice.date or day > today:
        raise RefusedError(400, f"the date must be between the invoice's, {invoice.date}, "
                           f"and today, {today} (got {day}); nothing was written")
    return day


def _amount(given: str, invoice: Invoice, receivables: Model) -> Decimal:
    currency, places = invoice.currency, receivables.precision.digits.get(invoice.currency)
    try:
        amount = Decimal(given.strip().replace(",", ""))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise RefusedError(400, f"the amount must be a number (got {given!r}); nothing was "
                           "written")
    exponent = amount.as_tuple().exponent
    if places is not None and isinstance(exponent, int) and -exponent > places:
        raise RefusedError(400, f"{currency} takes {places} decimals (got {given!r}); "
                           "nothing was written")
    open_amount = invoice.open_amount()
    if amount <= 0 or amount > open_amount:
        raise RefusedError(400, f"the amount must be more than zero and at most what is "
                           f"open on {invoice.number}, {open_amount:f} {currency} (got "
                           f"{given!r}); nothing was written")
    return amount if places is None else amount.quantize(Decimal(1).scaleb(-places))


class FormWrites(TopFile):
    """What every form of the page shares: its token, the file as shown, the guarded write."""

    if TYPE_CHECKING:
        ledger: FavaLedger
        clock: Callable[[], datetime.date]

        @property
        def receivables(self) -> Model:
            """The model of the loaded ledger."""

        def _kept(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:  # noqa: ANN401
            """What `compute` gives, kept until the ledger reloads."""

    @property
    def form_token(self) -> str:
        """The token of this page's forms: one per extension and process."""
        with _STATE:
            if "_form_token" not in self.__dict__:
                self.__dict__["_form_token"] = new_token()
            return str(self.__dict__["_form_token"])

    def written_text(self) -> str | None:
        """What the write the page came back from (`?written=`) appended."""
        kept: dict[str, str] = self.__dict__.get("_written", {})
        return kept.get(request.args.get("written", ""))

    def guarded_write(self, make_text: Callable[[], str]) -> Response:
        """Check the request, append what `make_text` gives under Fava's lock, reload.

        The text is made under the lock from the model then loaded, so a second
        click waits for the first, then finds the file changed: 409, nothing written.
        """
        try:
            origin = request.headers.get("Origin") or request.headers.get("Referer")
            check_request(request.method, origin, request.host,
                          request.form.get("token"), self.form_token)
            shown = request.form.get("file_sha256", "")
            with file_lock(self.ledger):
                self._check_unchanged(shown)  # before the form: a second click is a 409
                text = make_text()
                ledger = Ledger(self.ledger.all_entries, self.ledger.options,
                                self.receivables.errors)
                append_checked(text, self.target, shown, ledger)
                self.__dict__["_last_write"] = (_asked(), text)
                self.ledger.watcher.notify(self.target)
                self.ledger.load_file()
        except RefusedError as error:
            return plain(str(error), error.status)
        key = new_token()[:12]
        with _STATE:
            kept: dict[str, str] = self.__dict__.setdefault("_written", {})
            kept[key] = text
            while len(kept) > _KEPT_TEXTS:
                kept.pop(next(iter(kept)))
        # 303: the browser comes back to the page with a GET, never posting twice.
        page = request.path.rsplit("/", 1)[0] + "/"
        return redirect(f"{page}?written={key}", 303)  # type: ignore[return-value]


    def _check_unchanged(self, shown: str) -> None:
        """Refuse (409) a form shown before the file last changed; say so if it was ours."""
        if hmac.compare_digest(self.file_sha256(), shown):
            return
        last = self.__dict__.get("_last_write")
        if last is not None and last[0] == _asked():
            raise RefusedError(409, f"{self.target} changed since this page was shown: this "
                               "same form was already written (a second click?), as\n"
                               f"{last[1]}it was not written again")
        raise RefusedError(409, f"{self.target} changed since this page was shown (someone "
                           "else saved, or an editor did); reload the page and try again; "
                           "nothing was written")


def _asked() -> tuple[str, tuple[tuple[str, str], ...]]:
    """The request's endpoint and form without its token: what a second click repeats."""
    fields = tuple(sorted((k, v) for k, v in request.form.items() if k != "token"))
    return request.path, fields


class PaymentActions(FormWrites):
    """`Record payment` and `Write off` on each open invoice of the Receivables page."""

    def settle_choices(self) -> Choices:
        """The forms' accounts and defaults for today, kept until the ledger reloads."""
        today = self.clock()
        return self._kept(("settle", today), lambda: choices(  # type: ignore[no-any-return]
            self.receivables, self.ledger.all_entries, today))

    def open_now(self, invoice: Invoice) -> str:
        """What is open on `invoice` counting every application: the forms' amount."""
        return self.receivables.precision.plain(invoice.open_amount(), invoice.currency)

    def _settlement_text(self, *, write_off: bool) -> str:
        spans = self._kept(("spans",), lambda: account_spans(self.ledger.all_entries))
        return read_settlement(request.form, self.receivables, spans, self.clock(),
                               write_off=write_off).text

    @extension_endpoint("pay", ["POST"])  # type: ignore[untyped-decorator, arg-type]
    def pay(self) -> Response:
        """Append a payment of one invoice (see the module's docstring), then reload."""
        return self.guarded_write(lambda: self._settlement_text(write_off=False))

    @extension_endpoint("write_off", ["POST"])  # type: ignore[untyped-decorator, arg-type]
    def write_off(self) -> Response:
        """Append a `#write-off` of one invoice's open amount, then reload."""
        return self.guarded_write(lambda: self._settlement_text(write_off=True))

    @extension_endpoint("pay", ["GET"])  # type: ignore[untyped-decorator, arg-type]
    def pay_by_get(self) -> Response:
        """A GET (a link, a crawler, a forged image) writes nothing: 405, POST only."""
        return post_only()

    @extension_endpoint("write_off", ["GET"])  # type: ignore[untyped-decorator, arg-type]
    def write_off_by_get(self) -> Response:
        """A GET writes nothing: 405, POST only."""
        return post_only()


def post_only() -> Response:
    """405 for a GET of an endpoint that writes."""
    response = plain("this takes a POST from the Receivables page; nothing was written", 405)
    response.headers["Allow"] = "POST"
    return response
