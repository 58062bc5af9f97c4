"""Generate `ledger/example.beancount`, the receivables example for beancount-ar.

Seed Consulting s.r.o. (Prague) bills nine customers abroad, three in EUR with
21 % VAT and six in USD (some with ~8 % sales tax), from 2025-05-01 to
2026-11-20, and one Czech customer in CZK with 21 % VAT (December 2025 to May
2026, its own invoice series FA-YYYY-NNN). Invoices, payments, credit notes, a
write-off, an on-account prepayment and status events follow the contract in
AR-SPEC.md sections 2-5; dunning policies (one per law), a reference rate,
letters sent, promises to pay and escalations follow section 11, so that on
2026-11-30 (the demo's day) letters fall due at every level, an invoice waits in
the escalation queue, one promise is in force and two are broken. The last USD
payments (from 2026-11-09) were cheques, received into Assets:Undeposited and
not yet taken to the bank (`bean-ar deposit`), and two recurring contracts
(`ar-contract`, one monthly, one quarterly, both from 2026-11-20, on an income
account no invoice uses) have a first period `bean-ar bill` has not billed yet.

The script is deterministic (`random.Random(2026)`; the Czech customer draws
from a generator of its own, so the figures of the others stay as they were)
and uses the standard library only::

    python ledger/generate_example.py

While it generates, it checks its own output: every transaction balances, no
invoice is paid before its date or beyond its amount, no on-account credit is
over-used, no customer goes over its credit limit, every construct the example
promises is present, the aging at 2026-11-30 has amounts in every bucket in
EUR and USD, and no Czech invoice runs late from a half-year whose ČNB rate the
ledger does not know. It then prints a summary.
"""

from __future__ import annotations

import calendar
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

SEED = 2026
START = date(2025, 5, 1)
END = date(2026, 11, 20)
AGING_DATE = date(2026, 11, 30)
OUTPUT = Path(__file__).with_name("example.beancount")

ROOT = "Assets:Receivable"
DEFAULT_TERMS = "net 30"
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
DISCOUNT_RATE = Decimal("0.02")
BANK = {"USD": "Assets:Bank:Checking", "EUR": "Assets:Bank:EUR", "CZK": "Assets:Bank:CZK"}
UNDEPOSITED = "Assets:Undeposited"  # cheques received, not yet deposited
UNDEPOSITED_FROM = date(2026, 11, 9)  # USD payments from this day on (after the last balance)
# The recurring contracts: id, start, customer, every, amount, description. Their
# periods are not billed in the example: `bean-ar bill --through 2026-11-30` bills
# each one invoice dated 2026-11-20, after the last one by hand (so the numbers
# follow the dates) and not yet due on the demo's day (both customers are on net
# 30). They bill an account of their own (the monthly invoices' support lines are
# Income:Support), so nothing is billed twice.
CONTRACTS = (
    ("hooli-hosting", date(2026, 11, 20), "hooli", "month", Decimal("450.00"),
     "Managed hosting"),
    ("acme-maintenance", date(2026, 11, 20), "acme", "quarter", Decimal("2400.00"),
     "Software maintenance, quarterly"),
)
CONTRACT_ACCOUNT = "Income:Recurring"
TAX = {"USD": "Liabilities:SalesTax", "EUR": "Liabilities:VAT", "CZK": "Liabilities:VAT:CZK"}
TRAINING_RATE = {"USD": Decimal("1400.00"), "EUR": Decimal("1200.00"),
                 "CZK": Decimal("28000.00")}
OPENING = {"USD": Decimal("60000.00"), "EUR": Decimal("15000.00"),
           "CZK": Decimal("250000.00")}
CURRENCIES = ("EUR", "USD")  # the currencies whose aging spans every bucket
ALL_CURRENCIES = ("CZK", "EUR", "USD")
SERIES = "INV"  # the invoice series of the customers abroad
BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")

# Order of entries within one day: balance checks, customers, invoices,
# credit notes, payments, status events, other banking.
BALANCE, CUSTOMER, INVOICE, CREDIT, PAYMENT, EVENT, BANKING = range(7)

TOPICS = (
    "Architecture review",
    "Data pipeline development",
    "Cloud migration",
    "Code review and mentoring",
    "Security assessment",
    "Performance tuning",
    "API design",
    "Reporting dashboards",
)
WORKSHOPS = ("Kubernetes in practice", "Secure coding", "Data modelling", "Testing strategy")


class LedgerCheckError(Exception):
    """The generated ledger breaks one of the example's promises."""


def check(condition: bool, message: str) -> None:  # noqa: FBT001
    """Stop generation when a self-check fails."""
    if not condition:
        raise LedgerCheckError(message)


# --------------------------------------------------------------------------- collections

# One dunning policy per law (AR-SPEC section 11); written out by `policies()`.
EU_POLICY, CZ_POLICY, US_POLICY = "standard", "domestic", "us-contract"
POLICIES: tuple[tuple[str, tuple[tuple[str, str], ...], str], ...] = (
    (EU_POLICY, (("levels", '"7 21 45"'), ("interval", "14"), ("escalate", "60"),
                 ("interest", '"eu"')),
     ("the EUR customers (Germany, the Netherlands, France): Directive 2011/7/EU, "
      "the ECB rate + 8 points, 40 EUR per late invoice")),
    (CZ_POLICY, (("levels", '"7 21 45"'), ("interval", "14"), ("escalate", "60"),
                 ("interest", '"cz"')),
     ("Czech customers: NV 351/2013 Sb., the ČNB repo rate + 8 points, fixed for "
      "the delay, 1200 CZK per late invoice")),
    (US_POLICY, (("levels", '"10 30 60"'), ("interval", "14"), ("escalate", "90"),
                 ("interest", '"12%"'), ("fees", '"0 0 25.00"')),
     ("US customers: no statute sets interest between US businesses, so the master "
      "services agreement does: 1 % a month (12 % a year) and 25.00 with the final demand")),
)
# The reference rates the package ships (`date,rate` rows, `# checked: DAY`). The
# example gives no `ar-rate`: the generator checks that the shipped ČNB table covers
# every day the `cz` rule reads for the Czech customer's delays.
RATE_TABLES = Path(__file__).resolve().parent.parent / "beancount_ar" / "core" / "reference_rates"


# --------------------------------------------------------------------------- customers


@dataclass(frozen=True)
class Customer:
    """A customer and how the generator treats it."""

    cid: str
    name: str
    currency: str
    terms: str | None
    credit_limit: Decimal | None
    email: str
    address: str
    collector: str
    start: date
    invoice_days: tuple[int, ...]
    rate: Decimal
    hours: tuple[int, int]
    support_fee: Decimal | None = None
    tax_rate: Decimal | None = None
    delay: tuple[int, int] = (0, 4)
    batch_months: int = 0
    swift_fee: Decimal = ZERO
    dunning: str | None = None  # the customer's policy; None: "standard"
    locale: str | None = None  # the language of its letters; None: the company's
    tax_id: str | None = None
    series: str = SERIES  # the invoice series its invoices are numbered in
    until: date = END  # the last day it is invoiced

    @property
    def account(self) -> str:
        return f"{ROOT}:{self.cid.capitalize()}"

    @property
    def since(self) -> date:
        """The date of the customer directive: the first of the month before `start`."""
        return (self.start - timedelta(days=1)).replace(day=1)


@dataclass(frozen=True)
class CustomerChange:
    """A later `ar-customer` directive that changes terms and/or the credit limit."""

    cid: str
    day: date
    terms: str | None
    credit_limit: Decimal | None


