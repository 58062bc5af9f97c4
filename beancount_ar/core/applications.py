"""Applying receivable postings outside invoices: payments, credit notes, write-offs.

    2026-03-01 * "Acme Corp" "Payment for two invoices"
      Assets:Bank:Checking          3000.00 USD
      Assets:Receivable:Acme       -1000.00 USD
        invoice: "INV-2026-002"
      Assets:Receivable:Acme       -2000.00 USD
        invoice: "INV-2026-003"

A posting applies to its `invoice` metadata, else to the transaction's only
link; in an `#on-account` transaction a posting without `invoice` moves the
customer's unapplied credit instead.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_ar.core.customers import source
from beancount_ar.core.errors import ARError, ar_error
from beancount_ar.core.invoices import posting_number
from beancount_ar.core.model import ZERO, Application, ApplicationKind, IssuedInvoice

if TYPE_CHECKING:
    from beancount.core.data import Posting, Transaction

    from beancount_ar.core.accounts import AccountOwners
    from beancount_ar.core.config import ARConfig

ON_ACCOUNT_TAG = "on-account"
CREDIT_NOTE_TAG = "credit-note"
WRITE_OFF_TAG = "write-off"


class ApplicationBook:
    """Applies postings in date order and keeps each customer's running balance."""

    def __init__(
        self,
        config: ARConfig,
        invoices: dict[str, IssuedInvoice],
        owner_of: AccountOwners,
        *,
        keep_history: bool = True,
    ) -> None:
        """Apply postings to `invoices`; `owner_of` says who owns each account."""
        self.config = config
        self.invoices = invoices
        self.owner_of = owner_of
        self.keep_history = keep_history  # False: balances only, for the checks
        self.applied: dict[str, list[Application]] = defaultdict(list)
        self.open: dict[str, Decimal] = {n: inv.amount for n, inv in invoices.items()}
        self.unapplied: list[Application] = []
        self.on_account: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        self.balance: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        self.errors: list[ARError] = []
        # Invoices something was applied to after their due date while still open: late.
        self.late: set[str] = set()
        # The open amounts last reported as AR203 (below zero) and AR208 (above billed).
        self._reported_low: dict[str, Decimal] = {}
        self._reported_high: dict[str, Decimal] = {}

    def issue(self, invoice: IssuedInvoice) -> None:
        """An invoice raises its customer's balance."""
        self.balance[invoice.customer, invoice.currency] += invoice.amount

    def unmatched(self, entry: Transaction) -> None:
        """Receivable postings of a transaction that is no valid invoice: kept, on no invoice."""
        for posting in entry.postings:
            units = posting_number(posting)
            owner = self.owner_of[posting.account]
            if units is not None and owner:
                self._record(entry, posting, owner, None, ApplicationKind.UNMATCHED)

    def apply(self, entry: Transaction) -> None:
        """Apply every receivable posting of a transaction that is not an invoice."""
        touched: dict[str, Decimal] = {}  # what this transaction applies to each invoice
        on_account_used: list[tuple[str, str]] = []
        for posting in entry.postings:
            owner = self.owner_of[posting.account]
            if not owner:
                continue  # not receivable, or no customer: AR002 is reported for the account
            units = posting_number(posting)
            if units is None:
                continue
            target = self._target(entry, posting)
            if target is None:
                if ON_ACCOUNT_TAG in entry.tags:
                    self._record(entry, posting, owner, None, ApplicationKind.ON_ACCOUNT)
                    self.on_account[owner, units[1]] += units[0]
                    if units[0] > 0:
                        on_account_used.append((owner, units[1]))
                else:
                    self._unapplied(entry, posting, owner, "AR201",
                                    _no_target(entry, self.config.invoice_tag))
                continue
            if self._apply_to(entry, posting, owner, target, units):
                touched[target] = touched.get(target, ZERO) + units[0]
        if touched:
            self._check_open_amounts(entry, touched)
        if on_account_used:
            self._check_credit_used(entry, on_account_used)

    def _target(self, entry: Transaction, posting: Posting) -> str | None:
        named = (posting.meta or {}).get("invoice")
        if named is not None:
            return str(named)
        if ON_ACCOUNT_TAG in entry.tags or len(entry.links) != 1:
            return None
        return next(iter(entry.links))

    def _apply_to(
        self, entry: Transaction, posting: Posting, owner: str, target: str,
        units: tuple[Decimal, str],
    ) -> bool:
        invoice = self.invoices.get(target)
        if invoice is None:
            return self._unapplied(entry, posting, owner, "AR202",
                                   f"applies to unknown invoice {target}; "
                                   f"{_tag_hint(entry, self.config.invoice_tag)}correct the "
                                   "link or the posting's invoice: metadata")
        if units[1] != invoice.currency:
            return self._unapplied(entry, posting, owner, "AR204",
                                   f"applies {units[0]} {units[1]} to invoice {target} billed "
                                   f"in {invoice.currency}; pay it in {invoice.currency}")
        if owner != invoice.customer:
            return self._unapplied(entry, posting, owner, "AR205",
                                   f"posts to {posting.account} ({owner}) for invoice "
                                   f'{target} of customer "{invoice.customer}"; post to '
                                   f"{invoice.account}")
        if entry.date < invoice.date:
            self.errors.append(ar_error(
                "AR206", entry.meta, f"applies to invoice {target} dated {invoice.date}, "
                "before the invoice exists; date it on or after the invoice", entry))
        self._record(entry, posting, owner, target, _kind(entry, units[0]), units)
        if entry.date > invoice.due and self.open[target] > 0:
            self.late.add(target)
        self.open[target] += units[0]
        return True

    def _unapplied(
        self, entry: Transaction, posting: Posting, owner: str, code: str, message: str
    ) -> bool:
        self.errors.append(ar_error(code, posting.meta or entry.meta,
                                    f"{entry.date} {posting.account}: {message}", entry))
        self._record(entry, posting, owner, None, ApplicationKind.UNMATCHED)
        return False

    def _record(  # noqa: PLR0913, PLR0917 - the hot path passes what it already knows
        self, entry: Transaction, posting: Posting, owner: str, target: str | None,
        kind: ApplicationKind, units: tuple[Decimal, str] | None = None,
    ) -> None:
        units = units or posting_number(posting)
        if units is None:
            return
        amount, currency = units
        self.balance[owner, currency] += amount
        if not self.keep_history:
            return
        application = Application(  # positional: this runs once per payment posting
            entry.date, owner, posting.account, target, amount, currency, kind,
            entry.narration or "", source(posting.meta or entry.meta),
        )
        if target is None:
            self.unapplied.append(application)
        else:
            self.applied[target].append(application)

    def _check_open_amounts(self, entry: Transaction, touched: dict[str, Decimal]) -> None:
        """AR203 for an invoice paid below zero, AR208 for one debited above what was billed.

        Each is reported where the open amount goes further out than it was last
        reported, so one bad posting does not make every later correct one an error.
        """
        for number in sorted(touched):
            open_amount, invoice = self.open[number], self.invoices[number]
            if open_amount < self._reported_low.get(number, ZERO):
                self._reported_low[number] = open_amount
                self.errors.append(ar_error(
                    "AR203", entry.meta, f"over-pays invoice {number}: {invoice.amount} "
                    f"{invoice.currency} billed, open would be {open_amount}; apply "
                    "the excess #on-account or split the payment", entry))
            elif touched[number] > 0 and open_amount > self._reported_high.get(
                    number, invoice.amount):
                self._reported_high[number] = open_amount
                self.errors.append(ar_error(
                    "AR208", entry.meta, f"debit of {touched[number]} {invoice.currency} "
                    f"takes invoice {number} to {open_amount} open, above the "
                    f"{invoice.amount} billed; a refund applies only to what was paid or "
                    "credited on the invoice: post it #on-account or to the right invoice",
                    entry))

    def _check_credit_used(self, entry: Transaction, used: list[tuple[str, str]]) -> None:
        for owner, currency in sorted(set(used)):
            if self.on_account[owner, currency] > 0:
                self.errors.append(ar_error(
                    "AR207", entry.meta, f"uses more unapplied credit than customer "
                    f'"{owner}" has in {currency} (short by '
                    f"{self.on_account[owner, currency]}); lower the amount or record the "
                    "prepayment first", entry))


