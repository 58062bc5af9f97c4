"""Printed documents end to end: `bean-ar invoice|statement|invoices` through the real
wkhtmltopdf, read back with poppler (`pdftotext -layout`, `pdfimages`, `pdftoppm`).

    .venv/bin/python -m pytest -q tests/test_documents.py

Each document is rendered once per module (as PDF and as HTML) and shared by the tests
that read it. What the tests expect is derived from the ledgers' own entries, loaded
with Beancount's loader, or written out by hand; never from the project's code.
Page-1 pictures of an invoice and a statement go to `documents/` in the pictures folder
(`$AR_ARTIFACTS`, else `beancount-ar-artifacts` in the system's temporary folder).
"""

from __future__ import annotations

import base64
import datetime
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from doc_ledgers import (
    ARTIFACTS,
    CS_LEDGER,
    CS_LOGO_SIZE,
    CUSTOM_INVOICE_TEMPLATE,
    EN_BIC,
    EN_COMPANY,
    EN_IBAN,
    EN_LEDGER,
    EXAMPLE,
    FILE_READING_TEMPLATE,
    HOSTILE_ADDRESS,
    HOSTILE_DESCRIPTION,
    HOSTILE_NAME,
    HOSTILE_NARRATION,
    HOSTILE_PAYMENT,
    HOSTILE_TEXTS,
    LEAK_MARKER,
    SECRET_PNG_SIZE,
    STATEMENT_ACCOUNT,
    STATEMENT_AS_OF,
    STATEMENT_FROM,
    TEMPLATE_LEDGER,
    account_balance,
    bean_ar,
    bean_ar_ok,
    decode_qr_codes,
    en_date,
    en_long_date,
    has_row,
    html_rows,
    load_entries,
    money,
    page_png,
    parse_money,
    pdf_images,
    pdf_text,
    squash,
    tiny_png,
    transactions,
    usd,
    write_ledger,
)

if TYPE_CHECKING:
    from pathlib import Path

PASSWD_MARKERS = ("root:x:0:0", "daemon:x:1:1", "/usr/sbin/nologin")


@dataclass(frozen=True)
class Rendered:
    """One document written as PDF and as HTML by the same command."""

    pdf: Path
    text: str  # pdftotext -layout, no-break spaces as spaces
    html: str

    @property
    def reading_order(self) -> str:
        """The page's text block by block (a cell that wraps stays in one piece)."""
        return pdf_text(self.pdf, layout=False)


def render(command: str, ledger: Path, subject: str, folder: Path, stem: str,
           *options: str) -> Rendered:
    """`bean-ar COMMAND LEDGER SUBJECT OPTIONS -o stem.pdf` and `-o stem.html`, at once."""
    folder.mkdir(parents=True, exist_ok=True)
    pdf, html = folder / f"{stem}.pdf", folder / f"{stem}.html"
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [pool.submit(bean_ar_ok, command, ledger, subject, *options, "-o", out)
                for out in (pdf, html)]
        for run in runs:
            run.result()
    assert pdf.read_bytes().startswith(b"%PDF-")
    return Rendered(pdf, pdf_text(pdf), html.read_text(encoding="utf-8"))


def no_passwd(text: str) -> None:
    for marker in PASSWD_MARKERS:
        assert marker not in text, f"/etc/passwd content {marker!r} leaked into a document"


# --- the example ledger: one invoice in USD, one in EUR --------------------------------


@dataclass(frozen=True)
class ExampleCase:
    number: str
    as_of: datetime.date
    currency: str
    account: str
    buyer: tuple[str, ...]  # name, address, email as the ar-customer gives them
    issue: datetime.date
    due: datetime.date  # worked out by hand from the terms
    terms: str


EXAMPLE_CASES = {
    # Acme Corp, net 30: issued May 4, due Jun 3; partly paid on Jun 4.
    "usd": ExampleCase("INV-2026-042", datetime.date(2026, 6, 10), "USD",
                       "Assets:Receivable:Acme",
                       ("Acme Corp", "1 Road Runner Way, Phoenix AZ 85001", "ap@acme.example"),
                       datetime.date(2026, 5, 4), datetime.date(2026, 6, 3), "Net 30 days"),
    # Stark Industrie GmbH, eom net 30: May 31 + 30 days; a credit note on May 11.
    "eur": ExampleCase("INV-2026-044", datetime.date(2026, 7, 1), "EUR",
                       "Assets:Receivable:Stark",
                       ("Stark Industrie GmbH", "Industriestraße 10, 80331 München",
                        "buchhaltung@stark.example"),
                       datetime.date(2026, 5, 4), datetime.date(2026, 6, 30),
                       "30 days after the end of the month"),
}
EXAMPLE_SELLER = ("Seed Consulting s.r.o.", "Vinohradská 1, 120 00 Praha 2",
                  "Tax ID: CZ12345679", "Email: billing@seed.example")
