"""Invoices and statements as PDF from the Receivables page (real Fava, Flask's test client).

    /<slug>/extension/Receivables/invoice_pdf?number=INV-2026-062&time=2026-06
    /<slug>/extension/Receivables/statement_pdf?customer=acme&time=2026-06

answer `application/pdf`, shown inline, named after the invoice. The as-of date
is the page's (the end of Fava's time filter, else today, never after today); a
statement runs from the time filter's first day (else from the beginning of the
books; tests/test_fava_time_filter.py). An unknown number or
customer is a 404, a document that cannot be made (no wkhtmltopdf, a broken
template, a bad `ar-company`) a 503, both in plain text. The page links each
invoice row to its PDF and the customer view to the statement; the links keep
Fava's `time` and no other filter.
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from fava_ledgers import EXAMPLE, EXAMPLE_SLUG, FavaSite, write_fava_ledger

from beancount_ar.documents import render

if TYPE_CHECKING:
    from pathlib import Path

    from fava_ledgers import Element
    from werkzeug.test import TestResponse

# No skip: make install provides every tool these tests run.

BASE = f"/{EXAMPLE_SLUG}/extension/Receivables/"


@pytest.fixture(scope="module")
def example() -> FavaSite:
    site = FavaSite.open(EXAMPLE)
    assert site.slug == EXAMPLE_SLUG
    return site


def pdf_text(response: TestResponse) -> str:
    """The text of a PDF answer (which must be one)."""
    assert response.status_code == 200, response.text[:500]
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    data: bytes = response.data
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def assert_plain(response: TestResponse, status: int, *fragments: str) -> None:
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.mimetype == "text/plain"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    for fragment in fragments:
        assert fragment in response.text


def query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


# --- the endpoints on the example ledger -------------------------------------------------

def test_invoice_pdf(example: FavaSite) -> None:
    response = example.get("invoice_pdf", number="INV-2026-062", time="2026-06")
    assert response.headers["Content-Disposition"] == 'inline; filename="INV-2026-062.pdf"'
    text = pdf_text(response)
    assert "Invoice INV-2026-062" in text
    assert "Acme Corp" in text  # the customer
    assert "Seed Consulting s.r.o." in text  # the seller, read from `ar-company` at load
    assert "Security assessment" in text


def test_invoice_pdf_balance_follows_time(example: FavaSite) -> None:
    # INV-2025-002 (acme, $5,994.00) was paid on 2025-06-04.
    before = pdf_text(example.get("invoice_pdf", number="INV-2025-002", time="2025-05"))
    after = pdf_text(example.get("invoice_pdf", number="INV-2025-002", time="2025-06"))
    due = [" ".join(next(line for line in t.splitlines()
                         if line.lstrip().startswith("Balance due")).split()[2:])
           for t in (before, after)]
    assert due == ["$5,994.00", "Paid in full"]
    assert "Payments and credits" not in before
    assert "Payments and credits" in after


def test_statement_pdf(example: FavaSite) -> None:
    response = example.get("statement_pdf", customer="acme", time="2026-06")
    assert response.headers["Content-Disposition"] == (
        'inline; filename="statement-acme-2026-06-30.pdf"')
    text = pdf_text(response)
    assert "Statement of account" in text
    assert "Acme Corp (acme)" in text
    assert "Jun 1, 2026 \N{EN DASH} Jun 30, 2026" in text  # the time filter's period
    assert "INV-2026-062" in text  # invoiced 2026-06-18
    assert "INV-2025-002" not in text  # before the period: in the opening balance


def test_statement_pdf_runs_over_the_time_filter(example: FavaSite) -> None:
    text = pdf_text(example.get("statement_pdf", customer="acme", time="2025-06"))
    assert "Jun 1, 2025 \N{EN DASH} Jun 30, 2025" in text
    assert "INV-2025-010" in text  # invoiced 2025-06-04
    assert "INV-2025-017" not in text  # invoiced 2025-07-02, after the date


def test_unknown_invoice_is_404(example: FavaSite) -> None:
    assert_plain(example.get("invoice_pdf", number="INV-9999-999"), 404, "INV-9999-999")
    assert_plain(example.get("invoice_pdf"), 404, "No invoice")
    # Not issued yet on the as-of date (INV-2026-062 is of 2026-06-18), as `bean-ar invoice`.
    assert_plain(example.get("invoice_pdf", number="INV-2026-062", time="2026-05"), 404,
                 "INV-2026-062", "on or before 2026-05-31")


def test_unknown_customer_is_404_in_plain_text(example: FavaSite) -> None:
    markup = "<script>alert(1)</script>"
    assert_plain(example.get("statement_pdf", customer=markup), 404, markup)
    assert_plain(example.get("statement_pdf"), 404, "No customer")


def test_bad_time_is_400(example: FavaSite) -> None:
    assert_plain(example.get("invoice_pdf", number="INV-2026-062", time="garbage"), 400,
                 "garbage")
    assert_plain(example.get("statement_pdf", customer="acme", time="garbage"), 400)


def test_missing_engine_is_503(example: FavaSite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "ENGINE", "no-such-wkhtmltopdf")
    assert_plain(example.get("invoice_pdf", number="INV-2026-062"), 503,
                 "no-such-wkhtmltopdf is not installed")
    assert_plain(example.get("statement_pdf", customer="acme"), 503, "not installed")


def test_pdf_bytes_is_what_write_document_writes(tmp_path: Path) -> None:
    html = "<html><body><h1>Hello PDF</h1></body></html>"
    pdf = render.pdf_bytes(html, "A5")
    assert pdf.startswith(b"%PDF-")
    out = tmp_path / "hello.pdf"
    render.write_document(html, out, "A5")
    assert out.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True,
                          ).stdout.decode()
    assert "Hello PDF" in text


# --- the links on the page ----------------------------------------------------------------

def pdf_links(page: Element, testid: str) -> list[str]:
    links = page.find_all("a", data_testid=testid)
    for link in links:
        assert "data-remote" in link.attrs  # Fava's router leaves it to the browser
        assert link.attrs["target"] == "_blank"
    return [link.attrs["href"] for link in links]


def test_every_open_invoice_row_links_its_pdf(example: FavaSite) -> None:
    page = example.html(time="2026-06")
    rows = page.find("table", data_testid="invoices").find_all("tr", data_invoice=None)
    assert rows
    for row in rows:
        (href,) = pdf_links(row, "invoice-pdf")
        assert urlsplit(href).path == BASE + "invoice_pdf"
        assert query(href) == {"time": ["2026-06"], "number": [row.attrs["data-invoice"]]}
    assert not page.find_all(data_testid="statement-pdf")  # no customer chosen


def test_links_keep_time_only(example: FavaSite) -> None:
    page = example.html(time="2026-06", account="Assets:Receivable:Acme", status="overdue",
                        sort="open", order="asc")
    (statement,) = pdf_links(page, "statement-pdf")
    assert query(statement) == {"time": ["2026-06"], "customer": ["acme"]}
    hrefs = pdf_links(page, "invoice-pdf")
    assert hrefs
    assert all(set(query(h)) == {"time", "number"} for h in hrefs)
    # Without a time filter the links carry none either: the endpoint's as-of is today.
    page = example.html(customer="acme")
    (statement,) = pdf_links(page, "statement-pdf")
    assert query(statement) == {"customer": ["acme"]}


def test_customer_view_links_statement_and_invoices(example: FavaSite) -> None:
    page = example.html(time="2026-06", customer="acme")
    view = page.find("section", data_testid="customer-view")
    (statement,) = pdf_links(view, "statement-pdf")
    assert statement == BASE + "statement_pdf?time=2026-06&customer=acme"
    numbers = [query(h)["number"][0] for h in pdf_links(view, "invoice-pdf")]
    assert "INV-2025-002" in numbers
    assert all(n.startswith("INV-") for n in numbers)
    # The links answer what they promise.
    assert "Acme Corp (acme)" in pdf_text(example.client.get(statement))
    first = pdf_links(view, "invoice-pdf")[0]
    assert f"Invoice {query(first)['number'][0]}" in pdf_text(example.client.get(first))


# --- other ledgers ------------------------------------------------------------------------

INVOICE = """
    2026-04-01 * "Acme Corp" "Consulting" ^INV-A1 #invoice
      Assets:Receivable:Acme     1000.00 USD
      Income:Consulting         -1000.00 USD
