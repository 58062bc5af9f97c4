"""`bean-ar dunning` and `escalations`, contract section 11: a snippet in, the exact CSV out.

Every ledger is `ledgers.HEADER` (customers acme, globex, umbrella, kaiju; net 30)
and the snippet; no policy in the ledger means the defaults: levels 7 21 45,
interval 14, escalate 60, interest none, no fees.
"""

from __future__ import annotations

from textwrap import dedent
from typing import TYPE_CHECKING

import pytest
from ledgers import csv_text, report

if TYPE_CHECKING:
    from pathlib import Path

DUNNING_HEADER = ("customer,invoice,currency,due,days_overdue,open,level,interest,compensation,"
                  "fee,total")
ESCALATIONS_HEADER = ("customer,invoice,currency,due,days_overdue,open,last_letter,interest,"
                      "compensation,total")

INVOICE = """
    2026-05-24 * "Acme Corp" "Consulting" ^INV-1 #invoice
      due: 2026-06-23
      Assets:Receivable:Acme         1000.00 USD
      Income:Consulting             -1000.00 USD
"""


def flat(text: str) -> str:
    """Snippets pieced together: entries at the margin, their metadata and postings indented."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(line if line[:1].isdigit() else "  " + line for line in lines) + "\n"


def dunning_csv(tmp_path: Path, snippet: str, as_of: str) -> str:
    return report(tmp_path, flat(INVOICE + "\n" + snippet), "dunning", as_of=as_of)


def row(days: int, level: int, total: str = "1000.00", fee: str = "0.00") -> str:
    return (f"{DUNNING_HEADER}\n"
            f"acme,INV-1,USD,2026-06-23,{days},1000.00,{level},0.00,0.00,{fee},{total}\n")


# --- thresholds and the interval ---------------------------------------------------


@pytest.mark.parametrize(("as_of", "expected"), [
    ("2026-06-29", None),  # 6 days overdue: below level 1's 7
    ("2026-06-30", 7),
    ("2026-07-20", 27),  # still level 1: the next level is one more than the highest sent
])
def test_the_first_letter_falls_due_at_seven_days(tmp_path: Path, as_of: str,
                                                  expected: int | None) -> None:
    text = dunning_csv(tmp_path, "", as_of)
    assert text == (DUNNING_HEADER + "\n" if expected is None else row(expected, 1))


@pytest.mark.parametrize(("as_of", "expected"), [
    ("2026-07-13", None),  # 20 days overdue, 13 since letter 1
    ("2026-07-14", 21),    # 21 days overdue, 14 since letter 1
])
def test_the_second_letter_at_twenty_one_days(tmp_path: Path, as_of: str,
                                               expected: int | None) -> None:
    text = dunning_csv(tmp_path, '2026-06-30 custom "ar-dunning" "INV-1" 1', as_of)
    assert text == (DUNNING_HEADER + "\n" if expected is None else row(expected, 2))


@pytest.mark.parametrize(("as_of", "expected"), [
    ("2026-07-14", None),  # 21 days overdue but letter 1 is 6 days old
    ("2026-07-21", None),  # 13 days old
    ("2026-07-22", 29),    # 14 days old
])
def test_the_interval_holds_the_next_letter_back(tmp_path: Path, as_of: str,
                                                  expected: int | None) -> None:
    text = dunning_csv(tmp_path, '2026-07-08 custom "ar-dunning" "INV-1" 1', as_of)
    assert text == (DUNNING_HEADER + "\n" if expected is None else row(expected, 2))


def test_the_third_letter_at_forty_five_days_then_no_more(tmp_path: Path) -> None:
    sent = """
        2026-06-30 custom "ar-dunning" "INV-1" 1
        2026-07-14 custom "ar-dunning" "INV-1" 2
    """
    assert dunning_csv(tmp_path, sent, "2026-08-06") == DUNNING_HEADER + "\n"  # 44 days
    assert dunning_csv(tmp_path, sent, "2026-08-07") == row(45, 3)
    after = sent + '2026-08-07 custom "ar-dunning" "INV-1" 3\n'
    assert dunning_csv(tmp_path, after, "2026-12-31") == DUNNING_HEADER + "\n"


def test_a_policy_of_its_own_levels_interval_and_fees(tmp_path: Path) -> None:
    policy = """
        2026-01-01 custom "ar-dunning-policy" "standard"
          levels: "3 10"
          interval: 5
          fees: "0 15.00"
        2026-06-26 custom "ar-dunning" "INV-1" 1
    """
    assert dunning_csv(tmp_path, policy, "2026-07-02") == DUNNING_HEADER + "\n"  # 9 days
    assert dunning_csv(tmp_path, policy, "2026-07-03") == row(10, 2, "1015.00", "15.00")


def test_a_later_policy_version_changes_only_what_it_gives_from_its_date(tmp_path: Path) -> None:
    policy = """
        2026-01-01 custom "ar-dunning-policy" "standard"
          levels: "3 10"
        2026-07-01 custom "ar-dunning-policy" "standard"
          interval: 30
        2026-06-26 custom "ar-dunning" "INV-1" 1
    """
    # Before 2026-07-01 the interval is the default 14; then 30 (levels stay 3 10).
    assert dunning_csv(tmp_path, policy, "2026-07-03") == DUNNING_HEADER + "\n"
    assert dunning_csv(tmp_path, policy, "2026-07-26") == row(33, 2)


def test_gentle_customers_follow_their_policy_none_customers_none(tmp_path: Path) -> None:
    snippet = """
        2026-01-01 custom "ar-dunning-policy" "gentle"
          levels: "30"
        2026-01-02 custom "ar-customer" "globex"
          dunning: "gentle"
        2026-01-02 custom "ar-customer" "umbrella"
          dunning: "none"
        2026-05-01 * "Globex Inc" "Consulting" ^INV-2 #invoice
          due: 2026-06-10
          Assets:Receivable:Globex        200.00 USD
          Income:Consulting              -200.00 USD
        2026-05-01 * "Umbrella Corp" "Consulting" ^INV-3 #invoice
          due: 2026-05-01
          Assets:Receivable:Umbrella      300.00 USD
          Income:Consulting              -300.00 USD
    """
    # acme: 7 days (standard); globex: 20 days, below gentle's 30; umbrella: out.
    assert dunning_csv(tmp_path, snippet, "2026-06-30") == row(7, 1)
    assert dunning_csv(tmp_path, snippet, "2026-07-10") == csv_text(f"""
        {DUNNING_HEADER}
        acme,INV-1,USD,2026-06-23,17,1000.00,1,0.00,0.00,0.00,1000.00
        globex,INV-2,USD,2026-06-10,30,200.00,1,0.00,0.00,0.00,200.00
    """)


# --- who is left out -----------------------------------------------------------------


@pytest.mark.parametrize("event", [
    '2026-06-25 custom "ar-dispute" "INV-1" "Hours disputed"',
    '2026-06-25 custom "ar-escalate" "INV-1" "agency"',
    '2026-06-25 custom "ar-promise" "INV-1" 2026-07-05',
    '2026-06-25 custom "ar-promise" "INV-1" 2026-06-30',  # on the promised day itself
    '2026-01-02 custom "ar-customer" "acme"\n  dunning: "none"',
])
def test_disputed_escalated_promised_and_none_are_left_out(tmp_path: Path, event: str) -> None:
    assert dunning_csv(tmp_path, event, "2026-06-30") == DUNNING_HEADER + "\n"


def test_a_resolved_dispute_is_back_in_dunning(tmp_path: Path) -> None:
    events = """
        2026-06-25 custom "ar-dispute" "INV-1" "Hours disputed"
        2026-06-28 custom "ar-resolve" "INV-1"
    """
    assert dunning_csv(tmp_path, events, "2026-06-30") == row(7, 1)


def test_paid_not_yet_due_and_future_invoices_are_left_out(tmp_path: Path) -> None:
    snippet = """
        2026-06-29 * "Acme Corp" "Payment" ^INV-1
          Assets:Bank:Checking           1000.00 USD
          Assets:Receivable:Acme        -1000.00 USD
        2026-06-20 * "Globex Inc" "Consulting" ^INV-2 #invoice
          Assets:Receivable:Globex        200.00 USD
          Income:Consulting              -200.00 USD
    """
    assert dunning_csv(tmp_path, snippet, "2026-06-30") == DUNNING_HEADER + "\n"


def test_partly_paid_invoices_claim_what_is_open(tmp_path: Path) -> None:
    snippet = """
        2026-06-29 * "Acme Corp" "Payment" ^INV-1
          Assets:Bank:Checking            400.00 USD
          Assets:Receivable:Acme         -400.00 USD
    """
    assert dunning_csv(tmp_path, snippet, "2026-06-30") == csv_text(f"""
        {DUNNING_HEADER}
        acme,INV-1,USD,2026-06-23,7,600.00,1,0.00,0.00,0.00,600.00
    """)


def test_sorted_by_customer_then_invoice(tmp_path: Path) -> None:
    snippet = """
        2026-05-01 * "Globex Inc" "Consulting" ^INV-0 #invoice
          due: 2026-06-01
          Assets:Receivable:Globex        200.00 USD
          Income:Consulting              -200.00 USD
        2026-05-01 * "Acme Corp" "Consulting" ^INV-9 #invoice
          due: 2026-06-01
          Assets:Receivable:Acme          300.00 USD
          Income:Consulting              -300.00 USD
    """
    assert dunning_csv(tmp_path, snippet, "2026-06-30") == csv_text(f"""
        {DUNNING_HEADER}
        acme,INV-1,USD,2026-06-23,7,1000.00,1,0.00,0.00,0.00,1000.00
        acme,INV-9,USD,2026-06-01,29,300.00,1,0.00,0.00,0.00,300.00
        globex,INV-0,USD,2026-06-01,29,200.00,1,0.00,0.00,0.00,200.00
    """)


# --- promises ------------------------------------------------------------------------


def test_a_broken_promise_sends_the_next_letter_without_the_interval(tmp_path: Path) -> None:
    events = """
        2026-06-30 custom "ar-dunning" "INV-1" 1
        2026-07-01 custom "ar-promise" "INV-1" 2026-07-05
    """
    # Level 2 at 10 days, so only the interval (14 days, until 2026-07-14) would hold
    # letter 2 back once the promise broke on 2026-07-06.
    policy = """
        2026-01-01 custom "ar-dunning-policy" "standard"
          levels: "7 10 45"
    """
    snippet = policy + events
    assert dunning_csv(tmp_path, snippet, "2026-07-05") == DUNNING_HEADER + "\n"  # promised
    assert dunning_csv(tmp_path, snippet, "2026-07-06") == row(13, 2)  # 6 days after letter 1
    # Without the promise the interval holds it back until 2026-07-14.
    assert dunning_csv(tmp_path, policy + events.splitlines()[1], "2026-07-06") \
        == DUNNING_HEADER + "\n"


def test_after_a_broken_promise_the_threshold_still_applies(tmp_path: Path) -> None:
    events = """
        2026-06-30 custom "ar-dunning" "INV-1" 1
        2026-07-01 custom "ar-promise" "INV-1" 2026-07-05
    """
    assert dunning_csv(tmp_path, events, "2026-07-13") == DUNNING_HEADER + "\n"  # 20 < 21
    assert dunning_csv(tmp_path, events, "2026-07-14") == row(21, 2)


def test_the_first_letter_after_a_broken_promise_only_waives_the_interval(
        tmp_path: Path) -> None:
    events = """
        2026-01-01 custom "ar-dunning-policy" "standard"
          levels: "7 10 12"
        2026-06-30 custom "ar-dunning" "INV-1" 1
        2026-07-01 custom "ar-promise" "INV-1" 2026-07-05
        2026-07-06 custom "ar-dunning" "INV-1" 2
    """
    # Letter 3's threshold (12) is reached on 2026-07-05; letter 2 came after the
    # promise broke, so letter 3 waits the interval again (until 2026-07-20).
    assert dunning_csv(tmp_path, events, "2026-07-19") == DUNNING_HEADER + "\n"
    assert dunning_csv(tmp_path, events, "2026-07-20") == row(27, 3)


def test_overdue_shows_promised_and_disputed_and_collections_take_precedence(
        tmp_path: Path) -> None:
    snippet = dedent(INVOICE) + dedent("""
        2026-05-01 * "Globex Inc" "Consulting" ^INV-2 #invoice
          due: 2026-06-01
          Assets:Receivable:Globex        200.00 USD
          Income:Consulting              -200.00 USD
        2026-05-01 * "Umbrella Corp" "Consulting" ^INV-3 #invoice
          due: 2026-06-01
          Assets:Receivable:Umbrella      300.00 USD
          Income:Consulting              -300.00 USD
        2026-05-01 * "Kaiju KK" "Consulting" ^INV-4 #invoice
          due: 2026-06-01
          Assets:Receivable:Kaiju         400.00 USD
          Income:Consulting              -400.00 USD
        2026-06-25 custom "ar-promise" "INV-1" 2026-07-10
        2026-06-25 custom "ar-promise" "INV-2" 2026-07-10
        2026-06-26 custom "ar-dispute" "INV-2" "Wrong rate"
        2026-06-25 custom "ar-promise" "INV-3" 2026-07-10
        2026-06-26 custom "ar-escalate" "INV-3" "legal"
        2026-06-01 custom "ar-promise" "INV-4" 2026-06-15
    """)
    assert report(tmp_path, snippet, "overdue", as_of="2026-06-30") == csv_text("""
        invoice,customer,currency,date,due,days_overdue,amount,open,status
        INV-2,globex,USD,2026-05-01,2026-06-01,29,200.00,200.00,disputed
        INV-3,umbrella,USD,2026-05-01,2026-06-01,29,300.00,300.00,collections
        INV-4,kaiju,USD,2026-05-01,2026-06-01,29,400.00,400.00,overdue
        INV-1,acme,USD,2026-05-24,2026-06-23,7,1000.00,1000.00,promised
    """)


# --- the escalation queue ------------------------------------------------------------

LETTERS = """
    2026-06-30 custom "ar-dunning" "INV-1" 1
    2026-07-14 custom "ar-dunning" "INV-1" 2
    2026-08-07 custom "ar-dunning" "INV-1" 3
