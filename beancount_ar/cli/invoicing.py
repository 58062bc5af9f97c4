"""`bean-ar invoice new`: one invoice, numbered and appended as `bill` does; `--pdf` for both.

    bean-ar invoice new -f ledger.beancount acme "900.00 USD" Income:Consulting
    bean-ar invoice new ledger.beancount acme "900.00 USD" Income:Consulting \
        --date 2026-03-02 --description "Workshop" --pdf out/

AMOUNT is the number and the currency, as one argument (`"900.00 USD"`) or two
(`900.00 USD`); a number alone is in the ledger's operating currency when it
has exactly one. The
invoice is dated --date (default today), numbered next in its year's series of
`invoice_number`, billed to the customer's receivable account, and gets the
customer's terms in force on its date from the plugins. `bean-ar invoice [LEDGER]
NUMBER -o FILE` (`cli/documents.py`) still prints an invoice: `invoice` runs
`new` only when its first argument is `new`, so a ledger file named `new` is
given as `./new` or with -f.

`--pdf DIR`, here and on `bill`, writes after the append each new invoice as
`DIR/<number>.pdf` (the billing run's names) and `DIR/<number>.eml`, an email
draft from the company's email to the customer's with the PDF attached; without
an email the PDF alone and a line on stderr.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import click

from beancount_ar.cli.billing import (
    append_plan,
    check_target,
    invoice_outputs,
    plan_problems,
    print_plan,
    refuse,
)
from beancount_ar.cli.console import EXIT_LEDGER_ERRORS, EXIT_USAGE, fail
from beancount_ar.cli.options import DateType, ledger_options, with_ledger

if TYPE_CHECKING:
    import datetime
    from collections.abc import Sequence
    from email.headerregistry import Address
    from email.message import EmailMessage
    from pathlib import Path

    from beancount_ar.cli.loading import Ledger
    from beancount_ar.documents.data import InvoiceDocument
    from beancount_ar.reports.billing import Plan

NEW = "new"
_AMOUNT = re.compile(r"\s*([-+]?[0-9]+(?:\.[0-9]*)?)\s+([A-Z][A-Z0-9'._-]*)\s*")
_NUMBER = re.compile(r"\s*[-+]?[0-9]+(?:\.[0-9]*)?\s*")


class InvoiceCommands(click.Group):
    """`invoice [LEDGER] NUMBER -o FILE` as ever, and `invoice new ...`.

    The arguments are not parsed here: the command chosen parses them all, as a
    command of `bean-ar` itself, so -f before `invoice` and `--help` work as before.
    """

    def __init__(self, fallback: click.Command, new: click.Command) -> None:
        """`fallback` runs unless the first argument is `new`."""
        super().__init__(fallback.name, commands=[new], help=fallback.help,
                         short_help=fallback.short_help, add_help_option=False)
        self.fallback = fallback

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Keep every argument for the command chosen."""
        ctx.args = list(args)
        return []

    def invoke(self, ctx: click.Context) -> Any:  # noqa: ANN401 - what the command returns
        """Run `new` with the arguments after it, else the invoice printer with them all."""
        args = ctx.args
        command, name = ((self.commands[NEW], f"{ctx.info_name} {NEW}") if args[:1] == [NEW]
                         else (self.fallback, ctx.info_name))
        rest = args[1:] if command is not self.fallback else args
        with command.make_context(name, rest, parent=ctx.parent) as sub:
            return command.invoke(sub)


@click.command(NEW)
@with_ledger("customer", "amount", "account", "extra", optional=1)
@ledger_options
@click.option("--date", "day", type=DateType(), default=None,
              help="The invoice's date (default: today).")
@click.option("--description", default=None, metavar="TEXT",
              help="The narration (default: the account's last part, e.g. Consulting).")
