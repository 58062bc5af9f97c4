"""The invoice fingerprints of a ledger at a git commit, cached between runs of `check`.

    cached = read_fingerprints(revision)          # None: not cached (or unusable)
    store_fingerprints(revision, fingerprints)    # for the next run

`bean-ar check --against REF` compares today's invoices with the ledger's at
REF; a pre-commit hook asks the same of the same REF run after run. What it
compares (`reports.history.Fingerprint`) is kept in one JSON file per commit
tree and ledger path under `$XDG_CACHE_HOME/beancount-ar/check/` (default
`~/.cache/beancount-ar/check/`), never inside the repository. The key is the
tree's id, which hashes the blob id of every file at REF, together with the
versions of beancount-ar and Beancount: any other content is another file.
A file that cannot be read or parsed, or says another key, is ignored (and
rewritten by the run that then reads the ledger at REF in full).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount_ar.reports.history import Fingerprint
from beancount_ar.writer import WriteError, write_cache

if TYPE_CHECKING:
    from collections.abc import Mapping

    from beancount_ar.cli.git import Revision

FORMAT = 1


def cache_folder() -> Path | None:
    """Where the fingerprints are kept, or None when there is no such folder."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not Path(base).is_absolute():  # unset, empty or relative: ignored, as the spec says
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory
            return None
    return Path(base) / "beancount-ar" / "check"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def cache_key(revision: Revision) -> str:
    """What the fingerprints depend on: the files at the ref and the code reading them."""
    parts = [FORMAT, _version("beancount-ar"), _version("beancount"), revision.tree,
             revision.relative.as_posix()]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _cache_file(revision: Revision) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    with contextlib.suppress(OSError, ValueError):
        if folder.resolve().is_relative_to(revision.top.resolve()):
            return None  # never inside the repository
    return folder / f"{cache_key(revision)}.json"


def read_fingerprints(revision: Revision) -> dict[str, Fingerprint] | None:
    """The cached fingerprints of the ledger at `revision`, or None."""
    path = _cache_file(revision)
    if path is None:
        return None
    try:
        document = json.loads(path.read_bytes())
        if document["key"] != cache_key(revision):
            return None
        return dict(_decoded(row) for row in document["invoices"])
    except (OSError, ValueError, TypeError, KeyError, IndexError, ArithmeticError,
            RecursionError):
        return None


def store_fingerprints(revision: Revision, prints: Mapping[str, Fingerprint]) -> None:
    """Keep the fingerprints for the next run; a cache that cannot be written is skipped."""
    path = _cache_file(revision)
    if path is None:
        return
    document = {"key": cache_key(revision), "invoices": [_encoded(p) for p in prints.values()]}
    with contextlib.suppress(WriteError):
        write_cache(path, json.dumps(document, separators=(",", ":")).encode())


def _encoded(p: Fingerprint) -> list[Any]:
    lines = [[a, d, _number(q), _number(r), str(n), c] for a, d, q, r, n, c in p.lines]
    return [p.number, p.date.isoformat(), p.customer, p.currency, str(p.amount), lines,
            p.filename, p.lineno]


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decoded(row: list[Any]) -> tuple[str, Fingerprint]:
    number, date, customer, currency, amount, lines, filename, lineno = row
    if not all(isinstance(x, str) for x in (number, customer, currency, filename)):
        raise TypeError(number)
    if not isinstance(lineno, int) or not isinstance(lines, list):
        raise TypeError(number)
    return number, Fingerprint(
        number, datetime.date.fromisoformat(date), customer, currency, _decimal(amount),
        tuple(_line(line) for line in lines), filename, lineno)


def _line(line: list[Any]) -> tuple[str, str, Decimal | None, Decimal | None, Decimal, str]:
    account, description, quantity, rate, amount, currency = line
    if not all(isinstance(x, str) for x in (account, description, currency)):
        raise TypeError(account)
    return (account, description, None if quantity is None else _decimal(quantity),
            None if rate is None else _decimal(rate), _decimal(amount), currency)


def _decimal(text: object) -> Decimal:
    if not isinstance(text, str):
        raise TypeError(text)
    return Decimal(text)
