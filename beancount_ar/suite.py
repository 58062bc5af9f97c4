"""Running the suite as Beancount plugins: one model, each plugin its own errors.

    plugin "beancount_ar" "{'root': 'Assets:Receivable', 'default_terms': 'net 30'}"
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec

from beancount.core.data import Custom, Transaction

from beancount_ar.core.build import no_collection_pauses, read_receivables
from beancount_ar.core.cards import guard_cards, mask_errors
from beancount_ar.core.config import SUITE_MODULE
from beancount_ar.core.errors import ARError, ar_error, printable
from beancount_ar.core.seller import file_errors

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from beancount_ar.core.model import IssuedInvoice
    from beancount_ar.core.seller import Company

ALL_CODES = ("AR0", "AR1", "AR2", "AR3", "AR5")


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


class Annotator:
    """Adds `invoice`, `customer`, `terms` and `due` to each invoice transaction's metadata.

    Called by the builder as it reads each invoice (`read_receivables`'s `on_issue`).
    """

    def __init__(self) -> None:
        """No terms seen yet."""
        self.labels: dict[int, str] = {}  # a ledger has a few terms objects, shared by many

    def __call__(self, entry: Transaction, invoice: IssuedInvoice) -> None:
        """Annotate one invoice's transaction."""
        terms = invoice.terms
        label = self.labels.get(id(terms)) or self.labels.setdefault(id(terms), str(terms))
        _annotate(entry.meta, invoice, label)


def _annotate(meta: dict[str, Any], invoice: IssuedInvoice, terms: str) -> None:
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


@never_raises
def run_checks(
    entries: list[Any], options_map: dict[str, Any], plugin: str,
    codes: Collection[str], *, annotate: bool = False,
) -> tuple[list[Any], list[Any]]:
    """Build the load's model and return the errors whose code starts with one of `codes`.

    `plugin` is the module whose `plugin` line configures this run. Nothing is
    kept: a front builds the model with its history when it needs one.
    """
    with no_collection_pauses():
        receivables = read_receivables(entries, options_map, history=False, plugin=plugin,
                                       on_issue=Annotator() if annotate else None)
        errors = [at_plugin_line(e, options_map) for e in receivables.errors
                  if _wanted(e, codes)]
        if "AR010".startswith(tuple(codes)):
            errors += seller_file_errors(receivables.seller)
        # Freed here, while the collector still sleeps: objects that outlived the
        # pause would be promoted and set off a full collection over the ledger.
        del receivables
    return entries, mask_errors(errors)


def at_plugin_line(error: ARError, options_map: dict[str, Any]) -> ARError:
    """A configuration error (AR000 at line 0 of the top file) moved to its `plugin` line."""
    source = error.source or {}
    if error.code != "AR000" or source.get("lineno") != 0 \
            or source.get("filename") != options_map.get("filename"):
        return error
    return error._replace(source=plugin_line(options_map))


def _wanted(error: ARError, codes: Collection[str]) -> bool:
    """Whether a plugin reports `error`: its code opens with one of `codes`, or is AR000."""
    code = error.code or ""
    return code.startswith(tuple(codes)) or code == "AR000"


@never_raises
def safe_guard_cards(
    entries: list[Any], options_map: dict[str, Any]
) -> tuple[list[Any], list[Any]]:
    """The card guard, which never raises: a failure is an AR000 error."""
    del options_map  # the guard looks at the entries only, never at the files
    return guard_cards(entries)


def seller_file_errors(seller: Company | None) -> list[ARError]:
    """AR010 for a logo that is not a readable image, or a `templates:` that is not a folder.

    The one look at the disk during a load, and only at the files an `ar-company`
    names: whether each exists (nothing is read).
    """
    errors, previous = [], None
    for version in seller.versions if seller else ():
        errors.extend(file_errors(version, previous, is_file=_is_file, is_dir=_is_dir))
        previous = version
    return errors


def _is_file(path: str) -> bool:
    return Path(path).is_file()


def _is_dir(path: str) -> bool:
    return Path(path).is_dir()


def run_suite(
    entries: list[Any], options_map: dict[str, Any]
) -> tuple[list[Any], list[Any]]:
    """The whole suite: customers, invoices, payments, events, credit limits, card numbers."""
    with no_collection_pauses():
        entries, card_errors = safe_guard_cards(entries, options_map)
    entries, errors = run_checks(entries, options_map, SUITE_MODULE, ALL_CODES, annotate=True)
    return printable_entries(entries), errors + card_errors


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
