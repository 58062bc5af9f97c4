"""Ledger snippets for the forecast tests: invoices with a due date, payments, habits.

    body = settled("acme", 10, "1000.00", "250.00") + invoice("INV-A", "acme", "2026-07-05",
                                                              "1800.00")
    assert forecast_csv(tmp_path, body, "--weeks", "4") == expected

Every ledger is `ledgers.HEADER` with its accounts and customers (acme, globex,
umbrella, kaiju) from 2025-01-01, so that a year of history fits; the forecast
is as of Tuesday 2026-06-30, in ISO week 2026-W27 (29 June to 5 July), unless a
test says otherwise.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from ledgers import HEADER, invoke, write_ledger

if TYPE_CHECKING:
    from pathlib import Path

AS_OF = "2026-06-30"
FORECAST_HEADER = "week,currency,expected,invoices"
YEAR_HEADER = HEADER.replace("2026-01-01", "2025-01-01")
CUSTOMERS = {
    "acme": ("Acme Corp", "Assets:Receivable:Acme"),
    "globex": ("Globex Inc", "Assets:Receivable:Globex"),
    "umbrella": ("Umbrella Corp", "Assets:Receivable:Umbrella"),
    "kaiju": ("Kaiju KK", "Assets:Receivable:Kaiju"),
}


def day(text: str, days: int = 0) -> datetime.date:
    return datetime.date.fromisoformat(text) + datetime.timedelta(days=days)


def invoice(number: str, customer: str, due: str, amount: str, currency: str = "USD") -> str:
    """An invoice dated 30 days before `due` (or on 2025-01-01), due on `due`."""
    payee, account = CUSTOMERS[customer]
    dated = max(day(due, -30), day("2025-01-01"))
    return (f'{dated} * "{payee}" "Consulting" ^{number} #invoice\n  due: {due}\n'
            f"  {account}  {amount} {currency}\n  Income:Consulting  -{amount} {currency}\n\n")


def paid(number: str, customer: str, when: datetime.date | str, amount: str,
         tag: str = "") -> str:
    """A payment by link (`tag`: a credit note or write-off); `amount` in USD or `5.00 EUR`."""
    if " " not in amount:
        amount += " USD"
    payee, account = CUSTOMERS[customer]
    other = {"credit-note": "Income:Consulting", "write-off": "Expenses:BadDebt"}.get(
        tag, "Assets:Bank:Checking")
    tags = f" #{tag}" if tag else ""
    return (f'{when} * "{payee}" "Settlement" ^{number}{tags}\n'
            f"  {other}  {amount}\n  {account}  -{amount}\n\n")


def settled(customer: str, days_late: int, *amounts: str, due: str = "2026-03-31",
            currency: str = "USD", prefix: str = "") -> str:
    """Invoices of `customer` due on `due`, each paid in full `days_late` days after it."""
    name = prefix or f"{customer[:2].upper()}{currency}{days_late}"
    return "".join(
        invoice(f"H-{name}-{i}", customer, due, amount, currency)
        + paid(f"H-{name}-{i}", customer, day(due, days_late), f"{amount} {currency}")
        for i, amount in enumerate(amounts))


def run(tmp_path: Path, body: str, *options: str, as_of: str = AS_OF,
        output_format: str = "csv") -> str:
    path = write_ledger(tmp_path, body, header=YEAR_HEADER)
    result = invoke("forecast", path, "--as-of", as_of, "--format", output_format, *options)
    assert result.exit_code == 0, result.output
    return result.stdout


def forecast_csv(tmp_path: Path, body: str, *options: str, as_of: str = AS_OF) -> str:
    output = run(tmp_path, body, *options, as_of=as_of)
    assert output.startswith(FORECAST_HEADER + "\n")
    return output