def _no_target(entry: Transaction, invoice_tag: str) -> str:
    hint = _tag_hint(entry, invoice_tag, ON_ACCOUNT_TAG, CREDIT_NOTE_TAG, WRITE_OFF_TAG)
    return (f"applies to no invoice ({len(entry.links)} links); {hint}add the invoice's "
            "link, invoice: metadata on the posting, or tag the transaction #on-account")


def _tag_hint(entry: Transaction, *known: str) -> str:
    """`did you mean #invoice?` when the transaction carries a tag close to a known one."""
    tags = {tag.lower(): tag for tag in entry.tags if tag not in known}
    for wanted in known:
        close = difflib.get_close_matches(wanted.lower(), tags, n=1)
        if close:
            return f"it is tagged #{tags[close[0]]}: did you mean #{wanted}? Otherwise "
    return ""


def _kind(entry: Transaction, amount: Decimal) -> ApplicationKind:
    if CREDIT_NOTE_TAG in entry.tags:
        return ApplicationKind.CREDIT_NOTE
    if WRITE_OFF_TAG in entry.tags:
        return ApplicationKind.WRITE_OFF
    if amount > 0:
        return ApplicationKind.DEBIT
    if ON_ACCOUNT_TAG in entry.tags:
        return ApplicationKind.CREDIT_APPLIED
    return ApplicationKind.PAYMENT
