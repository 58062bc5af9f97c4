"""Properties of `bean-ar collections` on random histories, through the real loader.

A history is two or three customers invoicing in USD and EUR over a year, most
months silent: partial and full payments, credit notes, write-offs and debits
(bounced payments, refunds) that never take an invoice below zero or above what
was billed, prepayments on account, some applied to an invoice later and some
refunded. The generator keeps every receivable posting with the kind of its
transaction, and each invoice's open amount over time. For a random period
kind, `--from` and `--to`:

- every row ties: `open` = the open it starts from + invoiced - credited -
  collected - written_off, and it starts from the previous period's `open`
  (the first from the open on the day before its period);
- `open` is `reports.aging`'s total at the period's end (or `--to`) and the
  balance of the receivable postings then; the last one is `bean-ar aging`'s
  `TOTAL` on `--to`, for every currency;
- the flows are the generator's postings of each kind in the period; the counts
  and overdue its invoices' open amounts at the period's end;
- every period has a row for every currency used by `--to`;
- `--by customer` and `--by collector` rows sum to the rows without `--by`,
  and leave out exactly the rows whose figures are all zero.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledgers import invoke, write_ledger

from beancount_ar.cli.loading import load_ledger
from beancount_ar.reports.aging import aging
from beancount_ar.reports.billed_collected import PeriodRow, billed_collected
from beancount_ar.reports.periods import PERIOD_KINDS, period_of

if TYPE_CHECKING:
    from beancount_ar.core.model import Receivables

YEAR = 2026
ACCOUNTS = {
    "acme": ("Acme Corp", "Assets:Receivable:Acme"),
    "globex": ("Globex Inc", "Assets:Receivable:Globex"),
    "umbrella": ("Umbrella Corp", "Assets:Receivable:Umbrella"),
}
# umbrella moves from petr to jana in June; globex has no collector.
COLLECTORS = """
2026-01-02 custom "ar-customer" "acme"
  collector: "jana"

2026-01-02 custom "ar-customer" "umbrella"
  collector: "petr"

2026-06-01 custom "ar-customer" "umbrella"
  collector: "jana"
"""
SPANS = {"day": 40, "week": 120, "month": 420, "quarter": 500, "year": 500}
SETTINGS = settings(max_examples=35, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FLOWS = ("invoiced", "credited", "collected", "written_off")
CENT = Decimal("0.01")


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
    open: int  # after everything generated so far
    last: datetime.date  # the day of the last thing applied
    applied: list[tuple[datetime.date, int]] = field(default_factory=list)  # signed as posted

    def open_on(self, day: datetime.date) -> int:
        return self.cents + sum(c for d, c in self.applied if d <= day)


class Posting:
    """A receivable posting as the generator wrote it, and its transaction's kind."""

    def __init__(self, date: datetime.date, customer: str, currency: str, kind: str,
                 cents: int) -> None:
        self.date, self.customer, self.currency = date, customer, currency
        self.kind, self.cents = kind, cents  # kind: invoice | credit-note | write-off | other


@dataclass
class History:
    invoices: list[Invoice]
    postings: list[Posting]
    text: str


class _Writer:
    def __init__(self) -> None:
        self.texts: list[tuple[datetime.date, int, int, str]] = []
        self.postings: list[Posting] = []
        self.seq = itertools.count()

    def add(self, date: datetime.date, rank: int, text: str) -> None:
        self.texts.append((date, rank, next(self.seq), text))

    def text(self) -> str:
        return "\n".join(t for *_, t in sorted(self.texts))


