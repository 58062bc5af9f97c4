"""The Analytics page in Fava: every chart's numbers are the CLI's for the same dates.

    /<slug>/extension/Analytics/?time=2026   billed/collected, DSO, CEI, forecast per currency

The charts are inline SVG with a table of their numbers beside each; the tables
are read back here and compared with `bean-ar collections`, `kpi --trend 12`
and `forecast` as CSV.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from click.testing import CliRunner
from fava_ledgers import EXAMPLE, FavaSite

from beancount_ar.cli import main

AS_OF = datetime.date(2026, 11, 30)


@pytest.fixture(scope="module")
def site() -> FavaSite:
    return FavaSite.open(EXAMPLE, today=AS_OF)


def _csv(*args: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(main, [*args, str(EXAMPLE), "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _table(page: str, name: str, currency: str) -> list[list[str]]:
    start = page.index(f'data-testid="table-{name}" data-currency="{currency}"')
    body = page[start:page.index("</table>", start)]
    rows = re.findall(r"<tr><td>(.*?)</td>(.*?)</tr>", body, re.DOTALL)
    return [[label, *re.findall(r'<td class="ar-num">(.*?)</td>', cells)]
            for label, cells in rows]


@pytest.fixture(scope="module")
def page(site: FavaSite) -> str:
    response = site.client.get(f"/{site.slug}/extension/Analytics/", query_string={"time": "2026"})
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("currency", ["CZK", "EUR", "USD"])
def test_billed_against_collected_is_bean_ar_collections(page: str, currency: str) -> None:
    rows = _csv("collections", "--period", "month", "--from", "2026-01-01",
                "--to", AS_OF.isoformat())
    expected = [[r["period"], r["invoiced"], r["collected"], r["open"], r["overdue"]]
                for r in rows if r["currency"] == currency]
    assert _table(page, "flows", currency) == expected
    assert len(expected) == 11  # January through November


@pytest.mark.parametrize("currency", ["EUR", "USD"])
def test_dso_and_cei_trend_is_bean_ar_kpi_trend(page: str, currency: str) -> None:
    rows = [r for r in _csv("kpi", "--as-of", AS_OF.isoformat(), "--trend", "12")
            if r["scope"] == "all" and r["currency"] == currency]
    assert _table(page, "dso", currency) == [[r["month"], r["dso"], r["countback_dso"]]
                                             for r in rows]
    assert _table(page, "cei", currency) == [[r["month"], r["cei"]] for r in rows]


@pytest.mark.parametrize("currency", ["CZK", "EUR", "USD"])
def test_the_forecast_is_bean_ar_forecast(page: str, currency: str) -> None:
    rows = _csv("forecast", "--as-of", AS_OF.isoformat())
    assert _table(page, "forecast", currency) == [[r["week"], r["expected"]] for r in rows
                                                  if r["currency"] == currency]


def test_charts_are_inline_svg_with_nothing_fetched(page: str) -> None:
    assert page.count('data-testid="chart-flows"') == 3
    ours = page.split("<h2>Analytics", 1)[1].split('id="page-title"', 1)[0]  # before Fava's own
    assert "<script" not in ours.removesuffix('<script type="application/json" ')
    assert "http" not in ours


@pytest.mark.parametrize("choice", [{"currency": "EUR"}, {"conversion": "EUR"}])
def test_one_currency_alone(site: FavaSite, choice: dict[str, str]) -> None:
    # Fava's own currency choice is `conversion`; the page never converts, it picks.
    response = site.client.get(f"/{site.slug}/extension/Analytics/",
                               query_string={"time": "2026", **choice})
    assert re.findall(r'data-testid="table-flows" data-currency="(\w+)"', response.text) == [
        "EUR"]
