"""The Collections page in real Chromium: recording through its form, and a stale page refused.

    .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_fava_collections_browser.py

Fava runs as a subprocess on a small ledger (`tests/test_fava_browser.py`'s
server and browser); a screenshot of the page before and after a recording goes
to the pictures folder for a human to look at.
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

BODY = """
    2026-04-01 * "Acme Corp" "Consulting" ^INV-A1 #invoice
      Assets:Receivable:Acme     1000.00 USD
      Income:Consulting         -1000.00 USD

    2026-05-01 * "Globex Inc" "Consulting" ^INV-G1 #invoice
      Assets:Receivable:Globex    500.00 USD
      Income:Consulting          -500.00 USD

    2026-05-20 custom "ar-dispute" "INV-G1" "Hours disputed"
"""
PROMISED = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()  # noqa: DTZ011


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    ledger = tmp_path / "ledger.beancount"
    ledger.write_text(FAVA_HEADER + "\n" + textwrap.dedent(BODY), encoding="utf-8")
    with fava_server(ledger, tmp_path / "fava.log") as url:
        yield ledger, f"{url}/ar-fava-test/extension/Collections/"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with chromium_page(browser, 1280) as opened:
        yield opened


def _fill(page: Page, kind: str, detail: str) -> None:
    page.select_option("[data-testid=record-invoice]", "INV-A1")
    page.select_option("[data-testid=record-kind]", kind)
    page.fill("[data-testid=record-detail]", detail)


def test_a_promise_recorded_through_the_form(served: tuple[Path, str], page: Page) -> None:
    ledger, url = served
    before = ledger.read_text(encoding="utf-8")
    page.goto(url, wait_until="networkidle")
    assert "Hours disputed" in page.inner_text("[data-testid=disputes]")
    page.screenshot(path=str(ARTIFACTS / "fava-collections.png"), full_page=True)
    _fill(page, "ar-promise", PROMISED)
    with page.expect_navigation(wait_until="networkidle"):
        page.click("[data-testid=record-submit]")
    assert "Recorded for INV-A1" in page.inner_text("[data-testid=recorded]")
    assert PROMISED in page.inner_text("[data-testid=promises]")
    today = datetime.date.today().isoformat()  # noqa: DTZ011 - Fava's page takes the real day
    assert ledger.read_text(encoding="utf-8") == (
        before + f'\n{today} custom "ar-promise" "INV-A1" {PROMISED}\n')
    page.screenshot(path=str(ARTIFACTS / "fava-collections-recorded.png"), full_page=True)


def test_a_stale_page_is_refused_and_the_other_edit_kept(
    served: tuple[Path, str], page: Page,
) -> None:
    ledger, url = served
    page.goto(url, wait_until="networkidle")
    with ledger.open("a", encoding="utf-8") as file:  # an editor saves while the page is open
        file.write("\n; edited elsewhere\n")
    edited = ledger.read_bytes()
    _fill(page, "ar-dispute", "Late delivery")
    with page.expect_navigation():
        page.click("[data-testid=record-submit]")
    assert "changed since this page was shown" in page.inner_text("body")
    assert ledger.read_bytes() == edited
    page.screenshot(path=str(ARTIFACTS / "fava-collections-stale.png"))
