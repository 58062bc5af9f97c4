"""EPC069-12 payloads and their QR codes."""

from __future__ import annotations

import base64
import io
from decimal import Decimal

import pytest

from beancount_ar.documents.epc import (
    epc_payload,
    format_amount,
    iban_is_valid,
    qr_png_bytes,
    qr_svg_data_uri,
)

IBAN = "CZ65 0800 0000 1920 0014 5399"
NAME = "Seed Consulting s.r.o."


def test_payload_minimal_bic_empty_amount_without_trailing_zeros() -> None:
    payload = epc_payload(
        name=NAME, iban=IBAN, amount=Decimal("1500.00"), reference="", text="2026-001"
    )
    assert payload == (
        "BCD\n002\n1\nSCT\n\nSeed Consulting s.r.o.\nCZ6508000000192000145399\nEUR1500\n"
        "\n\n2026-001"
    )


def test_payload_all_elements() -> None:
    payload = epc_payload(
        name=NAME,
        iban="cz65 0800 0000 1920 0014 5399",
        amount=Decimal("12.50"),
        reference="",
        bic="gibaczpx",
        text="Invoice 2026-014",
        information="Děkujeme",
    )
    assert payload.split("\n") == [
        "BCD",
        "002",
        "1",
        "SCT",
        "GIBACZPX",
        "Seed Consulting s.r.o.",
        "CZ6508000000192000145399",
        "EUR12.5",
        "",
        "",
        "Invoice 2026-014",
        "Děkujeme",
    ]


def test_payload_drops_trailing_empty_elements() -> None:
    payload = epc_payload(name=NAME, iban=IBAN, amount=Decimal("0.01"), reference="")
    assert payload == (
        "BCD\n002\n1\nSCT\n\nSeed Consulting s.r.o.\nCZ6508000000192000145399\nEUR0.01"
    )


def test_payload_information_alone_keeps_the_empty_lines() -> None:
    payload = epc_payload(name=NAME, iban=IBAN, amount=Decimal(7), reference="", information="Hi")
    assert payload.split("\n")[7:] == ["EUR7", "", "", "", "Hi"]


def test_payload_structured_reference_compacted() -> None:
    payload = epc_payload(
        name=NAME, iban=IBAN, amount=Decimal("99.99"), reference="RF18 5390 0754 7034"
    )
    assert payload.split("\n")[7:] == ["EUR99.99", "", "RF18539007547034"]


def test_reference_and_text_exclude_each_other() -> None:
    with pytest.raises(ValueError, match="not both"):
        epc_payload(
            name=NAME, iban=IBAN, amount=Decimal(1), reference="RF18539007547034", text="2026-001"
        )


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        ("1500.00", "1500"),
        ("1500", "1500"),
        ("1500.000", "1500"),
        ("1500.10", "1500.1"),
        ("12.34", "12.34"),
        ("100", "100"),
        ("0.5", "0.5"),
        ("0.01", "0.01"),
        ("1E+3", "1000"),
        ("999999999.99", "999999999.99"),
    ],
)
def test_amount_format(amount: str, written: str) -> None:
    assert format_amount(Decimal(amount)) == written


@pytest.mark.parametrize(
    "amount", ["0", "0.00", "-1", "0.009", "1000000000", "12.345", "NaN", "Infinity"]
)
def test_amount_rejected(amount: str) -> None:
    with pytest.raises(ValueError, match="amount"):
        epc_payload(name=NAME, iban=IBAN, amount=Decimal(amount), reference="1")


@pytest.mark.parametrize(
    "iban",
    [
        "CZ6508000000192000145399",
        "CZ65 0800 0000 1920 0014 5399",
        "de89 3704 0044 0532 0130 00",
        "BE72000000001616",
        "GB82 WEST 1234 5698 7654 32",
    ],
)
def test_valid_ibans(iban: str) -> None:
    assert iban_is_valid(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "CZ66 0800 0000 1920 0014 5399",  # check digits
        "CZ65 0800 0000 1920 0014 5398",  # one digit off
        "GB82 WEST 1234 5698 7654 33",
        "CZ65",
        "",
        "6508000000192000145399",
        "CZ65-0800-0000-1920-0014-5399",
        "CZ65 0800 0000 1920 0014 5399 0000 0000 0000 0",  # longer than 34
    ],
)
def test_invalid_ibans(iban: str) -> None:
    assert not iban_is_valid(iban)
    with pytest.raises(ValueError, match="IBAN"):
        epc_payload(name=NAME, iban=iban, amount=Decimal(1), reference="1")


