"""Labelled bank receipts for `bean-ar match`: a generated ledger, its receipts, their labels.

    >>> bench = build(invoices=4000, receipts=600, seed=1)
    >>> paths = bench.write(Path("/tmp/match"))   # ledger, receipts and labels.json

The ledger is ``generate.py``'s (same text) plus, after its last day
(2026-10-31), one ``ar-customer`` per customer adding ``aliases``, ``iban``, a
large credit line and, for one in four, ``terms: "2/10 net 30"``, and fresh
invoices in November and December (even days after 2026-10-31). The receipts
fall on the odd days, so no invoice is ever dated on a receipt's day. Each
receipt is drawn to be one *kind* (``KINDS``, with its share); its label is what
AR-SPEC section 13 says the matcher must do, worked out on a running state of
the open invoices (the model's open amounts on 2026-10-31, then every earlier
receipt applied). Amount-only receipts are built *clean*: their amount fits
exactly the case they stand for and no other (no second single, set or
discount), so a label never depends on the order of the rules.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generate import END, EUR_REGION, Generator, header, iso, money
from receipts_parties import (
    DAYS,
    NOT_RECEIPT,
    OTHER_LINES,
    Inv,
    Party,
    fresh_invoices,
    make_parties,
    name_variant,
    open_at_end,
    payer_lines,
    unknown_payer,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

# kind, share of the receipts, what it is
KINDS: tuple[tuple[str, float, str], ...] = (
    ("ref-narration", 0.20, "invoice number in the narration (any case)"),
    ("ref-payee", 0.02, "invoice number in the payee"),
    ("ref-meta", 0.07, "invoice number in a metadata value"),
    ("ref-third-party", 0.02, "invoice number, paid by someone else"),
    ("ref-partial", 0.03, "invoice number, part of the open amount"),
    ("ref-overpay", 0.01, "invoice number, more than the open amount"),
    ("ref-multi", 0.02, "two or three invoice numbers"),
    ("vs-narration", 0.09, "Czech variable symbol in the narration"),
    ("vs-meta", 0.05, "variable symbol as `vs` metadata"),
    ("iban-amount", 0.12, "payer's IBAN, amount of one open invoice"),
    ("name-amount", 0.10, "payer's name or alias (case, spaces), amount of one invoice"),
    ("legal-form", 0.04, "name with no legal form or its own written otherwise, core unique"),
    ("other-form", 0.01, "name's core under another legal form: another firm, left alone"),
    ("shared-core-exact", 0.01, "exact alias whose core another customer shares"),
    ("legal-form-clash", 0.015, "a shared core without a legal form: unknown payer"),
    ("set", 0.04, "amount of a unique set of 2-3 open invoices"),
    ("discount", 0.03, "invoice less 2 %, within the discount days"),
    ("discount-late", 0.01, "invoice less 2 %, too late: on account"),
    ("remainder", 0.015, "the rest of a part-paid invoice, no reference"),
    ("partial", 0.03, "part of an invoice, no reference: on account"),
    ("ambiguous", 0.03, "amount of two open invoices equally: on account"),
    ("unknown", 0.05, "unknown payer (name, IBAN or a mistyped one): left alone"),
)
NO_LINK = frozenset({"legal-form-clash", "other-form", "discount-late", "partial", "ambiguous",
                     "unknown"})
MAX_OPEN = 14  # amount-only receipts go to customers with at most this many open invoices


@dataclass(slots=True)
class Receipt:
    """One bank line and what the matcher must make of it."""

    day: int
    kind: str
    party: Party | None  # whose bank line it is (None: a stranger)
    amount: int
    narration: str
    payee: str | None = None
    meta: list[tuple[str, str]] = field(default_factory=list)
    customer: str | None = None
    links: list[tuple[str, int]] = field(default_factory=list)
    discounts: list[tuple[str, int]] = field(default_factory=list)
    leg: str = "amount"  # amount | auto | none: how the Income:Uncategorized leg is written

    def label(self, line: int, currency: str) -> dict[str, object]:
        """The receipt's label as labels.json holds it."""
        on_account = self.amount - sum(c for _, c in self.links) if self.customer else 0
        return {"line": line, "kind": self.kind, "date": iso(self.day), "currency": currency,
                "amount": money(self.amount), "customer": self.customer,
                "invoices": [{"invoice": n, "amount": money(c)} for n, c in self.links],
                "discounts": [{"invoice": n, "amount": money(c)} for n, c in self.discounts],
                "on_account": money(on_account)}


