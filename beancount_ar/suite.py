"""Running the suite as Beancount plugins: one model, each plugin its own errors.

    plugin "beancount_ar" "{'root': 'Assets:Receivable', 'default_terms': 'net 30'}"
"""

from __future__ import annotations

import datetime
import functools
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec

from beancount.core.data import Custom, Transaction

from beancount_ar.core.build import build_receivables, check_receivables, no_collection_pauses
from beancount_ar.core.cards import guard_cards, mask_errors, suspect_lines
from beancount_ar.core.config import ARConfig, parse_config
from beancount_ar.core.errors import ARError, ar_error, printable
from beancount_ar.core.seller import COMPANY_DIRECTIVE, file_errors, read_company

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterator, Mapping

    from beancount_ar.core.model import Invoice, IssuedInvoice, Receivables

ALL_CODES = ("AR0", "AR1", "AR2", "AR3", "AR5")


def load_config(options_map: dict[str, Any], text: str | None) -> tuple[ARConfig, list[ARError]]:
    """The configuration from the plugin line, with AR000 errors for what is wrong in it."""
    config, problems = parse_config(text)
    if not problems:
        return config, []
    where = plugin_line(options_map)
    return config, [ar_error("AR000", where, f"plugin beancount_ar: {p}") for p in problems]


def plugin_line(options_map: dict[str, Any]) -> dict[str, Any]:
    """Where the ledger's top file enables the suite, for errors in its configuration."""
    filename = str(options_map.get("filename", "<plugin>"))
    try:
        lines = Path(filename).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    for lineno, line in enumerate(lines, start=1):
        if line.startswith(('plugin "beancount_ar"', 'plugin "beancount_ar.plugins.')):
            return {"filename": filename, "lineno": lineno}
    return {"filename": filename, "lineno": 0}


def annotate_invoices(
    entries: list[Any], invoices: Mapping[str, IssuedInvoice | Invoice], tag: str
) -> list[Any]:
    """Add `invoice`, `customer`, `terms` and `due` to each invoice transaction's metadata."""
    labels: dict[int, str] = {}  # a ledger has a few terms objects, shared by many invoices
    for entry in entries:
        if isinstance(entry, Transaction) and tag in entry.tags and len(entry.links) == 1:
            invoice = invoices.get(next(iter(entry.links)))
            if invoice is not None and invoice.source.lineno == entry.meta.get("lineno") \
                    and invoice.source.filename == entry.meta.get("filename"):
                label = labels.get(id(invoice.terms)) or labels.setdefault(
                    id(invoice.terms), str(invoice.terms))
                _annotate(entry.meta, invoice, label)
    return entries


def _annotate(meta: dict[str, Any], invoice: IssuedInvoice | Invoice, terms: str) -> None:
    # In place, as Beancount's own plugins do: copying every invoice entry cost
    # more than the rest of the invoice checks together.
    meta.setdefault("terms", terms)
    meta["invoice"], meta["customer"] = invoice.number, invoice.customer
    due = meta.get("due")
    if not isinstance(due, datetime.date) or due < invoice.date:
        meta["due"] = invoice.due


P = ParamSpec("P")
PluginResult = tuple[list[Any], list[Any]]


