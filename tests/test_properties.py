"""Properties of `bean-ar aging` and `overdue` on random histories, through the real loader.

A history is two or three customers invoicing in USD and EUR, with partial and
full payments, credit notes and write-offs that never exceed what is open, and
prepayments on account, some of them applied to an invoice later. It is written
out as ledger text, loaded by Beancount with the suite's plugin, and reported on
at random dates:

- the ledger has no errors;
- each customer row's `total` is the balance of the customer's receivable account
  on that date (summed here from the loaded postings), and the row's sum;
- every customer and currency with a balance has a row;
- each `TOTAL` row is the sum of the customer rows in its currency;
- the buckets match a model of the history kept by the generator;
- `overdue` lists exactly the past-due part of the aging report;
- when every invoice is paid in full, both reports are empty.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from beancount.core.data import Transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledgers import AGING_HEADER, OVERDUE_HEADER, invoke, write_ledger

from beancount_ar.cli.loading import load_ledger

if TYPE_CHECKING:
    from pathlib import Path

START = datetime.date(2026, 1, 2)
DEFAULT_NET_DAYS = 30  # the header's terms
EDGES = (30, 60, 90)
ACCOUNTS = {
    "acme": ("Acme Corp", "Assets:Receivable:Acme"),
    "globex": ("Globex Inc", "Assets:Receivable:Globex"),
    "umbrella": ("Umbrella Corp", "Assets:Receivable:Umbrella"),
}
SETTINGS = settings(max_examples=35, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_names = itertools.count()


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


@dataclass
class Invoice:
    number: str
    customer: str
    currency: str
    date: datetime.date
    due: datetime.date
    cents: int
    explicit_due: bool
    applied: list[tuple[datetime.date, int]] = field(default_factory=list)  # (date, cents > 0)

    def open_on(self, as_of: datetime.date) -> int:
        return self.cents - sum(c for d, c in self.applied if d <= as_of)


@dataclass
class History:
    invoices: list[Invoice]
    credit: list[tuple[str, str, datetime.date, int]]  # customer, currency, date, signed cents
    text: str
    last: datetime.date


def _invoice_text(inv: Invoice) -> str:
    payee, account = ACCOUNTS[inv.customer]
    due = f"  due: {inv.due}\n" if inv.explicit_due else ""
    return (f'{inv.date} * "{payee}" "Consulting" ^{inv.number} #invoice\n{due}'
            f"  {account}  {money(inv.cents)} {inv.currency}\n"
            f"  Income:Consulting  {money(-inv.cents)} {inv.currency}\n")


def _application_text(inv: Invoice, kind: str, when: datetime.date, cents: int) -> str:
    payee, account = ACCOUNTS[inv.customer]
    amount, cur = money(cents), inv.currency
    if kind == "credit-note":
        return (f'{when} * "{payee}" "Credit note" ^{inv.number} #credit-note\n'
                f"  {account}  -{amount} {cur}\n  Income:Consulting  {amount} {cur}\n")
    if kind == "write-off":
        return (f'{when} * "{payee}" "Write-off" ^{inv.number} #write-off\n'
                f"  Expenses:BadDebt  {amount} {cur}\n  {account}  -{amount} {cur}\n")
    return (f'{when} * "{payee}" "Payment" ^{inv.number}\n'
            f"  Assets:Bank:Checking  {amount} {cur}\n  {account}  -{amount} {cur}\n")


@st.composite
def histories(draw: st.DrawFn, *, pay_in_full: bool = False) -> History:
    customers = draw(st.lists(st.sampled_from(sorted(ACCOUNTS)), min_size=2, max_size=3,
                              unique=True))
    # (date, rank, text): invoices, then prepayments, then applications on one day.
    texts: list[tuple[datetime.date, int, str]] = []
    invoices: list[Invoice] = []
    for index in range(draw(st.integers(1, 8))):
        date = START + datetime.timedelta(days=draw(st.integers(0, 180)))
        net = draw(st.one_of(st.none(), st.integers(0, 90)))
        due = date + datetime.timedelta(days=DEFAULT_NET_DAYS if net is None else net)
        inv = Invoice(f"INV-{index:03d}", draw(st.sampled_from(customers)),
                      draw(st.sampled_from(["USD", "EUR"])), date, due,
                      draw(st.integers(1, 2_000_000)), explicit_due=net is not None)
        invoices.append(inv)
        texts.append((date, 0, _invoice_text(inv)))
        for _ in range(draw(st.integers(0, 3))):
            left = inv.open_on(datetime.date.max)
            if left == 0:
                break
            cents = draw(st.integers(1, left))
            when = date + datetime.timedelta(days=draw(st.integers(0, 150)))
            kind = draw(st.sampled_from(["payment", "payment", "credit-note", "write-off"]))
            inv.applied.append((when, cents))
            texts.append((when, 2, _application_text(inv, kind, when, cents)))
        left = inv.open_on(datetime.date.max)
        if pay_in_full and left:
            when = date + datetime.timedelta(days=draw(st.integers(0, 150)))
            inv.applied.append((when, left))
            texts.append((when, 2, _application_text(inv, "payment", when, left)))

    credit: list[tuple[str, str, datetime.date, int]] = []
    if not pay_in_full:
        for customer in customers:
            for _ in range(draw(st.integers(0, 2))):
                currency = draw(st.sampled_from(["USD", "EUR"]))
                date = START + datetime.timedelta(days=draw(st.integers(0, 200)))
                cents = draw(st.integers(1, 500_000))
                payee, account = ACCOUNTS[customer]
                credit.append((customer, currency, date, -cents))
                prepayment = (f'{date} * "{payee}" "Prepayment" #on-account\n'
                              f"  Assets:Bank:Checking  {money(cents)} {currency}\n"
                              f"  {account}  {money(-cents)} {currency}\n")
                texts.append((date, 1, prepayment))
                targets = [i for i in invoices if i.customer == customer
                           and i.currency == currency and i.open_on(datetime.date.max) > 0]
                apply_some: bool = draw(st.booleans())
                if targets and apply_some:
                    inv = draw(st.sampled_from(targets))
                    used = draw(st.integers(1, min(cents, inv.open_on(datetime.date.max))))
                    when = max(date, inv.date) + datetime.timedelta(days=draw(st.integers(0, 60)))
                    inv.applied.append((when, used))
                    credit.append((customer, currency, when, used))
                    application = (f'{when} * "{payee}" "Apply prepayment" #on-account\n'
                                   f"  {account}  {money(used)} {currency}\n"
                                   f"  {account}  {money(-used)} {currency}\n"
                                   f'    invoice: "{inv.number}"\n')
                    texts.append((when, 2, application))
    texts.sort(key=lambda item: (item[0], item[1]))
    return History(invoices, credit, "\n".join(t for _, _, t in texts),
                   max(d for d, _, _ in texts))


def as_of_dates(history: History) -> st.SearchStrategy[list[datetime.date]]:
    """Any day of the history, or a day on a bucket edge of one of its invoices."""
    days = (history.last - START).days + 40
    any_day = st.integers(-1, days).map(lambda n: START + datetime.timedelta(days=n))
    edges = sorted({inv.due + datetime.timedelta(days=offset) for inv in history.invoices
                    for offset in (0, 1, *EDGES, *(edge + 1 for edge in EDGES))})
    return st.lists(st.one_of(any_day, st.sampled_from(edges)), min_size=1, max_size=3)


def _csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def _run(path: Path, command: str, as_of: datetime.date) -> str:
    result = invoke(command, path, "--as-of", as_of.isoformat(), "--format", "csv")
    assert result.exit_code == 0, result.output
    return result.stdout


def _balances(entries: list[object], as_of: datetime.date) -> dict[tuple[str, str], Decimal]:
    """Per customer and currency: the receivable account's balance, from the postings."""
    owner = {account: customer for customer, (_, account) in ACCOUNTS.items()}
    balances: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for entry in entries:
        if isinstance(entry, Transaction) and entry.date <= as_of:
            for posting in entry.postings:
                units = posting.units
                if posting.account in owner and units is not None and units.number is not None:
                    balances[owner[posting.account], units.currency] += units.number
    return balances


