"""The Analytics report in Fava: billed against collected, DSO and CEI, and the forecast.

    2026-01-01 custom "fava-extension" "beancount_ar.fava"

adds, beside `Receivables` and `Collections`, `Analytics` at
`/<slug>/extension/Analytics/`, as of the same day as the other pages (the end
of Fava's time filter, else today), one set of charts per currency (or only
the currency `?currency=` names):

- billed against collected per month (bars) with open and overdue at each
  month's end (lines): `bean-ar collections --period month` over the time
  filter's months, else the twelve months ending with the as-of month;
- DSO and countback DSO, and CEI, at the end of each of the last twelve
  months: `bean-ar kpi --trend 12`;
- the expected cash per week: `bean-ar forecast`.

Each chart is inline SVG drawn from `documents/charts.py` (no script, nothing
from the network), with its numbers in a table beside it. The model is the
Receivables extension's: one build per load for all three pages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from dateutil.relativedelta import relativedelta
from fava.ext import FavaExtensionBase
from flask import request

from beancount_ar.documents.charts import trend_chart
from beancount_ar.reports.billed_collected import billed_collected
from beancount_ar.reports.forecast import forecast
from beancount_ar.reports.kpi import kpi
from beancount_ar.reports.periods import one_decimal

if TYPE_CHECKING:
    import datetime
    from fractions import Fraction

    from beancount_ar.core.model import Receivables as Model
    from beancount_ar.fava import Receivables

TREND_MONTHS = 12
FORECAST_WEEKS = 12
KPI_MONTHS = 3  # `bean-ar kpi`'s default period


def _figure(value: Fraction | None) -> Decimal | None:
    """A KPI as the chart draws it: its one-decimal figure, None when undefined."""
    text = one_decimal(value)
    return Decimal(text) if text else None


class Analytics(FavaExtensionBase):
    """Billed against collected, DSO and CEI over time, and the collections forecast."""

    report_title = "Analytics"

    @property
    def receivables_page(self) -> Receivables:
        """The Receivables extension of the same ledger, whose model every page reads."""
        return cast("Receivables", self.ledger.extensions.get_extension("Receivables"))

    @property
    def receivables(self) -> Model:
        """The model of the loaded ledger."""
        return self.receivables_page.receivables

    def as_of(self) -> datetime.date:
        """The Receivables page's as-of day."""
        return self.receivables_page.as_of()

    def months(self) -> tuple[datetime.date, datetime.date]:
        """The months charted: the time filter's, else the twelve ending with the as-of month."""
        as_of = self.as_of()
        window = self.receivables_page.time_filter()
        if window is not None and window[0] <= as_of:
            return window[0], as_of
        return as_of.replace(day=1) - relativedelta(months=TREND_MONTHS - 1), as_of

    def currencies(self) -> list[str]:
        """The currencies charted: the one Fava's currency (conversion) or `?currency=` names.

        Else every invoice currency: amounts are never converted, a chart is one currency's.
        """
        found = sorted({i.currency for i in self.receivables.invoices.values()})
        for chosen in (request.args.get("currency", ""), request.args.get("conversion", "")):
            if chosen.strip() in found:
                return [chosen.strip()]
        return found

    def money(self, number: Decimal, currency: str) -> str:
        """An amount at the ledger's precision, with thousands separators."""
        return self.receivables.precision.grouped(number, currency)

    def charts(self) -> list[dict[str, Any]]:
        """Per currency: the billed/collected, DSO, CEI and forecast charts."""
        start, end = self.months()
        as_of = self.as_of()
        months = billed_collected(self.receivables, "month", start, end)
        trend = [r for r in kpi(self.receivables, as_of, KPI_MONTHS, trend=TREND_MONTHS)
                 if r.scope == "all"]
        weeks = forecast(self.receivables, as_of, FORECAST_WEEKS)
        return [self._currency_charts(currency, months, trend, weeks)
                for currency in self.currencies()]

    def _currency_charts(self, currency: str, months: list[Any], trend: list[Any],
                         weeks: list[Any]) -> dict[str, Any]:
        flows = [r for r in months if r.currency == currency]
        kpis = {r.day: r for r in trend if r.currency == currency}
        days = sorted({r.day for r in trend})
        expected = [r for r in weeks if r.currency == currency]
        return {
            "currency": currency,
            "flows": trend_chart(
                [r.period.label for r in flows],
                bars={"invoiced": [r.invoiced for r in flows],
                      "collected": [r.collected for r in flows]},
                lines={"open": [r.open for r in flows], "overdue": [r.overdue for r in flows]}),
            "dso": trend_chart(
                [f"{day:%Y-%m}" for day in days], bars={},
                lines={"dso": [_figure(kpis[d].dso) if d in kpis else None for d in days],
                       "countback_dso": [_figure(kpis[d].countback_dso) if d in kpis else None
                                         for d in days]}),
            "cei": trend_chart(
                [f"{day:%Y-%m}" for day in days], bars={},
                lines={"cei": [_figure(kpis[d].cei) if d in kpis else None for d in days]}),
            "forecast": trend_chart(
                [r.week for r in expected], bars={"expected": [r.expected for r in expected]},
                lines={}),
        }
