"""Helpers for the document tests: ledgers written by the tests, `bean-ar` in a subprocess,
PDFs read back with poppler (`pdftotext -layout`, `pdfimages -list`, `pdftoppm`).

    result = bean_ar("invoice", ledger, "INV-1", "-o", tmp / "inv.pdf", "--as-of", "2026-06-30")
    text = pdf_text(tmp / "inv.pdf")       # no-break spaces turned into plain spaces
    assert has_row(text, "Total", "$1,500.00")

Nothing here knows how the project formats anything: amounts and dates the tests
expect are written out (`usd(...)`, `en_date(...)`) or spelled in the test itself.
"""

from __future__ import annotations

import datetime
import re
import struct
import subprocess
import sys
import textwrap
import zlib
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledgers import ARTIFACTS as PICTURES

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "ledger" / "example.beancount"
ARTIFACTS = PICTURES / "documents"
BEAN_AR = Path(sys.executable).parent / "bean-ar"

# Babel writes U+00A0 and U+202F inside Czech amounts; pdftotext turns some into spaces.
_NO_BREAK = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
_SPACES = re.compile(r"\s+")


# --- hostile ledger text ---------------------------------------------------------------
# Each field gets its own string, so a failure says which field was not escaped.

HOSTILE_NAME = "Evil <script>document.write('INJECTED-NAME')</script> Ltd"
HOSTILE_ADDRESS = '<object data="file:///etc/passwd" type="text/plain"></object> Gate 6'
HOSTILE_PAYEE = '<iframe src="file:///etc/passwd" width="600" height="300"></iframe>'
HOSTILE_NARRATION = 'Work <iframe src="file:///etc/passwd" width="600" height="300"></iframe>'
HOSTILE_DESCRIPTION = '<img src="file:///etc/passwd"> & <b>bold</b>'
HOSTILE_PAYMENT = "Paid <script>document.write('INJECTED-PAYMENT')</script>"
HOSTILE_TEXTS = (HOSTILE_NAME, HOSTILE_ADDRESS, HOSTILE_NARRATION, HOSTILE_DESCRIPTION,
                 HOSTILE_PAYMENT)


