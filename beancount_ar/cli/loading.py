"""Loading a ledger for the command line: entries, errors, configuration, model.

    ledger = load_ledger(Path("ledger.beancount"))  # Beancount's loader, then the model
    ledger = load(path, no_cache=False, ignore_errors=False)  # errors printed, exit 1

Imported by the commands when they run, not at start-up: `bean-ar --help` stays fast.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click
from beancount import loader
from beancount.core.data import Custom

from beancount_ar.cli.console import EXIT_LEDGER_ERRORS, fail, print_errors
from beancount_ar.core.build import no_collection_pauses, read_receivables
from beancount_ar.core.config import SUITE_MODULE, suite_enabled

if TYPE_CHECKING:
    from pathlib import Path

    from beancount_ar.core.config import ARConfig
    from beancount_ar.core.model import Receivables
    from beancount_ar.core.precision import Precision


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
    receivables: Receivables

    @property
    def config(self) -> ARConfig:
        """The configuration on the ledger's `plugin` line."""
        return self.receivables.config

    @property
    def precision(self) -> Precision:
        """Each currency's decimals, as the ledger writes them."""
        return self.receivables.precision


def load_ledger(
    path: Path, *, use_cache: bool = True, hardcore: bool = False, history: bool = True,
) -> Ledger:
    """Load a ledger with Beancount's own loader and build its receivables model.

    `history=False` builds the invoices as issued, with their lines, and no
    applications or events: all `bean-ar check` compares.

    Without the suite's `plugin` line the model's own errors are added, so a
    report never silently rests on a ledger the plugins would reject.
    """
    if not use_cache:
        loader.initialize(use_cache=False)
    extra = None
    if hardcore:  # every check bean-check runs
        from beancount.ops import validation  # noqa: PLC0415

        extra = validation.HARDCORE_VALIDATIONS
    # Paused while Beancount's entries and the model are made: they make no
    # reference cycles, so the cyclic collector would only walk them again and
    # again (it cost 0.35 s of a 10k-invoice model's 0.8 s). `run` keeps it paused
    # for the rest of a command; anyone else gets it back as it was.
    with no_collection_pauses():
        try:
            entries, errors, options = loader.load_file(str(path), extra_validations=extra)
        except OSError as error:  # e.g. gpg cannot decrypt an encrypted include
            raise LedgerError(f"cannot load {path}: {error}") from error
        receivables = read_receivables(entries, options, history=history, lines=True)
    all_errors: list[Any] = list(errors)
    if not suite_enabled(options.get("plugin", [])):
        all_errors += receivables.errors
    return Ledger(path, entries, all_errors, options, receivables)


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


# --- for the commands: errors printed, exit status 1 unless --ignore-errors -----


def load(path: Path, *, no_cache: bool, ignore_errors: bool) -> Ledger:
    """The ledger; its errors are printed, and end the command unless `ignore_errors`."""
    ledger = read(path, no_cache=no_cache)
    stop_on_errors(ledger, ledger.errors, ignore_errors=ignore_errors)
    return ledger


def load_for_documents(path: Path, *, no_cache: bool, ignore_errors: bool) -> Ledger:
    """The ledger, where the seller's AR010s count as errors, each once.

    They are among the load's errors when the ledger runs the suite (or its
    company plugin); otherwise only the model has them.
    """
    ledger = read(path, no_cache=no_cache)
    known = {error_key(error) for error in ledger.errors}
    errors = [*ledger.errors, *(e for e in ledger.receivables.errors
                                if e.code == "AR010" and error_key(e) not in known)]
    stop_on_errors(ledger, errors, ignore_errors=ignore_errors)
    return ledger


def error_key(error: Any) -> tuple[object, object, str]:  # noqa: ANN401 - Beancount's errors
    """What makes two errors the same error: file, line and message."""
    source = error.source or {}
    return source.get("filename"), source.get("lineno"), str(error.message)


def read(path: Path, *, no_cache: bool) -> Ledger:
    """Load the ledger (a failure is a message), warning when the suite is not enabled."""
    try:
        ledger = load_ledger(path, use_cache=not no_cache)
    except LedgerError as error:
        fail(str(error))
    warning = missing_plugin_warning(ledger)
    if warning is not None:
        click.echo(f"bean-ar: warning: {warning}", err=True)
    return ledger


def stop_on_errors(ledger: Ledger, errors: list[Any], *, ignore_errors: bool) -> None:
    """Print `errors`; unless `ignore_errors`, end with the footer and exit status 1."""
    if not errors:
        return
    print_errors(errors)
    if not ignore_errors:
        # Without the plugin line bean-check runs none of the suite's checks.
        also = " (bean-check lists them too)" if runs_suite(ledger) else ""
        click.echo(f"bean-ar: {ledger.path} has {len(errors)} error(s); fix them{also} "
                   "or pass --ignore-errors.", err=True)
        sys.exit(EXIT_LEDGER_ERRORS)
