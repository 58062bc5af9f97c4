"""Config key `invoice_number` (AR-SPEC 13): the pattern `bean-ar bill` numbers invoices by.

    plugin "beancount_ar" "{'invoice_number': 'FA-{year}-{seq:03d}'}"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from beancount_ar.core.build import read_receivables
from beancount_ar.core.numbering import next_seq

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Loaded

    Ledger = Callable[..., Loaded]

HOW = "; write a pattern like 'INV-{year}-{seq:04d}' ({year} optional, {seq} once)"


def test_the_default_pattern(ledger: Ledger) -> None:
    loaded = ledger("")
    assert read_receivables(loaded.entries, loaded.options).config.invoice_number == (
        "INV-{year}-{seq:04d}")


def test_a_pattern_of_its_own(ledger: Ledger) -> None:
    loaded = ledger("", config={"invoice_number": "FA-{year}-{seq:03d}"})
    assert loaded.errors == []
    assert read_receivables(loaded.entries, loaded.options).config.invoice_number == (
        "FA-{year}-{seq:03d}")


@pytest.mark.parametrize(("pattern", "problem"), [
    (5, "is not text"),
    ("INV-{year}", "must hold {seq} once and no fields but {year} and {seq}"),
    ("INV-{seq}-{seq}", "must hold {seq} once and no fields but {year} and {seq}"),
    ("INV-{month}-{seq}", "is not a format pattern of {year} and {seq}"),
    ("INV-{seq", "is not a format pattern of {year} and {seq}"),
    ("INV {seq}", "makes 'INV 1', which is no link (letters, digits, - _ / . only)"),
    ("INV-{seq:x}", "must write {seq} in decimal digits, e.g. {seq:04d}"),
])
def test_ar000_for_a_bad_pattern(ledger: Ledger, pattern: object, problem: str) -> None:
    loaded = ledger("", config={"invoice_number": pattern})
    assert [(e.source["lineno"], e.message) for e in loaded.errors] == [
        (loaded.line('plugin "beancount_ar"'),
         (f"AR000 plugin beancount_ar: configuration 'invoice_number' {pattern!r} {problem}"
         f"{HOW}"))]


def test_next_seq_is_one_more_than_the_highest_of_that_pattern_and_year() -> None:
    numbers = ["INV-2026-0007", "INV-2026-0002", "INV-2025-0040", "INV-2026-12", "X-9",
               "INV-2026-0100-A"]
    assert next_seq("INV-{year}-{seq:04d}", 2026, numbers) == 13
    assert next_seq("INV-{year}-{seq:04d}", 2025, numbers) == 41
    assert next_seq("INV-{year}-{seq:04d}", 2027, numbers) == 1
    assert next_seq("INV-{seq}", 2027, ["INV-5", "INV-2026-1"]) == 6
