"""Contract section 6: one bad entry is an error at its line; everything else is still built.

An invoice dated 9999-12-20 on net 30 falls due after the last day a date can
hold: a plain AR103 at the invoice, not an internal failure, and the other
invoices are still in the model, in `bean-ar` reports and in `bean-check`.
An entry the suite fails on for any other reason is AR000 at that entry alone.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import pytest
from beancount.core.data import Custom, Transaction
from conftest import codes
from ledgers import AGING_HEADER, invoke, line_of, write_ledger

from beancount_ar.core import invoices
from beancount_ar.core.applications import ApplicationBook
from beancount_ar.core.build import build_receivables, read_receivables
from beancount_ar.core.config import ARConfig
from beancount_ar.core.customers import CustomerBook
from beancount_ar.core.events import read_event
from beancount_ar.core.terms import Terms, parse_terms

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Loaded

    Ledger = Callable[..., Loaded]

GOOD_AND_OVERFLOWING = """
    2026-05-01 * "Acme Corp" "Consulting, April" ^INV-1 #invoice
      Assets:Receivable:Acme     100.00 USD
      Income:Consulting         -100.00 USD

    9999-12-20 * "Globex Inc" "Due after the end of time" ^INV-9999 #invoice
      Assets:Receivable:Globex   250.00 USD
      Income:Consulting         -250.00 USD
"""
OVERFLOW_MESSAGE = (
    "AR103 invoice INV-9999: its due date falls after 9999-12-31 (net 15 from 9999-12-20); "
    "correct the invoice's date or give due: 9999-12-31")


def test_due_date_after_9999_is_ar103_at_the_invoice(ledger: Ledger) -> None:
    loaded = ledger(GOOD_AND_OVERFLOWING)
    assert [(e.source["lineno"], e.message) for e in loaded.errors] == [
        (loaded.line("^INV-9999 #invoice"), OVERFLOW_MESSAGE)]


def test_due_date_after_9999_leaves_the_other_invoices_in_the_model(ledger: Ledger) -> None:
    loaded = ledger(GOOD_AND_OVERFLOWING, plugin=None)  # the suite would annotate `due`
    receivables, errors = build_receivables(loaded.entries, ARConfig())
    assert codes(errors) == {"AR103"}
    assert receivables.invoices["INV-1"].open_amount() == 100
    # Still issued, so that the model ties to the ledger: due on the last day there is.
    assert receivables.invoices["INV-9999"].due == datetime.date.max


def test_given_due_spares_the_terms_that_overflow(ledger: Ledger) -> None:
    loaded = ledger("""
        9999-12-20 * "Globex Inc" "Due on the last day" ^INV-9999 #invoice
          due: 9999-12-31
          Assets:Receivable:Globex   250.00 USD
          Income:Consulting         -250.00 USD
    """)
    assert loaded.errors == []


def test_the_load_s_checks_report_the_overflow_once_and_run_the_other_checks(
    ledger: Ledger,
) -> None:
    loaded = ledger(GOOD_AND_OVERFLOWING + """
        2026-06-01 * "Acme Corp" "Paid too much" ^INV-1
          Assets:Bank:Checking       120.00 USD
          Assets:Receivable:Acme    -120.00 USD
    """, plugin=None)
    checked = read_receivables(loaded.entries, loaded.options, history=False)
    assert sorted(str(e.code) for e in checked.errors) == ["AR103", "AR203"]
    assert set(checked.invoices) == {"INV-1", "INV-9999"}


@pytest.mark.parametrize("plugin", ["beancount_ar", "beancount_ar.plugins.invoices"])
def test_bean_check_reports_the_overflow_once(ledger: Ledger, plugin: str) -> None:
    loaded = ledger(GOOD_AND_OVERFLOWING, plugin=plugin)
    assert [e.message for e in loaded.errors] == [OVERFLOW_MESSAGE]


def test_aging_ignore_errors_reports_the_good_invoice(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, GOOD_AND_OVERFLOWING)
    result = invoke("aging", path, "--as-of", "2026-06-30", "--format", "csv",
                    "--ignore-errors")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{AGING_HEADER}\n"
        "acme,USD,0.00,0.00,100.00,0.00,0.00,0.00,100.00\n"
        "TOTAL,USD,0.00,0.00,100.00,0.00,0.00,0.00,100.00\n")
    assert f"{path}:{line_of(path, '9999-12-20')}: AR103 invoice INV-9999" in result.stderr


def test_aging_text_ignore_errors_is_not_nothing_owed(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, GOOD_AND_OVERFLOWING)
    result = invoke("aging", path, "--as-of", "2026-06-30", "--ignore-errors")
    assert result.exit_code == 0, result.output
    assert "Nothing is owed" not in result.stdout
    assert "Acme Corp" in result.stdout


@pytest.mark.parametrize(("terms", "day", "due"), [
    ("net 30", datetime.date(9999, 12, 1), datetime.date(9999, 12, 31)),
    ("net 30", datetime.date(9999, 12, 2), None),
    ("eom net 0", datetime.date(9999, 12, 5), datetime.date(9999, 12, 31)),
    ("eom net 1", datetime.date(9999, 12, 5), None),
    ("eom net 30", datetime.date(2026, 1, 15), datetime.date(2026, 3, 2)),
])
def test_terms_due_is_none_after_9999(
    terms: str, day: datetime.date, due: datetime.date | None,
) -> None:
    parsed = parse_terms(terms)
    assert parsed is not None
    assert parsed.due(day) == due


def test_discount_day_after_9999_is_none() -> None:
    assert Terms(30, discount_percent=None, discount_days=10).discount_due(
        datetime.date(9999, 12, 25)) is None


# --- Any other failure: AR000 at that entry, the rest still built ----------------------------

THREE_INVOICES = """
    2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
      Assets:Receivable:Acme     100.00 USD
      Income:Consulting         -100.00 USD

    2026-05-02 * "Acme Corp" "Consulting, the one the suite trips over" ^INV-2 #invoice
      Assets:Receivable:Acme     200.00 USD
      Income:Consulting         -200.00 USD

    2026-05-03 * "Globex Inc" "Consulting" ^INV-3 #invoice
      Assets:Receivable:Globex   300.00 USD
      Income:Consulting         -300.00 USD

    2026-05-20 * "Acme Corp" "Payment" ^INV-1
      Assets:Bank:Checking        40.00 USD
      Assets:Receivable:Acme     -40.00 USD

    2026-05-21 * "Acme Corp" "Payment, the one the suite trips over" ^INV-1
      Assets:Bank:Checking        10.00 USD
      Assets:Receivable:Acme     -10.00 USD

    2026-06-01 custom "ar-dispute" "INV-3" "Hours disputed"
    2026-06-02 custom "ar-dispute" "INV-1" "the one the suite trips over"