def never_raises(plugin: Callable[P, PluginResult]) -> Callable[P, PluginResult]:
    """A plugin that reports an unexpected failure as an AR000 error instead of raising.

    Beancount would print a traceback; the user gets the error, the entries pass
    on unchanged, and the other checks still run.
    """

    @functools.wraps(plugin)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> PluginResult:
        try:
            return plugin(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a plugin must never raise: report, don't crash
            where = {"filename": f"<{plugin.__module__}.{plugin.__name__}>", "lineno": 0}
            entries = args[0] if args and isinstance(args[0], list) else []
            return entries, [ar_error("AR000", where, f"{plugin.__name__} failed "
                                      f"({type(exc).__name__}: {exc}); please report it "
                                      "with your ledger")]

    return guarded


_kept_models: ContextVar[list[Receivables] | None] = ContextVar("kept_models", default=None)


@contextmanager
def keeping_models() -> Iterator[list[Receivables]]:
    """While active, the suite keeps the whole model it builds during a load.

    The command line reports on that model instead of building it a second time.
    """
    models: list[Receivables] = []
    token = _kept_models.set(models)
    try:
        yield models
    finally:
        _kept_models.reset(token)


@never_raises
def run_checks(
    entries: list[Any], options_map: dict[str, Any], text: str | None,
    codes: Collection[str], *, annotate: bool = False,
) -> tuple[list[Any], list[Any]]:
    """Build the model and return the errors whose code starts with one of `codes`."""
    config, errors = load_config(options_map, text)
    kept = _kept_models.get() if annotate else None
    if kept is not None:  # the command line will report on this very model
        receivables, found = build_receivables(entries, config)
        kept.append(receivables)
        errors += [e for e in found if _wanted(e, codes)]
        return annotate_invoices(entries, receivables.invoices, config.invoice_tag), errors
    with no_collection_pauses():
        invoices, found = check_receivables(entries, config)
        errors += [e for e in found if _wanted(e, codes)]
        if annotate:
            entries = annotate_invoices(entries, invoices, config.invoice_tag)
        # Freed here, while the collector still sleeps: objects that outlived the
        # pause would be promoted and set off a full collection over the ledger.
        del invoices, found
    return entries, mask_errors(errors)


def _wanted(error: ARError, codes: Collection[str]) -> bool:
    """Whether a plugin reports `error`: its code opens with one of `codes`, or is AR000."""
    code = error.code or ""
    return code.startswith(tuple(codes)) or code == "AR000"


def read_sources(options_map: dict[str, Any]) -> dict[str, list[int]]:
    """The suspect lines of each plain-text file the ledger includes (see `guard_cards`).

    Scanning the files Beancount just read is one regular-expression pass at C
    speed; it spares looking at every entry's text in Python. A file that cannot
    be read as text (encrypted, gone) is left out, so its entries are all looked at.
    """
    sources = {}
    for filename in options_map.get("include") or ():
        try:
            source = Path(filename).read_bytes()
        except OSError:
            continue
        if not source.startswith(b"-----BEGIN PGP") and b"\0" not in source:
            sources[filename] = suspect_lines(source)
    return sources


@never_raises
def safe_guard_cards(
    entries: list[Any], options_map: dict[str, Any]
) -> tuple[list[Any], list[Any]]:
    """The card guard, which never raises: a failure is an AR000 error."""
    return guard_cards(entries, read_sources(options_map))


@never_raises
def check_company(
    entries: list[Any], options_map: dict[str, Any]
) -> tuple[list[Any], list[Any]]:
    """AR010 for an `ar-company` with a bad locale, page size, IBAN or VAT id, or a missing file.

    The files: a logo that is not a readable image, a `templates:` that is not a folder.
    """
    del options_map  # the logo path is relative to the directive's own file
    from babel.localedata import exists  # noqa: PLC0415 - only when a company is declared

    if not any(getattr(e, "type", None) == COMPANY_DIRECTIVE for e in entries):
        return entries, []
    company, errors = read_company(entries, exists)
    previous = None
    for version in company.versions if company else ():
        errors.extend(file_errors(version, previous, is_file=_is_file, is_dir=_is_dir))
        previous = version
    return entries, errors


def _is_file(path: str) -> bool:
    return Path(path).is_file()


def _is_dir(path: str) -> bool:
    return Path(path).is_dir()


def run_suite(
    entries: list[Any], options_map: dict[str, Any], text: str | None = None
) -> tuple[list[Any], list[Any]]:
    """The whole suite: customers, invoices, payments, events, credit limits, card numbers."""
    with no_collection_pauses():
        entries, card_errors = safe_guard_cards(entries, options_map)
    entries, errors = run_checks(entries, options_map, text, ALL_CODES, annotate=True)
    _, company_errors = check_company(entries, options_map)
    return printable_entries(entries), errors + company_errors + card_errors


def printable_entries(entries: list[Any]) -> list[Any]:
    """The entries, each `custom` line without values given an empty list of them.

    Such a line (an error of its own) would crash Beancount's pad plugin, which
    runs after ours, with a traceback: every plugin of the suite passes it on printable.
    """
    return [printable(e) if type(e) is Custom else e for e in entries]


def printable_result(result: PluginResult) -> PluginResult:
    """A single plugin's result, its entries passed on printable (`printable_entries`)."""
    entries, errors = result
    return printable_entries(entries), errors