EXAMPLE_IBAN = "CZ65 0800 0000 1920 0014 5399"
EXAMPLE_BIC = "GIBACZPX"


@dataclass(frozen=True)
class Expected:
    """An invoice as its transactions say, read with Beancount's loader alone."""

    lines: list[tuple[str, Decimal | None, Decimal | None, Decimal]]
    taxes: list[Decimal]
    total: Decimal
    received: list[tuple[datetime.date, str, Decimal]]
    balance: Decimal


def expected_invoice(entries: list[Any], case: ExampleCase) -> Expected:
    found = transactions(entries, case.number)
    (invoice,) = [t for t in found if "invoice" in t.tags]
    lines: list[tuple[str, Decimal | None, Decimal | None, Decimal]] = []
    taxes: list[Decimal] = []
    total = Decimal(0)
    for posting in invoice.postings:
        meta = posting.meta or {}
        if posting.account.startswith("Income:"):
            rate = meta.get("rate")
            lines.append((meta.get("description", invoice.narration), meta.get("quantity"),
                          None if rate is None else rate.number, -posting.units.number))
        elif posting.account.startswith("Liabilities:"):
            taxes.append(-posting.units.number)
        elif posting.account == case.account:
            total += posting.units.number
    received = [
        (t.date, t.narration, -sum(p.units.number for p in t.postings if p.account == case.account))
        for t in found if t is not invoice and t.date <= case.as_of
    ]
    return Expected(lines, taxes, total, received, total - sum(r[2] for r in received))


@pytest.fixture(scope="module")
def example_entries() -> list[Any]:
    return load_entries(EXAMPLE)


ExampleDoc = tuple[ExampleCase, Expected, Rendered]


@pytest.fixture(scope="module")
def example_docs(tmp_path_factory: pytest.TempPathFactory,
                 example_entries: list[Any]) -> dict[str, ExampleDoc]:
    docs = {}
    for key, case in EXAMPLE_CASES.items():
        folder = tmp_path_factory.mktemp(f"example-{key}")
        rendered = render("invoice", EXAMPLE, case.number, folder, case.number,
                          "--as-of", case.as_of.isoformat())
        docs[key] = (case, expected_invoice(example_entries, case), rendered)
    return docs


@pytest.fixture(params=sorted(EXAMPLE_CASES))
def example(request: pytest.FixtureRequest, example_docs: dict[str, ExampleDoc]) -> ExampleDoc:
    return example_docs[request.param]


def test_example_invoice_seller_and_buyer_blocks(
        example: ExampleDoc) -> None:
    case, _, doc = example
    for line in EXAMPLE_SELLER:
        assert line in doc.text
    assert "Bill to" in doc.text
    for line in case.buyer:
        assert line in doc.text
    # The buyer block in the HTML: one cell holding name, address and email in that order.
    buyer_cell = next(cell for row in html_rows(doc.html) for cell in row if "Bill to" in cell)
    assert buyer_cell == " ".join(("Bill to", *case.buyer))


def test_example_invoice_number_dates_and_terms(
        example: ExampleDoc) -> None:
    case, _, doc = example
    assert f"Invoice {case.number}" in doc.text
    assert has_row(doc.text, "Invoice number", case.number, "Issue date", en_date(case.issue),
                   "Due date", en_date(case.due))
    assert has_row(doc.text, "Terms", case.terms)
    assert "discount" not in doc.text  # neither customer has early-payment terms


