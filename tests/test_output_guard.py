"""`-o` never writes over the ledger: `bean-ar invoice|statement|invoices` (issue 8, point 1).

Refused with exit status 2 and nothing written: the ledger's top file, any file it
includes (by any path, through symlinks, as a hard link), any symlink, and a target
that is not a regular file. `-o -` writes the PDF to standard output. The billing
run guards each file, and with no invoice in range writes nothing at all.
"""

from __future__ import annotations

import datetime
import os
import pty
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import encrypt_file
from ledgers import BEAN_AR, HEADER, invoke

INCLUDED = """\
2026-01-01 open Assets:Receivable:Initech
2026-01-01 custom "ar-customer" "initech"
  name: "Initech"
  account: Assets:Receivable:Initech
"""

BODY = """\
include "books/initech.beancount"

2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
  Assets:Receivable:Acme       1500.00 USD
  Income:Consulting           -1500.00 USD
"""


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A top file and one include, both of which `-o` must never replace."""
    (tmp_path / "books").mkdir()
    (tmp_path / "books" / "initech.beancount").write_text(INCLUDED, encoding="utf-8")
    path = tmp_path / "ledger.beancount"
    path.write_text(HEADER + "\n" + BODY, encoding="utf-8")
    return path


def _files(folder: Path) -> dict[str, bytes]:
    """Every regular file below `folder` and its bytes (what a refusal must leave alone)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink() and "picklecache" not in p.name}


def _document(command: str, ledger: Path, output: str | Path) -> tuple[int, str, str]:
    subject = "INV-1" if command == "invoice" else "acme"
    result = invoke(command, ledger, subject, "--as-of", "2026-06-30", "-o", output)
    return result.exit_code, result.stdout, result.stderr


def _run(*args: str | Path, stdin: int | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, str(BEAN_AR), *map(str, args)], capture_output=True,
                          check=False, timeout=120, stdin=stdin)


COMMANDS = ["invoice", "statement"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("target", ["ledger.beancount", "books/initech.beancount",
                                    "books/../ledger.beancount", "./books/initech.beancount"])
def test_a_ledger_file_is_refused(ledger: Path, command: str, target: str) -> None:
    before = _files(ledger.parent)
    code, stdout, stderr = _document(command, ledger, ledger.parent / target)
    assert code == 2
    assert "is a file of the ledger" in stderr
    assert "refusing" in stderr
    assert "Traceback" not in stderr
    assert stdout == ""
    assert _files(ledger.parent) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_a_relative_path_to_the_ledger_is_refused(ledger: Path, command: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ledger.parent / "books")
    before = _files(ledger.parent)
    code, _, stderr = _document(command, Path("../ledger.beancount"), "initech.beancount")
    assert code == 2, stderr
    assert "is a file of the ledger" in stderr
    assert _files(ledger.parent) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_a_hard_link_to_the_ledger_is_refused(ledger: Path, command: str) -> None:
    twin = ledger.parent / "out.pdf"
    os.link(ledger, twin)
    before = _files(ledger.parent)
    code, _, stderr = _document(command, ledger, twin)
    assert code == 2
    assert "is a file of the ledger" in stderr
    assert _files(ledger.parent) == before


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("points_to", ["ledger.beancount", "books/initech.beancount",
                                       "other.html", "gone.html"])
def test_a_symlink_is_refused(ledger: Path, command: str, points_to: str) -> None:
    (ledger.parent / "other.html").write_text("other", encoding="utf-8")
    link = ledger.parent / "out.html"
    link.symlink_to(ledger.parent / points_to)
    before = _files(ledger.parent)
    code, _, stderr = _document(command, ledger, link)
    assert code == 2
    assert f"{link} is a symbolic link" in stderr
    assert link.is_symlink()
    assert _files(ledger.parent) == before
    assert not (ledger.parent / "gone.html").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_named_like_a_file_is_refused(ledger: Path, command: str) -> None:
    folder = ledger.parent / "out.html"
    folder.mkdir()
    code, _, stderr = _document(command, ledger, folder)
    assert code == 2
    assert "out.html" in stderr
    assert "directory" in stderr or "folder" in stderr
    assert folder.is_dir()
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_fifo_is_refused(ledger: Path, command: str) -> None:
    fifo = ledger.parent / "out.html"
    os.mkfifo(fifo)
    code, _, stderr = _document(command, ledger, fifo)
    assert code == 2
    assert f"{fifo} exists and is a FIFO, not a regular file" in stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_device_is_refused_and_stays_a_device(ledger: Path, command: str) -> None:
    code, _, stderr = _document(command, ledger, "/dev/null")
    assert code == 2
    assert "/dev/null exists and is a character device, not a regular file" in stderr
    assert stat.S_ISCHR(Path("/dev/null").lstat().st_mode)


@pytest.mark.parametrize("command", COMMANDS)
def test_an_existing_file_outside_the_ledger_is_replaced(ledger: Path, command: str) -> None:
    out = ledger.parent / "out.html"
    out.write_text("yesterday's copy", encoding="utf-8")
    code, stdout, stderr = _document(command, ledger, out)
    assert code == 0, stderr
    assert stdout == f"wrote {out}\n"
    assert "yesterday" not in out.read_text(encoding="utf-8")
    assert "<html" in out.read_text(encoding="utf-8").lower()
    assert sorted(p.name for p in ledger.parent.glob("*.partial")) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_writes_the_pdf_to_standard_output(ledger: Path, command: str) -> None:
    subject = "INV-1" if command == "invoice" else "acme"
    before = _files(ledger.parent)
    done = _run(command, ledger, subject, "--as-of", "2026-06-30", "-o", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"%PDF-")
    assert done.stdout.rstrip().endswith(b"%%EOF")
    assert done.stderr == b""
    assert not (ledger.parent / "-").exists()
    assert _files(ledger.parent) == before


# --- the billing run -------------------------------------------------------------------


def test_billing_run_refuses_a_file_of_the_ledger_and_writes_nothing(tmp_path: Path) -> None:
    # The include is named like the first invoice's PDF in the run's folder.
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "INV-1.pdf").write_text(INCLUDED, encoding="utf-8")
    ledger = tmp_path / "ledger.beancount"
    ledger.write_text(HEADER + "\n" + BODY.replace("books/initech.beancount", "out/INV-1.pdf")
                      + _second_invoice(), encoding="utf-8")
    before = _files(tmp_path)
    done = _run("invoices", ledger, "--from", "2026-05-01", "--to", "2026-05-31",
                "-o", tmp_path / "out")
    assert done.returncode == 2, done.stderr
    assert f"{tmp_path / 'out' / 'INV-1.pdf'} is a file of the ledger".encode() in done.stderr
    assert b"1 invoice file(s) refused; nothing written" in done.stderr
    assert _files(tmp_path) == before


