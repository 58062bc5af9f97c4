"""Collection letters as data, their words and their files, without the PDF engine (issue 10, 3).

The rows are built by hand (the shape of `reports.dunning.DunningRow`), so each
figure a letter shows is written out here. `fake_dunning` is a command that
takes `@letter_options` and calls `deliver_letters` as `bean-ar dunning` does;
the file tests make a stand-in PDF (`stub_pdf`), the PDF tests are in
`test_letters.py` and sending is in `test_mail.py`.

    .venv/bin/python -m pytest -q tests/test_letters_data.py
"""

from __future__ import annotations

import datetime
import email
import email.policy
import re
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import jinja2
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from beancount_ar.cli.letters import deliver_letters, letter_options
from beancount_ar.cli.loading import load_ledger
from beancount_ar.documents import letter_run
from beancount_ar.documents.i18n import LOCALE_DIR
from beancount_ar.documents.letter_i18n import LETTERS_DOMAIN, letter_translations
from beancount_ar.documents.letter_render import (
    attachment_name,
    letter_body,
    letter_subject,
    output_stem,
)
from beancount_ar.documents.letters import LetterRow, letter_documents
from beancount_ar.documents.mail import addresses
from beancount_ar.documents.render import TEMPLATES
from beancount_ar.reports.dunning import DunningRow

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from email.message import EmailMessage

    from babel.messages.catalog import Message
    from click.testing import Result

    from beancount_ar.core.model import Receivables
    from beancount_ar.documents.letters import LetterDocument

AS_OF = datetime.date(2026, 6, 30)
STUB_PDF = b"%PDF-1.4\n% a stand-in: the PDF tests make real ones\n%%EOF\n"
COMPANY_EMAIL = "fakturace@seminko.example"

LEDGER = textwrap.dedent(f"""\
    option "title" "beancount-ar letters"
    option "operating_currency" "CZK"
    plugin "beancount_ar"

    2026-01-01 custom "ar-company" "Semínko s.r.o."
      address: "Vinohradská 1, 120 00 Praha 2"
      tax-id: "CZ12345679"
      iban: "CZ65 0800 0000 1920 0014 5399"
      bic: "GIBACZPX"
      email: "{COMPANY_EMAIL}"
      locale: "cs_CZ"

    2026-01-01 open Assets:Bank:Checking
    2026-01-01 open Assets:Receivable:Kos
    2026-01-01 open Assets:Receivable:Acme
    2026-01-01 open Assets:Receivable:Nomail
    2026-01-01 open Income:Consulting

    2026-01-01 custom "ar-customer" "kos"
      name: "Kos a syn, s.r.o."
      account: Assets:Receivable:Kos
      terms: "net 14"
      address: "Dlouhá 5, 110 00 Praha 1"
      email: "ucetni@kos.example"

    2026-01-01 custom "ar-customer" "acme"
      name: "Acme Corp"
      account: Assets:Receivable:Acme
      terms: "net 30"
      address: "1 Main Street, Springfield"
      locale: "en_US"
      email: "Acme AP <ap@acme.example>"

    2026-01-01 custom "ar-customer" "nomail"
      name: "Bez pošty a.s."
      account: Assets:Receivable:Nomail
      terms: "net 14"

    2026-03-02 * "Kos a syn, s.r.o." "Konzultace, únor" ^FA-2026-001 #invoice
      Assets:Receivable:Kos      12100.00 CZK
      Income:Consulting

    2026-04-01 * "Kos a syn, s.r.o." "Konzultace, březen" ^FA-2026-002 #invoice
      Assets:Receivable:Kos       1815.00 CZK
      Income:Consulting

    2026-04-01 * "Acme Corp" "Consulting, March" ^INV-2026-010 #invoice
      Assets:Receivable:Acme     10000.00 EUR
      Income:Consulting

    2026-05-01 * "Bez pošty a.s." "Konzultace, duben" ^FA-2026-003 #invoice
      Assets:Receivable:Nomail    5000.00 CZK
      Income:Consulting
""")