def test_example_invoice_lines_taxes_and_total(
        example: ExampleDoc) -> None:
    case, want, doc = example
    assert has_row(doc.text, "Description", "Quantity", "Rate", "Amount")
    assert len(want.lines) == 2  # both invoices bill two income postings
    for description, quantity, rate, amount in want.lines:
        assert quantity is not None
        assert rate is not None
        assert has_row(doc.text, description, f"{quantity:,}", money(rate, case.currency),
                       money(amount, case.currency)), description
    subtotal = sum((line[3] for line in want.lines), Decimal(0))
    assert has_row(doc.text, "Subtotal", money(subtotal, case.currency))
    (tax,) = want.taxes
    assert has_row(doc.text, "Tax", money(tax, case.currency))
    assert subtotal + tax == want.total
    assert has_row(doc.text, "Total", money(want.total, case.currency))


def test_example_invoice_payments_credits_and_balance_due(
        example: ExampleDoc) -> None:
    case, want, doc = example
    assert len(want.received) == 1  # a partial payment (USD), a credit note (EUR)
    assert "Payments and credits" in doc.text
    for day, narration, amount in want.received:
        assert has_row(doc.text, en_date(day), narration, money(amount, case.currency))
    assert 0 < want.balance < want.total
    assert has_row(doc.text, "Balance due", money(want.balance, case.currency))


def test_example_invoice_payment_instructions(
        example: ExampleDoc) -> None:
    case, _, doc = example
    assert "Payment instructions" in doc.text
    assert "Please pay to: Seed Consulting s.r.o." in doc.text
    assert f"IBAN: {EXAMPLE_IBAN}" in doc.text
    assert f"Payment reference: {case.number}" in doc.text


def test_usd_invoice_has_no_qr_code(example_docs: dict[str, ExampleDoc]) -> None:
    _, _, doc = example_docs["usd"]
    assert "data:image/svg+xml" not in doc.html
    assert "Scan to pay" not in doc.text


def test_eur_invoice_carries_a_scannable_epc_qr_code(
        example_docs: dict[str, ExampleDoc]) -> None:
    case, want, doc = example_docs["eur"]
    assert '<img class="qr" src="data:image/svg+xml;base64,' in doc.html
    assert "Scan to pay" in doc.text
    # The code is drawn as vector paths (pdfimages lists no raster image for it): read
    # it back from the printed page the way a banking app would, from pixels.
    png = page_png(doc.pdf, doc.pdf.with_name("qr-page"), 150)
    (payload,) = decode_qr_codes(png)
    amount = f"{want.balance:f}".rstrip("0").rstrip(".")
    assert payload.split("\n") == [
        "BCD", "002", "1", "SCT", EXAMPLE_BIC, "Seed Consulting s.r.o.",
        EXAMPLE_IBAN.replace(" ", ""), f"EUR{amount}", "", "", case.number,
    ]


# --- a ledger written by the tests (en_US): discount terms, hostile text, statements ----


@pytest.fixture(scope="module")
def en_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("en")


@pytest.fixture(scope="module")
def en_ledger(en_folder: Path) -> Path:
    return write_ledger(en_folder / "books", EN_LEDGER)


@pytest.fixture(scope="module")
def en_entries(en_ledger: Path) -> list[Any]:
    return load_entries(en_ledger)


@pytest.fixture(scope="module")
def discount_invoice(en_ledger: Path, en_folder: Path) -> Rendered:
    return render("invoice", en_ledger, "W-1", en_folder / "out", "W-1", "--as-of", "2026-04-05")


def test_discount_terms_are_spelled_out(discount_invoice: Rendered) -> None:
    text = discount_invoice.text
    # 2/10 net 30 on an invoice of 2026-04-01: the discount runs to April 11.
    discount_until = datetime.date(2026, 4, 1) + datetime.timedelta(days=10)
    assert en_long_date(discount_until) == "April 11, 2026"
    assert has_row(text, "Terms", "Net 30 days; 2 % discount if paid by April 11, 2026")
    assert has_row(text, "Issue date", "Apr 1, 2026", "Due date", "May 1, 2026")


def test_buyer_tax_id_bic_and_quantity_rate_lines(discount_invoice: Rendered) -> None:
    text = discount_invoice.text
    assert "Tax ID: US-99-7654321" in text  # the buyer's
    assert "Tax ID: US-12-3456789" in text  # the seller's
    assert has_row(text, "Architecture review", "10", usd("150"), usd("1500"))
    assert f"IBAN: {EN_IBAN}" in text
    assert f"BIC: {EN_BIC}" in text
    assert f"Please pay to: {EN_COMPANY}" in text
    assert "Payment reference: W-1" in text
    assert "Payments and credits" not in text  # nothing received yet
    assert has_row(text, "Balance due", usd("1500"))