@invoice_outputs
@click.option("--dry-run", is_flag=True, help="Print the invoice; write nothing.")
def new(  # noqa: PLR0913 - one parameter per option
    *, ledger: Path, customer: str, amount: str, account: str, extra: str | None,
    day: datetime.date | None,
    description: str | None, to: str | None, pdf: Path | None, dry_run: bool,
    no_cache: bool, ignore_errors: bool,
) -> None:
    """Append one invoice of AMOUNT ("900.00 USD") to ACCOUNT, billed to CUSTOMER.

    Numbered next in its year as `bill` numbers, dated --date (default today).
    A ledger file named `new` is given as ./new or with -f.
    """
    from beancount_ar.cli.loading import load  # noqa: PLC0415 - fast --help
    from beancount_ar.cli.recording import record_target  # noqa: PLC0415
    from beancount_ar.reports.aging import today  # noqa: PLC0415
    from beancount_ar.reports.billing import NotIssuedError, plan_invoice  # noqa: PLC0415

    if extra is not None:  # AMOUNT written as two arguments: 900.00 USD
        amount, account = f"{amount} {account}", extra
    target = record_target(ledger, to)  # read before the ledger loads
    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    number, currency = parse_amount(amount, loaded.options.get("operating_currency") or [])
    check_target(target, loaded, to)
    try:
        plan = plan_invoice(loaded.receivables, loaded.entries, customer=customer,
                            amount=number, currency=currency, income=account,
                            day=day or today(), narration=description)
    except NotIssuedError as error:
        fail(f"not issued: {error}; nothing written",
             status=EXIT_USAGE if error.usage else EXIT_LEDGER_ERRORS)
    text, problems = plan_problems(loaded, plan)
    print_plan(loaded, plan, "Would issue (dry run: nothing written)" if dry_run
               else "Not issued (refused: nothing written)" if problems else "Issued")
    if problems:
        refuse(problems, dry_run=dry_run)
    if dry_run:
        return
    if pdf is not None:
        refuse_pdf_outputs(loaded, plan, pdf)
    append_plan(target, text, f"issued {plan.bills[0].number}")
    if pdf is not None:
        write_pdfs(ledger, plan, pdf, no_cache=no_cache, ignore_errors=ignore_errors)


def parse_amount(text: str, operating: Sequence[str] = ()) -> tuple[Decimal, str]:
    """`"900.00 USD"` -> (Decimal("900.00"), "USD"); anything else is a usage error (exit 2).

    A bare number is in the ledger's operating currency when it has exactly one.
    """
    match = _AMOUNT.fullmatch(text)
    if match is None and _NUMBER.fullmatch(text) and len(operating) == 1:
        return Decimal(text.strip()), operating[0]
    if match is None:
        fail(f"AMOUNT {text!r} is not an amount; write the number and the currency, such as "
             '"900.00 USD" (a number alone is in the operating currency, when the ledger has '
             "exactly one)", status=EXIT_USAGE)
    return Decimal(match.group(1)), match.group(2)


def refuse_pdf_outputs(loaded: Ledger, plan: Plan, folder: Path) -> None:
    """Exit 2 before anything is appended when any new invoice's PDF or draft would be refused."""
    from beancount_ar.documents.batch import file_name  # noqa: PLC0415
    from beancount_ar.writer import ledger_files, output_refusal  # noqa: PLC0415

    if folder.exists() and not folder.is_dir():
        fail(f"--pdf {folder} is not a folder; nothing written", status=EXIT_USAGE)
    protected = ledger_files(loaded.options, loaded.entries)
    refusals = [refusal for bill in plan.bills for path in _paths(folder, file_name(bill.number))
                if (refusal := output_refusal(path, protected)) is not None]
    for refusal in refusals:
        click.echo(f"bean-ar: {refusal}", err=True)
    if refusals:
        fail(f"{len(refusals)} invoice file(s) refused; nothing written", status=EXIT_USAGE)


def _paths(folder: Path, pdf_name: str) -> tuple[Path, Path]:
    """The invoice's PDF and its email draft beside it."""
    pdf = folder / pdf_name
    return pdf, pdf.with_suffix(".eml")


