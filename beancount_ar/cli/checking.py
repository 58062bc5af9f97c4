"""`bean-ar check`: bean-check's errors, card numbers in the text, changed invoices.

Every error bean-check reports; card numbers anywhere in the files, comments
included; and, against a git ref, issued invoices that changed or are gone.

    bean-ar check ledger.beancount --against origin/main --format github

The invoices at the ref are compared as fingerprints (`reports.history`), which
`cli.fingerprint_cache` keeps by the ledger's files and their git blob ids: the
ref's ledger is read from git only when neither today's files nor a cached
entry are what the ref holds.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount.utils.encryption import is_encrypted_file

from beancount_ar.cli.fingerprint_cache import (
    LedgerFiles,
    ledger_blobs,
    read_fingerprints,
    store_fingerprints,
    todays_slot,
    write_entry,
)
from beancount_ar.cli.git import (
    HistoryError,
    checkout_revision,
    revision_in,
    revision_of,
    temporary_folder,
    tree_blobs,
    work_tree_of,
)
from beancount_ar.cli.loading import load_ledger, missing_plugin_warning
from beancount_ar.core.cards import text_card_errors
from beancount_ar.core.errors import code_of
from beancount_ar.reports.history import Fingerprint, compare_invoices, fingerprints
from beancount_ar.writer import ledger_files

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from beancount_ar.cli.git import Revision, WorkTree
    from beancount_ar.cli.loading import Ledger


def raw_card_errors(ledger: Ledger, reported: set[tuple[str, int]]) -> list[Any]:
    """AR401 for card numbers in the files' text that no entry carried (comments)."""
    return [error for filename in ledger.options.get("include") or ()
            for error in _file_card_errors(filename, reported)]


def _file_card_errors(filename: str, reported: set[tuple[str, int]]) -> list[Any]:
    try:
        return text_card_errors(filename, _text_pieces(Path(filename)), reported)
    except (OSError, UnicodeDecodeError):
        return []  # not text (an encrypted include): its entries were looked at, in memory


_PIECE = 1 << 16  # characters read at a time: the text is never held whole


def _text_pieces(path: Path) -> Iterator[str]:
    """A file's text (universal newlines, as `read_text`), in pieces ending at a line's end."""
    with path.open(encoding="utf-8") as file:
        while piece := file.read(_PIECE):
            yield piece + file.readline()


def run_check(path: Path, ref: str | None) -> list[Any]:
    """Every error for `path`, sorted by file and line (raises HistoryError on bad usage)."""
    return check_ledger(path, ref)[0]


def check_ledger(path: Path, ref: str | None) -> tuple[list[Any], str | None]:
    """`run_check`'s errors and the warning for a ledger that does not enable the suite.

    Against a ref, only today's invoice fingerprints outlive today's entries,
    which are freed before the ledger at the ref is read (peak memory is one
    ledger's, not two). That side is read only when it must be: when the ref
    holds the very files read today, it gives today's fingerprints, and when it
    holds files read before (today's were kept too), the cache has them.
    """
    work_tree = _work_tree(path)
    # Named before Beancount reads the files and again after: an edit in between
    # would otherwise file these fingerprints under content they were not taken from.
    before = None if work_tree is None else ledger_blobs(
        work_tree.top, work_tree.relative, work_tree.object_format)
    ledger = load_ledger(path, use_cache=False, hardcore=True, history=False)
    warning = missing_plugin_warning(ledger)
    errors = _errors(ledger)
    now = fingerprints(ledger.receivables)
    read = set(ledger_files(ledger.options, ledger.entries))
    del ledger
    today = None if work_tree is None else _today(work_tree, before, read, now)
    if ref is not None:
        revision = revision_of(path, ref) if work_tree is None else revision_in(work_tree, ref)
        errors += compare_invoices(_fingerprints_at(revision, today), now, ref,
                                   new_top=path.resolve())
    if today is not None:  # after the ref's lookup, which may need the slot replaced now
        today.keep()
    return sorted(errors, key=lambda e: (str((e.source or {}).get("filename", "")),
                                         int((e.source or {}).get("lineno", 0) or 0))), warning