"""


def test_without_a_company_the_invoice_still_prints(tmp_path: Path) -> None:
    site = FavaSite.open(write_fava_ledger(tmp_path, INVOICE))
    text = pdf_text(site.get("invoice_pdf", number="INV-A1", time="2026-06"))
    assert "INV-A1" in text
    assert "Acme Corp" in text


def test_a_broken_template_is_503(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "invoice.html").write_text("{% if %}", encoding="utf-8")
    site = FavaSite.open(write_fava_ledger(tmp_path, """
        2026-01-01 custom "ar-company" "Seller Ltd"
          templates: "templates"
    """ + INVOICE))
    assert_plain(site.get("invoice_pdf", number="INV-A1"), 503, "template invoice.html")
    pdf_text(site.get("statement_pdf", customer="acme"))  # the package's statement still works


def test_a_bad_company_is_503_as_in_bean_ar(tmp_path: Path) -> None:
    site = FavaSite.open(write_fava_ledger(tmp_path, """
        2026-01-01 custom "ar-company" "Seller Ltd"
          locale: "xx_YY"
    """ + INVOICE))
    assert_plain(site.get("invoice_pdf", number="INV-A1"), 503, "AR010", "xx_YY")
    assert_plain(site.get("statement_pdf", customer="acme"), 503, "AR010")
    assert_plain(site.get("invoice_pdf", number="INV-nope"), 404)  # unknown first

