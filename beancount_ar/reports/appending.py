"""What `bean-check` would reject once new entries are appended to the ledger (AR-SPEC 14).

    2026-06-30 balance Assets:Receivable:Acme   0.00 USD

    2026-06-01 * "Acme Corp" "Support, June" ^INV-2026-0007 #invoice    ; appended
      Assets:Receivable:Acme   1500.00 USD
      Income:Support

The appended invoice, dated before the assertion, makes the assertion fail:
`appending_problems` names it, and the command writes nothing. So does a
posting to an account not open on its day, or in a currency its `open` does
not list. Every writer that appends
transactions (`bill`, `invoice new`, `deposit --record`, the Fava forms)
asks first, so the ledger passes `bean-check` afterwards as it did before.

A `pad` of the account before the assertion (since its previous one) takes up
the difference (Beancount pads to the asserted amount), so it is no problem.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount.core.data import Balance, Close, Open, Pad, Transaction, entry_sortkey

from beancount_ar.core.build import read_receivables

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from beancount_ar.core.errors import ARError


def appending_refusals(entries: Sequence[Any], options: Mapping[str, Any],
                       errors: Iterable[ARError], new_entries: Sequence[Any]) -> list[str]:
    """Why the ledger must not get `new_entries`: bean-check's problems, then new AR errors.

    `errors` are the AR errors the ledger has now (they may stay).
    """
    return (appending_problems(entries, new_entries)
            or new_ar_errors(entries, options, errors, new_entries))


def new_ar_errors(entries: Sequence[Any], options: Mapping[str, Any],
                  errors: Iterable[ARError], new_entries: Sequence[Any]) -> list[str]:
    """The AR errors the ledger would have with `new_entries` that it has not now.

    An invoice that takes a customer over its credit limit (AR301), say.
    """
    before = {error.message for error in errors}
    after = read_receivables(sorted([*entries, *new_entries], key=entry_sortkey), options,
                             history=False)
    return [error.message for error in after.errors if error.message not in before]


def appending_problems(entries: Sequence[Any], new_entries: Iterable[Any]) -> list[str]:
    """Why appending `new_entries` to the ledger's `entries` would fail bean-check; [] if not."""
    added = [e for e in new_entries if isinstance(e, Transaction)]
    if not added:
        return []
    return _not_open(entries, added) + _broken_assertions(entries, added)


Spans = dict[str, tuple["datetime.date", "datetime.date"]]  # account -> open day, close day


def account_spans(entries: Iterable[Any]) -> Spans:
    """Each account's open day and close day (or the last day), from its directives."""
    spans: Spans = {}
    for entry in entries:
        if isinstance(entry, Open):
            spans.setdefault(entry.account, (entry.date, datetime.date.max))
        elif isinstance(entry, Close) and entry.account in spans:
            spans[entry.account] = (spans[entry.account][0], entry.date)
    return spans


def is_open(spans: Spans, account: str, day: datetime.date) -> bool:
    """Whether a posting to `account` on `day` is valid (on the close day too, as Beancount)."""
    span = spans.get(account)
    return span is not None and span[0] <= day <= span[1]


def _not_open(entries: Sequence[Any], added: Sequence[Transaction]) -> list[str]:
    """Postings to an account not open that day, or in a currency its `open` does not allow."""
    spans = account_spans(entries)
    allowed = {e.account: e.currencies for e in entries if isinstance(e, Open) and e.currencies}
    problems = []
    for entry in added:
        for posting in entry.postings:
            account, day = posting.account, entry.date
            currency = getattr(posting.units, "currency", None)
            if account not in spans or spans[account][0] > day:
                problems.append(f"{account} is not open on {day}")
            elif not is_open(spans, account, day):
                problems.append(f"{account} is closed on {day} (closed {spans[account][1]})")
            elif account in allowed and currency not in allowed[account]:
                problems.append(f"{account} is opened for {', '.join(allowed[account])} only, "
                                f"not {currency}")
    return list(dict.fromkeys(problems))


def _broken_assertions(entries: Sequence[Any], added: Sequence[Transaction]) -> list[str]:
    """Balance assertions dated after a new posting to their account (or one below it)."""
    touched = {p.account for e in added for p in e.postings}
    assertions = [e for e in entries if isinstance(e, Balance)
                  and any(_within(a, e.account) for a in touched)]
    pads = [e for e in entries if isinstance(e, Pad)]
    problems = []
    for assertion in assertions:
        if _padded(pads, assertions, assertion):
            continue
        change = Decimal(0)
        for entry in added:
            if entry.date >= assertion.date:
                continue
            change += sum((p.units.number for p in entry.postings
                           if p.units is not None and isinstance(p.units.number, Decimal)
                           and _within(p.account, assertion.account)
                           and p.units.currency == assertion.amount.currency), Decimal(0))
        if change:
            line = assertion.meta.get("lineno", "?")
            problems.append(
                f"the balance assertion of {assertion.account} on {assertion.date} "
                f"({assertion.meta.get('filename', '?')}:{line}) would fail: the new entries "
                f"dated before it change that balance by {change} {assertion.amount.currency}")
    return problems


def _within(account: str, parent: str) -> bool:
    """Whether `account` is `parent` or below it: a balance assertion counts both."""
    return account == parent or account.startswith(parent + ":")


def _padded(pads: Sequence[Pad], assertions: Sequence[Balance], assertion: Balance) -> bool:
    """Whether a pad before the assertion (since the account's previous one) absorbs a change.

    Beancount pads to the asserted amount from the balance just before the
    assertion, whatever was posted between the pad and it.
    """
    earlier = [a.date for a in assertions
               if a.account == assertion.account and a.date < assertion.date]
    since = max(earlier, default=None)
    return any(pad.account == assertion.account and pad.date < assertion.date
               and (since is None or pad.date >= since) for pad in pads)
