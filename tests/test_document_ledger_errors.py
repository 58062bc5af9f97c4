"""`bean-ar invoice|statement|invoices` with an `ar-company` AR010, and with a subject not found.

An AR010 is a ledger error like any other: printed once, then the usual footer
and exit status 1; with `--ignore-errors` the document is written from what the
directive validly gives (a bad IBAN is left out, so no IBAN and no QR code). An
invoice or customer that is not in a sound ledger is bad usage: exit status 2.
"""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from ledgers import BEAN_AR, HEADER, invoke, write_ledger

if TYPE_CHECKING:
    from pathlib import Path

    from click.testing import Result

GOOD_IBAN = "CZ65 0800 0000 1920 0014 5399"
BAD_IBAN = "CZ65 0800 0000 1920 0014 5398"  # one check digit off

COMPANY = """
2025-01-01 custom "ar-company" "Seed Consulting s.r.o."
  address: "Vinohradská 1, 120 00 Praha 2"
  iban: "{iban}"
  bic: "GIBACZPX"

2026-05-01 * "Acme Corp" "Consulting" ^INV-2026-001 #invoice
  Assets:Receivable:Acme       1500.00 EUR
  Income:Consulting           -1500.00 EUR
"""

AR010 = (f'AR010 ar-company "Seed Consulting s.r.o." has iban "{BAD_IBAN}", which is not a '
         "valid IBAN (the number's checksum or check digit is invalid); copy it from your "
         "bank statement")

NO_SUITE = HEADER.replace('plugin "beancount_ar"\n', "")


def _ledger(folder: Path, iban: str, header: str = HEADER) -> Path:
    return write_ledger(folder, COMPANY.format(iban=iban), header=header)


def _document(command: str, ledger: Path, output: Path, *options: str) -> Result:
    subject = "INV-2026-001" if command == "invoice" else "acme"
    return invoke(command, ledger, subject, "--as-of", "2026-06-30", "-o", output, *options)


def _ar010_line(ledger: Path) -> str:
    """The error as printed: at the `ar-company` directive's line."""
    lines = ledger.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, start=1) if '"ar-company"' in line)
    return f"{ledger}:{number}: {AR010}"


@pytest.mark.parametrize("command", ["invoice", "statement"])
def test_a_sound_company_prints_its_iban_and_a_qr_code(tmp_path: Path, command: str) -> None:
    out = tmp_path / "out.html"
    result = _document(command, _ledger(tmp_path, GOOD_IBAN), out)
    assert (result.exit_code, result.stderr) == (0, "")
    html = out.read_text(encoding="utf-8")
    assert GOOD_IBAN in html
    assert 'class="qr"' in html


@pytest.mark.parametrize("command", ["invoice", "statement"])
def test_an_ar010_is_a_ledger_error_printed_once(tmp_path: Path, command: str) -> None:
    ledger = _ledger(tmp_path, BAD_IBAN)
    out = tmp_path / "out.html"
    result = _document(command, ledger, out)
    assert result.exit_code == 1
    assert result.stderr == (f"{_ar010_line(ledger)}\nbean-ar: {ledger} has 1 error(s); fix them "
                             "(bean-check lists them too) or pass --ignore-errors.\n")
    assert not out.exists()


@pytest.mark.parametrize("command", ["invoice", "statement"])
def test_ignore_errors_writes_the_document_without_the_bad_iban(tmp_path: Path,
                                                                command: str) -> None:
    ledger = _ledger(tmp_path, BAD_IBAN)
    out = tmp_path / "out.html"
    result = _document(command, ledger, out, "--ignore-errors")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"{_ar010_line(ledger)}\n"
    assert result.stdout == f"wrote {out}\n"
    html = out.read_text(encoding="utf-8")
    assert "Seed Consulting s.r.o." in html
    assert "GIBACZPX" in html
    assert BAD_IBAN not in html
    assert "IBAN" not in html
    assert 'class="qr"' not in html


def test_without_the_plugin_line_the_ar010_is_still_an_error_printed_once(
        tmp_path: Path) -> None:
    # bean-check runs none of the suite then, so only bean-ar finds the AR010.
    ledger = _ledger(tmp_path, BAD_IBAN, header=NO_SUITE)
    out = tmp_path / "out.html"
    result = _document("invoice", ledger, out)
    assert result.exit_code == 1
    assert result.stderr.count(AR010) == 1
    assert result.stderr.endswith(f"{_ar010_line(ledger)}\nbean-ar: {ledger} has 1 error(s); "
                                  "fix them or pass --ignore-errors.\n")
    assert not out.exists()
    result = _document("invoice", ledger, out, "--ignore-errors")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count(AR010) == 1
    assert BAD_IBAN not in out.read_text(encoding="utf-8")


def _billing_run(ledger: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BEAN_AR), "invoices", str(ledger), "--from",
                           "2026-05-01", "--to", "2026-05-31", "-o", str(out), *options],
                          capture_output=True, text=True, check=False, timeout=120)


def test_the_billing_run_stops_at_an_ar010(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, BAD_IBAN)
    out = tmp_path / "billing"
    done = _billing_run(ledger, out)
    assert done.returncode == 1
    assert done.stderr == (f"{_ar010_line(ledger)}\nbean-ar: {ledger} has 1 error(s); fix "
                           "them (bean-check lists them too) or pass --ignore-errors.\n")
    assert not out.exists()


def test_the_billing_run_with_ignore_errors_writes_the_invoices(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, BAD_IBAN)
    out = tmp_path / "billing"
    done = _billing_run(ledger, out, "--ignore-errors")
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"{_ar010_line(ledger)}\n"
    assert done.stdout.startswith(f"1 invoice(s) written to {out} (1,500.00 EUR)")
    assert (out / "INV-2026-001.pdf").read_bytes().startswith(b"%PDF-")


# --- a subject the ledger does not have: bad usage ------------------------------------


def test_an_unknown_invoice_is_bad_usage(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, GOOD_IBAN)
    out = tmp_path / "out.html"
    result = invoke("invoice", ledger, "NOPE", "--as-of", "2026-06-30", "-o", out)
    assert result.exit_code == 2
    assert result.stderr == f"bean-ar: no invoice NOPE in {ledger} issued on or before 2026-06-30\n"
    assert not out.exists()


def test_an_invoice_not_yet_issued_is_bad_usage(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, GOOD_IBAN)
    result = invoke("invoice", ledger, "INV-2026-001", "--as-of", "2026-04-30",
                    "-o", tmp_path / "out.html")
    assert result.exit_code == 2
    assert "no invoice INV-2026-001" in result.stderr


def test_an_unknown_customer_is_bad_usage_named_plainly(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, GOOD_IBAN)
    out = tmp_path / "out.html"
    result = invoke("statement", ledger, "nobody", "--as-of", "2026-06-30", "-o", out)
    assert result.exit_code == 2
    assert result.stderr == f"bean-ar: no customer nobody in {ledger}\n"
    assert not out.exists()
