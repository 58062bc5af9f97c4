"""The Receivables page in a real browser: Fava as a subprocess, Chromium through Playwright.

    .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_fava_browser.py

Each Fava server runs on a free local port for the whole module (one on the
example ledger, one on a small ledger full of markup). The browser is Debian's
`/usr/bin/chromium`; Playwright never downloads one. Screenshots of the page, of
a customer view, of the notice for a time filter ending after today and of the
message for a bad account filter are written to the pictures folder
(`$AR_ARTIFACTS`, else `beancount-ar-artifacts` in the system's temporary folder)
for a human to look at.
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import io
import itertools
import re
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from click.testing import CliRunner
from ledgers import ARTIFACTS as PICTURES
from playwright.sync_api import expect

from beancount_ar.cli import main

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request

REPO = Path(__file__).resolve().parents[1]
LEDGER = REPO / "ledger" / "example.beancount"
SLUG = "seed-consulting-receivables-example"
FAVA = Path(sys.executable).parent / "fava"
ARTIFACTS = PICTURES
MONTH = "2026-11"  # Fava's time filter; the page's as-of date is its last day
AS_OF = "2026-11-30"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
STARTUP_SECONDS = 30.0
TIMEOUT_MS = 10_000  # any single wait in the browser

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
HOSTILE_ID = '"><svg onload=alert(2)>'
HOSTILE_QUERY = "<img src=x onerror=alert(3)>"
_QUOTED_ID = HOSTILE_ID.replace('"', '\\"')  # a Beancount string literal
HOSTILE_LEDGER = f"""\
    option "title" "Hostile receivables"
    option "operating_currency" "USD"
    plugin "beancount_ar"

    2026-01-01 custom "fava-extension" "beancount_ar.fava"

    2026-01-01 open Assets:Bank:Checking
    2026-01-01 open Assets:Receivable:Evil
    2026-01-01 open Income:Consulting

    2026-01-01 custom "ar-customer" "{_QUOTED_ID}"
      name: "{IMG}"
      account: Assets:Receivable:Evil
      email: "{SCRIPT}"

    2026-06-01 * "{IMG}" "{SCRIPT}" ^INV-1 #invoice
      Assets:Receivable:Evil     1000.00 USD
      Income:Consulting         -1000.00 USD

    2026-06-15 * "{IMG}" "{SCRIPT}" ^INV-1
      Assets:Bank:Checking        400.00 USD
      Assets:Receivable:Evil     -400.00 USD
"""

INVOICE_ROWS = '[data-testid="invoices"] tbody tr[data-invoice]'


# --- servers and browser ---------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def answers(port: int) -> bool:
    """Whether an HTTP server on the port answers a request for `/`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
    except OSError:
        return False
    finally:
        connection.close()
    return True


@contextlib.contextmanager
def fava_server(ledger: Path, log: Path) -> Iterator[str]:
    """Run `fava` on the ledger until the block ends; yields its base URL."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(FAVA), "--host", "127.0.0.1", "--port", str(port), str(ledger)],
            stdout=out, stderr=subprocess.STDOUT, cwd=REPO,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not answers(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"fava did not answer on port {port} within {STARTUP_SECONDS}s "
                                f"(exit status {process.poll()}):\n"
                                f"{log.read_text(encoding='utf-8', errors='replace')}")
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture(scope="module")
def fava_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Fava on the example ledger."""
    log = tmp_path_factory.mktemp("fava-example") / "fava.log"
    with fava_server(LEDGER, log) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_fava_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Fava on a ledger whose customer, payee, narration and metadata are markup."""
    directory = tmp_path_factory.mktemp("fava-hostile")
    ledger = directory / "hostile.beancount"
    ledger.write_text(textwrap.dedent(HOSTILE_LEDGER), encoding="utf-8")
    with fava_server(ledger, directory / "fava.log") as url:
        yield url


@contextlib.contextmanager
def chromium_page(browser: Browser, width: int = 1280) -> Iterator[Page]:
    """A page in a context of its own (cookies, storage), `width` pixels wide."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@dataclass
