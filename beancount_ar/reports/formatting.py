"""Amounts at the ledger's precision, and the report layouts: table, CSV, JSON."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import TYPE_CHECKING

import wcwidth

from beancount_ar.reports.aging import TOTAL

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Sequence

    from beancount_ar.core.precision import Precision
    from beancount_ar.reports.aging import AgingRow, Buckets
    from beancount_ar.reports.disputes import DisputeRow
    from beancount_ar.reports.dunning import DunningRow, EscalationRow
    from beancount_ar.reports.interest import InterestRow
    from beancount_ar.reports.overdue import OverdueRow

AGING_FIELDS = ("customer", "currency", "unapplied")
OVERDUE_FIELDS = ("invoice", "customer", "currency", "date", "due", "days_overdue",
                  "amount", "open", "status")


def aging_header(buckets: Buckets) -> list[str]:
    """`customer,currency,unapplied,current,1-30,31-60,61-90,90+,total`."""
    return [*AGING_FIELDS, *buckets.labels, "total"]


def aging_records(rows: Sequence[AgingRow], precision: Precision) -> list[list[str]]:
    """Aging rows as CSV/JSON cells."""
    return [
        [row.label, row.currency,
         *(precision.plain(n, row.currency) for n in (row.unapplied, *row.buckets, row.total))]
        for row in rows
    ]


def overdue_records(rows: Sequence[OverdueRow], precision: Precision) -> list[list[str]]:
    """Overdue rows as CSV/JSON cells."""
    return [
        [row.invoice.number, row.invoice.customer, row.invoice.currency,
         row.invoice.date.isoformat(), row.invoice.due.isoformat(), str(row.days_overdue),
         precision.plain(row.invoice.amount, row.invoice.currency),
         precision.plain(row.open, row.invoice.currency), row.label]
        for row in rows
    ]


def to_csv(header: Sequence[str], records: Sequence[Sequence[str]]) -> str:
    r"""CSV with `\\n` line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(records)
    return out.getvalue()


