"""`bean-ar check`: bean-check's errors, card numbers in the text, changed invoices.

Every error bean-check reports; card numbers anywhere in the files, comments
included; and, against a git ref, issued invoices that changed or are gone.

    bean-ar check ledger.beancount --against origin/main --format github
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount_ar.cli.git import checkout_at, temporary_folder
from beancount_ar.cli.loading import load_ledger, missing_plugin_warning
from beancount_ar.core.cards import text_card_errors
from beancount_ar.core.errors import code_of
from beancount_ar.reports.history import compare_invoices

if TYPE_CHECKING:
    from beancount_ar.cli.loading import Ledger


def raw_card_errors(ledger: Ledger, reported: set[tuple[str, int]]) -> list[Any]:
    """AR401 for card numbers in the files' text that no entry carried (comments)."""
    errors = []
    for filename in ledger.options.get("include") or ():
        try:
            text = Path(filename).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        errors += text_card_errors(filename, text, reported)
    return errors


def run_check(path: Path, ref: str | None) -> list[Any]:
    """Every error for `path`, sorted by file and line (raises HistoryError on bad usage)."""
    return check_ledger(path, ref)[0]


def check_ledger(path: Path, ref: str | None) -> tuple[list[Any], str | None]:
    """`run_check`'s errors and the warning for a ledger that does not enable the suite."""
    ledger = load_ledger(path, use_cache=False, hardcore=True)
    return _errors(ledger, path, ref), missing_plugin_warning(ledger)


def _errors(ledger: Ledger, path: Path, ref: str | None) -> list[Any]:
    errors = list(ledger.errors)
    cards = {
        (e.source.get("filename"), e.source.get("lineno"))
        for e in errors if code_of(e) == "AR401" and e.source
    }
    errors += raw_card_errors(ledger, cards)
    if ref is not None:
        with temporary_folder() as folder:
            old_path = checkout_at(path, ref, Path(folder))
            then = load_ledger(old_path, use_cache=False)
            errors += compare_invoices(then.receivables, ledger.receivables, ref,
                                       new_top=path.resolve(), old_root=Path(folder))
    return sorted(errors, key=lambda e: (str((e.source or {}).get("filename", "")),
                                         int((e.source or {}).get("lineno", 0) or 0)))
