"""The invoice fingerprints of a ledger's files, kept between runs of `check`.

    files = ledger_blobs(root, Path("ledger.beancount"), "sha1")  # None: not nameable so
    cached = read_fingerprints(revision, tree_blobs(revision))     # None: not cached
    store_fingerprints(revision, files, prints)                    # the ledger read at a ref
    slot = todays_slot(work_tree, files)                           # None: today's kept already

What `bean-ar check --against REF` compares of a ledger (`reports.history.
Fingerprint`) depends on the bytes of the files it reads and on the code that
reads them, nothing else. So an entry records those files, the top file's path
and every file's path and git blob id (`LedgerFiles`), and serves any REF that
holds the same blobs at those paths, whatever else REF changed: no file of
REF's is read. That holds only when those files are all the ledger at REF reads,
which the include lines of the files tell: an include with a glob could pick up
a file that only REF holds, one that names no file could name one at REF, an
absolute one names no file of REF's at all. Such a ledger's entry (and one
whose files are reached through a symbolic link) records REF's commit tree
instead, and serves that tree alone.

The entries are files under `$XDG_CACHE_HOME/beancount-ar/check/` (default
`~/.cache/beancount-ar/check/`), never inside the repository:

- `ref-<top file>-<entry>.json`, a ledger read at a ref, named by its files;
- `tree-<entry>.json`, a ledger read at a ref that only the ref's tree names;
- `ledger-<path>-<n>.json`, the last `SLOTS` contents of the ledger at that path
  that `check` read, the oldest replaced: the commit a pre-commit hook let
  through is there for the next `--against HEAD`.

Each is two lines of JSON: a header (the entry's key, top file, files and tree),
read alone to choose an entry, then the fingerprints. The key hashes the entry
with the versions of beancount-ar and Beancount; a file that cannot be read or
parsed, or whose key is not what this code makes of its header, is ignored.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from decimal import Decimal
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from beancount.utils.encryption import is_encrypted_file

from beancount_ar.cli.git import blob_header
from beancount_ar.reports.history import Fingerprint
from beancount_ar.writer import WriteError, write_cache

if TYPE_CHECKING:
    from collections.abc import Mapping

    from beancount_ar.cli.git import Revision, WorkTree

FORMAT = 2
SLOTS = 4  # today's contents kept per ledger: a hook that failed, then the fixed commit
GLOB_CHARACTERS = "*?["  # what makes Beancount's `include` a pattern (glob.has_magic)

CHUNK = 1 << 16  # read in pieces: a whole file's buffer, freed, would stay in the peak RSS

# A word `include` and the rest of its line. Beancount reads `include "name"` at the
# start of a line; one led by blanks or a BOM, or whose string is not on that line
# or holds a quote, counts too (as an include the blob ids cannot vouch for).
_INCLUDE = re.compile(rb"include([^\n]*)")
_NAME = re.compile(rb'[ \t]*"([^"\n]*)"')
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class LedgerFiles:
    """The content a ledger's fingerprints were taken from."""

    top: str  # the top file's path in the repository
    blobs: tuple[tuple[str, str], ...] = ()  # every file read: (path in the repository, blob id)
    tree: str | None = None  # set: only this commit tree is known to make it read these

    def found_in(self, revision: Revision, blobs: Mapping[str, str]) -> bool:
        """Whether the ledger at `revision`, whose files have `blobs`, is this content."""
        if self.top != revision.relative.as_posix():
            return False
        if self.tree is not None:
            return self.tree == revision.tree
        return (self.top in dict(self.blobs)
                and all(blobs.get(name) == blob for name, blob in self.blobs))

    def paths(self, root: Path) -> set[Path]:
        """The files, as paths below `root`."""
        return {root / name for name, _ in self.blobs}