# --- hostile ledger text --------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_invoice(en_ledger: Path, en_folder: Path) -> Rendered:
    return render("invoice", en_ledger, "X-1", en_folder / "out", "X-1", "--as-of", "2026-04-30")


@pytest.fixture(scope="module")
def hostile_statement(en_ledger: Path, en_folder: Path) -> Rendered:
    return render("statement", en_ledger, "evil", en_folder / "out", "evil",
                  "--as-of", "2026-04-30")


def _prints_literally(doc: Rendered, texts: tuple[str, ...]) -> None:
    flat = squash(doc.reading_order)
    for text in texts:
        assert squash(text) in flat, f"{text!r} is not printed as written"
    no_passwd(doc.text)
    no_passwd(doc.reading_order)
    # A script that ran would leave its output without the code around it.
    for marker in ("INJECTED-NAME", "INJECTED-PAYMENT"):
        assert flat.count(marker) == flat.count(f"document.write('{marker}')")


def _escaped_in_html(doc: Rendered, texts: tuple[str, ...]) -> None:
    raw = doc.html.lower()
    for tag in ("<iframe", "<object", "<script", 'src="file:', 'data="file:', "<b>"):
        assert tag not in raw, f"{tag} reached the HTML unescaped"
    cells = {cell for row in html_rows(doc.html) for cell in row}
    page = " ".join(cells)
    for text in texts:
        assert text in page, f"{text!r} not in the page's text"


def test_hostile_invoice_prints_the_characters_and_reads_no_file(hostile_invoice: Rendered,
                                                                 ) -> None:
    _prints_literally(hostile_invoice, HOSTILE_TEXTS)
    _escaped_in_html(hostile_invoice, HOSTILE_TEXTS)


def test_hostile_invoice_lines_fall_back_to_the_narration(hostile_invoice: Rendered) -> None:
    rows = html_rows(hostile_invoice.html)
    # One posting with metadata, one without: its description is the narration and
    # it shows the posting's amount.
    assert [HOSTILE_DESCRIPTION, "2", "€300.00", "€600.00"] in rows
    assert [HOSTILE_NARRATION, "", "", "€400.00"] in rows
    assert ["Tax", "€210.00"] in rows
    assert ["Total", "€1,210.00"] in rows
    assert ["Balance due", "€1,010.00"] in rows


def test_hostile_statement_prints_the_characters_and_reads_no_file(
        hostile_statement: Rendered) -> None:
    texts = (HOSTILE_NAME, HOSTILE_ADDRESS, HOSTILE_NARRATION, HOSTILE_PAYMENT)
    _prints_literally(hostile_statement, texts)
    _escaped_in_html(hostile_statement, texts)


def test_engine_reads_no_local_file_even_when_a_template_asks(tmp_path: Path) -> None:
    """Raw markup in the user's own template: wkhtmltopdf itself must not read the files."""
    secrets = tmp_path / "secrets"
    write_ledger(secrets, f"<p>{LEAK_MARKER}</p>", "secret.html")
    (secrets / "secret.png").write_bytes(tiny_png(*SECRET_PNG_SIZE))
    ledger = write_ledger(tmp_path, TEMPLATE_LEDGER)
    write_ledger(tmp_path / "my-templates",
                 FILE_READING_TEMPLATE.replace("SECRETS", str(secrets)), "invoice.html")
    out = tmp_path / "engine.pdf"
    result = bean_ar("invoice", ledger, "T-1", "-o", out, "--as-of", "2026-03-31")
    assert "Traceback" not in result.stderr
    no_passwd(result.stdout + result.stderr)
    assert LEAK_MARKER not in result.stdout + result.stderr
    if result.returncode == 0:  # printed without the files
        text = pdf_text(out)
        assert "Engine test T-1" in text
        no_passwd(text)
        assert LEAK_MARKER not in text
        assert not [i for i in pdf_images(out) if (i.width, i.height) == SECRET_PNG_SIZE]
    else:  # or refused (wkhtmltopdf stops at a blocked URL), with a message
        assert result.returncode == 1
        assert "wkhtmltopdf" in result.stderr
        assert not out.exists()