# invoice -> (interest, compensation) on AS_OF, as the engine would claim them
CLAIMS = {
    "FA-2026-001": (Decimal("321.45"), Decimal("1200.00")),
    "FA-2026-002": (Decimal("40.10"), Decimal("1200.00")),
    "INV-2026-010": (Decimal("125.14"), Decimal("40.00")),
    "FA-2026-003": (Decimal("30.00"), Decimal("1200.00")),
}


def write_ledger(folder: Path, text: str = LEDGER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ledger.beancount"
    path.write_text(text, encoding="utf-8")
    return path


def hand_rows(receivables: Receivables, *, level: int = 1, final: bool = False,  # noqa: PLR0913
              fee: Decimal = Decimal(0), levels: Mapping[str, int] | None = None,
              only: Sequence[str] | None = None) -> list[DunningRow]:
    """A row per invoice of CLAIMS (or `only`), sorted as the dunning report sorts them."""
    rows = []
    for number, (interest, compensation) in CLAIMS.items():
        if only is not None and number not in only:
            continue
        invoice = receivables.invoices[number]
        row_level = (levels or {}).get(number, level)
        open_amount = invoice.open_amount(AS_OF)
        rows.append(DunningRow(
            invoice.customer, invoice, row_level, final, invoice.days_overdue(AS_OF),
            open_amount, interest, compensation, fee,
            open_amount + interest + compensation + fee))
    rows.sort(key=lambda row: (row.customer, row.invoice.number))
    return rows


@click.command()
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option("--level", type=int, default=1)
@click.option("--final", is_flag=True)
@click.option("--fee", default="0")
@click.option("--only", multiple=True)
@letter_options
def fake_dunning(ledger: Path, level: int, *, final: bool, fee: str,  # noqa: PLR0913
                 only: tuple[str, ...], letters: dict[str, Any]) -> None:
    """`bean-ar dunning` with hand-made rows: prints a report line, then the letters."""
    loaded = load_ledger(ledger)
    rows = hand_rows(loaded.receivables, level=level, final=final, fee=Decimal(fee),
                     only=only or None)
    click.echo(f"{len(rows)} rows")
    deliver_letters(loaded, rows, AS_OF, letters)


def run_letters(*args: str | Path, env: Mapping[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(fake_dunning, [str(a) for a in args], env=env,
                              catch_exceptions=False)


@pytest.fixture
def stub_pdf(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Letters without the PDF engine: every letter is the same small stand-in."""
    monkeypatch.setattr(letter_run, "letter_pdf", lambda _letter: STUB_PDF)
    return STUB_PDF


def letters_of(tmp_path: Path, **options: Any) -> dict[str, LetterDocument]:
    loaded = load_ledger(write_ledger(tmp_path))
    rows = hand_rows(loaded.receivables, **options)
    return {d.customer_id: d for d in letter_documents(loaded.receivables, rows, AS_OF)}


def parse_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


# --- the letters as data ----------------------------------------------------------------

def test_dunning_rows_are_letter_rows() -> None:
    # mypy holds the engine's row to the shape the letters read
    zero = Decimal(0)
    row = DunningRow("c", None, 1, final=False, days_overdue=0,  # type: ignore[arg-type]
                     open=zero, interest=zero, compensation=zero, fee=zero, total=zero)
    rows: list[LetterRow] = [row]
    assert rows[0].customer == "c"


def test_one_letter_per_customer_with_all_its_rows(tmp_path: Path) -> None:
    letters = letters_of(tmp_path)
    assert list(letters) == ["acme", "kos", "nomail"]
    kos = letters["kos"]
    assert [line.number for line in kos.lines] == ["FA-2026-001", "FA-2026-002"]
    first = kos.lines[0]
    assert (first.date, first.due, first.days_overdue) == (
        datetime.date(2026, 3, 2), datetime.date(2026, 3, 16), 106)
    assert (first.open, first.interest, first.compensation, first.total) == (
        Decimal("12100.00"), Decimal("321.45"), Decimal("1200.00"), Decimal("13621.45"))
    (czk,) = kos.amounts
    assert (czk.currency, czk.open, czk.interest, czk.compensation, czk.total) == (
        "CZK", Decimal("13915.00"), Decimal("361.55"), Decimal("2400.00"), Decimal("16676.55"))
    assert czk.reference == "FA-2026-001, FA-2026-002"


@pytest.mark.parametrize(("level", "final", "tone", "pay_by"), [
    (1, False, "reminder", datetime.date(2026, 7, 7)),
    (2, False, "urgent", datetime.date(2026, 7, 7)),
    (3, True, "final", datetime.date(2026, 7, 5)),
    (1, True, "final", datetime.date(2026, 7, 5)),  # a policy of one level: its first is its last
])
def test_tone_and_pay_by_date_follow_the_level(tmp_path: Path, level: int, *, final: bool,
                                               tone: str, pay_by: datetime.date) -> None:
    kos = letters_of(tmp_path, level=level, final=final)["kos"]
    assert (kos.level, kos.tone, kos.pay_by) == (level, tone, pay_by)


def test_the_highest_level_among_a_customers_rows_sets_the_tone(tmp_path: Path) -> None:
    kos = letters_of(tmp_path, levels={"FA-2026-001": 2, "FA-2026-002": 1})["kos"]
    assert (kos.level, kos.tone) == (2, "urgent")
    assert [line.level for line in kos.lines] == [2, 1]


def test_a_mixed_letter_threatens_only_the_invoices_at_its_level(tmp_path: Path) -> None:
    loaded = load_ledger(write_ledger(tmp_path))
    mixed = hand_rows(loaded.receivables, levels={"FA-2026-001": 3, "FA-2026-002": 1},
                      only=["FA-2026-001", "FA-2026-002"])
    rows = [row._replace(final=row.level == 3) for row in mixed]
    (kos,) = letter_documents(loaded.receivables, rows, AS_OF)
    assert kos.tone == "final"
    assert [line.number for line in kos.top_lines] == ["FA-2026-001"]
    assert [line.number for line in kos.other_lines] == ["FA-2026-002"]
    body = letter_body(kos)
    assert ("přes naše upomínky zůstává faktura FA-2026-001 neuhrazena. Po splatnosti je "
            "rovněž faktura FA-2026-002.\n") in body
    assert letter_subject(kos) == "Předžalobní výzva: faktury FA-2026-001, FA-2026-002"


def test_language_is_the_customers_locale_else_the_companys(tmp_path: Path) -> None:
    letters = letters_of(tmp_path)
    assert (letters["acme"].locale, letters["kos"].locale) == ("en_US", "cs_CZ")
    unknown = LEDGER.replace('locale: "en_US"', 'locale: "xx_YY"')
    loaded = load_ledger(write_ledger(tmp_path / "unknown", unknown))
    rows = hand_rows(loaded.receivables, only=["INV-2026-010"])
    (acme,) = letter_documents(loaded.receivables, rows, AS_OF)
    assert acme.locale == "cs_CZ"


def test_variable_symbol_for_one_invoice_on_czech_letters_and_czk(tmp_path: Path) -> None:
    letters = letters_of(tmp_path)
    assert letters["nomail"].amounts[0].variable_symbol == "2026003"
    assert letters["kos"].amounts[0].variable_symbol is None  # two invoices, one transfer
    assert letters["acme"].amounts[0].variable_symbol is None  # English, EUR
    assert letters["acme"].amounts[0].reference == "INV-2026-010"


def test_fee_column_only_when_a_fee_is_claimed(tmp_path: Path) -> None:
    assert not letters_of(tmp_path)["kos"].has_fee
    kos = letters_of(tmp_path / "fee", level=3, final=True, fee=Decimal(25))["kos"]
    assert kos.has_fee
    assert kos.lines[0].fee == Decimal("25.00")  # the ledger's precision
    assert str(kos.amounts[0].fee) == "50.00"


def test_subject_body_and_attachment_name_in_english(tmp_path: Path) -> None:
    acme = letters_of(tmp_path)["acme"]
    assert letter_subject(acme) == "Payment reminder: invoice INV-2026-010"
    assert attachment_name(acme) == "payment-reminder-2026-06-30.pdf"
    assert output_stem(acme) == "acme-2026-06-30"
    assert letter_body(acme) == (
        "Dear Sir or Madam,\n\n"
        "This is a friendly reminder that invoice INV-2026-010 is overdue.\n\n"
        "Please pay €10,165.14 by July 7, 2026.\n\n"
        "The attached letter lists the amounts and how to pay them. If you have paid in "
        "the meantime, please let us know.\n\n"
        f"Kind regards\nSemínko s.r.o.\n{COMPANY_EMAIL}\n")


def test_subject_body_and_attachment_name_in_czech(tmp_path: Path) -> None:
    kos = letters_of(tmp_path, level=3, final=True)["kos"]
    assert letter_subject(kos) == "Předžalobní výzva: faktury FA-2026-001, FA-2026-002"
    assert attachment_name(kos) == "predzalobni-vyzva-2026-06-30.pdf"
    body = letter_body(kos).replace("\u00a0", " ")
    assert body.startswith("Vážení obchodní přátelé,\n\npřes naše upomínky zůstávají faktury "
                           "FA-2026-001, FA-2026-002 neuhrazeny.\n\n"
                           "Prosíme o úhradu 16 676,55 Kč do 5. července 2026.\n\n"
                           "Toto je naše poslední výzva: pokud platbu neobdržíme do "
                           "5. července 2026, předáme pohledávku k vymáhání inkasní agentuře "
                           "nebo ji uplatníme soudní cestou.\n\n")
    reminder = letters_of(tmp_path / "one", only=["FA-2026-003"])["nomail"]
    assert letter_subject(reminder) == "Upomínka: faktura FA-2026-003"
    urgent = letters_of(tmp_path / "two", level=2)["kos"]
    assert letter_subject(urgent) == "Důrazná upomínka: faktury FA-2026-001, FA-2026-002"


@pytest.mark.parametrize(("written", "expected"), [
    ("ap@acme.example", ["Acme <ap@acme.example>"]),
    ("Jana <jana@acme.example>; ap@acme.example",
     ["Jana <jana@acme.example>", "Acme <ap@acme.example>"]),
    ("", []),
    ("ap at acme.example", None),
    ("ap@", None),
    ("ap@acme.example\nBcc: everyone@example.com", None),
])
def test_email_details_are_parsed_and_checked(written: str, expected: list[str] | None) -> None:
    found = addresses(written, "Acme")
    assert (None if found is None else [str(a) for a in found]) == expected


# --- the catalogue ----------------------------------------------------------------------

def _messages(catalog: Iterable[Message]) -> dict[object, object]:
    def plain(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {plain(m.id): plain(m.string) for m in catalog if m.id}


def _czech_msgids() -> set[str]:
    """Every msgid (singular) of the Czech documents' and letters' catalogues."""
    ids: set[str] = set()
    folder = LOCALE_DIR / "cs" / "LC_MESSAGES"
    for name in ("beancount_ar.po", "beancount_ar_letters.po"):
        with (folder / name).open("rb") as po_file:
            for message in read_po(po_file, locale="cs"):
                singular = message.id if isinstance(message.id, str) else message.id[0]
                if singular:
                    ids.add(singular)
    return ids


def _compile_script() -> Any:
    """`locale/compile.py`, the one compiler of every catalogue."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("compile_catalogues",
                                                  LOCALE_DIR / "compile.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_letters_catalogues_compile_and_match_the_committed_mo_files() -> None:
    script = _compile_script()
    catalogues = script.catalogues(LOCALE_DIR, LETTERS_DOMAIN)
    compiled = script.compiled
    assert [p.parent.parent.name for p in catalogues] == ["cs", "en"]
    for po_path in catalogues:
        with po_path.open("rb") as po_file:
            expected = _messages(read_po(po_file))
        with po_path.with_suffix(".mo").open("rb") as mo_file:
            committed = _messages(read_mo(mo_file))
        assert committed == expected, f"{po_path.with_suffix('.mo')} is stale"
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        for message in catalog:
            if message.id:
                forms = message.string if isinstance(message.string, tuple) else (message.string,)
                assert all(forms), f"{po_path}: {message.id!r} untranslated"
        assert compiled(po_path)


def test_every_word_of_the_letter_template_is_translated() -> None:
    source = (TEMPLATES / "letter.html").read_text(encoding="utf-8")
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    known = _czech_msgids()
    found = list(env.extract_translations(source))  # type: ignore[attr-defined]
    assert len(found) > 20
    for _line, _function, message in found:
        singular = message[0] if isinstance(message, tuple) else message
        assert singular in known, singular


def test_letters_catalogue_adds_to_the_documents_one() -> None:
    assert LOCALE_DIR.is_dir()
    czech = letter_translations("cs_CZ")
    assert czech.gettext("Final demand for payment") == "Předžalobní výzva"
    assert czech.gettext("Balance due") == "K úhradě"
    assert letter_translations("de_DE").gettext("Payment reminder") == "Payment reminder"


# --- the files `-o DIR` writes (a stand-in PDF) -----------------------------------------

def test_o_writes_a_pdf_and_a_draft_per_customer(tmp_path: Path, stub_pdf: bytes) -> None:
    ledger = write_ledger(tmp_path)
    out = tmp_path / "letters"
    result = run_letters(ledger, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "4 rows\n"  # what is written is said on stderr: stdout is the report
    assert sorted(p.name for p in out.iterdir()) == [
        "acme-2026-06-30.eml", "acme-2026-06-30.pdf", "kos-2026-06-30.eml", "kos-2026-06-30.pdf",
        "nomail-2026-06-30.pdf"]
    assert (out / "kos-2026-06-30.pdf").read_bytes() == stub_pdf
    assert (f"kos: wrote {out}/kos-2026-06-30.pdf and {out}/kos-2026-06-30.eml (to "
            "ucetni@kos.example)") in result.stderr
    assert "3 letter(s) and 2 email draft(s) written to" in result.stderr


def test_draft_headers_body_and_attachment(tmp_path: Path, stub_pdf: bytes) -> None:
    out = tmp_path / "letters"
    assert run_letters(write_ledger(tmp_path), "-o", out).exit_code == 0
    raw = (out / "kos-2026-06-30.eml").read_bytes()
    assert b"\r\n" in raw
    assert "Upomínka".encode() not in raw  # the subject travels as RFC 2047 words
    kos = parse_eml(out / "kos-2026-06-30.eml")
    assert kos["To"] == '"Kos a syn, s.r.o." <ucetni@kos.example>'
    assert kos["From"] == f'"Semínko s.r.o." <{COMPANY_EMAIL}>'
    assert kos["Subject"] == "Upomínka: faktury FA-2026-001, FA-2026-002"
    assert kos["Message-ID"].endswith("@seminko.example>")
    assert kos["Date"].datetime.tzinfo is not None
    body = kos.get_body(preferencelist=("plain",))
    assert body is not None
    assert body["Content-Language"] == "cs"
    text = body.get_content().replace("\r\n", "\n")
    assert text.startswith("Vážení obchodní přátelé,\n\ndovolujeme si Vás")
    (attachment,) = kos.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "upominka-2026-06-30.pdf"
    assert attachment.get_content() == stub_pdf
    acme = parse_eml(out / "acme-2026-06-30.eml")
    assert acme["To"] == "Acme AP <ap@acme.example>"
    assert acme["Subject"] == "Payment reminder: invoice INV-2026-010"


def test_customer_without_email_gets_the_pdf_and_a_line(tmp_path: Path, stub_pdf: bytes) -> None:
    out = tmp_path / "letters"
    result = run_letters(write_ledger(tmp_path), "-o", out, "--only", "FA-2026-003")
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["nomail-2026-06-30.pdf"]
    assert result.stderr.splitlines()[0] == (
        f"bean-ar: nomail: no email: wrote {out}/nomail-2026-06-30.pdf without an email "
        "draft (give the customer an email: to have one)")
    assert stub_pdf


def test_an_email_that_is_no_address_gets_no_draft(tmp_path: Path, stub_pdf: bytes) -> None:
    ledger = write_ledger(tmp_path, LEDGER.replace('"ucetni@kos.example"', '"ucetni at kos"'))
    out = tmp_path / "letters"
    result = run_letters(ledger, "-o", out, "--only", "FA-2026-001")
    assert result.exit_code == 0
    assert "bean-ar: kos: its email 'ucetni at kos' is not an address: wrote" in result.stderr
    assert not (out / "kos-2026-06-30.eml").exists()
    assert (out / "kos-2026-06-30.pdf").read_bytes() == stub_pdf


def test_a_company_without_email_writes_letters_without_drafts(tmp_path: Path,
                                                              stub_pdf: bytes) -> None:
    ledger = write_ledger(tmp_path, LEDGER.replace(f'  email: "{COMPANY_EMAIL}"\n', ""))
    out = tmp_path / "letters"
    result = run_letters(ledger, "-o", out)
    assert result.exit_code == 0
    assert ("bean-ar: the company (ar-company) has no email: writing the letters without "
            "email drafts") in result.stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".pdf"] * 3
    assert stub_pdf


def test_no_rows_writes_nothing_and_makes_no_folder(tmp_path: Path) -> None:
    out = tmp_path / "letters"
    result = run_letters(write_ledger(tmp_path), "-o", out, "--only", "NONE")
    assert result.exit_code == 0
    assert result.stderr == "no letters due on 2026-06-30; nothing written\n"
    assert not out.exists()


def test_without_o_nothing_is_written(tmp_path: Path) -> None:
    result = run_letters(write_ledger(tmp_path))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "4 rows\n", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.beancount"]


# --- never onto the ledger --------------------------------------------------------------

def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


def test_refuses_to_write_onto_a_ledger_file(tmp_path: Path, stub_pdf: bytes) -> None:
    out = tmp_path / "letters"
    out.mkdir()
    # an include that happens to sit where a draft would go
    (out / "kos-2026-06-30.eml").write_text("; part of the books\n", encoding="utf-8")
    ledger = write_ledger(tmp_path, LEDGER + '\ninclude "letters/kos-2026-06-30.eml"\n')
    before = _files(tmp_path)
    result = run_letters(ledger, "-o", out)
    assert result.exit_code == 2
    assert re.search(r"kos-2026-06-30\.eml is a file of the ledger .*refusing to overwrite it",
                     result.stderr)
    assert result.stderr.splitlines()[-1] == \
        "bean-ar: 1 letter file(s) refused; nothing written"
    assert _files(tmp_path) == before
    assert "Traceback" not in result.stderr
    assert stub_pdf


def test_refuses_a_symlink_to_the_ledger(tmp_path: Path, stub_pdf: bytes) -> None:
    ledger = write_ledger(tmp_path)
    out = tmp_path / "letters"
    out.mkdir()
    (out / "acme-2026-06-30.pdf").symlink_to(ledger)
    before = _files(tmp_path)
    result = run_letters(ledger, "-o", out)
    assert result.exit_code == 2
    assert "acme-2026-06-30.pdf is a symbolic link; refusing to write through it" in result.stderr
    assert _files(tmp_path) == before
    assert stub_pdf


def test_customer_ids_making_one_file_name_are_refused(tmp_path: Path, stub_pdf: bytes) -> None:
    text = LEDGER.replace('custom "ar-customer" "nomail"', 'custom "ar-customer" "KOS"')
    out = tmp_path / "letters"
    result = run_letters(write_ledger(tmp_path, text), "-o", out)
    assert result.exit_code == 2
    assert "customers KOS, kos would get the same letter file names" in result.stderr
    assert not out.exists()
    assert stub_pdf


def test_o_must_be_a_folder(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path)
    result = run_letters(ledger, "-o", ledger)
    assert result.exit_code == 2
    assert "is a file" in result.stderr
