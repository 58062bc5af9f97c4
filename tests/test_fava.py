"""The Receivables page in Fava (contract section 9), through real Fava and Flask's test client.

    2026-01-01 custom "fava-extension" "beancount_ar.fava"

adds `/<slug>/extension/Receivables/` and the JSON endpoints `.../aging` and
`.../invoices`. The as-of date is the end of Fava's time filter (`?time=2026-06`
is 2026-06-30), else today (tests/test_fava_time_filter.py: never after today);
the figures are `bean-ar aging` / `bean-ar overdue`'s for that date. Filters
(`status`: `not-due`, `overdue`, `disputed`, `collections`; `customer`; `q`, which
also finds amounts), sorting (`sort`, `order`) and paging (`page`, 50 to a page;
the customer view's invoices `customer_page`) change the rows; Fava's account
filter on a customer's receivable account narrows the page to that customer. A
bad parameter is a 400, a page past the last a 404, with the reason: on the page
inside Fava's frame, from the JSON endpoints in plain text. Never a 500.
"""

from __future__ import annotations

import datetime
import os
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from fava_ledgers import (
    EXAMPLE,
    EXAMPLE_SLUG,
    FAVA_HEADER,
    FavaSite,
    aging_table,
    bean_ar_csv,
    customer_fields,
    inside_fava,
    invoice_numbers,
    invoice_table,
    parse_html,
    summary,
    write_fava_ledger,
)

if TYPE_CHECKING:
    from pathlib import Path

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
IMG_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


# The day the page takes for today on the example: after every filter below ends.
TODAY = datetime.date(2027, 1, 15)


