"""`bean-ar aging|overdue`: formats, exit status, errors, LEDGER from the environment.

Exit status: 0 success, 1 the ledger has errors, 2 bad usage (contract section 7,
and `bean-ar --help`).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from textwrap import dedent
from typing import TYPE_CHECKING

import pytest
from ledgers import AGING_HEADER, BEAN_AR, HEADER, csv_text, invoke, line_of, write_ledger

if TYPE_CHECKING:
    from pathlib import Path

SNIPPET = dedent("""
    2026-05-01 * "Acme Corp" "Consulting" ^INV-2026-001 #invoice
      due: 2026-05-31
      Assets:Receivable:Acme       12345.67 USD
      Income:Consulting           -12345.67 USD

    2026-06-01 * "Globex Inc" "Consulting" ^INV-2026-002 #invoice
      Assets:Receivable:Globex     1000000.00 EUR
      Income:Consulting           -1000000.00 EUR
""")

SNIPPET_AGING_CSV = csv_text("""
    customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
    acme,USD,0.00,0.00,12345.67,0.00,0.00,0.00,12345.67
    globex,EUR,0.00,1000000.00,0.00,0.00,0.00,0.00,1000000.00
    TOTAL,EUR,0.00,1000000.00,0.00,0.00,0.00,0.00,1000000.00
    TOTAL,USD,0.00,0.00,12345.67,0.00,0.00,0.00,12345.67
""")

# A payment that names no invoice, and an invoice number used twice.
BROKEN = dedent("""
    2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
      Assets:Receivable:Acme         100.00 USD
      Income:Consulting             -100.00 USD

    2026-05-02 * "Acme Corp" "Consulting again" ^INV-1 #invoice
      Assets:Receivable:Acme         200.00 USD
      Income:Consulting             -200.00 USD
""")

UNPARSABLE = dedent("""
    2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
      Assets:Receivable:Acme         one hundred USD
      Income:Consulting
