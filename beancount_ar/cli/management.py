"""`-o FILE` of `bean-ar collections` and `bean-ar kpi`: the tables as a management report.

    bean-ar collections ledger.beancount --period month -o report.pdf
    bean-ar kpi ledger.beancount --trend 12 -o kpi.html

The report holds what the command printed for people, a section per currency
with its chart, made by `documents/management.py` and written through the one
writer: never over a ledger file (exit 2), PDF unless FILE ends in `.html`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from beancount_ar.cli.console import EXIT_USAGE, fail

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Sequence

    from beancount_ar.cli.loading import Ledger
    from beancount_ar.documents.management import ReportSection


def output_option(command: Callable[..., None]) -> Callable[..., None]:
    """`-o/--output FILE`: also write the report as a PDF (or HTML) document."""
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
        default=None, help="Also write the report with its charts to FILE (PDF, or HTML "
        "when FILE ends in .html).")(command)


def write_report(loaded: Ledger, title: str, as_of: datetime.date,
                 sections: Sequence[ReportSection], output: Path) -> None:
    """Render and write the report; a refusal is exit 2, any other failure exit 1."""
    from beancount_ar.documents.management import management_html  # noqa: PLC0415
    from beancount_ar.documents.render import DocumentError, document_bytes  # noqa: PLC0415
    from beancount_ar.writer import (  # noqa: PLC0415
        WriteError,
        WriteRefusedError,
        ledger_files,
        output_refusal,
        write_output,
    )

    protected = ledger_files(loaded.options, loaded.entries)
    refusal = output_refusal(output, protected)
    if refusal is not None:
        fail(refusal, status=EXIT_USAGE)
    seller = loaded.receivables.seller.at(as_of) if loaded.receivables.seller else None
    try:
        data = document_bytes(management_html(title, as_of, seller, sections), output,
                              seller.page_size if seller else "A4")
        write_output(output, data, protected=protected)
    except WriteRefusedError as error:
        fail(str(error), status=EXIT_USAGE)
    except (DocumentError, WriteError) as error:
        fail(str(error))
    click.echo(f"bean-ar: wrote {output}", err=True)
