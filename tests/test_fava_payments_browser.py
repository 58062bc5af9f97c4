"""Payments, write-offs and billing from the Receivables page, in real Chromium.

    .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_fava_payments_browser.py

Fava runs as a subprocess on a small ledger dated around the real today (the
page's today); the browser is Debian's `/usr/bin/chromium`. Each test fills the
page's own forms with their defaults and reads back the file and the reloaded
page; a page gone stale under an editor's save and a double click are refused
with the file left as the other writer left it. Screenshots of the payment form
open, of what it wrote and of the billing preview go to the pictures folder
(`tests/ledgers.py`'s ARTIFACTS) for a person to look at.
"""

from __future__ import annotations

import datetime
import textwrap
from typing import TYPE_CHECKING

import pytest
from fava_ledgers import FAVA_HEADER
from test_fava_browser import ARTIFACTS, chromium_page, fava_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Page

TODAY = datetime.date.today()  # noqa: DTZ011 - Fava's page takes the real day
ISSUED = TODAY - datetime.timedelta(days=45)
STARTED = TODAY - datetime.timedelta(days=20)  # a monthly contract: one period due
BODY = f"""
    {ISSUED} * "Acme Corp" "Consulting" ^INV-A1 #invoice
      Assets:Receivable:Acme     1800.00 USD
      Income:Consulting         -1800.00 USD

    {ISSUED} * "Globex Inc" "Consulting" ^INV-G1 #invoice
      Assets:Receivable:Globex    500.00 USD
      Income:Consulting          -500.00 USD

    {STARTED} custom "ar-contract" "umbrella-support"
      customer: "umbrella"
      every: "month"
      amount: 1500.00 USD
      account: Income:Consulting
      description: "Support retainer"
"""
PAID = (f'{TODAY} * "Acme Corp" "Payment" ^INV-A1\n'
        "  Assets:Bank:Checking     1800.00 USD\n"
        "  Assets:Receivable:Acme  -1800.00 USD\n")
WRITTEN_OFF = (f'{TODAY} * "Globex Inc" "Write-off" ^INV-G1 #write-off\n'
               "  Expenses:BadDebt           500.00 USD\n"
               "  Assets:Receivable:Globex  -500.00 USD\n")
BILLED = (f'{STARTED} * "Umbrella Corp" "Support retainer" ^INV-{STARTED.year}-0001 #invoice\n'
          '  contract: "umbrella-support"\n'
          f"  period: {STARTED}\n"
          "  Assets:Receivable:Umbrella   1500.00 USD\n"
          "  Income:Consulting           -1500.00 USD\n")
ROWS = '[data-testid="invoices"] tbody tr[data-invoice]'


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    ledger = tmp_path / "ledger.beancount"
    ledger.write_text(FAVA_HEADER + "\n" + textwrap.dedent(BODY), encoding="utf-8")
    with fava_server(ledger, tmp_path / "fava.log") as url:
        yield ledger, f"{url}/ar-fava-test/extension/Receivables/"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with chromium_page(browser, 1400) as opened:
        yield opened


def _invoices(page: Page) -> list[str]:
    return [row.get_attribute("data-invoice") or "" for row in page.query_selector_all(ROWS)]


def _open_payment(page: Page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    page.click("[data-testid=pay-INV-A1] summary")
    assert page.is_visible("[data-testid=pay-INV-A1] [data-testid=pay-submit]")


def test_a_payment_recorded_with_the_defaults(served: tuple[Path, str], page: Page) -> None:
    ledger, url = served
    before = ledger.read_text(encoding="utf-8")
    _open_payment(page, url)
    form = "[data-testid=pay-INV-A1] "
    assert page.input_value(form + "[data-testid=pay-date]") == TODAY.isoformat()
    assert page.input_value(form + "[data-testid=pay-amount]") == "1800.00"
    assert page.input_value(form + "[data-testid=pay-account]") == "Assets:Bank:Checking"
    page.locator(form + "form").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "fava-payment-form.png"))
    with page.expect_navigation(wait_until="networkidle"):
        page.click(form + "[data-testid=pay-submit]")
    assert page.inner_text("[data-testid=written] pre") == PAID
    assert ledger.read_text(encoding="utf-8") == before + "\n" + PAID
    assert "INV-A1" not in _invoices(page)  # paid: Fava reloaded the ledger
    assert "INV-G1" in _invoices(page)
    page.screenshot(path=str(ARTIFACTS / "fava-payment-written.png"))


