"""The collections commands on the command line: --record, the hand-over file, formats.

`bean-ar dunning --record` and `escalations --record` append status events to a
file of the ledger through the writer (AR-SPEC section 14): refused, with
nothing written, for a file outside the ledger or one changed since it was read.
"""

from __future__ import annotations

import json
from textwrap import dedent
from typing import TYPE_CHECKING

import pytest
from beancount import loader
from ledgers import csv_text, invoke, write_ledger

if TYPE_CHECKING:
    from pathlib import Path

LEDGER = dedent("""
    2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
      Assets:Receivable:Acme         1000.00 USD
      Income:Consulting             -1000.00 USD

    2026-05-01 * "Globex Inc" "Consulting" ^INV-2 #invoice
      Assets:Receivable:Globex        250.00 USD
      Income:Consulting              -250.00 USD
""")
DUNNING_HEADER = ("customer,invoice,currency,due,days_overdue,open,level,interest,compensation,"
                  "fee,total")


def test_record_appends_one_event_per_letter_and_a_second_run_finds_nothing(
        tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    before = path.read_text(encoding="utf-8")
    first = invoke("dunning", path, "--as-of", "2026-06-30", "--format", "csv", "--record")
    assert first.exit_code == 0, first.output
    assert first.stdout == csv_text(f"""
        {DUNNING_HEADER}
        acme,INV-1,USD,2026-05-31,30,1000.00,1,0.00,0.00,0.00,1000.00
        globex,INV-2,USD,2026-05-31,30,250.00,1,0.00,0.00,0.00,250.00
    """)
    assert first.stderr == f"bean-ar: recorded 2 letter(s) in {path}\n"
    assert path.read_text(encoding="utf-8") == before + (
        '\n2026-06-30 custom "ar-dunning" "INV-1" 1\n'
        '2026-06-30 custom "ar-dunning" "INV-2" 1\n')
    _, errors, _ = loader.load_file(str(path))  # bean-check passes after as before
    assert errors == []
    after = path.read_bytes()
    again = invoke("dunning", path, "--as-of", "2026-06-30", "--format", "csv", "--record")
    assert again.exit_code == 0, again.output
    assert again.stdout == DUNNING_HEADER + "\n"
    assert again.stderr == "bean-ar: no letters due; nothing recorded\n"
    assert path.read_bytes() == after


def test_record_into_an_included_file(tmp_path: Path) -> None:
    events = tmp_path / "events.beancount"
    events.write_text("; collection letters\n", encoding="utf-8")
    path = write_ledger(tmp_path, LEDGER + 'include "events.beancount"\n')
    result = invoke("dunning", path, "--as-of", "2026-06-30", "--record", str(events))
    assert result.exit_code == 0, result.output
    assert events.read_text(encoding="utf-8") == (
        "; collection letters\n\n"
        '2026-06-30 custom "ar-dunning" "INV-1" 1\n'
        '2026-06-30 custom "ar-dunning" "INV-2" 1\n')


def test_record_refuses_a_file_outside_the_ledger(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    other = tmp_path / "other.beancount"
    other.write_text("; not included\n", encoding="utf-8")
    before = path.read_bytes()
    result = invoke("dunning", path, "--as-of", "2026-06-30", "--record", str(other))
    assert result.exit_code == 2
    assert result.stderr == (f"bean-ar: --record {other} is not a file of the ledger {path} "
                             "(the top file or one it includes); nothing written\n")
    assert other.read_text(encoding="utf-8") == "; not included\n"
    assert path.read_bytes() == before
    missing = invoke("dunning", path, "--as-of", "2026-06-30", "--record",
                     str(tmp_path / "nope.beancount"))
    assert missing.exit_code == 2
    assert "nothing written" in missing.stderr
    assert not (tmp_path / "nope.beancount").exists()


def test_record_refuses_a_file_changed_since_it_was_read(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_ledger(tmp_path, LEDGER)
    edit = "; edited by someone else meanwhile\n"

    def meanwhile(*args: object) -> None:
        del args
        with path.open("a", encoding="utf-8") as file:
            file.write(edit)

    import beancount_ar.cli.letters

    monkeypatch.setattr(beancount_ar.cli.letters, "deliver_letters", meanwhile)
    before = path.read_text(encoding="utf-8")
    result = invoke("dunning", path, "--as-of", "2026-06-30", "--record")
    assert result.exit_code == 2
    assert result.stderr == (f"bean-ar: --record: {path.resolve()} changed since it was read; "
                             "nothing written (run the command again)\n")
    assert path.read_text(encoding="utf-8") == before + edit


ESCALATE = LEDGER + dedent("""
    2026-06-07 custom "ar-dunning" "INV-1" 1
    2026-06-21 custom "ar-dunning" "INV-1" 2
    2026-07-15 custom "ar-dunning" "INV-1" 3
""")
HANDOVER_HEADER = ("customer,name,address,tax_id,email,invoice,currency,date,due,days_overdue,"
                   "amount,open,letters,last_letter,interest,compensation,total")


def test_escalations_record_agency_and_the_queue_empties(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, ESCALATE)
    result = invoke("escalations", path, "--as-of", "2026-07-30", "--format", "csv",
                    "--record", "agency")
    assert result.exit_code == 0, result.output
    assert result.stdout == csv_text("""
        customer,invoice,currency,due,days_overdue,open,last_letter,interest,compensation,total
        acme,INV-1,USD,2026-05-31,60,1000.00,2026-07-15,0.00,0.00,1000.00
    """)
    assert path.read_text(encoding="utf-8").endswith(
        '\n2026-07-30 custom "ar-escalate" "INV-1" "agency"\n')
    again = invoke("escalations", path, "--as-of", "2026-07-30", "--format", "csv")
    assert again.stdout.count("\n") == 1
    overdue = invoke("overdue", path, "--as-of", "2026-07-30", "--format", "csv")
    assert "INV-1,acme,USD,2026-05-01,2026-05-31,60,1000.00,1000.00,collections" in overdue.stdout


def test_escalations_file_argument_needs_record(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, ESCALATE)
    result = invoke("escalations", path, str(path), "--as-of", "2026-07-30")
    assert result.exit_code == 2
    assert "give --record too" in result.stderr


def test_the_hand_over_file_masks_card_numbers_and_says_what_it_holds(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, ESCALATE + dedent("""
        2026-02-01 custom "ar-customer" "acme"
          address: "1 Road Runner Way, card 4111 1111 1111 1111"
          tax-id: "US-12-3456789"
          email: "ap@acme.example"
    """))
    out = tmp_path / "handover.csv"
    result = invoke("escalations", path, "--as-of", "2026-07-30", "-o", str(out),
                    "--ignore-errors", "--format", "csv")  # the card number is AR401
    assert result.exit_code == 0, result.output
    assert f"bean-ar: {out}: 1 invoice(s) of 1 debtor(s), with customer, name" in result.stderr
    assert out.read_text(encoding="utf-8") == csv_text(f"""
        {HANDOVER_HEADER}
        acme,Acme Corp,"1 Road Runner Way, card **** **** **** 1111",US-12-3456789,ap@acme.example,INV-1,USD,2026-05-01,2026-05-31,60,1000.00,1000.00,1@2026-06-07 2@2026-06-21 3@2026-07-15,2026-07-15,0.00,0.00,1000.00
    """)  # noqa: E501
    assert "4111" not in out.read_text(encoding="utf-8")


def test_the_hand_over_file_never_overwrites_the_ledger(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, ESCALATE)
    before = path.read_bytes()
    result = invoke("escalations", path, "--as-of", "2026-07-30", "-o", str(path))
    assert result.exit_code == 2
    assert "is a file of the ledger" in result.stderr
    assert path.read_bytes() == before


def test_json_and_table(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER)
    result = invoke("dunning", path, "--as-of", "2026-06-30", "--format", "json")
    assert json.loads(result.stdout)[0] == {
        "customer": "acme", "invoice": "INV-1", "currency": "USD", "due": "2026-05-31",
        "days_overdue": 30, "open": "1000.00", "level": 1, "interest": "0.00",
        "compensation": "0.00", "fee": "0.00", "total": "1000.00"}
    table = invoke("dunning", path, "--as-of", "2026-06-30")
    assert table.stdout.startswith("Letters due on 2026-06-30\n\nCustomer  Invoice  Cur")
    assert "TOTAL" in table.stdout
    assert "1,250.00" in table.stdout
    empty = invoke("dunning", path, "--as-of", "2026-06-01", "--format", "json")
    assert empty.stdout == "[]\n"


@pytest.mark.parametrize(("command", "header"), [
    ("dunning", DUNNING_HEADER),
    ("escalations", ("customer,invoice,currency,due,days_overdue,open,last_letter,interest,"
                    "compensation,total")),
    ("disputes", "invoice,customer,currency,disputed_since,days,open,reason"),
    ("interest", "invoice,customer,currency,due,settled,days_late,interest,compensation"),
])
def test_nothing_to_show_prints_the_header_alone(tmp_path: Path, command: str,
                                                 header: str) -> None:
    path = write_ledger(tmp_path, "")
    result = invoke(command, path, "--as-of", "2026-06-30", "--format", "csv")
    assert (result.exit_code, result.stdout, result.stderr) == (0, header + "\n", "")


def test_disputes_oldest_first_with_the_open_dispute(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, LEDGER + dedent("""
        2026-05-10 custom "ar-dispute" "INV-1" "Hours disputed"
        2026-05-20 custom "ar-resolve" "INV-1"
        2026-06-02 custom "ar-dispute" "INV-1" "Rate disputed"
        2026-05-15 custom "ar-dispute" "INV-2" "Not delivered"
        2026-06-10 custom "ar-escalate" "INV-2" "legal"
    """))
    result = invoke("disputes", path, "--as-of", "2026-06-30", "--format", "csv")
    assert result.stdout == csv_text("""
        invoice,customer,currency,disputed_since,days,open,reason
        INV-2,globex,USD,2026-05-15,46,250.00,Not delivered
        INV-1,acme,USD,2026-06-02,28,1000.00,Rate disputed
    """)
