"""A dunning run's files: each letter's PDF and email draft written, then the drafts sent.

    outcomes = write_letters(letters, Path("letters"), sender, protected=ledger_files(...))
    for outcome, problem in send_letters(settings, outcomes):
        ...

The PDFs are made as many at a time as there are cores (the engine is the slow
part), then written one by one through `beancount_ar.writer`, which refuses the
ledger's own files. Nothing here prints: the caller says what happened.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from beancount_ar.documents.letter_render import letter_pdf, output_stem
from beancount_ar.documents.mail import SendError, SmtpSession, addresses, letter_draft
from beancount_ar.documents.render import DocumentError
from beancount_ar.writer import WriteError, write_output

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from email.headerregistry import Address
    from pathlib import Path

    from beancount_ar.documents.letters import LetterDocument
    from beancount_ar.documents.mail import SmtpSettings

__all__ = ["LetterOutcome", "send_letters", "write_letters"]


@dataclass
class LetterOutcome:
    """What became of one customer's letter."""

    letter: LetterDocument
    pdf: Path | None = None  # written
    eml: Path | None = None  # written
    sender: str = ""
    recipients: list[str] = field(default_factory=list)
    draft: bytes = b""  # the `.eml`'s bytes, sent as they are
    no_draft: str | None = None  # why there is no draft (no email, or not an address)
    error: str | None = None  # why the letter could not be made or written

    @property
    def customer(self) -> str:
        """The customer's id."""
        return self.letter.customer_id


def write_letters(letters: Sequence[LetterDocument], folder: Path, sender: Address | None, *,
                  protected: Sequence[Path] = (), jobs: int | None = None,
                  ) -> list[LetterOutcome]:
    """Write `<folder>/<customer>-<as of>.pdf` and, with a sender and an email, `.eml` beside it.

    The outcomes come in the letters' order; a letter that failed has `error` set
    and the others are written all the same.
    """
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        made = list(pool.map(_make_pdf, letters))
    outcomes = []
    for letter, pdf in zip(letters, made, strict=True):
        outcome = LetterOutcome(letter)
        outcomes.append(outcome)
        if isinstance(pdf, str):
            outcome.error = pdf
            continue
        _write(outcome, folder, pdf, sender, protected)
    return outcomes


def _make_pdf(letter: LetterDocument) -> bytes | str:
    """The letter's PDF, or why it cannot be made."""
    try:
        return letter_pdf(letter)
    except DocumentError as error:
        return str(error)


def _write(outcome: LetterOutcome, folder: Path, pdf: bytes, sender: Address | None,
           protected: Sequence[Path]) -> None:
    letter = outcome.letter
    stem = output_stem(letter)
    try:
        write_output(folder / f"{stem}.pdf", pdf, protected=protected)
        outcome.pdf = folder / f"{stem}.pdf"
        if sender is None:
            outcome.no_draft = "the company has no email"
            return
        to = addresses(letter.email, letter.buyer.name) if letter.email else []
        if not to:
            outcome.no_draft = (f"its email {letter.email!r} is not an address" if to is None
                                else "no email")
            return
        message = letter_draft(letter, pdf, sender=sender, to=to)
        outcome.draft = message.as_bytes()
        write_output(folder / f"{stem}.eml", outcome.draft, protected=protected)
        outcome.eml = folder / f"{stem}.eml"
        outcome.sender = sender.addr_spec
        outcome.recipients = [address.addr_spec for address in to]
    except WriteError as error:
        outcome.draft = b""
        outcome.error = str(error)


def send_letters(settings: SmtpSettings, outcomes: Sequence[LetterOutcome],
                 ) -> Iterator[tuple[LetterOutcome, str | None]]:
    """Send each written draft over one connection; yield it and why it failed (None: sent).

    Raises:
        SendError: the server cannot be reached, or refuses TLS or the login
            (before anything is sent).
    """
    with SmtpSession(settings) as session:
        for outcome in outcomes:
            if outcome.eml is None:
                continue
            try:
                session.send(outcome.sender, outcome.recipients, outcome.draft)
            except SendError as error:
                yield outcome, str(error)
            else:
                yield outcome, None
