"""Generate a deterministic beancount-ar ledger for benchmarks.

Usage::

    python bench/generate.py N OUT.beancount [--seed S] [--no-plugin]

The ledger holds N invoices for about N/100 customers (at least 2), spread over
the three years ending 2026-10-31, in USD and EUR.  It follows the contract in
AR-SPEC.md: customers with every terms form and credit limits that never trip,
invoices ``INV-<year>-<6 digits>`` numbered sequentially per year in date order,
payments by link, partial and multi-invoice payments, credit notes, write-offs,
on-account prepayments with later applications and refunds, disputes, dunning
letters and escalations.  Each customer has a payment habit: it pays a fixed
number of days from the due date (early or late) give or take ``NOISE`` days, so
``bean-ar forecast --backtest`` has habits to learn.  It loads without errors
under ``plugin "beancount_ar"``; ``--no-plugin`` writes the same ledger without
the plugin line (the baseline).

The output depends only on N and the seed.  Amounts are integer cents, so every
transaction balances exactly.  Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

START = dt.date(2023, 11, 1).toordinal()  # first invoice date
END = dt.date(2026, 10, 31).toordinal()  # last date in the ledger
SINCE = dt.date(2023, 10, 1).toordinal()  # accounts open, customers defined
SPAN = END - START

# Terms forms, assigned round-robin so that small ledgers still get several;
# None means the customer sets no terms (the suite's default, net 30).
TERMS_FORMS: tuple[str | None, ...] = (
    "net 30",
    "due on receipt",
    "2/10 net 30",
    "eom net 30",
    None,
    "net 15",
    "net 45",
    "1/15 net 45",
    "eom net 15",
    "net 60",
)
OVERRIDE_TERMS = ("net 15", "net 60", "eom net 30", "2/10 net 30", "due on receipt")

# (account, narration, descriptions, rate range in cents, quantity range)
Service = tuple[str, str, tuple[str, ...], tuple[int, int], tuple[int, int]]
SERVICES: tuple[Service, ...] = (
    (
        "Income:Consulting",
        "Consulting",
        ("Architecture review", "Implementation", "Code review", "Workshop preparation"),
        (9000, 20000),
        (1, 80),
    ),
    (
        "Income:Licenses",
        "Software licences",
        ("Annual licence", "Seat licence", "Enterprise add-on"),
        (20000, 250000),
        (1, 12),
    ),
    (
        "Income:Support",
        "Support",
        ("Support hours", "On-call support", "Incident handling"),
        (5000, 15000),
        (1, 40),
    ),
    (
        "Income:Training",
        "Training",
        ("Training day", "Course materials"),
        (40000, 150000),
        (1, 5),
    ),
)

# (currency, bank account, tax account, tax rates in basis points)
Region = tuple[str, str, str, tuple[int, ...]]
USD_REGION: Region = ("USD", "Assets:Bank:Checking", "Liabilities:SalesTax", (625, 700, 800, 875))
EUR_REGION: Region = ("EUR", "Assets:Bank:Euro", "Liabilities:VAT", (1900, 2000, 2100))

NAME_A = (
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne",
    "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Gringotts", "Monarch", "Oscorp", "Duff",
)  # fmt: skip
NAME_B = ("Corp", "Industries", "Labs", "Systems", "Trading", "Holdings", "Partners", "GmbH")
COLLECTORS = ("jana", "petr", "maria", "tomas")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DISPUTE_REASONS = ("Hours disputed", "Goods damaged", "Wrong rate", "Not ordered")

# Payment habits, as the one-off mix this replaced (so the ledger's letters and
# escalations stay as many): three customers in four pay up to EARLY days before
# the due date, one in four up to LATE days after it; each payment lands within
# NOISE days of its customer's habit.
EARLY, LATE, LATE_SHARE, NOISE = 12, 75, 0.25, 2

# Settlement kinds and their probabilities ("multi" starts a group of 2-3
# invoices of one customer, so about 5% of invoices end up in such groups).
KINDS: tuple[tuple[str, float], ...] = (
    ("full", 0.80),
    ("partial", 0.05),
    ("multi", 0.022),
    ("credit", 0.03),
    ("writeoff", 0.012),
    ("onaccount", 0.012),
    ("open", 0.074),
)

_ISO: dict[int, str] = {}


def iso(day: int) -> str:
    """Return the ISO date for a proleptic ordinal (memoised: dates repeat a lot)."""
    text = _ISO.get(day)
    if text is None:
        text = _ISO[day] = dt.date.fromordinal(day).isoformat()
    return text


def money(cents: int) -> str:
    """Format integer cents as a plain decimal with two places."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def due_date(terms: str, day: int) -> int:
    """Return the due ordinal that ``terms`` give to an invoice dated ``day``."""
    if terms == "due on receipt":
        return day
    words = terms.split()
    days = int(words[-1])
    if words[0] == "eom":
        date = dt.date.fromordinal(day)
        first_next = (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return first_next.toordinal() - 1 + days
    return day + days


@dataclass(slots=True)
class Customer:
    """A customer and the running state the generator keeps for it."""

    cid: str
    name: str
    account: str
    region: Region
    tax_bp: int
    terms: str | None
    habit: int = 0  # days from the due date to payment (negative: early)
    change_day: int | None = None
    new_terms: str | None = None
    invoiced: int = 0
    multi_left: int = 0
    multi_group: list[tuple[Invoice, int]] = field(default_factory=list)

    def terms_on(self, day: int) -> str:
        """Terms in force on ``day`` (the suite's default when none are set)."""
        if self.change_day is not None and day >= self.change_day and self.new_terms:
            return self.new_terms
        return self.terms or "net 30"


@dataclass(slots=True)
class Invoice:
    """One generated invoice."""

    number: str
    day: int
    customer: Customer
    total: int
    due: int
    first_line: int


class Ledger:
    """Accumulates dated text blocks; rendered sorted by date, then emission order."""

    def __init__(self) -> None:
        """Start an empty ledger."""
        self.blocks: list[tuple[int, int, str]] = []
        self.kinds: Counter[str] = Counter()

    def add(self, day: int, text: str, *, first: bool = False) -> None:
        """Add one directive (its text, without the trailing blank line).

        ``first`` puts it before everything else emitted for that day.
        """
        self.blocks.append((day, -1 if first else len(self.blocks), text))

    def render(self, header: str) -> str:
        """Return the whole ledger text."""
        self.blocks.sort()
        return header + "\n\n".join(block[2] for block in self.blocks) + "\n"


class Generator:
    """Builds the ledger: customers, invoices and what happens to each invoice."""

    def __init__(self, n: int, seed: int) -> None:
        """Prepare a generator for ``n`` invoices with the given seed."""
        self.n = n
        self.rng = random.Random(seed)
        # Payment timing draws from a stream of its own: habits can change without
        # changing the invoices, amounts and events the main stream makes.
        self.timing = random.Random(f"payment timing {seed}")
        self.out = Ledger()
        self.customers = self.make_customers(max(2, round(n / 100)))
        self.seq: dict[int, int] = {}

    # -- customers -----------------------------------------------------------

    def make_customers(self, count: int) -> list[Customer]:
        """Create ``count`` customers: ~70% USD, ~30% EUR, every terms form."""
        rng = self.rng
        result = []
        for i in range(count):
            base = f"{NAME_A[i % len(NAME_A)]} {NAME_B[(i // len(NAME_A)) % len(NAME_B)]}"
            region = EUR_REGION if i == 1 or (i > 1 and rng.random() < 0.3) else USD_REGION
            cust = Customer(
                cid=f"{base.lower().replace(' ', '-')}-{i:04d}",
                name=f"{base} {i:04d}",
                account=f"Assets:Receivable:{base.replace(' ', '')}{i:04d}",
                region=region,
                tax_bp=rng.choice(region[3]),
                terms=TERMS_FORMS[i % len(TERMS_FORMS)],
                habit=self.habit(),
            )
            if i % 10 == 2 or (count == 2 and i == 1):
                cust.change_day = START + SPAN // 2 + rng.randint(-60, 60)
                cust.new_terms = OVERRIDE_TERMS[i % len(OVERRIDE_TERMS)]
            result.append(cust)
        return result

    def habit(self) -> int:
        """A customer's days from due date to payment: early or on time, or late."""
        timing = self.timing
        if timing.random() < LATE_SHARE:
            return timing.randint(1, LATE)
        return -timing.randint(0, EARLY)

    def customer_blocks(self) -> None:
        """Emit open and ``ar-customer`` directives; limits never trip."""
        for i, cust in enumerate(self.customers):
            cur = cust.region[0]
            self.out.add(SINCE, f"{iso(SINCE)} open {cust.account} {cur}")
            limit = self.credit_limit(cust)
            lines = [
                f'{iso(SINCE)} custom "ar-customer" "{cust.cid}"',
                f'  name: "{cust.name}"',
                f"  account: {cust.account}",
            ]
            if cust.terms is not None:
                lines.append(f'  terms: "{cust.terms}"')
            if i % 5 != 4:  # a fifth of the customers have no credit line
                lines.append(f"  credit-limit: {money(limit)} {cur}")
            lines += [
                f'  email: "ap@{cust.cid}.example"',
                f'  address: "{i % 97 + 1} Market Street, Springfield"',
                f'  collector: "{COLLECTORS[i % len(COLLECTORS)]}"',
            ]
            self.out.add(SINCE, "\n".join(lines))
            if cust.change_day is not None:
                self.out.add(
                    cust.change_day,
                    f'{iso(cust.change_day)} custom "ar-customer" "{cust.cid}"\n'
                    f'  terms: "{cust.new_terms}"\n'
                    f"  credit-limit: {money(limit * 2)} {cur}",
                    first=True,
                )

    @staticmethod
    def credit_limit(cust: Customer) -> int:
        """Everything the customer was ever invoiced, plus headroom, in whole thousands."""
        return (cust.invoiced // 100_000 + 10) * 100_000

    def account_blocks(self) -> None:
        """Open the bank, income, tax and expense accounts."""
        day = iso(SINCE)
        accounts = [
            f"{USD_REGION[1]} USD",
            f"{EUR_REGION[1]} EUR",
            USD_REGION[2],
            EUR_REGION[2],
            "Expenses:BadDebt",
        ]
        accounts += [service[0] for service in SERVICES]
        for account in accounts:
            self.out.add(SINCE, f"{day} open {account}")

    # -- invoices ------------------------------------------------------------

    def run(self) -> None:
        """Generate everything."""
        self.account_blocks()
        rng = self.rng
        days = sorted(START + rng.randrange(SPAN + 1) for _ in range(self.n))
        weights = [rng.paretovariate(1.5) for _ in self.customers]
        owners = rng.choices(self.customers, weights=weights, k=self.n)
        for cust in self.customers[:2]:  # both currencies always appear
            owners[rng.randrange(self.n)] = cust
        kind_names = [k for k, _ in KINDS]
        kind_weights = [w for _, w in KINDS]
        kinds = rng.choices(kind_names, weights=kind_weights, k=self.n)
        for day, cust, drawn in zip(days, owners, kinds, strict=True):
            inv = self.invoice(day, cust)
            self.settle(inv, "multi" if cust.multi_left > 0 else drawn)
        for cust in self.customers:
            self.flush_multi(cust)
        self.customer_blocks()

    def next_number(self, day: int) -> str:
        """Next invoice number of the invoice's year."""
        year = dt.date.fromordinal(day).year
        seq = self.seq.get(year, 0) + 1
        self.seq[year] = seq
        return f"INV-{year}-{seq:06d}"

    def invoice(self, day: int, cust: Customer) -> Invoice:
        """Emit one invoice transaction and return it."""
        rng = self.rng
        cur = cust.region[0]
        number = self.next_number(day)
        services = rng.sample(SERVICES, 2 if rng.random() < 0.3 else 1)
        body: list[str] = []
        subtotal = 0
        first_line = 0
        for account, _, descriptions, rates, quantities in services:
            rate = rng.randint(*rates)
            qty = rng.randint(*quantities)
            amount = rate * qty
            first_line = first_line or amount
            subtotal += amount
            body += [
                f"  {account}  {money(-amount)} {cur}",
                f'    description: "{rng.choice(descriptions)}"',
                f"    quantity: {qty}",
                f"    rate: {money(rate)} {cur}",
            ]
        tax = (subtotal * cust.tax_bp + 5000) // 10000
        total = subtotal + tax
        body.append(f"  {cust.region[2]}  {money(-tax)} {cur}")
        terms = cust.terms_on(day)
        head_meta = []
        roll = rng.random()
        if roll < 0.05:
            due = day + rng.randint(7, 60)
            head_meta.append(f"  due: {iso(due)}")
        elif roll < 0.08:
            terms = rng.choice(OVERRIDE_TERMS)
            head_meta.append(f'  terms: "{terms}"')
            due = due_date(terms, day)
        else:
            due = due_date(terms, day)
        date = dt.date.fromordinal(day)
        narration = f"{services[0][1]}, {MONTHS[date.month - 1]} {date.year}"
        lines = [
            f'{iso(day)} * "{cust.name}" "{narration}" ^{number} #invoice',
            *head_meta,
            f"  {cust.account}  {money(total)} {cur}",
            *body,
        ]
        self.out.add(day, "\n".join(lines))
        cust.invoiced += total
        return Invoice(number, day, cust, total, due, first_line)

    # -- settlement ----------------------------------------------------------

    def pay_day(self, inv: Invoice) -> int:
        """When the customer pays: its habit, give or take NOISE days, after the invoice."""
        timing = self.timing
        offset = inv.customer.habit + timing.randint(-NOISE, NOISE)
        return max(inv.day + timing.randint(1, 5), inv.due + offset)

    def settle(self, inv: Invoice, kind: str) -> None:
        """Emit what happens to ``inv`` after it is issued."""
        self.out.kinds[kind] += 1
        settled: int | None
        if kind == "multi":
            self.join_multi(inv)
            return
        if kind == "full":
            settled = self.payment(inv, inv.total, self.pay_day(inv))
        elif kind == "partial":
            settled = self.partial(inv)
        elif kind == "credit":
            settled = self.credit_note(inv)
        elif kind == "writeoff":
            settled = self.write_off(inv)
        elif kind == "onaccount":
            self.on_account(inv)
            return
        else:
            settled = None
            if self.rng.random() < 0.2:
                self.dispute(inv, inv.day + self.rng.randint(3, 20), None)
                return
        self.dunning(inv, settled)
        if kind in ("open", "writeoff"):
            self.escalate(inv, settled)

    def payment(self, inv: Invoice, amount: int, day: int) -> int | None:
        """Emit a payment by link; return its day, or None when after the end."""
        if day > END:
            return None
        cust = inv.customer
        cur, bank = cust.region[0], cust.region[1]
        self.out.add(
            day,
            f'{iso(day)} * "{cust.name}" "Payment" ^{inv.number}\n'
            f"  {bank}  {money(amount)} {cur}\n"
            f"  {cust.account}  {money(-amount)} {cur}",
        )
        return day

    def partial(self, inv: Invoice) -> int | None:
        """A part now; usually the rest later (possibly after the end)."""
        rng = self.rng
        first = inv.total * rng.randint(30, 70) // 100
        day = self.payment(inv, first, self.pay_day(inv))
        if day is None or rng.random() < 0.3:
            return None
        return self.payment(inv, inv.total - first, day + rng.randint(14, 60))

    def credit_note(self, inv: Invoice) -> int | None:
        """Credit part of the first line (with its tax), sometimes after a dispute."""
        rng = self.rng
        cust = inv.customer
        cur = cust.region[0]
        day = inv.day + rng.randint(2, 20)
        if day > END:
            return None
        disputed = rng.random() < 0.5
        if disputed:
            self.dispute(inv, inv.day + 1, day)
        net = inv.first_line * rng.randint(5, 40) // 100 or 1
        tax = (net * cust.tax_bp + 5000) // 10000
        self.out.add(
            day,
            f'{iso(day)} * "{cust.name}" "Credit note" ^{inv.number} #credit-note\n'
            f"  {cust.account}  {money(-net - tax)} {cur}\n"
            f"  Income:Consulting  {money(net)} {cur}\n"
            f"  {cust.region[2]}  {money(tax)} {cur}",
        )
        return self.payment(inv, inv.total - net - tax, max(day + 1, self.pay_day(inv)))

    def write_off(self, inv: Invoice) -> int | None:
        """Maybe a partial payment, then the rest written off long after the due date."""
        rng = self.rng
        cust = inv.customer
        cur = cust.region[0]
        paid = 0
        if rng.random() < 0.5 and self.payment(inv, inv.total // 3, self.pay_day(inv)):
            paid = inv.total // 3
        day = inv.due + rng.randint(120, 300)
        if day > END:
            return None
        rest = inv.total - paid
        self.out.add(
            day,
            f'{iso(day)} * "{cust.name}" "Write-off" ^{inv.number} #write-off\n'
            f"  Expenses:BadDebt  {money(rest)} {cur}\n"
            f"  {cust.account}  {money(-rest)} {cur}",
        )
        return day

    def on_account(self, inv: Invoice) -> None:
        """A prepayment before the invoice, applied after it; leftovers refunded."""
        rng = self.rng
        cust = inv.customer
        cur, bank, acc = cust.region[0], cust.region[1], cust.account
        extra = 0 if rng.random() < 0.5 else rng.randint(1, 50) * 1000
        prepaid = inv.total + extra
        day = max(SINCE + 1, inv.day - rng.randint(3, 30))
        self.out.add(
            day,
            f'{iso(day)} * "{cust.name}" "Prepayment" #on-account\n'
            f"  {bank}  {money(prepaid)} {cur}\n"
            f"  {acc}  {money(-prepaid)} {cur}",
        )
        day = inv.day + rng.randint(1, 10)
        if day > END:
            return
        self.out.add(
            day,
            f'{iso(day)} * "{cust.name}" "Apply prepayment to {inv.number}" #on-account\n'
            f"  {acc}  {money(inv.total)} {cur}\n"
            f"  {acc}  {money(-inv.total)} {cur}\n"
            f'    invoice: "{inv.number}"',
        )
        day += rng.randint(5, 30)
        if extra and rng.random() < 0.5 and day <= END:
            self.out.add(
                day,
                f'{iso(day)} * "{cust.name}" "Refund of unapplied credit" #on-account\n'
                f"  {acc}  {money(extra)} {cur}\n"
                f"  {bank}  {money(-extra)} {cur}",
            )

    def join_multi(self, inv: Invoice) -> None:
        """Add ``inv`` to its customer's multi-invoice payment group."""
        cust = inv.customer
        if cust.multi_left == 0:
            cust.multi_left = self.rng.choice((2, 2, 3))
        cust.multi_group.append((inv, self.pay_day(inv)))
        cust.multi_left -= 1
        if cust.multi_left == 0:
            self.flush_multi(cust)

    def flush_multi(self, cust: Customer) -> None:
        """Pay the customer's pending group with one payment (``invoice`` metadata)."""
        group, cust.multi_group, cust.multi_left = cust.multi_group, [], 0
        if not group:
            return
        day = max(pay for _, pay in group)
        if len(group) == 1:
            self.payment(group[0][0], group[0][0].total, day)
            return
        if day > END:
            return
        cur = cust.region[0]
        lines = [
            f'{iso(day)} * "{cust.name}" "Payment for {len(group)} invoices"',
            f"  {cust.region[1]}  {money(sum(inv.total for inv, _ in group))} {cur}",
        ]
        for inv, _ in group:
            lines += [
                f"  {cust.account}  {money(-inv.total)} {cur}",
                f'    invoice: "{inv.number}"',
            ]
        self.out.add(day, "\n".join(lines))

    # -- status events -------------------------------------------------------

    def dunning(self, inv: Invoice, settled: int | None) -> None:
        """Dunning letters at 14, 35 and 60 days past due while still open."""
        for level, lag in ((1, 14), (2, 35), (3, 60)):
            day = inv.due + lag
            if day > END or (settled is not None and day >= settled):
                return
            self.out.add(day, f'{iso(day)} custom "ar-dunning" "{inv.number}" {level}')

    def escalate(self, inv: Invoice, settled: int | None) -> None:
        """Hand long-overdue invoices to an agency, some later to the lawyers."""
        for kind, lag in (("agency", 90), ("legal", 150)):
            day = inv.due + lag
            if day > END or (settled is not None and day >= settled):
                return
            if kind == "legal" and self.rng.random() < 0.7:
                return
            self.out.add(day, f'{iso(day)} custom "ar-escalate" "{inv.number}" "{kind}"')

    def dispute(self, inv: Invoice, day: int, resolved: int | None) -> None:
        """Open a dispute on ``day``; resolve it on ``resolved`` when given."""
        if day > END:
            return
        reason = self.rng.choice(DISPUTE_REASONS)
        self.out.add(day, f'{iso(day)} custom "ar-dispute" "{inv.number}" "{reason}"')
        if resolved is not None and resolved <= END:
            self.out.add(resolved, f'{iso(resolved)} custom "ar-resolve" "{inv.number}"')


def header(n: int, seed: int, *, plugin: bool) -> str:
    """The options (and plugin) lines at the top of the ledger."""
    lines = [
        f'option "title" "beancount-ar benchmark: {n} invoices, seed {seed}"',
        'option "operating_currency" "USD"',
        'option "operating_currency" "EUR"',
    ]
    if plugin:
        lines.append('plugin "beancount_ar"')
    return "\n".join(lines) + "\n\n"


def generate(n: int, seed: int = 1, *, plugin: bool = True) -> tuple[str, Counter[str]]:
    """Return the ledger text for ``n`` invoices and the count of each settlement kind."""
    gen = Generator(n, seed)
    gen.run()
    return gen.out.render(header(n, seed, plugin=plugin)), gen.out.kinds


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of invoices (>= 1)")
    parser.add_argument("out", type=Path, help="ledger file to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--no-plugin", action="store_true", help='omit the plugin "beancount_ar" line'
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args = parse_args(argv)
    started = time.perf_counter()
    text, kinds = generate(args.n, args.seed, plugin=not args.no_plugin)
    args.out.write_text(text, encoding="utf-8")
    mix = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    print(
        f"{args.out}: {args.n} invoices ({mix}), {text.count(chr(10))} lines, "
        f"{time.perf_counter() - started:.2f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