class Tab:
    """A page with everything it reported: console errors, uncaught errors, dialogs."""

    page: Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        # Nothing is ignored: on this page Fava itself logs no errors.
        if message.type == "error":
            self.errors.append(f"console: {message.text} at {message.location.get('url')}")

    def on_pageerror(self, error: Exception) -> None:
        self.errors.append(f"pageerror: {error}")

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def open(self, url: str, status: int = 200) -> None:
        """Load a URL as a fresh page (a full load, not Fava's in-page navigation)."""
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None
        assert response.status == status, f"{url}: HTTP {response.status}"

    def settle(self) -> None:
        """Wait until the page has no network traffic left (after a click)."""
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    """A fresh browser context and page, watched."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watched = Tab(page)
    page.on("console", watched.on_console)
    page.on("pageerror", watched.on_pageerror)
    page.on("dialog", watched.on_dialog)
    page.on("request", watched.on_request)
    try:
        yield watched
    finally:
        context.close()


def receivables_url(base: str, slug: str = SLUG, **params: str) -> str:
    query = "&".join(f"{k}={quote(v)}" for k, v in {"time": MONTH, **params}.items())
    return f"{base}/{slug}/extension/Receivables/?{query}"


def invoice_numbers(page: Page) -> list[str]:
    return [n or "" for n in page.locator(INVOICE_ROWS).evaluate_all(
        "rows => rows.map(r => r.dataset.invoice)")]


def invoice_statuses(page: Page) -> list[str]:
    return [s or "" for s in page.locator(INVOICE_ROWS).evaluate_all(
        "rows => rows.map(r => r.dataset.status)")]


def inside_fava(page: Page) -> bool:
    """Whether the report sits in Fava's own frame (header and sidebar), not bare."""
    return all(page.locator(f"body > {part}").count() == 1 for part in ("header", "aside"))


def screenshot_whole_page(page: Page, path: Path) -> None:
    """A screenshot of the whole report: Fava scrolls its <article>, not the document,
    so the viewport is first made as tall as the article's content."""
    height = page.evaluate(
        "() => { const a = document.querySelector('article');"
        " return Math.ceil(a.getBoundingClientRect().top + a.scrollHeight); }")
    assert isinstance(height, int)
    size = page.viewport_size
    assert size is not None
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(size)


@dataclass(frozen=True)
class AgingLine:
    """One line of `bean-ar aging --format csv`."""

    customer: str
    currency: str
    unapplied: Decimal
    total: Decimal