# --- statements -----------------------------------------------------------------------

KINDS = {"invoice": "Invoice", "credit-note": "Credit note", "write-off": "Write-off"}


def expected_statement(entries: list[Any], start: datetime.date | None,
                       as_of: datetime.date) -> tuple[Decimal, list[list[str | None]]]:
    """Opening balance and the rows (date, document, description, debit, credit, balance)
    from the receivable account's postings; the label of an on-account row is not fixed."""
    opening = account_balance(entries, STATEMENT_ACCOUNT, before=start) if start else Decimal(0)
    balance = opening
    rows: list[list[str | None]] = []
    for entry in entries:
        if type(entry).__name__ != "Transaction" or entry.date > as_of or (
                start is not None and entry.date < start):
            continue
        amount = sum((p.units.number for p in entry.postings if p.account == STATEMENT_ACCOUNT),
                     Decimal(0))
        if not amount:
            continue
        balance += amount
        if "on-account" in entry.tags:
            document = None
        else:
            kind = next((KINDS[t] for t in entry.tags if t in KINDS), "Payment")
            document = f"{kind} {next(iter(entry.links))}"
        rows.append([en_date(entry.date), document, entry.narration,
                     money(amount, "USD") if amount > 0 else "",
                     money(-amount, "USD") if amount < 0 else "", money(balance, "USD")])
    return opening, rows


def statement_rows(html: str) -> list[list[str]]:
    rows = html_rows(html)
    start = rows.index(["Date", "Document", "Description", "Debit", "Credit", "Balance"])
    end = next(i for i in range(start, len(rows)) if rows[i] and rows[i][1] == "Closing balance")
    return rows[start + 1:end + 1]


@pytest.fixture(scope="module")
def statement_full(en_ledger: Path, en_folder: Path) -> Rendered:
    return render("statement", en_ledger, "stmt", en_folder / "out", "stmt-full",
                  "--as-of", STATEMENT_AS_OF.isoformat())


@pytest.fixture(scope="module")
def statement_from(en_ledger: Path, en_folder: Path) -> Rendered:
    return render("statement", en_ledger, "stmt", en_folder / "out", "stmt-from",
                  "--from", STATEMENT_FROM.isoformat(), "--as-of", STATEMENT_AS_OF.isoformat())


@pytest.mark.parametrize("period", ["full", "from"])
def test_statement_lists_every_movement_with_a_running_balance(
        period: str, statement_full: Rendered, statement_from: Rendered,
        en_entries: list[Any]) -> None:
    doc = statement_full if period == "full" else statement_from
    start = STATEMENT_FROM if period == "from" else None
    opening, want = expected_statement(en_entries, start, STATEMENT_AS_OF)
    got = statement_rows(doc.html)
    assert got[0] == ["", "Opening balance", money(opening, "USD")]
    assert len(got[1:-1]) == len(want)
    for row, expected in zip(got[1:-1], want, strict=True):
        assert [c if e is not None else None for c, e in zip(row, expected, strict=True)] \
            == expected
        # ...and the same row is on the printed page.
        assert has_row(doc.text, *[c for c in row if c])
    kinds = {row[1].split(" ")[0] for row in got[1:-1]}
    if period == "full":
        assert {"Invoice", "Payment", "Credit", "Write-off"} <= kinds
    assert has_row(doc.text, "Opening balance", money(opening, "USD"))


@pytest.mark.parametrize("period", ["full", "from"])
def test_statement_closing_balance_is_the_receivable_account_balance(
        period: str, statement_full: Rendered, statement_from: Rendered,
        en_entries: list[Any]) -> None:
    doc = statement_full if period == "full" else statement_from
    balance = account_balance(en_entries, STATEMENT_ACCOUNT, through=STATEMENT_AS_OF)
    assert balance == Decimal("950.00")  # the ledger as written, worked out by hand
    assert has_row(doc.text, "Closing balance", money(balance, "USD"))
    assert f'data-closing="USD">{money(balance, "USD")}<' in doc.html
    # Nothing dated after the as-of day.
    assert "S-5" not in doc.text
    assert "after the statement" not in doc.text