def test_a_write_off(served: tuple[Path, str], page: Page) -> None:
    ledger, url = served
    before = ledger.read_text(encoding="utf-8")
    page.goto(url, wait_until="networkidle")
    page.click("[data-testid=write-off-INV-G1] summary")
    form = "[data-testid=write-off-INV-G1] "
    assert page.input_value(form + "[data-testid=write-off-account]") == "Expenses:BadDebt"
    with page.expect_navigation(wait_until="networkidle"):
        page.click(form + "[data-testid=write-off-submit]")
    assert page.inner_text("[data-testid=written] pre") == WRITTEN_OFF
    assert ledger.read_text(encoding="utf-8") == before + "\n" + WRITTEN_OFF
    assert _invoices(page) == ["INV-A1"]


def test_bill_through_today_from_the_preview(served: tuple[Path, str], page: Page) -> None:
    ledger, url = served
    before = ledger.read_text(encoding="utf-8")
    page.goto(url, wait_until="networkidle")
    page.click("[data-testid=bill-open]")
    preview = page.inner_text("[data-testid=bill-preview] tbody")
    assert preview.split() == [f"INV-{STARTED.year}-0001", STARTED.isoformat(), "Umbrella",
                               "Corp", "umbrella-support", "1,500.00", "USD"]
    page.locator("[data-testid=bill-form]").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "fava-bill-preview.png"))
    with page.expect_navigation(wait_until="networkidle"):
        page.click("[data-testid=bill-submit]")
    assert page.inner_text("[data-testid=written] pre") == BILLED
    assert ledger.read_text(encoding="utf-8") == before + "\n" + BILLED
    page.click("[data-testid=bill-open]")
    assert "Nothing to bill" in page.inner_text("[data-testid=bill-nothing]")
    assert f"INV-{STARTED.year}-0001" in _invoices(page)


def test_a_stale_page_is_refused_and_the_other_edit_kept(
    served: tuple[Path, str], page: Page,
) -> None:
    ledger, url = served
    _open_payment(page, url)
    with ledger.open("a", encoding="utf-8") as file:  # an editor saves while the page is open
        file.write("\n; edited elsewhere\n")
    edited = ledger.read_bytes()
    with page.expect_navigation():
        page.click("[data-testid=pay-INV-A1] [data-testid=pay-submit]")
    assert "changed since this page was shown" in page.inner_text("body")
    assert "nothing was written" in page.inner_text("body")
    assert ledger.read_bytes() == edited


def test_a_double_click_records_once(served: tuple[Path, str], page: Page) -> None:
    ledger, url = served
    before = ledger.read_text(encoding="utf-8")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    _open_payment(page, url)
    # The second click may go out before the first answer comes back (Chromium then
    # drops the first navigation) or not at all: either way, one payment.
    page.dblclick("[data-testid=pay-INV-A1] [data-testid=pay-submit]")
    page.wait_for_timeout(1000)
    page.wait_for_load_state("networkidle")
    assert 1 <= len(posts) <= 2, posts
    assert ledger.read_text(encoding="utf-8") == before + "\n" + PAID
    page.goto(url, wait_until="networkidle")
    assert "INV-A1" not in _invoices(page)


def test_two_submits_of_one_form_at_once_record_once(
    served: tuple[Path, str], page: Page,
) -> None:
    """The same form posted twice in flight (what a double click can send): one 409."""
    ledger, url = served
    before = ledger.read_text(encoding="utf-8")
    _open_payment(page, url)
    answers = page.evaluate("""() => {
        const form = document.querySelector('[data-testid=pay-INV-A1] form');
        const post = () => fetch(form.action, {method: 'POST', body: new FormData(form)})
            .then(async r => [r.status, await r.text()]);
        return Promise.all([post(), post()]);
    }""")
    assert sorted(status for status, _ in answers) == [200, 409]
    refused = next(text for status, text in answers if status == 409)
    assert "it was not written again" in refused
    assert ledger.read_text(encoding="utf-8") == before + "\n" + PAID