def aging_from_cli() -> list[AgingLine]:
    """`bean-ar aging LEDGER --as-of AS_OF --format csv`, run in-process."""
    result = CliRunner().invoke(main, ["aging", str(LEDGER), "--as-of", AS_OF,
                                       "--format", "csv"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [AgingLine(r["customer"], r["currency"], Decimal(r["unapplied"]), Decimal(r["total"]))
            for r in csv.DictReader(io.StringIO(result.stdout))]


def grouped(number: Decimal) -> str:
    """An amount as the page writes it: two places, thousands separators."""
    return f"{number:,.2f}"


def summary_value(page: Page, currency: str, label: str) -> str:
    """One figure of a currency's box in the summary, e.g. "Unapplied credit"."""
    box = page.get_by_test_id("summary").locator(f'dl[data-currency="{currency}"]')
    line = box.locator("dd").filter(has=page.locator("span", has_text=re.compile(f"^{label}$")))
    return line.locator(".ar-num").inner_text().strip()


def apply_status(tab: Tab, status: str) -> None:
    """Choose a status in the filter form and apply it."""
    tab.page.get_by_test_id("status-filter").select_option(status)
    tab.page.get_by_test_id("apply-filters").click()
    tab.page.wait_for_url(re.compile(rf"[?&]status={status}(&|$)"))
    tab.settle()
    expect(tab.page.get_by_test_id("status-filter")).to_have_value(status)


# --- the tests -------------------------------------------------------------------------


def test_page_loads_cleanly_with_the_cli_aging_totals(fava_url: str, tab: Tab) -> None:
    tab.open(receivables_url(fava_url))
    page = tab.page

    expect(page.get_by_test_id("as-of")).to_have_text(AS_OF)
    expect(page.get_by_test_id("aging-charts")).to_be_visible()
    totals = {line.currency: line for line in aging_from_cli() if line.customer == "TOTAL"}
    assert set(totals) == {"CZK", "EUR", "USD"}
    aging = page.get_by_test_id("aging")
    assert aging.locator('tr[data-customer="TOTAL"]').count() == len(totals)
    for currency, line in totals.items():
        row = aging.locator(f'tr[data-customer="TOTAL"][data-currency="{currency}"]')
        assert row.get_by_test_id("total").inner_text().strip() == grouped(line.total)
        # "Open on invoices" is the total without unapplied credit; the net balance the total
        assert page.get_by_test_id(f"open-{currency}").inner_text().strip() == grouped(
            line.total - line.unapplied)
        assert summary_value(page, currency, "Unapplied credit") == grouped(line.unapplied)
        assert page.get_by_test_id(f"net-{currency}").inner_text().strip() == grouped(
            line.total)
    assert tab.errors == []


def test_invoice_header_sorts_the_open_invoices_by_number(fava_url: str, tab: Tab) -> None:
    tab.open(receivables_url(fava_url))
    page = tab.page
    before = invoice_numbers(page)
    assert len(before) > 1

    header = page.locator('[data-testid="invoices"] a[data-sort="number"]')
    header.click()
    expect(header).to_have_text(re.compile(r"Invoice [▲▼]"))
    tab.settle()

    after = invoice_numbers(page)
    descending = "▼" in header.inner_text()
    assert after != before
    assert sorted(after) == sorted(before)
    assert after == sorted(after, reverse=descending)
    assert "sort=number" in page.url
    assert tab.errors == []


def test_status_filter_shows_only_rows_of_that_status(fava_url: str, tab: Tab) -> None:
    tab.open(receivables_url(fava_url))
    page = tab.page

    for status in ("disputed", "collections", "not-due"):
        apply_status(tab, status)
        statuses = invoice_statuses(page)
        assert statuses, f"no {status} invoice is listed"
        assert set(statuses) == {status}
        assert inside_fava(page), f"{page.url} shows a bare fragment"
        assert "partial" not in parse_qs(urlsplit(page.url).query)
    assert tab.errors == []


def test_customer_link_opens_the_customer_view(fava_url: str, tab: Tab) -> None:
    tab.open(receivables_url(fava_url))
    page = tab.page
    link = page.get_by_test_id("aging").get_by_test_id("customer-link").first
    name = link.inner_text().strip()
    customer = link.locator("xpath=ancestor::tr").get_attribute("data-customer")
    assert name
    assert customer

    link.click()
    view = page.get_by_test_id("customer-view")
    expect(view).to_be_visible()
    expect(view.locator("h3")).to_contain_text(name)
    expect(view.locator("h3")).to_contain_text(f"({customer})")
    tab.settle()
    assert parse_qs(urlsplit(page.url).query).get("customer") == [customer]
    assert tab.errors == []


def test_customer_view_summary_counts_only_that_customer(fava_url: str, tab: Tab) -> None:
    """A customer without unapplied credit, in a currency where another customer has some."""
    lines = aging_from_cli()
    credited = {line.currency for line in lines if line.customer != "TOTAL" and line.unapplied}
    customer = next(line for line in lines if line.customer != "TOTAL"
                    and not line.unapplied and line.currency in credited)
    tab.open(receivables_url(fava_url, customer=customer.customer))
    page = tab.page
    expect(page.get_by_test_id("customer-view")).to_be_visible()

    currency = customer.currency
    assert page.get_by_test_id(f"open-{currency}").inner_text().strip() == grouped(
        customer.total)
    assert summary_value(page, currency, "Unapplied credit") == grouped(customer.unapplied)


def test_after_in_page_navigation_links_and_form_stay_inside_fava(
        fava_url: str, tab: Tab) -> None:
    """Fava loads a clicked link with `partial=true`; our links and form must not keep it."""
    tab.open(receivables_url(fava_url))
    page = tab.page
    page.locator('a[data-sort="number"]').click()  # Fava fetches the page in place
    expect(page.locator('a[data-sort="number"]')).to_have_text(re.compile(r"[▲▼]"))
    tab.settle()

    problems = []
    leaking = page.locator("article a[href*='partial=']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    if leaking:
        problems.append(f"{len(leaking)} link(s) carry partial=, e.g. {leaking[0]}")
    hidden = page.locator('form input[type="hidden"][name="partial"]')
    if hidden.count():
        problems.append("the filter form has a hidden input partial=true")

    apply_status(tab, "disputed")
    if "partial" in parse_qs(urlsplit(page.url).query):
        problems.append(f"after Apply the address is {page.url}")
    if not inside_fava(page):
        problems.append("after Apply the page is a bare fragment without Fava's header, "
                        "sidebar and styles")
    problems.extend(tab.errors)
    assert not problems, "\n".join(problems)


def test_markup_in_ledger_text_is_shown_literally_and_never_runs(
        hostile_fava_url: str, tab: Tab) -> None:
    slug = "hostile-receivables"
    page = tab.page
    tab.open(receivables_url(hostile_fava_url, slug))
    page.wait_for_timeout(500)  # an injected onerror/onload would have fired by now
    expect(page.get_by_test_id("aging").get_by_text(IMG, exact=True)).to_be_visible()
    expect(page.get_by_test_id("aging").get_by_text(HOSTILE_ID, exact=True)).to_be_visible()

    page.get_by_test_id("aging").get_by_test_id("customer-link").first.click()
    view = page.get_by_test_id("customer-view")
    expect(view).to_be_visible()
    tab.settle()
    page.wait_for_timeout(500)
    expect(view.get_by_text(IMG)).to_be_visible()
    expect(view.get_by_text(SCRIPT, exact=True).first).to_be_visible()

    # a parameter in the address is echoed back into the form, escaped as well
    tab.open(receivables_url(hostile_fava_url, slug, q=HOSTILE_QUERY, x=HOSTILE_QUERY))
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("search")).to_have_value(HOSTILE_QUERY)

    assert tab.dialogs == []
    assert [u for u in tab.requests if urlsplit(u).path.endswith("/x")] == []
    injected = 'article img, article script:not([type="application/json"]), [onerror], [onload]'
    assert page.locator(injected).count() == 0
    assert tab.errors == []


def test_each_currency_has_its_own_chart_and_axis(fava_url: str, tab: Tab) -> None:
    tab.open(receivables_url(fava_url))
    charts = tab.page.locator('[data-testid="aging-charts"] figure')
    currencies = ("CZK", "EUR", "USD")
    expect(charts).to_have_count(len(currencies))
    for currency in currencies:
        chart = tab.page.locator(f'figure[data-currency="{currency}"]')
        expect(chart.locator("figcaption")).to_have_text(f"Aging by customer, {currency}")
        expect(chart.get_by_test_id("tick").first).to_have_text("0")
    boxes = [tab.page.locator(f'figure[data-currency="{c}"]').bounding_box()
             for c in currencies]
    for before, after in itertools.combinations(boxes, 2):  # in page order, none overlapping
        assert before is not None
        assert after is not None
        assert before["x"] + before["width"] <= after["x"] \
            or before["y"] + before["height"] <= after["y"]
    assert tab.errors == []


def test_time_filter_after_today_says_so(fava_url: str, tab: Tab) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.open(receivables_url(fava_url, time="2999"))
    as_of = tab.page.get_by_test_id("as-of").inner_text().strip()
    expect(tab.page.get_by_test_id("as-of-notice")).to_have_text(
        f"Figures as of {as_of}: the time filter ends 2999-12-31, after today.")
    screenshot_whole_page(tab.page, ARTIFACTS / "receivables-after-today.png")
    assert tab.errors == []


def test_bad_account_filter_is_a_message_inside_fava(fava_url: str, tab: Tab) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.open(receivables_url(fava_url, account="Assets:Bank"), status=400)
    page = tab.page
    expect(page.get_by_test_id("error")).to_contain_text(
        "the account filter 'Assets:Bank' takes in no receivable account")
    assert inside_fava(page)
    screenshot_whole_page(page, ARTIFACTS / "receivables-bad-account.png")
    page.get_by_test_id("retry").click()
    expect(page.get_by_test_id("as-of")).to_have_text(AS_OF)
    tab.settle()
    assert "account" not in parse_qs(urlsplit(page.url).query)


def test_account_filter_set_in_fava_shows_the_message_in_place(fava_url: str, tab: Tab) -> None:
    """Fava loads the page again in place when its account filter changes."""
    tab.open(receivables_url(fava_url))
    page = tab.page
    account = page.locator("header").get_by_placeholder("Account")
    account.fill("Income")
    account.press("Enter")
    expect(page.get_by_test_id("error")).to_contain_text(
        "Bad request: the account filter 'Income' takes in no receivable account")
    tab.settle()
    assert inside_fava(page)
    assert "failed with error" not in page.locator("article").inner_text()


def test_screenshots_of_the_page_and_a_customer_view(fava_url: str, tab: Tab) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.open(receivables_url(fava_url))
    page = tab.page
    screenshot_whole_page(page, ARTIFACTS / "receivables.png")

    page.get_by_test_id("aging").get_by_test_id("customer-link").first.click()
    expect(page.get_by_test_id("customer-view")).to_be_visible()
    tab.settle()
    screenshot_whole_page(page, ARTIFACTS / "receivables-customer.png")

    for name in ("receivables.png", "receivables-customer.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000
    assert tab.errors == []
