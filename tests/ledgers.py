"""Small helpers for the report and CLI tests: write a ledger snippet, run `bean-ar`.

    path = write_ledger(tmp_path, '''
        2026-06-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme     1800.00 USD
          Income:Consulting         -1800.00 USD
    ''')
    assert aging_csv(tmp_path, snippet, "--as-of", "2026-06-30") == expected

Every snippet is written below `HEADER`: the suite enabled with its defaults
(`net 30`), the usual accounts opened on 2026-01-01, and four customers.
"""

from __future__ import annotations

import os
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from click.testing import CliRunner

from beancount_ar.cli import main

if TYPE_CHECKING:
    from collections.abc import Mapping

    from click.testing import Result

AS_OF = "2026-06-30"

# Pictures of pages and documents for a person to look at. Tests write only under
# temporary folders: these go to the system's, or to $AR_ARTIFACTS when it is set.
ARTIFACTS = Path(os.environ.get("AR_ARTIFACTS") or Path(tempfile.gettempdir())
                 / "beancount-ar-artifacts")

AGING_HEADER = "customer,currency,unapplied,current,1-30,31-60,61-90,90+,total"
OVERDUE_HEADER = "invoice,customer,currency,date,due,days_overdue,amount,open,status"

HEADER = textwrap.dedent("""\
    option "title" "beancount-ar test ledger"
    option "operating_currency" "USD"
    plugin "beancount_ar"

    2026-01-01 open Assets:Bank:Checking
    2026-01-01 open Assets:Receivable:Acme
    2026-01-01 open Assets:Receivable:Globex
    2026-01-01 open Assets:Receivable:Umbrella
    2026-01-01 open Assets:Receivable:Kaiju
    2026-01-01 open Income:Consulting
    2026-01-01 open Liabilities:SalesTax
    2026-01-01 open Expenses:BadDebt

    2026-01-01 custom "ar-customer" "acme"
      name: "Acme Corp"
      account: Assets:Receivable:Acme

    2026-01-01 custom "ar-customer" "globex"
      name: "Globex Inc"
      account: Assets:Receivable:Globex

    2026-01-01 custom "ar-customer" "umbrella"
      name: "Umbrella Corp"
      account: Assets:Receivable:Umbrella

    2026-01-01 custom "ar-customer" "kaiju"
      name: "Kaiju KK"
      account: Assets:Receivable:Kaiju
""")

BEAN_AR = Path(sys.executable).parent / "bean-ar"


def write_ledger(directory: Path, body: str, *, header: str = HEADER,
                 name: str = "ledger.beancount") -> Path:
    """Write `header` and the dedented `body` to `directory/name`; return the path."""
    path = directory / name
    path.write_text(header + "\n" + textwrap.dedent(body), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of `path` that starts with `text`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(text):
            return number
    msg = f"{text!r} not in {path}"
    raise AssertionError(msg)


def invoke(*args: str | Path, env: Mapping[str, str | None] | None = None) -> Result:
    """Run `bean-ar ARGS` in-process (stdout and stderr kept apart)."""
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def report(directory: Path, body: str, command: str, *options: str,
           as_of: str = AS_OF, output_format: str = "csv") -> str:
    """`bean-ar COMMAND LEDGER --as-of AS_OF --format FORMAT OPTIONS` on a clean ledger."""
    path = write_ledger(directory, body)
    result = invoke(command, path, "--as-of", as_of, "--format", output_format, *options)
    assert result.exit_code == 0, result.output
    assert result.stderr == "", result.stderr
    return result.stdout


def aging_csv(directory: Path, body: str, *options: str, as_of: str = AS_OF) -> str:
    """The aging report as CSV text."""
    return report(directory, body, "aging", *options, as_of=as_of)


def overdue_csv(directory: Path, body: str, *options: str, as_of: str = AS_OF) -> str:
    """The overdue report as CSV text."""
    return report(directory, body, "overdue", *options, as_of=as_of)


def csv_text(text: str) -> str:
    """Expected CSV written as an indented block in a test: dedented, one final newline."""
    return textwrap.dedent(text).strip() + "\n"