def test_billing_run_refuses_a_symlink_in_its_folder(ledger: Path) -> None:
    out = ledger.parent / "out"
    out.mkdir()
    (out / "INV-1.pdf").symlink_to(ledger)
    before = _files(ledger.parent)
    done = _run("invoices", ledger, "--from", "2026-05-01", "--to", "2026-05-31", "-o", out)
    assert done.returncode == 2
    assert b"is a symbolic link" in done.stderr
    assert _files(ledger.parent) == before
    assert (out / "INV-1.pdf").is_symlink()


def test_billing_run_with_no_invoice_in_range_makes_no_folder_and_no_noise(ledger: Path) -> None:
    out = ledger.parent / "billing" / "2026-12"
    done = _run("invoices", ledger, "--from", "2026-12-01", "--to", "2026-12-31", "-o", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"no invoices dated 2026-12-01 to 2026-12-31; nothing written\n"
    assert done.stderr == b""
    assert not (ledger.parent / "billing").exists()


def test_billing_run_prints_no_progress_line_when_stderr_is_no_terminal(ledger: Path) -> None:
    out = ledger.parent / "billing"
    done = _run("invoices", ledger, "--from", "2026-05-01", "--to", "2026-05-31", "-o", out)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert done.stdout.decode().startswith(f"1 invoice(s) written to {out} (1,500.00 USD)")
    assert (out / "INV-1.pdf").read_bytes().startswith(b"%PDF-")


def _second_invoice() -> str:
    return """
2026-05-02 * "Globex Inc" "Consulting" ^INV-2 #invoice
  Assets:Receivable:Globex      700.00 USD
  Income:Consulting            -700.00 USD
"""


def test_dash_refuses_to_print_a_pdf_on_a_terminal(ledger: Path) -> None:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, str(BEAN_AR), "invoice", str(ledger), "INV-1",
                               "-o", "-"], stdout=follower, stderr=subprocess.PIPE,
                              check=False, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert b"standard output, which is a terminal here" in done.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_the_real_file_behind_a_symlinked_ledger_is_refused(ledger: Path, command: str) -> None:
    link = ledger.parent / "books.beancount"
    link.symlink_to(ledger)
    before = _files(ledger.parent)
    code, _, stderr = _document(command, link, ledger)
    assert code == 2
    assert f"{ledger} is a file of the ledger" in stderr
    assert _files(ledger.parent) == before


# --- standard output that cannot be written, a missing folder ---------------------------


