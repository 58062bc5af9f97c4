"""A statement reads like a letter and paginates: read back from real PDFs with poppler.

It carries the statement date, the period, the amount due and by when, how to pay
(IBAN, and the EPC QR code for EUR) and the aging; every page is numbered "Page N of
M", a continuation page starts with the column headers again, no page is blank, the
aging block stays with its header, and invoice numbers and dates never wrap.

    .venv/bin/python -m pytest -q tests/test_statement_letter.py
"""

from __future__ import annotations

import re
import subprocess
import textwrap
from typing import TYPE_CHECKING

import pytest
from doc_ledgers import EXAMPLE, bean_ar_ok, decode_qr_codes, page_png, write_ledger

if TYPE_CHECKING:
    from pathlib import Path

EXAMPLE_IBAN = "CZ65 0800 0000 1920 0014 5399"
HEADERS = ("Date", "Document", "Description", "Debit", "Credit", "Balance")


def pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext -layout), no-break spaces as spaces."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True, timeout=60,
                           ).stdout.replace("\u00a0", " ").replace("\u202f", " ")
            for n in range(1, count + 1)]


def statement(tmp_path: Path, ledger: Path, customer: str, *options: str) -> list[str]:
    pdf = tmp_path / f"{customer}.pdf"
    bean_ar_ok("statement", ledger, customer, *options, "-o", pdf)
    return pages(pdf)


def has_headers(text: str) -> bool:
    return re.search(r"\s+".join(HEADERS), text) is not None