"""


def _trips_over(entry: object) -> bool:
    if isinstance(entry, Transaction):
        return "trips over" in (entry.narration or "")
    return isinstance(entry, Custom) and any("trips over" in str(v.value) for v in entry.values)


def _failing(original: Callable[..., Any]) -> Callable[..., Any]:
    """`original`, raising on the entries marked "the one the suite trips over"."""
    def wrapper(*args: Any) -> Any:
        if any(_trips_over(a) for a in args):
            message = "a bug"
            raise RuntimeError(message)
        return original(*args)
    return wrapper


@pytest.fixture
def failing_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite with a bug that hits the marked invoice, payment and event."""
    monkeypatch.setattr(invoices.InvoiceReader, "read", _failing(invoices.InvoiceReader.read))
    monkeypatch.setattr(ApplicationBook, "apply", _failing(ApplicationBook.apply))
    monkeypatch.setattr("beancount_ar.core.build.read_event", _failing(read_event))


@pytest.mark.usefixtures("failing_suite")
def test_a_failing_entry_is_ar000_at_its_line_and_the_rest_is_built(ledger: Ledger) -> None:
    loaded = ledger(THREE_INVOICES, plugin=None)
    receivables, errors = build_receivables(loaded.entries, ARConfig())
    assert sorted(e.source["lineno"] for e in errors) == [
        loaded.line("^INV-2 #invoice"), loaded.line("Payment, the one"),
        loaded.line('"INV-1" "the one')]
    assert {e.message for e in errors} == {
        ("AR000 beancount-ar failed on this entry (RuntimeError: a bug) and left it out; "
         "please report it with the entry")}
    assert set(receivables.invoices) == {"INV-1", "INV-3"}
    assert receivables.invoices["INV-1"].open_amount() == 60
    assert receivables.invoices["INV-3"].is_disputed(datetime.date(2026, 6, 30))


@pytest.mark.usefixtures("failing_suite")
def test_a_failing_entry_in_bean_check_spares_the_other_checks(ledger: Ledger) -> None:
    loaded = ledger(THREE_INVOICES + """
    2026-06-10 * "Globex Inc" "Paid too much" ^INV-3
      Assets:Bank:Checking       400.00 USD
      Assets:Receivable:Globex  -400.00 USD
    """)
    assert sorted(e.message.split()[0] for e in loaded.errors) == [
        "AR000", "AR000", "AR000", "AR203"]


def test_a_failing_customer_is_ar000_and_the_others_are_read(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = CustomerBook.add

    def add(book: CustomerBook, entry: Any) -> None:
        if entry.values[0].value == "globex":
            message = "a bug"
            raise RuntimeError(message)
        original(book, entry)

    monkeypatch.setattr(CustomerBook, "add", add)
    loaded = ledger("", plugin=None)
    receivables, errors = build_receivables(loaded.entries, ARConfig())
    assert [(e.message.split()[0], e.source["lineno"]) for e in errors] == [
        ("AR000", loaded.line('"ar-customer" "globex"'))]
    assert set(receivables.customers) == {"acme"}