def bc(text: str) -> str:
    """`text` as a Beancount string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- the ledgers -----------------------------------------------------------------------

EN_COMPANY = "Seed Consulting LLC"
EN_IBAN = "DE89 3704 0044 0532 0130 00"
EN_BIC = "COBADEFFXXX"
STATEMENT_ACCOUNT = "Assets:Receivable:Stmt"
STATEMENT_AS_OF = datetime.date(2026, 6, 30)
STATEMENT_FROM = datetime.date(2026, 3, 1)

EN_LEDGER = textwrap.dedent(f"""\
    option "title" "beancount-ar document tests"
    option "operating_currency" "USD"
    plugin "beancount_ar"

    2026-01-01 custom "ar-company" "{EN_COMPANY}"
      address: "12 Harbour Street, Boston MA 02110"
      tax-id: "US-12-3456789"
      iban: "{EN_IBAN}"
      bic: "{EN_BIC}"
      email: "billing@seed.example"

    2026-01-01 open Assets:Bank:Checking
    2026-01-01 open Assets:Receivable:Wayne
    2026-01-01 open {STATEMENT_ACCOUNT}
    2026-01-01 open Assets:Receivable:Evil
    2026-01-01 open Income:Consulting
    2026-01-01 open Liabilities:SalesTax
    2026-01-01 open Expenses:BadDebt

    2026-01-01 custom "ar-customer" "wayne"
      name: "Wayne Enterprises"
      account: Assets:Receivable:Wayne
      terms: "2/10 net 30"
      address: "1007 Mountain Drive, Gotham NJ 07001"
      tax-id: "US-99-7654321"

    2026-01-01 custom "ar-customer" "stmt"
      name: "Statement Testing Co"
      account: {STATEMENT_ACCOUNT}
      terms: "net 30"

    2026-01-01 custom "ar-customer" "evil"
      name: {bc(HOSTILE_NAME)}
      account: Assets:Receivable:Evil
      address: {bc(HOSTILE_ADDRESS)}
      terms: "net 30"

    2026-01-10 * "Statement Testing Co" "January work" ^S-1 #invoice
      {STATEMENT_ACCOUNT}     1000.00 USD
      Income:Consulting         -1000.00 USD

    2026-02-10 * "Statement Testing Co" "February work" ^S-2 #invoice
      {STATEMENT_ACCOUNT}     2000.00 USD
      Income:Consulting         -2000.00 USD

    2026-02-15 * "Statement Testing Co" "Payment for January" ^S-1
      Assets:Bank:Checking       1000.00 USD
      {STATEMENT_ACCOUNT}    -1000.00 USD

    2026-03-01 * "Statement Testing Co" "Credit note: rework" ^S-2 #credit-note
      {STATEMENT_ACCOUNT}     -300.00 USD
      Income:Consulting           300.00 USD

    2026-03-05 * "Statement Testing Co" "March work" ^S-3 #invoice
      {STATEMENT_ACCOUNT}      500.00 USD
      Income:Consulting          -500.00 USD

    2026-03-20 * "Statement Testing Co" "Partial payment for February" ^S-2
      Assets:Bank:Checking       1200.00 USD
      {STATEMENT_ACCOUNT}    -1200.00 USD

    2026-04-01 * "Wayne Enterprises" "Consulting, March 2026" ^W-1 #invoice
      Assets:Receivable:Wayne    1500.00 USD
      Income:Consulting         -1500.00 USD
        description: "Architecture review"
        quantity: 10
        rate: 150.00 USD

    2026-04-02 * {bc(HOSTILE_PAYEE)} {bc(HOSTILE_NARRATION)} ^X-1 #invoice
      Assets:Receivable:Evil     1210.00 EUR
      Income:Consulting          -600.00 EUR
        description: {bc(HOSTILE_DESCRIPTION)}
        quantity: 2
        rate: 300.00 EUR
      Income:Consulting          -400.00 EUR
      Liabilities:SalesTax       -210.00 EUR

    2026-04-10 * {bc(HOSTILE_PAYEE)} {bc(HOSTILE_PAYMENT)} ^X-1
      Assets:Bank:Checking        200.00 EUR
      Assets:Receivable:Evil     -200.00 EUR

    2026-04-15 * "Statement Testing Co" "Prepayment" #on-account
      Assets:Bank:Checking        250.00 USD
      {STATEMENT_ACCOUNT}     -250.00 USD

    2026-05-30 * "Statement Testing Co" "Written off: March work" ^S-3 #write-off
      Expenses:BadDebt            500.00 USD
      {STATEMENT_ACCOUNT}     -500.00 USD

    2026-06-10 * "Statement Testing Co" "June work" ^S-4 #invoice
      {STATEMENT_ACCOUNT}      700.00 USD
      Income:Consulting          -700.00 USD

    2026-07-02 * "Statement Testing Co" "July work, after the statement" ^S-5 #invoice
      {STATEMENT_ACCOUNT}      900.00 USD
      Income:Consulting          -900.00 USD

    2026-07-05 * "Statement Testing Co" "Payment after the statement" ^S-4
      Assets:Bank:Checking        700.00 USD
      {STATEMENT_ACCOUNT}     -700.00 USD
""")

CS_LEDGER = textwrap.dedent("""\
    option "title" "beancount-ar: česká faktura"
    option "operating_currency" "CZK"
    plugin "beancount_ar"

    2026-01-01 custom "ar-company" "Semínko s.r.o."
      address: "Vinohradská 1, 120 00 Praha 2"
      tax-id: "CZ12345679"
      iban: "CZ65 0800 0000 1920 0014 5399"
      email: "fakturace@seminko.example"
      logo: "images/logo.png"
      locale: "cs_CZ"

    2026-01-01 open Assets:Bank:Checking
    2026-01-01 open Assets:Receivable:Kos
    2026-01-01 open Income:Consulting
    2026-01-01 open Liabilities:VAT

    2026-01-01 custom "ar-customer" "kos"
      name: "Kos a syn, s.r.o."
      account: Assets:Receivable:Kos
      terms: "2/10 net 30"
      address: "Dlouhá 5, 110 00 Praha 1"
      tax-id: "CZ87654326"

    2026-04-14 * "Kos a syn, s.r.o." "Konzultace, březen 2026" ^FA-2026-001 #invoice
      Assets:Receivable:Kos      1815.00 CZK
      Income:Consulting         -1500.00 CZK
        description: "Analýza požadavků"
        quantity: 10
        rate: 150.00 CZK
      Liabilities:VAT            -315.00 CZK

    2026-04-20 * "Kos a syn, s.r.o." "Částečná úhrada" ^FA-2026-001
      Assets:Bank:Checking        815.00 CZK
      Assets:Receivable:Kos      -815.00 CZK
