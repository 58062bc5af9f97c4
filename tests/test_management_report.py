"""`-o FILE` of `bean-ar collections` (and `kpi`): the tables as a short management report.

The PDF is read back with `pdftotext`: every row the command prints for people
is in it, a chart per currency above its table; it is refused over a ledger file.
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from click.testing import CliRunner
from fava_ledgers import EXAMPLE

from beancount_ar.cli import main

if TYPE_CHECKING:
    from pathlib import Path

COLLECTIONS = ["collections", str(EXAMPLE), "--period", "month", "--from", "2026-09-01",
               "--to", "2026-11-30"]


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_collections_report_holds_the_table_for_people(tmp_path: Path) -> None:
    table = CliRunner().invoke(main, COLLECTIONS)
    assert table.exit_code == 0, table.output
    report = tmp_path / "report.pdf"
    written = CliRunner().invoke(main, [*COLLECTIONS, "-o", str(report)])
    assert written.exit_code == 0, written.output
    assert written.stderr == f"bean-ar: wrote {report}\n"
    assert report.read_bytes().startswith(b"%PDF-")
    text = " ".join(_text(report).split())
    assert "Billed and collected by month, 2026-09-01 to 2026-11-30" in text
    for line in table.stdout.splitlines()[4:]:
        if line and not line.startswith("-"):
            cells = line.split()
            assert " ".join(c for c in cells if c not in {"Corp", "Inc."}) in text or \
                all(cell in text for cell in cells), line


def test_the_html_report_draws_a_chart_per_currency(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    assert CliRunner().invoke(main, [*COLLECTIONS, "-o", str(report)]).exit_code == 0
    html = report.read_text(encoding="utf-8")
    assert html.count('<svg class="chart"') == 3  # CZK, EUR, USD
    assert "<script" not in html


def test_a_report_over_a_ledger_file_is_refused(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.beancount"
    ledger.write_text('plugin "beancount_ar"\n2026-01-01 open Assets:Receivable:Acme\n'
                      '2026-01-01 open Income:Consulting\n'
                      '2026-01-01 custom "ar-customer" "acme"\n  name: "Acme"\n'
                      '  account: Assets:Receivable:Acme\n'
                      '2026-01-05 * "Acme" "Work" ^INV-1 #invoice\n'
                      '  Assets:Receivable:Acme  100.00 USD\n  Income:Consulting\n',
                      encoding="utf-8")
    before = ledger.read_bytes()
    result = CliRunner().invoke(main, ["collections", str(ledger), "--to", "2026-11-30",
                                       "-o", str(ledger)])
    assert result.exit_code == 2
    assert ledger.read_bytes() == before


def test_the_kpi_trend_report_charts_dso_and_cei(tmp_path: Path) -> None:
    command = ["kpi", str(EXAMPLE), "--as-of", "2026-11-30", "--trend", "12"]
    table = CliRunner().invoke(main, command)
    report = tmp_path / "kpi.pdf"
    written = CliRunner().invoke(main, [*command, "-o", str(report)])
    assert written.exit_code == 0, written.output
    assert written.stdout == table.stdout  # the table is printed as without -o
    text = " ".join(_text(report).split())
    assert "Receivables KPIs at the end of each of the last 12 months" in text
    for line in table.stdout.splitlines():
        if line.startswith("2026-11"):
            assert " ".join(line.split()) in text, line
    html = tmp_path / "kpi.html"
    assert CliRunner().invoke(main, [*command, "-o", str(html)]).exit_code == 0
    assert html.read_text(encoding="utf-8").count('<svg class="chart"') == 3
