"""The Analytics page in real Chromium: charts drawn, their numbers the CLI's for the same dates.

A screenshot of the example's page goes to the pictures folder for a human to look at.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from fava_ledgers import EXAMPLE, EXAMPLE_SLUG
from playwright.sync_api import sync_playwright
from test_fava_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, fava_server

from beancount_ar.cli import main

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Page

MONTH = "2026-11"  # a past month: the page's as-of day is its last, whatever today is
AS_OF = "2026-11-30"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    log: Path = tmp_path_factory.mktemp("fava-analytics") / "fava.log"
    with fava_server(EXAMPLE, log) as url, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context(viewport={"width": 1400, "height": 1000})
            context.set_default_timeout(TIMEOUT_MS)
            tab = context.new_page()
            tab.goto(f"{url}/{EXAMPLE_SLUG}/extension/Analytics/?time={MONTH}",
                     wait_until="networkidle")
            yield tab
        finally:
            chromium.close()


def test_the_charts_are_drawn_and_pictured(page: Page) -> None:
    for name in ("flows", "dso", "cei", "forecast"):
        assert page.locator(f"[data-testid=chart-{name}]").count() == 3  # CZK, EUR, USD
    assert page.locator("[data-testid=chart-flows] rect").count() >= 3
    page.screenshot(path=str(ARTIFACTS / "fava-analytics.png"), full_page=True)


def test_the_forecast_table_in_the_browser_is_bean_ar_forecast(page: Page) -> None:
    result = CliRunner().invoke(main, ["forecast", str(EXAMPLE), "--as-of", AS_OF,
                                       "--format", "csv"])
    rows = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["currency"] == "EUR"]
    cells = page.locator("[data-testid=table-forecast][data-currency=EUR] tbody tr")
    shown = [cells.nth(i).locator("td").all_inner_texts() for i in range(cells.count())]
    assert shown == [[r["week"], r["expected"]] for r in rows]