""")
CS_LOGO_SIZE = (48, 24)

TEMPLATE_LEDGER = textwrap.dedent("""\
    option "operating_currency" "USD"
    plugin "beancount_ar"

    2026-01-01 custom "ar-company" "Template Test Ltd"
      iban: "DE89 3704 0044 0532 0130 00"
      templates: "my-templates"

    2026-01-01 open Assets:Bank:Checking
    2026-01-01 open Assets:Receivable:Acme
    2026-01-01 open Income:Consulting

    2026-01-01 custom "ar-customer" "acme"
      name: "Acme Corp"
      account: Assets:Receivable:Acme

    2026-03-01 * "Acme Corp" "Consulting <b>not bold</b>" ^T-1 #invoice
      Assets:Receivable:Acme     1500.00 USD
      Income:Consulting         -1500.00 USD
""")

CUSTOM_INVOICE_TEMPLATE = textwrap.dedent("""\
    {% extends "_base.html" %}
    {% block body %}
    <h1>Custom layout for {{ doc.invoice.number }}</h1>
    <p>Narration: {{ doc.invoice.narration }}</p>
    <p>Owed: {{ fmt.money(doc.balance_due, doc.invoice.currency) }}</p>
    {% endblock %}
""")

# Raw markup in the user's own template (templates are trusted, ledger text is not):
# the engine itself must still read no local file. SECRETS is replaced by a folder
# holding secret.html and secret.png, which an engine with file access would show.
FILE_READING_TEMPLATE = textwrap.dedent("""\
    <!doctype html>
    <html><body>
    <h1>Engine test {{ doc.invoice.number }}</h1>
    <iframe src="file://SECRETS/secret.html" width="600" height="200"></iframe>
    <img src="file://SECRETS/secret.png">
    <iframe src="file:///etc/passwd" width="600" height="200"></iframe>
    <object data="file:///etc/passwd" type="text/plain" width="600" height="200"></object>
    </body></html>
