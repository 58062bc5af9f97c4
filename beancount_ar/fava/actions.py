"""Recording from Fava: a letter sent, a dispute, a resolution, a promise or an escalation.

    <form method="post" action="/<slug>/extension/Collections/record">
      <input type="hidden" name="token" value="...">        the page's token
      <input type="hidden" name="file_sha256" value="..."> the ledger file as shown
      invoice=INV-2026-002  kind=ar-promise  detail=2026-07-15

appends, to the ledger's top file,

    2026-07-01 custom "ar-promise" "INV-2026-002" 2026-07-15

Fava has no login of its own and is often reachable by a whole office, so a
write is taken only as a POST that carries the token rendered into the page,
from a page of the same origin (`Origin`, else `Referer`), while the file is
still what the page showed (its sha256 rides in the form). The event must
name a known invoice and read as `core/events.py` reads it; Beancount's parser
reads the text back before the one writer (`beancount_ar.writer`) appends it.
Anything else is refused with nothing written.
"""

from __future__ import annotations

import datetime
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import make_response

from beancount_ar.core.events import ESCALATIONS
from beancount_ar.core.ledger_text import event_text, parse_problems
from beancount_ar.writer import (
    Snapshot,
    WriteError,
    WriteRefusedError,
    append_to_ledger_file,
    read_snapshot,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from fava.core import FavaLedger
    from flask import Response

    from beancount_ar.core.errors import ARError
    from beancount_ar.core.model import Receivables

KINDS = {  # what the page may record, and what its `detail` is
    "ar-dunning": "the letter's level",
    "ar-dispute": "the reason",
    "ar-resolve": "nothing",
    "ar-promise": "the day the customer promised to pay by",
    "ar-escalate": "agency or legal",
}
_LONGEST_REASON = 500


class TopFile:
    """The file a page's forms append to, the ledger's top file, and its sha256 as shown."""

    if TYPE_CHECKING:
        ledger: FavaLedger

    @property
    def target(self) -> Path:
        """The ledger's top file."""
        return Path(str(self.ledger.options["filename"]))

    def file_sha256(self) -> str:
        """The top file's sha256 as this page shows it; empty when it cannot be read."""
        try:
            return read_snapshot(self.target).sha256
        except WriteError:
            return ""


class RefusedError(Exception):
    """A write refused, nothing written: the HTTP status and why, for the page."""

    def __init__(self, status: int, message: str) -> None:
        """A refusal answered with `status`."""
        super().__init__(message)
        self.status = status


def new_token() -> str:
    """A token for a page's forms: unguessable, one per extension and process."""
    return secrets.token_urlsafe(32)


def check_request(method: str, origin: str | None, host: str,
                  given_token: str | None, token: str) -> None:
    """Refuse (403/405) anything but a same-origin POST with the page's token.

    `origin` is the request's `Origin` header, else its `Referer`; it must name
    the `host` (and port) the request was sent to. The scheme is not compared:
    behind a proxy that ends TLS the page is https and Fava sees http.
    """
    if method != "POST":
        raise RefusedError(405, "recording takes a POST from the Collections page")
    if not origin or urlsplit(origin).netloc.lower() != host.lower():
        raise RefusedError(403, "refused: the request does not come from this Fava's own "
                           "page (Origin/Referer); nothing was written")
    if not given_token or not hmac.compare_digest(given_token, token):
        raise RefusedError(403, "refused: the form's token is missing or stale; reload the "
                           "page and try again; nothing was written")


@dataclass(frozen=True)
class Recording:
    """One status event to append: what the form asked for, checked."""

    date: datetime.date
    kind: str
    invoice: str
    detail: str | int | datetime.date | None

    @property
    def text(self) -> str:
        """The directive as the ledger writes it."""
        return event_text(self.date, self.kind, self.invoice, self.detail)


def read_form(form: Mapping[str, str], receivables: Receivables,
              today: datetime.date) -> Recording:
    """The event a form asks to record today; RefusedError (400) when it is no valid one."""
    number, kind = form.get("invoice", "").strip(), form.get("kind", "").strip()
    invoice = receivables.invoices.get(number)
    if invoice is None:
        raise RefusedError(400, f"no invoice {number!r} in this ledger; nothing was written")
    if invoice.date > today:
        raise RefusedError(400, f"invoice {number} is dated {invoice.date}, after today")
    if kind not in KINDS:
        raise RefusedError(400, f"cannot record {kind!r}; choose one of " + ", ".join(KINDS))
    detail = _detail(kind, form.get("detail", "").strip(), number, today)
    return Recording(today, kind, number, detail)


def _detail(kind: str, given: str, number: str,
            today: datetime.date) -> str | int | datetime.date | None:
    if kind == "ar-resolve":
        return None
    if kind == "ar-dunning":
        if not given.isdigit() or int(given) < 1:
            raise RefusedError(400, f"a letter for {number} needs its level, a whole number "
                               f"from 1 (got {given!r})")
        return int(given)
    if kind == "ar-escalate":
        if given not in ESCALATIONS:
            raise RefusedError(400, f"escalate {number} to agency or legal (got {given!r})")
        return given
    if kind == "ar-promise":
        try:
            day = datetime.date.fromisoformat(given)
        except ValueError:
            day = None
        if day is None or day < today:
            raise RefusedError(400, f"a promise for {number} needs the day it is to be paid "
                               f"by, today or later, as YYYY-MM-DD (got {given!r})")
        return day
    if len(given) > _LONGEST_REASON or any(ord(c) < ord(" ") for c in given):
        raise RefusedError(400, f"the reason for disputing {number} must be one line of at "
                           f"most {_LONGEST_REASON} characters")
    return given or None


def record(recording: Recording, target: Path, shown_sha256: str) -> Snapshot:
    """Append `recording` to `target` if it is still the file the page showed.

    Raises:
        RefusedError: the file changed since the page was shown (409), or the disk
            refused (503); nothing was written.
    """
    problems = parse_problems(recording.text)
    if problems:  # never: the text is made to parse; but never append what does not
        raise RefusedError(400, "cannot record: " + "; ".join(problems))
    try:
        snapshot = read_snapshot(target)
        if not hmac.compare_digest(snapshot.sha256, shown_sha256):
            raise RefusedError(409, f"{target} changed since this page was shown (someone "
                               "else saved, or an editor did); reload the page and record "
                               "again; nothing was written")
        return append_to_ledger_file(snapshot, recording.text)
    except WriteRefusedError as error:
        raise RefusedError(409, f"{error}; nothing was written") from error
    except WriteError as error:
        raise RefusedError(503, f"{error}; nothing was written") from error


def new_errors(entries: Sequence[Any], options: Mapping[str, Any],
               before: Iterable[ARError], text: str) -> list[str]:
    """Why `text` must not be appended: what bean-check would reject, new AR errors.

        new_errors(ledger.all_entries, ledger.options, model.errors, payment_text)

    The ledger must pass bean-check afterwards as it did before (AR-SPEC 14),
    checked as `bean-ar bill` checks its invoices (`reports/appending.py`).
    """
    from beancount.parser import parser  # noqa: PLC0415

    from beancount_ar.reports.appending import appending_refusals  # noqa: PLC0415

    added, _, _ = parser.parse_string(text)
    return appending_refusals(entries, options, before, added)


@dataclass(frozen=True)
class Ledger:
    """What a guarded append checks against: the loaded entries, options and AR errors."""

    entries: Sequence[Any]
    options: Mapping[str, Any]
    errors: Sequence[ARError]


def append_checked(text: str, target: Path, shown_sha256: str, ledger: Ledger) -> Snapshot:
    """Append whole entries to `target` if it is the file the page showed and stays clean.

        append_checked(payment_text, Path("ledger.beancount"), form["file_sha256"], ledger)

    Raises:
        RefusedError: the text does not parse or would add AR errors (400), the file
            changed since the page was shown (409; a second click of the same form
            lands here), or the disk refused (503); nothing was written.
    """
    problems = parse_problems(text)
    if problems:
        raise RefusedError(400, "cannot write: " + "; ".join(problems))
    try:
        snapshot = read_snapshot(target)
        if not hmac.compare_digest(snapshot.sha256, shown_sha256):
            raise RefusedError(409, _changed(target, snapshot, text))
        added = new_errors(ledger.entries, ledger.options, ledger.errors, text)
        if added:
            raise RefusedError(400, "refused: this would add error(s) to the ledger: "
                               + "; ".join(added) + "; nothing was written")
        return append_to_ledger_file(snapshot, text)
    except WriteRefusedError as error:
        raise RefusedError(409, f"{error}; nothing was written") from error
    except WriteError as error:
        raise RefusedError(503, f"{error}; nothing was written") from error


def _changed(target: Path, snapshot: Snapshot, text: str) -> str:
    if snapshot.data.endswith(text.encode("utf-8")):
        return (f"{target} changed since this page was shown: it already ends with exactly "
                "this entry (a second click of the same button?); it was not written again")
    return (f"{target} changed since this page was shown (someone else saved, or an editor "
            "did); reload the page and try again; nothing was written")


def plain(message: str, status: int) -> Response:
    """A plain-text answer: never HTML, for the message may repeat what the user sent."""
    response = make_response(f"{message}\n", status)
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
