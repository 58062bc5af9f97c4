"""The ledger from `-f/--file` or `BEANCOUNT_FILE` for every command (issue 8, point 4).

The positional LEDGER still works as before; with it left out, the command's own
arguments (NUMBER, CUSTOMER, REF) are never taken for the ledger.
"""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from ledgers import BEAN_AR, HEADER, invoke, write_ledger

if TYPE_CHECKING:
    from pathlib import Path

BODY = """
2026-05-01 * "Acme Corp" "Consulting" ^INV-2026-054 #invoice
  Assets:Receivable:Acme       1500.00 USD
  Income:Consulting           -1500.00 USD
"""

MISSING = ("Missing LEDGER: name the ledger file as the first argument, with -f/--file LEDGER, "
           "or in the BEANCOUNT_FILE environment variable.")


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A ledger with one invoice to acme, in a folder of its own."""
    return write_ledger(tmp_path, BODY)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.email=ar@example.com",
                    "-c", "user.name=AR", *args], check=True, capture_output=True)


@pytest.fixture
def repo_ledger(tmp_path: Path) -> Path:
    """The ledger committed once (HEAD: no invoice), then given INV-2026-054."""
    path = tmp_path / "ledger.beancount"
    path.write_text(HEADER, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "ledger.beancount")
    _git(tmp_path, "commit", "-qm", "books opened")
    write_ledger(tmp_path, BODY)
    return path


def _document_args(command: str) -> list[str]:
    subject = "INV-2026-054" if command == "invoice" else "acme"
    return [command, subject, "--as-of", "2026-06-30"]


@pytest.mark.parametrize("command", ["invoice", "statement"])
def test_documents_read_beancount_file(ledger: Path, command: str) -> None:
    out = ledger.parent / "out.html"
    result = invoke(*_document_args(command), "-o", out, env={"BEANCOUNT_FILE": str(ledger)})
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n"
    assert "Acme Corp" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["invoice", "statement"])
@pytest.mark.parametrize("option", ["-f", "--file"])
def test_documents_read_the_file_option(ledger: Path, command: str, option: str) -> None:
    out = ledger.parent / "out.html"
    result = invoke(*_document_args(command), option, ledger, "-o", out,
                    env={"BEANCOUNT_FILE": None})
    assert result.exit_code == 0, result.output
    assert "Acme Corp" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["invoice", "statement"])
def test_documents_still_take_the_ledger_as_first_argument(ledger: Path, command: str,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "out.html"
    name, subject, *rest = _document_args(command)
    elsewhere = write_ledger(tmp_path, "", name="other.beancount")
    result = invoke(name, ledger, subject, *rest, "-o", out,
                    env={"BEANCOUNT_FILE": str(elsewhere)})  # the argument wins, as before
    assert result.exit_code == 0, result.output
    assert "Acme Corp" in out.read_text(encoding="utf-8")


def test_the_option_and_the_argument_agree(ledger: Path) -> None:
    by_argument = invoke("aging", ledger, "--as-of", "2026-06-30", "--format", "csv")
    by_option = invoke("aging", "-f", ledger, "--as-of", "2026-06-30", "--format", "csv")
    assert by_argument.exit_code == by_option.exit_code == 0
    assert by_option.stdout == by_argument.stdout
    assert "acme,USD" in by_option.stdout


def test_the_ledger_given_twice_is_a_usage_error(ledger: Path) -> None:
    result = invoke("invoice", "-f", ledger, ledger, "INV-2026-054", "-o", "x.html")
    assert result.exit_code == 2
    assert "The ledger is given twice" in result.stderr


@pytest.mark.parametrize("args", [
    ("invoice", "INV-2026-054", "-o", "x.pdf"),
    ("statement", "acme", "-o", "x.pdf"),
    ("invoices", "--from", "2026-01-01", "--to", "2026-01-31", "-o", "out"),
    ("aging",),
    ("overdue",),
    ("check",),
    ("diff", "HEAD~1"),
])
def test_no_ledger_names_the_option_and_the_variable(args: tuple[str, ...]) -> None:
    result = invoke(*args, env={"BEANCOUNT_FILE": None})
    assert result.exit_code == 2
    assert MISSING in result.stderr
    assert "Traceback" not in result.stderr


def test_a_ledger_without_its_number_asks_for_the_number(ledger: Path) -> None:
    result = invoke("invoice", ledger, "-o", "x.html", env={"BEANCOUNT_FILE": None})
    assert result.exit_code == 2
    assert "Missing argument 'NUMBER'." in result.stderr


@pytest.mark.parametrize("source", ["variable", "option", "argument"])
def test_a_missing_ledger_file_is_a_usage_error(tmp_path: Path, source: str) -> None:
    missing = str(tmp_path / "nowhere.beancount")
    args = {"variable": [], "option": ["-f", missing], "argument": [missing]}[source]
    result = invoke("invoice", *args, "INV-2026-054", "-o", tmp_path / "x.html",
                    env={"BEANCOUNT_FILE": missing if source == "variable" else None})
    assert result.exit_code == 2
    assert f"File '{missing}' does not exist." in result.stderr
    named = {"variable": "BEANCOUNT_FILE", "option": "-f/--file", "argument": "LEDGER"}[source]
    assert f"Invalid value for '{named}'" in result.stderr  # where the path came from
    assert not (tmp_path / "x.html").exists()


def test_check_reads_beancount_file(ledger: Path) -> None:
    result = invoke("check", env={"BEANCOUNT_FILE": str(ledger)})
    assert (result.exit_code, result.stdout) == (0, "")


def test_diff_reads_beancount_file(repo_ledger: Path) -> None:
    by_variable = invoke("diff", "HEAD", env={"BEANCOUNT_FILE": str(repo_ledger)})
    by_argument = invoke("diff", repo_ledger, "HEAD", env={"BEANCOUNT_FILE": None})
    assert by_variable.exit_code == by_argument.exit_code == 0, by_variable.output
    assert "INV-2026-054" in by_variable.stdout
    assert by_variable.stdout == by_argument.stdout


def test_diff_between_two_refs_from_the_variable(repo_ledger: Path) -> None:
    result = invoke("diff", "HEAD", "HEAD", env={"BEANCOUNT_FILE": str(repo_ledger)})
    assert result.exit_code == 0, result.output
    assert "No change in receivables between HEAD and HEAD." in result.stdout


def test_check_against_a_ref_from_the_option(repo_ledger: Path) -> None:
    result = invoke("check", "-f", repo_ledger, "--against", "HEAD",
                    env={"BEANCOUNT_FILE": None})
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize(("command", "usage"), [
    ("invoice", "Usage: bean-ar invoice [OPTIONS] [LEDGER] NUMBER"),
    ("statement", "Usage: bean-ar statement [OPTIONS] [LEDGER] CUSTOMER"),
    ("diff", "Usage: bean-ar diff [OPTIONS] [LEDGER] REF [REF2]"),
    ("aging", "Usage: bean-ar aging [OPTIONS] [LEDGER]"),
    ("check", "Usage: bean-ar check [OPTIONS] [LEDGER]"),
])
def test_help_shows_the_optional_ledger_and_the_option(command: str, usage: str) -> None:
    done = subprocess.run([sys.executable, str(BEAN_AR), command, "--help"],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0
    assert done.stdout.startswith(usage + "\n")
    assert "-f, --file LEDGER" in done.stdout
    assert "BEANCOUNT_FILE" in done.stdout


# --- -f/--file before the command's name ----------------------------------------------


@pytest.mark.parametrize("option", ["-f", "--file"])
def test_the_option_before_the_command_reads_the_ledger(ledger: Path, option: str) -> None:
    by_argument = invoke("aging", ledger, "--as-of", "2026-06-30", "--format", "csv")
    before = invoke(option, ledger, "aging", "--as-of", "2026-06-30", "--format", "csv",
                    env={"BEANCOUNT_FILE": None})
    assert (before.exit_code, before.stderr) == (0, "")
    assert before.stdout == by_argument.stdout


def test_the_option_before_the_command_wins_over_the_variable(ledger: Path,
                                                              tmp_path: Path) -> None:
    elsewhere = write_ledger(tmp_path, "", name="other.beancount")
    out = tmp_path / "out.html"
    result = invoke("-f", ledger, "invoice", "INV-2026-054", "--as-of", "2026-06-30", "-o", out,
                    env={"BEANCOUNT_FILE": str(elsewhere)})
    assert result.exit_code == 0, result.output
    assert "Acme Corp" in out.read_text(encoding="utf-8")


def test_the_option_before_and_after_the_command_is_a_usage_error(ledger: Path) -> None:
    result = invoke("-f", ledger, "aging", "-f", ledger)
    assert result.exit_code == 2
    assert (f"The ledger is given twice: -f/--file {ledger} before the command and "
            f"-f/--file {ledger} after it.") in result.stderr


def test_the_option_before_the_command_and_the_argument_is_a_usage_error(ledger: Path) -> None:
    result = invoke("-f", ledger, "aging", ledger)
    assert result.exit_code == 2
    assert f"The ledger is given twice: {ledger} and -f/--file {ledger}." in result.stderr


def test_a_missing_file_before_the_command_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.beancount"
    result = invoke("-f", missing, "overdue", env={"BEANCOUNT_FILE": None})
    assert result.exit_code == 2
    assert f"File '{missing}' does not exist." in result.stderr


def test_the_top_level_help_shows_the_option() -> None:
    done = subprocess.run([sys.executable, str(BEAN_AR), "--help"],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0
    assert "-f, --file LEDGER" in done.stdout
