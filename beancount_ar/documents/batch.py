"""The billing run: many invoices rendered to PDF at once.

The HTML is made in this process (fast); the PDF engine, the slow part, runs as
one process per invoice, as many at a time as there are cores.

Two invoices whose numbers make the same file name (`INV/1` and `INV_1` are both
`INV_1.pdf`) are refused, never written one over the other: a renamed file
(`INV_1-2.pdf`) would name no invoice, and which one got it would depend on the
run's range.
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

    from beancount_ar.core.model import Invoice, Receivables

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


def name_clashes(chosen: Sequence[Invoice]) -> dict[str, list[str]]:
    """The file names two or more of the invoices would share, and their numbers.

    Names that differ only in case clash too: on a case-insensitive disk (macOS,
    Windows, many shares) they are one file.
    """
    numbers: dict[str, list[str]] = {}
    for invoice in chosen:
        numbers.setdefault(file_name(invoice.number).casefold(), []).append(invoice.number)
    return {file_name(same[0]): same for same in numbers.values() if len(same) > 1}


def clash_refusal(folder: Path, name: str, numbers: Sequence[str]) -> str:
    """Why the invoices `numbers` are refused: they would all be written to `folder/name`."""
    listed = ", ".join(numbers[:-1]) + " and " + numbers[-1]
    every = "both" if len(numbers) == 2 else "all"  # noqa: PLR2004 - two invoices
    return (f"invoices {listed} would {every} be written to {folder / name}; refusing to "
            "write any of them (print each with bean-ar invoice NUMBER -o FILE)")


def refused_outputs(chosen: Sequence[Invoice], folder: Path,
                    protected: Sequence[Path]) -> list[tuple[str, str]]:
    """The invoices whose `<folder>/<number>.pdf` the writer would refuse, and why.

    Invoices whose file names clash are one refusal, under the first one's number.
    """
    clashes = name_clashes(chosen)
    refused = [(numbers[0], clash_refusal(folder, name, numbers))
               for name, numbers in clashes.items()]
    clashing = {number for numbers in clashes.values() for number in numbers}
    for invoice in (i for i in chosen if i.number not in clashing):
        refusal = output_refusal(folder / file_name(invoice.number), protected)
        if refusal is not None:
            refused.append((invoice.number, refusal))
    return refused


def billing_run(  # noqa: PLR0913 - the run's inputs, all needed
    receivables: Receivables, chosen: Sequence[Invoice],
    folder: Path, as_of: datetime.date, *, jobs: int | None = None,
    progress: Callable[[int], object] = lambda _: None, protected: Sequence[Path] = (),
) -> BillingRun:
    """Write each chosen invoice as `<folder>/<number>.pdf`, `jobs` at a time.

    `protected` are the ledger's files: no output may land on one (see `writer`).
    Invoices whose file names clash are failed, none of them written.
    """
    result = BillingRun()
    for name, numbers in name_clashes(chosen).items():
        result.failed.extend((number, clash_refusal(folder, name, numbers)) for number in numbers)
    clashing = {number for number, _ in result.failed}
    pages = []
    for invoice in (i for i in chosen if i.number not in clashing):
        document = invoice_document(receivables, invoice.number, as_of)
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
