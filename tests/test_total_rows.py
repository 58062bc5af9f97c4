"""Total rows are no customer's: a customer whose id is `TOTAL` stays a customer.

The outputs print `TOTAL` in a total row's customer column (contract section 7),
but the rows themselves carry no customer id, so the aging report, the Fava
page, `largest_first` and `bean-ar diff` never take the customer `TOTAL` (or
`TOTALLY`) for a total.
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from textwrap import dedent
from typing import TYPE_CHECKING

from click.testing import CliRunner
from fava_ledgers import FAVA_HEADER, FavaSite, aging_table, write_fava_ledger
from ledgers import csv_text, report

from beancount_ar.cli import main
from beancount_ar.fava.view import largest_first
from beancount_ar.reports.aging import TOTAL, AgingRow, total_row

if TYPE_CHECKING:
    from pathlib import Path

    from fava_ledgers import Element

CUSTOMERS = """
    2026-01-01 open Assets:Receivable:Total
    2026-01-01 open Assets:Receivable:Totally
    2026-01-01 custom "ar-customer" "TOTAL"
      name: "Total Logistics"
      account: Assets:Receivable:Total
    2026-01-01 custom "ar-customer" "TOTALLY"
      name: "Totally Fine Ltd"
      account: Assets:Receivable:Totally
"""

INVOICES = CUSTOMERS + """
    2026-06-01 * "Total Logistics" "Freight audit" ^INV-1 #invoice
      Assets:Receivable:Total        700.00 USD
      Income:Consulting             -700.00 USD
    2026-06-02 * "Totally Fine Ltd" "Review" ^INV-2 #invoice
      Assets:Receivable:Totally       50.00 USD
      Income:Consulting              -50.00 USD
    2026-06-03 * "Acme Corp" "Consulting" ^INV-3 #invoice
      Assets:Receivable:Acme         100.00 USD
      Income:Consulting             -100.00 USD
    2026-06-04 * "Acme Corp" "Consulting" ^INV-4 #invoice
      Assets:Receivable:Acme         200.00 EUR
      Income:Consulting             -200.00 EUR
"""


# --- bean-ar aging ---------------------------------------------------------------------


def test_aging_csv_lists_the_customer_total_in_id_order_and_the_totals_last(
        tmp_path: Path) -> None:
    assert report(tmp_path, INVOICES, "aging") == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        TOTAL,USD,0.00,700.00,0.00,0.00,0.00,0.00,700.00
        TOTALLY,USD,0.00,50.00,0.00,0.00,0.00,0.00,50.00
        acme,EUR,0.00,200.00,0.00,0.00,0.00,0.00,200.00
        acme,USD,0.00,100.00,0.00,0.00,0.00,0.00,100.00
        TOTAL,EUR,0.00,200.00,0.00,0.00,0.00,0.00,200.00
        TOTAL,USD,0.00,850.00,0.00,0.00,0.00,0.00,850.00
    """)


def test_aging_json_keeps_the_customer_total_as_a_row_of_its_own(tmp_path: Path) -> None:
    rows = json.loads(report(tmp_path, INVOICES, "aging", output_format="json"))
    assert [(r["customer"], r["currency"], r["total"]) for r in rows] == [
        ("TOTAL", "USD", "700.00"), ("TOTALLY", "USD", "50.00"), ("acme", "EUR", "200.00"),
        ("acme", "USD", "100.00"), ("TOTAL", "EUR", "200.00"), ("TOTAL", "USD", "850.00")]


def test_aging_table_names_the_customer_total_and_rules_off_the_totals(tmp_path: Path) -> None:
    lines = report(tmp_path, INVOICES, "aging", output_format="table").splitlines()
    rules = [n for n, line in enumerate(lines) if set(line) <= {"-", " "} and line]
    body = lines[rules[0] + 1:]
    assert [line.split()[0] for line in body] == [
        "TOTAL", "TOTALLY", "acme", "acme", "-" * len(lines[rules[0]].split()[0]),
        "TOTAL", "TOTAL"]
    assert "Total Logistics" in body[0]
    assert "Totally Fine Ltd" in body[1]
    assert body[5].split()[:2] == ["TOTAL", "EUR"]  # a total: no name beside it


