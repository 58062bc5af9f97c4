"""What a bank receipt says about who paid and for what (AR-SPEC section 13).

    2026-03-02 * "ACME CORP." "Payment VS 20260042"
      iban: "CZ65 0800 0000 1920 0014 5399"
      Assets:Bank:Checking   1800.00 USD
      Income:Uncategorized

is a receipt of 1,800.00 USD: a transaction of an import file whose other leg
posts to the `suspense` account (default `Income:Uncategorized`) or is missing.
Its payer is named `ACME CORP.` with the IBAN `CZ6508000000192000145399`, and
it references `20260042`, the variable symbol of `INV-2026-0042`.

`read_receipts` picks the receipts out of an import file's entries; `Directory`
finds customers by IBAN or name and invoices by number or variable symbol.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from beancount.core.data import Transaction

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Iterator, Mapping

    from beancount_ar.core.config import ARConfig
    from beancount_ar.core.model import Receivables

ZERO = Decimal(0)
T = TypeVar("T")
_SKIPPED_META = frozenset({"filename", "lineno"})
# A token that may be an invoice number: Beancount's link characters, trimmed of
# the punctuation a sentence puts around it ("Invoice INV-2026-0042.").
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.]*[A-Za-z0-9]|[A-Za-z0-9]")
_DIGITS = re.compile(r"\d+")
# A variable symbol written as one: "VS 123", "VS:123", "v.s. 123", "var. symbol 123".
_MARKED_SYMBOL = re.compile(
    r"(?:\bv\.?\s?s\.?|variabiln[ií]\s+symbol|var\.?\s*symbol|variable\s+symbol)\s*[:#.]?\s*(\d+)",
    re.IGNORECASE)
_DECIMAL_PART = re.compile(r"\d*[.,]\d")
_SHORTEST_BARE_SYMBOL = 5  # digit runs shorter than this are only read when marked "VS"
_IBAN_LIKE = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{1,4}){3,8}\b")
# Legal forms, each with the one it is a way of writing: compared a second time,
# names match without them, as long as the forms agree ("ACME Corp." = "Acme
# Corporation" = "Acme", but "Acme Ltd" is another firm than "Acme Corp").
_LEGAL_FORMS = {
    "inc": "inc", "incorporated": "inc", "corp": "corp", "corporation": "corp",
    "co": "co", "company": "co", "ltd": "ltd", "limited": "ltd", "llc": "llc", "llp": "llp",
    "lp": "lp", "plc": "plc", "gmbh": "gmbh", "ag": "ag", "kg": "kg", "se": "se", "sa": "sa",
    "sas": "sas", "sarl": "sarl", "srl": "srl", "spa": "spa", "bv": "bv", "nv": "nv", "oy": "oy",
    "ab": "ab", "as": "as", "aps": "aps", "sro": "sro", "spol": "sro", "ks": "ks", "vos": "vos",
    "zs": "zs", "zoo": "spzoo", "sp": "spzoo",
}
_NAME_PUNCTUATION = re.compile(r"[.,&()\"'/]+")


@dataclass(frozen=True)
class Receipt:
    """Money received, as the bank line tells it, before it is applied."""

    entry: Transaction
    date: datetime.date
    amount: Decimal
    currency: str
    bank_account: str
    payer: str  # the payee, else the narration
    texts: tuple[str, ...]  # payee, narration and metadata values: where references stand
    ibans: tuple[str, ...]  # valid IBANs found, compact and upper case
    suspense_posting: int | None  # the index of the posting to replace, None when missing

    @property
    def line(self) -> int:
        """The receipt's line in its file."""
        return int(self.entry.meta.get("lineno", 0))


def read_receipts(entries: Iterable[Any], config: ARConfig) -> list[Receipt]:
    """The receipts among an import file's entries, in file order.

    A receipt has one posting of a positive amount to an account outside the
    receivables, and every other posting (if any) to the `suspense` account.
    """
    receipts = []
    for entry in entries:
        receipt = _receipt(entry, config)
        if receipt is not None:
            receipts.append(receipt)
    return receipts


def _receipt(entry: object, config: ARConfig) -> Receipt | None:
    if not isinstance(entry, Transaction):
        return None
    bank = [i for i, p in enumerate(entry.postings) if p.account != config.suspense]
    suspense = [i for i, p in enumerate(entry.postings) if p.account == config.suspense]
    if len(bank) != 1 or len(suspense) > 1:
        return None
    posting = entry.postings[bank[0]]
    units = posting.units
    number = getattr(units, "number", None)
    if (units is None or config.is_receivable(posting.account) or not isinstance(number, Decimal)
            or number <= ZERO or posting.cost is not None or posting.price is not None):
        return None
    values = [v for k, v in (entry.meta or {}).items() if k not in _SKIPPED_META]
    values += [v for k, v in (posting.meta or {}).items() if k not in _SKIPPED_META]
    texts = tuple(t for t in (entry.payee, entry.narration, *values) if isinstance(t, str) and t)
    return Receipt(entry, entry.date, number, units.currency, posting.account,
                   (entry.payee or entry.narration or "").strip(), texts, _ibans(texts),
                   suspense[0] if suspense else None)


def _ibans(texts: Iterable[str]) -> tuple[str, ...]:
    """The valid IBANs written in `texts` (a whole value, or within a sentence)."""
    from stdnum import iban  # noqa: PLC0415 - 30 ms to import; only matching needs it

    found: dict[str, None] = {}
    for text in texts:
        for candidate in (text, *(m.group(0) for m in _IBAN_LIKE.finditer(text.upper()))):
            compact = compact_iban(candidate)
            if len(compact) >= 15 and iban.is_valid(compact):  # noqa: PLR2004 - shortest IBAN
                found[compact] = None
    return tuple(found)