def _application(inv: Invoice, kind: str, when: datetime.date, cents: int) -> str:
    """`cents` > 0 lowers the open amount, except for a debit, which raises it."""
    payee, account = ACCOUNTS[inv.customer]
    amount, cur = money(cents), inv.currency
    if kind == "credit-note":
        return (f'{when} * "{payee}" "Credit note" ^{inv.number} #credit-note\n'
                f"  {account}  -{amount} {cur}\n  Income:Consulting  {amount} {cur}\n")
    if kind == "write-off":
        return (f'{when} * "{payee}" "Write-off" ^{inv.number} #write-off\n'
                f"  Expenses:BadDebt  {amount} {cur}\n  {account}  -{amount} {cur}\n")
    if kind == "debit":
        return (f'{when} * "{payee}" "Bounced payment" ^{inv.number}\n'
                f"  {account}  {amount} {cur}\n  Assets:Bank:Checking  -{amount} {cur}\n")
    return (f'{when} * "{payee}" "Payment" ^{inv.number}\n'
            f"  Assets:Bank:Checking  {amount} {cur}\n  {account}  -{amount} {cur}\n")


def _day(draw: st.DrawFn) -> datetime.date:
    """A day in one of a few months: most months of the year stay silent."""
    return datetime.date(YEAR, draw(st.sampled_from([1, 2, 5, 6, 9, 12])), draw(st.integers(1, 28)))


def _invoice(draw: st.DrawFn, writer: _Writer, index: int, customers: list[str]) -> Invoice:
    date = _day(draw)
    net = draw(st.one_of(st.none(), st.integers(0, 60)))
    due = date + datetime.timedelta(days=30 if net is None else net)
    cents = draw(st.integers(1, 2_000_000))
    inv = Invoice(f"INV-{index:03d}", draw(st.sampled_from(customers)),
                  draw(st.sampled_from(["USD", "EUR"])), date, due, cents, cents, date)
    payee, account = ACCOUNTS[inv.customer]
    explicit = "" if net is None else f"  due: {due}\n"
    writer.add(date, 0, f'{date} * "{payee}" "Consulting" ^{inv.number} #invoice\n{explicit}'
                        f"  {account}  {money(cents)} {inv.currency}\n"
                        f"  Income:Consulting  {money(-cents)} {inv.currency}\n")
    writer.postings.append(Posting(date, inv.customer, inv.currency, "invoice", cents))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["payment", "payment", "credit-note", "write-off", "debit"]))
        room = inv.cents - inv.open if kind == "debit" else inv.open
        if room == 0:
            continue
        cents = draw(st.integers(1, room))
        when = inv.last + datetime.timedelta(days=draw(st.integers(0, 45)))
        signed = cents if kind == "debit" else -cents
        inv.open += signed
        inv.last = when
        inv.applied.append((when, signed))
        writer.add(when, 2, _application(inv, kind, when, cents))
        posted = kind if kind in {"credit-note", "write-off"} else "other"
        writer.postings.append(Posting(when, inv.customer, inv.currency, posted, signed))
    return inv


def _prepayment(draw: st.DrawFn, writer: _Writer, customer: str,
                invoices: list[Invoice]) -> None:
    """A prepayment on account; perhaps part of it applied to an invoice, part refunded."""
    payee, account = ACCOUNTS[customer]
    currency = draw(st.sampled_from(["USD", "EUR"]))
    date = _day(draw)
    left = draw(st.integers(1, 500_000))
    writer.add(date, 1, f'{date} * "{payee}" "Prepayment" #on-account\n'
                        f"  Assets:Bank:Checking  {money(left)} {currency}\n"
                        f"  {account}  {money(-left)} {currency}\n")
    writer.postings.append(Posting(date, customer, currency, "other", -left))
    targets = [i for i in invoices if i.customer == customer and i.currency == currency
               and i.open > 0]
    apply_some: bool = draw(st.booleans())
    if targets and apply_some:
        inv = draw(st.sampled_from(targets))
        used = draw(st.integers(1, min(left, inv.open)))
        # After everything else on the invoice, so it is never applied below zero.
        when = max(date, inv.last) + datetime.timedelta(days=draw(st.integers(0, 60)))
        inv.open -= used
        inv.last = when
        inv.applied.append((when, -used))
        left -= used
        writer.add(when, 2, f'{when} * "{payee}" "Apply prepayment" #on-account\n'
                            f"  {account}  {money(used)} {currency}\n"
                            f"  {account}  {money(-used)} {currency}\n"
                            f'    invoice: "{inv.number}"\n')
        writer.postings += [Posting(when, customer, currency, "other", used),
                            Posting(when, customer, currency, "other", -used)]
    refund_some: bool = draw(st.booleans())
    if left and refund_some:
        refund = draw(st.integers(1, left))
        when = date + datetime.timedelta(days=draw(st.integers(0, 90)))
        writer.add(when, 2, f'{when} * "{payee}" "Refund of credit" #on-account\n'
                            f"  {account}  {money(refund)} {currency}\n"
                            f"  Assets:Bank:Checking  {money(-refund)} {currency}\n")
        writer.postings.append(Posting(when, customer, currency, "other", refund))


