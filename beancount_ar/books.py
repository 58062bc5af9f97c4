"""The one way in: everything a front needs from a loaded ledger, built once.

    entries, errors, options = beancount.loader.load_file("ledger.beancount")
    books = books_of(entries, options)
    books.receivables, books.config, books.seller, books.precision, books.errors

`plugin "beancount_ar"` builds the books during the load and leaves them in the
options map Beancount hands back (`keep`); `books_of` takes them from there when
they are the books of the final entries, and builds them once otherwise (no
suite line, a later plugin that may have changed the entries, a pickle cache).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount.core.data import Pad
from beancount.core.display_context import Precision as DisplayPrecision

from beancount_ar.build import build_receivables
from beancount_ar.company import Company, read_company
from beancount_ar.config import (
    PLUGIN_PREFIX,
    SUITE_MODULE,
    ARConfig,
    find_config_text,
    parse_config,
)
from beancount_ar.errors import ARError, ar_error
from beancount_ar.formatting import Precision

if TYPE_CHECKING:
    from collections.abc import Sequence

    from beancount_ar.model import Receivables

KEPT_KEY = "beancount_ar"  # where the suite leaves its books in the options map


@dataclass(frozen=True)
class Books:
    """A ledger's receivables, the configuration and seller they rest on, and every AR error."""

    receivables: Receivables
    config: ARConfig
    seller: Company | None
    precision: Precision
    errors: tuple[ARError, ...]  # configuration, model and seller, in that order
    seller_errors: tuple[ARError, ...] = ()  # the AR010s of `seller`, also in `errors`


def build(entries: Sequence[Any], options_map: dict[str, Any],
          text: str | None = None) -> Books:
    """The books of `entries`; `text` is the configuration, else the ledger's plugin line's."""
    if text is None:
        text = find_config_text(list(options_map.get("plugin") or ()))
    config, config_errors = read_config(options_map, text)
    receivables, errors = build_receivables(entries, config)
    seller, seller_errors = read_company(entries)
    return Books(receivables, config, seller, ledger_precision(options_map),
                 (*config_errors, *errors, *seller_errors), tuple(seller_errors))


def read_config(options_map: dict[str, Any], text: str | None
                ) -> tuple[ARConfig, list[ARError]]:
    """The configuration from a plugin line, with AR000 errors for what is wrong in it."""
    config, problems = parse_config(text)
    if not problems:
        return config, []
    where = plugin_line(options_map)
    return config, [ar_error("AR000", where, f"plugin beancount_ar: {p}") for p in problems]


def plugin_line(options_map: dict[str, Any]) -> dict[str, Any]:
    """Where the ledger's top file enables the suite, for errors in its configuration.

    Beancount does not say on which line a plugin is enabled, so the file it has
    just read is read again: only for a configuration with errors.
    """
    filename = str(options_map.get("filename", "<plugin>"))
    try:
        lines = Path(filename).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    for lineno, line in enumerate(lines, start=1):
        if line.startswith(('plugin "beancount_ar"', 'plugin "beancount_ar.plugins.')):
            return {"filename": filename, "lineno": lineno}
    return {"filename": filename, "lineno": 0}


def ledger_precision(options: dict[str, Any]) -> Precision:
    """The number of decimals the ledger writes most often for each currency."""
    digits = {}
    context = options.get("dcontext")
    for currency, ccontext in (context.ccontexts.items() if context else ()):
        places = ccontext.get_fractional(DisplayPrecision.MOST_COMMON)
        if places is not None and not currency.startswith("__"):
            digits[currency] = places
    return Precision(digits)


class Kept:
    """The suite's books in the options map; a pickle cache keeps none (they are rebuilt)."""

    def __init__(self, books: Books | None) -> None:
        """Hold `books`, built by the suite during the load."""
        self.books = books

    def __reduce__(self) -> tuple[type[Kept], tuple[None]]:
        """Pickled empty: the cache stays as small and as fast to write as without the suite."""
        return Kept, (None,)


def keep(options_map: dict[str, Any], books: Books) -> None:
    """Leave the suite's books in the options map, for the fronts that loaded the ledger."""
    options_map[KEPT_KEY] = Kept(books)


def books_of(entries: Sequence[Any], options_map: dict[str, Any]) -> Books:
    """The books the suite built during the load when they hold for `entries`, else new ones."""
    kept = options_map.get(KEPT_KEY)
    books = kept.books if isinstance(kept, Kept) else None
    if books is not None and _final(books, entries, options_map):
        return books
    return build(entries, options_map)


def _final(books: Books, entries: Sequence[Any], options_map: dict[str, Any]) -> bool:
    """Whether nothing after the suite changed what its books were built from.

    Only plugins run after it: another plugin (not the suite's own) may change
    any entry, and Beancount's `pad`, which runs last, adds postings to the
    accounts it pads; the books hold unless one pads a receivable account.
    """
    plugins = list(options_map.get("plugin") or ())
    names = [name for name, _ in plugins]
    if SUITE_MODULE not in names:
        return False
    last = max(i for i, name in enumerate(names) if name == SUITE_MODULE)
    if any(not name.startswith(PLUGIN_PREFIX) for name in names[last + 1:]):
        return False
    config = books.config
    if config != parse_config(find_config_text(plugins))[0]:
        return False  # the suite ran twice, the last time with another configuration
    return not any(type(e) is Pad and config.is_receivable(e.account) for e in entries)
