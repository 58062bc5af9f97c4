"""The ledger side of the matching bench: customers as a bank sees them, invoices, bank text.

    >>> parties = make_parties(random.Random(1), generator.customers)
    >>> customer_update(parties["acme-corp-0000"])   # the later ar-customer that adds them

Each generated customer gets an alias ``<core> <legal form>`` (a third also a
trading name ``<core> Group``) and one or two IBANs. Cores are unique except
for pairs: customer 10k+9 shares the core of 10k+8 under another legal form,
so a variant of that core that is neither alias names no one. One customer in
four moves to ``2/10 net 30``. Also here: the invoices still open when the
generated ledger ends (``open_at_end``, from the project's model), the new
November-December invoices, and the bank lines that are no receipts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from generate import END, EUR_REGION, iso, money

if TYPE_CHECKING:
    import random
    from collections.abc import Callable

    from generate import Customer, Generator

CORE_A = (
    "Novak", "Svoboda", "Cerny", "Prochazka", "Kucera", "Vesely", "Horak", "Nordwind",
    "Bluebird", "Elbe", "Morava", "Vltava", "Sumava", "Krkonose", "Danube", "Alpine",
    "Baltic", "Harbor", "Granite", "Linden", "Falken", "Adler", "Birke", "Rhein",
    "Tatra", "Beskydy", "Orlice", "Jizera", "Ohre", "Sazava",
)  # fmt: skip
CORE_B = (
    "Stavby", "Logistik", "Textil", "Media", "Foods", "Chemie", "Transport", "Robotics",
    "Tools", "Energie", "Pivovar", "Nabytek", "Software", "Metall", "Glas", "Papier",
    "Print", "Pharma", "Agro", "Solar", "Optik", "Elektro", "Keramik", "Holz",
    "Motors", "Plast", "Reisen", "Bau", "Design", "Hydraulik", "Medical", "Security",
    "Packaging", "Garden", "Sport", "Dental", "Audio", "Marine", "Vending", "Mlyn",
)  # fmt: skip
FORMS = ("Inc.", "Corp.", "Ltd", "LLC", "GmbH", "AG", "s.r.o.", "a.s.")
STRANGERS = (
    "Petra Mala", "Tomas Benes", "Eva Kralova", "Lukas Pokorny", "Anna Fischer",
    "Jonas Weber", "Maria Schmidt", "John Miller", "Orbital Paints Ltd",
    "Quantum Bakery GmbH", "Silverline s.r.o.", "Redwood Catering Inc.", "Meadow Dairy a.s.",
    "Copperfield Books LLC", "Zenith Optics AG",
)  # fmt: skip
BANK_PAYEES = ("PRICHOZI PLATBA", "SEPA CREDIT TRANSFER", "INCOMING TRANSFER", "Zahranicni platba")
IBAN_KEYS = ("iban", "counterparty-iban", "payer-account", "remote-iban")
DAYS = 61  # the receipts' days: 2026-11-01 .. 2026-12-31
COUNTRIES = {"USD": (("CZ", 20), ("GB", 14)), "EUR": (("DE", 18), ("AT", 16), ("SK", 20))}


def iban(country: str, bban: str) -> str:
    """A valid IBAN for ``bban``: its two check digits computed (ISO 13616, mod 97)."""
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def random_iban(rng: random.Random, currency: str) -> str:
    """A random valid IBAN of a country that pays in ``currency``, that AR401 lets through."""
    while True:
        country, length = rng.choice(COUNTRIES[currency])
        bban = "".join(rng.choice("0123456789") for _ in range(length))
        text = iban(country, "NWBK" + bban if country == "GB" else bban)
        if not looks_like_card(text):
            return text


def looks_like_card(text: str) -> bool:
    """Whether the card-number guard (AR401) would take the IBAN, compact or grouped, for one.

    An Austrian or British IBAN's 14-18 digit run passes the Luhn check one time in
    ten; the guard then fails the ledger, so such IBANs are drawn again.
    """
    from beancount_ar.core.cards import find_cards  # noqa: PLC0415 - only the IBANs need it

    return bool(find_cards(text) or find_cards(grouped(text)))


def grouped(text: str) -> str:
    """An IBAN in groups of four, as printed."""
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


class Lines(Protocol):
    """The part of a receipt that ``payer_lines`` fills in."""

    payee: str | None
    narration: str
    meta: list[tuple[str, str]]


@dataclass(slots=True)
class Party:
    """A customer with what the bank lines may carry of it."""

    cid: str
    name: str
    account: str
    currency: str
    core: str
    form: str
    aliases: tuple[str, ...]
    ibans: tuple[str, ...]
    shared: bool  # another customer's alias has the same core
    discount: bool  # on 2/10 net 30 from 2026-11-01
    taken: tuple[str, ...] = ()  # the legal forms of every alias with this core

    def invoice_cents(self, rng: random.Random) -> int:
        """A new invoice's total; a multiple of 50 cents under 2/10, so 2 % is whole cents."""
        cents = rng.randint(15_000, 2_500_000)
        return cents - cents % 50 if self.discount else cents

    def mistyped_iban(self, rng: random.Random) -> str:
        """One of its IBANs with one digit of the account changed: the checksum fails."""
        while True:
            text = rng.choice(self.ibans)
            at = rng.randrange(len(text) - 8, len(text))
            digit = rng.choice([d for d in "0123456789" if d != text[at]])
            typo = text[:at] + digit + text[at + 1:]
            if not looks_like_card(typo):
                return typo

    @staticmethod
    def stranger_iban(rng: random.Random) -> str:
        """A valid IBAN of nobody in the ledger."""
        return grouped(random_iban(rng, rng.choice(("USD", "EUR"))))


