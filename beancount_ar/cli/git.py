"""Reading a ledger as it stood at a git commit, for `bean-ar check --against` and `diff`.

    with temporary_folder() as folder:
        old_path = checkout_at(Path("ledger.beancount"), "origin/main", Path(folder))

The repository's files at the commit are written into a temporary folder, not
over the working tree; `reports.history` then compares the two models.

Without writing or extracting anything, `tree_blobs` lists the content (blob id)
of every file at a commit, and `blob_header` lets a file's bytes be named the way
git names them: `check` can tell that the ledger's files at a commit are files it
has read before.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT = 120
REGULAR_FILE_MODES = frozenset({b"100644", b"100755"})


class HistoryError(Exception):
    """The comparison cannot be made (not a repository, unknown ref, file missing there)."""


def _git(repo: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from the user's own repo
            ["git", "-C", str(repo), *args], capture_output=True, check=False,  # noqa: S607
            timeout=GIT_TIMEOUT,
        )
    except FileNotFoundError as error:
        raise HistoryError("git is not installed") from error
    except subprocess.TimeoutExpired as error:
        raise HistoryError(f"git {' '.join(args)} took over {GIT_TIMEOUT} s") from error
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(message[-1] if message else f"git {' '.join(args)} failed")
    return result.stdout


@dataclass(frozen=True)
class WorkTree:
    """The git work tree holding a ledger."""

    top: Path  # its root, as git names it (no symbolic link in it)
    relative: Path  # the ledger's path inside it
    object_format: str  # how git names content: "sha1" or "sha256"


def work_tree_of(ledger: Path) -> WorkTree:
    """The work tree holding `ledger`, the ledger's path inside it and git's hash."""
    folder = ledger.resolve().parent
    try:
        lines = _git(folder, "rev-parse", "--show-object-format", "--show-toplevel").decode()
    except HistoryError as error:
        raise HistoryError(f"{ledger} is not in a git repository ({error})") from error
    object_format, *_, top = lines.strip().splitlines()
    return WorkTree(Path(top), ledger.resolve().relative_to(Path(top).resolve()),
                    "sha256" if object_format == "sha256" else "sha1")


@dataclass(frozen=True)
class Revision:
    """A ref resolved in the repository holding a ledger."""

    ref: str
    work_tree: WorkTree
    commit: str
    tree: str  # the commit's tree: the blob id of every file at the ref, hashed

    @property
    def top(self) -> Path:
        """The work tree's root."""
        return self.work_tree.top

    @property
    def relative(self) -> Path:
        """The ledger's path inside the work tree (and at the ref)."""
        return self.work_tree.relative


def revision_of(ledger: Path, ref: str) -> Revision:
    """Resolve `ref` in the repository holding `ledger` (no file is read or written)."""
    return revision_in(work_tree_of(ledger), ref)


def revision_in(work_tree: WorkTree, ref: str) -> Revision:
    """Resolve `ref` in `work_tree`'s repository (no file is read or written)."""
    top = work_tree.top
    try:
        commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except HistoryError as error:
        raise HistoryError(f"unknown git ref {ref!r}") from error
    tree = _git(top, "rev-parse", "--verify", "--quiet", f"{commit}^{{tree}}").decode().strip()
    return Revision(ref, work_tree, commit, tree)


def tree_blobs(revision: Revision) -> dict[str, str]:
    """Every regular file at `revision`: its path in the repository and its blob id.

    Symbolic links and submodules are left out: their ids name no file's content.
    """
    listing = _git(revision.top, "ls-tree", "-r", "-z", "--full-tree", revision.commit)
    blobs = {}
    for record in listing.split(b"\0"):  # "<mode> <type> <id>\t<path>"
        meta, _, name = record.partition(b"\t")
        mode, _, kind_and_id = meta.partition(b" ")
        kind, _, blob = kind_and_id.partition(b" ")
        if mode in REGULAR_FILE_MODES and kind == b"blob":
            blobs[os.fsdecode(name)] = blob.decode()
    return blobs


def blob_header(size: int) -> bytes:
    """What git hashes before a file's `size` bytes to name them (its blob id)."""
    # Hashed by the caller, `hashlib.new(object_format, blob_header(size))` and the
    # bytes, rather than by `git hash-object`: the file is read anyway (no process),
    # and no clean filter runs (a filter is any program; git-lfs's writes into .git),
    # so the id names exactly the bytes that Beancount read, as git stores them.
    return b"blob %d\0" % size


def checkout_at(ledger: Path, ref: str, into: Path) -> Path:
    """Write the repository's files as of `ref` into `into`; the ledger's path there."""
    return checkout_revision(revision_of(ledger, ref), into)


def checkout_revision(revision: Revision, into: Path) -> Path:
    """Write the repository's files as of `revision` into `into`; the ledger's path there."""
    archive = _git(revision.top, "archive", "--format=tar", revision.commit)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    old = into / revision.relative
    if not old.is_file():
        raise HistoryError(f"{revision.relative} does not exist at {revision.ref} "
                           "(renamed or added since?); compare against a ref where it exists")
    return old


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """Where the ledger at the ref is written, removed afterwards."""
    return tempfile.TemporaryDirectory(prefix="bean-ar-check-")