"""


def escalations_csv(tmp_path: Path, snippet: str, as_of: str) -> str:
    return report(tmp_path, flat(INVOICE + "\n" + snippet), "escalations", as_of=as_of)


@pytest.mark.parametrize(("as_of", "queued"), [
    ("2026-08-21", False),  # 59 days overdue
    ("2026-08-22", True),   # 60 days, last letter 15 days old
])
def test_escalation_from_sixty_days_after_the_last_letter(tmp_path: Path, as_of: str,
                                                           queued: bool) -> None:  # noqa: FBT001
    text = escalations_csv(tmp_path, LETTERS, as_of)
    expected = ESCALATIONS_HEADER + "\n"
    if queued:
        expected += "acme,INV-1,USD,2026-06-23,60,1000.00,2026-08-07,0.00,0.00,1000.00\n"
    assert text == expected


def test_escalation_waits_the_interval_after_the_last_letter(tmp_path: Path) -> None:
    late = LETTERS.replace("2026-08-07", "2026-08-15")
    assert escalations_csv(tmp_path, late, "2026-08-28") == ESCALATIONS_HEADER + "\n"
    assert escalations_csv(tmp_path, late, "2026-08-29").endswith(",2026-08-15,0.00,0.00,1000.00\n")


@pytest.mark.parametrize("event", [
    "",  # below the last level: only two letters
    '2026-08-10 custom "ar-dispute" "INV-1" "Wrong rate"',
    '2026-08-10 custom "ar-escalate" "INV-1" "agency"',
    '2026-08-20 custom "ar-promise" "INV-1" 2026-08-31',
])
def test_not_queued(tmp_path: Path, event: str) -> None:
    letters = LETTERS if event else "\n".join(LETTERS.splitlines()[:3])
    assert escalations_csv(tmp_path, letters + "\n" + event, "2026-08-31") \
        == ESCALATIONS_HEADER + "\n"


def test_a_broken_promise_leaves_the_escalation_rules_as_they_are(tmp_path: Path) -> None:
    snippet = LETTERS + '2026-08-10 custom "ar-promise" "INV-1" 2026-08-15\n'
    assert escalations_csv(tmp_path, snippet, "2026-08-22").startswith(
        ESCALATIONS_HEADER + "\nacme,INV-1,")
