"""Rendering documents: Jinja2 templates (autoescaped) to HTML, wkhtmltopdf to PDF.

Ledger text is data: every value is escaped. The PDF engine runs with local file
access and JavaScript off and a proxy that goes nowhere, so a document can read
no file and reach no address; the logo is embedded as a data URI.
"""

from __future__ import annotations

import base64
import functools
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from beancount_ar.documents.epc import epc_payload, qr_svg_data_uri
from beancount_ar.documents.i18n import Formatter, translations
from beancount_ar.documents.pages import Pager, number_pages, page_label
from beancount_ar.writer import write_output

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from decimal import Decimal

    from babel.support import NullTranslations

    from beancount_ar.core.seller import CompanyVersion
    from beancount_ar.documents.data import InvoiceDocument, StatementDocument

TEMPLATES = Path(__file__).parent / "templates"
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".svg": "image/svg+xml", ".gif": "image/gif"}
ENGINE = "wkhtmltopdf"
ENGINE_OPTIONS = {
    "quiet": "",
    "encoding": "UTF-8",
    "disable-local-file-access": "",
    "disable-javascript": "",
    "proxy": "http://127.0.0.1:9",  # nothing listens there: no network address is reached
    "margin-top": "15mm", "margin-bottom": "15mm", "margin-left": "15mm", "margin-right": "15mm",
}


class DocumentError(Exception):
    """A document cannot be made; the message says why and what to do."""


def environment(seller: CompanyVersion | None) -> jinja2.Environment:
    """Templates: the company's own folder first, then the package's."""
    return templates_environment(seller.templates if seller else None,
                                 seller.locale if seller else "en_US")


@functools.lru_cache(maxsize=16)  # one per templates folder and locale: a billing run reuses it
def templates_environment(
    templates: str | None, locale: str,
    catalogue: Callable[[str], NullTranslations] = translations,
) -> jinja2.Environment:
    """The package's templates, a company's `templates` folder first, speaking `locale`.

    `catalogue` gives the words for a locale (the letters bring their own).
    """
    folders = [str(TEMPLATES)]
    if templates:
        folders.insert(0, templates)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.ChainableUndefined,  # optional fields print as nothing
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        catalogue(locale), newstyle=True)
    return env


def logo_data_uri(seller: CompanyVersion | None) -> str | None:
    """The logo file embedded as a data URI (the engine may not read files)."""
    if seller is None or not seller.logo:
        return None
    path = Path(seller.logo)
    kind = LOGO_TYPES.get(path.suffix.lower())
    if kind is None:
        raise DocumentError(f"logo {path} is not a PNG, JPEG, GIF or SVG file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"cannot read the logo {path}: {error.strerror}") from error
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _render(seller: CompanyVersion | None, name: str, **values: object) -> str:
    """A template rendered; a broken (user) template is a DocumentError, not a traceback."""
    try:
        template = environment(seller).get_template(name)
        return template.render(**values, **_context(seller))
    except jinja2.TemplateError as error:
        where = f"{error.filename}:{error.lineno}: " if isinstance(
            error, jinja2.TemplateSyntaxError) else ""
        raise DocumentError(f"template {name}: {where}{error}") from error


def _context(seller: CompanyVersion | None) -> dict[str, Any]:
    return {"fmt": Formatter(seller.locale if seller else "en_US"),
            "logo": logo_data_uri(seller), "seller": seller}


def payment_qr(seller: CompanyVersion | None, currency: str, amount: Decimal,
               text: str) -> str | None:
    """The EPC QR code for paying `amount` with reference `text`: EUR to an IBAN only."""
    iban = seller.details.get("iban") if seller else None
    if seller is None or not iban or currency != "EUR" or amount <= 0:
        return None
    try:
        return qr_svg_data_uri(epc_payload(
            name=seller.name, iban=iban, bic=seller.details.get("bic", ""),
            amount=amount, text=text, reference=""))
    except ValueError:
        return None  # e.g. a name the EPC format refuses: print without the code


def invoice_html(document: InvoiceDocument) -> str:
    """The invoice as an HTML page."""
    qr = payment_qr(document.seller, document.invoice.currency, document.balance_due,
                    document.reference)
    return _render(document.seller, "invoice.html", doc=document, qr=qr)


def statement_html(document: StatementDocument) -> str:
    """The statement of account as an HTML page, with a QR code per EUR amount due.

    The code asks for what is past due when anything is, else for the whole amount.
    """
    qr = {s.currency: payment_qr(document.seller, s.currency, s.due.now or s.due.total,
                                 document.reference)
          for s in document.currencies}
    page_size = document.seller.page_size if document.seller else "A4"
    return _render(document.seller, "statement.html", doc=document, qr=qr,
                   pager=Pager.for_page_size(page_size))


# pdfkit turns `<meta name="pdfkit-OPTION">` in the page into engine options, which
# could switch local file access back on: the page gets no say in the options.
_META_OPTION = re.compile(r"""(<meta\b[^>]*\bname\s*=\s*["']?)pdfkit-""", re.IGNORECASE)


def engine_html(html: str) -> str:
    """The page as the engine gets it: meta tags cannot pass options to it."""
    return _META_OPTION.sub(r"\1ignored-pdfkit-", html)


def pdf_bytes(html: str, page_size: str = "A4") -> bytes:
    """The HTML page as a PDF, in memory, through pdfkit and the engine's options."""
    if shutil.which(ENGINE) is None:
        raise DocumentError(f"{ENGINE} is not installed: install the Debian package "
                            f"'{ENGINE}' (make install does)")
    import pdfkit  # noqa: PLC0415 - only documents need the PDF engine

    try:
        options = {**ENGINE_OPTIONS, "page-size": page_size}
        pdf = pdfkit.from_string(engine_html(html), output_path=False, options=options)
    except OSError as error:
        raise DocumentError(f"{ENGINE} failed: {str(error).strip().splitlines()[-1]}") from error
    if not isinstance(pdf, bytes) or not pdf:
        raise DocumentError(f"{ENGINE} gave no PDF")
    return number_pages(pdf, page_label(html))


def document_bytes(html: str, output: Path, page_size: str = "A4") -> bytes:
    """The bytes of the document `output` names: HTML when it ends in `.html`, else a PDF."""
    if output.suffix.lower() in (".html", ".htm"):
        return html.encode("utf-8")
    if shutil.which(ENGINE) is None:
        raise DocumentError(f"{ENGINE} is not installed: install the Debian package "
                            f"'{ENGINE}' (make install does) or write .html instead")
    return pdf_bytes(html, page_size)


def write_document(html: str, output: Path, page_size: str = "A4", *,
                   protected: Sequence[Path] = ()) -> None:
    """Write HTML, or a PDF when `output` does not end in `.html`, through the one writer.

    Raises:
        DocumentError: no PDF could be made.
        WriteError: the output is refused (WriteRefusedError) or cannot be written.
    """
    write_output(output, document_bytes(html, output, page_size), protected=protected)
