"""Fava's time filter and the Receivables page's as-of date (contract section 9).

The as-of date is the end of Fava's time filter, else today, and today when the
filter ends after today: `?time=2026-07` on 2026-07-15 ages nothing ahead of
time, and the page says "Figures as of 2026-07-15: the time filter ends
2026-07-31, after today". The statement PDF runs from the filter's first day.
`make demo` links the page on the day its printed reports are as of.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fava_ledgers import EXAMPLE, FavaSite, bean_ar_csv, write_fava_ledger

from beancount_ar.reports.aging import today

if TYPE_CHECKING:
    from fava_ledgers import Element
    from werkzeug.test import TestResponse

REPO = Path(__file__).resolve().parents[1]
TODAY = datetime.date(2026, 7, 15)  # the page's today for the small ledger below

# On 2026-07-15 INV-A1 (due 2026-07-10) is 5 days overdue and INV-A2 (due
# 2026-07-20) not yet due; on 2026-07-31 they would be 21 and 11 days overdue.
LEDGER = """
    2026-06-10 * "Acme Corp" "Consulting, May" ^INV-A1 #invoice
      Assets:Receivable:Acme         1000.00 USD
      Income:Consulting             -1000.00 USD

    2026-06-20 * "Acme Corp" "Consulting, June" ^INV-A2 #invoice
      Assets:Receivable:Acme          500.00 USD
      Income:Consulting              -500.00 USD
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> FavaSite:
    return FavaSite.open(write_fava_ledger(tmp_path_factory.mktemp("time"), LEDGER),
                         today=TODAY)


def as_of(page: Element) -> str:
    return page.find(data_testid="as-of").text()


def notice(page: Element) -> str | None:
    found = page.find_all(data_testid="as-of-notice")
    return found[0].text() if found else None


# Fava's time filter -> the page's as-of date and its notice, on 2026-07-15.
CASES = [
    (None, "2026-07-15", None),
    ("2026-06", "2026-06-30", None),
    ("2026-07-15", "2026-07-15", None),  # ends today: not after today
    ("2026-07", "2026-07-15",
     "Figures as of 2026-07-15: the time filter ends 2026-07-31, after today."),
    ("2026", "2026-07-15",
     "Figures as of 2026-07-15: the time filter ends 2026-12-31, after today."),
    ("2026-06 - 2026-08", "2026-07-15",
     "Figures as of 2026-07-15: the time filter ends 2026-08-31, after today."),
]


@pytest.mark.parametrize(("time", "expected", "said"), CASES,
                         ids=[c[0] or "no-time" for c in CASES])
def test_as_of_is_the_filter_end_but_never_after_today(
    site: FavaSite, time: str | None, expected: str, said: str | None,
) -> None:
    params: dict[str, str | int] = {} if time is None else {"time": time}
    page = site.html(**params)
    assert as_of(page) == expected
    assert notice(page) == said
    assert site.json("aging", **params)["as_of"] == expected
    assert site.json("invoices", **params)["as_of"] == expected


def test_a_filter_ending_after_today_ages_nothing_ahead_of_time(site: FavaSite) -> None:
    rows = site.json("aging", time="2026-07")["rows"]
    assert rows == bean_ar_csv("aging", site.path, "2026-07-15")
    assert (rows[0]["current"], rows[0]["1-30"]) == ("500.00", "1000.00")
    days = {r["invoice"]: r["days_overdue"]
            for r in site.json("invoices", time="2026-07")["rows"]}
    assert days == {"INV-A1": 5, "INV-A2": 0}


@pytest.mark.parametrize("time", ["month", "year", "2999"])
def test_relative_and_future_filters_give_today(tmp_path: Path, time: str) -> None:
    # The real clock: Fava reads `month` and `year` by it too.
    real = FavaSite.open(write_fava_ledger(tmp_path, LEDGER))
    page = real.html(time=time)
    assert as_of(page) == today().isoformat()
    assert real.json("aging", time=time)["as_of"] == today().isoformat()
    if time == "2999":
        assert notice(page) == (f"Figures as of {today()}: the time filter ends 2999-12-31, "
                                "after today.")


# --- the statement from Fava runs from the filter's start -------------------------------


@pytest.fixture(scope="module")
def example() -> FavaSite:
    return FavaSite.open(EXAMPLE, today=datetime.date(2027, 1, 15))


def pdf_text(response: TestResponse) -> str:
    assert response.status_code == 200, response.text[:500]
    assert response.mimetype == "application/pdf"
    data: bytes = response.data
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def opening_balance(text: str) -> str:
    line = next(line for line in text.splitlines() if "Opening balance" in line)
    return line.split()[-1]


def test_statement_runs_from_the_time_filter_start(example: FavaSite) -> None:
    # acme in November 2026: 10,287.00 owed on Nov 1, INV-2026-107 and INV-2026-115 issued.
    text = pdf_text(example.get("statement_pdf", customer="acme", time="2026-11"))
    assert opening_balance(text) == "$10,287.00"
    assert "INV-2026-107" in text
    assert "INV-2026-115" in text
    assert "INV-2025-002" not in text


def test_statement_without_a_time_filter_runs_from_the_beginning(example: FavaSite) -> None:
    text = pdf_text(example.get("statement_pdf", customer="acme"))
    assert opening_balance(text) == "$0.00"
    assert "INV-2025-002" in text  # acme's first invoice, May 2025


# --- make demo: the printed reports and the Fava link agree ------------------------------


def test_make_demo_links_the_page_on_the_day_of_its_reports() -> None:
    done = subprocess.run(["make", "-n", "demo", "AS_OF=2026-11-30"], cwd=REPO,
                          capture_output=True, text=True, check=True)
    reports = re.findall(r"bean-ar (?:aging|overdue) \S+ --as-of (\S+)", done.stdout)
    assert reports == ["2026-11-30", "2026-11-30"]
    url = re.search(r"http://127\.0\.0\.1:\d+(/\S+?)\"?$", done.stdout, re.MULTILINE)
    assert url is not None, done.stdout
    path, _, query = url.group(1).partition("?")
    assert query == "time=2026-11-30"
    response = FavaSite.open(EXAMPLE, today=datetime.date(2027, 1, 15)).client.get(
        url.group(1))
    assert response.status_code == 200
    assert path.endswith("/extension/Receivables/")
    assert 'data-testid="as-of">2026-11-30<' in response.text