def to_json(header: Sequence[str], records: Sequence[Sequence[str]],
            integers: Sequence[str] = ()) -> str:
    """A JSON list of objects with the CSV's fields; amounts stay strings."""
    objects = [
        {key: int(value) if key in integers else value
         for key, value in zip(header, record, strict=True)}
        for record in records
    ]
    return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: 2 for CJK and most emoji, 0 for combining marks."""
    width = wcwidth.wcswidth(text)
    if width >= 0:
        return int(width)
    # A control character makes wcswidth give up: count it as nothing, the rest as usual.
    return sum(max(int(wcwidth.wcwidth(character)), 0) for character in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """`text` padded with spaces to `width` display columns (`right`: on the left)."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def render_table(header: Sequence[str], records: Sequence[Sequence[str]],
                 right: Sequence[bool], totals: int = 0) -> str:
    """Aligned columns by display width; `right` says which columns are right-aligned.

    The last `totals` records are totals: a rule sets them apart from the records above.
    """
    widths = [max([display_width(h)] + [display_width(r[i]) for r in records])
              for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(pad(c, w, right=r)
                         for c, w, r in zip(cells, widths, right, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(record) for record in records]
    first_total = len(records) - totals
    if totals and first_total > 0:
        body.insert(first_total, rule)
    return "\n".join([line(header), rule, *body]) + "\n"


def aging_table(rows: Sequence[AgingRow], buckets: Buckets, precision: Precision,
                as_of: datetime.date, basis: str) -> str:
    """The aging report for people: names beside ids, thousands separators, totals."""
    header = ["Customer", "Name", "Cur", "Unapplied", *buckets.labels, "Total"]
    records = [
        [row.label, "" if row.is_total else row.name, row.currency,
         *(precision.grouped(n, row.currency) for n in (row.unapplied, *row.buckets, row.total))]
        for row in rows
    ]
    right = [False, False, False] + [True] * (len(header) - 3)
    since = "days past due" if basis == "due" else "days since the invoice date"
    title = f"Receivables aging as of {as_of} ({since})\n\n"
    table = render_table(header, records, right, sum(row.is_total for row in rows))
    return title + (table if rows else "Nothing is owed.\n")


def overdue_table(rows: Sequence[OverdueRow], precision: Precision,
                  as_of: datetime.date) -> str:
    """Overdue invoices for people, with a total per currency."""
    header = ["Invoice", "Customer", "Name", "Cur", "Date", "Due", "Days", "Amount", "Open",
              "Status"]
    records = [
        [r.invoice.number, r.invoice.customer, r.customer_name, r.invoice.currency,
         str(r.invoice.date), str(r.invoice.due), str(r.days_overdue),
         precision.grouped(r.invoice.amount, r.invoice.currency),
         precision.grouped(r.open, r.invoice.currency), r.label]
        for r in rows
    ]
    totals: dict[str, Decimal] = {}
    for r in rows:
        totals[r.invoice.currency] = totals.get(r.invoice.currency, Decimal(0)) + r.open
    records += [[TOTAL, "", "", currency, "", "", "", "", precision.grouped(total, currency), ""]
                for currency, total in sorted(totals.items())]
    right = [False] * 6 + [True, True, True, False]
    title = f"Overdue invoices as of {as_of}\n\n"
    table = render_table(header, records, right, len(totals))
    return title + (table if rows else "Nothing is overdue.\n")


# --- collections (AR-SPEC section 11) ---------------------------------------------

DUNNING_FIELDS = ("customer", "invoice", "currency", "due", "days_overdue", "open", "level",
                  "interest", "compensation", "fee", "total")
ESCALATION_FIELDS = ("customer", "invoice", "currency", "due", "days_overdue", "open",
                     "last_letter", "interest", "compensation", "total")
DISPUTE_FIELDS = ("invoice", "customer", "currency", "disputed_since", "days", "open", "reason")
INTEREST_FIELDS = ("invoice", "customer", "currency", "due", "settled", "days_late",
                   "interest", "compensation")


def dunning_records(rows: Sequence[DunningRow], precision: Precision,
                    money: Callable[[Decimal, str], str] | None = None) -> list[list[str]]:
    """Letters due as CSV/JSON cells (`money` formats amounts; default: plain)."""
    show = money or precision.plain
    return [[r.customer, r.invoice.number, r.invoice.currency, r.invoice.due.isoformat(),
             str(r.days_overdue), *(show(n, r.invoice.currency) for n in (r.open,)),
             str(r.level), *(show(n, r.invoice.currency)
                             for n in (r.interest, r.compensation, r.fee, r.total))]
            for r in rows]


def escalation_records(rows: Sequence[EscalationRow], precision: Precision,
                       money: Callable[[Decimal, str], str] | None = None) -> list[list[str]]:
    """The escalation queue as CSV/JSON cells."""
    show = money or precision.plain
    return [[r.customer, r.invoice.number, r.invoice.currency, r.invoice.due.isoformat(),
             str(r.days_overdue), show(r.open, r.invoice.currency), r.last_letter.isoformat(),
             *(show(n, r.invoice.currency) for n in (r.interest, r.compensation, r.total))]
            for r in rows]


def dispute_records(rows: Sequence[DisputeRow], precision: Precision,
                    money: Callable[[Decimal, str], str] | None = None) -> list[list[str]]:
    """Open disputes as CSV/JSON cells."""
    show = money or precision.plain
    return [[r.invoice.number, r.customer, r.invoice.currency, r.since.isoformat(), str(r.days),
             show(r.open, r.invoice.currency), r.reason] for r in rows]


def interest_records(rows: Sequence[InterestRow], precision: Precision,
                     money: Callable[[Decimal, str], str] | None = None) -> list[list[str]]:
    """Interest rows as CSV/JSON cells; `settled` empty while the invoice is open."""
    show = money or precision.plain
    return [[r.invoice.number, r.customer, r.invoice.currency, r.invoice.due.isoformat(),
             r.settled.isoformat() if r.settled else "", str(r.days_late),
             show(r.interest, r.invoice.currency), show(r.compensation, r.invoice.currency)]
            for r in rows]


def collections_table(  # noqa: PLR0913 - a table's parts, by keyword
    title: str, header: Sequence[str], records: Sequence[Sequence[str]], *,
    numeric: Sequence[str], currency_column: str, totals: Sequence[str] = (),
    empty: str, precision: Precision,
) -> str:
    """A collections report for people: aligned columns and a TOTAL row per currency.

    `records` carry grouped amounts; `totals` names the columns summed per currency.
    """
    index = {name: i for i, name in enumerate(header)}
    sums: dict[str, list[Decimal]] = {}
    for record in records:
        row = sums.setdefault(record[index[currency_column]], [Decimal(0)] * len(totals))
        for position, name in enumerate(totals):
            row[position] += Decimal(record[index[name]].replace(",", ""))
    total_records = []
    for currency, values in sorted(sums.items()):
        cells = [""] * len(header)
        cells[0], cells[index[currency_column]] = TOTAL, currency
        for name, value in zip(totals, values, strict=True):
            cells[index[name]] = precision.grouped(value, currency)
        total_records.append(cells)
    if not records:
        return f"{title}\n\n{empty}\n"
    right = [name in numeric for name in header]
    table = render_table(header, [*records, *total_records], right,
                         len(total_records) if totals else 0)
    return f"{title}\n\n{table}"
