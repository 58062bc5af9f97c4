"""Running the suite as Beancount plugins: one model, each plugin its own errors.

    plugin "beancount_ar" "{'root': 'Assets:Receivable', 'default_terms': 'net 30'}"
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beancount.core.data import Transaction

from beancount_ar.build import build_receivables
from beancount_ar.config import ARConfig, parse_config
from beancount_ar.errors import ARError, ar_error
from beancount_ar.sensitive import guard_cards, mask_errors

if TYPE_CHECKING:
    from collections.abc import Collection

    from beancount_ar.model import Receivables

ALL_CODES = ("AR0", "AR1", "AR2", "AR3", "AR5")


def load_config(options_map: dict[str, Any], text: str | None) -> tuple[ARConfig, list[ARError]]:
    """The configuration from the plugin line, with AR000 errors for what is wrong in it."""
    config, problems = parse_config(text)
    where = {"filename": options_map.get("filename", "<plugin>"), "lineno": 0}
    return config, [ar_error("AR000", where, f"plugin beancount_ar: {p}") for p in problems]


def annotate_invoices(entries: list[Any], receivables: Receivables) -> list[Any]:
    """Add `invoice`, `customer`, `terms` and `due` to each invoice transaction's metadata."""
    tag = receivables.config.invoice_tag
    out = []
    for entry in entries:
        if isinstance(entry, Transaction) and tag in entry.tags and len(entry.links) == 1:
            invoice = receivables.invoices.get(next(iter(entry.links)))
            if invoice is not None and invoice.source.lineno == entry.meta.get("lineno") \
                    and invoice.source.filename == entry.meta.get("filename"):
                meta = dict(entry.meta)
                meta.setdefault("terms", str(invoice.terms))
                meta["invoice"], meta["customer"] = invoice.number, invoice.customer
                if not isinstance(meta.get("due"), type(invoice.due)) or meta["due"] < entry.date:
                    meta["due"] = invoice.due
                entry = entry._replace(meta=meta)  # noqa: PLW2901
        out.append(entry)
    return out


def run_checks(
    entries: list[Any], options_map: dict[str, Any], text: str | None,
    codes: Collection[str], *, annotate: bool = False,
) -> tuple[list[Any], list[Any]]:
    """Build the model and return the errors whose code starts with one of `codes`."""
    config, errors = load_config(options_map, text)
    receivables, found = build_receivables(entries, config)
    errors += [e for e in found if e.code.startswith(tuple(codes)) or e.code == "AR000"]
    if annotate:
        entries = annotate_invoices(entries, receivables)
    return entries, mask_errors(errors)


def run_suite(
    entries: list[Any], options_map: dict[str, Any], text: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The whole suite: customers, invoices, payments, events, credit limits, card numbers."""
    entries, card_errors = guard_cards(entries)
    entries, errors = run_checks(entries, options_map, text, ALL_CODES, annotate=True)
    return entries, errors + card_errors