def test_statement_from_gives_the_opening_balance_and_period(statement_from: Rendered,
                                                             en_entries: list[Any]) -> None:
    opening = account_balance(en_entries, STATEMENT_ACCOUNT, before=STATEMENT_FROM)
    assert opening == Decimal("2000.00")  # S-1 + S-2 less the payment of S-1
    assert has_row(statement_from.text, "Opening balance", usd("2000"))
    assert has_row(statement_from.text, "Period", "Mar 1, 2026 \u2013 Jun 30, 2026")
    assert "January work" not in statement_from.text


def statement_aging(html: str) -> dict[str, str]:
    rows = html_rows(html)
    header = next(row for row in rows if row and row[0] == "Aging")
    values = rows[rows.index(header) + 1]
    assert values[0] == "USD"
    return dict(zip(header[1:], values[1:], strict=True))


def cli_aging(ledger: Path, customer: str) -> dict[str, Decimal]:
    csv = bean_ar_ok("aging", ledger, "--as-of", STATEMENT_AS_OF.isoformat(),
                     "--format", "csv").stdout.splitlines()
    header = csv[0].split(",")
    (row,) = [line.split(",") for line in csv[1:] if line.startswith(f"{customer},USD,")]
    return {name: Decimal(value) for name, value in zip(header[2:], row[2:], strict=True)}


def test_statement_aging_buckets_equal_bean_ar_aging(statement_full: Rendered,
                                                     en_ledger: Path) -> None:
    shown = statement_aging(statement_full.html)
    report = cli_aging(en_ledger, "stmt")
    for column in ("current", "1-30", "31-60", "61-90", "90+"):
        assert parse_money(shown[column]) == report[column], column
    assert parse_money(shown["Total"]) == report["total"]
    assert report["total"] == Decimal("950.00")
    printed = [money(report[c], "USD")
               for c in ("unapplied", "current", "1-30", "31-60", "61-90", "90+")]
    assert has_row(statement_full.text, "USD", *printed, money(report["total"], "USD"))


def test_statement_aging_shows_the_unapplied_credit_so_the_row_adds_up(
        statement_full: Rendered, en_ledger: Path) -> None:
    """`bean-ar aging` has an `unapplied` column (-250.00 here, the prepayment); the
    statement's aging row must show it too, or its figures do not add up to its total."""
    shown = statement_aging(statement_full.html)
    report = cli_aging(en_ledger, "stmt")
    assert report["unapplied"] == Decimal("-250.00")
    parts = [parse_money(v) for k, v in shown.items() if k != "Total"]
    assert sum(parts) == parse_money(shown["Total"]), (
        f"statement aging {shown} does not add up to its total; "
        f"bean-ar aging has unapplied {report['unapplied']}")
    assert money(report["unapplied"], "USD") in shown.values()


# --- Czech: locale, labels, logo ------------------------------------------------------


@pytest.fixture(scope="module")
def cs_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cs")
    logo = folder / "books" / "images" / "logo.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(tiny_png(*CS_LOGO_SIZE))
    return write_ledger(folder / "books", CS_LEDGER)


@pytest.fixture(scope="module")
def cs_invoice(cs_ledger: Path) -> Rendered:
    return render("invoice", cs_ledger, "FA-2026-001", cs_ledger.parent.parent / "out",
                  "FA-2026-001", "--as-of", "2026-05-01")


def test_czech_labels(cs_invoice: Rendered) -> None:
    text = cs_invoice.text
    for label in ("Faktura FA-2026-001", "Odběratel", "Číslo faktury", "Datum vystavení",
                  "Datum splatnosti", "Platební podmínky", "Popis", "Množství",
                  "Jednotková cena", "Částka", "Mezisoučet", "DPH", "Celkem",
                  "Platby a dobropisy", "K úhradě", "Platební údaje",
                  "Reference platby: FA-2026-001", "DIČ: CZ87654326", "DIČ: CZ12345679",
                  "Děkujeme za spolupráci."):
        assert label in text, label
    for english in ("Invoice number", "Issue date", "Balance due", "Bill to", "Subtotal",
                    "Payment reference", "Tax ID"):
        assert english not in text, english