CUSTOMERS: tuple[Customer, ...] = (
    Customer(
        cid="acme", name="Acme Corp", currency="USD", terms="net 30",
        credit_limit=Decimal("30000.00"), email="ap@acme.example",
        address="1 Road Runner Way, Phoenix AZ 85001", collector="jana",
        start=date(2025, 5, 1), invoice_days=(3, 17), rate=Decimal("150.00"),
        hours=(18, 40), support_fee=Decimal("450.00"), tax_rate=Decimal("0.08"), delay=(2, 5),
        dunning=US_POLICY,
    ),
    Customer(
        cid="globex", name="Globex Corporation", currency="USD", terms="net 15",
        credit_limit=Decimal("25000.00"), email="ar@globex.example",
        address="500 Cypress Creek Pkwy, Springfield OR 97477", collector="petr",
        start=date(2025, 5, 1), invoice_days=(4, 18), rate=Decimal("140.00"),
        hours=(12, 32), tax_rate=Decimal("0.0825"), delay=(4, 4), batch_months=1,
        dunning=US_POLICY,
    ),
    Customer(
        cid="initech", name="Initech LLC", currency="USD", terms="due on receipt",
        credit_limit=Decimal("15000.00"), email="payables@initech.example",
        address="4120 Freidrich Lane, Austin TX 78744", collector="jana",
        start=date(2025, 6, 1), invoice_days=(6,), rate=Decimal("130.00"),
        hours=(10, 30), delay=(18, 8), dunning=US_POLICY,
    ),
    Customer(
        cid="umbrella", name="Umbrella Corp", currency="USD", terms="net 30",
        credit_limit=Decimal("20000.00"), email="finance@umbrella.example",
        address="545 Birdneck Road, Raccoon City VA 23451", collector="petr",
        start=date(2025, 5, 1), invoice_days=(8,), rate=Decimal("160.00"),
        hours=(20, 40), tax_rate=Decimal("0.08"), delay=(0, 4), dunning=US_POLICY,
    ),
    Customer(
        cid="wayne", name="Wayne Enterprises", currency="USD", terms="2/10 net 30",
        credit_limit=Decimal("20000.00"), email="accounts@wayne.example",
        address="1007 Mountain Drive, Gotham NJ 07001", collector="jana",
        start=date(2025, 7, 1), invoice_days=(5,), rate=Decimal("155.00"),
        hours=(18, 36), support_fee=Decimal("600.00"), tax_rate=Decimal("0.08"), delay=(1, 4),
        dunning="none",  # pays within the discount window; its account manager calls
    ),
    Customer(
        cid="hooli", name="Hooli Inc.", currency="USD", terms=None,
        credit_limit=None, email="ap@hooli.example",
        address="2624 Mill Street, Palo Alto CA 94301", collector="petr",
        start=date(2025, 5, 1), invoice_days=(10,), rate=Decimal("145.00"),
        hours=(10, 26), delay=(8, 6), dunning=US_POLICY,
    ),
    Customer(
        cid="stark", name="Stark Industrie GmbH", currency="EUR", terms="eom net 30",
        credit_limit=Decimal("30000.00"), email="buchhaltung@stark.example",
        address="Industriestraße 10, 80331 München", collector="jana",
        start=date(2025, 5, 1), invoice_days=(2,), rate=Decimal("120.00"),
        hours=(20, 40), support_fee=Decimal("450.00"), tax_rate=Decimal("0.21"), delay=(2, 5),
        batch_months=2,
    ),
    Customer(
        cid="tyrell", name="Tyrell Corporation B.V.", currency="EUR", terms="net 30",
        credit_limit=Decimal("25000.00"), email="crediteuren@tyrell.example",
        address="Keizersgracht 100, 1015 Amsterdam", collector="petr",
        start=date(2025, 8, 1), invoice_days=(5,), rate=Decimal("125.00"),
        hours=(24, 48), tax_rate=Decimal("0.21"), delay=(6, 6), swift_fee=Decimal("15.00"),
    ),
    Customer(
        cid="cyberdyne", name="Cyberdyne Systems SAS", currency="EUR", terms="net 30",
        credit_limit=None, email="compta@cyberdyne.example",
        address="18 Rue de la Paix, 75002 Paris", collector="jana",
        start=date(2025, 5, 1), invoice_days=(12,), rate=Decimal("115.00"),
        hours=(14, 30), tax_rate=Decimal("0.21"), delay=(10, 8), swift_fee=Decimal("12.50"),
    ),
    # The one Czech customer: CZK, Czech VAT, its own invoice series, letters in Czech,
    # the domestic policy. An engagement of six months; its invoices are paid as
    # `Book.domestic` says, from a random generator of their own.
    Customer(
        cid="novak", name="Strojírny Novák a Dvořák s.r.o.", currency="CZK", terms="net 14",
        credit_limit=Decimal("450000.00"), email="fakturace@strojirny-novak.example",
        address="Hybešova 726/42, 602 00 Brno", collector="petr",
        start=date(2025, 12, 1), invoice_days=(8,), rate=Decimal("1950.00"),
        hours=(20, 36), tax_rate=Decimal("0.21"), dunning=CZ_POLICY, locale="cs_CZ",
        tax_id="CZ24681351", series="FA", until=date(2026, 5, 31),
    ),
)
BY_ID = {customer.cid: customer for customer in CUSTOMERS}

CHANGES: tuple[CustomerChange, ...] = (
    CustomerChange("tyrell", date(2026, 1, 1), "net 45", Decimal("40000.00")),
    CustomerChange("acme", date(2026, 4, 1), None, Decimal("35000.00")),
)


def terms_on(customer: Customer, day: date) -> str:
    """The terms in force for `customer` on `day` (the default when none is set)."""
    terms = customer.terms
    for change in CHANGES:
        if change.cid == customer.cid and change.day <= day and change.terms:
            terms = change.terms
    return terms or DEFAULT_TERMS


def limit_on(customer: Customer, day: date) -> Decimal | None:
    """The credit limit in force for `customer` on `day`."""
    limit = customer.credit_limit
    for change in CHANGES:
        if change.cid == customer.cid and change.day <= day and change.credit_limit:
            limit = change.credit_limit
    return limit


def due_date(day: date, terms: str) -> date:
    """The due date of an invoice of `day` under `terms` (spec section 2)."""
    words = terms.split()
    days = int(words[-1]) if words[-1].isdigit() else 0
    if words[0] == "eom":
        day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day + timedelta(days=days)


# --------------------------------------------------------------------------- invoices


@dataclass(frozen=True)
class Line:
    """One invoice line: `quantity` units at `rate`."""

    account: str
    description: str
    quantity: Decimal
    rate: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.rate).quantize(CENT)


@dataclass
class Invoice:
    """An invoice, numbered once all of them are drafted."""

    customer: Customer
    day: date
    title: str
    lines: list[Line]
    number: str = ""
    due_override: date | None = None
    terms_override: str | None = None

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def tax(self) -> Decimal:
        return tax_on(self.customer, self.subtotal)

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.tax

    @property
    def terms(self) -> str:
        return self.terms_override or terms_on(self.customer, self.day)

    @property
    def due(self) -> date:
        return self.due_override or due_date(self.day, self.terms)


def tax_on(customer: Customer, net: Decimal) -> Decimal:
    """Sales tax or VAT on `net`, rounded half up to cents."""
    if customer.tax_rate is None:
        return ZERO
    return (net * customer.tax_rate).quantize(CENT, rounding=ROUND_HALF_UP)


def month_label(day: date) -> str:
    return f"{calendar.month_name[day.month]} {day.year}"


def months(first: date, last: date) -> Iterator[date]:
    """The first day of every month from `first`'s to `last`'s."""
    day = first.replace(day=1)
    while day <= last:
        yield day
        day = (day + timedelta(days=32)).replace(day=1)


