"""Locale formats (Babel) and the document catalogues."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from beancount_ar.documents.i18n import LOCALE_DIR, Formatter, known_locale, translations

if TYPE_CHECKING:
    from collections.abc import Iterable

    from babel.messages.catalog import Message

DAY = datetime.date(2026, 4, 14)
NBSP = "\u00a0"

MSGIDS = [
    "Invoice", "Statement of account", "Seller", "Bill to", "Invoice number", "Issue date",
    "Due date", "Terms", "Description", "Quantity", "Rate", "Amount", "Subtotal", "Tax",
    "Total", "Payments and credits", "Balance due", "Payment instructions", "Please pay to",
    "Payment reference", "Tax ID", "IBAN", "BIC", "Bank", "Email", "Phone", "Opening balance",
    "Closing balance", "Date", "Document", "Debit", "Credit", "Balance", "Aging", "current",
    "Net %(days)s days", "Due on receipt", "%(days)s days after the end of the month",
    "%(percent)s %% discount if paid by %(date)s", "Paid in full",
    "Thank you for your business.", "Scan to pay", "Period", "%(start)s \u2013 %(end)s",
    "as of %(date)s", "Payment", "Credit note", "Write-off", "Prepayment", "Adjustment",
    "Customer", "Invoice %(number)s", "Days overdue", "Open", "Unapplied credit",
    "Page [page] of [topage]", "Statement date", "Amount due", "Nothing is due.",
    "Your credit with us: %(amount)s.", "%(amount)s of it is overdue: please pay it now.",
    "Please pay %(amount)s by %(date)s.", "Please pay the remaining %(amount)s by %(date)s.",
    "Please pay %(amount)s.",
]  # fmt: skip


def test_czech_formats() -> None:
    cs = Formatter("cs_CZ")
    assert cs.money(Decimal("1500.00"), "CZK") == "1\u00a0500,00\u00a0Kč"
    assert cs.money(Decimal(1500), "CZK") == f"1{NBSP}500,00{NBSP}Kč"
    assert cs.money(Decimal("-12.5"), "EUR") == f"-12,50{NBSP}€"
    assert cs.date(DAY) == "14. 4. 2026"
    assert cs.long_date(DAY) == "14. dubna 2026"
    assert cs.number(Decimal("1234.5678")) == f"1{NBSP}234,5678"
    assert cs.percent(Decimal(21)) == f"21{NBSP}%"
    assert cs.percent(Decimal("2.5")) == f"2,5{NBSP}%"


def test_english_formats() -> None:
    en = Formatter("en_US")
    assert en.money(Decimal("1500.00"), "USD") == "$1,500.00"
    assert en.money(Decimal("1500.00"), "EUR") == "€1,500.00"
    assert en.date(DAY) == "Apr 14, 2026"
    assert en.long_date(DAY) == "April 14, 2026"
    assert en.number(Decimal("1234.5678")) == "1,234.5678"
    assert en.number(Decimal(2)) == "2"
    assert en.percent(Decimal(2)) == "2%"


def test_nothing_is_rounded() -> None:
    en = Formatter("en_US")
    assert en.money(Decimal("0.125"), "EUR") == "€0.125"
    assert en.money(Decimal(1500), "JPY") == "¥1,500"
    assert en.number(Decimal("0.0001")) == "0.0001"


def test_formatter_is_frozen_and_refuses_unknown_locales() -> None:
    en = Formatter("en_US")
    with pytest.raises(AttributeError):
        en.locale = "cs_CZ"  # type: ignore[misc]
    with pytest.raises(ValueError, match="unknown locale 'xx_YY'"):
        Formatter("xx_YY")


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("en_US", True),
        ("cs_CZ", True),
        ("de_DE", True),
        ("cs", True),
        ("xx_YY", False),
        ("", False),
        ("not a locale", False),
    ],
)
def test_known_locale(name: str, *, known: bool) -> None:
    assert known_locale(name) is known


def test_czech_translations() -> None:
    cs = translations("cs_CZ")
    assert isinstance(cs, Translations)
    assert cs.gettext("Invoice") == "Faktura"
    assert cs.gettext("Balance due") == "K úhradě"
    assert cs.gettext("Invoice %(number)s") % {"number": "2026-001"} == "Faktura 2026-001"
    discount = cs.gettext("%(percent)s %% discount if paid by %(date)s")
    filled = discount % {"percent": "2", "date": "24. 4. 2026"}
    assert filled == "Sleva 2 % při úhradě do 24. 4. 2026"
    assert translations("cs").gettext("Invoice") == "Faktura"


def test_english_and_unknown_languages_give_the_msgids() -> None:
    assert translations("en_US").gettext("Balance due") == "Balance due"
    german = translations("de_DE")
    assert isinstance(german, NullTranslations)
    assert not isinstance(german, Translations)
    assert german.gettext("Invoice") == "Invoice"
    assert german.ngettext("day", "days", 2) == "days"


@pytest.mark.parametrize("language", ["en", "cs"])
def test_catalogue_complete(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "beancount_ar.po").open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    assert [message.id for message in catalog if message.id] == MSGIDS
    assert list(catalog.check()) == []
    loaded = translations(language)
    for message in catalog:
        if not message.id:
            continue
        assert isinstance(message.id, str)
        placeholders = re.findall(r"%\(\w+\)s", message.id)
        assert ("python-format" in message.flags) is bool(placeholders)
        assert message.string
        assert sorted(re.findall(r"%\(\w+\)s", str(message.string))) == sorted(placeholders)
        assert loaded.gettext(message.id) == message.string
        if language == "en":
            assert message.string == message.id


def _messages(catalog: Iterable[Message]) -> dict[object, object]:
    return {message.id: message.string for message in catalog if message.id}


def test_committed_mo_files_match_the_po_files() -> None:
    # Compared as catalogues, not bytes: each Babel release writes its own header.
    import importlib.util

    script = LOCALE_DIR / "compile.py"
    spec = importlib.util.spec_from_file_location("compile_catalogues", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    po_files = module.catalogues()
    assert [path.parent.parent.name for path in po_files] == ["cs", "en"]
    for po_path in po_files:
        language = po_path.parent.parent.name
        with po_path.open("rb") as po_file:
            expected = _messages(read_po(po_file, locale=language))
        with po_path.with_suffix(".mo").open("rb") as mo_file:
            committed = _messages(read_mo(mo_file))
        assert committed == expected, f"{po_path.with_suffix('.mo')} is stale: run {script}"
        assert _messages(read_mo(io.BytesIO(module.compiled(po_path)))) == expected
