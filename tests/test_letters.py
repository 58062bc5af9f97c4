"""Collection letters as real PDFs, read back with poppler (issue 10, 3).

Each letter is made through wkhtmltopdf and read back with `pdftotext -layout`:
the invoice rows, the totals claimed, the pay-by date and each level's words in
Czech and English; the EPC QR code scanned from the page; the draft's attachment
is the PDF on disk; nothing runs past the page's margin; `bean-ar dunning -o DIR`
and `--send` end to end; a picture of a Czech letter for a person to look at
(`$AR_ARTIFACTS/letters/`, else `/tmp/beancount-ar-artifacts/letters/`).

    .venv/bin/python -m pytest -q tests/test_letters.py
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import textwrap
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from doc_ledgers import (
    HOSTILE_ADDRESS,
    HOSTILE_NAME,
    bc,
    bean_ar,
    decode_qr_codes,
    has_row,
    money,
    page_png,
    pdf_text,
    squash,
)
from ledgers import ARTIFACTS
from test_letters_data import AS_OF, LEDGER, hand_rows, parse_eml, run_letters, write_ledger
from test_mail import smtp_server

from beancount_ar.cli.loading import load_ledger
from beancount_ar.documents.letter_render import letter_html
from beancount_ar.documents.letters import letter_documents

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from test_mail import Server

pytestmark = pytest.mark.pdf
__all__ = ["smtp_server"]  # the fixture, used here by name

IBAN = "CZ65 0800 0000 1920 0014 5399"
MARGIN = 15 / 25.4 * 72  # the engine's 15 mm page margin, in points
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def czk(amount: str) -> str:
    """cs_CZ money as a reader expects it: `12 100,00 Kč`."""
    return f"{Decimal(amount):,.2f}".replace(",", " ").replace(".", ",") + " Kč"


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The ledger's letters at levels 1, 2 and 3 (final, 25.00 fee): level -> folder."""
    root = tmp_path_factory.mktemp("letters")
    ledger = write_ledger(root)
    runs = {"1": (), "2": ("--level", "2"), "3": ("--level", "3", "--final", "--fee", "25")}
    folders = {}
    for level, options in runs.items():
        folders[level] = root / f"level-{level}"
        result = run_letters(ledger, "-o", folders[level], *options)
        assert result.exit_code == 0, result.stderr
    return folders


def text_of(letters: dict[str, Path], level: str, customer: str) -> str:
    return pdf_text(letters[level] / f"{customer}-2026-06-30.pdf")


# --- what the letters say ---------------------------------------------------------------

def test_czech_letter_rows_totals_and_pay_by_date(letters: dict[str, Path]) -> None:
    text = text_of(letters, "1", "kos")
    assert has_row(text, "Faktura", "Datum vystavení", "Datum splatnosti", "Dní po splatnosti",
                   "Neuhrazeno", "Úrok z prodlení", "Náhrada nákladů", "Celkem")
    assert has_row(text, "FA-2026-001", "2. 3. 2026", "16. 3. 2026", "106", czk("12100"),
                   czk("321.45"), czk("1200"), czk("13621.45"))
    assert has_row(text, "FA-2026-002", "1. 4. 2026", "15. 4. 2026", "76", czk("1815"),
                   czk("40.10"), czk("1200"), czk("3055.10"))
    assert has_row(text, "Dlužná částka celkem", czk("13915"), czk("361.55"), czk("2400"),
                   czk("16676.55"))
    assert "Poplatek" not in text  # no fee claimed: no column
    assert squash("Prosíme o úhradu dlužné částky nejpozději do 7. července 2026.") in squash(text)
    assert "Uhraďte do: 7. července 2026" in text
    assert f"Celkem k úhradě: {czk('16676.55')}" in text
    assert f"IBAN: {IBAN}" in text
    assert "BIC: GIBACZPX" in text
    assert "Reference platby: FA-2026-001, FA-2026-002" in text
    assert "Strana 1 z 1" in text
    assert "30. června 2026" in text  # the letter's date


