"""Contract sections 1-5: the metadata the plugins add, a clean ledger, each plugin alone."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import pytest
from beancount.core.data import Transaction
from beanquery.query import run_query
from conftest import ACME, GLOBEX, CustomerSpec

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from beancount.core.amount import Amount
    from beancount.core.data import Directive, Meta
    from conftest import Loaded

    Ledger = Callable[..., Loaded]

D = datetime.date


def invoice_entry(entries: Iterable[Directive], number: str) -> Transaction:
    """The one invoice transaction whose link is `number`."""
    found = [e for e in entries if isinstance(e, Transaction) and "invoice" in e.tags
             and number in e.links]
    assert len(found) == 1, found
    return found[0]


def added_metadata(entries: Iterable[Directive], number: str) -> dict[str, Any]:
    """The four fields the plugins add to an invoice."""
    meta = invoice_entry(entries, number).meta
    return {key: meta.get(key) for key in ("invoice", "customer", "terms", "due")}


def acme_with_terms(terms: str | None) -> tuple[CustomerSpec, CustomerSpec]:
    return (CustomerSpec("acme", "Acme Corp", "Assets:Receivable:Acme", terms), GLOBEX)


def one_invoice(date: str = "2026-01-05", number: str = "INV-2026-001", meta: str = "") -> str:
    """An invoice to acme for 1000.00 USD, with optional metadata lines (indented 10)."""
    meta_lines = f"\n          {meta}" if meta else ""
    return f"""
        {date} * "Acme Corp" "Consulting" ^{number} #invoice{meta_lines}
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD
    """


# --- Section 2: every terms form -------------------------------------------------------------

TERMS_CASES = [
    pytest.param("net 30", "2026-01-05", D(2026, 2, 4), "net 30", id="net-30"),
    pytest.param("net 15", "2026-01-20", D(2026, 2, 4), "net 15", id="net-15"),
    pytest.param("due on receipt", "2026-01-05", D(2026, 1, 5), "due on receipt",
                 id="due-on-receipt"),
    pytest.param("2/10 net 30", "2026-01-05", D(2026, 2, 4), "2/10 net 30", id="2/10-net-30"),
    pytest.param("1.5/15 net 45", "2026-01-05", D(2026, 2, 19), "1.5/15 net 45",
                 id="1.5/15-net-45"),
    pytest.param("eom net 30", "2026-01-15", D(2026, 3, 2), "eom net 30", id="eom-january"),
    pytest.param("eom net 30", "2026-02-10", D(2026, 3, 30), "eom net 30", id="eom-february"),
    pytest.param("eom net 30", "2026-01-31", D(2026, 3, 2), "eom net 30", id="eom-last-day"),
    pytest.param("eom net 30", "2028-02-10", D(2028, 3, 30), "eom net 30", id="eom-leap-year"),
    pytest.param("eom net 30", "2026-12-05", D(2027, 1, 30), "eom net 30", id="eom-december"),
]


@pytest.mark.parametrize(("terms", "date", "due", "shown"), TERMS_CASES)
def test_invoice_metadata_for_each_terms_form(
    ledger: Ledger, terms: str, date: str, due: datetime.date, shown: str
) -> None:
    loaded = ledger(one_invoice(date), customers=acme_with_terms(terms))
    assert loaded.codes == set()
    assert added_metadata(loaded.entries, "INV-2026-001") == {
        "invoice": "INV-2026-001", "customer": "acme", "terms": shown, "due": due,
    }


def test_globex_header_customer_is_net_15(ledger: Ledger) -> None:
    loaded = ledger("""
        2026-01-05 * "Globex Inc" "Consulting" ^INV-2026-001 #invoice
          Assets:Receivable:Globex     1000.00 USD
          Income:Consulting           -1000.00 USD
    """)
    assert loaded.codes == set()
    assert added_metadata(loaded.entries, "INV-2026-001") == {
        "invoice": "INV-2026-001", "customer": "globex", "terms": "net 15",
        "due": D(2026, 1, 20),
    }


def test_default_terms_are_net_30(ledger: Ledger) -> None:
    loaded = ledger(one_invoice(), customers=acme_with_terms(None))
    assert loaded.codes == set()
    meta = added_metadata(loaded.entries, "INV-2026-001")
    assert (meta["terms"], meta["due"]) == ("net 30", D(2026, 2, 4))


def test_default_terms_from_config(ledger: Ledger) -> None:
    loaded = ledger(one_invoice(), customers=acme_with_terms(None),
                    config={"default_terms": "net 45"})
    assert loaded.codes == set()
    meta = added_metadata(loaded.entries, "INV-2026-001")
    assert (meta["terms"], meta["due"]) == ("net 45", D(2026, 2, 19))


def test_customer_terms_win_over_default_terms(ledger: Ledger) -> None:
    loaded = ledger(one_invoice(), config={"default_terms": "net 45"})
    meta = added_metadata(loaded.entries, "INV-2026-001")
    assert (meta["terms"], meta["due"]) == ("net 30", D(2026, 2, 4))


def test_customer_terms_change_from_its_date(ledger: Ledger) -> None:
    loaded = ledger(
        one_invoice("2026-02-28", "INV-2026-001")
        + """
        2026-03-01 custom "ar-customer" "acme"
          terms: "net 60"
        """
        + one_invoice("2026-03-01", "INV-2026-002")
        + one_invoice("2026-03-02", "INV-2026-003")
    )
    assert loaded.codes == set()
    got = {n: added_metadata(loaded.entries, n) for n in ("INV-2026-001", "INV-2026-002",
                                                      "INV-2026-003")}
    assert {n: (m["customer"], m["terms"], m["due"]) for n, m in got.items()} == {
        "INV-2026-001": ("acme", "net 30", D(2026, 3, 30)),
        "INV-2026-002": ("acme", "net 60", D(2026, 4, 30)),
        "INV-2026-003": ("acme", "net 60", D(2026, 5, 1)),
    }


def test_invoice_due_overrides_terms(ledger: Ledger) -> None:
    loaded = ledger(one_invoice(meta="due: 2026-03-01"))
    assert loaded.codes == set()
    assert added_metadata(loaded.entries, "INV-2026-001") == {
        "invoice": "INV-2026-001", "customer": "acme", "terms": "net 30",
        "due": D(2026, 3, 1),
    }


def test_invoice_due_on_its_own_date_is_fine(ledger: Ledger) -> None:
    loaded = ledger(one_invoice(meta="due: 2026-01-05"))
    assert loaded.codes == set()
    assert added_metadata(loaded.entries, "INV-2026-001")["due"] == D(2026, 1, 5)


@pytest.mark.parametrize(("terms", "due"), [
    ("net 60", D(2026, 3, 6)),
    ("due on receipt", D(2026, 1, 5)),
    ("2/10 net 20", D(2026, 1, 25)),
    ("eom net 15", D(2026, 2, 15)),
])
def test_invoice_terms_override_customer_terms(
    ledger: Ledger, terms: str, due: datetime.date
) -> None:
    loaded = ledger(one_invoice(meta=f'terms: "{terms}"'))
    assert loaded.codes == set()
    assert added_metadata(loaded.entries, "INV-2026-001") == {
        "invoice": "INV-2026-001", "customer": "acme", "terms": terms, "due": due,
    }


def test_invoice_due_and_terms_both_given(ledger: Ledger) -> None:
    loaded = ledger(one_invoice(meta='terms: "net 60"\n          due: 2026-02-01'))
    assert loaded.codes == set()
    meta = added_metadata(loaded.entries, "INV-2026-001")
    assert (meta["terms"], meta["due"]) == ("net 60", D(2026, 2, 1))


def test_unknown_customer_terms_is_ar001(ledger: Ledger) -> None:
    loaded = ledger(one_invoice(), customers=acme_with_terms("pay when you like"))
    assert loaded.codes == {"AR001"}
    (error,) = loaded.errors
    assert error.source["filename"] == loaded.path
    assert error.source["lineno"] in {loaded.line('"ar-customer" "acme"'),
                                      loaded.line('terms: "pay when you like"')}
    assert "acme" in error.message
    assert "pay when you like" in error.message
    # The invoice is still read: it gets a number, a customer and a due date.
    meta = added_metadata(loaded.entries, "INV-2026-001")
    assert (meta["invoice"], meta["customer"]) == ("INV-2026-001", "acme")
    assert isinstance(meta["due"], datetime.date)


def test_added_metadata_is_queryable_with_bean_query(ledger: Ledger) -> None:
    loaded = ledger(one_invoice("2026-01-05", "INV-2026-001")
                    + one_invoice("2026-01-20", "INV-2026-002", meta="due: 2026-04-01"))
    _, rows = run_query(loaded.entries, loaded.options,
                        "SELECT entry.meta['invoice'] AS invoice, entry.meta['due'] AS due "
                        "WHERE account ~ '^Assets:Receivable' ORDER BY invoice")
    assert [tuple(row) for row in rows] == [
        ("INV-2026-001", D(2026, 2, 4)),
        ("INV-2026-002", D(2026, 4, 1)),
    ]


# --- Section 1: configuration keys ---------------------------------------------------------------

def test_spec_section_1_plugin_line_without_the_standard_header(ledger: Ledger) -> None:
    loaded = ledger("""
        option "operating_currency" "USD"
        plugin "beancount_ar" "{'root': 'Assets:Receivable', 'default_terms': 'net 20'}"

        2026-01-01 open Assets:Receivable:Hooli
        2026-01-01 open Income:Consulting

        2026-01-01 custom "ar-customer" "hooli"
          name: "Hooli"
          account: Assets:Receivable:Hooli

        2026-01-05 * "Hooli" "Consulting" ^INV-2026-001 #invoice
          Assets:Receivable:Hooli      1000.00 USD
          Income:Consulting           -1000.00 USD
    """, header=False)
    assert loaded.errors == []
    assert added_metadata(loaded.entries, "INV-2026-001") == {
        "invoice": "INV-2026-001", "customer": "hooli", "terms": "net 20",
        "due": D(2026, 1, 25),
    }


def test_config_root_and_invoice_tag(ledger: Ledger) -> None:
    customers = (CustomerSpec("acme", "Acme Corp", "Assets:AR:Acme", "net 10"),)
    loaded = ledger("""
        2026-01-05 * "Acme Corp" "Consulting" ^B-1 #bill
          Assets:AR:Acme             1000.00 USD
          Income:Consulting         -1000.00 USD

        2026-01-06 * "Acme Corp" "Not an invoice: plain tag" ^B-1 #invoice
          Assets:Bank:Checking        100.00 USD
          Assets:AR:Acme             -100.00 USD
    """, customers=customers, config={"root": "Assets:AR", "invoice_tag": "bill"})
    assert loaded.codes == set()
    bill = next(e for e in loaded.entries if isinstance(e, Transaction) and "bill" in e.tags)
    assert {k: bill.meta.get(k) for k in ("invoice", "customer", "terms", "due")} == {
        "invoice": "B-1", "customer": "acme", "terms": "net 10", "due": D(2026, 1, 15),
    }


def test_config_root_customer_outside_root_is_ar001(ledger: Ledger) -> None:
    loaded = ledger(one_invoice(), config={"root": "Assets:AR"})
    # acme and globex lie under Assets:Receivable, no longer under the root, so the
    # invoice posts to no receivable account at all.
    assert sorted(e.message.split()[0] for e in loaded.errors) == ["AR001", "AR001", "AR102"]


# --- Sections 2-5: a clean ledger with every construct -------------------------------------------

FULL_CONFIG = {
    "root": "Assets:Receivable",
    "default_terms": "net 30",
    "invoice_tag": "invoice",
    "credit_limit": "error",
    "numbering": "sequential",
}

UMBRELLA = CustomerSpec("umbrella", "Umbrella Corp", "Assets:Receivable:Umbrella", None)

CLEAN_LEDGER = """
    2026-01-01 custom "ar-company" "Seed Consulting s.r.o."
      address: "Vinohradská 1, 120 00 Praha 2"
      tax-id: "CZ12345679"
      iban: "CZ65 0800 0000 1920 0014 5399"
      email: "billing@seed.example"

    2026-01-01 custom "ar-customer" "initech"
      name: "Initech"
      account: Assets:Receivable:Initech
      terms: "2/10 net 30"
      credit-limit: 20000.00 USD
      email: "ap@initech.example"
      address: "1 Road Runner Way, Phoenix AZ"
      collector: "jana"

    2026-01-05 * "Acme Corp" "Consulting, January" ^INV-2026-001 #invoice
      due: 2026-02-04
      Assets:Receivable:Acme        1800.00 USD
      Income:Consulting            -1500.00 USD
        description: "Architecture review"
        quantity: 10
        rate: 150.00 USD
      Liabilities:SalesTax          -300.00 USD

    2026-01-20 * "Acme Corp" "Consulting, second half of January" ^INV-2026-002 #invoice
      Assets:Receivable:Acme        1000.00 USD
      Income:Consulting            -1000.00 USD

    2026-01-25 * "Acme Corp" "Workshop" ^INV-2026-003 #invoice
      terms: "net 45"
      Assets:Receivable:Acme        2000.00 USD
      Income:Consulting            -2000.00 USD

    2026-02-01 * "Globex Inc" "Consulting, February" ^INV-2026-004 #invoice
      Assets:Receivable:Globex       500.00 USD
      Income:Consulting             -500.00 USD

    2026-02-03 * "Initech" "Support" ^INV-2026-005 #invoice
      Assets:Receivable:Initech      800.00 USD
      Income:Consulting             -800.00 USD

    2026-02-10 * "Acme Corp" "Credit note: 2 hours not billable" ^INV-2026-001 #credit-note
      Assets:Receivable:Acme        -300.00 USD
      Income:Consulting              300.00 USD

    2026-02-12 custom "ar-dispute" "INV-2026-001" "Hours disputed"
    2026-02-20 custom "ar-resolve" "INV-2026-001"

    2026-02-11 * "Initech" "Payment within the discount period" ^INV-2026-005
      Assets:Bank:Checking           800.00 USD
      Assets:Receivable:Initech     -800.00 USD

    2026-02-25 * "Acme Corp" "Payment" ^INV-2026-001
      Assets:Bank:Checking          1500.00 USD
      Assets:Receivable:Acme       -1500.00 USD

    2026-03-01 * "Acme Corp" "Payment for two invoices"
      Assets:Bank:Checking          3000.00 USD
      Assets:Receivable:Acme       -1000.00 USD
        invoice: "INV-2026-002"
      Assets:Receivable:Acme       -2000.00 USD
        invoice: "INV-2026-003"

    2026-03-15 custom "ar-dunning" "INV-2026-004" 1
    2026-04-15 custom "ar-dunning" "INV-2026-004" 2
    2026-05-01 custom "ar-dispute" "INV-2026-004" "Never received the work"
    2026-06-01 custom "ar-escalate" "INV-2026-004" "agency"
    2026-07-01 custom "ar-escalate" "INV-2026-004" "legal"

    2026-04-01 * "Umbrella Corp" "Prepayment" #on-account
      Assets:Bank:Checking           700.00 USD
      Assets:Receivable:Umbrella    -700.00 USD

    2026-06-15 custom "ar-customer" "umbrella"
      terms: "eom net 30"
      credit-limit: 5000.00 USD

    2026-06-20 * "Umbrella Corp" "Consulting, June" ^INV-1009 #invoice
      Assets:Receivable:Umbrella     300.00 USD
      Income:Consulting             -300.00 USD

    2026-07-01 * "Umbrella Corp" "Apply prepayment to INV-1009" #on-account
      Assets:Receivable:Umbrella     300.00 USD
      Assets:Receivable:Umbrella    -300.00 USD
        invoice: "INV-1009"

    2026-08-01 * "Umbrella Corp" "Refund part of the prepayment" #on-account
      Assets:Bank:Checking          -100.00 USD
      Assets:Receivable:Umbrella     100.00 USD

    2026-09-30 * "Globex Inc" "Write-off" ^INV-2026-004 #write-off
      Expenses:BadDebt               500.00 USD
      Assets:Receivable:Globex      -500.00 USD

    2026-10-01 balance Assets:Receivable:Acme          0.00 USD
    2026-10-01 balance Assets:Receivable:Globex        0.00 USD
    2026-10-01 balance Assets:Receivable:Initech       0.00 USD
    2026-10-01 balance Assets:Receivable:Umbrella   -300.00 USD