def _errors(ledger: Ledger) -> list[Any]:
    errors = list(ledger.errors)
    cards = {
        (e.source.get("filename"), e.source.get("lineno"))
        for e in errors if code_of(e) == "AR401" and e.source
    }
    return errors + raw_card_errors(ledger, cards)


def _work_tree(path: Path) -> WorkTree | None:
    try:
        return work_tree_of(path)
    except HistoryError:  # no repository: nothing is cached (and --against says why)
        return None


@dataclass(frozen=True)
class _Today:
    """Today's ledger, as a ref holding the same files would give it."""

    work_tree: WorkTree
    files: LedgerFiles
    now: Mapping[str, Fingerprint]
    where: Mapping[str, str]  # each file: today's path, its path in the work tree

    @functools.cached_property
    def prints(self) -> dict[str, Fingerprint]:
        """Today's fingerprints, their files relative to the work tree as at a ref."""
        where = self.where
        return {number: Fingerprint(p.number, p.date, p.customer, p.currency, p.amount, p.lines,
                                    where[p.filename], p.lineno)
                for number, p in self.now.items()}

    def keep(self) -> None:
        """Keep them for a later ref holding these files, unless they are kept already."""
        slot = todays_slot(self.work_tree, self.files)
        if slot is not None:
            write_entry(slot, self.files, self.prints)


def _today(work_tree: WorkTree, before: LedgerFiles | None, read: set[Path],
           now: Mapping[str, Fingerprint]) -> _Today | None:
    """Today's files and fingerprints, when the files' blob ids say what was read."""
    if before is None or read != before.paths(work_tree.top):
        return None  # Beancount read files that the include lines do not name
    if ledger_blobs(work_tree.top, work_tree.relative, work_tree.object_format) != before:
        return None  # a file changed while Beancount read it: which content did it read?
    where = {str(work_tree.top / name): name for name, _ in before.blobs}
    if not all(p.filename in where for p in now.values()):
        return None  # an invoice from no file of the ledger (a plugin's)
    return _Today(work_tree, before, now, where)


def _fingerprints_at(revision: Revision, today: _Today | None) -> dict[str, Fingerprint]:
    """The invoice fingerprints of the ledger at `revision`: today's, cached, or read from git."""
    blobs = tree_blobs(revision)
    if today is not None and today.files.found_in(revision, blobs):
        return today.prints
    cached = read_fingerprints(revision, blobs)
    if cached is not None:
        return cached
    with temporary_folder() as folder:
        root = Path(folder)
        then = load_ledger(checkout_revision(revision, root), use_cache=False, history=False)
        prints = fingerprints(then.receivables, root)
        read = set(ledger_files(then.options, then.entries))
        del then
        files = _files_at(revision, root, read, blobs)
    if files is not None:
        store_fingerprints(revision, files, prints)
    return prints


def _files_at(revision: Revision, root: Path, read: set[Path],
              blobs: Mapping[str, str]) -> LedgerFiles | None:
    """What the cache entry of the ledger read at `revision` into `root` records, if kept."""
    # A file from outside the checkout may change with no change at the ref,
    # and what was encrypted at the ref is never written out decrypted.
    if not all(f.is_relative_to(root) and not is_encrypted_file(f) for f in read):
        return None
    files = ledger_blobs(root, revision.relative, revision.work_tree.object_format)
    if files is not None and files.paths(root) == read and files.found_in(revision, blobs):
        return files
    # The include lines do not say what it reads, or git archive changed a file
    # (.gitattributes): only this very tree is known to give these fingerprints.
    return LedgerFiles(revision.relative.as_posix(), tree=revision.tree)
