"""Card numbers written with what usually follows them, and in ledgers of many entries.

    2026-03-02 * "Acme Corp" "Paid by card 4111 1111 1111 1111 12/28"   ; AR401

The guard screens the entries a chunk at a time (`CHUNK` of them) and reads entry by
entry only a chunk with a long run of digits: the ledgers below put cards at the edges
of chunks, in each place an entry holds text, and in none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from beancount_ar.cli import main
from beancount_ar.core import cards
from beancount_ar.core.cards import _CHUNK as CHUNK
from beancount_ar.core.cards import find_cards, guard_cards, mask_cards

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Loaded

    Ledger = Callable[..., Loaded]

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
    # IBANs whose digit runs pass the Luhn check (about one in ten Austrian or British ones):
    "AT19 7848 5319 4130 0836",
    "AT197848531941300836",
    "iban: at19 7848 5319 4130 0836 EUR",
    "GB82 WEST 1234 5698 7654 32",
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


# --- many entries: the guard's chunks -------------------------------------------------------

PLUGIN = 'plugin "beancount_ar.plugins.card_numbers"'
SPACED, DASHED, DIGITS = "**** **** **** 1111", "****-****-****-1111", "************1111"
OPEN = "2026-01-01 open Assets:Bank:Checking USD"


def message(masked: str) -> str:
    return (f"AR401 card number {masked} in the ledger; remove it (keep only the last four "
            "digits) — card data must not be stored in the books")


def sale(position: int, *, payee: str = "Shop", narration: str = "", meta: str = "",
         description: str = "") -> str:
    """The entry at `position` of `ledger_of`'s: a sale, its narration `Sale <position>`."""
    return "\n".join(line for line in (
        f'2026-01-02 * "{payee}" "Sale {position:04d} {narration}"',
        meta and f"  {meta}",
        "  Assets:Bank:Checking   19.99 USD",
        f'    description: "{description or f"{position} items, order 2026-{position:04d}"}"',
        "  Income:Sales",
    ) if line)


def ledger_of(count: int, special: dict[int, str] | None = None, *, plugin: bool = True) -> str:
    """A ledger of `count` entries (two opens, then sales), `special` ones in their place."""
    blocks = [OPEN, "2026-01-01 open Income:Sales USD"]
    blocks += [sale(position) for position in range(2, count)]
    for position, block in (special or {}).items():
        blocks[position] = block
    return "\n\n".join([PLUGIN, *blocks] if plugin else blocks)


def card_errors(loaded: Loaded) -> list[tuple[int, str]]:
    return [(e.source["lineno"], e.message) for e in loaded.errors
            if e.message.startswith("AR401")]


def test_cards_in_the_first_and_last_entry_of_chunks_are_each_reported(ledger: Ledger) -> None:
    count = 3 * CHUNK + 5
    loaded = ledger(ledger_of(count, {
        0: f'{OPEN}\n  card: "{CARD}"',  # the ledger's first entry
        CHUNK - 1: sale(CHUNK - 1, narration=f"card {CARD}"),
        CHUNK: sale(CHUNK, payee=f"Card {CARD}"),
        count - 1: sale(count - 1, narration=f"card {CARD}"),  # the ledger's last entry
    }), header=False)
    assert card_errors(loaded) == [
        (loaded.line(OPEN), message(SPACED)),
        (loaded.line(f"Sale {CHUNK - 1:04d}"), message(SPACED)),
        (loaded.line(f"Sale {CHUNK:04d}"), message(SPACED)),
        (loaded.line(f"Sale {count - 1:04d}"), message(SPACED)),
    ]
    assert CARD not in repr(loaded.entries)


def test_cards_in_several_chunks_are_reported_in_the_ledger_order(ledger: Ledger) -> None:
    loaded = ledger(ledger_of(4 * CHUNK, {
        3 * CHUNK + 7: sale(3 * CHUNK + 7, narration=f"card {CARD}"),
        5: sale(5, narration=f"card {CARD}"),
        9: sale(9, meta="card: 5555555555554444"),
        CHUNK + 3: sale(CHUNK + 3, description=f"charged to {CARD.replace(' ', '-')}"),
    }), header=False)
    assert card_errors(loaded) == [
        (loaded.line("Sale 0005"), message(SPACED)),
        (loaded.line("Sale 0009"), message("************4444")),
        (loaded.line(f"Sale {CHUNK + 3:04d}"), message(DASHED)),
        (loaded.line(f"Sale {3 * CHUNK + 7:04d}"), message(SPACED)),
    ]