def test_czech_numbers_dates_and_discount(cs_invoice: Rendered) -> None:
    text = cs_invoice.text
    assert has_row(text, "Datum vystavení", "14. 4. 2026")
    assert has_row(text, "Datum splatnosti", "14. 5. 2026")
    assert has_row(text, "Analýza požadavků", "10", "150,00 Kč", "1 500,00 Kč")
    assert has_row(text, "Mezisoučet", "1 500,00 Kč")
    assert has_row(text, "DPH", "315,00 Kč")
    assert has_row(text, "Celkem", "1 815,00 Kč")
    assert has_row(text, "20. 4. 2026", "Částečná úhrada", "815,00 Kč")
    assert has_row(text, "K úhradě", "1 000,00 Kč")
    assert "Sleva 2 % při úhradě do 24. dubna 2026" in text
    assert "$" not in text
    assert "CZK" not in text
    # In the HTML the spaces are the no-break spaces CLDR writes.
    assert "1\u00a0500,00\u00a0Kč" in cs_invoice.html
    assert "1 500,00 Kč" not in cs_invoice.html


def test_logo_is_embedded_not_linked(cs_invoice: Rendered, cs_ledger: Path) -> None:
    png = (cs_ledger.parent / "images" / "logo.png").read_bytes()
    assert f'src="data:image/png;base64,{base64.b64encode(png).decode()}"' in cs_invoice.html
    assert "logo.png" not in cs_invoice.html
    assert str(cs_ledger.parent) not in cs_invoice.html
    assert "file:" not in cs_invoice.html
    images = pdf_images(cs_invoice.pdf)
    assert [(i.page, i.width, i.height) for i in images] == [(1, *CS_LOGO_SIZE)]


# --- a user's own templates -----------------------------------------------------------


def test_user_template_folder_overrides_invoice_html(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "books", TEMPLATE_LEDGER)
    write_ledger(tmp_path / "books" / "my-templates", CUSTOM_INVOICE_TEMPLATE, "invoice.html")
    doc = render("invoice", ledger, "T-1", tmp_path / "out", "T-1", "--as-of", "2026-03-31")
    assert "Custom layout for T-1" in doc.text
    assert "Narration: Consulting <b>not bold</b>" in doc.text  # escaped in user templates too
    assert "Consulting &lt;b&gt;not bold&lt;/b&gt;" in doc.html
    assert "Owed: $1,500.00" in doc.text
    assert "Template Test Ltd" in doc.text  # the package's _base.html still serves the seller
    assert "Invoice number" not in doc.text  # the package's invoice.html was not used
    # A template the folder does not have comes from the package.
    statement = tmp_path / "out" / "acme.html"
    bean_ar_ok("statement", ledger, "acme", "--as-of", "2026-03-31", "-o", statement)
    assert "Statement of account" in statement.read_text(encoding="utf-8")


# --- the command line: errors, missing engine, billing run ----------------------------


# Exit 2 for what the command was asked (no such invoice or customer, no such folder):
# the ledger itself is fine.
@pytest.mark.parametrize(("args", "codes", "names"), [
    pytest.param(("invoice", "{ledger}", "INV-0000", "-o", "{out}"), {2}, ("INV-0000",),
                 id="unknown-invoice"),
    pytest.param(("statement", "{ledger}", "nobody", "-o", "{out}"), {2}, ("nobody",),
                 id="unknown-customer"),
    # A date that is no date is bad usage: exit 2, the CLI's contract (beancount_ar/cli docstring).
    pytest.param(("invoice", "{ledger}", "W-1", "--as-of", "2026-02-30", "-o", "{out}"), {2},
                 ("--as-of",), id="invoice-bad-as-of"),
    pytest.param(("statement", "{ledger}", "stmt", "--from", "2026/03/01", "-o", "{out}"), {2},
                 ("--from",), id="statement-bad-from"),
    pytest.param(("statement", "{ledger}", "stmt", "--as-of", "yesterday", "-o", "{out}"), {2},
                 ("--as-of",), id="statement-bad-as-of"),
    # A period that ends before it starts: a usage error (2) or refused like a bad
    # subject (1); either way not a statement of nothing.
    pytest.param(("statement", "{ledger}", "stmt", "--from", "2026-07-01", "--as-of",
                  "2026-06-30", "-o", "{out}"), {1, 2}, ("--from", "2026-07-01"),
                 id="statement-from-after-as-of"),
    pytest.param(("invoices", "{ledger}", "--from", "2026-06-30", "--to", "2026-01-01",
                  "-o", "{folder}"), {1, 2}, ("--from", "--to", "2026-06-30"),
                 id="billing-run-from-after-to"),
    # As of a day before the invoice was issued the books had no such invoice
    # (AR-SPEC section 7: --as-of sees only entries dated on or before it).
    pytest.param(("invoice", "{ledger}", "S-4", "--as-of", "2026-06-01", "-o", "{out}"), {2},
                 ("S-4",), id="invoice-as-of-before-issue"),
    pytest.param(("invoice", "{ledger}", "W-1", "-o", "{missing}"), {2}, ("no-such-folder",),
                 id="output-folder-missing"),
])
def test_command_errors_exit_with_a_message_and_no_traceback(
        args: tuple[str, ...], codes: set[int], names: tuple[str, ...], en_ledger: Path,
        tmp_path: Path) -> None:
    places = {"ledger": str(en_ledger), "out": str(tmp_path / "out.pdf"),
              "folder": str(tmp_path / "billing"),
              "missing": str(tmp_path / "no-such-folder" / "out.pdf")}
    result = bean_ar(*(a.format(**places) for a in args))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in codes, (result.returncode, result.stdout, result.stderr)
    assert any(name in result.stderr for name in names), result.stderr
    written = [p.name for p in tmp_path.rglob("*") if p.suffix in {".pdf", ".partial"}]
    assert written == [], written