"""


def test_clean_ledger_with_every_construct_has_no_errors(ledger: Ledger) -> None:
    loaded = ledger(CLEAN_LEDGER, config=FULL_CONFIG, customers=(ACME, GLOBEX, UMBRELLA),
                    accounts=("Assets:Receivable:Initech",))
    assert loaded.errors == []
    expected = {
        "INV-2026-001": ("acme", "net 30", D(2026, 2, 4)),
        "INV-2026-002": ("acme", "net 30", D(2026, 2, 19)),
        "INV-2026-003": ("acme", "net 45", D(2026, 3, 11)),
        "INV-2026-004": ("globex", "net 15", D(2026, 2, 16)),
        "INV-2026-005": ("initech", "2/10 net 30", D(2026, 3, 5)),
        "INV-1009": ("umbrella", "eom net 30", D(2026, 7, 30)),
    }
    got = {n: added_metadata(loaded.entries, n) for n in expected}
    assert {n: (m["customer"], m["terms"], m["due"]) for n, m in got.items()} == expected
    assert all(m["invoice"] == n for n, m in got.items())


def test_clean_ledger_loads_without_the_plugin_too(ledger: Ledger) -> None:
    loaded = ledger(CLEAN_LEDGER, plugin=None, customers=(ACME, GLOBEX, UMBRELLA),
                    accounts=("Assets:Receivable:Initech",))
    assert loaded.errors == []
    assert "due" not in invoice_entry(loaded.entries, "INV-2026-002").meta


# --- Each plugin works alone ------------------------------------------------------------------

LIMITED_GLOBEX = CustomerSpec("globex", "Globex Inc", "Assets:Receivable:Globex", "net 15",
                              credit_limit="100.00 USD")

ONE_OF_EACH = """
    2026-01-01 custom "ar-customer" "initech"
      name: "Initech"
      account: Assets:Receivable:Initech
      terms: "whenever"

    2026-01-05 * "Acme Corp" "Consulting" ^INV-2026-001 #invoice
      Assets:Receivable:Acme        1000.00 USD
      Income:Consulting            -1000.00 USD

    2026-01-06 * "Globex Inc" "Over the credit line" ^INV-2026-002 #invoice
      Assets:Receivable:Globex       500.00 USD
      Income:Consulting             -500.00 USD

    2026-01-07 * "Acme Corp" "Invoice without a number" #invoice
      Assets:Receivable:Acme         200.00 USD
      Income:Consulting             -200.00 USD

    2026-01-08 * "Hooli" "Account with no customer"
      Assets:Bank:Checking           100.00 USD
      Assets:Receivable:Hooli       -100.00 USD

    2026-02-01 * "Acme Corp" "Paid too much by card 4111 1111 1111 1111" ^INV-2026-001
      Assets:Bank:Checking          1200.00 USD
      Assets:Receivable:Acme       -1200.00 USD

    2026-03-15 custom "ar-dunning" "INV-2026-001" 0
