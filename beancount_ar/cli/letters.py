r"""`bean-ar dunning -o DIR [--send]`: the letters due, as PDFs and email drafts, and sending them.

    bean-ar dunning ledger.beancount -o letters/
    BEAN_AR_SMTP_PASSWORD=... bean-ar dunning ledger.beancount -o letters/ --send \
        --smtp-host mail.example.com --smtp-user ar@seed.example

The `dunning` command (`cli/collections.py`) takes these options with
`@letter_options` and hands its rows to `deliver_letters` after printing its report.

`-o DIR` writes, per customer, `<customer>-<as-of>.pdf` (the letter, in the
customer's `locale`, else the company's) and `<customer>-<as-of>.eml` (the email
draft to the customer's `email`, from the company's, the PDF attached); a customer
without a usable email gets the PDF alone and a line on stderr. Every file goes
through the writer with the ledger's files protected; when any would be refused,
nothing is written (exit 2). `--send` then delivers the drafts through SMTP;
it needs `-o` (the letters sent are kept there) and is refused without it before
anything is done. What is written and sent is said on stderr, customer by
customer: standard output stays the report.

SMTP settings come from the options or the environment (`BEAN_AR_SMTP_HOST`,
`BEAN_AR_SMTP_PORT`, `BEAN_AR_SMTP_USER`, `BEAN_AR_SMTP_STARTTLS`); the password
from `BEAN_AR_SMTP_PASSWORD` alone, and it is never printed.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from beancount_ar.cli.console import EXIT_USAGE, fail

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Sequence
    from email.headerregistry import Address

    from beancount_ar.cli.loading import Ledger
    from beancount_ar.documents.letter_run import LetterOutcome
    from beancount_ar.documents.letters import LetterDocument, LetterRow
    from beancount_ar.documents.mail import SmtpSettings

PASSWORD_VARIABLE = "BEAN_AR_SMTP_PASSWORD"  # noqa: S105 - the variable's name, not a password
STARTTLS_PORT = 587
PLAIN_PORT = 25


def letter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`-o/--output DIR`, `--send` and the SMTP settings, passed on as `letters=`.

    `letters` is a dict: `folder` (Path or None), `send` (bool) and `smtp` (the
    `SmtpSettings` with `--send`, else None). `--send` without `-o`, or without a
    host, is a usage error (exit 2) before the command runs.
    """

    @click.option("-o", "--output", "letters_folder", default=None,
                  type=click.Path(file_okay=False, path_type=Path),
                  help="Write one letter per customer (PDF) and an email draft (.eml) here "
                       "(made if missing).")
    @click.option("--send", is_flag=True,
                  help="Send the drafts through SMTP (needs -o: the letters sent are kept).")
    @click.option("--smtp-host", envvar="BEAN_AR_SMTP_HOST", default=None, metavar="HOST",
                  help="The SMTP server for --send (env BEAN_AR_SMTP_HOST).")
    @click.option("--smtp-port", envvar="BEAN_AR_SMTP_PORT", default=None, metavar="PORT",
                  type=click.IntRange(1, 65535),
                  help="Its port (env BEAN_AR_SMTP_PORT; default 587, 25 with --no-starttls).")
    @click.option("--smtp-user", envvar="BEAN_AR_SMTP_USER", default=None, metavar="USER",
                  help="Log in as USER (env BEAN_AR_SMTP_USER); the password is read "
                       f"from {PASSWORD_VARIABLE} only.")
    @click.option("--starttls/--no-starttls", envvar="BEAN_AR_SMTP_STARTTLS", default=True,
                  help="Switch to TLS before sending (default; env BEAN_AR_SMTP_STARTTLS).")
    @functools.wraps(command)
    def with_letters(*args: Any, letters_folder: Path | None, send: bool,  # noqa: ANN401, PLR0913
                     smtp_host: str | None, smtp_port: int | None, smtp_user: str | None,
                     starttls: bool, **kwargs: Any) -> Any:  # noqa: ANN401
        smtp = None
        if send:
            if letters_folder is None:
                raise click.UsageError("--send needs -o DIR: the letters sent are kept there "
                                       "(e.g. -o letters/ --send)")
            smtp = smtp_settings(smtp_host, smtp_port, smtp_user, starttls=starttls)
        return command(*args, letters={"folder": letters_folder, "send": send, "smtp": smtp},
                       **kwargs)

    return with_letters


def smtp_settings(host: str | None, port: int | None, user: str | None, *,
                  starttls: bool) -> SmtpSettings:
    """The settings for `--send`, the password from the environment.

    Raises:
        click.UsageError: no host, or a user without a password (or the reverse).
    """
    from beancount_ar.documents.mail import SmtpSettings  # noqa: PLC0415 - fast --help

    if not host:
        raise click.UsageError("--send needs an SMTP server: --smtp-host HOST or "
                               "BEAN_AR_SMTP_HOST")
    password = os.environ.get(PASSWORD_VARIABLE) or None
    if user and password is None:
        raise click.UsageError(f"--smtp-user {user}: set the password in {PASSWORD_VARIABLE}")
    if password is not None and not user:
        raise click.UsageError(f"{PASSWORD_VARIABLE} is set but no SMTP user: give "
                               "--smtp-user USER or BEAN_AR_SMTP_USER")
    return SmtpSettings(host, port or (STARTTLS_PORT if starttls else PLAIN_PORT),
                        starttls=starttls, user=user or None, password=password)


