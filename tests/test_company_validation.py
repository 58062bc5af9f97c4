"""The seller's bank and tax identifiers and its templates folder are checked (AR010).

A bad IBAN would be printed on every invoice and would silently lose the EPC QR code;
a `templates:` folder that does not exist would silently be ignored. A tax id written
in EU VAT form (country prefix and digits) must be a valid VAT number, the seller's
(AR010) as the customers' (AR001); a national tax number (`US-12-3456789`) is left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from beancount import loader
from doc_ledgers import EXAMPLE

from beancount_ar.core.cards import luhn_valid
from beancount_ar.core.seller import read_company

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Loaded

GOOD_IBAN = "CZ65 0800 0000 1920 0014 5399"
BAD_IBAN = "CZ65 0800 0000 1920 0014 5398"  # last digit off: the check digits fail


def company(**meta: str) -> str:
    lines = ['2026-01-01 custom "ar-company" "Seed Consulting s.r.o."  ; COMPANY']
    lines += [f'  {key.replace("_", "-")}: "{value}"' for key, value in meta.items()]
    return "\n".join(lines) + "\n"


def ar010(loaded: Loaded) -> list[str]:
    return [e.message for e in loaded.errors if e.message.startswith("AR010")]


def test_a_valid_iban_and_vat_id_are_clean(ledger: Callable[..., Loaded]) -> None:
    loaded = ledger(company(iban=GOOD_IBAN, tax_id="CZ12345679", vat_id="DE 123 456 788"))
    assert loaded.errors == []


def test_a_bad_iban_is_ar010_at_the_directive_and_is_not_printed(
        ledger: Callable[..., Loaded]) -> None:
    loaded = ledger(company(iban=BAD_IBAN, email="billing@seed.example"))
    [error] = [e for e in loaded.errors if e.message.startswith("AR010")]
    assert error.source["lineno"] == loaded.line("; COMPANY")
    assert BAD_IBAN in error.message
    assert "checksum" in error.message
    assert "bank statement" in error.message  # how to fix it
    seller, _ = read_company(loaded.entries, lambda _: True)
    assert seller is not None
    assert "iban" not in seller.versions[0].details
    assert seller.versions[0].details["email"] == "billing@seed.example"


@pytest.mark.parametrize("iban", ["CZ65 0800 0000 1920 0014", "XX65 0800 0000 1920 0014 5399",
                                  "not an iban"])
def test_a_malformed_iban_is_ar010(ledger: Callable[..., Loaded], iban: str) -> None:
    [message] = ar010(ledger(company(iban=iban)))
    assert "not a valid IBAN" in message


def test_a_missing_templates_folder_is_ar010_with_a_hint(ledger: Callable[..., Loaded],
                                                         tmp_path: Path) -> None:
    loaded = ledger(company(templates="nodir"))
    [error] = [e for e in loaded.errors if e.message.startswith("AR010")]
    assert error.source["lineno"] == loaded.line("; COMPANY")
    assert str(tmp_path / "nodir") in error.message
    assert "not a folder" in error.message
    assert "invoice.html" in error.message


def test_a_templates_file_is_not_a_folder(ledger: Callable[..., Loaded], tmp_path: Path) -> None:
    (tmp_path / "invoice.html").write_text("<p>hi</p>", encoding="utf-8")
    [message] = ar010(ledger(company(templates="invoice.html")))
    assert "not a folder" in message


def test_an_existing_templates_folder_is_clean(ledger: Callable[..., Loaded],
                                               tmp_path: Path) -> None:
    (tmp_path / "my-templates").mkdir()
    assert ledger(company(templates="my-templates")).errors == []


def test_a_later_version_does_not_repeat_the_missing_folder(
        ledger: Callable[..., Loaded]) -> None:
    loaded = ledger(company(templates="nodir") + '2026-06-01 custom "ar-company" "Seed s.r.o."\n')
    assert len(ar010(loaded)) == 1


@pytest.mark.parametrize(("key", "value"), [
    ("vat-id", "CZ12345678"),
    ("vat-id", "DE123456789"),
    ("tax-id", "CZ1234"),
    ("tax-id", "DE12345678X"),
    ("vat-id", "EL 12345678"),
    ("vat-id", "FR12345678901"),
])
def test_a_bad_seller_vat_id_is_ar010(ledger: Callable[..., Loaded], key: str,
                                      value: str) -> None:
    loaded = ledger(company(**{key.replace("-", "_"): value}))
    [error] = [e for e in loaded.errors if e.message.startswith("AR010")]
    assert error.source["lineno"] == loaded.line("; COMPANY")
    assert f'{key} "{value}"' in error.message
    assert "not a valid EU VAT number" in error.message
    assert "without the country prefix" in error.message  # the way out for a national id


def test_the_contracts_example_tax_id_loads_clean(ledger: Callable[..., Loaded]) -> None:
    # AR-SPEC §8 writes tax-id "CZ12345678": right format and length, wrong check digit.
    # A tax-id is checked without its check digit; a vat-id in full.
    assert ledger(company(tax_id="CZ12345678")).errors == []


@pytest.mark.parametrize("value", ["US-12-3456789", "12345678", "JP1234567890", "Reg. 4471"])
def test_a_tax_id_not_in_eu_vat_form_is_left_alone(ledger: Callable[..., Loaded],
                                                   value: str) -> None:
    assert ledger(company(tax_id=value)).errors == []


def test_a_bad_customer_vat_id_is_ar001_at_the_customer(ledger: Callable[..., Loaded]) -> None:
    loaded = ledger("""
        2026-01-01 custom "ar-customer" "kos"  ; KOS
          name: "Kos a syn, s.r.o."
          account: Assets:Receivable:Kos
          vat-id: "CZ87654321"

        2026-01-01 custom "ar-customer" "ok"
          name: "Good VAT GmbH"
          account: Assets:Receivable:Ok
          vat-id: "DE123456788"
    """, accounts=("Assets:Receivable:Kos", "Assets:Receivable:Ok"))
    [error] = loaded.errors
    assert error.message.startswith("AR001")
    assert error.source["lineno"] == loaded.line("; KOS")
    assert 'customer "kos"' in error.message
    assert 'vat-id "CZ87654321"' in error.message
    assert "not a valid EU VAT number" in error.message


@pytest.mark.parametrize(("digits", "valid"), [
    ("4111111111111111", True),
    ("4111111111111112", False),
    ("378282246310005", True),
    ("6011111111111117", True),
    ("6011111111111118", False),
])
def test_card_guard_uses_the_luhn_check(digits: str, valid: bool) -> None:  # noqa: FBT001
    assert luhn_valid(digits) is valid


def test_the_example_company_writes_every_key_and_loads_clean() -> None:
    entries, errors, _ = loader.load_file(str(EXAMPLE))
    assert errors == []
    [directive] = [e for e in entries if getattr(e, "type", None) == "ar-company"]
    assert {"logo", "locale", "page-size", "templates", "bic", "iban", "tax-id"} <= set(
        directive.meta)
    folder = EXAMPLE.parent
    assert (folder / directive.meta["logo"]).is_file()
    assert (folder / directive.meta["templates"]).is_dir()
