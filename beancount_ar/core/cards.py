"""Card numbers: find them in text and entries, mask them, and raise AR401.

    "card 4111 1111 1111 1111 12/28"  ->  "card **** **** **** 1111 12/28"
    2026-03-02 * "Acme Corp" "Paid by card 4111 1111 1111 1111"   ; AR401

A card number is a maximal run of digits (grouped by single spaces or dashes)
of 13-19 digits that passes the Luhn check, or, when the run ends in one more
short group (an expiry month, a CVV, an amount: `4111 1111 1111 1111 123`), the
run without it. A run of 20 or more digits is otherwise no card, and one that
follows a letter (an IBAN's, after its country code) never loses a group.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import chain, compress
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from beancount.core.data import ALL_DIRECTIVES, Custom, Directive, Transaction
from beancount.parser.grammar import ValueType

from beancount_ar.core.errors import ARError, ar_error

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Iterator

# A maximal run of digits, optionally grouped by single spaces or dashes.
_DIGIT_RUN = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,}(?![\d])")
_GROUP = re.compile(r"\d+")
_MIN_DIGITS = 13
_MAX_DIGITS = 19
_SHOWN = 4


def may_hold_text_card(text: str) -> bool:
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
    card = card_in_run(match.group(0), after_letter=start > 0 and text[start - 1].isalpha())
    if card is not None and _in_iban(text, start, start + len(card)):
        return None
    return card


# An IBAN: country, check digits, then up to 30 letters and digits, grouped by spaces.
_IBAN_LIKE = re.compile(r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}")
_SHORTEST_IBAN = 15


def _in_iban(text: str, start: int, end: int) -> bool:
    """Whether the digits at `start:end` are part of a valid IBAN (one in ten passes Luhn).

    `AT19 7848 5319 4130 0836` holds an 18-digit run with a valid Luhn sum: it
    is an account number, not a card. The candidate is cut back to each shorter
    length, since a word in capitals may follow the IBAN.
    """
    from stdnum import iban  # noqa: PLC0415 - see luhn_valid

    window = text[max(0, start - 40):end + 40].upper()
    offset = max(0, start - 40)
    for match in _IBAN_LIKE.finditer(window):
        if not (offset + match.start() <= start and end <= offset + match.end()):
            continue
        compact = match.group(0).replace(" ", "")
        covered = len(text[offset + match.start():end].replace(" ", ""))
        for length in range(len(compact), max(_SHORTEST_IBAN, covered) - 1, -1):
            if iban.is_valid(compact[:length]):
                return True
    return False


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



def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Decimal) and value == value.to_integral_value():
        yield str(abs(value.to_integral_value()))


def _meta_texts(meta: dict[str, Any] | None) -> Iterator[str]:
    for key, value in (meta or {}).items():
        if not key.startswith("__") and key not in ("filename", "lineno"):
            yield from _texts(value)


def entry_texts(entry: Directive) -> Iterator[str]:
    """Every piece of free text in an entry: payee, narration, comments, metadata."""
    yield from _meta_texts(entry.meta)
    for attribute in ("payee", "narration", "comment"):
        value = getattr(entry, attribute, None)
        if isinstance(value, str):
            yield value
    if isinstance(entry, Transaction):
        for posting in entry.postings:
            yield from _meta_texts(posting.meta)
    elif isinstance(entry, Custom):
        for value in entry.values or ():
            yield from _texts(value.value)


def _mask_any(value: object) -> object:
    if isinstance(value, str):
        return mask_cards(value)
    if isinstance(value, Decimal) and find_cards(next(_texts(value), "")):
        return mask(str(value))
    return value


def _mask_meta(meta: dict[str, Any] | None) -> dict[str, Any] | None:
    if meta is None:
        return None
    return {k: v if k.startswith("__") else _mask_any(v) for k, v in meta.items()}


def mask_entry(entry: Directive) -> Directive:
    """A copy of `entry` with every card number in its text masked."""
    changes: dict[str, Any] = {"meta": _mask_meta(entry.meta)}
    for attribute in ("payee", "narration", "comment"):
        value = getattr(entry, attribute, None)
        if isinstance(value, str):
            changes[attribute] = mask_cards(value)
    if isinstance(entry, Transaction):
        changes["postings"] = [p._replace(meta=_mask_meta(p.meta)) for p in entry.postings]
    elif isinstance(entry, Custom):
        values = [(v, _mask_any(v.value)) for v in entry.values or ()]
        changes["values"] = [  # a masked number is text now: say so to readers such as Fava
            ValueType(new, v.dtype if new is v.value else str) for v, new in values]
    return entry._replace(**changes)


_LARGEST_PLAIN = Decimal(10) ** (13 - 1)  # smaller whole numbers have too few digits


def _values_may_hold_card(values: Iterable[object]) -> bool:
    for value in values:
        kind = type(value)
        if (kind is str and may_hold_text_card(value)) or (  # type: ignore[arg-type]
            kind is Decimal and abs(value) >= _LARGEST_PLAIN  # type: ignore[arg-type]
        ):
            return True
    return False


def may_hold_card(entry: Directive) -> bool:
    """A fast first look over an entry's text; `has_card` gives the answer."""
    if _values_may_hold_card(entry.meta.values()):
        return True
    if isinstance(entry, Transaction):
        return _values_may_hold_card((entry.narration, entry.payee)) or any(
            _values_may_hold_card(p.meta.values()) for p in entry.postings if p.meta)
    if isinstance(entry, Custom):
        return _values_may_hold_card(v.value for v in entry.values or ())
    return _values_may_hold_card((getattr(entry, "comment", None),))