def make_parties(rng: random.Random, customers: list[Customer]) -> dict[str, Party]:
    """Aliases, IBANs and terms for the generator's customers, by id."""
    parties = {}
    for i, cust in enumerate(customers):
        k = i - 1 if i % 10 == 9 else i
        core = f"{CORE_A[k % len(CORE_A)]} {CORE_B[k // len(CORE_A) % len(CORE_B)]}"
        if k >= len(CORE_A) * len(CORE_B):
            core += f" {k // (len(CORE_A) * len(CORE_B)) + 1}"
        form = FORMS[i % len(FORMS)]
        aliases = (f"{core} {form}", *((f"{core} Group",) if i % 3 == 0 else ()))
        currency = cust.region[0]
        ibans = tuple(random_iban(rng, currency) for _ in range(2 if i % 4 == 0 else 1))
        shared = i % 10 in (8, 9) and (i % 10 == 9 or i + 1 < len(customers))
        parties[cust.cid] = Party(cust.cid, cust.name, cust.account, currency, core, form,
                                  aliases, ibans, shared, i % 4 == 1)
    forms: dict[str, set[str]] = {}
    for party in parties.values():
        forms.setdefault(party.core, set()).update(a.split()[-1] for a in party.aliases)
    for party in parties.values():
        party.taken = tuple(sorted(forms[party.core]))
    return parties


def customer_update(party: Party) -> str:
    """The later ``ar-customer`` giving the customer its aliases, IBANs and a wide credit line."""
    ibans = "; ".join(grouped(t) if n % 2 == 0 else t for n, t in enumerate(party.ibans))
    lines = [
        f'2026-11-01 custom "ar-customer" "{party.cid}"',
        f'  aliases: "{"; ".join(party.aliases)}"',
        f'  iban: "{ibans}"',
        f"  credit-limit: 100000000.00 {party.currency}",
    ]
    if party.discount:
        lines.append('  terms: "2/10 net 30"')
    return "\n".join(lines)


def invoice_text(party: Party, day: int, number: str, cents: int) -> str:
    """A new invoice of ``cents`` for ``party`` on ``day``, as the generator writes them."""
    tax_account = EUR_REGION[2] if party.currency == "EUR" else "Liabilities:SalesTax"
    tax = cents * 7 // 107
    month = "November" if iso(day)[5:7] == "11" else "December"
    return (f'{iso(day)} * "{party.name}" "Consulting, {month} 2026" ^{number} #invoice\n'
            f"  {party.account}  {money(cents)} {party.currency}\n"
            f"  Income:Consulting  {money(tax - cents)} {party.currency}\n"
            f"  {tax_account}  {money(-tax)} {party.currency}")


def spaced(rng: random.Random, text: str) -> str:
    """``text`` in another case or with runs of spaces, as bank lines garble names."""
    roll = rng.random()
    if roll < 0.3:
        return text.upper()
    if roll < 0.45:
        return text.lower()
    if roll < 0.65:
        return text.replace(" ", "  ", 1)
    return text


def name_variant(rng: random.Random, party: Party) -> str:
    """The customer's name or one of its aliases, exactly but for case and spaces."""
    return spaced(rng, rng.choice((party.name, *party.aliases)))


# Other ways of writing each legal form: a bank line may carry any of them.
SPELLINGS = {
    "Inc.": ("Inc", "INC.", "Incorporated"), "Corp.": ("Corp", "CORP", "Corporation"),
    "Ltd": ("Ltd.", "LTD", "Limited"), "LLC": ("L.L.C.", "llc"), "GmbH": ("GMBH", "G.m.b.H."),
    "AG": ("A.G.", "ag"), "s.r.o.": ("S.R.O.", "s. r. o.", "spol. s r.o."),
    "a.s.": ("A.S.", "a. s.", "as"),
}


def legal_variant(rng: random.Random, party: Party) -> str:
    """The core of its alias with no legal form or its own written otherwise (never exact)."""
    roll = rng.random()
    if roll < 0.35:
        return spaced(rng, party.core)
    if roll < 0.55 and not party.shared:
        return f"{party.core}, {party.form}"
    return spaced(rng, f"{party.core} {rng.choice(SPELLINGS[party.form])}")


def other_form(rng: random.Random, party: Party) -> str:
    """The core of its alias under a legal form no alias of that core has: another firm."""
    return spaced(rng, f"{party.core} {rng.choice([f for f in FORMS if f not in party.taken])}")


def unknown_payer(rng: random.Random) -> str:
    """A payer name no customer has."""
    return rng.choice(STRANGERS)


