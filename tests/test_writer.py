"""The one writer (`beancount_ar.writer`): outputs that never land on the ledger, and ledger
files rewritten only when they are exactly as they were read (AR-SPEC section 14).

Real files, links, FIFOs and devices in `tmp_path`; a real process killed mid-write.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from beancount import loader

from beancount_ar.writer import (
    WriteError,
    WriteRefusedError,
    append_to_ledger_file,
    ledger_files,
    output_refusal,
    read_snapshot,
    replace_ledger_file,
    write_output,
)

TOP = 'include "books/customers.beancount"\n2026-01-01 open Assets:Bank:Checking\n'
INCLUDED = "2026-01-01 open Assets:Receivable:Acme\n"


@pytest.fixture
def books(tmp_path: Path) -> tuple[Path, Path, tuple[Path, ...]]:
    """A top file including one other file, and the files Beancount says it read."""
    top = tmp_path / "ledger.beancount"
    top.write_text(TOP, encoding="utf-8")
    (tmp_path / "books").mkdir()
    included = tmp_path / "books" / "customers.beancount"
    included.write_text(INCLUDED, encoding="utf-8")
    _, errors, options = loader.load_file(str(top))
    assert errors == []
    return top, included, ledger_files(options)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.partial"))


# --- outputs ---------------------------------------------------------------------------


def test_ledger_files_are_the_top_file_and_every_include(
        books: tuple[Path, Path, tuple[Path, ...]]) -> None:
    top, included, protected = books
    assert {p.resolve() for p in protected} == {top.resolve(), included.resolve()}


def test_a_new_output_is_written_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "INV-1.pdf"
    write_output(target, b"%PDF-1.4 new")
    assert target.read_bytes() == b"%PDF-1.4 new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    assert _leftovers(tmp_path) == []


def test_an_existing_regular_output_that_is_no_ledger_file_is_replaced(
        books: tuple[Path, Path, tuple[Path, ...]], tmp_path: Path) -> None:
    target = tmp_path / "old.pdf"
    target.write_bytes(b"old")
    write_output(target, b"new", protected=books[2])
    assert target.read_bytes() == b"new"


@pytest.mark.parametrize("which", ["top", "include"])
def test_a_ledger_file_is_refused_and_unchanged(
        books: tuple[Path, Path, tuple[Path, ...]], which: str) -> None:
    top, included, protected = books
    target = top if which == "top" else included
    before = target.read_bytes()
    with pytest.raises(WriteRefusedError, match="is a file of the ledger"):
        write_output(target, b"%PDF", protected=protected)
    assert target.read_bytes() == before
    assert _leftovers(top.parent) == []


def test_the_same_ledger_file_by_another_path_is_refused(
        books: tuple[Path, Path, tuple[Path, ...]]) -> None:
    top, included, protected = books
    roundabout = included.parent / ".." / "books" / "." / included.name
    with pytest.raises(WriteRefusedError, match="is a file of the ledger"):
        write_output(roundabout, b"%PDF", protected=protected)
    assert included.read_text(encoding="utf-8") == INCLUDED
    assert top.read_text(encoding="utf-8") == TOP


def test_a_hard_link_to_a_ledger_file_is_refused(
        books: tuple[Path, Path, tuple[Path, ...]], tmp_path: Path) -> None:
    top, _, protected = books
    twin = tmp_path / "twin.pdf"
    os.link(top, twin)
    assert output_refusal(twin, protected) is not None
    with pytest.raises(WriteRefusedError, match="is a file of the ledger"):
        write_output(twin, b"%PDF", protected=protected)
    assert top.read_text(encoding="utf-8") == TOP


@pytest.mark.parametrize("points_to", ["ledger", "other", "nothing"])
def test_a_symlink_is_refused_whatever_it_points_to(
        books: tuple[Path, Path, tuple[Path, ...]], tmp_path: Path, points_to: str) -> None:
    top, _, protected = books
    other = tmp_path / "other.pdf"
    other.write_bytes(b"other")
    link = tmp_path / "link.pdf"
    link.symlink_to({"ledger": top, "other": other, "nothing": tmp_path / "gone.pdf"}[points_to])
    with pytest.raises(WriteRefusedError, match="is a symbolic link"):
        write_output(link, b"%PDF", protected=protected)
    assert link.is_symlink()
    assert top.read_text(encoding="utf-8") == TOP
    assert other.read_bytes() == b"other"
    assert not (tmp_path / "gone.pdf").exists()


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "out.pdf"
    folder.mkdir()
    with pytest.raises(WriteRefusedError, match="is a folder, not a regular file"):
        write_output(folder, b"%PDF")
    assert folder.is_dir()


def test_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "out.pdf"
    os.mkfifo(fifo)
    with pytest.raises(WriteRefusedError, match="is a FIFO, not a regular file"):
        write_output(fifo, b"%PDF")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_device_is_refused_and_stays_a_device() -> None:
    null = Path("/dev/null")
    with pytest.raises(WriteRefusedError, match="is a character device, not a regular file"):
        write_output(null, b"%PDF")
    assert stat.S_ISCHR(null.lstat().st_mode)


def test_a_missing_folder_is_an_error_not_a_refusal(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="cannot write") as caught:
        write_output(tmp_path / "no-such-folder" / "out.pdf", b"%PDF")
    assert not isinstance(caught.value, WriteRefusedError)


# --- ledger files ----------------------------------------------------------------------


ENTRY = '2026-02-01 custom "ar-dunning" "INV-1" 1\n'


def test_append_adds_whole_entries_after_a_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "ledger.beancount"
    path.write_text(TOP, encoding="utf-8")
    path.chmod(0o640)
    after = append_to_ledger_file(read_snapshot(path), ENTRY)
    assert path.read_text(encoding="utf-8") == TOP + "\n" + ENTRY
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert after.data == path.read_bytes()
    assert _leftovers(tmp_path) == []


def test_append_to_a_file_without_a_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "ledger.beancount"
    path.write_text(TOP.rstrip("\n"), encoding="utf-8")
    append_to_ledger_file(read_snapshot(path), ENTRY.rstrip("\n"))
    assert path.read_text(encoding="utf-8") == TOP + "\n" + ENTRY


def test_a_snapshot_can_be_written_again_from_the_new_one(tmp_path: Path) -> None:
    path = tmp_path / "ledger.beancount"
    path.write_text(TOP, encoding="utf-8")
    first = append_to_ledger_file(read_snapshot(path), ENTRY)
    append_to_ledger_file(first, ENTRY.replace("1\n", "2\n"))
    assert path.read_text(encoding="utf-8").count("ar-dunning") == 2


@pytest.mark.parametrize("change", ["appended", "same-size"])
def test_a_file_changed_since_it_was_read_is_refused(tmp_path: Path, change: str) -> None:
    path = tmp_path / "ledger.beancount"
    path.write_text(TOP, encoding="utf-8")
    snapshot = read_snapshot(path)
    edited = TOP + "; edited\n" if change == "appended" else TOP.replace("Checking", "Savings!")
    assert change == "appended" or len(edited) == len(TOP)
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(WriteRefusedError, match="changed since it was read"):
        append_to_ledger_file(snapshot, ENTRY)
    assert path.read_text(encoding="utf-8") == edited
    assert _leftovers(tmp_path) == []


def test_a_file_gone_since_it_was_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.beancount"
    path.write_text(TOP, encoding="utf-8")
    snapshot = read_snapshot(path)
    path.unlink()
    with pytest.raises(WriteRefusedError, match="cannot be read again"):
        replace_ledger_file(snapshot, b"new")
    assert not path.exists()


def test_a_symlinked_ledger_file_is_written_where_it_really_is(tmp_path: Path) -> None:
    real = tmp_path / "real.beancount"
    real.write_text(TOP, encoding="utf-8")
    link = tmp_path / "ledger.beancount"
    link.symlink_to(real)
    append_to_ledger_file(read_snapshot(link), ENTRY)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == TOP + "\n" + ENTRY


def test_an_unreadable_ledger_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="cannot read"):
        read_snapshot(tmp_path / "nowhere.beancount")


KILLED_WRITER = textwrap.dedent("""\
    import sys
    from pathlib import Path
    from beancount_ar.writer import read_snapshot, replace_ledger_file
    path = Path(sys.argv[1])
    versions = [bytes([65 + n]) * 4_000_000 for n in range(4)]
    n = 0
    print("ready", flush=True)
    while True:
        replace_ledger_file(read_snapshot(path), versions[n % 4])
        n += 1
""")


def test_a_write_killed_at_any_moment_leaves_one_whole_version(tmp_path: Path) -> None:
    path = tmp_path / "ledger.beancount"
    path.write_bytes(b"A" * 4_000_000)
    wholes = {bytes([65 + n]) * 4_000_000 for n in range(4)}
    for delay in (0.05, 0.11, 0.23, 0.37):
        writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)],
                                  stdout=subprocess.PIPE)
        assert writer.stdout is not None
        assert writer.stdout.readline() == b"ready\n"
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        writer.stdout.close()
        assert path.read_bytes() in wholes
        for partial in tmp_path.glob("*.partial"):  # what a killed write leaves: never the file
            partial.unlink()


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask
