"""Card numbers written with what usually follows them: an expiry date, a CVV, an amount.

    2026-03-02 * "Acme Corp" "Paid by card 4111 1111 1111 1111 12/28"   ; AR401
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from beancount_ar.cli import main
from beancount_ar.core.cards import find_cards, mask_cards

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Loaded

CARD = "4111 1111 1111 1111"


@pytest.mark.parametrize(("text", "masked"), [
    ("card 4111 1111 1111 1111 12/28", "card **** **** **** 1111 12/28"),
    ("card 4111 1111 1111 1111 123", "card **** **** **** 1111 123"),
    ("4111111111111111 100% sure", "************1111 100% sure"),
    ("5555 5555 5555 4444 50% off", "**** **** **** 4444 50% off"),
    ("4111-1111-1111-1111-2028", "****-****-****-1111-2028"),
    ("card 4111 1111 1111 1111", "card **** **** **** 1111"),
])
def test_a_card_followed_by_a_short_group_is_found_and_masked(text: str, masked: str) -> None:
    assert len(find_cards(text)) == 1
    assert mask_cards(text) == masked


@pytest.mark.parametrize("text", [
    "CZ65 0800 0000 1920 0014 5399",  # an IBAN: its digits follow the country code
    "DE89 3704 0044 0532 0130 00",
    "1234 5678 9012 3456 7890 1234",  # 24 digits in groups of four: no card
    "4111 1111 1111 1112 12",  # Luhn-invalid either way
    "4111 1111 1111 1111 12345",  # the last group is too long to be a CVV or a month
])
def test_other_digit_runs_are_left_alone(text: str) -> None:
    assert find_cards(text) == []
    assert mask_cards(text) == text


def test_bean_check_reports_a_card_with_its_expiry_date(ledger: Callable[..., Loaded]) -> None:
    loaded = ledger(f"""
        2026-03-02 * "Acme Corp" "Paid by card {CARD} 12/28"  ; PAID
          Assets:Bank:Checking       100.00 USD
          Assets:Receivable:Acme    -100.00 USD
    """)
    errors = [e for e in loaded.errors if e.message.startswith("AR401")]
    assert [e.source["lineno"] for e in errors] == [loaded.line("; PAID")]
    assert "**** **** **** 1111" in errors[0].message
    assert CARD not in repr(loaded.entries)


def test_bean_ar_check_finds_a_card_with_its_cvv_in_a_comment(tmp_path: Path) -> None:
    path = tmp_path / "ledger.beancount"
    path.write_text(f'plugin "beancount_ar"\n; card {CARD} 123\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: AR401 card number **** **** **** 1111" in result.output
    assert CARD not in result.output