@st.composite
def histories(draw: st.DrawFn) -> History:
    customers = draw(st.lists(st.sampled_from(sorted(ACCOUNTS)), min_size=2, max_size=3,
                              unique=True))
    writer = _Writer()
    invoices = [_invoice(draw, writer, index, customers)
                for index in range(draw(st.integers(1, 8)))]
    for customer in customers:
        for _ in range(draw(st.integers(0, 2))):
            _prepayment(draw, writer, customer, invoices)
    return History(invoices, writer.postings, COLLECTORS + "\n" + writer.text())


@st.composite
def windows(draw: st.DrawFn) -> tuple[str, datetime.date, datetime.date]:
    kind = draw(st.sampled_from(PERIOD_KINDS))
    start = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=draw(st.integers(-20, 380)))
    return kind, start, start + datetime.timedelta(days=draw(st.integers(0, SPANS[kind])))


def _aging_totals(receivables: Receivables, day: datetime.date) -> dict[str, Decimal]:
    return {row.currency: row.total for row in aging(receivables, day) if row.is_total}


def _expected(history: History, row: PeriodRow) -> tuple[Decimal, ...]:
    """The row's figures from the generator's own records (all customers)."""
    first, last = row.period.first, row.period.last
    flows = dict.fromkeys(("invoice", "credit-note", "write-off", "other"), 0)
    balance = 0
    for posting in history.postings:
        if posting.currency == row.currency and posting.date <= last:
            balance += posting.cents
            if posting.date >= first:
                flows[posting.kind] += posting.cents
    opened = [i.open_on(last) for i in history.invoices
              if i.currency == row.currency and i.date <= last and i.open_on(last)]
    overdue = [i.open_on(last) for i in history.invoices if i.currency == row.currency
               and i.date <= last and i.open_on(last) and last > i.due]
    cents = (flows["invoice"], -flows["credit-note"], -flows["other"], -flows["write-off"],
             balance, sum(overdue))
    invoiced, credited, collected, written_off, open_amount, overdue_amount = (
        Decimal(c) * CENT for c in cents)
    return (invoiced, credited, collected, written_off, open_amount, Decimal(len(opened)),
            overdue_amount, Decimal(len(overdue)))


def _figures(row: PeriodRow) -> tuple[Decimal, ...]:
    return (row.invoiced, row.credited, row.collected, row.written_off, row.open,
            Decimal(row.open_count), row.overdue, Decimal(row.overdue_count))


