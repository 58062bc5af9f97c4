"""The command line reports on the model of the loaded entries, built once by the one way in."""

from __future__ import annotations

import datetime
import gc
import textwrap
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_ar.cli.loading import load_ledger
from beancount_ar.core.build import read_receivables
from beancount_ar.reports.aging import aging

if TYPE_CHECKING:
    from pathlib import Path

HEAD = """\
plugin "beancount_ar"
{after}
2026-01-01 open Assets:Receivable:Acme
2026-01-01 open Assets:Bank:Checking
2026-01-01 open Income:Consulting
2026-01-01 custom "ar-customer" "acme"
  name: "Acme Corp"
  account: Assets:Receivable:Acme
2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
  Assets:Receivable:Acme   100.00 USD
  Income:Consulting
2026-01-20 * "Acme Corp" "Payment" ^INV-1
  Assets:Bank:Checking      40.00 USD
  Assets:Receivable:Acme   -40.00 USD
"""


def _load(tmp_path: Path, after: str = "", tail: str = "") -> tuple[object, object]:
    path = tmp_path / "ledger.beancount"
    path.write_text(HEAD.format(after=after) + textwrap.dedent(tail))
    ledger = load_ledger(path, use_cache=False)
    rebuilt = read_receivables(ledger.entries, ledger.options)
    return ledger.receivables, rebuilt


def test_the_model_is_the_one_way_in_s_of_the_loaded_entries(tmp_path: Path) -> None:
    kept, rebuilt = _load(tmp_path)
    assert kept is not rebuilt
    assert kept == rebuilt


def test_a_plugin_after_the_suite_is_in_the_model(tmp_path: Path) -> None:
    kept, rebuilt = _load(tmp_path, after='plugin "beancount.plugins.auto_accounts"')
    assert kept == rebuilt


def test_a_pad_on_a_receivable_account_is_counted(tmp_path: Path) -> None:
    tail = """
        2026-01-02 open Equity:Opening
        2026-01-02 pad Assets:Receivable:Acme Equity:Opening
        2026-01-03 balance Assets:Receivable:Acme  25.00 USD
    """
    path = tmp_path / "ledger.beancount"
    path.write_text(HEAD.format(after="") + textwrap.dedent(tail))
    ledger = load_ledger(path, use_cache=False)

    (row, _total) = aging(ledger.receivables, datetime.date(2026, 2, 1))
    # 25.00 padded in (unapplied: on no invoice) + 60.00 still open on INV-1
    assert (row.unapplied, row.total) == (Decimal("25.00"), Decimal("85.00"))


def test_loading_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    path = tmp_path / "ledger.beancount"
    path.write_text('plugin "beancount_ar"\n2026-01-01 open Assets:Bank\n', encoding="utf-8")
    assert gc.isenabled()
    load_ledger(path, use_cache=False)
    assert gc.isenabled()
    gc.disable()
    try:
        load_ledger(path, use_cache=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
