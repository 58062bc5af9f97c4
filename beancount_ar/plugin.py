"""Running the suite as Beancount plugins: one model, each plugin its own errors.

    plugin "beancount_ar" "{'root': 'Assets:Receivable', 'default_terms': 'net 30'}"
"""

from __future__ import annotations

import datetime
import gc
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from beancount.core.data import Transaction

from beancount_ar.build import build_receivables
from beancount_ar.config import ARConfig, parse_config
from beancount_ar.errors import ARError, ar_error
from beancount_ar.sensitive import guard_cards, mask_errors

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator

    from beancount_ar.model import Invoice, Receivables

ALL_CODES = ("AR0", "AR1", "AR2", "AR3", "AR5")


def load_config(options_map: dict[str, Any], text: str | None) -> tuple[ARConfig, list[ARError]]:
    """The configuration from the plugin line, with AR000 errors for what is wrong in it."""
    config, problems = parse_config(text)
    where = {"filename": options_map.get("filename", "<plugin>"), "lineno": 0}
    return config, [ar_error("AR000", where, f"plugin beancount_ar: {p}") for p in problems]


def annotate_invoices(entries: list[Any], receivables: Receivables) -> list[Any]:
    """Add `invoice`, `customer`, `terms` and `due` to each invoice transaction's metadata."""
    tag = receivables.config.invoice_tag
    for entry in entries:
        if isinstance(entry, Transaction) and tag in entry.tags and len(entry.links) == 1:
            invoice = receivables.invoices.get(next(iter(entry.links)))
            if invoice is not None and invoice.source.lineno == entry.meta.get("lineno") \
                    and invoice.source.filename == entry.meta.get("filename"):
                _annotate(entry.meta, invoice)
    return entries


def _annotate(meta: dict[str, Any], invoice: Invoice) -> None:
    # In place, as Beancount's own plugins do: copying every invoice entry cost
    # more than the rest of the invoice checks together.
    meta.setdefault("terms", str(invoice.terms))
    meta["invoice"], meta["customer"] = invoice.number, invoice.customer
    due = meta.get("due")
    if not isinstance(due, datetime.date) or due < invoice.date:
        meta["due"] = invoice.due


@contextmanager
def _no_collection_pauses() -> Iterator[None]:
    """Pause the cyclic garbage collector while the suite runs.

    The model creates no reference cycles, but its many small objects would set
    off full collections over Beancount's whole entry graph, which doubled the
    suite's cost on a 10k-invoice ledger. The previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_checks(
    entries: list[Any], options_map: dict[str, Any], text: str | None,
    codes: Collection[str], *, annotate: bool = False,
) -> tuple[list[Any], list[Any]]:
    """Build the model and return the errors whose code starts with one of `codes`."""
    config, errors = load_config(options_map, text)
    with _no_collection_pauses():
        receivables, found = build_receivables(entries, config)
    errors += [e for e in found if e.code.startswith(tuple(codes)) or e.code == "AR000"]
    if annotate:
        entries = annotate_invoices(entries, receivables)
    return entries, mask_errors(errors)


def safe_guard_cards(entries: list[Any]) -> tuple[list[Any], list[Any]]:
    """The card guard, which never raises: a failure is an AR000 error."""
    try:
        return guard_cards(entries)
    except Exception as exc:  # noqa: BLE001 - a plugin must never raise: report, don't crash
        where = {"filename": "<beancount_ar.card_numbers>", "lineno": 0}
        return entries, [ar_error("AR000", where, f"the card-number guard failed ({exc!r}); "
                                  "please report it")]


def run_suite(
    entries: list[Any], options_map: dict[str, Any], text: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The whole suite: customers, invoices, payments, events, credit limits, card numbers."""
    with _no_collection_pauses():
        entries, card_errors = safe_guard_cards(entries)
    entries, errors = run_checks(entries, options_map, text, ALL_CODES, annotate=True)
    return entries, errors + card_errors