@pytest.fixture(scope="module")
def acme_history(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The example's longest statement: Acme's whole history, over several pages."""
    return statement(tmp_path_factory.mktemp("acme"), EXAMPLE, "acme", "--as-of", "2026-11-30")


def test_every_page_is_numbered_page_n_of_m(acme_history: list[str]) -> None:
    total = len(acme_history)
    assert total >= 2  # the test needs a continuation page
    for number, text in enumerate(acme_history, 1):
        assert f"Page {number} of {total}" in text


def test_continuation_pages_repeat_the_column_headers(acme_history: list[str]) -> None:
    with_rows = [t for t in acme_history if re.search(r"INV-20\d\d-\d{3}", t)]
    assert len(with_rows) >= 2
    for text in with_rows:
        assert has_headers(text), text[:400]


def test_no_page_is_blank(acme_history: list[str]) -> None:
    for text in acme_history:
        body = re.sub(r"Page \d+ of \d+", "", text)
        assert len(body.split()) > 10, f"a page with nearly nothing on it: {text!r}"


def test_the_issue_statement_has_no_blank_trailing_page(tmp_path: Path) -> None:
    texts = statement(tmp_path, EXAMPLE, "acme", "--from", "2026-06-01", "--as-of", "2026-11-30")
    for text in texts:
        assert len(re.sub(r"Page \d+ of \d+", "", text).split()) > 10


def test_the_aging_block_stays_with_its_header(acme_history: list[str]) -> None:
    [page] = [t for t in acme_history if re.search(r"Aging\s+Unapplied credit", t)]
    assert re.search(r"Aging\s+Unapplied credit.*\n(?:\s*\n)*\s*USD\s+\$", page)


def test_invoice_numbers_and_dates_never_wrap(acme_history: list[str]) -> None:
    rows = [line for text in acme_history for line in text.splitlines()
            if re.match(r"\s*(Invoice|Payment)\b", line.strip())]
    text = "\n".join(acme_history)
    # a wrapped date or number would leave its pieces on lines of their own
    assert not re.search(r"^\s*(20\d\d|\d{3})\s*$", text, re.MULTILINE)
    assert all(re.search(r"INV-20\d\d-\d{3}", line) for line in rows if "INV-" in line)
    dates = re.findall(r"[A-Z][a-z]{2} \d{1,2}, 20\d\d\s+(?:Invoice|Payment)", text)
    assert len(dates) >= 60  # every movement's date is whole on its row


def test_letter_head_statement_date_period_and_amount_due(acme_history: list[str]) -> None:
    first = acme_history[0]
    assert re.search(r"Statement date\s+Nov 30, 2026", first)
    assert re.search(r"Period\s+as of Nov 30, 2026", first)
    # acme at 2026-11-30 (bean-ar aging): 4,131.00 in 1-30, 10,854.00 current; the open
    # invoice not yet due is INV-2026-107 (Nov 4, net 30: due Dec 4, 2026)
    assert re.search(r"Amount due\s+\$14,985\.00", first)
    assert "$4,131.00 of it is overdue: please pay it now." in first
    assert "Please pay the remaining $10,854.00 by December 4, 2026." in first


def test_payment_instructions_with_the_iban_and_customer_reference(
        acme_history: list[str]) -> None:
    first = acme_history[0]
    assert "Payment instructions" in first
    assert f"IBAN: {EXAMPLE_IBAN}" in first
    assert "BIC: GIBACZPX" in first
    assert re.search(r"Payment reference:\s+acme", first)


def test_a_eur_statement_carries_an_epc_qr_code_for_the_overdue_amount(tmp_path: Path) -> None:
    pdf = tmp_path / "tyrell.pdf"
    bean_ar_ok("statement", EXAMPLE, "tyrell", "--as-of", "2026-11-30", "-o", pdf)
    (payload,) = decode_qr_codes(page_png(pdf, tmp_path / "tyrell-1", 150))
    # tyrell at 2026-11-30: 23,912.64 open, of it 5,974.38 current, so 17,938.26 overdue
    assert payload.split("\n") == ["BCD", "002", "1", "SCT", "GIBACZPX", "Seed Consulting s.r.o.",
                                   EXAMPLE_IBAN.replace(" ", ""), "EUR17938.26", "", "", "tyrell"]
    assert "€17,938.26 of it is overdue" in pages(pdf)[0]


def test_a_one_line_statement_is_one_numbered_page(tmp_path: Path) -> None:
    [text] = statement(tmp_path, EXAMPLE, "stark", "--from", "2026-11-01", "--as-of", "2026-11-30")
    assert "Page 1 of 1" in text
    assert has_headers(text)
    assert re.search(r"Amount due\s+€11,616\.00", text)
    assert "Please pay €11,616.00 by November 30, 2026." in text
    assert re.search(r"Aging\s+Unapplied credit", text)


PAID_UP = textwrap.dedent("""\
    option "operating_currency" "USD"
    plugin "beancount_ar"

    2026-01-01 custom "ar-company" "Seed Consulting LLC"
      iban: "DE89 3704 0044 0532 0130 00"
      locale: "cs_CZ"

    2026-01-01 open Assets:Bank:Checking
    2026-01-01 open Assets:Receivable:Acme
    2026-01-01 open Income:Consulting

    2026-01-01 custom "ar-customer" "acme"
      name: "Acme Corp"
      account: Assets:Receivable:Acme
      terms: "net 30"

    2026-02-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
      Assets:Receivable:Acme     100.00 USD
      Income:Consulting         -100.00 USD

    2026-02-10 * "Acme Corp" "Payment" ^INV-1
      Assets:Bank:Checking       100.00 USD
      Assets:Receivable:Acme    -100.00 USD

    2026-02-11 * "Acme Corp" "Prepayment" #on-account
      Assets:Bank:Checking        50.00 USD
      Assets:Receivable:Acme     -50.00 USD
""")


def test_a_statement_in_credit_says_nothing_is_due_in_czech(tmp_path: Path) -> None:
    [text] = statement(tmp_path, write_ledger(tmp_path, PAID_UP), "acme", "--as-of", "2026-03-01")
    assert "Strana 1 z 1" in text
    assert "Datum výpisu" in text
    assert "Nic k úhradě." in text
    assert "Váš přeplatek u nás: 50,00 US$." in text
    assert "Platební údaje" not in text  # nothing to pay: no payment instructions