def compact_iban(text: str) -> str:
    """An IBAN as compared: without spaces, upper case."""
    return "".join(text.split()).upper()


def name_key(name: str) -> str:
    """A name as compared first: case ignored, runs of spaces as one."""
    return " ".join(name.casefold().split())


def core_name_key(name: str) -> tuple[str, frozenset[str]]:
    """A name as compared second: without punctuation and legal forms, and those forms.

    Trailing single letters join up, so `a.s.`, `a. s.` and `A.S.` read as `as`,
    `s.r.o.` as `sro`: `"Globex, spol. s r.o."` -> `("globex", {"sro"})`. Diacritics
    are dropped too.
    """
    # Banks often drop diacritics: "STROJIRNY NOVAK" is "Strojírny Novák".
    plain = "".join(c for c in unicodedata.normalize("NFKD", name.casefold())
                    if not unicodedata.combining(c))
    words = _NAME_PUNCTUATION.sub(" ", plain).split()
    initials = 0
    while initials < len(words) - 1 and len(words[-1 - initials]) == 1:
        initials += 1
    if initials > 1:
        words[-initials:] = ["".join(words[-initials:])]
    forms = set()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        forms.add(_LEGAL_FORMS[words.pop()])
    return " ".join(words), frozenset(forms)


def _symbol(number: str) -> str:
    """An invoice's variable symbol: the digits of its number, leading zeros dropped."""
    return "".join(_DIGITS.findall(number)).lstrip("0")


@dataclass(frozen=True)
class Directory:
    """Customers by IBAN and name, invoices by number and variable symbol."""

    by_iban: Mapping[str, frozenset[str]]
    by_name: Mapping[str, frozenset[str]]
    by_core_name: Mapping[str, frozenset[tuple[str, frozenset[str]]]]  # -> (customer, forms)
    by_number: Mapping[str, str]  # casefolded number -> number
    by_symbol: Mapping[str, frozenset[str]]

    def customer_by_iban(self, receipt: Receipt) -> str | None:
        """The one customer whose `iban` the payer's IBAN is."""
        found = {c for iban in receipt.ibans for c in self.by_iban.get(iban, ())}
        return next(iter(found)) if len(found) == 1 else None

    def customer_by_name(self, receipt: Receipt) -> tuple[str | None, bool]:
        """The one customer of the payer's name; True when found only without legal forms."""
        exact = self.by_name.get(name_key(receipt.payer), frozenset())
        if len(exact) == 1:
            return next(iter(exact)), False
        if exact:
            return None, False
        core, forms = core_name_key(receipt.payer)
        # A payer without a legal form may be any of them; one with a form, only that one.
        found = {customer for customer, known in self.by_core_name.get(core, frozenset())
                 if not forms or forms == known}
        return (next(iter(found)), True) if len(found) == 1 else (None, False)

    def references(self, receipt: Receipt) -> tuple[list[frozenset[str]], bool]:
        """The invoices the receipt names, in the order written; True if only by symbol.

        Each is a set: one variable symbol may be the digits of several invoices
        (`FA-2026-005` and `INV-2026-005`), which the matcher narrows down.
        """
        numbers: dict[str, None] = {}
        for text in receipt.texts:
            for token in _TOKEN.findall(text):
                # "INV-2026-0042/0043" reads as one token; its parts are tried too.
                for part in (token, *token.split("/")):
                    number = self.by_number.get(part.casefold())
                    if number is not None:
                        numbers[number] = None
                        break
        if numbers:
            return [frozenset({n}) for n in numbers], False
        symbols: dict[frozenset[str], None] = {}
        for symbol in self._symbols(receipt.texts):
            found = self.by_symbol.get(symbol.lstrip("0"))
            if found:
                symbols[found] = None
        return list(symbols), True

    @staticmethod
    def _symbols(texts: Iterable[str]) -> Iterator[str]:
        """Digit runs that may be variable symbols: marked "VS", a whole value, or long."""
        for text in texts:
            if text.isdigit():
                yield text
                continue
            yield from (m.group(1) for m in _MARKED_SYMBOL.finditer(text))
            for match in _DIGITS.finditer(text):
                before, after = text[match.start() - 1:match.start()], text[match.end():]
                if (len(match.group(0)) >= _SHORTEST_BARE_SYMBOL and not before.isalnum()
                        and not _DECIMAL_PART.match(after) and not after[:1].isalpha()):
                    yield match.group(0)


def directory(receivables: Receivables) -> Directory:
    """Index the customers (every version's `name`, `aliases`, `iban`) and the invoices."""
    by_iban: dict[str, set[str]] = {}
    by_name: dict[str, set[str]] = {}
    by_core: dict[str, set[tuple[str, frozenset[str]]]] = {}
    for customer in receivables.customers.values():
        for version in customer.versions:
            names = [version.name, *version.details.get("aliases", "").split(";")]
            for name in filter(str.strip, names):
                by_name.setdefault(name_key(name), set()).add(customer.id)
                core, forms = core_name_key(name)
                by_core.setdefault(core, set()).add((customer.id, forms))
            for iban in version.details.get("iban", "").split(";"):
                if iban.strip():
                    by_iban.setdefault(compact_iban(iban), set()).add(customer.id)
    by_symbol: dict[str, set[str]] = {}
    for number in receivables.invoices:
        symbol = _symbol(number)
        if symbol:
            by_symbol.setdefault(symbol, set()).add(number)
    return Directory(_frozen(by_iban), _frozen(by_name), _frozen(by_core),
                     {number.casefold(): number for number in receivables.invoices},
                     _frozen(by_symbol))


def _frozen(index: Mapping[str, set[T]]) -> dict[str, frozenset[T]]:
    return {key: frozenset(values) for key, values in index.items()}
