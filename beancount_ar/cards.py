"""Card numbers: find Luhn-valid runs of 13-19 digits in text and mask them.

    "card 4111 1111 1111 1111 12/28"  ->  "card **** **** **** 1111 12/28"

A card number is a maximal run of digits (grouped by single spaces or dashes)
of 13-19 digits that passes the Luhn check, or, when the run ends in one more
short group (an expiry month, a CVV, an amount: `4111 1111 1111 1111 123`), the
run without it. A run of 20 or more digits is otherwise no card, and one that
follows a letter (an IBAN's, after its country code) never loses a group.
"""

from __future__ import annotations

import re

# A maximal run of digits, optionally grouped by single spaces or dashes.
_DIGIT_RUN = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,}(?![\d])")
_GROUP = re.compile(r"\d+")
_MIN_DIGITS = 13
_MAX_DIGITS = 19
_SHOWN = 4


def may_hold_card(text: str) -> bool:
    """A fast first look: does `text` hold a run of 13 or more digits at all?"""
    return len(text) >= _MIN_DIGITS and _DIGIT_RUN.search(text) is not None


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum of a string of digits (python-stdnum's)."""
    # Imported here: python-stdnum costs 30 ms to import, and most loads find no suspect.
    from stdnum import luhn  # noqa: PLC0415

    return luhn.is_valid(digits)


def _is_card(run: str) -> bool:
    digits = run.replace(" ", "").replace("-", "")
    return _MIN_DIGITS <= len(digits) <= _MAX_DIGITS and luhn_valid(digits)


_TRAILER = 4  # digits of the short group a card number may be followed by


def card_in_run(run: str, *, after_letter: bool = False) -> str | None:
    """The card number a digit run holds (the run, or the run less a short last group)."""
    if _is_card(run):
        return run
    if after_letter:
        return None
    groups = list(_GROUP.finditer(run))
    if len(groups) > 1 and len(groups[-1].group(0)) <= _TRAILER:
        head = run[:groups[-2].end()]
        if _is_card(head):
            return head
    return None


def _card_at(text: str, match: re.Match[str]) -> str | None:
    start = match.start()
    return card_in_run(match.group(0), after_letter=start > 0 and text[start - 1].isalpha())


def find_cards(text: str) -> list[str]:
    """Every card number in `text`, as written."""
    if len(text) < _MIN_DIGITS:
        return []
    found = (_card_at(text, m) for m in _DIGIT_RUN.finditer(text))
    return [card for card in found if card is not None]


def mask(card: str) -> str:
    """`4111 1111 1111 1111` -> `**** **** **** 1111`: all but the last four digits hidden."""
    hide = sum(c.isdigit() for c in card) - _SHOWN
    out = []
    for char in card:
        if char.isdigit() and hide > 0:
            out.append("*")
            hide -= 1
        else:
            out.append(char)
    return "".join(out)


def mask_cards(text: str) -> str:
    """`text` with every card number in it masked."""
    if len(text) < _MIN_DIGITS:
        return text

    def masked(match: re.Match[str]) -> str:
        run, card = match.group(0), _card_at(text, match)
        return run if card is None else mask(card) + run[len(card):]

    return _DIGIT_RUN.sub(masked, text)


def mask_value(value: str, shown: int = _SHOWN) -> str:
    """A sensitive field shown by its last characters only: `••••5399`."""
    compact = value.replace(" ", "")
    return "••••" + compact[-shown:] if len(compact) > shown else "••••"
