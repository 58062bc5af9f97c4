"""A short management report as a document: titled tables, each with its chart, as PDF.

    bean-ar collections ledger.beancount --period month -o report.pdf
    bean-ar kpi ledger.beancount --trend 12 -o kpi.pdf

The command hands over what it printed: one `ReportSection` per table, with
the header and the cells exactly as its table for people, and a chart from
`documents/charts.py` (bars and lines over the periods, per currency). The
page is `management.html` (a company's `templates:` folder may replace it),
rendered like invoices and made a PDF by the same locked-down engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from beancount_ar.documents.render import logo_data_uri, templates_environment

if TYPE_CHECKING:
    import datetime
    from collections.abc import Sequence

    from beancount_ar.core.seller import CompanyVersion

MANAGEMENT_TEMPLATE = "management.html"


class ReportSection(NamedTuple):
    """One table of the report, and the chart drawn above it (None: no chart)."""

    heading: str
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: frozenset[str]  # the columns aligned right
    chart: dict[str, Any] | None = None


def management_html(title: str, as_of: datetime.date, seller: CompanyVersion | None,
                    sections: Sequence[ReportSection]) -> str:
    """The report as an HTML page (every value escaped), ready for `render.pdf_bytes`."""
    env = templates_environment(seller.templates if seller else None,
                                seller.locale if seller else "en_US")
    return env.get_template(MANAGEMENT_TEMPLATE).render(
        title=title, as_of=as_of, seller=seller, logo=logo_data_uri(seller),
        sections=sections)