def _bucket(days: int) -> int:
    if days <= 0:
        return 0
    return next((i for i, edge in enumerate(EDGES, start=1) if days <= edge), len(EDGES) + 1)


def _model_rows(history: History, as_of: datetime.date) -> dict[tuple[str, str], list[int]]:
    """Expected cents per customer and currency: unapplied, then the five buckets."""
    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * (len(EDGES) + 3))
    for inv in history.invoices:
        left = inv.open_on(as_of)
        if inv.date <= as_of and left:
            rows[inv.customer, inv.currency][1 + _bucket((as_of - inv.due).days)] += left
    for customer, currency, date, cents in history.credit:
        if date <= as_of:
            rows[customer, currency][0] += cents
    return {key: cells for key, cells in rows.items() if any(cells)}


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


def _write(directory: Path, history: History) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return write_ledger(directory, history.text, name=f"history-{next(_names)}.beancount")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("histories")


@SETTINGS
@given(data=st.data())
def test_aging_ties_to_the_receivable_balances(workdir: Path, data: st.DataObject) -> None:
    history = data.draw(histories())
    path = _write(workdir, history)
    ledger = load_ledger(path)
    assert ledger.errors == [], (ledger.errors, history.text)

    for as_of in data.draw(as_of_dates(history)):
        header, rows = _csv(_run(path, "aging", as_of))
        assert ",".join(header) == AGING_HEADER
        amounts = header[2:]
        customer_rows = [r for r in rows if r["customer"] != "TOTAL"]
        total_rows = [r for r in rows if r["customer"] == "TOTAL"]
        assert rows == customer_rows + total_rows  # TOTAL rows come last

        keys = [(r["customer"], r["currency"]) for r in customer_rows]
        assert keys == sorted(set(keys))  # one row per customer and currency, sorted

        balances = _balances(ledger.entries, as_of)
        for row in customer_rows:
            key = (row["customer"], row["currency"])
            total = Decimal(row["total"])
            assert total == balances[key], (as_of, row, history.text)
            assert total == sum(Decimal(row[c]) for c in amounts[:-1])
            assert Decimal(row["unapplied"]) <= 0
        for key, balance in balances.items():
            if balance:
                assert key in keys, (as_of, key, balance, history.text)

        assert [r["currency"] for r in total_rows] == sorted({k[1] for k in keys})
        for total_row in total_rows:
            same = [r for r in customer_rows if r["currency"] == total_row["currency"]]
            for column in amounts:
                assert Decimal(total_row[column]) == sum(Decimal(r[column]) for r in same)

        model = _model_rows(history, as_of)
        assert {k: [_cents(r[c]) for c in amounts[:-1]]
                for k, r in zip(keys, customer_rows, strict=True)} == model, (as_of, history.text)