def has_card(entry: Directive) -> list[str]:
    """The card numbers written in an entry's text."""
    return [card for text in entry_texts(entry) for card in find_cards(text)]


_CHUNK = 256  # entries screened together; a chunk with a suspect is then read entry by entry
# The free text of each kind of entry Beancount makes, as `entry_texts` reads it.
_TEXT_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(field for field in ("payee", "narration", "comment") if field in kind._fields)
    for kind in ALL_DIRECTIVES
}
_WITH_TEXT = {kind for kind, fields in _TEXT_FIELDS.items() if fields} | {Transaction, Custom}
_PLAIN_KEYS = frozenset({"filename", "lineno", "__tolerances__"})
_META, _POSTINGS = attrgetter("meta"), attrgetter("postings")
_VALUES, _VALUE = attrgetter("values"), attrgetter("value")
_IS_TEXT, _IS_NUMBER = {str}.__contains__, {Decimal}.__contains__


def _zeros_table(separators: bytes) -> bytes:
    """A `bytes.translate` table: a digit to 0, one of `separators` to -, all else to x."""
    return bytes(ord("0") if byte in b"0123456789" else ord("-") if byte in separators
                 else ord("x") for byte in range(256))


_DIGITS_ONLY, _SEPARATED = _zeros_table(b""), _zeros_table(b" -")
_ASCII = bytes(range(128))
_ZEROS = b"0" * _MIN_DIGITS


def _may_hold_run(text: str) -> bool:
    """`may_hold_text_card` in a few passes over bytes, far cheaper than the regular expression."""
    data = text.encode(errors="surrogatepass")
    if not text.isascii():  # in UTF-8 each byte of a non-ASCII character reads as x above
        others = data.translate(None, _ASCII).decode(errors="surrogatepass")
        if _GROUP.search(others):
            return True  # a digit of another script, which `_DIGIT_RUN` reads as a digit
    if _ZEROS not in data.translate(_DIGITS_ONLY, b" -"):  # a first look, separators dropped
        return False
    # Once each pair of separators is an x and each single one is gone, 13 zeros in a row
    # are exactly a `_DIGIT_RUN`.
    return _ZEROS in data.translate(_SEPARATED).replace(b"--", b"x").translate(None, b"-")


def _extra_values(metas: Iterable[dict[str, Any]]) -> list[Any]:
    """The values of `metas`, less where each entry or posting was written and tolerances.

    Most metadata holds only those: its keys rule it out, no value is looked at.
    """
    return [meta[key] for meta in metas
            if len(meta) - ("__tolerances__" in meta) != 2  # noqa: PLR2004 - filename, lineno
            or "filename" not in meta or "lineno" not in meta
            for key in meta if key not in _PLAIN_KEYS]


