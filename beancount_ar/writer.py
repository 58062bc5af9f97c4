"""The one place that writes to disk: documents, caches, and entries into ledger files.

    write_output(Path("INV-1.pdf"), pdf, protected=ledger_files(options, entries))

Every write goes to a temporary file beside the target, is flushed and fsynced,
renamed over the target and the folder fsynced, so an interrupted write leaves
the old file or the new one, never a mix (AR-SPEC section 14).

An output (a document) is refused, with nothing written, when it would land on
a file of the ledger (the top file or any include, through symlinks and hard
links alike), when the path is a symlink (even a dangling one) or when what is
there is not a regular file (a folder, a device, a FIFO, a socket).

A ledger file is only ever rewritten from a `Snapshot` taken when it was read:
the write is refused when its size or sha256 changed since.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence


class WriteError(Exception):
    """Nothing was written: the disk refused (no folder, no permission, full)."""


class WriteRefusedError(WriteError):
    """Nothing was written: the target must not be written; the message says why."""


def ledger_files(options: Mapping[str, Any], entries: Iterable[Any] = ()) -> tuple[Path, ...]:
    """The ledger's top file and every file it includes, as Beancount loaded them.

    Beancount lists an encrypted include nowhere in its options (it reads it as a
    string), so the files the entries come from count too.
    """
    names = [options.get("filename"), *(options.get("include") or ())]
    names += {getattr(entry, "meta", None) and entry.meta.get("filename") for entry in entries}
    return tuple(dict.fromkeys(Path(name) for name in names
                               if isinstance(name, str) and name and not name.startswith("<")))


def output_refusal(target: Path, protected: Sequence[Path] = ()) -> str | None:
    """Why `target` must not be written as an output, or None when it may be."""
    try:
        status = target.lstat()
    except FileNotFoundError:
        status = None
    except OSError as error:
        return f"cannot inspect {target}: {error.strerror}"
    if status is not None and stat.S_ISLNK(status.st_mode):
        return (f"{target} is a symbolic link; refusing to write through it "
                "(write to the real path, or remove the link first)")
    if status is not None and not stat.S_ISREG(status.st_mode):
        return f"{target} exists and is {_kind(status.st_mode)}, not a regular file; refusing"
    ledger_file = _ledger_file_at(target, protected)
    if ledger_file is not None:
        return (f"{target} is a file of the ledger ({ledger_file}); refusing to overwrite it "
                "(choose another output)")
    return None


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO"),
             (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "a special file")


def _ledger_file_at(target: Path, protected: Iterable[Path]) -> Path | None:
    """The ledger file `target` is, by resolved path or (hard links) by inode."""
    real = os.path.realpath(target)
    for path in protected:
        if os.path.realpath(path) == real:
            return path
        with contextlib.suppress(OSError):
            if target.exists() and path.exists() and target.samefile(path):
                return path
    return None


def write_output(target: Path, data: bytes, *, protected: Sequence[Path] = ()) -> None:
    """Write a new output file (a document), replacing a regular file that is no ledger file.

    Raises:
        WriteRefusedError: the target is a ledger file, a symlink or no regular file.
        WriteError: the disk refused; nothing was written.
    """
    refusal = output_refusal(target, protected)
    if refusal is not None:
        raise WriteRefusedError(refusal)
    _replace_atomically(target, data, mode=0o666 & ~_UMASK)


def write_cache(target: Path, data: bytes) -> None:
    """Write a cache file (only its owner may read it), making its folders as needed.

    Raises:
        WriteRefusedError: the target is a symlink or no regular file.
        WriteError: the disk refused; nothing was written.
    """
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(f"cannot make {target.parent}: {error.strerror}") from error
    refusal = output_refusal(target)
    if refusal is not None:
        raise WriteRefusedError(refusal)
    _replace_atomically(target, data, mode=0o600)


@dataclass(frozen=True)
class Snapshot:
    """A ledger file as it was read: what a later write must find unchanged."""

    path: Path
    data: bytes
    size: int
    sha256: str


def read_snapshot(path: Path) -> Snapshot:
    """Read a ledger file (through a symlink, to the file itself) for a later write.

    Raises:
        WriteError: the file cannot be read.
    """
    real = Path(os.path.realpath(path))
    try:
        data = real.read_bytes()
    except OSError as error:
        raise WriteError(f"cannot read {path}: {error.strerror}") from error
    return Snapshot(real, data, len(data), hashlib.sha256(data).hexdigest())


def replace_ledger_file(snapshot: Snapshot, data: bytes) -> Snapshot:
    """Replace the file read as `snapshot` with `data`; the new snapshot.

    Raises:
        WriteRefusedError: the file changed (size or sha256) since it was read, or is no
            longer a regular file.
        WriteError: the disk refused; nothing was written.
    """
    path = snapshot.path
    try:
        status = path.lstat()
        current = path.read_bytes() if stat.S_ISREG(status.st_mode) else None
    except OSError as error:
        raise WriteRefusedError(f"{path} cannot be read again ({error.strerror}); "
                           "nothing written") from error
    if current is None:
        raise WriteRefusedError(f"{path} is no longer a regular file; nothing written")
    if len(current) != snapshot.size or hashlib.sha256(current).hexdigest() != snapshot.sha256:
        raise WriteRefusedError(f"{path} changed since it was read; nothing written "
                           "(run the command again)")
    _replace_atomically(path, data, mode=stat.S_IMODE(status.st_mode))
    return Snapshot(path, data, len(data), hashlib.sha256(data).hexdigest())


def append_to_ledger_file(snapshot: Snapshot, text: str) -> Snapshot:
    """Append whole entries to the file read as `snapshot`, after one blank line.

    Raises:
        WriteRefusedError: the file changed since it was read.
        WriteError: the disk refused; nothing was written.
    """
    old = snapshot.data
    separator = b"" if not old else b"\n" if old.endswith(b"\n") else b"\n\n"
    body = text.encode("utf-8")
    if not body.endswith(b"\n"):
        body += b"\n"
    return replace_ledger_file(snapshot, old + separator + body)


def _replace_atomically(target: Path, data: bytes, *, mode: int) -> None:
    """Temporary file beside the target, write, fsync, rename over it, fsync the folder."""
    folder = target.parent
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".partial")
    except OSError as error:
        raise WriteError(f"cannot write {target}: {error.strerror}") from error
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        partial.chmod(mode)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise WriteError(f"cannot write {target}: {error.strerror}") from error
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; some file systems cannot, which is no error."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _read_umask() -> int:
    """The process's umask (read by setting it, so set it straight back)."""
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


# Read once, on import: setting and restoring it while a billing run's threads write
# would let one thread see another's temporary value.
_UMASK = _read_umask()