def business_day(day: date) -> date:
    """`day`, moved to Monday when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def period_of(customer: Customer, day: date, index: int) -> str:
    """The period an invoice of `day` bills: last month, or a half month."""
    previous = day.replace(day=1) - timedelta(days=1)
    if len(customer.invoice_days) == 1:
        return month_label(previous)
    if index == 0:
        return f"second half of {month_label(previous)}"
    return f"first half of {month_label(day)}"


def draft_lines(rng: random.Random, customer: Customer, day: date, index: int) -> list[Line]:
    """A consulting line, plus support or (sometimes) training on the month's first invoice."""
    month = month_label(day.replace(day=1) - timedelta(days=1))
    low, high = customer.hours
    hours = Decimal(rng.randint(low * 2, high * 2)) / 2
    lines = [Line("Income:Consulting", rng.choice(TOPICS), hours, customer.rate)]
    if index == 0 and customer.support_fee is not None:
        lines.append(Line("Income:Support", f"Support retainer, {month}", Decimal(1),
                          customer.support_fee))
    elif index == 0 and rng.random() < 0.15:
        days = Decimal(rng.randint(1, 3))
        lines.append(Line("Income:Training", f"Workshop: {rng.choice(WORKSHOPS)}", days,
                          TRAINING_RATE[customer.currency]))
    return lines


def invoice_title(lines: list[Line], period: str) -> str:
    extra = {"Income:Support": " and support", "Income:Training": " and training"}
    kinds = "".join(extra.get(line.account, "") for line in lines)
    return f"Consulting{kinds}, {period}"


def draft_invoices(rng: random.Random, customer: Customer) -> list[Invoice]:
    """Unnumbered invoices for `customer`, one per invoice day a month, a few months skipped."""
    invoices = []
    for month in months(customer.start, customer.until):
        for index, day_of_month in enumerate(customer.invoice_days):
            day = business_day(month.replace(day=day_of_month) + timedelta(rng.randint(-1, 1)))
            if not START <= day <= customer.until or rng.random() < 0.04:
                continue
            period = period_of(customer, day, index)
            lines = draft_lines(rng, customer, day, index)
            invoices.append(Invoice(customer, day, invoice_title(lines, period), lines))
    return invoices


def number_invoices(invoices: list[Invoice]) -> list[Invoice]:
    """Sort by date and number them SERIES-YYYY-NNN, each series gapless within a year.

    The customers abroad share INV-; the Czech customer's domestic invoices (CZK,
    Czech VAT) run in a series of their own, FA-, as Czech firms commonly keep.
    """
    order = {customer.cid: index for index, customer in enumerate(CUSTOMERS)}
    invoices = sorted(invoices, key=lambda inv: (inv.day, order[inv.customer.cid]))
    counters: dict[tuple[str, int], int] = defaultdict(int)
    for invoice in invoices:
        key = (invoice.customer.series, invoice.day.year)
        counters[key] += 1
        invoice.number = f"{key[0]}-{key[1]}-{counters[key]:03d}"
    return invoices


def own_random(customer: Customer) -> random.Random | None:
    """The generator of a customer outside the INV series; None: the shared one."""
    return None if customer.series == SERIES else random.Random(f"{SEED}-{customer.cid}")


def abroad(invoice: Invoice) -> bool:
    """Whether `invoice` is one of the INV series, paid by the shared generator's draws."""
    return invoice.customer.series == SERIES


# --------------------------------------------------------------------------- journal


@dataclass(frozen=True)
class Posting:
    account: str
    number: Decimal
    currency: str
    meta: tuple[tuple[str, str], ...] = ()

    def render(self) -> str:
        lines = [f"  {self.account:<34}{self.number:>12.2f} {self.currency}"]
        lines.extend(f"    {key}: {value}" for key, value in self.meta)
        return "\n".join(lines)


@dataclass(frozen=True)
class Entry:
    day: date
    rank: int
    seq: int
    text: str


@dataclass(frozen=True)
class Application:
    """A receivable credit applied to an invoice (payment, credit note, write-off...)."""

    day: date
    rank: int
    seq: int
    invoice: Invoice
    amount: Decimal
    kind: str


@dataclass(frozen=True)
class CreditMove:
    """A change of a customer's unapplied on-account credit."""

    day: date
    rank: int
    seq: int
    cid: str
    amount: Decimal


@dataclass(frozen=True)
class Event:
    day: date
    kind: str
    invoice: Invoice
    argument: str


@dataclass
class Journal:
    """The dated entries of the ledger, plus what the self-checks need to know."""

    entries: list[Entry] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    credit: list[CreditMove] = field(default_factory=list)
    postings: list[tuple[date, Posting]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, day: date, rank: int, text: str) -> int:
        check(day <= END, f"entry after {END}: {text.splitlines()[0]}")
        self.entries.append(Entry(day, rank, len(self.entries), text))
        return len(self.entries) - 1

    def transaction(self, day: date, rank: int, head: str, postings: list[Posting]) -> int:
        """Add a transaction `head` (everything after the date) with `postings`."""
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for posting in postings:
            sums[posting.currency] += posting.number
        check(not any(sums.values()), f"{day} {head.splitlines()[0]} does not balance")
        self.postings.extend((day, posting) for posting in postings)
        body = "\n".join(posting.render() for posting in postings)
        return self.add(day, rank, f"{day} {head}\n{body}")

    def apply(self, seq: int, invoice: Invoice, amount: Decimal, kind: str) -> None:
        entry = self.entries[seq]
        self.applications.append(Application(entry.day, entry.rank, seq, invoice, amount, kind))

    def move_credit(self, seq: int, cid: str, amount: Decimal) -> None:
        entry = self.entries[seq]
        self.credit.append(CreditMove(entry.day, entry.rank, seq, cid, amount))

    def balance_of(self, account: str, before: date) -> Decimal:
        return sum((p.number for day, p in self.postings if p.account == account and day < before),
                   ZERO)


def quoted(text: str) -> str:
    check('"' not in text and "\\" not in text, f"cannot quote {text!r}")
    return f'"{text}"'


def invoice_ref(invoice: Invoice) -> tuple[tuple[str, str], ...]:
    return (("invoice", quoted(invoice.number)),)


def line_meta(line: Line, currency: str) -> tuple[tuple[str, str], ...]:
    return (
        ("description", quoted(line.description)),
        ("quantity", format(line.quantity.normalize(), "f")),
        ("rate", f"{line.rate:.2f} {currency}"),
    )


@dataclass(frozen=True)
class Due:
    """A payment the generator intends to record for an invoice."""

    day: date
    invoice: Invoice
    discount: bool = False


# --------------------------------------------------------------------------- the book