class State:
    """The open invoices as the matcher sees them, receipt after receipt."""

    def __init__(self, invoices: list[Inv]) -> None:
        """Index ``invoices`` by number and by customer."""
        self.invoices = {inv.number: inv for inv in invoices}
        self.by_customer: dict[str, list[Inv]] = {}
        for inv in sorted(invoices, key=lambda i: (i.day, i.number)):
            self.by_customer.setdefault(inv.cid, []).append(inv)

    def open_on(self, cid: str, day: int) -> list[Inv]:
        """The customer's invoices issued before ``day`` and not settled yet."""
        return [i for i in self.by_customer.get(cid, ()) if i.day < day and i.open > 0]

    def all_open(self, day: int) -> list[Inv]:
        """Every open invoice issued before ``day``."""
        return [i for i in self.invoices.values() if i.day < day and i.open > 0]

    def fits(self, cid: str, day: int, amount: int) -> tuple[int, int, int]:
        """How many single invoices, sets (2 or more) and discounted invoices ``amount`` fits."""
        open_ = self.open_on(cid, day)
        singles = sum(1 for i in open_ if i.open == amount)
        sums: dict[int, int] = {0: 1}  # subset sum -> number of subsets (sums above amount cut)
        for inv in open_:
            for total, count in list(sums.items()):
                if total + inv.open <= amount:
                    sums[total + inv.open] = min(sums.get(total + inv.open, 0) + count, 9)
        discounted = sum(1 for i in open_ if i.discount and day <= i.day + i.discount[1]
                         and amount in discount_prices(i))
        return singles, sums.get(amount, 0) - singles, discounted


