"""The Analytics page's charts as geometry: bars and lines on one axis, in % of the plot."""

from __future__ import annotations

from decimal import Decimal

from beancount_ar.documents.charts import trend_chart


def test_bars_and_a_line_share_one_round_axis() -> None:
    chart = trend_chart(["2026-05", "2026-06"],
                        bars={"billed": [Decimal(900), Decimal(1200)],
                              "collected": [Decimal(800), Decimal(1000)]},
                        lines={"open": [Decimal(1500), Decimal(1700)]})
    assert [label for _, label in chart["ticks"]] == ["0", "500", "1,000", "1,500", "2,000"]
    assert chart["zero"] == 100.0
    first = chart["bars"][0]
    assert (first["series"], first["label"], first["value"]) == ("billed", "2026-05",
                                                                 Decimal(900))
    assert first["height"] == 45.0  # 900 of the 2,000 axis
    assert first["y"] == 55.0
    assert chart["lines"][0]["points"] == "25.000,25.000 75.000,15.000"
    assert chart["rows"][1] == ("2026-06", [Decimal(1200), Decimal(1000)], [Decimal(1700)])


def test_an_undefined_value_draws_nothing_and_a_negative_bar_hangs_below_zero() -> None:
    chart = trend_chart(["a", "b"], bars={"net": [Decimal(-50), Decimal(100)]},
                        lines={"dso": [None, Decimal(30)]})
    assert [label for _, label in chart["ticks"]] == ["-50", "0", "50", "100"]
    negative = chart["bars"][0]
    assert negative["y"] == chart["zero"]
    assert negative["height"] == 100 / 3
    assert chart["lines"][0]["points"].count(",") == 1  # only the defined point
