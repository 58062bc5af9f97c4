"""`bean-ar kpi` and `collectors` on the example ledger: the README's examples as printed.

The README's KPIs section shows commands with their output (`...` for lines
left out); each is run here on `ledger/example.beancount` and must print what
the README shows. And the collectors' figures there add up to the whole.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from ledgers import invoke

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "ledger" / "example.beancount"


def _run(*arguments: str) -> str:
    result = invoke(*arguments, "--no-cache")  # writes no cache beside the example
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_readme_shows_what_the_example_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## KPIs\n"):readme.index("## Checks for ledger commits")]
    blocks = [block.split("```")[0] for block in section.split("```sh\n$ ")[1:]]
    assert len(blocks) == 2  # the trend and the collectors' review
    for block in blocks:
        command, *shown = block.strip("\n").splitlines()
        name, ledger, *options = command.split()[1:]
        assert ledger == "ledger/example.beancount"
        printed = _run(name, str(EXAMPLE), *options).rstrip("\n")
        head, _, tail = "\n".join(shown).partition("\n...\n")
        assert printed.startswith(head), (command, printed)
        assert printed.endswith(tail), (command, printed)


def test_the_collectors_add_up_to_the_whole() -> None:
    def rows(*options: str) -> list[dict[str, str]]:
        text = _run(*options, str(EXAMPLE), "--as-of", "2026-11-30", "--format", "csv")
        return list(csv.DictReader(io.StringIO(text)))

    whole = {r["currency"]: r for r in rows("kpi", "--months", "1")}
    review = rows("collectors")
    by_collector = {(r["scope"], r["currency"]): r
                    for r in rows("kpi", "--months", "1", "--by", "collector")}
    for currency, row in whole.items():
        mine = [r for r in review if r["currency"] == currency]
        assert sum(Decimal(r["open"]) for r in mine) == Decimal(row["receivables"])
        assert sum(Decimal(r["sales"]) for r in mine) == Decimal(row["sales"])
    for r in review:  # the review's DSO and CEI are kpi's for the collector
        figures = by_collector[r["collector"], r["currency"]]
        assert (r["dso"], r["cei"], r["average_days_late"]) == (
            figures["dso"], figures["cei"], figures["average_days_late"])
