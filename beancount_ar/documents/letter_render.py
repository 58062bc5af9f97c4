"""Collection letters as HTML and PDF, and the words of their email, in the letter's language.

    html = letter_html(letter)            # templates/letter.html, or the company's own
    pdf = letter_pdf(letter)              # through the documents' locked-down PDF engine
    letter_subject(letter)                # 'Upomínka: faktura INV-2026-002'

A letter is written in the customer's language (`letter.locale`), not the company's:
its templates, labels, numbers and dates follow that locale. The company's
`templates:` folder comes first, as for invoices, so a `letter.html` there replaces
the package's. A long letter starts its table again, headers and all, on each page
(`pager`, as statements do: the engine repeats no table header). The EPC QR code
(EUR, to the company's IBAN) asks for each currency's total claimed with the invoice
numbers as the message.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import jinja2

from beancount_ar.documents.i18n import Formatter
from beancount_ar.documents.letter_i18n import letter_translations
from beancount_ar.documents.pages import Pager
from beancount_ar.documents.render import (
    DocumentError,
    logo_data_uri,
    payment_qr,
    pdf_bytes,
    templates_environment,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from beancount_ar.documents.letters import LetterDocument, LetterLine

__all__ = ["LETTER_TEMPLATE", "attachment_name", "letter_body", "letter_html", "letter_pdf",
           "letter_subject", "letter_title", "output_stem"]

LETTER_TEMPLATE = "letter.html"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Invoice rows a letter's first page holds (after the heads and a short opening) and
# a later page, per page size: measured on 60- and 120-invoice letters, rounded down.
_ROWS = {"A4": (38, 50), "Letter": (35, 47), "Legal": (48, 62), "A5": (14, 26)}
_TITLES = {"reminder": "Payment reminder", "urgent": "Urgent payment reminder",
           "final": "Final demand for payment"}


def letter_html(letter: LetterDocument) -> str:
    """The letter as an HTML page; a broken (user) template is a DocumentError.

    Raises:
        DocumentError: the template cannot be read or rendered, or the logo cannot.
    """
    seller = letter.seller
    qr = {a.currency: payment_qr(seller, a.currency, a.total, a.reference)
          for a in letter.amounts}
    env = templates_environment(seller.templates if seller else None, letter.locale,
                                letter_translations)
    first, rest = _ROWS.get(seller.page_size if seller else "A4", _ROWS["A4"])
    try:
        template = env.get_template(LETTER_TEMPLATE)
        return template.render(doc=letter, seller=seller, fmt=Formatter(letter.locale),
                               logo=logo_data_uri(seller), qr=qr, pager=Pager(first, rest, 1))
    except jinja2.TemplateError as error:
        where = f"{error.filename}:{error.lineno}: " if isinstance(
            error, jinja2.TemplateSyntaxError) else ""
        raise DocumentError(f"template {LETTER_TEMPLATE}: {where}{error}") from error


def letter_pdf(letter: LetterDocument) -> bytes:
    """The letter as a PDF, pages numbered, in memory.

    Raises:
        DocumentError: no PDF could be made (template, logo or engine).
    """
    page_size = letter.seller.page_size if letter.seller else "A4"
    return pdf_bytes(letter_html(letter), page_size)


def _gettext(letter: LetterDocument, message: str, **values: str) -> str:
    return letter_translations(letter.locale).gettext(message) % values


def _ngettext(letter: LetterDocument, singular: str, plural: str, *, count: int,
              **values: str) -> str:
    return letter_translations(letter.locale).ngettext(singular, plural, count) % values


def _numbers(lines: Sequence[LetterLine]) -> str:
    return ", ".join(line.number for line in lines)


def letter_title(letter: LetterDocument) -> str:
    """`Payment reminder`, `Urgent payment reminder` or `Final demand for payment`, translated."""
    return _gettext(letter, _TITLES[letter.tone])


def letter_subject(letter: LetterDocument) -> str:
    """The email's subject: `Payment reminder: invoice INV-1`, `Upomínka: faktury A-1, A-2`."""
    invoices = _ngettext(letter, "invoice %(numbers)s", "invoices %(numbers)s",
                         count=len(letter.lines), numbers=_numbers(letter.lines))
    return _gettext(letter, "%(title)s: %(invoices)s", title=letter_title(letter),
                    invoices=invoices)


def letter_body(letter: LetterDocument) -> str:
    """The email's short plain-text body, in the letter's language, signed by the company."""
    fmt = Formatter(letter.locale)
    amounts = ", ".join(fmt.money(a.total, a.currency) for a in letter.amounts)
    pay_by = fmt.long_date(letter.pay_by)
    opening = {
        "reminder": ("This is a friendly reminder that invoice %(numbers)s is overdue.",
                     "This is a friendly reminder that invoices %(numbers)s are overdue."),
        "urgent": ("Despite our earlier reminder, invoice %(numbers)s remains unpaid.",
                   "Despite our earlier reminder, invoices %(numbers)s remain unpaid."),
        "final": ("Despite our reminders, invoice %(numbers)s remains unpaid.",
                  "Despite our reminders, invoices %(numbers)s remain unpaid."),
    }[letter.tone]
    first = _ngettext(letter, *opening, count=len(letter.top_lines),
                      numbers=_numbers(letter.top_lines))
    if letter.other_lines:
        first += " " + _ngettext(letter, "Invoice %(numbers)s is overdue as well.",
                                 "Invoices %(numbers)s are overdue as well.",
                                 count=len(letter.other_lines),
                                 numbers=_numbers(letter.other_lines))
    paragraphs = [
        _gettext(letter, "Dear Sir or Madam,"),
        first,
        _gettext(letter, "Please pay %(amount)s by %(date)s.", amount=amounts, date=pay_by),
    ]
    if letter.tone == "final":
        paragraphs.append(_gettext(
            letter, "This is our final demand: unless we receive the payment by %(date)s, we "
            "will hand the claim over to a collection agency or take legal action.",
            date=pay_by))
    paragraphs.append(_gettext(letter, "The attached letter lists the amounts and how to "
                               "pay them. If you have paid in the meantime, please let us "
                               "know."))
    seller = letter.seller
    signature = [_gettext(letter, "Kind regards")]
    if seller:
        signature.append(seller.name)
        signature.extend(seller.details[key] for key in ("email", "phone")
                         if seller.details.get(key))
    return "\n\n".join([*paragraphs, "\n".join(signature)]) + "\n"


def output_stem(letter: LetterDocument) -> str:
    """The letter's files' name without suffix: `<customer id>-<as of>`, safe on any disk."""
    return _UNSAFE.sub("_", letter.customer_id) + f"-{letter.as_of.isoformat()}"


def attachment_name(letter: LetterDocument) -> str:
    """The PDF's name in the email: its title in ASCII, `upominka-2026-06-30.pdf`."""
    plain = unicodedata.normalize("NFKD", letter_title(letter))
    ascii_title = plain.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-") or "letter"
    return f"{slug}-{letter.as_of.isoformat()}.pdf"