def payer_lines(rng: random.Random, receipt: Lines, party: Party, kind: str) -> None:
    """Payee, narration and metadata naming ``party`` the way ``kind`` needs (no reference)."""
    by_iban = kind == "iban-amount" or (
        kind not in ("name-amount", "legal-form", "legal-form-clash", "shared-core-exact",
                     "other-form")
        and rng.random() < 0.5)
    if by_iban:
        text = rng.choice(party.ibans)
        shown = rng.choice((grouped(text), text, text.lower(), grouped(text).lower()))
        receipt.meta.append((rng.choice(IBAN_KEYS), shown))
        receipt.payee = rng.choice((*BANK_PAYEES, *STRANGERS[:8], None))
        return
    if kind == "legal-form":
        name = legal_variant(rng, party)
    elif kind == "legal-form-clash":  # the shared core alone: either customer
        name = spaced(rng, party.core)
    elif kind == "other-form":
        name = other_form(rng, party)
    elif kind == "shared-core-exact":
        name = spaced(rng, party.aliases[0])
    else:
        name = name_variant(rng, party)
    if rng.random() < 0.2:
        receipt.payee, receipt.narration = None, name
    else:
        receipt.payee = name
        receipt.narration = rng.choice(("Payment", "Platba", "Transfer", "SEPA credit transfer"))


@dataclass(slots=True)
class Inv:
    """An invoice as the simulation tracks it: cents, open cents, discount (percent, days)."""

    number: str
    cid: str
    day: int
    total: int
    open: int
    discount: tuple[int, int] | None


def open_at_end(text: str, parties: dict[str, Party]) -> list[Inv]:
    """The generated ledger's invoices still open on its last day (the project's model)."""
    from beancount import loader  # noqa: PLC0415 - the generator itself needs no Beancount

    from beancount_ar.core.build import read_receivables  # noqa: PLC0415

    entries, errors, options = loader.load_string(text)
    if errors:
        raise ValueError(f"the generated ledger has {len(errors)} errors: {errors[0].message}")
    model = read_receivables(entries, options)
    result = []
    for inv in model.invoices.values():
        cents = int(inv.open_amount() * 100)
        terms = inv.terms
        disc = None
        if terms.discount_percent is not None and terms.discount_days is not None:
            disc = (int(terms.discount_percent), terms.discount_days)
            if Decimal(disc[0]) != terms.discount_percent:
                disc = None  # a fractional percent: never used by a clean discount receipt
        if cents > 0 and inv.customer in parties:
            result.append(Inv(inv.number, inv.customer, inv.date.toordinal(),
                              int(inv.amount * 100), cents, disc))
    return result


def fresh_invoices(rng: random.Random, gen: Generator, parties: dict[str, Party],
                   receipts: int) -> tuple[list[Inv], str]:
    """The customers' new details and the November-December invoices, as ledger text."""
    # Where --apply books the early-payment discounts (config `discount_account`'s default).
    blocks = ["2026-11-01 open Income:Discounts", *(customer_update(p) for p in parties.values())]
    per_party = max(2, round(0.9 * receipts / len(parties)))
    drafts: list[tuple[int, Party, int]] = []
    for party in parties.values():
        twin = rng.random() < 0.3
        last = 0
        for k in range(per_party):
            day = END + 2 * rng.randint(1, DAYS // 2)
            cents = last if twin and k == 1 else party.invoice_cents(rng)
            last = cents
            drafts.append((day, party, cents))
    drafts.sort(key=lambda d: (d[0], d[1].cid))
    seq = gen.seq.get(2026, 0)
    fresh = []
    for day, party, cents in drafts:
        seq += 1
        number = f"INV-2026-{seq:06d}"
        blocks.append(invoice_text(party, day, number, cents))
        disc = (2, 10) if party.discount else None
        fresh.append(Inv(number, party.cid, day, cents, cents, disc))
    return fresh, "\n" + "\n\n".join(blocks) + "\n"


def _fee(day: int, cents: int) -> list[str]:
    return [f'{iso(day)} * "Monthly account fee"',
            f"  Assets:Bank:Checking  {money(-cents)} USD",
            f"  Expenses:Bank:Fees  {money(cents)} USD"]


def _outgoing(day: int, cents: int) -> list[str]:
    return [f'{iso(day)} * "Orbital Paints Ltd" "Supplier payment"',
            f"  Assets:Bank:Checking  {money(-cents)} USD",
            f"  Income:Uncategorized  {money(cents)} USD"]


def _interest(day: int, cents: int) -> list[str]:
    return [f'{iso(day)} * "Credit interest"',
            f"  Assets:Bank:Euro  {money(cents)} EUR",
            f"  Income:Interest  {money(-cents)} EUR"]


# Bank lines that are no receipts: money out (even to the suspense account), or in to
# another income account than the suspense one. The matcher must not take them.
NOT_RECEIPT = "not-receipt"
OTHER_LINES: dict[str, Callable[[int, int], list[str]]] = {
    "fee": _fee, "outgoing": _outgoing, "interest": _interest}