def deliver_letters(ledger: Ledger, rows: Sequence[LetterRow], as_of: datetime.date,
                    letters: dict[str, Any]) -> None:
    """Write (and with `--send` send) the letters for `rows`, one per customer.

    Exits (SystemExit) with 2 when an output is refused (nothing written) and with
    1 when a letter could not be made, written or sent (the others are); returns
    when every letter asked for was written (and sent).
    """
    from beancount_ar.documents.letters import letter_documents  # noqa: PLC0415

    folder: Path | None = letters.get("folder")
    smtp: SmtpSettings | None = letters.get("smtp")
    if folder is None:
        if letters.get("send"):
            fail("--send needs -o DIR: the letters sent are kept there", status=EXIT_USAGE)
        return
    documents = letter_documents(ledger.receivables, rows, as_of)
    if not documents:
        click.echo(f"no letters due on {as_of}; nothing written", err=True)
        return
    sender = _sender(documents[0], sending=smtp is not None)
    _refuse_outputs(ledger, documents, folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot make the folder {folder}: {error.strerror}")
    from beancount_ar.documents.letter_run import write_letters  # noqa: PLC0415
    from beancount_ar.writer import ledger_files  # noqa: PLC0415

    outcomes = write_letters(documents, folder, sender,
                             protected=ledger_files(ledger.options, ledger.entries))
    failed = _report_written(outcomes, folder)
    if smtp is not None:
        failed += _send(smtp, outcomes, folder)
    if failed:
        fail(f"{failed} letter(s) not made, written or sent; the others are in {folder}")


def _report_written(outcomes: Sequence[LetterOutcome], folder: Path) -> int:
    """Say per customer what was written (stderr); the number of letters that failed."""
    failed = 0
    for o in outcomes:
        if o.error is not None:
            failed += 1
            click.echo(f"bean-ar: {o.customer}: no letter: {o.error}", err=True)
        elif o.eml is not None:
            click.echo(f"{o.customer}: wrote {o.pdf} and {o.eml} (to "
                       f"{', '.join(o.recipients)})", err=True)
        else:
            click.echo(f"bean-ar: {o.customer}: {o.no_draft}: wrote {o.pdf} without an "
                       "email draft (give the customer an email: to have one)", err=True)
    drafts = sum(o.eml is not None for o in outcomes)
    click.echo(f"{len(outcomes) - failed} letter(s) and {drafts} email draft(s) written to "
               f"{folder}", err=True)
    return failed


def _send(smtp: SmtpSettings, outcomes: Sequence[LetterOutcome], folder: Path) -> int:
    """Send the drafts, saying per customer what was sent; the number that were not."""
    from beancount_ar.documents.letter_run import send_letters  # noqa: PLC0415
    from beancount_ar.documents.mail import SendError  # noqa: PLC0415

    drafts = [o for o in outcomes if o.eml is not None]
    if not drafts:
        click.echo("no email drafts: nothing sent", err=True)
        return 0
    sent = 0
    try:
        for outcome, problem in send_letters(smtp, drafts):
            if problem is None:
                sent += 1
                click.echo(f"{outcome.customer}: sent {outcome.eml} to "
                           f"{', '.join(outcome.recipients)}", err=True)
            else:
                click.echo(f"bean-ar: {outcome.customer}: not sent: {problem}", err=True)
    except SendError as error:
        fail(f"nothing sent: {error}; the drafts are in {folder}")
    click.echo(f"{sent} of {len(drafts)} letter(s) sent through {smtp.where}", err=True)
    return len(drafts) - sent


def _sender(letter: LetterDocument, *, sending: bool) -> Address | None:
    """The company's address (the drafts' From), or None with a line on stderr saying why.

    With `--send` a company without one is a usage error: nothing could be sent.
    """
    from beancount_ar.documents.mail import addresses  # noqa: PLC0415

    seller = letter.seller
    written = seller.details.get("email", "").strip() if seller else ""
    found = addresses(written, seller.name if seller else "") if written else []
    if found:
        return found[0]
    why = (f"the company's email {written!r} is not an address" if written
           else "the company (ar-company) has no email")
    if sending:
        fail(f"cannot --send: {why}; it is the letters' From address", status=EXIT_USAGE)
    click.echo(f"bean-ar: {why}: writing the letters without email drafts "
               "(add email: to ar-company)", err=True)
    return None


def _refuse_outputs(ledger: Ledger, documents: Sequence[LetterDocument], folder: Path) -> None:
    """Exit 2, with nothing written, when the writer would refuse any letter's file."""
    from beancount_ar.documents.letter_render import output_stem  # noqa: PLC0415
    from beancount_ar.writer import ledger_files, output_refusal  # noqa: PLC0415

    protected = ledger_files(ledger.options, ledger.entries)
    stems: dict[str, list[str]] = {}
    for letter in documents:
        stems.setdefault(output_stem(letter).casefold(), []).append(letter.customer_id)
    refusals = [f"customers {', '.join(customers)} would get the same letter file names; "
                "refusing to write any letter" for customers in stems.values()
                if len(customers) > 1]
    for letter in documents:
        for suffix in (".pdf", ".eml"):
            refusal = output_refusal(folder / (output_stem(letter) + suffix), protected)
            if refusal is not None:
                refusals.append(refusal)
    for refusal in refusals:
        click.echo(f"bean-ar: {refusal}", err=True)
    if refusals:
        fail(f"{len(refusals)} letter file(s) refused; nothing written", status=EXIT_USAGE)