def write_pdfs(ledger: Path, plan: Plan, folder: Path, *, no_cache: bool,
               ignore_errors: bool) -> None:
    """Reload the ledger and write each new invoice's PDF (the billing run) and email draft.

    The invoices are in the ledger by now: a failure here is exit 1 and says so.
    """
    from beancount_ar.cli.loading import load_for_documents  # noqa: PLC0415
    from beancount_ar.documents.batch import billing_run, file_name  # noqa: PLC0415
    from beancount_ar.reports.aging import today  # noqa: PLC0415
    from beancount_ar.writer import ledger_files  # noqa: PLC0415

    loaded = load_for_documents(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    invoices = loaded.receivables.invoices
    chosen = [invoices[bill.number] for bill in plan.bills if bill.number in invoices]
    as_of = max([today(), *(bill.date for bill in plan.bills)])
    protected = ledger_files(loaded.options, loaded.entries)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"the invoices are in the ledger, but cannot make the folder {folder}: "
             f"{error.strerror}")
    result = billing_run(loaded.receivables, chosen, folder, as_of, protected=protected)
    failed = [f"{number}: {problem}" for number, problem in result.failed]
    written = set(result.written)
    for invoice in chosen:
        pdf_path = folder / file_name(invoice.number)
        if pdf_path in written:
            failed.extend(_write_draft(loaded, invoice.number, pdf_path, as_of, protected))
    for problem in failed:
        click.echo(f"bean-ar: {problem}", err=True)
    if failed:
        fail(f"the invoices are in the ledger; {len(failed)} PDF(s) or draft(s) not written "
             f"(print them again with bean-ar invoice NUMBER -o FILE)")


def _write_draft(loaded: Ledger, number: str, pdf_path: Path, as_of: datetime.date,
                 protected: Sequence[Path]) -> list[str]:
    """Write `<number>.eml` beside the PDF, or say on stderr why there is none; problems."""
    from beancount_ar.documents.data import invoice_document  # noqa: PLC0415
    from beancount_ar.documents.mail import addresses  # noqa: PLC0415
    from beancount_ar.writer import WriteError, write_output  # noqa: PLC0415

    document = invoice_document(loaded.receivables, number, as_of)
    if document is None:  # dated after as_of: cannot be, as_of is the latest date
        return [f"{number}: no such invoice on {as_of}"]
    sender = _sender(document)
    email = document.buyer.details.get("email", "").strip()
    to = addresses(email, document.buyer.name) if email else []
    if sender is None or not to:
        why = ("the company (ar-company) has no usable email" if sender is None else
               f"its email {email!r} is not an address" if to is None else "no email")
        click.echo(f"bean-ar: {number} ({document.customer_id}): {why}: wrote {pdf_path} "
                   "without an email draft", err=True)
        return []
    total = loaded.precision.grouped(document.total, document.invoice.currency)
    draft = invoice_draft(document, total, pdf_path.read_bytes(), sender=sender, to=to)
    eml = pdf_path.with_suffix(".eml")
    try:
        write_output(eml, draft.as_bytes(), protected=protected)
    except WriteError as error:
        return [f"{number}: {error}"]
    click.echo(f"{number}: wrote {pdf_path} and {eml} (to "
               f"{', '.join(a.addr_spec for a in to)})", err=True)
    return []


def _sender(document: InvoiceDocument) -> Address | None:
    """The company's first email address (the draft's From), if it has one."""
    from beancount_ar.documents.mail import addresses  # noqa: PLC0415

    seller = document.seller
    written = seller.details.get("email", "").strip() if seller else ""
    found = addresses(written, seller.name if seller else "") if written else []
    return found[0] if found else None


def invoice_draft(document: InvoiceDocument, total: str, pdf: bytes, *, sender: Address,
                  to: Sequence[Address]) -> EmailMessage:
    """The invoice's email: `Invoice INV-2026-0003 from Seed`, a short body, the PDF attached.

    The attachment is named as the billing run names the file: `INV-2026-0003.pdf`.
    """
    from email.message import EmailMessage  # noqa: PLC0415
    from email.policy import SMTP  # noqa: PLC0415
    from email.utils import format_datetime, localtime, make_msgid  # noqa: PLC0415

    from beancount_ar.documents.batch import file_name  # noqa: PLC0415
    from beancount_ar.documents.mail import one_line  # noqa: PLC0415

    invoice = document.invoice
    seller = document.seller
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = list(to)
    message["Subject"] = one_line(f"Invoice {invoice.number}"
                                  + (f" from {seller.name}" if seller else ""))
    message["Date"] = format_datetime(localtime())
    message["Message-ID"] = make_msgid(domain=sender.domain)
    signature = "\n".join(["Kind regards", *([seller.name] if seller else []), sender.addr_spec])
    message.set_content(
        f"Dear Sir or Madam,\n\nPlease find attached invoice {invoice.number} of "
        f"{total} {invoice.currency}, dated {invoice.date} and due "
        f"{invoice.due}.\n\n{signature}\n", charset="utf-8")
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename=file_name(invoice.number))
    return message
