"""The aging chart of the Receivables page: one chart per currency, each on its own axis.

    charts = aging_charts(rows)   # rows as `reports.aging.aging` gives them
    charts[0]["ticks"]            # [(0.0, "0"), (20.0, "5,000"), ...]: share of the axis in %
"""

from __future__ import annotations

from decimal import ROUND_CEILING
from typing import TYPE_CHECKING, Any

from beancount_ar.core.model import ZERO
from beancount_ar.documents.charts import tick_step

if TYPE_CHECKING:
    from collections.abc import Sequence

    from beancount_ar.reports.aging import AgingRow



def aging_charts(rows: Sequence[AgingRow]) -> list[dict[str, Any]]:
    """One chart per currency, each on its own axis: stacked bars per customer.

    Each bucket's width is its share of the axis, which ends at the first round
    figure at or above the currency's largest total; `ticks` are the axis labels
    as (share of the axis in %, the round amount written with separators).
    """
    by_currency: dict[str, list[AgingRow]] = {}
    for r in rows:
        if not r.is_total:
            by_currency.setdefault(r.currency, []).append(r)
    charts = []
    for currency, customers in sorted(by_currency.items()):
        largest = max(sum((b for b in r.buckets if b > 0), ZERO) for r in customers)
        if largest <= 0:
            continue
        step = tick_step(largest)
        top = (largest / step).to_integral_value(rounding=ROUND_CEILING) * step
        charts.append({
            "currency": currency,
            "ticks": [(float(n * step / top * 100), f"{n * step:,f}")
                      for n in range(int(top / step) + 1)],
            "bars": [{"row": r, "parts": [(i, float(b / top * 100))
                                          for i, b in enumerate(r.buckets) if b > 0]}
                     for r in customers],
        })
    return charts