def discount_prices(inv: Inv) -> set[int]:
    """The amounts that pay ``inv`` less its discount, under any rounding of the cent."""
    exact = inv.open * (inv.discount[0] if inv.discount else 0)
    return {inv.open - exact // 100, inv.open - (exact + 99) // 100, inv.open - (exact + 50) // 100}


def settle(receipt: Receipt, targets: list[Inv], *, cap: bool = True) -> Receipt:
    """Label ``receipt`` as paying ``targets`` in order (each up to its open amount)."""
    left = receipt.amount
    receipt.customer = targets[0].cid
    for inv in targets:
        paid = min(left, inv.open) if cap else inv.open
        receipt.links.append((inv.number, paid))
        inv.open -= paid
        left -= paid
    return receipt


class Builder:
    """Draws receipts of each kind against the running state."""

    def __init__(self, rng: random.Random, state: State, parties: dict[str, Party]) -> None:
        """Keep the random stream, the open invoices and the customers by id."""
        self.rng = rng
        self.state = state
        self.parties = parties

    def small(self, day: int, pick: Callable[[Party], bool] = lambda _: True) -> list[Party]:
        """Customers picked by ``pick`` with 1..MAX_OPEN open invoices on ``day``."""
        return [p for p in self.parties.values()
                if pick(p) and 0 < len(self.state.open_on(p.cid, day)) <= MAX_OPEN]

    def reference(self, day: int, kind: str) -> Receipt | None:
        """A receipt quoting one invoice's number or variable symbol."""
        rng = self.rng
        open_ = self.state.all_open(day)
        if not open_:
            return None
        inv = rng.choice(open_)
        party = self.parties[inv.cid]
        amount = inv.open
        if kind == "ref-partial":
            amount = max(1, inv.open * rng.randint(20, 80) // 100)
        elif kind == "ref-overpay":
            amount = inv.open + rng.randint(100, 5000)
        receipt = Receipt(day, kind, party, amount, "Payment")
        number = inv.number if rng.random() < 0.7 else inv.number.lower()
        vs = inv.number.replace("INV-", "").replace("-", "")
        vs = "0" * rng.choice((0, 0, 0, 1, 2)) + vs
        if kind == "ref-payee":
            receipt.payee = f"{party.name} {number}"
        elif kind == "ref-meta":
            key = rng.choice(("ref", "remittance", "end-to-end-id"))
            receipt.meta.append((key, number if key != "remittance" else f"Invoice {number}"))
        elif kind == "vs-narration":
            receipt.narration = rng.choice(("VS {}", "VS:{}", "Úhrada faktury VS {}")).format(vs)
        elif kind == "vs-meta":
            receipt.meta.append(("vs", vs))
        else:
            phrase = rng.choice(("Invoice {}", "Payment for {}, thank you", "{}", "Inv. {}"))
            receipt.narration = phrase.format(number)
        if kind == "ref-third-party":
            receipt.payee = unknown_payer(rng)
            receipt.party = None
        elif receipt.payee is None:
            receipt.payee = name_variant(rng, party) if rng.random() < 0.8 else None
        return settle(receipt, [inv])

    def multi(self, day: int, _: str) -> Receipt | None:
        """A receipt quoting two or three invoices of one customer, their open amounts."""
        rng = self.rng
        parties = [p for p in self.parties.values() if len(self.state.open_on(p.cid, day)) >= 2]
        if not parties:
            return None
        party = rng.choice(parties)
        open_ = self.state.open_on(party.cid, day)
        targets = rng.sample(open_, min(len(open_), rng.choice((2, 2, 3))))
        numbers = ", ".join(i.number for i in targets)
        receipt = Receipt(day, "ref-multi", party, sum(i.open for i in targets),
                          f"Invoices {numbers}", payee=name_variant(rng, party))
        return settle(receipt, targets)

    def by_amount(self, day: int, kind: str) -> Receipt | None:
        """A receipt with no reference: the payer by IBAN or name, the amount decides."""
        rng = self.rng
        pick: Callable[[Party], bool] = lambda _: True  # noqa: E731
        if kind in ("shared-core-exact", "legal-form-clash"):
            pick = lambda p: p.shared  # noqa: E731
        elif kind in ("legal-form", "other-form"):
            pick = lambda p: not p.shared  # noqa: E731
        elif kind in ("discount", "discount-late"):
            pick = lambda p: p.discount  # noqa: E731
        parties = self.small(day, pick)
        rng.shuffle(parties)
        for party in parties[:8]:
            found = self.amount_for(party, day, kind)
            if found is not None:
                amount, targets = found
                receipt = Receipt(day, kind, party, amount, "Payment")
                payer_lines(rng, receipt, party, kind)
                if kind in NO_LINK:
                    receipt.customer = (None if kind in ("legal-form-clash", "other-form")
                                        else party.cid)
                    return receipt
                if kind == "discount":
                    inv = targets[0]
                    receipt.discounts.append((inv.number, inv.open - amount))
                    receipt.customer = party.cid
                    receipt.links.append((inv.number, amount))
                    inv.open = 0
                    return receipt
                return settle(receipt, targets, cap=False)
        return None

    def amount_for(self, party: Party, day: int, kind: str) -> tuple[int, list[Inv]] | None:
        """An amount of ``kind`` for ``party`` on ``day`` fitting nothing else; its invoices."""
        open_ = self.state.open_on(party.cid, day)
        for _ in range(4):
            drawn = self.draw(open_, day, kind)
            if drawn is None:
                return None
            amount, targets, want = drawn
            if amount > 0 and self.state.fits(party.cid, day, amount) == want:
                return amount, targets
        return None

    def draw(self, open_: list[Inv], day: int,  # noqa: PLR0911 - one return per kind
             kind: str) -> tuple[int, list[Inv], tuple[int, int, int]] | None:
        """A candidate amount, its invoices, what it must fit (singles, sets, discounts)."""
        rng = self.rng
        target = rng.choice(open_)
        if kind == "set":
            if len(open_) < 2:
                return None
            targets = rng.sample(open_, min(len(open_), rng.choice((2, 2, 3))))
            return sum(i.open for i in targets), targets, (0, 1, 0)
        if kind in ("discount", "discount-late"):
            amount, want = self.discounted(target, day, kind)
            return amount, [target], want
        if kind == "remainder":
            part_paid = [i for i in open_ if i.open < i.total]
            return (part_paid[0].open, part_paid[:1], (1, 0, 0)) if part_paid else None
        if kind == "partial":
            return max(1, target.open * rng.randint(20, 80) // 100), [target], (0, 0, 0)
        if kind == "ambiguous":
            twins = [i for i in open_ if sum(j.open == i.open for j in open_) > 1]
            if not twins:
                return None
            return twins[0].open, [], (sum(j.open == twins[0].open for j in open_), 0, 0)
        return target.open, [target], (1, 0, 0)

    def discounted(self, inv: Inv, day: int, kind: str) -> tuple[int, tuple[int, int, int]]:
        """The invoice less its discount, and what it fits: 1 discount in time, 0 if late."""
        if not inv.discount or inv.open != inv.total or (inv.open * inv.discount[0]) % 100:
            return 0, (0, 0, 0)
        in_time = day <= inv.day + inv.discount[1]
        if in_time != (kind == "discount"):
            return 0, (0, 0, 0)
        return inv.open - inv.open * inv.discount[0] // 100, (0, 0, 1 if in_time else 0)

    def stranger(self, day: int, _: str) -> Receipt:
        """A payer the ledger does not know; now and then the amount of someone's invoice."""
        rng = self.rng
        open_ = self.state.all_open(day)
        amount = rng.choice(open_).open if open_ and rng.random() < 0.4 else rng.randint(
            1000, 900_000)
        receipt = Receipt(day, "unknown", None, amount, rng.choice(("Payment", "Platba")),
                          payee=unknown_payer(rng))
        parties = list(self.parties.values())
        roll = rng.random()
        if roll < 0.3:
            receipt.meta.append(("iban", rng.choice(parties).mistyped_iban(rng)))
        elif roll < 0.6:
            receipt.meta.append(("iban", Party.stranger_iban(rng)))
        return receipt

    def make(self, day: int, kind: str) -> Receipt | None:
        """A receipt of ``kind`` on ``day``, or None when the state has nothing for it."""
        if kind.startswith(("ref-", "vs-")):
            return self.multi(day, kind) if kind == "ref-multi" else self.reference(day, kind)
        if kind == "unknown":
            return self.stranger(day, kind)
        return self.by_amount(day, kind)


def quotas(n: int) -> list[str]:
    """``n`` kinds in their shares (largest remainder), every kind at least once when n allows."""
    raw = [(kind, share * n) for kind, share, _ in KINDS]
    counts = {kind: max(1 if n >= len(KINDS) else 0, int(x)) for kind, x in raw}
    for kind, x in sorted(raw, key=lambda kx: kx[1] - int(kx[1]), reverse=True):
        if sum(counts.values()) >= n:
            break
        counts[kind] += 1 if counts[kind] == int(x) else 0
    while sum(counts.values()) < n:
        counts["ref-narration"] += 1
    while sum(counts.values()) > n:
        counts[max(counts, key=counts.__getitem__)] -= 1
    return [kind for kind, count in counts.items() for _ in range(count)]


@dataclass
class Bench:
    """The ledger text, the receipts and the parties, ready to write."""

    ledger: str
    receipts: list[Receipt]
    parties: dict[str, Party]
    shortfall: dict[str, int]

    def write(self, folder: Path) -> tuple[Path, Path, Path]:
        """Write ledger.beancount, receipts.beancount and labels.json into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        ledger, receipts, labels = (folder / "ledger.beancount", folder / "receipts.beancount",
                                    folder / "labels.json")
        ledger.write_text(self.ledger, encoding="utf-8")
        text, rows, others = render_receipts(self.receipts, self.parties)
        receipts.write_text(text, encoding="utf-8")
        kinds = {kind: what for kind, _, what in KINDS}
        data = {"kinds": kinds, "receipts": rows, "not_receipts": others}
        labels.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        return ledger, receipts, labels


def render_receipts(receipts: list[Receipt], parties: dict[str, Party],
                    ) -> tuple[str, list[dict[str, object]], list[int]]:
    """The import file, each receipt's label with its line, the lines of the other entries."""
    lines = ["; bank lines to match: generated by bench/receipts.py", ""]
    labels, others = [], []
    for receipt in receipts:
        if receipt.kind == NOT_RECEIPT:
            others.append(len(lines) + 1)
            lines += [*OTHER_LINES[receipt.leg](receipt.day, receipt.amount), ""]
            continue
        party = receipt.party or parties.get(receipt.customer or "")
        euro = (party.currency if party else "USD") == "EUR"
        currency, bank = ("EUR", EUR_REGION[1]) if euro else ("USD", "Assets:Bank:Checking")
        labels.append(receipt.label(len(lines) + 1, currency))
        head = f'"{receipt.payee}" "{receipt.narration}"' if receipt.payee else \
            f'"{receipt.narration}"'
        lines.append(f"{iso(receipt.day)} * {head}")
        lines += [f'  {key}: "{value}"' for key, value in receipt.meta]
        lines.append(f"  {bank}  {money(receipt.amount)} {currency}")
        if receipt.leg == "amount":
            lines.append(f"  Income:Uncategorized  {money(-receipt.amount)} {currency}")
        elif receipt.leg == "auto":
            lines.append("  Income:Uncategorized")
        lines.append("")
    return "\n".join(lines), labels, others


def build(invoices: int = 4000, receipts: int = 600, seed: int = 1) -> Bench:
    """The labelled bench: ``invoices`` from ``generate.py``, ``receipts`` bank lines."""
    gen = Generator(invoices, seed)
    gen.run()
    base = gen.out.render(header(invoices, seed, plugin=False))
    rng = random.Random(f"receipts {seed}")
    parties = make_parties(rng, gen.customers)
    state_invoices = open_at_end(base, parties)
    fresh, text = fresh_invoices(rng, gen, parties, receipts)
    state = State(state_invoices + fresh)
    builder = Builder(rng, state, parties)
    pending = quotas(receipts)
    rng.shuffle(pending)
    made: list[Receipt] = []
    for slot in range(receipts):
        day = END + 1 + 2 * (slot * (DAYS // 2 + 1) // receipts)
        receipt = None
        for at, kind in enumerate(pending[:12]):
            receipt = builder.make(day, kind)
            if receipt is not None:
                del pending[at]
                break
        if receipt is None:
            receipt = builder.make(day, "ref-narration")
        if receipt is not None:
            receipt.leg = rng.choice(("amount", "amount", "amount", "auto", "none"))
            if rng.random() < 0.3:  # the bank's own reference: digits that name no invoice
                receipt.meta.append(("bank-ref", f"9{rng.randrange(10**11):011d}"))
            made.append(receipt)
    others = [Receipt(END + 1 + 2 * rng.randrange(DAYS // 2 + 1), NOT_RECEIPT, None,
                      rng.randint(100, 200_000), "", leg=rng.choice(sorted(OTHER_LINES)))
              for _ in range(max(1, receipts // 50))]
    made = sorted(made + others, key=lambda r: r.day)  # stable: receipts keep their order
    ledger = gen.out.render(header(invoices, seed, plugin=True)) + text
    shortfall: dict[str, int] = {}
    for kind in pending:
        shortfall[kind] = shortfall.get(kind, 0) + 1
    return Bench(ledger, made, parties, shortfall)