def test_english_letter_rows_totals_and_pay_by_date(letters: dict[str, Path]) -> None:
    text = text_of(letters, "1", "acme")
    assert has_row(text, "Invoice", "Issue date", "Due date", "Days overdue", "Open",
                   "Interest", "Compensation", "Total")
    eur = [money(Decimal(a), "EUR") for a in ("10000", "125.14", "40", "10165.14")]
    assert has_row(text, "INV-2026-010", "Apr 1, 2026", "May 1, 2026", "60", *eur)
    assert has_row(text, "Total claimed", *eur)
    assert squash("Please pay the amount due by July 7, 2026.") in squash(text)
    assert "Amount due: €10,165.14" in text
    assert "Payment reference: INV-2026-010" in text
    assert "Pay by: July 7, 2026" in text
    assert "Page 1 of 1" in text
    assert "Variable symbol" not in text


WORDING = {
    ("1", "kos"): ["Upomínka", "Vážení obchodní přátelé,",
                   ("podle našich záznamů zůstávají faktury FA-2026-001, FA-2026-002 po "
                   "splatnosti neuhrazeny. Možná Vaší pozornosti unikly."),
                   "Pokud jste mezitím zaplatili, považujte prosím tento dopis za bezpředmětný."],
    ("2", "kos"): ["Důrazná upomínka",
                   ("přes naši předchozí upomínku zůstávají faktury FA-2026-001, FA-2026-002 "
                   "neuhrazeny."),
                   "Žádáme Vás o úhradu celé dlužné částky nejpozději do 7. července 2026."],
    ("3", "kos"): ["Předžalobní výzva",
                   ("přes naše upomínky zůstávají faktury FA-2026-001, FA-2026-002 neuhrazeny. "
                   "Toto je naše poslední výzva k úhradě."),
                   ("Pokud dlužná částka za faktury FA-2026-001, FA-2026-002 nebude připsána na "
                   "náš účet nejpozději do 5. července 2026, předáme pohledávku k vymáhání "
                   "inkasní agentuře nebo ji uplatníme soudní cestou, a to bez dalšího "
                   "upozornění a na Vaše náklady."), "Uhraďte do: 5. července 2026"],
    ("1", "acme"): ["Payment reminder", "Dear Sir or Madam,",
                    ("According to our records, invoice INV-2026-010 is still unpaid although "
                    "its due date has passed. Perhaps it has escaped your attention."),
                    "If you have paid in the meantime, please disregard this letter."],
    ("2", "acme"): ["Urgent payment reminder",
                    "Despite our earlier reminder, invoice INV-2026-010 remains unpaid.",
                    "We ask you to pay the full amount claimed by July 7, 2026 at the latest."],
    ("3", "acme"): ["Final demand for payment",
                    ("Despite our reminders, invoice INV-2026-010 remains unpaid. This is our "
                    "final demand for payment."),
                    ("Unless the amount claimed for invoice INV-2026-010 reaches our account by "
                    "July 5, 2026, we will hand the claim over to a collection agency or take "
                    "legal action, without further notice and at your expense."),
                    "Pay by: July 5, 2026"],
}
NOT_AT = {"1": ("Důrazná", "Předžalobní", "Urgent", "Final demand", "collection agency",
                "inkasní"),
          "2": ("Předžalobní", "Final demand", "collection agency", "inkasní", "disregard"),
          "3": ("Důrazná", "Urgent", "disregard", "bezpředmětný")}


@pytest.mark.parametrize(("level", "customer"), list(WORDING))
def test_each_level_has_its_own_words(letters: dict[str, Path], level: str,
                                      customer: str) -> None:
    text = squash(text_of(letters, level, customer))
    for phrase in WORDING[level, customer]:
        assert squash(phrase) in text, phrase
    for phrase in NOT_AT[level]:
        assert squash(phrase) not in text, phrase


