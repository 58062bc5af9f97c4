"""`bean-ar forecast --backtest`, contract section 12: the forecast beside the cash that came.

The ledgers are written by `forecast_ledgers`; the backtest is as of Tuesday
2026-06-30 (ISO week 2026-W27) unless a test says otherwise. Also: bad usage,
and the README's examples, run on the example ledger.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from forecast_ledgers import AS_OF, YEAR_HEADER, invoice, paid, run, settled
from ledgers import csv_text, invoke, write_ledger

BACKTEST = (
    settled("acme", 10, "1000.00", "1000.00", "1000.00")
    # acme, 10 days late: model W28 (11 July), naive W27; paid in W28.
    + invoice("A4", "acme", "2026-07-01", "1000.00") + paid("A4", "acme", "2026-07-10", "1000.00")
    # 200 of 1000 paid before the backtest's day: 800 open, due Friday 3 July: model
    # 13 July (W29), naive W27; paid on 6 July (W28).
    + invoice("A5", "acme", "2026-07-03", "1000.00") + paid("A5", "acme", "2026-06-15", "200.00")
    + paid("A5", "acme", "2026-07-06", "800.00")
    # globex has no history of its own: the USD portfolio (acme's 10): due 15 July,
    # model 25 July (W30: later with 3 weeks), naive W29; paid 16 July (W29).
    # Refunded 100 of it the next day (less cash), paid again after the weeks shown.
    + invoice("G1", "globex", "2026-07-15", "500.00")
    + paid("G1", "globex", "2026-07-16", "500.00")
    + '2026-07-17 * "Globex Inc" "Refund" ^G1\n'
      "  Assets:Receivable:Globex  100.00 USD\n  Assets:Bank:Checking  -100.00 USD\n\n"
    + paid("G1", "globex", "2026-08-25", "100.00")
    # disputed: model later; naive W28 (due 8 July); paid after the weeks shown.
    + invoice("U1", "umbrella", "2026-07-08", "400.00")
    + '2026-06-01 custom "ar-dispute" "U1" "Wrong rate"\n\n'
    + paid("U1", "umbrella", "2026-08-20", "400.00")
    # the portfolio's 10 days: model later, naive W29; a credit note is no cash, and
    # the rest is paid after --as-of: no actual at all.
    + invoice("K1", "kaiju", "2026-07-14", "300.00")
    + paid("K1", "kaiju", "2026-07-15", "100.00", tag="credit-note")
    + paid("K1", "kaiju", "2026-09-01", "200.00")
)


def test_backtest_sets_model_and_naive_beside_the_cash_and_ends_with_the_wape(
        tmp_path: Path) -> None:
    output = run(tmp_path, BACKTEST, "--backtest", "2026-06-30", "--weeks", "3",
                 as_of="2026-08-31")
    # Weeks: model |0-0| + |1800-1000| + |400-800| = 1200 over 2200 cash -> 54.545 %;
    # naive |0-1800| + |1800-400| + |400-800| = 3600 / 2200 -> 163.636 %.
    assert output == csv_text("""
        week,currency,expected,naive,actual
        2026-W27,USD,0.00,1800.00,0.00
        2026-W28,USD,1000.00,400.00,1800.00
        2026-W29,USD,800.00,800.00,400.00
        later,USD,1200.00,0.00,500.00
        WAPE model 54.5% naive 163.6%
    """)


def test_backtest_is_the_forecast_of_the_ledger_cut_at_its_day(tmp_path: Path) -> None:
    cut = "\n".join(block for block in BACKTEST.split("\n\n")
                    if block and block[:10] <= "2026-06-30") + "\n"
    full = run(tmp_path, BACKTEST, "--backtest", "2026-06-30", "--weeks", "3",
               as_of="2026-08-31", output_format="json")
    expected = [[row["week"], row["currency"], row["expected"]]
                for row in json.loads(full)["rows"]]
    forecast = json.loads(run(tmp_path, cut, "--weeks", "3", output_format="json"))
    assert [[row["week"], row["currency"], row["expected"]] for row in forecast] == expected


def test_backtest_json_and_an_undefined_wape(tmp_path: Path) -> None:
    body = invoice("INV-1", "acme", "2026-07-08", "100.00")
    output = run(tmp_path, body, "--backtest", "2026-06-30", "--weeks", "1",
                 as_of="2026-07-31", output_format="json")
    assert json.loads(output) == {
        "rows": [{"week": "2026-W27", "currency": "USD", "expected": "0.00", "naive": "0.00",
                  "actual": "0.00"},
                 {"week": "later", "currency": "USD", "expected": "100.00", "naive": "100.00",
                  "actual": "0.00"}],
        "wape": {"model": "", "naive": ""}}
    csv_output = run(tmp_path, body, "--backtest", "2026-06-30", "--weeks", "1",
                     as_of="2026-07-31")
    assert csv_output.splitlines()[-1] == "WAPE model % naive %"


@pytest.mark.parametrize(("options", "message"), [
    (("--backtest", "2026-06-30"), "is not before --as-of 2026-06-30"),
    (("--backtest", "2026-07-01"), "is not before --as-of 2026-06-30"),
    (("--weeks", "0"), "--weeks"),
    (("--weeks", "521"), "--weeks"),
    (("--backtest", "30.6.2026"), "is not a date"),
])
def test_bad_usage_exits_2(tmp_path: Path, options: tuple[str, ...], message: str) -> None:
    path = write_ledger(tmp_path, invoice("INV-1", "acme", "2026-07-08", "1.00"),
                        header=YEAR_HEADER)
    result = invoke("forecast", path, "--as-of", AS_OF, *options)
    assert result.exit_code == 2
    assert message in result.stderr


def test_backtest_weeks_past_as_of_are_warned_about(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, invoice("INV-1", "acme", "2026-07-08", "1.00"),
                        header=YEAR_HEADER)
    result = invoke("forecast", path, "--backtest", "2026-06-30", "--as-of", "2026-07-10",
                    "--weeks", "2", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("bean-ar: warning: the last week shown ends on 2026-07-12, after "
                             "--as-of 2026-07-10: the cash of the days after it is not in "
                             "`actual`\n")


def test_the_readme_shows_what_the_example_prints() -> None:
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    example = root / "ledger" / "example.beancount"
    section = readme[readme.index("### Forecast"):readme.index("## Collections")]
    blocks = [block.split("```")[0] for block in section.split("```sh\n$ ")[1:]]
    assert len(blocks) == 2  # the forecast and the backtest
    for block in blocks:
        command, *shown = block.strip().splitlines()
        arguments = command.split(" | ")[0].split()[2:]
        assert arguments[0] == "ledger/example.beancount"
        result = invoke("forecast", example, *arguments[1:], "--no-cache")  # writes nothing
        assert result.exit_code == 0, result.output
        printed = result.stdout.splitlines()
        if "| tail -1" in command:
            printed = printed[-1:]
        head, _, tail = "\n".join(shown).partition("\n...\n")
        assert "\n".join(printed).startswith(head)
        assert "\n".join(printed).endswith(tail)
