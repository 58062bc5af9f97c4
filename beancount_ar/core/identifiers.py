"""Bank and tax identifiers, checked with python-stdnum (no I/O).

    >>> iban_problem("CZ65 0800 0000 1920 0014 5399") is None
    True
    >>> iban_problem("CZ66 0800 0000 1920 0014 5399")
    "the number's checksum or check digit is invalid"
    >>> vat_problem("US-12-3456789") is None  # not in EU VAT form: a national tax id
    True
    >>> vat_problem("CZ12345679") is None, vat_problem("CZ12345678") is not None
    (True, True)
    >>> vat_problem("CZ12345678", checksum=False) is None, vat_problem("CZ1234", checksum=False)
    (True, 'the number has an invalid length')

A tax id is in EU VAT form when it starts with the two-letter prefix of a member
state (`CZ`, `DE`, `EL` for Greece, `XI` for Northern Ireland) followed by digits
(and, for some states, letters), separators aside: only those are checked, since
national tax numbers (`US-12-3456789`) have no checksum we could know.

`vat-id` is checked in full. `tax-id` is checked for its country's format and
length but not its check digit: the contract's own example (`tax-id:
"CZ12345678"`) fails the checksum, and ledgers written to the contract must load
clean. Write `vat-id` to have the check digit verified too.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stdnum.exceptions import ValidationError

__all__ = ["CHECKSUM_KEYS", "VAT_KEYS", "iban_problem", "is_vat_form", "vat_problem"]

VAT_KEYS = ("tax-id", "vat-id")
CHECKSUM_KEYS = frozenset({"vat-id"})  # see above: tax-id is checked without its check digit
_SEPARATORS = re.compile(r"[\s.\-/]")
_VAT_FORM = re.compile(r"[A-Z]{2}[0-9A-Z]*[0-9][0-9A-Z]*")


# python-stdnum is imported where a number is checked: importing it costs 30 ms
# (and a full garbage collection over the ledger when the plugins load), and a
# ledger writes an IBAN or VAT id on a handful of directives, if any.
@functools.cache
def _prefixes() -> frozenset[str]:
    from stdnum.eu import vat  # noqa: PLC0415 - see above

    return frozenset(state.upper() for state in vat.MEMBER_STATES) | {"EL"}


def iban_problem(value: str) -> str | None:
    """Why `value` is not a valid IBAN (country format and check digits), or None."""
    from stdnum import iban  # noqa: PLC0415 - see _prefixes
    from stdnum.exceptions import ValidationError  # noqa: PLC0415

    try:
        iban.validate(value)
    except ValidationError as error:
        return _reason(error)
    return None


def is_vat_form(value: str) -> bool:
    """Whether `value` is written as an EU VAT number: a member state's prefix and digits."""
    compact = _SEPARATORS.sub("", value).upper()
    return compact[:2] in _prefixes() and _VAT_FORM.fullmatch(compact) is not None


def vat_problem(value: str, *, checksum: bool = True) -> str | None:
    """Why `value`, written in EU VAT form, is not a valid VAT number; None otherwise.

    With `checksum=False` a wrong check digit alone is no problem.
    """
    if not is_vat_form(value):
        return None
    from stdnum.eu import vat  # noqa: PLC0415 - see _prefixes
    from stdnum.exceptions import InvalidChecksum, ValidationError  # noqa: PLC0415

    try:
        vat.validate(value)
    except InvalidChecksum as error:
        return _reason(error) if checksum else None
    except ValidationError as error:
        return _reason(error)
    return None



def _reason(error: ValidationError) -> str:
    """The validator's sentence as a clause: `the number's checksum ... is invalid`."""
    text = str(error).strip().rstrip(".")
    return text[:1].lower() + text[1:]