def test_final_letter_claims_the_fee(letters: dict[str, Path]) -> None:
    text = text_of(letters, "3", "kos")
    assert has_row(text, "Neuhrazeno", "Úrok z prodlení", "Náhrada nákladů", "Poplatek", "Celkem")
    assert has_row(text, "FA-2026-001", "2. 3. 2026", "16. 3. 2026", "106", czk("12100"),
                   czk("321.45"), czk("1200"), czk("25"), czk("13646.45"))
    assert has_row(text, "Dlužná částka celkem", czk("13915"), czk("361.55"), czk("2400"),
                   czk("50"), czk("16726.55"))
    english = text_of(letters, "3", "acme")
    assert has_row(english, "INV-2026-010", "Apr 1, 2026", "May 1, 2026", "60", "€10,000.00",
                   "€125.14", "€40.00", "€25.00", "€10,190.14")


def test_one_czech_invoice_has_its_variable_symbol(letters: dict[str, Path]) -> None:
    text = text_of(letters, "1", "nomail")
    assert "Variabilní symbol: 2026003" in text
    assert "Reference platby: FA-2026-003" in text
    assert "Variabilní symbol" not in text_of(letters, "1", "kos")  # two invoices


def test_eur_letter_carries_the_epc_qr_code_for_the_total(letters: dict[str, Path]) -> None:
    pdf = letters["1"] / "acme-2026-06-30.pdf"
    (payload,) = decode_qr_codes(page_png(pdf, pdf.with_name("acme-qr"), 150))
    assert payload.split("\n") == ["BCD", "002", "1", "SCT", "GIBACZPX", "Semínko s.r.o.",
                                   IBAN.replace(" ", ""), "EUR10165.14", "", "", "INV-2026-010"]
    assert "Scan to pay" in text_of(letters, "1", "acme")
    assert "Zaplaťte QR kódem" not in text_of(letters, "1", "kos")  # CZK: no code


def test_the_draft_attaches_the_pdf_on_disk(letters: dict[str, Path]) -> None:
    folder = letters["1"]
    draft = parse_eml(folder / "kos-2026-06-30.eml")
    (attachment,) = draft.iter_attachments()
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF-")
    assert pdf == (folder / "kos-2026-06-30.pdf").read_bytes()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "upominka-2026-06-30.pdf"
    final = parse_eml(letters["3"] / "acme-2026-06-30.eml")
    assert final["Subject"] == "Final demand for payment: invoice INV-2026-010"
    assert next(final.iter_attachments()).get_filename() == \
        "final-demand-for-payment-2026-06-30.pdf"


# --- the page ---------------------------------------------------------------------------

