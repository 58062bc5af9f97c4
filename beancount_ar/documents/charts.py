"""Charts over time: bars and lines on one axis, as inline SVG geometry (Fava and the PDFs).

    chart = trend_chart(
        ["2026-05", "2026-06"],
        bars={"billed": [Decimal(900), Decimal(1200)], "collected": [Decimal(800), Decimal(1000)]},
        lines={"open": [Decimal(1500), Decimal(1700)]},
    )
    chart["bars"][0]   # {"series": "billed", "x": ..., "y": ..., "height": ..., "value": ...}
    chart["lines"][0]["points"]   # "x,y x,y": an SVG polyline
    chart["ticks"]     # [(y in %, "0"), (y, "500"), ...]

Every coordinate is a share of the plot in % (x from the left, y from the top),
so the template draws it at any size; no script and nothing from the network.
The numbers behind it go into a table beside the chart (`rows`), for screen
readers and for tests.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

_GAP = Decimal("0.2")  # of each period's slot, left empty between the periods' bars
_ZERO = Decimal(0)


def trend_chart(labels: Sequence[str], *, bars: Mapping[str, Sequence[Decimal | None]],
                lines: Mapping[str, Sequence[Decimal | None]]) -> dict[str, Any]:
    """Grouped bars per period (one per `bars` series) and a polyline per `lines` series.

    The axis runs from the lowest value (or 0) to the first round figure at or
    above the highest. A missing value (None: undefined) draws nothing there.
    """
    values = [v for series in (*bars.values(), *lines.values()) for v in series if v is not None]
    low = min([_ZERO, *values])
    high = max([_ZERO, *values])
    step = tick_step(max(high - low, Decimal(1)))
    bottom = (low / step).to_integral_value(rounding=ROUND_CEILING) * step
    if bottom > low:
        bottom -= step
    top = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    span = (top - bottom) or step

    def y(value: Decimal) -> float:
        return float((top - value) / span * 100)

    slot = Decimal(100) / max(len(labels), 1)
    width = slot * (1 - _GAP) / max(len(bars), 1)
    drawn_bars = []
    for index, (series, numbers) in enumerate(bars.items()):
        for position, value in enumerate(numbers):
            if value is None:
                continue
            x = slot * position + slot * _GAP / 2 + width * index
            drawn_bars.append({
                "series": series, "index": index, "label": labels[position], "value": value,
                "x": float(x), "width": float(width),
                "y": y(max(value, _ZERO)), "height": float(abs(value) / span * 100),
            })
    drawn_lines = []
    for index, (series, numbers) in enumerate(lines.items()):
        dots = [(float(slot * position + slot / 2), y(value))
                for position, value in enumerate(numbers) if value is not None]
        drawn_lines.append({"series": series, "index": index, "dots": dots,
                            "points": " ".join(f"{x:.3f},{top:.3f}" for x, top in dots)})
    ticks = []
    tick = bottom
    while tick <= top:
        ticks.append((y(tick), f"{tick:,f}"))
        tick += step
    return {
        "labels": [(float(slot * i + slot / 2), label) for i, label in enumerate(labels)],
        "bars": drawn_bars, "lines": drawn_lines, "ticks": ticks, "zero": y(_ZERO),
        "rows": [(label, [bars[s][i] for s in bars], [lines[s][i] for s in lines])
                 for i, label in enumerate(labels)],
        "bar_series": list(bars), "line_series": list(lines),
    }


_TICKS = 5  # at most this many steps on an axis, so its labels fit


def tick_step(largest: Decimal) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten) giving at most five ticks to `largest`."""
    power = Decimal(10) ** (largest.adjusted() - 1)
    for factor in (1, 2, 5, 10, 20, 50):
        if largest / (power * factor) <= _TICKS:
            return power * factor
    return power * 100
