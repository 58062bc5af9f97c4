"""Loading a ledger for the command line: entries, errors, configuration, model."""

from __future__ import annotations

import datetime
import gc
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from beancount import loader
from beancount.core.data import Custom, Pad
from beancount.core.display_context import Precision as DisplayPrecision

from beancount_ar.build import build_receivables
from beancount_ar.config import (
    PLUGIN_PREFIX,
    SUITE_MODULE,
    ARConfig,
    find_config_text,
    suite_enabled,
)
from beancount_ar.formatting import Precision
from beancount_ar.plugin import keeping_models, load_config

if TYPE_CHECKING:
    from pathlib import Path

    from beancount_ar.model import Receivables


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


def ledger_precision(options: dict[str, Any]) -> Precision:
    """The number of decimals the ledger writes most often for each currency."""
    digits = {}
    for currency, context in options["dcontext"].ccontexts.items():
        places = context.get_fractional(DisplayPrecision.MOST_COMMON)
        if places is not None and not currency.startswith("__"):
            digits[currency] = places
    return Precision(digits)


def _suite_model_holds(
    kept: list[Receivables], plugins: list[tuple[str, Any]], entries: list[Any],
    config: ARConfig,
) -> bool:
    """Whether the model the suite built during the load is the model of the final entries.

    It is when the suite ran once, no other plugin ran after it, and Beancount's
    own `pad` (which always runs last) padded no receivable account.
    """
    names = [name for name, _ in plugins]
    if len(kept) != 1 or kept[0].config != config or SUITE_MODULE not in names:
        return False
    last = max(i for i, name in enumerate(names) if name == SUITE_MODULE)
    if any(not name.startswith(PLUGIN_PREFIX) for name in names[last + 1:]):
        return False
    return not any(isinstance(e, Pad) and config.is_receivable(e.account) for e in entries)


def load_ledger(path: Path, *, use_cache: bool = True, hardcore: bool = False) -> Ledger:
    """Load a ledger with Beancount's own loader and build its receivables model.

    Without the suite's `plugin` line the model's own errors are added, so a
    report never silently rests on a ledger the plugins would reject.
    """
    if not use_cache:
        loader.initialize(use_cache=False)
    # A command lives for one report: Beancount's entries and the model stay until
    # it ends and make no reference cycles, so the cyclic collector would only walk
    # them again and again (it cost 0.35 s of a 10k-invoice model's 0.8 s).
    gc.disable()
    extra = None
    if hardcore:  # every check bean-check runs
        from beancount.ops import validation  # noqa: PLC0415

        extra = validation.HARDCORE_VALIDATIONS
    try:
        with keeping_models() as kept:
            entries, errors, options = loader.load_file(str(path), extra_validations=extra)
    except OSError as error:  # e.g. gpg cannot decrypt an encrypted include
        raise LedgerError(f"cannot load {path}: {error}") from error
    plugins = options.get("plugin", [])
    config, config_errors = load_config(options, find_config_text(plugins))
    model_errors: list[Any] = []
    if _suite_model_holds(kept, plugins, entries, config):
        receivables = kept[0]
    else:
        receivables, model_errors = build_receivables(entries, config)
    all_errors: list[Any] = list(errors)
    if not suite_enabled(plugins):
        all_errors += config_errors + model_errors
    return Ledger(path, entries, all_errors, options, config, receivables,
                  ledger_precision(options))


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