@SETTINGS
@given(data=st.data())
def test_overdue_is_the_past_due_part_of_aging(workdir: Path, data: st.DataObject) -> None:
    history = data.draw(histories())
    path = _write(workdir, history)
    for as_of in data.draw(as_of_dates(history)):
        _, aging_rows = _csv(_run(path, "aging", as_of))
        header, overdue_rows = _csv(_run(path, "overdue", as_of))
        assert ",".join(header) == OVERDUE_HEADER

        order = [(-int(r["days_overdue"]), r["invoice"]) for r in overdue_rows]
        assert order == sorted(order)
        past_due: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for row in overdue_rows:
            assert int(row["days_overdue"]) > 0
            assert 0 < Decimal(row["open"]) <= Decimal(row["amount"])
            assert row["status"] == "overdue"
            past_due[row["customer"], row["currency"]] += Decimal(row["open"])
        expected = {
            (r["customer"], r["currency"]): sum(Decimal(r[c]) for c in ("1-30", "31-60",
                                                                         "61-90", "90+"))
            for r in aging_rows if r["customer"] != "TOTAL"
        }
        assert dict(past_due) == {k: v for k, v in expected.items() if v}

        listed = {r["invoice"] for r in overdue_rows}
        assert listed == {i.number for i in history.invoices
                          if i.date <= as_of and i.due < as_of and i.open_on(as_of) > 0}


@SETTINGS
@given(data=st.data())
def test_everything_paid_in_full_leaves_empty_reports(workdir: Path, data: st.DataObject) -> None:
    history = data.draw(histories(pay_in_full=True))
    path = _write(workdir, history)
    ledger = load_ledger(path)
    assert ledger.errors == [], (ledger.errors, history.text)
    as_of = history.last + datetime.timedelta(days=data.draw(st.integers(0, 400)))
    assert _run(path, "aging", as_of) == AGING_HEADER + "\n"
    assert _run(path, "overdue", as_of) == OVERDUE_HEADER + "\n"