def test_name_rules() -> None:
    assert epc_payload(name="x" * 70, iban=IBAN, amount=Decimal(1), reference="1")
    with pytest.raises(ValueError, match="71 characters, at most 70"):
        epc_payload(name="x" * 71, iban=IBAN, amount=Decimal(1), reference="1")
    with pytest.raises(ValueError, match="name is empty"):
        epc_payload(name="  ", iban=IBAN, amount=Decimal(1), reference="1")


def test_lengths_and_line_breaks() -> None:
    assert epc_payload(name=NAME, iban=IBAN, amount=Decimal(1), reference="", text="t" * 140)
    with pytest.raises(ValueError, match="141 characters, at most 140"):
        epc_payload(name=NAME, iban=IBAN, amount=Decimal(1), reference="", text="t" * 141)
    assert epc_payload(name=NAME, iban=IBAN, amount=Decimal(1), reference="R" * 35)
    with pytest.raises(ValueError, match="36 characters, at most 35"):
        epc_payload(name=NAME, iban=IBAN, amount=Decimal(1), reference="R" * 36)
    with pytest.raises(ValueError, match="71 characters, at most 70"):
        epc_payload(name=NAME, iban=IBAN, amount=Decimal(1), reference="", information="i" * 71)
    with pytest.raises(ValueError, match="single line"):
        epc_payload(name=NAME, iban=IBAN, amount=Decimal(1), reference="", text="2026\n001")
    with pytest.raises(ValueError, match="single line"):
        epc_payload(name="Seed\r\nConsulting", iban=IBAN, amount=Decimal(1), reference="1")


@pytest.mark.parametrize("bic", ["GIBA", "GIBACZPX1", "GIBA CZ PX XXX X", "12BACZPX"])
def test_bad_bic(bic: str) -> None:
    with pytest.raises(ValueError, match="BIC"):
        epc_payload(name=NAME, iban=IBAN, amount=Decimal(1), reference="1", bic=bic)


def test_payload_limited_to_331_bytes() -> None:
    largest = epc_payload(
        name="N" * 70,
        iban="GB82 WEST 1234 5698 7654 32",
        amount=Decimal("999999999.99"),
        reference="",
        bic="GIBACZPXXXX",
        text="T" * 140,
        information="I" * 52,
    )
    assert len(largest.encode("utf-8")) == 331
    with pytest.raises(ValueError, match="332 bytes in UTF-8, at most 331"):
        epc_payload(
            name="N" * 70,
            iban="GB82 WEST 1234 5698 7654 32",
            amount=Decimal("999999999.99"),
            reference="",
            bic="GIBACZPXXXX",
            text="T" * 140,
            information="I" * 53,
        )
    with pytest.raises(ValueError, match="at most 331"):
        epc_payload(name="Ř" * 70, iban=IBAN, amount=Decimal(1), reference="", text="ž" * 140)


def test_svg_data_uri() -> None:
    payload = epc_payload(
        name=NAME, iban=IBAN, amount=Decimal("1500.00"), reference="", text="2026-001"
    )
    uri = qr_svg_data_uri(payload)
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    svg = base64.b64decode(uri.removeprefix(prefix), validate=True).decode("utf-8")
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg
    assert 'viewBox="0 0 ' in svg
    assert svg.endswith("</svg>")


def _decode(png: bytes) -> tuple[str, str]:
    # Real decoders, installed with the dev extras: a skipped decode proves nothing.
    import zxingcpp
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        barcodes = zxingcpp.read_barcodes(image.convert("L"))
    assert len(barcodes) == 1
    return bytes(barcodes[0].bytes).decode("utf-8"), str(barcodes[0].ec_level)


@pytest.mark.parametrize(
    "payload",
    [
        epc_payload(name=NAME, iban=IBAN, amount=Decimal("1500.00"), reference="", text="2026-001"),
        epc_payload(
            name="Žluťoučký kůň, s.r.o.",
            iban=IBAN,
            amount=Decimal("999999999.99"),
            reference="",
            bic="GIBACZPX",
            text="Faktura č. 2026-001 " + "x" * 100,
            information="Děkujeme za Vaši objednávku",
        ),
        # the largest payload the guideline allows: 331 bytes, QR code version 13
        epc_payload(
            name="N" * 70,
            iban="GB82 WEST 1234 5698 7654 32",
            amount=Decimal("999999999.99"),
            reference="",
            bic="GIBACZPXXXX",
            text="T" * 140,
            information="I" * 52,
        ),
    ],
)
def test_qr_decodes_back_to_the_payload(payload: str) -> None:
    assert len(payload.encode("utf-8")) <= 331
    text, level = _decode(qr_png_bytes(payload))
    assert text == payload
    assert level == "M"
