"""Reading a ledger as it stood at a git commit, for `bean-ar check --against` and `diff`.

    with temporary_folder() as folder:
        old_path = checkout_at(Path("ledger.beancount"), "origin/main", Path(folder))

The repository's files at the commit are written into a temporary folder, not
over the working tree; `reports.history` then compares the two models.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT = 120


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


def repository_of(ledger: Path) -> tuple[Path, Path]:
    """The work tree holding `ledger`, and the ledger's path inside it."""
    folder = ledger.resolve().parent
    try:
        top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    except HistoryError as error:
        raise HistoryError(f"{ledger} is not in a git repository ({error})") from error
    return top, ledger.resolve().relative_to(top.resolve())


@dataclass(frozen=True)
class Revision:
    """A ref resolved in the repository holding a ledger."""

    ref: str
    top: Path  # the work tree
    relative: Path  # the ledger's path inside it
    commit: str
    tree: str  # the commit's tree: the blob id of every file at the ref, hashed


def revision_of(ledger: Path, ref: str) -> Revision:
    """Resolve `ref` in the repository holding `ledger` (no file is read or written)."""
    top, relative = repository_of(ledger)
    try:
        commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except HistoryError as error:
        raise HistoryError(f"unknown git ref {ref!r}") from error
    tree = _git(top, "rev-parse", "--verify", "--quiet", f"{commit}^{{tree}}").decode().strip()
    return Revision(ref, top, relative, commit, tree)


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
