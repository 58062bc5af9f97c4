"""EPC QR codes ("GiroCode", "Scan to pay") for SEPA credit transfers in euro.

The payload follows the European Payments Council's guideline EPC069-12, version 002,
character set 1 (UTF-8). One element per line, lines joined with a line feed, trailing
empty elements left out::

    >>> from decimal import Decimal
    >>> print(epc_payload(name="Seed Consulting s.r.o.", iban="CZ65 0800 0000 1920 0014 5399",
    ...                   amount=Decimal("1500.00"), reference="", text="2026-001"))
    BCD
    002
    1
    SCT
    <BLANKLINE>
    Seed Consulting s.r.o.
    CZ6508000000192000145399
    EUR1500
    <BLANKLINE>
    <BLANKLINE>
    2026-001

The elements, in order: service tag `BCD`, version `002`, character set `1`,
identification `SCT`, the beneficiary's BIC (optional in version 002), the beneficiary's
name, IBAN, the amount (`EUR` and the amount with a dot and at most two decimals, trailing
zeros dropped, as the guideline's own example `EUR12.3`), the purpose code (empty), the
structured remittance information (`reference`, an ISO 11649 creditor reference such as
`RF18539007547034`, usually empty), the unstructured remittance information (`text`: we
put the invoice number here; at most one of the two) and the beneficiary-to-originator
information (`information`, usually empty).

The symbol itself is a QR code at error correction level M, without an ECI header (the
character set is line 3), at most version 13 (331 bytes of payload):
`qr_svg_data_uri(payload)` for an `<img src=...>` in an HTML or PDF document.
The currency is always EUR: whether a document may carry the code is the caller's call.
"""

from __future__ import annotations

import base64
import io
import re
from decimal import Decimal

import segno
from stdnum import iban as stdnum_iban

__all__ = ["epc_payload", "iban_is_valid", "qr_png_bytes", "qr_svg_data_uri"]

MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")
MAX_NAME = 70
MAX_REFERENCE = 35
MAX_REMITTANCE = 140
MAX_INFORMATION = 70
MAX_PAYLOAD_BYTES = 331
MAX_QR_VERSION = 13

_CENT = Decimal("0.01")
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")
_BIC = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
_WHITESPACE = re.compile(r"\s+")


def iban_is_valid(iban: str) -> bool:
    """Whether `iban` (spaces allowed, any case) is a valid IBAN: python-stdnum's check.

    The shape is ours (letters and digits, grouped by spaces only: stdnum would also
    take dashes and dots, which an EPC payload may not carry); the country's format
    and length and the mod-97 check digits are stdnum's.
    """
    compact = _WHITESPACE.sub("", iban).upper()
    return _IBAN.fullmatch(compact) is not None and bool(stdnum_iban.is_valid(compact))