def _chunk_values(chunk: list[Directive]) -> tuple[list[object], list[object]] | None:
    """The free text of `chunk`'s entries, and the values of their metadata that may be text.

    None for an entry of a kind Beancount does not make: only `entry_texts` knows its text.
    """
    kinds = list(map(type, chunk))
    present = set(kinds)
    if not present <= _TEXT_FIELDS.keys():
        return None
    texts: list[object] = []
    values = _extra_values(map(_META, chunk))
    for kind in present & _WITH_TEXT:
        of_kind = list(compress(chunk, map({kind}.__contains__, kinds)))
        for field in _TEXT_FIELDS[kind]:
            texts += filter(None, map(attrgetter(field), of_kind))
        if kind is Transaction:
            postings = chain.from_iterable(map(_POSTINGS, of_kind))
            values += _extra_values(filter(None, map(_META, postings)))
        elif kind is Custom:
            values += map(_VALUE, chain.from_iterable(filter(None, map(_VALUES, of_kind))))
    return texts, values


def _chunk_may_hold_card(chunk: list[Directive]) -> bool:
    """False only if no entry of `chunk` can hold a card: one look over all their text at once.

    True whenever `may_hold_card` is for one of the entries, and for whatever this look
    cannot read; `may_hold_card` and `has_card` then look entry by entry. The look is a
    few passes in C per chunk, where `may_hold_card` makes Python calls per string.
    """
    try:
        gathered = _chunk_values(chunk)
        if gathered is None:
            return True
        texts, values = gathered
        kinds = list(map(type, values))
        if any(issubclass(kind, (str, Decimal)) for kind in set(kinds) - {str, Decimal}):
            return True
        numbers: list[Any] = list(compress(values, map(_IS_NUMBER, kinds)))
        if numbers and (max(numbers) >= _LARGEST_PLAIN or min(numbers) <= -_LARGEST_PLAIN):
            return True
        texts += compress(values, map(_IS_TEXT, kinds))
        # A newline ends a run of digits: the text joined holds a run only where a string does.
        return _may_hold_run("\n".join(texts))  # type: ignore[arg-type]  # not text: TypeError
    except (AttributeError, LookupError, TypeError, ValueError, ArithmeticError):
        return True  # odd entries (no metadata, a NaN, ...): left to the exact look


def guard_cards(entries: list[Directive]) -> tuple[list[Directive], list[ARError]]:
    """Entries with card numbers masked, and an AR401 error for each entry that had one.

    The entries are screened a chunk at a time, in memory: only a chunk with a long run of
    digits somewhere is looked at entry by entry, in order.
    """
    out, errors = list(entries), []
    for start in range(0, len(entries), _CHUNK):
        chunk = entries[start:start + _CHUNK]
        if not _chunk_may_hold_card(chunk):
            continue
        for position, entry in enumerate(chunk, start):
            cards = has_card(entry) if may_hold_card(entry) else []
            if cards:
                masked = out[position] = mask_entry(entry)
                shown = ", ".join(mask(card) for card in cards)
                errors.append(ar_error(
                    "AR401", entry.meta, f"card number {shown} in the ledger; remove it (keep "
                    "only the last four digits) — card data must not be stored in the books",
                    masked))
    return out, errors


def mask_errors(errors: list[Any]) -> list[Any]:
    """Errors whose entries carry no card number, whichever check raised them."""
    out = []
    for error in errors:
        entry = getattr(error, "entry", None)
        if entry is not None and not isinstance(entry, list) and has_card(entry):
            error = error._replace(entry=mask_entry(entry))  # noqa: PLW2901
        out.append(error)
    return out


def text_card_errors(
    filename: str, pieces: Iterable[str], reported: Collection[tuple[str, int]]
) -> list[ARError]:
    """AR401 for each line of a file's text with a card number, unless already `reported`.

    Comments included: a comment is committed to git all the same. The text comes
    in `pieces` that each end at a line's end (the last may not), so a large file
    is never held whole; a piece with no long run of digits is passed over at once.
    """
    errors, first = [], 1
    for piece in pieces:
        lines = piece.splitlines()
        if _may_hold_run(piece):
            for lineno, line in enumerate(lines, start=first):
                cards = find_cards(line)
                if cards and (filename, lineno) not in reported:
                    shown = ", ".join(mask(card) for card in cards)
                    errors.append(ar_error(
                        "AR401", {"filename": filename, "lineno": lineno},
                        f"card number {shown} in the ledger's text (a comment is committed to "
                        "git all the same); remove it, keeping only the last four digits"))
        first += len(lines)
    return errors