ALONE = CHUNK + 7  # in the second chunk of three


@pytest.mark.parametrize(("block", "masked"), [
    pytest.param(sale(ALONE, description=f"charged to {CARD.replace(' ', '-')}"), DASHED,
                 id="posting-metadata"),
    pytest.param(f'2026-01-02 custom "card-on-file" "Sale {ALONE:04d}" "{CARD}"', SPACED,
                 id="custom-value"),
    pytest.param(f'2026-01-02 custom "card-on-file" "Sale {ALONE:04d}" {CARD.replace(" ", "")}',
                 DIGITS, id="custom-number"),
    pytest.param(sale(ALONE, meta=f"card: {CARD.replace(' ', '')}"), DIGITS,
                 id="number-metadata"),
    pytest.param(f'2026-01-02 note Assets:Bank:Checking "Sale {ALONE:04d}: card {CARD}"', SPACED,
                 id="note-comment"),
])
def test_a_card_in_one_place_of_a_long_ledger_is_found(
        ledger: Ledger, block: str, masked: str) -> None:
    loaded = ledger(ledger_of(3 * CHUNK, {ALONE: block}), header=False)
    assert card_errors(loaded) == [(loaded.line(f"Sale {ALONE:04d}"), message(masked))]
    assert CARD.replace(" ", "") not in repr(loaded.entries)
    assert CARD not in repr(loaded.entries)


def test_strings_that_make_a_card_only_glued_together_are_no_card(ledger: Ledger) -> None:
    head, tail = "ref 4111 1111 1111", "1111 paid"
    assert find_cards(head + tail)
    assert find_cards(f"{head} {tail}")
    assert not find_cards(head)
    assert not find_cards(tail)
    loaded = ledger(ledger_of(2 * CHUNK, {
        10: sale(10, narration=head),  # narrations of neighbouring entries
        11: sale(11, narration=tail),
        12: sale(12, payee=head, narration=tail),
        13: sale(13, description=head),  # postings' metadata of neighbouring entries
        14: sale(14, description=tail),
        15: sale(15, meta=f'reference: "{head}"\n  note: "{tail}"'),
        CHUNK - 1: sale(CHUNK - 1, narration=head),  # either side of a chunk's edge
        CHUNK: sale(CHUNK, narration=tail),
    }), header=False)
    assert card_errors(loaded) == []


def test_a_long_ledger_without_cards_has_no_error(ledger: Ledger) -> None:
    loaded = ledger(ledger_of(3 * CHUNK + 1), header=False)
    assert len(loaded.entries) == 3 * CHUNK + 1
    assert card_errors(loaded) == []


def test_entries_without_a_card_are_passed_on_as_the_very_same_objects(ledger: Ledger) -> None:
    text = ledger_of(2 * CHUNK + 3, {CHUNK + 1: sale(CHUNK + 1, narration=f"card {CARD}")},
                     plugin=False)
    loaded = ledger(text, header=False)
    assert loaded.errors == []
    out, errors = guard_cards(loaded.entries)
    assert len(errors) == 1
    pairs = enumerate(zip(out, loaded.entries, strict=True))
    assert all(new is old for position, (new, old) in pairs if position != CHUNK + 1)
    assert getattr(out[CHUNK + 1], "narration", None) == f"Sale {CHUNK + 1:04d} card {SPACED}"

    card_free = ledger(ledger_of(2 * CHUNK + 3, plugin=False), header=False).entries
    out, errors = guard_cards(card_free)
    assert errors == []
    assert all(new is old for new, old in zip(out, card_free, strict=True))


def test_only_the_chunk_holding_a_card_is_read_entry_by_entry(
        ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ledger_of(3 * CHUNK, {CHUNK + 5: sale(CHUNK + 5, description=f"card {CARD}")},
                     plugin=False)
    ledger_entries = ledger(text, header=False).entries
    read = []

    def may_hold_card(entry: object) -> bool:
        read.append(entry)
        return True

    monkeypatch.setattr(cards, "may_hold_card", may_hold_card)
    _, errors = guard_cards(ledger_entries)
    assert len(errors) == 1
    assert read == ledger_entries[CHUNK:2 * CHUNK]
