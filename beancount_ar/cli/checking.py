"""`bean-ar check`: bean-check's errors, card numbers in the text, changed invoices.

Every error bean-check reports; card numbers anywhere in the files, comments
included; and, against a git ref, issued invoices that changed or are gone.

    bean-ar check ledger.beancount --against origin/main --format github
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount.utils.encryption import is_encrypted_file

from beancount_ar.cli.fingerprint_cache import read_fingerprints, store_fingerprints
from beancount_ar.cli.git import checkout_revision, revision_of, temporary_folder
from beancount_ar.cli.loading import load_ledger, missing_plugin_warning
from beancount_ar.core.cards import text_card_errors
from beancount_ar.core.errors import code_of
from beancount_ar.reports.history import compare_invoices, fingerprints
from beancount_ar.writer import ledger_files

if TYPE_CHECKING:
    from beancount_ar.cli.loading import Ledger
    from beancount_ar.reports.history import Fingerprint


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
    """`run_check`'s errors and the warning for a ledger that does not enable the suite.

    Against a ref, only today's invoice fingerprints outlive today's entries,
    which are freed before the ledger at the ref is read (peak memory is one
    ledger's, not two); that side's fingerprints come from the cache when the
    files at the ref were read before.
    """
    ledger = load_ledger(path, use_cache=False, hardcore=True, history=False)
    warning = missing_plugin_warning(ledger)
    errors = _errors(ledger)
    if ref is not None:
        now = fingerprints(ledger.receivables)
        del ledger
        errors += compare_invoices(_fingerprints_at(path, ref), now, ref,
                                   new_top=path.resolve())
    return sorted(errors, key=lambda e: (str((e.source or {}).get("filename", "")),
                                         int((e.source or {}).get("lineno", 0) or 0))), warning


def _errors(ledger: Ledger) -> list[Any]:
    errors = list(ledger.errors)
    cards = {
        (e.source.get("filename"), e.source.get("lineno"))
        for e in errors if code_of(e) == "AR401" and e.source
    }
    return errors + raw_card_errors(ledger, cards)


def _fingerprints_at(path: Path, ref: str) -> dict[str, Fingerprint]:
    """The invoice fingerprints of the ledger at `ref`: cached, or read from git and cached."""
    revision = revision_of(path, ref)
    cached = read_fingerprints(revision)
    if cached is not None:
        return cached
    with temporary_folder() as folder:
        root = Path(folder)
        then = load_ledger(checkout_revision(revision, root), use_cache=False, history=False)
        prints = fingerprints(then.receivables, root)
        files = ledger_files(then.options, then.entries)
        # A file from outside the checkout may change with no change at the ref,
        # and what was encrypted at the ref is never written out decrypted.
        cacheable = all(f.is_relative_to(root) and not is_encrypted_file(f) for f in files)
    if cacheable:
        store_fingerprints(revision, prints)
    return prints