""")


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, SNIPPET)


def run_bean_ar(*args: str | Path, env: dict[str, str] | None = None,
                ) -> subprocess.CompletedProcess[str]:
    """The installed `bean-ar` executable, in a subprocess."""
    return subprocess.run([str(BEAN_AR), *map(str, args)], capture_output=True, text=True,
                          check=False, timeout=120, env=env)


# --- table ---------------------------------------------------------------------------


def test_aging_table_shows_names_thousands_separators_and_totals(ledger_path: Path) -> None:
    result = invoke("aging", ledger_path, "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    acme = next(line for line in lines if line.startswith("acme"))
    assert re.search(r"^acme\s+Acme Corp\s+USD\b", acme)
    assert "12,345.67" in acme
    globex = next(line for line in lines if line.startswith("globex"))
    assert re.search(r"^globex\s+Globex Inc\s+EUR\b", globex)
    assert "1,000,000.00" in globex
    totals = [line for line in lines if line.startswith("TOTAL")]
    assert len(totals) == 2
    assert "EUR" in totals[0]
    assert "1,000,000.00" in totals[0]
    assert "USD" in totals[1]
    assert "12,345.67" in totals[1]
    # The table is for people; the CSV is for machines and has no separators.
    assert "12345.67" not in result.stdout


def test_table_is_the_default_format(ledger_path: Path) -> None:
    default = invoke("aging", ledger_path, "--as-of", "2026-06-30")
    table = invoke("aging", ledger_path, "--as-of", "2026-06-30", "--format", "table")
    assert default.exit_code == table.exit_code == 0
    assert default.stdout == table.stdout


def test_overdue_table_shows_names_thousands_separators_and_totals(ledger_path: Path) -> None:
    result = invoke("overdue", ledger_path, "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    row = next(line for line in lines if line.startswith("INV-2026-001"))
    assert re.search(r"^INV-2026-001\s+acme\s+Acme Corp\s+USD\b", row)
    assert "12,345.67" in row
    assert "INV-2026-002" not in result.stdout  # not yet due
    total = next(line for line in lines if line.startswith("TOTAL"))
    assert "12,345.67" in total


# --- csv and json ---------------------------------------------------------------------


def test_aging_csv(ledger_path: Path) -> None:
    result = invoke("aging", ledger_path, "--as-of", "2026-06-30", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == SNIPPET_AGING_CSV


@pytest.mark.parametrize("command", ["aging", "overdue"])
def test_json_parses(ledger_path: Path, command: str) -> None:
    result = invoke(command, ledger_path, "--as-of", "2026-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert isinstance(records, list)
    assert records
    assert all(isinstance(record, dict) for record in records)


def test_default_as_of_is_today(tmp_path: Path) -> None:
    today = datetime.datetime.now().astimezone().date()
    path = write_ledger(tmp_path, f"""
        2026-01-02 * "Acme Corp" "Consulting" ^INV-1 #invoice
          due: {max(today, datetime.date(2026, 1, 2)) + datetime.timedelta(days=3)}
          Assets:Receivable:Acme         100.00 USD
          Income:Consulting             -100.00 USD
    """)
    implicit = invoke("aging", path, "--format", "csv")
    explicit = invoke("aging", path, "--format", "csv", "--as-of", today.isoformat())
    assert implicit.exit_code == explicit.exit_code == 0
    assert implicit.stdout == explicit.stdout


# --- LEDGER from the environment ------------------------------------------------------


@pytest.mark.parametrize("command", ["aging", "overdue"])
def test_ledger_from_beancount_file(ledger_path: Path, command: str) -> None:
    from_env = invoke(command, "--as-of", "2026-06-30", "--format", "csv",
                      env={"BEANCOUNT_FILE": str(ledger_path)})
    given = invoke(command, ledger_path, "--as-of", "2026-06-30", "--format", "csv")
    assert from_env.exit_code == 0, from_env.output
    assert from_env.stdout == given.stdout


def test_aging_from_beancount_file_exact(ledger_path: Path) -> None:
    result = invoke("aging", "--as-of", "2026-06-30", "--format", "csv",
                    env={"BEANCOUNT_FILE": str(ledger_path)})
    assert result.exit_code == 0, result.output
    assert result.stdout == SNIPPET_AGING_CSV


def test_no_ledger_and_no_beancount_file_is_a_usage_error() -> None:
    result = invoke("aging", "--format", "csv", env={"BEANCOUNT_FILE": None})
    assert result.exit_code == 2
    assert "LEDGER" in result.output
    assert "Traceback" not in result.output


# --- usage errors: exit 2 -------------------------------------------------------------


@pytest.mark.parametrize("command", ["aging", "overdue"])
def test_missing_file_is_a_usage_error(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "nowhere.beancount"
    result = invoke(command, missing, "--format", "csv")
    assert result.exit_code == 2
    assert "nowhere.beancount" in result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.parametrize("as_of", ["2026-13-01", "yesterday", "30/06/2026", "2026-02-30", ""])
def test_bad_as_of_is_a_usage_error(ledger_path: Path, as_of: str) -> None:
    result = invoke("aging", ledger_path, "--as-of", as_of, "--format", "csv")
    assert result.exit_code == 2
    assert "--as-of" in result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_bad_as_of_on_overdue_is_a_usage_error(ledger_path: Path) -> None:
    result = invoke("overdue", ledger_path, "--as-of", "June", "--format", "csv")
    assert result.exit_code == 2
    assert "--as-of" in result.output


@pytest.mark.parametrize("buckets", ["abc", "45,15", "15,15", "0,30", "-5,10", "", "15,,45",
                                     "15.5,45"])
def test_bad_buckets_is_a_usage_error(ledger_path: Path, buckets: str) -> None:
    result = invoke("aging", ledger_path, "--buckets", buckets, "--format", "csv")
    assert result.exit_code == 2
    assert "--buckets" in result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.parametrize("option", [("--format", "xml"), ("--basis", "payment")])
def test_bad_choice_is_a_usage_error(ledger_path: Path, option: tuple[str, str]) -> None:
    result = invoke("aging", ledger_path, *option)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_single_bucket_edge_is_allowed(ledger_path: Path) -> None:
    result = invoke("aging", ledger_path, "--as-of", "2026-06-30", "--buckets", "30",
                    "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "customer,currency,unapplied,current,1-30,30+,total"


# --- ledger errors: exit 1 ------------------------------------------------------------


@pytest.mark.parametrize("command", ["aging", "overdue"])
def test_ledger_with_an_ar_error_exits_1_naming_file_line_and_code(
        tmp_path: Path, command: str) -> None:
    path = write_ledger(tmp_path, BROKEN)
    line = line_of(path, '2026-05-02 * "Acme Corp" "Consulting again"')
    result = invoke(command, path, "--as-of", "2026-06-30", "--format", "csv")
    assert result.exit_code == 1
    assert result.stdout == ""  # no report on a ledger with errors
    assert f"{path}:{line}: AR101" in result.stderr
    assert "INV-1" in result.stderr
    assert "Traceback" not in result.output


def test_payment_applied_to_no_invoice_is_reported_inside_its_entry(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, """
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme         100.00 USD
          Income:Consulting             -100.00 USD

        2026-06-01 * "Acme Corp" "Payment, no link"
          Assets:Bank:Checking           100.00 USD
          Assets:Receivable:Acme        -100.00 USD
    """)
    first = line_of(path, '2026-06-01 * "Acme Corp" "Payment, no link"')
    result = invoke("aging", path, "--as-of", "2026-06-30", "--format", "csv")
    assert result.exit_code == 1
    match = re.search(rf"^{re.escape(str(path))}:(\d+): AR201 ", result.stderr, re.MULTILINE)
    assert match, result.stderr
    assert first <= int(match.group(1)) <= first + 2
    assert "Traceback" not in result.output


def test_unparsable_ledger_exits_1_naming_file_and_line(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, UNPARSABLE)
    line = line_of(path, "  Assets:Receivable:Acme         one hundred USD")
    result = invoke("aging", path, "--as-of", "2026-06-30", "--format", "csv")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{path}:{line}:" in result.stderr
    assert "Traceback" not in result.output


def test_ignore_errors_prints_the_report(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, BROKEN)
    result = invoke("aging", path, "--as-of", "2026-06-30", "--format", "csv",
                    "--ignore-errors")
    assert result.exit_code == 0
    assert result.stdout.startswith(AGING_HEADER + "\n")
    assert "\nacme,USD," in result.stdout
    assert "AR101" in result.stderr  # the errors are still listed


def test_ignore_errors_on_overdue(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, BROKEN)
    result = invoke("overdue", path, "--as-of", "2026-06-30", "--format", "csv",
                    "--ignore-errors")
    assert result.exit_code == 0
    assert "\nINV-1,acme,USD,2026-05-01,2026-05-31,30,100.00,100.00,overdue\n" in result.stdout


def test_no_cache_gives_the_same_report(ledger_path: Path) -> None:
    result = invoke("aging", ledger_path, "--as-of", "2026-06-30", "--format", "csv",
                    "--no-cache")
    assert result.exit_code == 0, result.output
    assert result.stdout == SNIPPET_AGING_CSV


# --- the installed executable ---------------------------------------------------------


def test_installed_bean_ar_prints_the_aging_csv(ledger_path: Path) -> None:
    done = run_bean_ar("aging", ledger_path, "--as-of", "2026-06-30", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout == SNIPPET_AGING_CSV
    assert done.stderr == ""


def test_installed_bean_ar_reads_beancount_file(ledger_path: Path) -> None:
    env = {**os.environ, "BEANCOUNT_FILE": str(ledger_path)}
    done = run_bean_ar("overdue", "--as-of", "2026-06-30", "--format", "csv", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == csv_text("""
        invoice,customer,currency,date,due,days_overdue,amount,open,status
        INV-2026-001,acme,USD,2026-05-01,2026-05-31,30,12345.67,12345.67,overdue
    """)


def test_installed_bean_ar_missing_file_exits_2_without_traceback(tmp_path: Path) -> None:
    done = run_bean_ar("aging", tmp_path / "nowhere.beancount")
    assert done.returncode == 2
    assert "nowhere.beancount" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_installed_bean_ar_ledger_errors_exit_1_without_traceback(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, BROKEN)
    line = line_of(path, '2026-05-02 * "Acme Corp" "Consulting again"')
    done = run_bean_ar("aging", path, "--as-of", "2026-06-30", "--format", "csv")
    assert done.returncode == 1
    assert done.stdout == ""
    assert f"{path}:{line}: AR101" in done.stderr
    assert "Traceback" not in done.stderr


def test_installed_bean_ar_unparsable_exits_1_without_traceback(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, UNPARSABLE)
    line = line_of(path, "  Assets:Receivable:Acme         one hundred USD")
    done = run_bean_ar("overdue", path, "--as-of", "2026-06-30")
    assert done.returncode == 1
    assert f"{path}:{line}:" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", ["aging", "overdue"])
def test_reports_do_not_import_the_web_or_pdf_stack(ledger_path: Path, command: str) -> None:
    code = dedent("""
        import sys
        from click.testing import CliRunner
        from beancount_ar.cli import main
        result = CliRunner().invoke(main, [sys.argv[2], sys.argv[1], "--format", "csv"])
        assert result.exit_code == 0, result.output
        heavy = {"flask", "fava", "jinja2", "pdfkit", "werkzeug"}
        print(sorted(m for m in sys.modules if m.split(".")[0] in heavy))
    """)
    done = subprocess.run([sys.executable, "-c", code, str(ledger_path), command],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# --- configuration, includes, odd paths -----------------------------------------------


def test_reports_use_the_configuration_on_the_plugin_line(tmp_path: Path) -> None:
    header = dedent("""\
        option "operating_currency" "USD"
        plugin "beancount_ar" "{'root': 'Assets:AR', 'default_terms': 'net 10'}"

        2026-01-01 open Assets:Bank:Checking
        2026-01-01 open Assets:AR:Acme
        2026-01-01 open Income:Consulting

        2026-01-01 custom "ar-customer" "acme"
          name: "Acme Corp"
          account: Assets:AR:Acme
    """)
    path = write_ledger(tmp_path, """
        2026-06-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:AR:Acme                 100.00 USD
          Income:Consulting             -100.00 USD
    """, header=header)
    # net 10 from 2026-06-01: due 2026-06-11, 19 days past due on 2026-06-30.
    aging = invoke("aging", path, "--as-of", "2026-06-30", "--format", "csv")
    assert aging.exit_code == 0, aging.output
    assert aging.stdout == csv_text("""
        customer,currency,unapplied,current,1-30,31-60,61-90,90+,total
        acme,USD,0.00,0.00,100.00,0.00,0.00,0.00,100.00
        TOTAL,USD,0.00,0.00,100.00,0.00,0.00,0.00,100.00
    """)
    overdue = invoke("overdue", path, "--as-of", "2026-06-30", "--format", "csv")
    assert overdue.exit_code == 0, overdue.output
    assert overdue.stdout == csv_text("""
        invoice,customer,currency,date,due,days_overdue,amount,open,status
        INV-1,acme,USD,2026-06-01,2026-06-11,19,100.00,100.00,overdue
    """)


def test_error_in_an_included_file_names_that_file(tmp_path: Path) -> None:
    included = tmp_path / "invoices.beancount"
    included.write_text(BROKEN, encoding="utf-8")
    line = line_of(included, '2026-05-02 * "Acme Corp" "Consulting again"')
    path = write_ledger(tmp_path, 'include "invoices.beancount"\n', name="main.beancount")
    result = invoke("aging", path, "--as-of", "2026-06-30", "--format", "csv")
    assert result.exit_code == 1
    assert f"{included}:{line}: AR101" in result.stderr


def test_directory_as_ledger_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("aging", tmp_path, "--format", "csv")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_missing_beancount_file_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("overdue", "--format", "csv",
                    env={"BEANCOUNT_FILE": str(tmp_path / "nowhere.beancount")})
    assert result.exit_code == 2
    assert "nowhere.beancount" in result.output


def test_table_groups_zero_decimal_currencies(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, """
        2026-05-01 * "Kaiju KK" "Consulting" ^K-1 #invoice
          Assets:Receivable:Kaiju      1500000 JPY
          Income:Consulting           -1500000 JPY
    """)
    result = invoke("aging", path, "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("kaiju"))
    assert re.search(r"^kaiju\s+Kaiju KK\s+JPY\b", row)
    assert "1,500,000" in row
    assert "1,500,000.00" not in row


# --- a ledger that does not enable the suite (issue 8, point 10) ----------------------

NO_PLUGIN_HEADER = "\n".join(
    line for line in HEADER.splitlines() if not line.startswith("plugin ")) + "\n"


def _missing_plugin_warning(path: Path) -> str:
    return (f'bean-ar: warning: {path} has ar-* directives but no plugin "beancount_ar" line, '
            "so bean-check and Fava check none of its receivables; add the line\n"
            '    plugin "beancount_ar"\n'
            "at the top of the file (see README, 'Enable the suite')\n")


def test_no_plugin_line_warns_once_and_errors_do_not_send_you_to_bean_check(
        tmp_path: Path) -> None:
    path = write_ledger(tmp_path, BROKEN, header=NO_PLUGIN_HEADER)
    line = line_of(path, '2026-05-02 * "Acme Corp" "Consulting again"')
    first = line_of(path, '2026-05-01 * "Acme Corp" "Consulting"')
    result = invoke("aging", path, "--as-of", "2026-06-30", "--format", "csv")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        _missing_plugin_warning(path)
        + f"{path}:{line}: AR101 invoice INV-1 is used twice (first at {path}:{first}); "
        "give this invoice a new number\n"
        f"bean-ar: {path} has 1 error(s); fix them or pass --ignore-errors.\n")


def test_no_plugin_line_on_a_clean_ledger_warns_and_reports(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, SNIPPET, header=NO_PLUGIN_HEADER)
    result = invoke("aging", path, "--as-of", "2026-06-30", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == SNIPPET_AGING_CSV
    assert result.stderr == _missing_plugin_warning(path)


def test_with_the_plugin_line_errors_say_bean_check_lists_them_and_nothing_warns(
        tmp_path: Path) -> None:
    path = write_ledger(tmp_path, BROKEN)
    result = invoke("aging", path, "--as-of", "2026-06-30", "--format", "csv")
    assert result.exit_code == 1
    assert "warning" not in result.stderr
    assert result.stderr.endswith(f"bean-ar: {path} has 1 error(s); fix them "
                                  "(bean-check lists them too) or pass --ignore-errors.\n")
    bean_check = subprocess.run([str(BEAN_AR.parent / "bean-check"), str(path)],
                                capture_output=True, text=True, check=False, timeout=120)
    assert bean_check.returncode == 1
    assert "AR101" in bean_check.stdout + bean_check.stderr


def test_one_plugin_of_the_suite_is_enabled_enough(tmp_path: Path) -> None:
    header = HEADER.replace('plugin "beancount_ar"', 'plugin "beancount_ar.plugins.invoices"')
    path = write_ledger(tmp_path, SNIPPET, header=header)
    result = invoke("aging", path, "--as-of", "2026-06-30", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_no_ar_directives_and_no_plugin_line_is_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "plain.beancount"
    path.write_text("2026-01-01 open Assets:Bank:Checking\n", encoding="utf-8")
    result = invoke("aging", path, "--as-of", "2026-06-30", "--format", "csv")
    assert (result.exit_code, result.stderr) == (0, "")


def test_check_warns_about_a_missing_plugin_line_too(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, SNIPPET, header=NO_PLUGIN_HEADER)
    result = invoke("check", path)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == _missing_plugin_warning(path)
