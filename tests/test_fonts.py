"""Names in any script print: Czech, Japanese and emoji, read back from the PDF.

Without a font that covers a script the engine draws nothing, and the Bill-to box of
an invoice to "株式会社テスト" comes out empty; `make install` installs Noto (Latin,
Czech, CJK) and Symbola (emoji), and the templates name them.

    .venv/bin/python -m pytest -q tests/test_fonts.py
"""

from __future__ import annotations

import subprocess
import textwrap
from typing import TYPE_CHECKING

import pytest
from doc_ledgers import bean_ar_ok, pdf_text, write_ledger

if TYPE_CHECKING:
    from pathlib import Path

NAME = "株式会社テスト"
ADDRESS = "東京都港区芝公園4-2-8 · Příliš žluťoučký kůň"
LINE = "コンサルティング"
EMOJI_NAME = "Sushi Bar 🍣"

LEDGER = textwrap.dedent(f"""\
    option "operating_currency" "USD"
    plugin "beancount_ar"

    2026-01-01 custom "ar-company" "Seed Consulting LLC"
      iban: "DE89 3704 0044 0532 0130 00"

    2026-01-01 open Assets:Bank:Checking
    2026-01-01 open Assets:Receivable:Tesuto
    2026-01-01 open Assets:Receivable:Sushi
    2026-01-01 open Income:Consulting

    2026-01-01 custom "ar-customer" "tesuto"
      name: "{NAME}"
      account: Assets:Receivable:Tesuto
      address: "{ADDRESS}"

    2026-01-01 custom "ar-customer" "sushi"
      name: "{EMOJI_NAME}"
      account: Assets:Receivable:Sushi

    2026-02-01 * "{NAME}" "{LINE}" ^INV-JP-1 #invoice
      Assets:Receivable:Tesuto   100.00 USD
      Income:Consulting         -100.00 USD

    2026-02-01 * "{EMOJI_NAME}" "Catering" ^INV-EMOJI-1 #invoice
      Assets:Receivable:Sushi    100.00 USD
      Income:Consulting         -100.00 USD
""")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_ledger(tmp_path_factory.mktemp("fonts"), LEDGER)


def invoice(ledger: Path, number: str) -> Path:
    pdf = ledger.with_name(f"{number}.pdf")
    bean_ar_ok("invoice", ledger, number, "--as-of", "2026-03-01", "-o", pdf)
    return pdf


def fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def test_a_japanese_name_prints_in_the_bill_to_box(ledger: Path) -> None:
    text = pdf_text(invoice(ledger, "INV-JP-1"), layout=False)
    bill_to = text[text.index("Bill to"):]
    assert bill_to.split("\n")[1].strip() == NAME
    assert ADDRESS.split(" · ")[1] in bill_to  # Czech diacritics in the same line
    assert LINE in text


def test_an_emoji_in_a_name_is_drawn_and_the_name_still_prints(ledger: Path) -> None:
    pdf = invoice(ledger, "INV-EMOJI-1")
    assert "Sushi Bar" in pdf_text(pdf)
    assert any(name in fonts(pdf) for name in ("Symbola", "NotoColorEmoji"))


def test_make_install_installs_the_fonts() -> None:
    for family in ("Noto Sans", "Noto Sans CJK JP", "Noto Color Emoji", "Symbola"):
        found = subprocess.run(["fc-list", family], capture_output=True, text=True,
                               check=True, timeout=60).stdout
        assert found.strip(), f"no {family} font: run make install"