def ledger_blobs(root: Path, top: Path, object_format: str) -> LedgerFiles | None:
    """The files the ledger at `root / top` reads, found by their include lines.

    None when their blob ids cannot say what the ledger reads elsewhere (see the
    module's docstring), or when one of them is encrypted.
    """
    real_root = Path(os.path.realpath(root))
    blobs: dict[str, str] = {}
    todo = [PurePosixPath(top.as_posix())]
    while todo:
        name = todo.pop()
        if name.as_posix() in blobs:
            continue
        read = _read_file(root / name, real_root / name, object_format)
        if read is None:
            return None
        blobs[name.as_posix()], included = read
        for line in included:
            path = _included(name, line)
            if path is None:
                return None
            todo.append(path)
    return LedgerFiles(top.as_posix(), tuple(sorted(blobs.items())))


def _read_file(path: Path, real: Path, object_format: str) -> tuple[str, list[str]] | None:
    """A file's blob id and what its include lines name (None for one that names no file).

    None unless it is a regular file reached through no symbolic link, not encrypted.
    """
    try:
        if Path(os.path.realpath(path)) != real or is_encrypted_file(path):
            return None
        with path.open("rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode):
                return None
            digest = hashlib.new(object_format, blob_header(status.st_size))
            size, rest, names = 0, b"", []
            while chunk := file.read(CHUNK):
                size += len(chunk)
                digest.update(chunk)
                lines, _, rest = (rest + chunk).rpartition(b"\n")
                names += _include_lines(lines)
            names += _include_lines(rest)
    except OSError:  # an include that names no file here may name one at another commit
        return None
    return (digest.hexdigest(), names) if size == status.st_size else None


def _include_lines(text: bytes) -> list[str]:
    """The names the include lines of whole lines of `text` give ("" when none is read)."""
    names = []
    for match in _INCLUDE.finditer(text):
        start = text.rfind(b"\n", 0, match.start()) + 1
        if text[start:match.start()].replace(_BOM, b"").strip():
            continue  # not at the start of a line
        if match[1].startswith(b":"):
            continue  # a metadata key `include:`
        name = _NAME.match(match[1])
        names.append("" if name is None else os.fsdecode(name[1]))
    return names


def _included(including: PurePosixPath, name: str) -> PurePosixPath | None:
    """The path in the repository of the file an include line names, joined as Beancount does.

    None unless every tree holding the including file reads that one file by it:
    no pattern, not absolute, inside the repository, and no `..` after a folder
    of the line's own (`a/../b` reads `b` only where a folder `a` exists).
    """
    if (not name or name.startswith("/") or name.endswith("/")
            or any(c in name for c in f"{GLOB_CHARACTERS}\\")):
        return None
    parts = list(including.parent.parts)
    named = False
    for part in name.split("/"):
        if part == "..":
            if named or not parts:
                return None
            parts.pop()
        elif part not in {"", "."}:
            parts.append(part)
            named = True
    return PurePosixPath(*parts) if named else None


# --- the cache ---------------------------------------------------------------------


def cache_folder() -> Path | None:
    """Where the fingerprints are kept, or None when there is no such folder."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not Path(base).is_absolute():  # unset, empty or relative: ignored, as the spec says
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory
            return None
    return Path(base) / "beancount-ar" / "check"


@functools.cache
def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def _hash(*parts: object) -> str:
    everything = [FORMAT, _version("beancount-ar"), _version("beancount"), *parts]
    return hashlib.sha256(json.dumps(everything).encode()).hexdigest()


def entry_key(files: LedgerFiles) -> str:
    """What the fingerprints depend on: the files read and the code reading them."""
    return _hash(files.top, [list(blob) for blob in files.blobs], files.tree)


def _folder(top: Path) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    with contextlib.suppress(OSError, ValueError):
        if folder.resolve().is_relative_to(top.resolve()):
            return None  # never inside the repository
    return folder


def _by_top(top: str, blob: str) -> str:
    """The name shared by the entries whose top file is `top` holding `blob`."""
    return _hash("top", top, blob)[:32]


def _slots(folder: Path, ledger: Path) -> list[Path]:
    name = hashlib.sha256(str(ledger).encode(errors="surrogateescape")).hexdigest()[:32]
    return [folder / f"ledger-{name}-{n}.json" for n in range(SLOTS)]


def read_fingerprints(revision: Revision,
                      blobs: Mapping[str, str]) -> dict[str, Fingerprint] | None:
    """The cached fingerprints of the ledger at `revision`, whose files have `blobs`; or None."""
    folder = _folder(revision.top)
    if folder is None:
        return None
    top = revision.relative.as_posix()
    candidates = [folder / f"tree-{entry_key(LedgerFiles(top, tree=revision.tree))}.json",
                  *_slots(folder, revision.top / revision.relative)]
    if top in blobs:
        candidates += sorted(folder.glob(f"ref-{_by_top(top, blobs[top])}-*.json"))
    for path in candidates:
        prints = _read_entry(path, revision, blobs)
        if prints is not None:
            return prints
    return None


def _read_entry(path: Path, revision: Revision,
                blobs: Mapping[str, str]) -> dict[str, Fingerprint] | None:
    try:
        with path.open("rb") as file:
            files = _header(json.loads(file.readline()))
            if files is None or not files.found_in(revision, blobs):
                return None
            return _decoded_rows(json.loads(file.read()))
    except (OSError, ValueError, TypeError, KeyError, IndexError, ArithmeticError,
            RecursionError):
        return None


def _header(document: dict[str, Any]) -> LedgerFiles | None:
    """The entry a file's first line describes, when this code made its key."""
    top, names, tree = document["top"], document["files"], document["tree"]
    blobs = tuple((name, blob) for name, blob in names)
    if not (isinstance(top, str) and (tree is None or isinstance(tree, str))
            and all(isinstance(x, str) for blob in blobs for x in blob)):
        raise TypeError(top)
    files = LedgerFiles(top, blobs, tree)
    return files if document["key"] == entry_key(files) else None


def store_fingerprints(revision: Revision, files: LedgerFiles,
                       prints: Mapping[str, Fingerprint]) -> None:
    """Keep what the ledger read at `revision` gave, for every ref holding `files`."""
    folder = _folder(revision.top)
    if folder is None:
        return
    key = entry_key(files)
    if files.tree is None:
        path = folder / f"ref-{_by_top(files.top, dict(files.blobs)[files.top])}-{key[:32]}.json"
    else:
        path = folder / f"tree-{key}.json"
    write_entry(path, files, prints)


def todays_slot(work_tree: WorkTree, files: LedgerFiles) -> Path | None:
    """Where to keep today's ledger of `files`; None when a slot holds it already.

        slot = todays_slot(work_tree, files)
        if slot is not None:
            write_entry(slot, files, prints)
    """
    folder = _folder(work_tree.top)
    if folder is None:
        return None
    slots = {slot: _slot_key(slot) for slot in _slots(folder, work_tree.top / work_tree.relative)}
    if entry_key(files) in slots.values():
        return None
    # The oldest is replaced; one that is missing or unusable first.
    return min(slots, key=lambda slot: _age(slot) if slots[slot] else -1)


def _slot_key(slot: Path) -> str | None:
    try:
        with slot.open("rb") as file:
            key = json.loads(file.readline())["key"]
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None
    return key if isinstance(key, str) else None


def _age(slot: Path) -> int:
    try:
        return slot.stat().st_mtime_ns
    except OSError:
        return -1


def write_entry(path: Path, files: LedgerFiles, prints: Mapping[str, Fingerprint]) -> None:
    """Write one entry's file; a cache that cannot be written is skipped."""
    header = {"key": entry_key(files), "top": files.top,
              "files": [list(blob) for blob in files.blobs], "tree": files.tree}
    rows = [_encoded(p) for p in prints.values()]
    # JSON escapes every newline inside a string: each document is one line.
    data = b"%b\n%b\n" % (json.dumps(header, separators=(",", ":")).encode(),
                          json.dumps(rows, separators=(",", ":")).encode())
    with contextlib.suppress(WriteError):
        write_cache(path, data)


def _decoded_rows(rows: object) -> dict[str, Fingerprint]:
    if not isinstance(rows, list):
        raise TypeError(rows)
    return dict(_decoded(row) for row in rows)


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
