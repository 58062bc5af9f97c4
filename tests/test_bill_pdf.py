"""Issue 12.1: `bean-ar bill --pdf DIR` and `bean-ar invoice new --pdf DIR`.

    $ bean-ar bill ledger.beancount --through 2026-02-28 --pdf out/

appends the invoices, then writes `out/<number>.pdf` (the billing run's names)
and `out/<number>.eml`, a draft to the customer's email with the PDF attached.
The PDFs are read back with `pdftotext`, the drafts with Python's `email`.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import textwrap
from typing import TYPE_CHECKING

from doc_ledgers import pdf_text, squash
from ledgers import invoke, write_ledger

if TYPE_CHECKING:
    from pathlib import Path

BODY = """
2026-01-01 open Income:Support

2026-01-01 custom "ar-company" "Seed Consulting s.r.o."
  email: "billing@seed.example"

2026-01-02 custom "ar-customer" "acme"
  email: "ap@acme.example"

2026-01-31 custom "ar-contract" "acme-support"
  customer: "acme"
  every: "month"
  amount: 1500.00 USD
  account: Income:Support
  description: "Support retainer"
"""


def ledger(tmp_path: Path, body: str = BODY) -> Path:
    return write_ledger(tmp_path, textwrap.dedent(body))


def parse_eml(path: Path) -> email.message.EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def test_bill_writes_a_pdf_and_a_draft_per_new_invoice(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    out = tmp_path / "out"
    result = invoke("bill", path, "--through", "2026-02-28", "--pdf", out)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "INV-2026-0001.eml", "INV-2026-0001.pdf", "INV-2026-0002.eml", "INV-2026-0002.pdf"]
    text = squash(pdf_text(out / "INV-2026-0002.pdf"))
    for shown in ("INV-2026-0002", "Acme Corp", "1,500.00", "Seed Consulting s.r.o."):
        assert squash(shown) in text
    draft = parse_eml(out / "INV-2026-0002.eml")
    assert (draft["From"], draft["To"], draft["Subject"]) == (
        '"Seed Consulting s.r.o." <billing@seed.example>', "Acme Corp <ap@acme.example>",
        "Invoice INV-2026-0002 from Seed Consulting s.r.o.")
    body = draft.get_body(preferencelist=("plain",))
    assert body is not None
    assert "invoice INV-2026-0002 of 1,500.00 USD, dated 2026-02-28 and due 2026-03-30" in (
        " ".join(body.get_content().split()))
    [attachment] = draft.iter_attachments()
    assert attachment.get_filename() == "INV-2026-0002.pdf"
    assert attachment.get_content() == (out / "INV-2026-0002.pdf").read_bytes()
    assert result.stderr.splitlines() == [
        f"bean-ar: billed 2 invoice(s) in {path}",
        (f"INV-2026-0001: wrote {out}/INV-2026-0001.pdf and {out}/INV-2026-0001.eml "
        "(to ap@acme.example)"),
        (f"INV-2026-0002: wrote {out}/INV-2026-0002.pdf and {out}/INV-2026-0002.eml "
        "(to ap@acme.example)")]


def test_invoice_new_without_a_customer_email_writes_the_pdf_alone(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    out = tmp_path / "out"
    result = invoke("invoice", "new", path, "globex", "250.00 USD", "Income:Consulting",
                    "--date", "2026-03-02", "--description", "Workshop", "--pdf", out)
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["INV-2026-0001.pdf"]
    text = squash(pdf_text(out / "INV-2026-0001.pdf"))
    for shown in ("INV-2026-0001", "Globex Inc", "250.00", "Workshop"):
        assert squash(shown) in text
    assert result.stderr.splitlines()[-1] == (
        f"bean-ar: INV-2026-0001 (globex): no email: wrote {out}/INV-2026-0001.pdf without an "
        "email draft")


def test_dry_run_writes_no_pdf(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    out = tmp_path / "out"
    assert invoke("bill", path, "--through", "2026-02-28", "--pdf", out,
                  "--dry-run").exit_code == 0
    assert invoke("invoice", "new", path, "acme", "9.00 USD", "Income:Consulting",
                  "--pdf", out, "--dry-run").exit_code == 0
    assert not out.exists()


def test_a_refused_output_is_refused_before_the_append(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    before = path.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    (out / "INV-2026-0001.pdf").symlink_to(path)
    result = invoke("bill", path, "--through", "2026-01-31", "--pdf", out)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "bean-ar: 1 invoice file(s) refused; nothing written")
    assert path.read_bytes() == before


def test_invoice_number_still_writes_a_pdf(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    assert invoke("bill", path, "--through", "2026-01-31").exit_code == 0
    result = invoke("invoice", path, "INV-2026-0001", "-o", tmp_path / "x.pdf",
                    "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.stderr
    text = squash(pdf_text(tmp_path / "x.pdf"))
    assert "INV-2026-0001" in text
    assert squash("1,500.00") in text