def test_overdue_table_rules_off_the_totals_whatever_the_invoice_numbers(
        tmp_path: Path) -> None:
    snippet = dedent(CUSTOMERS) + dedent("""
        2026-01-05 * "Total Logistics" "Freight audit" ^TOTAL #invoice
          Assets:Receivable:Total        700.00 USD
          Income:Consulting             -700.00 USD
    """)
    lines = report(tmp_path, snippet, "overdue", output_format="table").splitlines()
    assert [line.split()[0] for line in lines[2:]] == ["Invoice", lines[3].split()[0], "TOTAL",
                                                        lines[3].split()[0], "TOTAL"]


# --- the view and the Fava page --------------------------------------------------------


def _row(customer: str, amount: str) -> AgingRow:
    return AgingRow(customer, customer.title(), "USD", Decimal(0),
                    (Decimal(amount), *[Decimal(0)] * 4))


def test_total_rows_carry_no_customer() -> None:
    total = total_row("USD", Decimal(0), (Decimal(5),))
    assert (total.customer, total.is_total, total.label) == (None, True, TOTAL)
    customer = _row("TOTAL", "5")
    assert (customer.customer, customer.is_total, customer.label) == ("TOTAL", False, "TOTAL")


def test_largest_first_keeps_the_customer_total_as_a_customer() -> None:
    small, big = _row("TOTAL", "10"), _row("acme", "90")
    total = total_row("USD", Decimal(0), (Decimal(100), *[Decimal(0)] * 4))
    assert largest_first([small, big, total], 1) == [big, total]
    assert largest_first([small, big, total], 2) == [small, big, total]
    assert largest_first([_row("TOTAL", "99"), big, total], 1) == [_row("TOTAL", "99"), total]


def _aging_rows(page: Element) -> list[tuple[str, bool, bool]]:
    """(data-customer, is a total row, links to a customer) for each aging table row."""
    table = page.find("table", data_testid="aging")
    return [(tr.attrs["data-customer"], "ar-total" in tr.attrs.get("class", ""),
             bool(tr.find_all("a", data_testid="customer-link")))
            for tr in table.find_all("tr", data_customer=None)]


def test_fava_page_shows_the_customer_total_as_a_customer(tmp_path: Path) -> None:
    site = FavaSite.open(write_fava_ledger(tmp_path, dedent(INVOICES), header=FAVA_HEADER))
    page = site.html(time="2026-06")
    assert _aging_rows(page) == [
        ("TOTAL", False, True), ("TOTALLY", False, True), ("acme", False, True),
        ("acme", False, True), ("TOTAL", True, False), ("TOTAL", True, False)]
    bars = {bar.attrs["data-customer"] for bar in page.find_all(data_testid="bar")}
    assert bars == {"TOTAL", "TOTALLY", "acme"}
    assert [r["customer"] for r in aging_table(page)] == [
        "TOTAL", "TOTALLY", "acme", "acme", "TOTAL", "TOTAL"]
    own = site.html(time="2026-06", customer="TOTAL")
    assert _aging_rows(own) == [("TOTAL", False, True), ("TOTAL", True, False)]
    rows = site.json("aging", time="2026-06", customer="TOTAL")["rows"]
    assert [(r["customer"], r["total"]) for r in rows] == [("TOTAL", "700.00")] * 2


# --- bean-ar diff ----------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.email=ar@example.com", "-c", "user.name=AR", *args],
        check=True, capture_output=True,
    )


def test_diff_shows_the_balance_of_the_customer_total(tmp_path: Path) -> None:
    repo = tmp_path / "books"
    repo.mkdir()
    _git(repo, "init", "-q")
    path = repo / "ledger.beancount"
    path.write_text(dedent(FAVA_HEADER) + dedent(CUSTOMERS), encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "customers")
    with path.open("a", encoding="utf-8") as ledger:
        ledger.write(dedent(INVOICES.removeprefix(CUSTOMERS)))
    result = CliRunner().invoke(main, ["diff", str(path), "HEAD"])
    assert result.exit_code == 0, result.output
    balances = result.output.split("Open balances:\n")[1].splitlines()
    assert balances == [
        "  TOTAL  USD  0 -> 700.00  (+700.00)",
        "  TOTALLY  USD  0 -> 50.00  (+50.00)",
        "  acme  EUR  0 -> 200.00  (+200.00)",
        "  acme  USD  0 -> 100.00  (+100.00)",
    ]