class Book:
    """Builds the journal: invoices, the scenarios around them, payments and banking."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.journal = Journal()
        drafts = [inv for customer in CUSTOMERS
                  for inv in draft_invoices(own_random(customer) or rng, customer)]
        self.invoices = number_invoices(drafts)
        self.reserved: set[str] = set()
        self.touched: set[str] = set()  # changed by a scenario, paid as usual
        self.not_before: dict[str, date] = {}
        self.notes: list[str] = []

    # -- primitives -------------------------------------------------------

    def note(self, invoice: Invoice, what: str) -> None:
        self.notes.append(f"{invoice.number} {invoice.customer.cid:<9} {invoice.day}  {what}")

    def find(self, cid: str, wanted: Callable[[Invoice], bool]) -> Invoice:
        """The first invoice of `cid` that is `wanted` and no scenario uses yet."""
        for invoice in self.invoices:
            if invoice.number in self.reserved | self.touched:
                continue
            if invoice.customer.cid == cid and wanted(invoice):
                return invoice
        message = f"no invoice of {cid} fits a scenario; adjust the generator"
        raise LedgerCheckError(message)

    def take(self, cid: str, wanted: Callable[[Invoice], bool]) -> Invoice:
        """Reserve an invoice for a scenario: ordinary payments leave it alone."""
        invoice = self.find(cid, wanted)
        self.reserved.add(invoice.number)
        return invoice

    def open_amount(self, invoice: Invoice) -> Decimal:
        applied = (a.amount for a in self.journal.applications if a.invoice is invoice)
        return invoice.total - sum(applied, ZERO)

    def issue(self, invoice: Invoice) -> None:
        customer, currency = invoice.customer, invoice.customer.currency
        head = (f"* {quoted(customer.name)} {quoted(invoice.title)} "
                f"^{invoice.number} #invoice")
        if invoice.due_override:
            head += f"\n  due: {invoice.due_override}"
        if invoice.terms_override:
            head += f"\n  terms: {quoted(invoice.terms_override)}"
        postings = [Posting(customer.account, invoice.total, currency)]
        postings.extend(Posting(line.account, -line.amount, currency,
                                line_meta(line, currency)) for line in invoice.lines)
        if invoice.tax:
            postings.append(Posting(TAX[currency], -invoice.tax, currency))
        self.journal.transaction(invoice.day, INVOICE, head, postings)

    def pay(self, day: date, parts: list[tuple[Invoice, Decimal]], narration: str,
            fee: Decimal = ZERO) -> None:
        """A payment of one invoice (by link) or several (by `invoice` metadata)."""
        day = business_day(day)
        customer = parts[0][0].customer
        currency = customer.currency
        total = sum((amount for _, amount in parts), ZERO)
        into = BANK[currency]
        if currency == "USD" and day >= UNDEPOSITED_FROM:
            into = UNDEPOSITED
            self.journal.counts["payment not yet deposited"] += 1
        postings = [Posting(into, total - fee, currency)]
        if fee:
            postings.append(Posting("Expenses:BankFees", fee, currency))
            self.journal.counts["payment with bank fee"] += 1
        head = f"* {quoted(customer.name)} {quoted(narration)}"
        if len(parts) == 1:
            head += f" ^{parts[0][0].number}"
            postings.append(Posting(customer.account, -total, currency))
        else:
            postings.extend(Posting(customer.account, -amount, currency, invoice_ref(invoice))
                            for invoice, amount in parts)
            self.journal.counts["multi-invoice payment"] += 1
        seq = self.journal.transaction(day, PAYMENT, head, postings)
        for invoice, amount in parts:
            self.journal.apply(seq, invoice, amount, "payment")
        self.journal.counts["payment"] += 1

    def credit_note(self, day: date, invoice: Invoice, line: Line, narration: str) -> None:
        """A `#credit-note` taking `line` (and its tax) off `invoice`."""
        day = business_day(day)
        customer, currency = invoice.customer, invoice.customer.currency
        tax = tax_on(customer, line.amount)
        postings = [Posting(customer.account, -(line.amount + tax), currency),
                    Posting(line.account, line.amount, currency)]
        if tax:
            postings.append(Posting(TAX[currency], tax, currency))
        head = f"* {quoted(customer.name)} {quoted(narration)} ^{invoice.number} #credit-note"
        seq = self.journal.transaction(day, CREDIT, head, postings)
        self.journal.apply(seq, invoice, line.amount + tax, "credit-note")
        self.journal.counts["credit note"] += 1

    def discount_note(self, day: date, invoice: Invoice, amount: Decimal) -> None:
        """A `#credit-note` for an early-payment discount taken."""
        customer, currency = invoice.customer, invoice.customer.currency
        percent = f"{DISCOUNT_RATE * 100:.0f}%"
        head = (f"* {quoted(customer.name)} {quoted(f'Early-payment discount {percent}')} "
                f"^{invoice.number} #credit-note")
        postings = [Posting("Expenses:SalesDiscounts", amount, currency),
                    Posting(customer.account, -amount, currency)]
        seq = self.journal.transaction(day, CREDIT, head, postings)
        self.journal.apply(seq, invoice, amount, "credit-note")
        self.journal.counts["credit note"] += 1
        self.journal.counts["early-payment discount"] += 1

    def event(self, day: date, kind: str, invoice: Invoice, argument: str = "") -> None:
        """A status event (spec section 5) on `invoice`, on a working day."""
        day = business_day(day)
        check(invoice.day <= day, f"{kind} on {invoice.number} before its date")
        text = f"{day} custom {quoted('ar-' + kind)} {quoted(invoice.number)}"
        if argument:
            text += f" {argument}"
        self.journal.add(day, EVENT, text)
        self.journal.events.append(Event(day, kind, invoice, argument))

    def dun_if_late(self, invoice: Invoice, paid: date) -> None:
        """Dunning letters for an invoice paid well after its due date."""
        late = (paid - invoice.due).days
        if late > 25:
            self.event(invoice.due + timedelta(days=14), "dunning", invoice, "1")
        if late > 50:
            self.event(invoice.due + timedelta(days=45), "dunning", invoice, "2")

    def spend(self, day: date, what: tuple[str, str, str], amount: Decimal) -> None:
        """(payee, narration, account) paid from the bank account in the account's currency."""
        payee, narration, account = what
        day = business_day(day)
        currency = next((c for c, tax in TAX.items() if tax == account and c != "USD"), "USD")
        postings = [Posting(account, amount, currency),
                    Posting(BANK[currency], -amount, currency)]
        self.journal.transaction(day, BANKING, f"* {quoted(payee)} {quoted(narration)}",
                                 postings)

    # -- scenarios ----------------------------------------------------------

    def overrides(self) -> None:
        """A few invoices override the customer's terms with `due:` or `terms:`."""
        cases = (("acme", date(2025, 11, 1), "due", 60),
                 ("globex", date(2026, 3, 1), "due", 30),
                 ("umbrella", date(2025, 8, 1), "terms", 45),
                 ("stark", date(2026, 2, 1), "terms", 60))
        for cid, after, kind, days in cases:
            invoice = self.find(cid, dated_from(after))
            self.touched.add(invoice.number)
            if kind == "due":
                invoice.due_override = invoice.day + timedelta(days=days)
                self.note(invoice, f"invoice-level due: {invoice.due_override}")
            else:
                invoice.terms_override = f"net {days}"
                self.note(invoice, f"invoice-level terms: net {days}")

    def resolved_dispute(self) -> None:
        """Acme disputes hours; a credit note settles it, then Acme pays the rest."""
        invoice = self.take("acme", dated_from(date(2025, 10, 1)))
        self.event(invoice.day + timedelta(days=9), "dispute", invoice,
                   quoted("Hours disputed: 4 hours billed twice"))
        settled = invoice.day + timedelta(days=21)
        line = invoice.lines[0]
        self.credit_note(settled, invoice, Line(line.account, line.description, Decimal(4),
                                                line.rate), "Credit note: 4 hours billed twice")
        self.event(settled, "resolve", invoice)
        self.pay(settled + timedelta(days=6), [(invoice, self.open_amount(invoice))], "Payment")
        self.note(invoice, "dispute, credit note, resolve, then paid")

    def open_dispute(self) -> None:
        """Tyrell disputes a deliverable; still open and unpaid at the end."""
        invoice = self.take("tyrell", due_between(date(2026, 7, 10), date(2026, 8, 28)))
        self.event(invoice.day + timedelta(days=12), "dispute", invoice,
                   quoted("Deliverable not accepted, re-test pending"))
        self.note(invoice, "disputed, still open (90+)")

    def escalation(self, cid: str, after: date, kind: str) -> None:
        """Two dunning letters, then collections; the invoice stays unpaid."""
        invoice = self.take(cid, dated_from(after))
        self.event(invoice.due + timedelta(days=14), "dunning", invoice, "1")
        self.event(invoice.due + timedelta(days=40), "dunning", invoice, "2")
        self.event(invoice.due + timedelta(days=75), "escalate", invoice, quoted(kind))
        self.note(invoice, f"dunning 1 and 2, escalated to {kind}, unpaid (90+)")

    def write_off(self) -> None:
        """Hooli pays 40 % late and the rest is written off."""
        invoice = self.take("hooli", dated_from(date(2025, 9, 1)))
        due = invoice.due
        self.event(due + timedelta(days=14), "dunning", invoice, "1")
        part = (invoice.total * Decimal("0.4")).quantize(Decimal(1))
        self.pay(due + timedelta(days=25), [(invoice, part)], "Partial payment")
        self.event(due + timedelta(days=50), "dunning", invoice, "2")
        rest = self.open_amount(invoice)
        head = (f"* {quoted(invoice.customer.name)} {quoted('Write-off: balance uncollectable')} "
                f"^{invoice.number} #write-off")
        postings = [Posting("Expenses:BadDebt", rest, "USD"),
                    Posting(invoice.customer.account, -rest, "USD")]
        day = business_day(due + timedelta(days=120))
        seq = self.journal.transaction(day, PAYMENT, head, postings)
        self.journal.apply(seq, invoice, rest, "write-off")
        self.journal.counts["write-off"] += 1
        self.note(invoice, f"partial payment {part}, dunning 1 and 2, write-off {rest}")

    def on_account(self) -> None:
        """Umbrella prepays; part of the credit is applied to one invoice, the rest stays."""
        customer, amount, paid = BY_ID["umbrella"], Decimal("8000.00"), date(2026, 3, 2)
        head = f"* {quoted(customer.name)} {quoted('Prepayment for Q2 workshops')} #on-account"
        seq = self.journal.transaction(paid, PAYMENT, head, [
            Posting(BANK["USD"], amount, "USD"), Posting(customer.account, -amount, "USD")])
        self.journal.move_credit(seq, customer.cid, amount)
        invoice = self.take("umbrella", lambda inv: inv.day >= date(2026, 4, 1)
                            and inv.total < amount)
        used = invoice.total
        head = (f"* {quoted(customer.name)} {quoted('Apply prepayment to ' + invoice.number)} "
                "#on-account")
        day = business_day(invoice.day + timedelta(days=3))
        seq = self.journal.transaction(day, PAYMENT, head, [
            Posting(customer.account, used, "USD"),
            Posting(customer.account, -used, "USD", invoice_ref(invoice))])
        self.journal.move_credit(seq, customer.cid, -used)
        self.journal.apply(seq, invoice, used, "on-account")
        self.journal.counts["on-account"] += 2
        self.note(invoice, f"on {day} paid from the {amount} on-account prepayment of {paid}, "
                  f"{amount - used} stays unapplied")

    def service_credit(self) -> None:
        """Stark gets 20 % of a support fee back for an SLA breach, then pays as usual."""
        invoice = self.find("stark", dated_from(date(2026, 5, 1)))
        self.touched.add(invoice.number)
        support = next(line for line in invoice.lines if line.account == "Income:Support")
        day = invoice.day + timedelta(days=6)
        credit = Line(support.account, "SLA credit", Decimal(1), support.rate / 5)
        self.credit_note(day, invoice, credit, "Credit note: SLA breach, 20% of support fee")
        self.not_before[invoice.number] = day
        self.note(invoice, "SLA credit note, then paid in a payment run")

    def overdue_spread(self) -> None:
        """Unpaid invoices in each aging bucket at 2026-11-30, in both currencies."""
        windows = {"61-90": (date(2026, 9, 2), date(2026, 9, 28)),
                   "31-60": (date(2026, 10, 2), date(2026, 10, 28)),
                   "1-30": (date(2026, 11, 2), date(2026, 11, 26))}
        picks = (("hooli", "61-90"), ("cyberdyne", "61-90"), ("initech", "31-60"),
                 ("tyrell", "31-60"), ("acme", "1-30"), ("cyberdyne", "1-30"))
        for cid, bucket in picks:
            invoice = self.take(cid, due_between(*windows[bucket]))
            self.note(invoice, f"left unpaid, {bucket} days overdue at {AGING_DATE}")
            if bucket != "1-30":
                self.event(invoice.due + timedelta(days=14), "dunning", invoice, "1")
            if cid == "hooli":
                half = (invoice.total / 2).quantize(Decimal(1))
                self.pay(invoice.due + timedelta(days=20), [(invoice, half)], "Partial payment")
                self.notes[-1] += f", partial payment {half}"
            if bucket == "61-90":
                self.event(invoice.due + timedelta(days=45), "dunning", invoice, "2")
            if (cid, bucket) == ("cyberdyne", "61-90"):
                self.event(invoice.due + timedelta(days=59), "dunning", invoice, "3")
                self.notes[-1] += ", final demand: in the escalation queue"
            if (cid, bucket) == ("tyrell", "31-60"):
                made, by = date(2026, 11, 20), date(2026, 12, 4)
                self.event(made, "promise", invoice, str(by))
                self.notes[-1] += f", promised on {made} to pay by {by}"

    def domestic(self) -> None:
        """The Czech customer pays on time but twice late; its last invoice is still open.

        That one gets two letters; half of it is paid on 15 July with a promise of
        the rest by 30 September, broken, and on 5 October a second promise, by
        20 November, broken too: on 2026-11-30 its final demand is due (in Czech,
        the customer's locale), with the statutory interest and 1200 CZK.
        """
        *invoices, last = [inv for inv in self.invoices if inv.customer.cid == "novak"]
        self.reserved.update(inv.number for inv in (*invoices, last))
        late = {2: (31, (8, 23)), 4: (12, (8,))}  # index: days late, letters (days overdue)
        for index, invoice in enumerate(invoices):
            days, letters = late.get(index, (-2, ()))
            for level, overdue in enumerate(letters, start=1):
                self.event(invoice.due + timedelta(days=overdue), "dunning", invoice, str(level))
            self.pay(invoice.due + timedelta(days=days), [(invoice, invoice.total)], "Payment")
            if days > 0:
                self.note(invoice, f"paid {days} days late after {len(letters)} letter(s)")
        self.event(last.due + timedelta(days=8), "dunning", last, "1")
        self.event(last.due + timedelta(days=23), "dunning", last, "2")
        half = (last.total / 2).quantize(Decimal(1))
        self.pay(date(2026, 7, 15), [(last, half)], "Partial payment")
        promises = ((date(2026, 7, 15), date(2026, 9, 30)), (date(2026, 10, 5), date(2026, 11, 20)))
        for made, by in promises:
            self.event(made, "promise", last, str(by))
        self.note(last, f"letters 1 and 2, {half} paid on 2026-07-15, two promises of the rest "
                  f"broken (by {promises[0][1]}, by {promises[1][1]}): final demand due")

    # -- ordinary payments ------------------------------------------------------

    def pay_day(self, invoice: Invoice) -> Due:
        """When `invoice` would be paid: early with discount, on time, or late."""
        customer = invoice.customer
        earliest = max(invoice.day, self.not_before.get(invoice.number, invoice.day))
        if "/" in invoice.terms and invoice.number not in self.not_before and (
            self.rng.random() < 0.5
        ):
            day = business_day(invoice.day + timedelta(days=self.rng.randint(4, 8)))
            return Due(day, invoice, discount=True)
        mean, spread = customer.delay
        delay = self.rng.randint(mean - spread, mean + spread)
        if self.rng.random() < 0.08:
            delay += self.rng.randint(20, 45)
        day = max(invoice.due + timedelta(days=delay), earliest + timedelta(days=1))
        return Due(business_day(day), invoice)

    def settle(self) -> None:
        """Pay every invoice no scenario holds, when its customer would pay it."""
        pending: dict[str, list[Due]] = defaultdict(list)
        for invoice in self.invoices:
            if invoice.number in self.reserved or not abroad(invoice):
                continue
            due = self.pay_day(invoice)
            if due.day <= END:
                pending[invoice.customer.cid].append(due)
        for customer in CUSTOMERS:
            dues = sorted(pending[customer.cid], key=lambda d: (d.day, d.invoice.number))
            if customer.batch_months:
                self.pay_batches(dues, customer.batch_months)
            else:
                for due in dues:
                    self.pay_single(due)

    def pay_single(self, due: Due) -> None:
        invoice, customer = due.invoice, due.invoice.customer
        amount = self.open_amount(invoice)
        if due.discount:
            discount = (invoice.total * DISCOUNT_RATE).quantize(CENT, rounding=ROUND_HALF_UP)
            self.discount_note(due.day, invoice, discount)
            self.pay(due.day, [(invoice, amount - discount)], "Payment, 2% discount taken")
            return
        last = due.day
        if self.rng.random() < 0.045 and due.day + timedelta(days=30) <= END:
            first = (amount * Decimal(self.rng.choice(("0.4", "0.5", "0.6")))).quantize(
                Decimal(1))
            self.pay(due.day, [(invoice, first)], "Partial payment")
            last = due.day + timedelta(days=self.rng.randint(14, 30))
            self.pay(last, [(invoice, amount - first)], "Payment of remaining balance")
            self.journal.counts["invoice paid in two parts"] += 1
        else:
            fee = customer.swift_fee if self.rng.random() < 0.3 else ZERO
            narration = "Payment, SWIFT charges deducted" if fee else "Payment"
            self.pay(due.day, [(invoice, amount)], narration, fee)
        self.dun_if_late(invoice, last)

    def pay_batches(self, dues: list[Due], months_per_run: int) -> None:
        """Payment runs: every invoice a run covers is paid on the run's last day."""
        runs: dict[int, list[Due]] = defaultdict(list)
        for due in dues:
            runs[(due.day.year * 12 + due.day.month - 1) // months_per_run].append(due)
        for run in runs.values():
            day = max(due.day for due in run)
            parts = [(due.invoice, self.open_amount(due.invoice))
                     for due in sorted(run, key=lambda due: due.invoice.number)]
            narration = "Payment" if len(parts) == 1 else f"Payment run, {len(parts)} invoices"
            self.pay(day, parts, narration)
            for due in run:
                self.dun_if_late(due.invoice, day)

    # -- the firm's own banking ------------------------------------------------------

    def opening(self) -> None:
        postings = [Posting(BANK[c], OPENING[c], c) for c in BANK]
        postings.extend(Posting("Equity:Opening-Balances", -OPENING[c], c) for c in BANK)
        self.journal.transaction(START, CUSTOMER, '* "Opening balances"', postings)

    def expenses(self) -> None:
        for month in months(START, END):
            label = month_label(month)
            rent = ("Vinohrady Offices", f"Office rent, {label}", "Expenses:Rent")
            self.spend(month, rent, Decimal("2350.00"))
            software = Decimal(self.rng.randint(2800, 4200)) / 10
            self.spend(month.replace(day=12), ("Cloud and software subscriptions",
                       f"Hosting and licences, {label}", "Expenses:Software"), software)
            payday = month.replace(day=25)
            if payday <= END:
                self.spend(payday, ("Payroll", f"Salaries, {label}", "Expenses:Salaries"),
                           Decimal("15800.00"))
                self.spend(payday, ("Bank", "Account fee", "Expenses:BankFees"),
                           Decimal("12.00"))

    def remit_taxes(self) -> None:
        """Quarterly: pay the sales tax and VAT collected in the quarter."""
        for quarter in (date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31),
                        date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)):
            day = quarter + timedelta(days=25)
            owed = -self.journal.balance_of(TAX["USD"], quarter + timedelta(days=1))
            self.spend(day, ("Sales tax authority", "Sales tax return", TAX["USD"]), owed)
            owed = -self.journal.balance_of(TAX["EUR"], quarter + timedelta(days=1))
            self.spend(day, ("Finanční úřad", "VAT return", TAX["EUR"]), owed)
            owed = -self.journal.balance_of(TAX["CZK"], quarter + timedelta(days=1))
            if owed:
                self.spend(day, ("Finanční úřad", "VAT return, domestic (CZK)", TAX["CZK"]),
                           owed)

    def balance_checks(self) -> None:
        for day in (date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 1), date(2026, 4, 1),
                    date(2026, 7, 1), date(2026, 10, 1), date(2026, 11, 1)):
            for currency in ALL_CURRENCIES:
                account = BANK[currency]
                amount = self.journal.balance_of(account, day)
                self.journal.add(day, BALANCE,
                                 f"{day} balance {account:<26}{amount:>12.2f} {currency}")

    def build(self) -> None:
        self.overrides()
        for invoice in self.invoices:
            self.issue(invoice)
        self.resolved_dispute()
        self.open_dispute()
        self.escalation("initech", date(2026, 4, 1), "agency")
        self.escalation("cyberdyne", date(2026, 2, 1), "legal")
        self.write_off()
        self.on_account()
        self.service_credit()
        self.overdue_spread()
        self.domestic()
        self.settle()
        self.opening()
        self.expenses()
        self.remit_taxes()
        self.balance_checks()


