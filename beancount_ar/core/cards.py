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

import bisect
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount.core.data import Custom, Directive, Transaction
from beancount.parser.grammar import ValueType

from beancount_ar.core.errors import ARError, ar_error

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Iterator, Mapping

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


_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_RUN = b"0" * 13


def suspect_lines(source: bytes) -> list[int]:
    """Line numbers (1-based, ascending) of a source file with 13 or more digits in a run.

    Spaces, dashes and commas (`4,111,...`) are dropped and every digit becomes
    `0`, so a plain substring search finds the runs: far faster than a regular expression
    over a large ledger. It finds more than cards (digits on either side of a
    space merge); what it finds only earns an entry a closer look.
    """
    squeezed = source.translate(_DIGITS_AS_ZERO, b" -,")
    lines = []
    start = squeezed.find(_RUN)
    while start >= 0:
        lines.append(squeezed.count(b"\n", 0, start) + 1)
        end = squeezed.find(b"\n", start)
        start = squeezed.find(_RUN, end) if end >= 0 else -1
    return lines


def _suspects(
    entries: list[Directive], sources: Mapping[str, list[int]]
) -> set[int]:
    """Positions of the entries worth a close look.

    `sources` maps each source file read to its `suspect_lines`. An entry from a
    file with none holds no card; an entry from a file not read (made by a
    plugin, or decrypted) is always looked at.
    """
    suspects = set()
    starts: dict[str, list[tuple[int, int]]] = {}
    for position, entry in enumerate(entries):
        filename = entry.meta.get("filename")
        lines = sources.get(filename) if isinstance(filename, str) else None
        if lines is None or not isinstance(filename, str):
            suspects.add(position)
        elif lines:
            starts.setdefault(filename, []).append((entry.meta.get("lineno", 0), position))
    for filename, located in starts.items():
        located.sort()
        first_lines = [lineno for lineno, _ in located]
        for line in sources[filename]:
            index = bisect.bisect_right(first_lines, line) - 1
            if index >= 0:  # the entry whose text runs over this line
                suspects.add(located[index][1])
    return suspects


def guard_cards(
    entries: list[Directive], sources: Mapping[str, list[int]] | None = None
) -> tuple[list[Directive], list[ARError]]:
    """Entries with card numbers masked, and an AR401 error for each entry that had one.

    With `sources` (see `_suspects`) only the entries near a long run of digits in
    their source file are looked at closely: a fast path for large ledgers.
    """
    if sources is None:
        suspects: Collection[int] = range(len(entries))
    else:
        suspects = _suspects(entries, sources)
    out, errors = list(entries), []
    for position in sorted(suspects):
        entry = entries[position]
        cards = has_card(entry) if may_hold_card(entry) else []
        if cards:
            masked = out[position] = mask_entry(entry)
            shown = ", ".join(mask(card) for card in cards)
            errors.append(ar_error(
                "AR401", entry.meta, f"card number {shown} in the ledger; remove it (keep only "
                "the last four digits) — card data must not be stored in the books", masked))
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
    filename: str, text: str, reported: Collection[tuple[str, int]]
) -> list[ARError]:
    """AR401 for each line of a file's `text` with a card number, unless already `reported`.

    Comments included: a comment is committed to git all the same.
    """
    errors = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        cards = find_cards(line)
        if cards and (filename, lineno) not in reported:
            shown = ", ".join(mask(card) for card in cards)
            errors.append(ar_error(
                "AR401", {"filename": filename, "lineno": lineno},
                f"card number {shown} in the ledger's text (a comment is committed to git "
                "all the same); remove it, keeping only the last four digits"))
    return errors