def _check_ties(rows: list[PeriodRow]) -> None:
    previous: dict[tuple[str | None, str], Decimal] = {}
    for row in rows:
        key = (row.group, row.currency)
        if key in previous:
            assert row.opening == previous[key], row
        assert row.open == (row.opening + row.invoiced - row.credited - row.collected
                            - row.written_off), row
        previous[key] = row.open


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@SETTINGS
@given(history=histories(), window=windows())
def test_every_row_ties_to_the_aging_and_to_the_postings(
        history: History, window: tuple[str, datetime.date, datetime.date]) -> None:
    kind, start, end = window
    with tempfile.TemporaryDirectory() as folder:
        path = write_ledger(Path(folder), history.text)
        ledger = load_ledger(path, use_cache=False)
        assert not ledger.errors, [e.message for e in ledger.errors]
        receivables = ledger.receivables
        rows = billed_collected(receivables, kind, start, end)
        _check_rows(history, receivables, rows, window)
        for by in ("customer", "collector"):
            _check_groups(rows, billed_collected(receivables, kind, start, end, by))
        _check_cli(path, rows, kind, start, end)


def _check_rows(history: History, receivables: Receivables, rows: list[PeriodRow],
                window: tuple[str, datetime.date, datetime.date]) -> None:
    kind, start, end = window
    used = sorted({p.currency for p in history.postings if p.date <= end})
    labels: list[str] = []
    day = start
    while day <= end:
        labels.append(period_of(kind, day).label)
        day = period_of(kind, day).last + datetime.timedelta(days=1)
    assert [(r.period.label, r.currency) for r in rows] == [
        (label, currency) for label in labels for currency in used]
    _check_ties(rows)
    first_day = period_of(kind, start).first - datetime.timedelta(days=1)
    for row in rows:
        if row.period.label == labels[0]:
            assert row.opening == _aging_totals(receivables, first_day).get(
                row.currency, Decimal(0))
        assert row.period.last == min(period_of(kind, row.period.first).last, end)
        assert row.open == _aging_totals(receivables, row.period.last).get(
            row.currency, Decimal(0))
        assert _figures(row) == _expected(history, row), row


def _check_groups(rows: list[PeriodRow], grouped: list[PeriodRow]) -> None:
    _check_ties_by_group(grouped)
    assert all(not row.is_silent for row in grouped)
    sums: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 8)
    for row in grouped:
        sums[row.period.label, row.currency] = [
            a + b for a, b in zip(sums[row.period.label, row.currency], _figures(row),
                                  strict=True)]
    for row in rows:
        assert tuple(sums.get((row.period.label, row.currency), [Decimal(0)] * 8)) == (
            _figures(row)), row
    order = [(r.period.first, r.group or "", r.currency) for r in grouped]
    assert order == sorted(order)


def _check_ties_by_group(grouped: list[PeriodRow]) -> None:
    """Each group's rows tie; a left-out (all-zero) period in between is open zero."""
    previous: dict[tuple[str | None, str], tuple[datetime.date, Decimal]] = {}
    for row in grouped:
        key = (row.group, row.currency)
        assert row.open == (row.opening + row.invoiced - row.credited - row.collected
                            - row.written_off), row
        if key in previous:
            last_day, last_open = previous[key]
            if last_day + datetime.timedelta(days=1) == row.period.first:
                assert row.opening == last_open, row
            else:
                assert row.opening == 0, row
        previous[key] = (row.period.last, row.open)


def _check_cli(path: Path, rows: list[PeriodRow], kind: str, start: datetime.date,
               end: datetime.date) -> None:
    result = invoke("collections", path, "--period", kind, "--from", start.isoformat(),
                    "--to", end.isoformat(), "--format", "csv")
    assert result.exit_code == 0, result.output
    printed = _csv(result.stdout)
    assert [(r["period"], r["currency"], Decimal(r["open"])) for r in printed] == [
        (r.period.label, r.currency, r.open) for r in rows]
    result = invoke("aging", path, "--as-of", end.isoformat(), "--format", "csv")
    assert result.exit_code == 0, result.output
    totals = {r["currency"]: r["total"] for r in _csv(result.stdout) if r["customer"] == "TOTAL"}
    last = rows[-1].period.label if rows else None
    assert {r["currency"]: Decimal(r["open"]) for r in printed if r["period"] == last} == {
        currency: Decimal(totals.get(currency, "0")) for currency in {r.currency for r in rows}}