def due_between(first: date, last: date) -> Callable[[Invoice], bool]:
    return lambda invoice: first <= invoice.due <= last


def dated_from(first: date) -> Callable[[Invoice], bool]:
    return lambda invoice: invoice.day >= first


# --------------------------------------------------------------------------- self-checks


def check_applications(journal: Journal) -> None:
    """No invoice is paid before its date or beyond its amount; credit is never over-used."""
    applied: dict[str, Decimal] = defaultdict(Decimal)
    for app in sorted(journal.applications, key=lambda a: (a.day, a.rank, a.seq)):
        invoice = app.invoice
        check(app.amount > 0, f"{invoice.number}: non-positive application")
        check(app.day >= invoice.day, f"{invoice.number}: applied before its date")
        applied[invoice.number] += app.amount
        check(applied[invoice.number] <= invoice.total, f"{invoice.number}: over-paid")
    credit: dict[str, Decimal] = defaultdict(Decimal)
    for move in sorted(journal.credit, key=lambda m: (m.day, m.rank, m.seq)):
        credit[move.cid] += move.amount
        check(credit[move.cid] >= 0, f"{move.cid}: on-account credit over-used")


def open_before(journal: Journal, invoice: Invoice, day: date) -> Decimal:
    """What `invoice` still owed at the start of `day`."""
    paid = (a.amount for a in journal.applications if a.invoice is invoice and a.day < day)
    return invoice.total - sum(paid, ZERO)