def _words(pdf: Path) -> tuple[float, list[tuple[float, float, str]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    page = _PAGE.search(out)
    assert page is not None
    return float(page.group(1)), [(float(a), float(b), w) for a, b, w in _WORD.findall(out)]


def test_nothing_runs_past_the_margin_even_with_big_amounts(tmp_path: Path) -> None:
    big = LEDGER.replace("12100.00 CZK", "123456789.00 CZK").replace("1815.00 CZK",
                                                                     "98765432.10 CZK")
    out = tmp_path / "letters"
    result = run_letters(write_ledger(tmp_path, big), "-o", out, "--level", "3", "--final",
                         "--fee", "1250")
    assert result.exit_code == 0, result.stderr
    pdf = out / "kos-2026-06-30.pdf"
    text = pdf_text(pdf)
    assert has_row(text, "FA-2026-001", "2. 3. 2026", "16. 3. 2026", "106", czk("123456789"),
                   czk("321.45"), czk("1200"), czk("1250"), czk("123459560.45"))
    assert has_row(text, "FA-2026-002", "1. 4. 2026", "15. 4. 2026", "76", czk("98765432.10"))
    width, words = _words(pdf)
    assert words
    assert min(x for x, _, _ in words) >= MARGIN - 2
    assert max(x for _, x, _ in words) <= width - MARGIN + 2
    assert "Strana 1 z 1" in text


def test_a_long_letter_starts_its_table_again_on_each_page(tmp_path: Path) -> None:
    invoices = "".join(textwrap.dedent(f"""
        2026-0{1 + i % 4}-{1 + i % 27:02d} * "Kos a syn, s.r.o." "Práce {i}" ^FB-{i:03d} #invoice
          Assets:Receivable:Kos  {100 + i}.00 CZK
          Income:Consulting
    """) for i in range(1, 121))
    out = tmp_path / "letters"
    result = bean_ar("dunning", write_ledger(tmp_path, LEDGER + invoices), "--as-of",
                     "2026-06-30", "-o", out)
    assert result.returncode == 0, result.stderr
    pdf = out / "kos-2026-06-30.pdf"
    pages = [page for page in pdf_text(pdf).split("\f") if page.strip()]  # a form feed a page
    assert len(pages) >= 3
    seen = []
    for number, page in enumerate(pages, 1):
        rows = re.findall(r"^ *(F[AB]-\d+(?:-\d+)?) +\d", page, re.MULTILINE)
        seen += rows
        if rows:
            assert has_row(page, "Faktura", "Datum vystavení"), page[:300]
        assert f"Strana {number} z {len(pages)}" in page
    assert len(seen) == 122  # every invoice once: none lost at a page break
    assert "Dlužná částka celkem" in pages[-1]


def test_czech_letter_picture(tmp_path: Path) -> None:
    """A Czech final demand, mixed levels and a fee, for a person to look at."""
    text = LEDGER + textwrap.dedent("""
        2026-01-01 custom "ar-dunning-policy" "standard"
          interest: "cz"
          fees: "0 0 25.00"
        2026-05-01 custom "ar-dunning" "FA-2026-001" 1
        2026-05-20 custom "ar-dunning" "FA-2026-001" 2
    """)
    folder = ARTIFACTS / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    result = bean_ar("dunning", write_ledger(tmp_path, text), "--as-of", "2026-06-30",
                     "--format", "csv", "-o", folder)
    assert result.returncode == 0, result.stderr
    pdf = folder / "kos-2026-06-30.pdf"
    png = page_png(pdf, folder / "letter-cs", 60)
    assert png.stat().st_size > 1000
    words = squash(pdf_text(pdf))
    assert squash("přes naše upomínky zůstává faktura FA-2026-001 neuhrazena.") in words
    assert squash("Po splatnosti je rovněž faktura FA-2026-002.") in words


# --- templates and ledger text ----------------------------------------------------------

def test_the_companys_letter_html_replaces_the_packages(tmp_path: Path) -> None:
    text = LEDGER.replace('  locale: "cs_CZ"\n', '  locale: "cs_CZ"\n  templates: "mine"\n')
    ledger = write_ledger(tmp_path, text)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "letter.html").write_text(textwrap.dedent("""\
        {% extends "_base.html" %}
        {% block body %}
        <h1>Our own words: {{ doc.tone }} {{ doc.level }}</h1>
        <p>{{ _("Payment reminder") }} · {{ doc.buyer.name }} ·
           {% for a in doc.amounts %}{{ fmt.money(a.total, a.currency) }}{% endfor %} ·
           {{ fmt.long_date(doc.pay_by) }}</p>
        {% endblock %}
    """), encoding="utf-8")
    out = tmp_path / "letters"
    assert run_letters(ledger, "-o", out, "--only", "FA-2026-003").exit_code == 0
    letter = pdf_text(out / "nomail-2026-06-30.pdf")
    assert "Our own words: reminder 1" in letter
    assert f"Upomínka · Bez pošty a.s. · {czk('6230')} · 7. července 2026" in letter
    assert "Vážení obchodní přátelé" not in letter  # the package's letter.html was not used
    assert "Semínko s.r.o." in letter  # its _base.html still serves the seller


def test_ledger_text_is_printed_never_interpreted(tmp_path: Path) -> None:
    text = LEDGER.replace('name: "Kos a syn, s.r.o."', f"name: {bc(HOSTILE_NAME)}").replace(
        'address: "Dlouhá 5, 110 00 Praha 1"', f"address: {bc(HOSTILE_ADDRESS)}")
    ledger = write_ledger(tmp_path, text)
    loaded = load_ledger(ledger)
    rows = hand_rows(loaded.receivables, only=["FA-2026-001"])
    (kos,) = letter_documents(loaded.receivables, rows, AS_OF)
    html = letter_html(kos)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<object data="file' not in html
    out = tmp_path / "letters"
    assert run_letters(ledger, "-o", out, "--only", "FA-2026-001").exit_code == 0
    letter = squash(pdf_text(out / "kos-2026-06-30.pdf"))
    assert squash(HOSTILE_NAME) in letter
    assert "INJECTED-NAME" not in letter.replace(squash(HOSTILE_NAME), "")
    assert "root:" not in letter  # /etc/passwd was not read
    draft = parse_eml(out / "kos-2026-06-30.eml")
    assert draft["To"].addresses[0].display_name == HOSTILE_NAME


# --- bean-ar dunning end to end ---------------------------------------------------------

E2E = LEDGER + textwrap.dedent("""
    2026-01-01 custom "ar-dunning-policy" "standard"
      levels: "7 21 45"
      interval: 14
      interest: "eu"
      fees: "0 0 25.00"
    2026-05-01 custom "ar-dunning" "FA-2026-001" 1
    2026-05-20 custom "ar-dunning" "FA-2026-001" 2
""")


def test_bean_ar_dunning_writes_what_its_report_says(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, E2E)
    out = tmp_path / "letters"
    result = bean_ar("dunning", ledger, "--as-of", "2026-06-30", "--format", "csv", "-o", out)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))  # stdout is the report alone
    assert result.stdout.splitlines()[0] == (
        "customer,invoice,currency,due,days_overdue,open,level,interest,compensation,fee,total")
    assert {r["customer"] for r in rows} == {"acme", "kos", "nomail"}
    assert sorted(p.name for p in out.iterdir()) == [
        "acme-2026-06-30.eml", "acme-2026-06-30.pdf", "kos-2026-06-30.eml", "kos-2026-06-30.pdf",
        "nomail-2026-06-30.pdf"]
    assert "bean-ar: nomail: no email: wrote" in result.stderr
    for row in rows:
        text = pdf_text(out / f"{row['customer']}-2026-06-30.pdf")
        if row["currency"] == "EUR":
            amounts = [money(Decimal(row[k]), "EUR") for k in ("open", "interest",
                                                               "compensation", "total")]
        else:
            amounts = [czk(row[k]) for k in ("open", "interest", "compensation")]
            amounts.append(czk(row["fee"]) if "Poplatek" in text else "")
            amounts.append(czk(row["total"]))
        # the number, its two dates, then the figures side by side on one line
        figures = r" +".join(map(re.escape, [row["days_overdue"], *filter(None, amounts)]))
        assert re.search(rf"{re.escape(row['invoice'])} .* {figures}(?: |$)", text,
                         re.MULTILINE), (row, text)
    kos = pdf_text(out / "kos-2026-06-30.pdf")
    assert "Předžalobní výzva" in kos  # FA-2026-001 is at the last level
    assert squash("Po splatnosti je rovněž faktura FA-2026-002.") in squash(kos)
    assert "Payment reminder" in pdf_text(out / "acme-2026-06-30.pdf")


def test_bean_ar_dunning_send(tmp_path: Path, smtp_server: Callable[..., Server]) -> None:
    server = smtp_server()
    ledger = write_ledger(tmp_path, E2E)
    out = tmp_path / "letters"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEAN_AR_SMTP_")}
    env.update({"BEAN_AR_SMTP_HOST": "127.0.0.1", "BEAN_AR_SMTP_PORT": str(server.port),
                "BEAN_AR_SMTP_STARTTLS": "false"})
    result = bean_ar("dunning", ledger, "--as-of", "2026-06-30", "--format", "csv", "-o", out,
                     "--send", env=env)
    assert result.returncode == 0, result.stderr
    assert f"kos: sent {out}/kos-2026-06-30.eml to ucetni@kos.example" in result.stderr
    assert f"2 of 2 letter(s) sent through 127.0.0.1:{server.port}" in result.stderr
    arrived = {m.rcpt_tos[0]: m.message for m in server.inbox.messages}
    kos = arrived["ucetni@kos.example"]
    assert kos["Subject"] == "Předžalobní výzva: faktury FA-2026-001, FA-2026-002"
    (attachment,) = kos.iter_attachments()
    assert attachment.get_content() == (out / "kos-2026-06-30.pdf").read_bytes()