"""

PLUGIN_CODES = [
    pytest.param("beancount_ar",
                 {"AR001", "AR002", "AR102", "AR203", "AR301", "AR401", "AR501"}, id="suite"),
    pytest.param("beancount_ar.plugins.customers", {"AR001", "AR002"}, id="customers"),
    pytest.param("beancount_ar.plugins.invoices", {"AR102"}, id="invoices"),
    pytest.param("beancount_ar.plugins.payments", {"AR203"}, id="payments"),
    pytest.param("beancount_ar.plugins.status_events", {"AR501"}, id="status_events"),
    pytest.param("beancount_ar.plugins.credit_limits", {"AR301"}, id="credit_limits"),
    pytest.param("beancount_ar.plugins.card_numbers", {"AR401"}, id="card_numbers"),
]


@pytest.mark.parametrize(("plugin", "expected"), PLUGIN_CODES)
def test_each_plugin_alone_reports_only_its_codes(
    ledger: Ledger, plugin: str, expected: set[str]
) -> None:
    loaded = ledger(ONE_OF_EACH, plugin=plugin, customers=(ACME, LIMITED_GLOBEX),
                    accounts=("Assets:Receivable:Initech", "Assets:Receivable:Hooli"))
    assert loaded.codes == expected, [e.message for e in loaded.errors]


def test_payments_plugin_alone_on_an_over_payment(ledger: Ledger) -> None:
    loaded = ledger(one_invoice() + """
        2026-02-01 * "Acme Corp" "Paid too much" ^INV-2026-001
          Assets:Bank:Checking       1200.00 USD
          Assets:Receivable:Acme    -1200.00 USD
    """, plugin="beancount_ar.plugins.payments")
    assert loaded.codes == {"AR203"}
    (error,) = loaded.errors
    assert error.source["lineno"] == loaded.line("Paid too much")


def test_invoices_plugin_alone_adds_the_metadata(ledger: Ledger) -> None:
    loaded = ledger(one_invoice(), plugin="beancount_ar.plugins.invoices")
    assert loaded.codes == set()
    assert added_metadata(loaded.entries, "INV-2026-001") == {
        "invoice": "INV-2026-001", "customer": "acme", "terms": "net 30",
        "due": D(2026, 2, 4),
    }


def test_single_plugin_reads_its_own_configuration(ledger: Ledger) -> None:
    loaded = ledger(one_invoice("2026-01-05", "INV-2026-001")
                    + one_invoice("2026-01-06", "INV-2026-003"),
                    plugin="beancount_ar.plugins.invoices", config={"numbering": "sequential"})
    assert loaded.codes == {"AR104"}


def test_suite_plugin_and_invoice_lines_keep_their_amounts(ledger: Ledger) -> None:
    loaded = ledger("""
        2026-01-05 * "Acme Corp" "Consulting, January" ^INV-2026-001 #invoice
          Assets:Receivable:Acme        1800.00 USD
          Income:Consulting            -1500.00 USD
            description: "Architecture review"
            quantity: 10
            rate: 150.00 USD
          Liabilities:SalesTax          -300.00 USD
    """)
    assert loaded.codes == set()
    entry = invoice_entry(loaded.entries, "INV-2026-001")
    # Posting.units and Posting.meta are Optional in Beancount's types; both are set here.
    assert [cast("Amount", p.units).number for p in entry.postings] == [
        Decimal("1800.00"), Decimal("-1500.00"), Decimal("-300.00")]
    assert cast("Meta", entry.postings[1].meta)["description"] == "Architecture review"
