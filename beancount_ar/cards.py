"""Card numbers: find Luhn-valid runs of 13-19 digits in text and mask them."""

from __future__ import annotations

import re

from stdnum import luhn

# A maximal run of digits, optionally grouped by single spaces or dashes; the
# whole run must be 13-19 digits, so an IBAN's 20+ digits never match.
_DIGIT_RUN = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,}(?![\d])")
_MIN_DIGITS = 13
_MAX_DIGITS = 19
_SHOWN = 4


def may_hold_card(text: str) -> bool:
    """A fast first look: does `text` hold a run of 13 or more digits at all?"""
    return len(text) >= _MIN_DIGITS and _DIGIT_RUN.search(text) is not None


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum of a string of digits (python-stdnum's)."""
    return luhn.is_valid(digits)


def _is_card(run: str) -> bool:
    digits = run.replace(" ", "").replace("-", "")
    return _MIN_DIGITS <= len(digits) <= _MAX_DIGITS and luhn_valid(digits)


def find_cards(text: str) -> list[str]:
    """Every card number in `text`, as written."""
    if len(text) < _MIN_DIGITS:
        return []
    return [m.group(0) for m in _DIGIT_RUN.finditer(text) if _is_card(m.group(0))]


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
    return _DIGIT_RUN.sub(lambda m: mask(m.group(0)) if _is_card(m.group(0)) else m.group(0), text)


def mask_value(value: str, shown: int = _SHOWN) -> str:
    """A sensitive field shown by its last characters only: `••••5399`."""
    compact = value.replace(" ", "")
    return "••••" + compact[-shown:] if len(compact) > shown else "••••"