def _to_closed_stdout(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """`bean-ar ARGS >&-`: the process starts with no standard output at all."""
    script = '"$0" "$@" >&-'
    return subprocess.run(["sh", "-c", script, sys.executable, str(BEAN_AR), *map(str, args)],
                          stderr=subprocess.PIPE, check=False, timeout=120)


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_to_a_closed_standard_output_is_a_message(ledger: Path, command: str) -> None:
    subject = "INV-1" if command == "invoice" else "acme"
    done = _to_closed_stdout(command, ledger, subject, "--as-of", "2026-06-30", "-o", "-")
    assert done.returncode == 1
    assert done.stderr == b"bean-ar: cannot write the PDF to standard output: it is closed\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_to_a_full_disk_is_a_message(ledger: Path, command: str) -> None:
    subject = "INV-1" if command == "invoice" else "acme"
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run([sys.executable, str(BEAN_AR), command, str(ledger), subject,
                               "--as-of", "2026-06-30", "-o", "-"], stdout=full,
                              stderr=subprocess.PIPE, check=False, timeout=120)
    # Exactly this line: no traceback, and no "Exception ignored" (exit 120) at exit.
    assert done.returncode == 1
    assert done.stderr == (b"bean-ar: cannot write the PDF to standard output: "
                           b"No space left on device\n")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("target", "why"), [("nodir/x.pdf", "does not exist"),
                                             ("ledger.beancount/x.pdf", "is not a folder")])
def test_an_output_whose_folder_is_missing_is_bad_usage(ledger: Path, command: str,
                                                        target: str, why: str) -> None:
    before = _files(ledger.parent)
    output = ledger.parent / target
    code, stdout, stderr = _document(command, ledger, output)
    assert code == 2
    assert stderr == (f"bean-ar: cannot write {output}: {output.parent} {why}; make the folder "
                      "first or choose another output\n")
    assert stdout == ""
    assert _files(ledger.parent) == before
    assert not (ledger.parent / "nodir").exists()


def test_billing_run_to_dash_is_refused(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ledger.parent)
    before = _files(ledger.parent)
    result = invoke("invoices", ledger, "--from", "2026-05-01", "--to", "2026-05-31", "-o", "-")
    assert result.exit_code == 2
    assert result.stderr == ("bean-ar: -o - writes one document to standard output; the "
                             "billing run needs a folder\n")
    assert not (ledger.parent / "-").exists()
    assert _files(ledger.parent) == before


# --- the billing run: two invoices, one file name -----------------------------------------


def _clashing(tmp_path: Path, first: str, second: str) -> Path:
    path = tmp_path / "ledger.beancount"
    path.write_text(HEADER + f"""
2026-05-01 * "Acme Corp" "Consulting" ^{first} #invoice
  Assets:Receivable:Acme       1500.00 USD
  Income:Consulting           -1500.00 USD

2026-05-02 * "Globex Inc" "Consulting" ^{second} #invoice
  Assets:Receivable:Globex      700.00 USD
  Income:Consulting            -700.00 USD
""", encoding="utf-8")
    return path


@pytest.mark.parametrize(("first", "second", "name"), [("INV/1", "INV_1", "INV_1.pdf"),
                                                       ("INV-a", "INV-A", "INV-a.pdf")])
def test_billing_run_refuses_two_invoices_with_one_file_name(tmp_path: Path, first: str,
                                                             second: str, name: str) -> None:
    # Names that differ only in case are one file on macOS and Windows.
    ledger = _clashing(tmp_path, first, second)
    out = tmp_path / "billing"
    before = _files(tmp_path)
    done = _run("invoices", ledger, "--from", "2026-05-01", "--to", "2026-05-31", "-o", out)
    assert done.returncode == 2
    assert done.stderr.decode() == (
        f"bean-ar: invoices {first} and {second} would both be written to {out / name}; "
        "refusing to write any of them (print each with bean-ar invoice NUMBER -o FILE)\n"
        "bean-ar: 1 invoice file(s) refused; nothing written\n")
    assert not out.exists()
    assert _files(tmp_path) == before


def test_the_billing_run_itself_writes_neither_of_two_clashing_invoices(tmp_path: Path) -> None:
    from beancount_ar.cli.loading import load_ledger
    from beancount_ar.documents.batch import billing_run

    loaded = load_ledger(_clashing(tmp_path, "INV/1", "INV_1"), use_cache=False)
    chosen = list(loaded.receivables.invoices.values())
    out = tmp_path / "billing"
    out.mkdir()
    result = billing_run(loaded.receivables, chosen, out, datetime.date(2026, 6, 30),
                         protected=(tmp_path / "ledger.beancount",))
    assert result.written == []
    assert sorted(number for number, _ in result.failed) == ["INV/1", "INV_1"]
    assert all("would both be written to" in problem for _, problem in result.failed)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_an_encrypted_include_is_refused(ledger: Path, command: str, gpg_recipient: str) -> None:
    # Beancount lists an encrypted include in no option: the entries say where they came from.
    encrypted = encrypt_file(ledger.parent / "books" / "initech.beancount", gpg_recipient)
    ledger.write_text(HEADER + "\n" + BODY.replace('initech.beancount"', 'initech.beancount.gpg"'),
                      encoding="utf-8")
    before = _files(ledger.parent)
    code, _, stderr = _document(command, ledger, encrypted)
    assert code == 2
    assert "is a file of the ledger" in stderr
    assert _files(ledger.parent) == before