def credit_at(journal: Journal, cid: str, day: date) -> Decimal:
    """Unapplied credit on `day`, counted low: new credit from the day before, uses that day."""
    moves = (m.amount for m in journal.credit if m.cid == cid
             and (m.day < day or (m.day == day and m.amount < 0)))
    return sum(moves, ZERO)


def check_credit_limits(book: Book) -> dict[str, tuple[Decimal, Decimal]]:
    """Each invoice keeps its customer within the limit; returns the peak use per customer."""
    peaks: dict[str, tuple[Decimal, Decimal]] = {}
    for invoice in book.invoices:
        customer = invoice.customer
        limit = limit_on(customer, invoice.day)
        if limit is None:
            continue
        exposure = sum((open_before(book.journal, other, invoice.day) for other in book.invoices
                        if other.customer is customer and other.day <= invoice.day), ZERO)
        exposure -= credit_at(book.journal, customer.cid, invoice.day)
        check(exposure <= limit, f"{invoice.number}: {customer.cid} at {exposure} over {limit}")
        peak = peaks.get(customer.cid)
        if peak is None or exposure / limit > peak[0] / peak[1]:
            peaks[customer.cid] = (exposure, limit)
    return peaks


def aging(book: Book) -> dict[str, dict[str, Decimal]]:
    """Open amounts per currency and bucket at AGING_DATE, with unapplied credit."""
    table: dict[str, dict[str, Decimal]] = {c: defaultdict(Decimal) for c in ALL_CURRENCIES}
    for invoice in book.invoices:
        owed = open_before(book.journal, invoice, AGING_DATE + timedelta(days=1))
        if owed:
            table[invoice.customer.currency][bucket_of((AGING_DATE - invoice.due).days)] += owed
    for move in book.journal.credit:
        table[BY_ID[move.cid].currency]["unapplied"] -= move.amount
    return table


def bucket_of(days_overdue: int) -> str:
    for edge, name in ((0, "current"), (30, "1-30"), (60, "31-60"), (90, "61-90")):
        if days_overdue <= edge:
            return name
    return "90+"


def check_coverage(book: Book, table: dict[str, dict[str, Decimal]]) -> None:
    """Every construct the example promises is there."""
    counts = book.journal.counts
    kinds: dict[tuple[str, str], int] = defaultdict(int)
    for event in book.journal.events:
        kinds[(event.kind, event.argument)] += 1
    minimums = {"payment": 150, "multi-invoice payment": 3, "invoice paid in two parts": 2,
                "payment with bank fee": 2, "credit note": 3, "write-off": 1, "on-account": 2}
    for what, least in minimums.items():
        check(counts[what] >= least, f"only {counts[what]} {what}")
    for kind in (("dunning", "1"), ("dunning", "2"), ("dunning", "3"), ("escalate", '"agency"'),
                 ("escalate", '"legal"'), ("resolve", "")):
        check(kinds[kind] >= 1, f"no {kind} event")
    check_promises(book)
    check(sum(n for (k, _), n in kinds.items() if k == "dispute") >= 2, "fewer than 2 disputes")
    check(len(book.invoices) >= 150, "fewer than 150 invoices")
    terms = {terms_on(c, c.start) for c in CUSTOMERS if c.terms} | {"no terms"}
    check(len(terms) >= 6, f"terms forms missing: {terms}")
    for currency in CURRENCIES:
        for name in BUCKETS:
            check(table[currency][name] > 0, f"no {currency} amount in bucket {name}")
    check(table["USD"]["unapplied"] < 0, "no unapplied credit left")


def check_promises(book: Book) -> None:
    """At AGING_DATE one promise to pay is in force and one is broken (passed, still open)."""
    kept = broken = 0
    for event in book.journal.events:
        if event.kind != "promise":
            continue
        by = date.fromisoformat(event.argument)
        check(event.day <= by, f"{event.invoice.number}: promise to pay before it was made")
        if event.day <= AGING_DATE <= by:
            kept += 1
        owed = open_before(book.journal, event.invoice, AGING_DATE + timedelta(days=1))
        if by < AGING_DATE and owed > 0:
            broken += 1
    check(kept >= 1, f"no promise in force on {AGING_DATE}")
    check(broken >= 1, f"no broken promise on {AGING_DATE}")


def half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def domestic_reference_days(book: Book) -> list[date]:
    """The days whose ČNB rate the `cz` rule reads: each Czech delay's half-year start."""
    days = set()
    for invoice in book.invoices:
        if invoice.customer.currency != "CZK":
            continue
        paid = [a.day for a in book.journal.applications if a.invoice is invoice]
        still_open = open_before(book.journal, invoice, AGING_DATE + timedelta(days=1)) > 0
        if still_open or max(paid) > invoice.due:
            days.add(half_year_start(invoice.due + timedelta(days=1)))
    return sorted(days)


def shipped_rate(series: str, day: date) -> tuple[Decimal | None, date | None]:
    """The shipped rate of `series` in force on `day` (None: none or a gap), and its check day."""
    rate, checked = None, None
    for line in (RATE_TABLES / f"{series.lower()}.csv").read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text.lower().startswith("# checked:"):
            checked = date.fromisoformat(text.split(":", 1)[1].strip())
        if not text or text.startswith(("#", "date,")):
            continue
        since, value = [*text.split(","), ""][:2]
        if date.fromisoformat(since) <= day:
            rate = Decimal(value) if value.strip() else None
    return rate, checked


def check_domestic_rates(book: Book) -> None:
    """Every day the `cz` rule reads for a Czech delay has a ČNB rate the shipped table confirms."""
    for day in domestic_reference_days(book):
        rate, checked = shipped_rate("CZ", day)
        check(rate is not None and checked is not None and day <= checked,
              f"a Czech delay reads the ČNB rate of {day}, which the shipped table does not "
              f"confirm (rate {rate}, checked {checked}); give it as an ar-rate or move the delay")


def check_text(text: str) -> None:
    """No digit run that could pass for a card number, and amounts of two decimals."""
    for match in re.finditer(r"\d(?:[ -]?\d){12,}", text):
        digits = sum(ch.isdigit() for ch in match.group(0))
        check(not 13 <= digits <= 19, f"card-like digit run {match.group(0)!r}")


# --------------------------------------------------------------------------- output


def header() -> str:
    company = (
        '2025-01-01 custom "ar-company" "Seed Consulting s.r.o."\n'
        '  address: "Vinohradská 1, 120 00 Praha 2"\n'
        '  tax-id: "CZ12345679"\n'
        '  iban: "CZ65 0800 0000 1920 0014 5399"\n'
        '  bic: "GIBACZPX"\n'
        '  email: "billing@seed.example"\n'
        '  logo: "logo.png"          ; ledger/logo.png, embedded in every document\n'
        '  locale: "en_US"           ; documents in English; letters in a customer\'s locale\n'
        '  page-size: "A4"\n'
        '  templates: "templates"    ; ledger/templates/notes.html closes every document'
    )
    return "\n".join((
        "; Seed Consulting s.r.o.: an accounts-receivable example for beancount-ar.",
        "; Generated by ledger/generate_example.py (random seed 2026); edit the script,",
        "; not this file, and run it again.",
        "",
        'option "title" "Seed Consulting \u2014 receivables example"',
        'option "operating_currency" "USD"',
        'option "operating_currency" "EUR"',
        'option "operating_currency" "CZK"',
        "",
        ("plugin \"beancount_ar\" \"{'root': 'Assets:Receivable', 'default_terms': 'net 30', "
         "'invoice_number': 'INV-{year}-{seq:03d}', 'discount_account': "
         "'Expenses:SalesDiscounts'}\""),
        "",
        "; the Receivables report in Fava",
        '2025-01-01 custom "fava-extension" "beancount_ar.fava"',
        "",
        company,
    ))


def section(title: str) -> str:
    rule = "; " + "=" * 76
    return f"\n\n{rule}\n; {title}\n{rule}\n"


