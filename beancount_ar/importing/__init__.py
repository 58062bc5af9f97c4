"""Matching receipts as a beangulp hook: `beancount_ar.importing.match_receipts`.

    # import.py
    import beangulp
    from beancount_ar.importing import match_receipts

    if __name__ == "__main__":
        beangulp.Ingest([MyBankImporter()], hooks=[match_receipts])()

    $ python import.py extract -e ledger.beancount statements/ > receipts.beancount

Each receipt the importers extract (a transaction to a bank account whose other
leg is the `suspense` account or missing) comes out settled exactly as
`bean-ar match --apply` would write it (AR-SPEC section 13): to the invoices it
pays, with an early-payment discount's credit note after it, or on account for
a known payer; an unknown payer's receipt comes out as the importer made it.
The ledger is the one given with `-e/--existing`; its configuration is read
from its top file's `plugin` line. Without `-e` nothing is matched (a warning
says so).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from beancount_ar.core.model import Receivables

__all__ = ["match_receipts"]

Extracted = list[tuple[str, list[Any], str, Any]]  # beangulp: (file, entries, account, importer)


def match_receipts(extracted: Extracted, existing_entries: Sequence[Any]) -> Extracted:
    """The beangulp hook: every extracted receipt settled against the existing ledger."""
    from beancount_ar.reports.matching import match_receipts as propose  # noqa: PLC0415
    from beancount_ar.reports.settlement import settled_entries  # noqa: PLC0415

    receivables = _receivables(existing_entries)
    if receivables is None:
        return extracted
    result: Extracted = []
    # One matcher over all files, so a receipt counts those extracted before it as applied.
    entries = [entry for _, file_entries, _, _ in extracted for entry in file_entries]
    settled = {id(p.receipt.entry): settled_entries(p, receivables)
               for p in propose(receivables, entries) if p.settles}
    for filename, file_entries, account, importer in extracted:
        new: list[Any] = []
        for entry in file_entries:
            new.extend(settled.get(id(entry), [entry]))
        result.append((filename, new, account, importer))
    return result


def _receivables(existing_entries: Sequence[Any]) -> Receivables | None:
    """The model of the ledger beangulp was given with -e, or None (with a warning)."""
    import click  # noqa: PLC0415 - beangulp's own command line
    from beancount.parser import parser  # noqa: PLC0415

    from beancount_ar.core.build import read_receivables  # noqa: PLC0415

    context = click.get_current_context(silent=True)
    existing = context.params.get("existing") if context is not None else None
    if not existing:
        print("beancount_ar.importing.match_receipts: no ledger given (-e LEDGER); "  # noqa: T201
              "receipts left as extracted", file=sys.stderr)
        return None
    # The configuration and precision come from the top file's own `plugin` and
    # options lines: beangulp keeps the entries it loaded but not their options.
    _, _, options = parser.parse_file(existing)
    options = {**options, "filename": existing}
    return read_receivables(list(existing_entries), options)
