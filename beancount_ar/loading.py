"""Loading a ledger for the command line: entries, errors, configuration, model."""

from __future__ import annotations

import datetime
import gc
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from beancount import loader
from beancount.core.data import Custom

from beancount_ar.books import books_of, ledger_precision
from beancount_ar.config import SUITE_MODULE, ARConfig, suite_enabled

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from beancount_ar.company import Company
    from beancount_ar.errors import ARError
    from beancount_ar.formatting import Precision
    from beancount_ar.model import Receivables

__all__ = ["Ledger", "LedgerError", "ledger_precision", "load_ledger", "missing_plugin_warning",
           "runs_suite", "today"]


AR_DIRECTIVE_PREFIX = "ar-"


class LedgerError(Exception):
    """The ledger cannot be loaded at all; the message says why."""


@dataclass(frozen=True)
class Ledger:
    """A loaded ledger and its receivables."""

    path: Path
    entries: list[Any]
    errors: list[Any]
    options: dict[str, Any]
    config: ARConfig
    receivables: Receivables
    precision: Precision
    seller: Company | None = None
    seller_errors: tuple[ARError, ...] = ()  # the seller's AR010s, among `errors` or not


def load_ledger(path: Path, *, use_cache: bool = True, hardcore: bool = False) -> Ledger:
    """Load a ledger with Beancount's own loader and build its receivables model.

    Without the suite's `plugin` line the model's own errors are added, so a
    report never silently rests on a ledger the plugins would reject.
    """
    if not use_cache:
        loader.initialize(use_cache=False)
    extra = None
    if hardcore:  # every check bean-check runs
        from beancount.ops import validation  # noqa: PLC0415

        extra = validation.HARDCORE_VALIDATIONS
    with collector_paused():
        try:
            entries, errors, options = loader.load_file(str(path), extra_validations=extra)
        except OSError as error:  # e.g. gpg cannot decrypt an encrypted include
            raise LedgerError(f"cannot load {path}: {error}") from error
        books = books_of(entries, options)
    all_errors: list[Any] = list(errors)
    if not suite_enabled(options.get("plugin", [])):
        all_errors += books.errors
    return Ledger(path, entries, all_errors, options, books.config, books.receivables,
                  books.precision, books.seller, books.seller_errors)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector while the ledger and its model are made, then restore it.

    Beancount's entries and the model make no reference cycles, so the collector
    would only walk them again and again (0.35 s of a 10k-invoice model's 0.8 s).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def runs_suite(ledger: Ledger) -> bool:
    """Whether the ledger's own `plugin` lines run the suite, so bean-check checks receivables."""
    return suite_enabled(ledger.options.get("plugin", []))


def missing_plugin_warning(ledger: Ledger) -> str | None:
    """The warning for a ledger that writes `ar-*` directives but never enables the suite.

    bean-check and Fava then check none of it, silently; only bean-ar does.
    """
    if runs_suite(ledger):
        return None
    if not any(isinstance(e, Custom) and e.type.startswith(AR_DIRECTIVE_PREFIX)
               for e in ledger.entries):
        return None
    return (f'{ledger.path} has ar-* directives but no plugin "{SUITE_MODULE}" line, so '
            "bean-check and Fava check none of its receivables; add the line\n"
            f'    plugin "{SUITE_MODULE}"\n'
            "at the top of the file (see README, 'Enable the suite')")


def today() -> datetime.date:
    """The default as-of date."""
    return datetime.datetime.now().astimezone().date()