def epc_payload(  # noqa: PLR0913 - the guideline's elements, all keyword-only
    *,
    name: str,
    iban: str,
    amount: Decimal,
    reference: str,
    bic: str = "",
    text: str = "",
    information: str = "",
) -> str:
    r"""The EPC069-12 payload (version 002, UTF-8) for a SEPA credit transfer in euro.

    Ours, not `segno.helpers.make_epc_qr`: segno requires a reference or a text,
    has no beneficiary-to-originator element, picks an ISO 8859 character set
    rather than UTF-8, and checks neither the IBAN nor the BIC nor line breaks.

    Args:
        name: The beneficiary's name, 1 to 70 characters.
        iban: The beneficiary's IBAN; spaces are removed and letters upper-cased.
        amount: In euro, 0.01 to 999999999.99, whole cents.
        reference: Structured remittance information: an ISO 11649 creditor reference
            (`RF` and check digits), at most 35 characters; empty when `text` is used.
        bic: The beneficiary bank's BIC, 8 or 11 characters, or empty (version 002
            needs it only outside the EEA).
        text: Unstructured remittance information the payer's bank passes on, at most
            140 characters: the invoice number. Empty when `reference` is used.
        information: Beneficiary-to-originator information, shown to the payer, at
            most 70 characters, or empty.

    Returns:
        The lines joined with `"\n"`, trailing empty elements left out.

    Raises:
        ValueError: The name is missing; an element is too long or holds a line
            break; both `reference` and `text` are given; the IBAN or BIC is
            malformed; the amount is out of range or has a fraction of a cent; the
            payload exceeds 331 bytes.
    """
    name = name.strip()
    reference = _WHITESPACE.sub("", reference)  # RF18 5390 0754 7034 is printed grouped
    text = text.strip()
    information = information.strip()
    bic = _WHITESPACE.sub("", bic).upper()
    compact_iban = _WHITESPACE.sub("", iban).upper()
    if not name:
        raise ValueError("EPC QR code: the beneficiary name is empty")
    limits = (
        ("beneficiary name", name, MAX_NAME),
        ("structured reference", reference, MAX_REFERENCE),
        ("remittance text", text, MAX_REMITTANCE),
        ("information to the payer", information, MAX_INFORMATION),
    )
    for label, value, limit in limits:
        if "\n" in value or "\r" in value:
            raise ValueError(f"EPC QR code: the {label} must be a single line: {value!r}")
        if len(value) > limit:
            raise ValueError(
                f"EPC QR code: the {label} has {len(value)} characters,"
                f" at most {limit} are allowed: {value!r}"
            )
    if reference and text:
        raise ValueError(
            "EPC QR code: give either a structured reference or a remittance text, not both"
        )
    if not iban_is_valid(compact_iban):
        raise ValueError(f"EPC QR code: not a valid IBAN (shape or check digits): {iban!r}")
    if bic and not _BIC.fullmatch(bic):
        raise ValueError(f"EPC QR code: a BIC has 8 or 11 letters and digits, got {bic!r}")
    lines = [
        "BCD",  # service tag
        "002",  # version
        "1",  # character set: UTF-8
        "SCT",  # identification: SEPA credit transfer
        bic,
        name,
        compact_iban,
        "EUR" + format_amount(amount),
        "",  # purpose code
        reference,  # structured remittance information (ISO 11649 creditor reference)
        text,  # unstructured remittance information
        information,  # beneficiary to originator information
    ]
    while not lines[-1]:
        lines.pop()
    payload = "\n".join(lines)
    size = len(payload.encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        raise ValueError(
            f"EPC QR code: the payload has {size} bytes in UTF-8,"
            f" at most {MAX_PAYLOAD_BYTES} are allowed; shorten the name or texts"
        )
    return payload


def format_amount(amount: Decimal) -> str:
    """`1500`, `12.5`, `0.01`: euro with a dot, at most two decimals, no trailing zeros.

    Raises:
        ValueError: The amount is not a number, out of 0.01..999999999.99, or has a
            fraction of a cent.
    """
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError(f"EPC QR code: the amount is not a finite Decimal: {amount!r}")
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise ValueError(
            f"EPC QR code: the amount must be from EUR {MIN_AMOUNT} to EUR {MAX_AMOUNT},"
            f" got {amount}"
        )
    cents = amount.quantize(_CENT)
    if cents != amount:
        raise ValueError(f"EPC QR code: the amount has a fraction of a cent: {amount}")
    return f"{cents:f}".rstrip("0").rstrip(".")


def _symbol(payload: str) -> segno.QRCode:
    """The QR code for `payload`: level M, byte mode in UTF-8, no ECI, at most version 13."""
    qr = segno.make(payload, error="m", encoding="utf-8", eci=False, micro=False, boost_error=False)
    if not isinstance(qr.version, int) or qr.version > MAX_QR_VERSION:
        raise ValueError(
            f"EPC QR code: the payload needs QR code {qr.designator},"
            f" at most version {MAX_QR_VERSION} is allowed"
        )
    return qr


def qr_svg_data_uri(payload: str, *, scale: int = 4, border: int = 4) -> str:
    """`data:image/svg+xml;base64,...`: the QR code as an SVG (no XML declaration).

    The SVG is `scale` pixels per module wide and high, with a quiet zone of `border`
    modules, and has a viewBox: set the printed size with CSS on the `<img>`.
    """
    qr = _symbol(payload)
    buffer = io.BytesIO()
    qr.save(
        buffer,
        kind="svg",
        scale=scale,
        border=border,
        xmldecl=False,
        nl=False,
        svgclass=None,
        lineclass=None,
    )
    width, height = qr.symbol_size(scale=scale, border=border)
    # Segno writes width and height only; a viewBox lets CSS scale the image.
    svg = buffer.getvalue().replace(b"<svg ", f'<svg viewBox="0 0 {width} {height}" '.encode(), 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def qr_png_bytes(payload: str, *, scale: int = 4, border: int = 4) -> bytes:
    """The QR code as a PNG: `scale` pixels per module, a quiet zone of `border` modules."""
    buffer = io.BytesIO()
    _symbol(payload).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()