""")
LEAK_MARKER = "SECRET-CONTENT-4711"
SECRET_PNG_SIZE = (37, 19)


def write_ledger(folder: Path, text: str, name: str = "ledger.beancount") -> Path:
    """Write `text` as `folder/name` (folders made) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def tiny_png(width: int, height: int, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid truecolour PNG of one colour with a darker left half, from the stdlib only."""
    dark = bytes(c // 3 for c in rgb)
    row = b"\x00" + dark * (width // 2) + bytes(rgb) * (width - width // 2)

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


# --- running bean-ar and poppler -------------------------------------------------------

def bean_ar(*args: str | Path, env: Mapping[str, str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
    """The installed `bean-ar` in a subprocess (the real entry point, no shared state)."""
    return subprocess.run([sys.executable, str(BEAN_AR), *map(str, args)],
                          capture_output=True, text=True, check=False, timeout=120,
                          env=dict(env) if env is not None else None)


def bean_ar_ok(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """`bean_ar` that must succeed."""
    result = bean_ar(*args)
    assert result.returncode == 0, f"bean-ar {args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def pdf_text(pdf: Path, *, layout: bool = True) -> str:
    """`pdftotext -layout` of the whole PDF (reading order with `layout=False`: a block
    of the page stays together), no-break spaces as plain spaces."""
    mode = ["-layout"] if layout else []
    out = subprocess.run(["pdftotext", *mode, "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    return out.translate(_NO_BREAK)


@dataclass(frozen=True)
class PdfImage:
    """One row of `pdfimages -list`."""

    page: int
    kind: str
    width: int
    height: int


def pdf_images(pdf: Path) -> list[PdfImage]:
    """The raster images embedded in the PDF (vector drawings are not images)."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    images = []
    for line in out.splitlines()[2:]:  # a header line and a rule
        fields = line.split()
        images.append(PdfImage(int(fields[0]), fields[2], int(fields[3]), int(fields[4])))
    return images


def page_png(pdf: Path, prefix: Path, dpi: int) -> Path:
    """Page 1 of `pdf` as `<prefix>.png` at `dpi`."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1",
                    "-singlefile", str(pdf), str(prefix)],
                   capture_output=True, check=True, timeout=60)
    return prefix.with_name(prefix.name + ".png")


def decode_qr_codes(png: Path) -> list[str]:
    """Every QR code zxing-cpp finds in the picture, as UTF-8 text."""
    import zxingcpp
    from PIL import Image

    with Image.open(png) as image:
        found = zxingcpp.read_barcodes(image.convert("L"))
    return [bytes(code.bytes).decode("utf-8") for code in found
            if code.format == zxingcpp.BarcodeFormat.QRCode]


# --- reading text back -----------------------------------------------------------------

def squash(text: str) -> str:
    """`text` without any whitespace: for strings pdftotext may wrap across lines."""
    return _SPACES.sub("", text.translate(_NO_BREAK))


def has_row(text: str, *cells: str) -> bool:
    """Whether one line of `text` holds `cells` in this order, separated by spaces."""
    pattern = re.compile(r"(?:^|[ ])" + r" +".join(re.escape(c) for c in cells) + r"(?:[ ]|$)",
                         re.MULTILINE)
    return pattern.search(text.translate(_NO_BREAK)) is not None


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        del attrs
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None and self.rows:
            self.rows[-1].append(_SPACES.sub(" ", "".join(self._cell)).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_rows(html: str) -> list[list[str]]:
    """Every table row of the page as its cells' text (entities decoded, spaces collapsed)."""
    parser = _Rows()
    parser.feed(html)
    return parser.rows


# --- what the tests expect, written without the project's code --------------------------

_SYMBOLS = {"USD": "$", "EUR": "€"}


def money(amount: Decimal, currency: str) -> str:
    """en_US money as a reader expects it: `$1,500.00`, `-€12.50`."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{_SYMBOLS[currency]}{abs(amount):,.2f}"


def usd(amount: str) -> str:
    """`usd("1500")` is `$1,500.00`."""
    return money(Decimal(amount), "USD")


def parse_money(text: str) -> Decimal:
    """`-$1,250.00` -> Decimal('-1250.00')."""
    cleaned = text.translate(_NO_BREAK).replace(",", "").replace(" ", "")
    for symbol in _SYMBOLS.values():
        cleaned = cleaned.replace(symbol, "")
    return Decimal(cleaned)


def en_date(day: datetime.date) -> str:
    """en_US medium date: `Apr 14, 2026`."""
    return f"{day:%b} {day.day}, {day.year}"


def en_long_date(day: datetime.date) -> str:
    """en_US long date: `April 14, 2026`."""
    return f"{day:%B} {day.day}, {day.year}"


def load_entries(path: Path) -> list[Any]:
    """The ledger's entries through Beancount's own loader (no cache), checked clean."""
    from beancount import loader

    entries, errors, _ = loader.load_file(str(path))
    assert not errors, [e.message for e in errors]
    return list(entries)


def transactions(entries: Iterable[Any], link: str) -> list[Any]:
    """The transactions carrying `link`, in ledger order."""
    return [e for e in entries if type(e).__name__ == "Transaction" and link in e.links]


def account_balance(entries: Iterable[Any], account: str, *, before: datetime.date | None = None,
                    through: datetime.date | None = None) -> Decimal:
    """The sum of the postings to `account` dated before `before` / up to `through`."""
    total = Decimal(0)
    for entry in entries:
        if type(entry).__name__ != "Transaction":
            continue
        if (before is not None and entry.date >= before) or (
                through is not None and entry.date > through):
            continue
        total += sum((p.units.number for p in entry.postings if p.account == account),
                     Decimal(0))
    return total