def policies(book: Book) -> str:
    """The dunning policies, one per law, and why the example gives no reference rate."""
    blocks = ["\n".join((
        "; Seed Consulting's contracts follow the law of the customer's market. A customer",
        f'; names its policy with `dunning:`; "{EU_POLICY}" is the policy of every customer',
        '; that names none, and `dunning: "none"` (Wayne Enterprises, who pays within the',
        "; discount window and whose account manager calls) takes a customer out of",
        "; collections: no letters, no interest, no escalation.",
    ))]
    for pid, fields, why in POLICIES:
        lines = [f"; {line}" for line in wrap(f"{pid}: {why}.", 78)]
        lines.append(f'2025-01-01 custom "ar-dunning-policy" {quoted(pid)}')
        lines.extend(f"  {key}: {value}" for key, value in fields)
        blocks.append("\n".join(lines))
    days = " and ".join(f"{day.day} {day:%B %Y}" for day in domestic_reference_days(book))
    why = (
        "Reference rates: none given here. The package ships the ČNB, ECB and Bank of "
        "England history, each table saying the day it was last checked. The `cz` rule "
        "reads the ČNB rate on the first day of the half-year a delay begins in; for the "
        f"Czech customer's delays that is {days}, which the shipped table covers (the "
        "generator checks it). The `eu` rule reads the ECB rate on 1 January and 1 July of "
        "each day of delay: for a day after the shipped table's check, the reports warn "
        "on stderr and apply the last known rate. Once a newer rate is confirmed, give "
        "it, dated the day it took effect:"
    )
    rates = [*(f"; {line}" for line in wrap(why, 80)), ';   custom "ar-rate" "EU" <rate>']
    blocks.append("\n".join(rates))
    return "\n\n".join(blocks)


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` characters less the comment's "; "."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width - 2:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def accounts() -> str:
    opened = [("Assets:Bank:Checking", "USD"), ("Assets:Bank:EUR", "EUR"),
              ("Assets:Bank:CZK", "CZK"), (UNDEPOSITED, "USD")]
    opened += [(c.account, c.currency) for c in CUSTOMERS]
    opened += [("Liabilities:SalesTax", "USD"), ("Liabilities:VAT", "EUR"),
               ("Liabilities:VAT:CZK", "CZK"), ("Equity:Opening-Balances", "")]
    opened += [(f"Income:{name}", "") for name in ("Consulting", "Training", "Support")]
    opened += [(CONTRACT_ACCOUNT, "")]
    opened += [(f"Expenses:{name}", "") for name in (
        "BadDebt", "BankFees", "SalesDiscounts", "Rent", "Salaries", "Software")]
    return "\n".join(f"2025-01-01 open {account:<28} {currency}".rstrip()
                     for account, currency in opened)


def customer_directive(day: date, cid: str, fields: list[tuple[str, str]]) -> str:
    lines = [f'{day} custom "ar-customer" {quoted(cid)}']
    lines.extend(f"  {key}: {value}" for key, value in fields)
    return "\n".join(lines)


def customers() -> str:
    blocks = []
    for c in sorted(CUSTOMERS, key=lambda c: c.since):
        fields = [("name", quoted(c.name)), ("account", c.account)]
        if c.terms:
            fields.append(("terms", quoted(c.terms)))
        if c.credit_limit is not None:
            fields.append(("credit-limit", f"{c.credit_limit:.2f} {c.currency}"))
        fields += [("email", quoted(c.email)), ("address", quoted(c.address))]
        if c.tax_id:
            fields.append(("tax-id", quoted(c.tax_id)))
        fields.append(("collector", quoted(c.collector)))
        if c.locale:
            fields.append(("locale", quoted(c.locale)))
        if c.dunning:
            fields.append(("dunning", quoted(c.dunning)))
        block = customer_directive(c.since, c.cid, fields)
        if c.series != SERIES:
            block = (f"; invoiced in {c.currency} with Czech VAT, in a series of its own "
                     f"({c.series}-YYYY-NNN);\n; its letters in Czech (locale), under the "
                     f'"{c.dunning}" policy\n{block}')
        blocks.append(block)
    return "\n\n".join(blocks)


def add_changes(journal: Journal) -> None:
    """The dated changes of terms and credit limits go in the journal, at their dates."""
    for change in CHANGES:
        fields = []
        if change.terms:
            fields.append(("terms", quoted(change.terms)))
        if change.credit_limit is not None:
            currency = BY_ID[change.cid].currency
            fields.append(("credit-limit", f"{change.credit_limit:.2f} {currency}"))
        journal.add(change.day, CUSTOMER, customer_directive(change.day, change.cid, fields))


def add_contracts(journal: Journal) -> None:
    """The `ar-contract` directives, at their first period's day; no period billed."""
    for cid, day, customer, every, amount, description in CONTRACTS:
        currency = BY_ID[customer].currency
        journal.add(day, CUSTOMER, "\n".join((
            f'{day} custom "ar-contract" {quoted(cid)}',
            f"  customer: {quoted(customer)}", f"  every: {quoted(every)}",
            f"  amount: {amount:.2f} {currency}", f"  account: {CONTRACT_ACCOUNT}",
            f"  description: {quoted(description)}")))
        journal.counts["recurring contract"] += 1


def journal_text(journal: Journal) -> str:
    parts: list[str] = []
    month = None
    for entry in sorted(journal.entries, key=lambda e: (e.day, e.rank, e.seq)):
        if entry.day.replace(day=1) != month:
            month = entry.day.replace(day=1)
            parts.append(section(f"{month:%Y-%m}  {month_label(month)}").strip("\n"))
        parts.append(entry.text)
    return "\n\n".join(parts)


def render(book: Book) -> str:
    return "".join((
        header(),
        section("Collections: one dunning policy per law (AR-SPEC section 11)"), policies(book),
        section("Accounts"), accounts(),
        section("Customers (later changes of terms and limits are in the journal)"),
        customers(),
        "\n\n", journal_text(book.journal), "\n",
    ))


def summary(book: Book, table: dict[str, dict[str, Decimal]],
            peaks: dict[str, tuple[Decimal, Decimal]]) -> None:
    journal = book.journal
    by_currency: dict[str, int] = defaultdict(int)
    for invoice in book.invoices:
        by_currency[invoice.customer.currency] += 1
    print(f"wrote {OUTPUT}")
    print(f"customers: {len(CUSTOMERS)}, invoices: {len(book.invoices)} "
          f"({', '.join(f'{c} {n}' for c, n in sorted(by_currency.items()))}), "
          f"{book.invoices[0].number} .. {book.invoices[-1].number}")
    for what, count in sorted(journal.counts.items()):
        print(f"  {what}: {count}")
    kinds: dict[str, int] = defaultdict(int)
    for event in journal.events:
        kinds[f"{event.kind} {event.argument}".strip()] += 1
    print("status events: " + ", ".join(f"{k} x{n}" for k, n in sorted(kinds.items())))
    print("credit-limit peaks: " + ", ".join(
        f"{cid} {use}/{limit}" for cid, (use, limit) in sorted(peaks.items())))
    print(f"aging at {AGING_DATE} (due-date basis):")
    print(f"  {'':4}{'unapplied':>11}" + "".join(f"{name:>11}" for name in BUCKETS)
          + f"{'total':>12}")
    for currency in ALL_CURRENCIES:
        row = table[currency]
        total = sum(row.values(), ZERO)
        print(f"  {currency:4}{row['unapplied']:>11.2f}"
              + "".join(f"{row[name]:>11.2f}" for name in BUCKETS) + f"{total:>12.2f}")
    print("scenarios:")
    for line in sorted(book.notes):
        print(f"  {line}")


def generate() -> tuple[Book, dict[str, dict[str, Decimal]],
                        dict[str, tuple[Decimal, Decimal]], str]:
    """Build the book, check it, and render the ledger: (book, aging, credit peaks, text)."""
    book = Book(random.Random(SEED))
    book.build()
    add_changes(book.journal)
    add_contracts(book.journal)
    check_applications(book.journal)
    peaks = check_credit_limits(book)
    table = aging(book)
    check_coverage(book, table)
    check_domestic_rates(book)
    text = render(book)
    check_text(text)
    return book, table, peaks, text


def main() -> None:
    book, table, peaks, text = generate()
    OUTPUT.write_text(text, encoding="utf-8")
    summary(book, table, peaks)


if __name__ == "__main__":
    main()
