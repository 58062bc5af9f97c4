"""The billing run: many invoices rendered to PDF at once.

The HTML is made in this process (fast); the PDF engine, the slow part, runs as
one process per invoice, as many at a time as there are cores.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_ar.documents.data import invoice_document
from beancount_ar.documents.render import DocumentError, invoice_html, write_document
from beancount_ar.writer import WriteError, output_refusal

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from beancount_ar.company import Company
    from beancount_ar.model import Invoice, Receivables

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass
class BillingRun:
    """What a billing run wrote and what it could not."""

    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)


def file_name(number: str) -> str:
    """An invoice number as a safe file name: `INV/2026/1` -> `INV_2026_1.pdf`."""
    return _UNSAFE.sub("_", number) + ".pdf"


def refused_outputs(chosen: Sequence[Invoice], folder: Path,
                    protected: Sequence[Path]) -> list[tuple[str, str]]:
    """The invoices whose `<folder>/<number>.pdf` the writer would refuse, and why."""
    refused = []
    for invoice in chosen:
        refusal = output_refusal(folder / file_name(invoice.number), protected)
        if refusal is not None:
            refused.append((invoice.number, refusal))
    return refused


def billing_run(  # noqa: PLR0913 - the run's inputs, all needed
    receivables: Receivables, company: Company | None, chosen: Sequence[Invoice],
    folder: Path, as_of: datetime.date, *, jobs: int | None = None,
    progress: Callable[[int], object] = lambda _: None, protected: Sequence[Path] = (),
) -> BillingRun:
    """Write each chosen invoice as `<folder>/<number>.pdf`, `jobs` at a time.

    `protected` are the ledger's files: no output may land on one (see `writer`).
    """
    result = BillingRun()
    pages = []
    for invoice in chosen:
        document = invoice_document(receivables, company, invoice.number, as_of)
        if document is None:
            continue
        page_size = document.seller.page_size if document.seller else "A4"
        pages.append((invoice, invoice_html(document), page_size))
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        futures = {
            pool.submit(write_document, html, folder / file_name(invoice.number), size,
                        protected=protected): invoice
            for invoice, html, size in pages
        }
        for future in as_completed(futures):
            invoice = futures[future]
            try:
                future.result()
            except (DocumentError, WriteError) as error:
                result.failed.append((invoice.number, str(error)))
            else:
                result.written.append(folder / file_name(invoice.number))
                result.totals[invoice.currency] = (
                    result.totals.get(invoice.currency, Decimal(0)) + invoice.amount)
            progress(1)
    return result
