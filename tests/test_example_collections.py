"""The example ledger on the demo's day (2026-11-30) shows every collections report at work.

`make demo` prints `dunning`, `escalations`, `disputes` and `interest` after the
aging and overdue reports; these tests keep the example worth printing: letters
due at every level, an invoice in the escalation queue, the open dispute, an
invoice under a promise, and the Czech customer's final demand under the `cz`
rule. The example file is the generator's output, never edited by hand.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import TYPE_CHECKING

from fava_ledgers import EXAMPLE, bean_ar_csv

if TYPE_CHECKING:
    from types import ModuleType

AS_OF = "2026-11-30"  # the Makefile's AS_OF


def generator() -> ModuleType:
    path = EXAMPLE.with_name("generate_example.py")
    spec = importlib.util.spec_from_file_location("generate_example", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_the_example_is_the_generators_output() -> None:
    *_, text = generator().generate()  # with the generator's own self-checks
    assert text == EXAMPLE.read_text(encoding="utf-8")


def test_letters_fall_due_at_every_level() -> None:
    rows = bean_ar_csv("dunning", EXAMPLE, AS_OF)
    assert {row["level"] for row in rows} == {"1", "2", "3"}
    assert all(row["customer"] != "wayne" for row in rows)  # dunning: "none"


def test_the_czech_final_demand_claims_cz_interest_and_1200_czk() -> None:
    # FA-2026-005: 67,245.75 CZK due 2026-05-21, half (33,623.00) paid on 2026-07-15.
    # cz: 8 + 3.50 (the ČNB rate on 1 January 2026, the half-year the delay began in):
    # (67,245.75 x 55 days + 33,622.75 x 138 days) x 11.50 / 100 / 365 = 2,627.18.
    rows = {row["invoice"]: row for row in bean_ar_csv("dunning", EXAMPLE, AS_OF)}
    assert rows["FA-2026-005"] == {
        "customer": "novak", "invoice": "FA-2026-005", "currency": "CZK", "due": "2026-05-21",
        "days_overdue": "193", "open": "33622.75", "level": "3", "interest": "2627.18",
        "compensation": "1200.00", "fee": "0.00", "total": "37449.93"}


def test_the_us_final_demand_carries_the_contracts_fee() -> None:
    rows = {row["invoice"]: row for row in bean_ar_csv("dunning", EXAMPLE, AS_OF)}
    assert (rows["INV-2026-081"]["level"], rows["INV-2026-081"]["fee"]) == ("3", "25.00")


def test_an_invoice_waits_in_the_escalation_queue() -> None:
    rows = bean_ar_csv("escalations", EXAMPLE, AS_OF)
    assert [(row["customer"], row["invoice"]) for row in rows] == [("cyberdyne", "INV-2026-082")]


def test_the_open_dispute_is_listed() -> None:
    rows = bean_ar_csv("disputes", EXAMPLE, AS_OF)
    assert [row["invoice"] for row in rows] == ["INV-2026-054"]


def test_overdue_shows_a_promise_in_force() -> None:
    statuses = {row["invoice"]: row["status"] for row in bean_ar_csv("overdue", EXAMPLE, AS_OF)}
    assert statuses["INV-2026-089"] == "promised"
    assert statuses["FA-2026-005"] == "overdue"  # both its promises are broken
    assert {"overdue", "promised", "disputed", "collections"} <= set(statuses.values())