def test_missing_wkhtmltopdf_is_named_and_fails(en_ledger: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    (bin_dir / "python3").symlink_to(sys.executable)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    assert shutil.which("wkhtmltopdf", path=env["PATH"]) is None
    out = tmp_path / "W-1.pdf"
    result = bean_ar("invoice", en_ledger, "W-1", "-o", out, "--as-of", "2026-04-05", env=env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "wkhtmltopdf" in result.stderr
    assert "install" in result.stderr.lower()
    assert not out.exists()
    # HTML needs no engine.
    html = tmp_path / "W-1.html"
    ok = bean_ar("invoice", en_ledger, "W-1", "-o", html, "--as-of", "2026-04-05", env=env)
    assert ok.returncode == 0, ok.stderr
    assert "W-1" in html.read_text(encoding="utf-8")


def test_billing_run_writes_one_pdf_per_invoice(example_entries: list[Any],
                                                tmp_path: Path) -> None:
    start, end = datetime.date(2026, 11, 9), datetime.date(2026, 11, 11)
    chosen = [e for e in example_entries if type(e).__name__ == "Transaction"
              and "invoice" in e.tags and start <= e.date <= end]
    numbers = sorted(next(iter(e.links)) for e in chosen)
    assert len(numbers) == 4  # the example's invoices of Nov 9-11, 2026
    totals: dict[str, Decimal] = {}
    for entry in chosen:
        for posting in entry.postings:
            if posting.account.startswith("Assets:Receivable:"):
                currency = posting.units.currency
                totals[currency] = totals.get(currency, Decimal(0)) + posting.units.number
    folder = tmp_path / "billing"
    result = bean_ar_ok("invoices", EXAMPLE, "--from", start.isoformat(), "--to", end.isoformat(),
                        "-o", folder, "--jobs", "2")
    assert sorted(p.name for p in folder.iterdir()) == [f"{n}.pdf" for n in numbers]
    for number in numbers:
        text = pdf_text(folder / f"{number}.pdf")
        assert f"Invoice {number}" in text
        assert f"Payment reference: {number}" in text
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"{len(numbers)} invoice(s) written to {folder}"), summary
    for currency, total in totals.items():
        assert f"{total:,} {currency}" in summary, summary
    assert "failed" not in summary


# --- pictures for a person ------------------------------------------------------------


def test_artifacts_page_pictures(example_docs: dict[str, ExampleDoc],
                                 statement_full: Rendered, cs_invoice: Rendered) -> None:
    case, _, invoice = example_docs["eur"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, doc in ((f"invoice-{case.number}", invoice), ("statement-stmt", statement_full),
                      ("invoice-cs-FA-2026-001", cs_invoice)):
        pdf = ARTIFACTS / f"{name}.pdf"
        shutil.copyfile(doc.pdf, pdf)
        png = page_png(pdf, ARTIFACTS / name, 70)
        assert png.stat().st_size > 0
        assert png.read_bytes().startswith(b"\x89PNG")
    assert os.access(ARTIFACTS, os.W_OK)