def past_due_in_overdue_order(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """`invoices` rows past due with something open, as `bean-ar overdue` lists them."""
    chosen = [r for r in rows if r["days_overdue"] > 0 and Decimal(r["open"]) > 0]
    chosen.sort(key=lambda r: (-r["days_overdue"], r["invoice"]))
    return [{k: str(v) for k, v in r.items()} for r in chosen]


# --- the example ledger: page and endpoints agree with bean-ar -------------------------

# Fava's time filter -> the as-of date (None: no filter, so today).
TIMES = [("2026-11", "2026-11-30"), ("2026-06", "2026-06-30"), ("2026", "2026-12-31"),
         (None, None)]
TIME_IDS = ["2026-11", "2026-06", "2026", "no-time"]


@pytest.fixture(scope="module")
def example() -> FavaSite:
    return FavaSite.open(EXAMPLE, today=TODAY)


def time_params(time: str | None) -> dict[str, str | int]:
    return {} if time is None else {"time": time}


def test_example_slug_is_the_ledger_title(example: FavaSite) -> None:
    assert example.slug == EXAMPLE_SLUG
    assert EXAMPLE_SLUG in dict(example.app.config["LEDGERS"].items())


@pytest.mark.parametrize(("endpoint", "mimetype"), [
    ("", "text/html"), ("aging", "application/json"), ("invoices", "application/json")])
def test_page_and_endpoints_answer_200(example: FavaSite, endpoint: str, mimetype: str) -> None:
    response = example.get(endpoint, time="2026-11")
    assert response.status_code == 200
    assert response.mimetype == mimetype


def test_page_shows_summary_aging_chart_and_invoices(example: FavaSite) -> None:
    page = example.html(time="2026-11")
    assert page.find(data_testid="as-of").text() == "2026-11-30"
    for testid in ("summary", "aging", "aging-charts", "invoices", "pager"):
        assert page.find(data_testid=testid)
    assert [c.attrs["data-currency"] for c in page.find_all(data_testid="aging-chart")] == [
        "CZK", "EUR", "USD"]
    assert not page.find_all(data_testid="errors-notice")


@pytest.mark.parametrize(("time", "as_of"), TIMES, ids=TIME_IDS)
def test_as_of_is_the_end_of_the_time_filter_else_today(
    example: FavaSite, time: str | None, as_of: str | None,
) -> None:
    expected = as_of or TODAY.isoformat()
    assert example.json("aging", **time_params(time))["as_of"] == expected
    assert example.json("invoices", **time_params(time))["as_of"] == expected
    assert example.html(**time_params(time)).find(data_testid="as-of").text() == expected


@pytest.mark.parametrize(("time", "as_of"), TIMES, ids=TIME_IDS)
def test_aging_endpoint_is_bean_ar_aging(
    example: FavaSite, time: str | None, as_of: str | None,
) -> None:
    expected = bean_ar_csv("aging", EXAMPLE, as_of or TODAY.isoformat())
    assert expected  # the example owes something on every one of these dates
    rows = example.json("aging", **time_params(time))["rows"]
    assert rows == expected


@pytest.mark.parametrize(("time", "as_of"), TIMES, ids=TIME_IDS)
def test_page_aging_table_is_bean_ar_aging(
    example: FavaSite, time: str | None, as_of: str | None,
) -> None:
    expected = bean_ar_csv("aging", EXAMPLE, as_of or TODAY.isoformat())
    assert aging_table(example.html(**time_params(time))) == expected


@pytest.mark.parametrize(("time", "as_of"), TIMES, ids=TIME_IDS)
def test_invoices_endpoint_past_due_is_bean_ar_overdue(
    example: FavaSite, time: str | None, as_of: str | None,
) -> None:
    expected = bean_ar_csv("overdue", EXAMPLE, as_of or TODAY.isoformat())
    assert expected
    rows = example.all_invoices(**time_params(time))
    assert {type(r["days_overdue"]) for r in rows} == {int}
    assert all(isinstance(r[k], str) for r in rows for k in r if k != "days_overdue")
    assert past_due_in_overdue_order(rows) == expected


@pytest.mark.parametrize(("time", "as_of"), TIMES, ids=TIME_IDS)
def test_page_past_due_invoices_are_bean_ar_overdue(
    example: FavaSite, time: str | None, as_of: str | None,
) -> None:
    expected = bean_ar_csv("overdue", EXAMPLE, as_of or TODAY.isoformat())
    pages = int(example.json("invoices", **time_params(time))["pages"])
    shown = [row for number in range(1, pages + 1)
             for row in invoice_table(example.html(**time_params(time), page=number))]
    past_due = sorted((r for r in shown if r["days_overdue"] and Decimal(r["open"]) > 0),
                      key=lambda r: (-int(r["days_overdue"]), r["invoice"]))
    assert [{k: v for k, v in r.items() if k != "customer_name"} for r in past_due] == [
        {k: v for k, v in r.items() if k != "customer"} for r in expected]


def test_example_customer_view_shows_terms_credit_line_collector_and_contacts(
    example: FavaSite,
) -> None:
    # acme's credit line was raised to 35,000 in the journal; open on 2026-11-30:
    # INV-2026-115 4,698 + INV-2026-107 6,156 + INV-2026-104 4,131 = 14,985 (43 % of the line).
    page = example.html(time="2026-11", customer="acme")
    assert customer_fields(page) == {
        "Terms": "net 30",
        "Credit limit": "35,000.00 USD",
        "Balance": "14,985.00 USD (43 % used)",
        "email": "ap@acme.example",
        "address": "1 Road Runner Way, Phoenix AZ 85001",
        "collector": "jana",
        "dunning": "us-contract",
    }


# --- a small ledger: every status, exact figures, filters and sorting ------------------

# On 2026-06-30 (?time=2026-06):
#   INV-U1 umbrella due 2026-03-03, 119 days, 3,000 of 4,000 open, in collections
#   INV-A1 acme     due 2026-05-01,  60 days, overdue
#   INV-G1 globex   due 2026-05-16,  45 days, disputed
#   INV-G2 globex   due 2026-06-16,  14 days, overdue ("Website redesign")
#   INV-A2 acme     due 2026-07-20,  not yet due
#   globex has 200.00 unapplied on account.
STATUSES = """
    2026-02-01 * "Umbrella Corp" "Security audit" ^INV-U1 #invoice
      Assets:Receivable:Umbrella     4000.00 USD
      Income:Consulting             -4000.00 USD

    2026-04-01 * "Acme Corp" "Consulting, March" ^INV-A1 #invoice
      Assets:Receivable:Acme         1000.00 USD
      Income:Consulting             -1000.00 USD

    2026-05-01 * "Globex Inc" "Data migration" ^INV-G1 #invoice
      Assets:Receivable:Globex       2500.00 USD
      Income:Consulting             -2500.00 USD

    2026-05-10 * "Globex Inc" "Prepayment" #on-account
      Assets:Bank:Checking            200.00 USD
      Assets:Receivable:Globex       -200.00 USD

    2026-05-15 * "Umbrella Corp" "Part payment" ^INV-U1
      Assets:Bank:Checking           1000.00 USD
      Assets:Receivable:Umbrella    -1000.00 USD

    2026-06-01 * "Globex Inc" "Website redesign" ^INV-G2 #invoice
      Assets:Receivable:Globex        750.00 USD
      Income:Consulting              -750.00 USD

    2026-06-01 custom "ar-dispute" "INV-G1" "Hours disputed"
    2026-06-15 custom "ar-escalate" "INV-U1" "agency"

    2026-06-20 * "Acme Corp" "Consulting, June" ^INV-A2 #invoice
      Assets:Receivable:Acme          500.00 USD
      Income:Consulting              -500.00 USD
"""

STATUSES_AGING = [
    {"customer": "acme", "currency": "USD", "unapplied": "0.00", "current": "500.00",
     "1-30": "0.00", "31-60": "1000.00", "61-90": "0.00", "90+": "0.00", "total": "1500.00"},
    {"customer": "globex", "currency": "USD", "unapplied": "-200.00", "current": "0.00",
     "1-30": "750.00", "31-60": "2500.00", "61-90": "0.00", "90+": "0.00", "total": "3050.00"},
    {"customer": "umbrella", "currency": "USD", "unapplied": "0.00", "current": "0.00",
     "1-30": "0.00", "31-60": "0.00", "61-90": "0.00", "90+": "3000.00", "total": "3000.00"},
    {"customer": "TOTAL", "currency": "USD", "unapplied": "-200.00", "current": "500.00",
     "1-30": "750.00", "31-60": "3500.00", "61-90": "0.00", "90+": "3000.00",
     "total": "7550.00"},
]


def row(line: str) -> dict[str, Any]:
    """An `invoices` row written as a line of `bean-ar overdue` CSV."""
    values: dict[str, Any] = dict(zip(OVERDUE_HEADER.split(","), line.split(","), strict=True))
    values["days_overdue"] = int(values["days_overdue"])
    return values


OVERDUE_HEADER = "invoice,customer,currency,date,due,days_overdue,amount,open,status"
U1 = row("INV-U1,umbrella,USD,2026-02-01,2026-03-03,119,4000.00,3000.00,collections")
A1 = row("INV-A1,acme,USD,2026-04-01,2026-05-01,60,1000.00,1000.00,overdue")
G1 = row("INV-G1,globex,USD,2026-05-01,2026-05-16,45,2500.00,2500.00,disputed")
G2 = row("INV-G2,globex,USD,2026-06-01,2026-06-16,14,750.00,750.00,overdue")
A2 = row("INV-A2,acme,USD,2026-06-20,2026-07-20,0,500.00,500.00,not-due")


@pytest.fixture(scope="module")
def statuses(tmp_path_factory: pytest.TempPathFactory) -> FavaSite:
    return FavaSite.open(write_fava_ledger(tmp_path_factory.mktemp("statuses"), STATUSES))


def numbers(rows: list[dict[str, Any]]) -> list[str]:
    return [str(r["invoice"]) for r in rows]


def test_aging_is_exact_and_is_bean_ar_aging(statuses: FavaSite) -> None:
    assert bean_ar_csv("aging", statuses.path, "2026-06-30") == STATUSES_AGING
    assert statuses.json("aging", time="2026-06") == {"as_of": "2026-06-30",
                                                      "rows": STATUSES_AGING}
    assert aging_table(statuses.html(time="2026-06")) == STATUSES_AGING


def test_open_invoices_are_exact_most_days_overdue_first(statuses: FavaSite) -> None:
    assert statuses.json("invoices", time="2026-06") == {
        "as_of": "2026-06-30", "total": 5, "page": 1, "pages": 1, "page_size": 50,
        "rows": [U1, A1, G1, G2, A2],
    }
    assert invoice_numbers(statuses.html(time="2026-06")) == numbers([U1, A1, G1, G2, A2])


def test_past_due_invoices_are_bean_ar_overdue(statuses: FavaSite) -> None:
    expected = bean_ar_csv("overdue", statuses.path, "2026-06-30")
    assert expected == [{k: str(v) for k, v in r.items()} for r in (U1, A1, G1, G2)]
    assert past_due_in_overdue_order(statuses.all_invoices(time="2026-06")) == expected


def test_summary_per_currency(statuses: FavaSite) -> None:
    # Net balance: 7,750.00 open on invoices less globex's 200.00 on account.
    assert summary(statuses.html(time="2026-06"), "USD") == {
        "Open on invoices": "7,750.00", "Unapplied credit": "-200.00",
        "Net balance": "7,550.00", "Overdue": "7,250.00", "Disputed": "2,500.00",
        "In collections": "3,000.00", "Open invoices": "5", "Overdue invoices": "4",
    }


@pytest.mark.parametrize(("status", "expected"), [
    ("overdue", [A1, G2]),
    ("disputed", [G1]),
    ("collections", [U1]),
    ("not-due", [A2]),
])
def test_status_filter(statuses: FavaSite, status: str, expected: list[dict[str, Any]]) -> None:
    answer = statuses.json("invoices", time="2026-06", status=status)
    assert answer["rows"] == expected
    assert answer["total"] == len(expected)
    assert invoice_numbers(statuses.html(time="2026-06", status=status)) == numbers(expected)


def test_status_filter_names_not_yet_due_apart_from_the_open_invoices(
    statuses: FavaSite,
) -> None:
    page = statuses.html(time="2026-06")
    options = [(o.attrs["value"], o.text())
               for o in page.find("select", data_testid="status-filter").find_all("option")]
    assert options == [("", "all"), ("not-due", "Not yet due"), ("overdue", "Overdue"),
                       ("promised", "Promised"), ("disputed", "Disputed"),
                       ("collections", "In collections")]
    status_cells = {tr.attrs["data-invoice"]: tr.find_all("td")[7].text()
                    for tr in page.find_all("tr", data_invoice=None)}
    assert status_cells == {"INV-U1": "In collections", "INV-A1": "Overdue",
                            "INV-G1": "Disputed", "INV-G2": "Overdue", "INV-A2": "Not yet due"}


def test_status_open_is_a_deprecated_name_of_not_due(statuses: FavaSite) -> None:
    assert statuses.json("invoices", time="2026-06", status="open")["rows"] == [A2]
    page = statuses.html(time="2026-06", status="open")
    assert invoice_numbers(page) == ["INV-A2"]
    selected = page.find("select", data_testid="status-filter").find("option", selected=None)
    assert selected.attrs["value"] == "not-due"


def test_days_overdue_is_empty_when_not_yet_due(statuses: FavaSite) -> None:
    days = {r["invoice"]: r["days_overdue"] for r in invoice_table(statuses.html(time="2026-06"))}
    assert days == {"INV-U1": "119", "INV-A1": "60", "INV-G1": "45", "INV-G2": "14",
                    "INV-A2": ""}
    # The JSON keeps bean-ar's number: 0 days past due.
    assert statuses.json("invoices", time="2026-06", status="not-due")["rows"][0][
        "days_overdue"] == 0


def test_customer_filter(statuses: FavaSite) -> None:
    assert statuses.json("invoices", time="2026-06", customer="globex")["rows"] == [G1, G2]
    assert invoice_numbers(statuses.html(time="2026-06", customer="globex")) == ["INV-G1",
                                                                                "INV-G2"]
    globex = STATUSES_AGING[1]
    assert statuses.json("aging", time="2026-06", customer="globex")["rows"] == [
        globex, {**globex, "customer": "TOTAL"}]


def test_filters_combine(statuses: FavaSite) -> None:
    assert statuses.json("invoices", time="2026-06", customer="acme",
                         status="overdue")["rows"] == [A1]
    assert statuses.json("invoices", time="2026-06", customer="acme",
                         status="disputed")["rows"] == []


@pytest.mark.parametrize(("search", "expected"), [
    ("redesign", [G2]),             # narration
    ("WEBSITE Redesign", [G2]),     # any case
    ("Umbrella Corp", [U1]),        # customer name
    ("globex", [G1, G2]),           # customer id
    ("INV-A", [A1, A2]),            # invoice number
    ("collections", [U1]),          # status
    ("not yet due", [A2]),          # status as the page writes it
    ("2500", [G1]),                 # amount
    ("2500.00", [G1]),
    ("2,500.00", [G1]),
    ("3000", [U1]),                 # open amount (of 4,000.00)
    ("500", [A2]),                  # that amount, not every figure with these digits
    ("nothing like this", []),
])
def test_search(statuses: FavaSite, search: str, expected: list[dict[str, Any]]) -> None:
    assert statuses.json("invoices", time="2026-06", q=search)["rows"] == expected
    page = statuses.html(time="2026-06", q=search)
    assert invoice_numbers(page) == numbers(expected)
    if not expected:
        assert "No open invoices match." in page.find("table", data_testid="invoices").text()


@pytest.mark.parametrize(("sort", "order", "expected"), [
    ("amount", "asc", [A2, G2, A1, G1, U1]),
    ("amount", "desc", [U1, G1, A1, G2, A2]),
    ("open", "desc", [U1, G1, A1, G2, A2]),
    ("number", "asc", [A1, A2, G1, G2, U1]),
    ("number", "desc", [U1, G2, G1, A2, A1]),
    ("due", "asc", [U1, A1, G1, G2, A2]),
    ("date", "desc", [A2, G2, G1, A1, U1]),
    ("days_overdue", "asc", [A2, G2, G1, A1, U1]),
])
def test_sort(statuses: FavaSite, sort: str, order: str,
              expected: list[dict[str, Any]]) -> None:
    assert statuses.json("invoices", time="2026-06", sort=sort, order=order)["rows"] == expected
    assert invoice_numbers(statuses.html(time="2026-06", sort=sort, order=order)) == numbers(
        expected)


def test_account_filter_narrows_the_page_to_that_customer(statuses: FavaSite) -> None:
    acme = STATUSES_AGING[0]
    params: dict[str, str | int] = {"time": "2026-06", "account": "Assets:Receivable:Acme"}
    page = statuses.html(**params)
    assert aging_table(page) == [acme, {**acme, "customer": "TOTAL"}]
    assert invoice_numbers(page) == ["INV-A1", "INV-A2"]
    assert statuses.json("aging", **params)["rows"] == [acme, {**acme, "customer": "TOTAL"}]
    assert statuses.json("invoices", **params)["rows"] == [A1, A2]
    # The summary is acme's too: not globex's unapplied credit.
    assert summary(page, "USD") == {
        "Open on invoices": "1,500.00", "Unapplied credit": "0.00", "Net balance": "1,500.00",
        "Overdue": "1,000.00", "Disputed": "0.00", "In collections": "0.00",
        "Open invoices": "2", "Overdue invoices": "1",
    }


@pytest.mark.parametrize("account", ["Assets:Receivable", "Assets", "Receivable"])
def test_account_filter_over_every_receivable_account_leaves_the_page_whole(
    statuses: FavaSite, account: str,
) -> None:
    assert aging_table(statuses.html(time="2026-06", account=account)) == STATUSES_AGING


def test_default_order_breaks_ties_by_invoice_number_as_bean_ar_overdue(
    tmp_path: Path,
) -> None:
    # INV-3, INV-5 and INV-7 are all 30 days overdue on 2026-06-30; INV-9 is 60.
    path = write_fava_ledger(tmp_path, """
        2026-04-01 * "Acme Corp" "Consulting" ^INV-9 #invoice
          Assets:Receivable:Acme     900.00 USD
          Income:Consulting         -900.00 USD

        2026-05-01 * "Acme Corp" "Consulting" ^INV-5 #invoice
          Assets:Receivable:Acme     500.00 USD
          Income:Consulting         -500.00 USD

        2026-05-01 * "Acme Corp" "Consulting" ^INV-7 #invoice
          Assets:Receivable:Acme     700.00 USD
          Income:Consulting         -700.00 USD

        2026-05-01 * "Acme Corp" "Consulting" ^INV-3 #invoice
          Assets:Receivable:Acme     300.00 USD
          Income:Consulting         -300.00 USD
    """)
    site = FavaSite.open(path)
    overdue = numbers(bean_ar_csv("overdue", path, "2026-06-30"))
    assert overdue == ["INV-9", "INV-3", "INV-5", "INV-7"]
    assert numbers(site.json("invoices", time="2026-06")["rows"]) == overdue
    assert invoice_numbers(site.html(time="2026-06")) == overdue


# --- paging: 50 to a page ---------------------------------------------------------------


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> FavaSite:
    """120 open acme invoices, INV-001 on 2026-01-01 to INV-120 on 2026-04-30, one a day:
    on 2026-06-30 all are overdue, INV-001 the most."""
    start = datetime.date(2026, 1, 1)
    body = "".join(f"""
        {start + datetime.timedelta(days=n)} * "Acme Corp" "Support" ^INV-{n + 1:03d} #invoice
          Assets:Receivable:Acme     {100 + n}.00 USD
          Income:Consulting         -{100 + n}.00 USD
    """ for n in range(120))
    return FavaSite.open(write_fava_ledger(tmp_path_factory.mktemp("many"), body))


def inv_range(first: int, last: int) -> list[str]:
    return [f"INV-{n:03d}" for n in range(first, last + 1)]


@pytest.mark.parametrize(("page", "expected"), [
    (1, inv_range(1, 50)), (2, inv_range(51, 100)), (3, inv_range(101, 120))])
def test_pages_of_fifty(many: FavaSite, page: int, expected: list[str]) -> None:
    answer = many.json("invoices", time="2026-06", page=page)
    assert (answer["total"], answer["page"], answer["pages"], answer["page_size"]) == (
        120, page, 3, 50)
    assert numbers(answer["rows"]) == expected
    html = many.html(time="2026-06", page=page)
    assert invoice_numbers(html) == expected
    assert f"120 invoice(s), page {page} of 3" in html.find(data_testid="pager").text()


def test_first_page_is_the_default_and_pages_follow_the_sort(many: FavaSite) -> None:
    assert numbers(many.json("invoices", time="2026-06")["rows"]) == inv_range(1, 50)
    assert numbers(many.json("invoices", time="2026-06", sort="number", order="desc",
                             page=2)["rows"]) == inv_range(21, 70)[::-1]


@pytest.mark.parametrize("endpoint", ["", "invoices"])
def test_a_page_past_the_last_is_a_clear_404(many: FavaSite, endpoint: str) -> None:
    response = many.get(endpoint, time="2026-06", page=4)
    assert response.status_code == 404
    assert "there is no page 4: 120 invoice(s) make 3 page(s) of 50" in response.text
    assert response.mimetype == ("text/html" if endpoint == "" else "text/plain")


def test_a_page_past_the_last_is_a_message_inside_fava(many: FavaSite) -> None:
    page = many.html_answer(404, time="2026-06", page=4)
    assert inside_fava(page)
    assert page.find(data_testid="error").text() == (
        "Not found: there is no page 4: 120 invoice(s) make 3 page(s) of 50")
    assert not page.find_all(data_testid="invoices")
    retry = page.find("a", data_testid="retry").attrs["href"]
    assert "page=" not in retry
    assert "time=2026-06" in retry


@pytest.mark.parametrize(("page", "expected"), [
    (1, inv_range(71, 120)[::-1]), (2, inv_range(21, 70)[::-1]), (3, inv_range(1, 20)[::-1])])
def test_customer_view_pages_its_invoices_by_fifty(many: FavaSite, page: int,
                                                   expected: list[str]) -> None:
    html = many.html(time="2026-06", customer="acme", customer_page=page)
    view = html.find("section", data_testid="customer-view")
    table = view.find_all("table")[1]
    assert [tr.find_all("td")[0].text() for tr in table.find("tbody").find_all("tr")] == expected
    pager = view.find(data_testid="customer-pager")
    assert f"120 invoice(s), page {page} of 3" in pager.text()
    links = {a.text(): a.attrs["href"] for a in pager.find_all("a")}
    assert set(links) == {"previous", "next"} - ({"previous"} if page == 1 else set()) - (
        {"next"} if page == 3 else set())
    if "next" in links:
        assert f"customer_page={page + 1}" in links["next"]
        assert "customer=acme" in links["next"]
    # The open-invoice list below keeps its own first page.
    assert invoice_numbers(html) == inv_range(1, 50)


def test_customer_view_page_past_the_last_is_a_404_inside_fava(many: FavaSite) -> None:
    page = many.html_answer(404, time="2026-06", customer="acme", customer_page=4)
    assert inside_fava(page)
    assert "there is no page 4: 120 invoice(s) make 3 page(s)" in page.find(
        data_testid="error").text()


def test_pager_links_to_the_next_and_previous_pages(many: FavaSite) -> None:
    pager = many.html(time="2026-06", page=2).find(data_testid="pager")
    links = {a.text(): a.attrs["href"] for a in pager.find_all("a")}
    assert set(links) == {"previous", "next"}
    assert "page=1" in links["previous"]
    assert "page=3" in links["next"]
    assert "time=2026-06" in links["next"]


# --- customer view: terms, credit line, collector, contacts; sensitive fields masked ------

CUSTOMERS = """
    2026-01-01 open Assets:Receivable:Kaiju

    2026-01-01 custom "ar-customer" "kaiju"
      name: "Kaiju KK"
      account: Assets:Receivable:Kaiju
      terms: "2/10 net 30"
      credit-limit: 20000.00 USD
      collector: "jana"
      email: "ap@kaiju.example"
      address: "1-1 Chiyoda, Tokyo"
      phone: "+81 3 1234 5678"
      iban: "CZ65 0800 0000 1920 0014 5399"
      tax-id: "JP1234567890"
      bank-account: "19-2000145399/0800"
      sensitive: "phone"

    2026-02-01 custom "ar-customer" "globex"
      phone: "+1 555 0100"
      collector: "petr"

    2026-05-01 * "Kaiju KK" "Consulting" ^INV-K1 #invoice
      Assets:Receivable:Kaiju       6000.00 USD
      Income:Consulting            -6000.00 USD

    2026-06-10 * "Kaiju KK" "Payment, thank you" ^INV-K1
      Assets:Bank:Checking          1000.00 USD
      Assets:Receivable:Kaiju      -1000.00 USD
"""

SECRETS = ["+81 3 1234 5678", "+81312345678", "CZ65 0800 0000 1920 0014 5399",
           "CZ6508000000192000145399", "JP1234567890", "19-2000145399/0800"]


@pytest.fixture(scope="module")
def customers(tmp_path_factory: pytest.TempPathFactory) -> FavaSite:
    return FavaSite.open(write_fava_ledger(tmp_path_factory.mktemp("customers"), CUSTOMERS))


def test_customer_view_masks_sensitive_fields(customers: FavaSite) -> None:
    page = customers.html(time="2026-06", customer="kaiju")
    assert not page.find_all(data_testid="errors-notice")
    # Balance 6,000 - 1,000 = 5,000 of a 20,000 line: 25 % used. iban, tax-id and
    # bank-account are sensitive by default; kaiju marks its phone sensitive too.
    assert customer_fields(page) == {
        "Terms": "2/10 net 30",
        "Credit limit": "20,000.00 USD",
        "Balance": "5,000.00 USD (25 % used)",
        "collector": "jana",
        "email": "ap@kaiju.example",
        "address": "1-1 Chiyoda, Tokyo",
        "phone": "••••5678",
        "iban": "••••5399",
        "tax-id": "••••7890",
        "bank-account": "••••0800",
    }
    view = page.find("section", data_testid="customer-view")
    assert "Kaiju KK" in view.find("h3").text()
    assert "INV-K1" in view.text()
    assert "Payment, thank you" in view.text()


@pytest.mark.parametrize("params", [
    {"time": "2026-06", "customer": "kaiju"},
    {"time": "2026-06", "account": "Assets:Receivable:Kaiju"},
    {"customer": "kaiju"},
    {"time": "2026-06"},
], ids=["customer", "account-filter", "today", "all-customers"])
def test_sensitive_values_never_reach_the_html(customers: FavaSite,
                                               params: dict[str, str | int]) -> None:
    response = customers.get("", **params)
    assert response.status_code == 200
    for secret in SECRETS:
        assert secret not in response.text


def test_sensitive_mark_is_per_customer(customers: FavaSite) -> None:
    fields = customer_fields(customers.html(time="2026-06", customer="globex"))
    assert fields["phone"] == "+1 555 0100"  # globex does not mark its phone sensitive
    assert fields["collector"] == "petr"
    assert fields["Terms"] == "net 15"
    assert "Credit limit" not in fields


def test_configured_sensitive_keys(tmp_path: Path) -> None:
    header = FAVA_HEADER.replace(
        'plugin "beancount_ar"', "plugin \"beancount_ar\" \"{'sensitive': ['email', 'iban']}\"")
    site = FavaSite.open(write_fava_ledger(tmp_path, CUSTOMERS, header=header))
    page = site.html(time="2026-06", customer="kaiju")
    fields = customer_fields(page)
    assert fields["email"] == "••••mple"
    assert fields["iban"] == "••••5399"
    assert fields["phone"] == "••••5678"  # still marked by the customer itself
    assert "ap@kaiju.example" not in site.get("", time="2026-06", customer="kaiju").text


# --- hostile ledger text is data, never markup ---------------------------------------------

HOSTILE = f"""
    2026-01-01 open Assets:Receivable:Evil

    2026-01-01 custom "ar-customer" "{SCRIPT}"
      name: "{IMG} Ltd"
      account: Assets:Receivable:Evil
      collector: "{SCRIPT}"
      address: "{IMG}"

    2026-05-01 * "{IMG}" "{SCRIPT} consulting" ^INV-EVIL-1 #invoice
      Assets:Receivable:Evil          1000.00 USD
      Income:Consulting              -1000.00 USD

    2026-05-20 * "{IMG}" "{SCRIPT} part payment" ^INV-EVIL-1
      Assets:Bank:Checking             400.00 USD
      Assets:Receivable:Evil          -400.00 USD
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> FavaSite:
    return FavaSite.open(write_fava_ledger(tmp_path_factory.mktemp("hostile"), HOSTILE))


@pytest.mark.parametrize("params", [
    {"time": "2026-06"},
    {"time": "2026-06", "customer": SCRIPT},
    {"time": "2026-06", "account": "Assets:Receivable:Evil"},
    {"time": "2026-06", "q": SCRIPT},
    {"time": "2026-06", "q": IMG},
], ids=["page", "customer-view", "account-filter", "search-script", "search-img"])
def test_hostile_text_is_escaped_in_the_page(hostile: FavaSite,
                                             params: dict[str, str | int]) -> None:
    response = hostile.get("", **params)
    assert response.status_code == 200
    html = response.text
    assert IMG not in html
    assert SCRIPT not in html
    assert IMG_ESCAPED in html
    assert SCRIPT_ESCAPED in html


def test_hostile_customer_view_shows_the_text_as_text(hostile: FavaSite) -> None:
    page = hostile.html(time="2026-06", customer=SCRIPT)
    view = page.find("section", data_testid="customer-view")
    assert view.find("h3").text().startswith(f"{IMG} Ltd ({SCRIPT})")
    assert customer_fields(page)["collector"] == SCRIPT
    assert customer_fields(page)["address"] == IMG
    assert f"{SCRIPT} part payment" in view.text()
    # Only Fava's own ledger data (JSON, `<` written as \u003c) may carry the text.
    assert not [s for s in page.find_all("script")
                if s.attrs.get("type") != "application/json" and "alert(1)" in s.text()]
    assert not page.find_all("img", src="x")


def test_hostile_text_comes_back_from_json_as_plain_strings(hostile: FavaSite) -> None:
    aging = hostile.json("aging", time="2026-06")["rows"]
    assert [r["customer"] for r in aging] == [SCRIPT, "TOTAL"]
    rows = hostile.json("invoices", time="2026-06", q=IMG)["rows"]
    assert rows == [{**row("INV-EVIL-1,-,USD,2026-05-01,2026-05-31,30,1000.00,600.00,overdue"),
                     "customer": SCRIPT}]
    assert hostile.json("invoices", time="2026-06", customer=SCRIPT)["rows"] == rows


@pytest.mark.parametrize("endpoint", ["", "aging", "invoices"])
@pytest.mark.parametrize("param", ["customer", "time", "status", "sort", "order", "page"])
def test_bad_parameter_answer_does_not_echo_markup(hostile: FavaSite, endpoint: str,
                                                   param: str) -> None:
    response = hostile.get(endpoint, **{param: IMG})
    assert response.status_code == 400
    assert response.mimetype != "text/html" or IMG not in response.text, (
        f"{response.mimetype} answer echoes {IMG!r}: {response.text!r}")


# --- bad parameters: a clear 4xx, never a 500 ----------------------------------------------

BAD = [
    ({"time": "garbage"}, "garbage"),
    ({"time": "2026-13"}, "2026-13"),
    ({"customer": "nobody"}, "nobody"),
    ({"status": "bogus"}, "bogus"),
    ({"sort": "bogus"}, "bogus"),
    ({"order": "sideways"}, "order"),
    ({"page": "0"}, "page"),
    ({"page": "abc"}, "abc"),
    ({"customer_page": "0"}, "customer_page"),
    ({"account": "Assets:Bank:Checking"}, "no receivable account"),
    ({"account": "Income"}, "Income"),
]


@pytest.mark.parametrize("endpoint", ["", "aging", "invoices"])
@pytest.mark.parametrize(("params", "named"), BAD, ids=[f"{next(iter(p))}={v}" for p, _ in BAD
                                                         for v in p.values()])
def test_bad_parameter_is_a_clear_400(statuses: FavaSite, endpoint: str,
                                      params: dict[str, str], named: str) -> None:
    response = statuses.get(endpoint, **params)
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert "Bad request" in response.text
    assert named in response.text
    assert "Traceback" not in response.text
    assert response.mimetype == ("text/html" if endpoint == "" else "text/plain")


@pytest.mark.parametrize(("params", "named"), BAD, ids=[f"{next(iter(p))}={v}" for p, _ in BAD
                                                         for v in p.values()])
def test_bad_parameter_on_the_page_is_a_message_inside_fava(
    statuses: FavaSite, params: dict[str, str], named: str,
) -> None:
    page = statuses.html_answer(400, **params)
    assert inside_fava(page)
    message = page.find(data_testid="error").text()
    assert message.startswith("Bad request: ")
    assert named in message
    param = next(iter(params))
    assert f"{param}=" not in page.find("a", data_testid="retry").attrs["href"]


def test_fava_in_page_load_gets_the_message_with_200(statuses: FavaSite) -> None:
    # Fava's in-page navigation (`partial=true`) shows an error status as raw text.
    response = statuses.get("", time="2026-06", account="Income", partial="true")
    assert response.status_code == 200
    assert "takes in no receivable account" in parse_html(response.text).find(
        data_testid="error").text()


def test_account_that_is_not_receivable_is_named_in_the_message(statuses: FavaSite) -> None:
    page = statuses.html_answer(400, time="2026-06", account="Assets:Bank:Checking")
    assert page.find(data_testid="error").text() == (
        "Bad request: the account filter 'Assets:Bank:Checking' takes in no receivable "
        "account; this page covers Assets:Receivable and the accounts below it")


# --- a ledger with errors still renders --------------------------------------------------

OVERPAID = """
    2026-05-01 * "Acme Corp" "Consulting" ^INV-A1 #invoice
      Assets:Receivable:Acme          100.00 USD
      Income:Consulting              -100.00 USD

    2026-05-02 * "Acme Corp" "Consulting" ^INV-A2 #invoice
      Assets:Receivable:Acme          200.00 USD
      Income:Consulting              -200.00 USD

    2026-05-20 * "Acme Corp" "Payment" ^INV-A1
      Assets:Bank:Checking            150.00 USD
      Assets:Receivable:Acme         -150.00 USD
"""


def test_ledger_with_errors_still_renders_with_a_notice(tmp_path: Path) -> None:
    site = FavaSite.open(write_fava_ledger(tmp_path, OVERPAID))
    ledger = site.app.config["LEDGERS"][site.slug]
    assert [e.message[:5] for e in ledger.errors] == ["AR203"]
    page = site.html(time="2026-06")
    notice = page.find(data_testid="errors-notice").text()
    assert "1 error(s)" in notice
    assert "INV-A2" in invoice_numbers(page)
    assert site.get("aging", time="2026-06").status_code == 200
    assert site.get("invoices", time="2026-06").status_code == 200
    assert site.get("", time="2026-06", customer="acme").status_code == 200


# --- the model is built once per load ----------------------------------------------------

PAYMENT = """
2026-06-25 * "Acme Corp" "Payment" ^INV-A1
  Assets:Bank:Checking           1000.00 USD
  Assets:Receivable:Acme        -1000.00 USD
"""


def test_model_is_built_once_per_load_and_again_after_the_file_changes(
    tmp_path: Path,
) -> None:
    path = write_fava_ledger(tmp_path, STATUSES)
    site = FavaSite.open(path, poll_watcher=True)
    extension = site.extension()
    assert site.html(time="2026-06")
    model = extension.receivables
    site.json("aging", time="2026-06")
    site.json("invoices", time="2026-06", status="overdue", sort="amount", order="asc")
    site.html(time="2026-11", customer="acme")
    assert site.extension() is extension
    assert extension.receivables is model
    assert "INV-A1" in numbers(site.json("invoices", time="2026-06")["rows"])

    with path.open("a", encoding="utf-8") as file:
        file.write(PAYMENT)
    later = path.stat().st_mtime + 10
    os.utime(path, (later, later))

    rows = site.json("invoices", time="2026-06")["rows"]
    assert extension.receivables is not model
    assert numbers(rows) == ["INV-U1", "INV-G1", "INV-G2", "INV-A2"]  # INV-A1 is paid
    acme = site.json("aging", time="2026-06", customer="acme")["rows"][0]
    assert (acme["31-60"], acme["total"]) == ("0.00", "500.00")
    reloaded = extension.receivables
    site.html(time="2026-06")
    assert extension.receivables is reloaded
