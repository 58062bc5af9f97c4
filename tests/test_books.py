"""One way in: the suite's books are reused by the fronts, pickle, and leave no global state."""

from __future__ import annotations

import gc
import pickle
from typing import TYPE_CHECKING

from beancount import loader

from beancount_ar.books import KEPT_KEY, Kept, books_of, build
from beancount_ar.loading import load_ledger

if TYPE_CHECKING:
    from pathlib import Path

LEDGER = """\
plugin "beancount_ar" "{'default_terms': 'net 15'}"
2026-01-01 open Assets:Receivable:Acme
2026-01-01 open Income:Consulting
2026-01-01 custom "ar-company" "Seed s.r.o."
  locale: "und"
2026-01-01 custom "ar-customer" "acme"
  name: "Acme Corp"
  account: Assets:Receivable:Acme
2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
  Assets:Receivable:Acme   100.00 USD
  Income:Consulting
"""


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.beancount"
    path.write_text(LEDGER)
    return path


def test_the_suite_leaves_its_books_and_the_fronts_take_them(tmp_path: Path) -> None:
    entries, _, options = loader.load_file(str(_write(tmp_path)))
    kept = options[KEPT_KEY]
    assert isinstance(kept, Kept)
    assert books_of(entries, options) is kept.books
    rebuilt = build(entries, options)
    assert rebuilt.receivables == kept.books.receivables
    assert str(rebuilt.config.default_terms) == "net 15"
    assert rebuilt.seller is not None
    assert [e.code for e in rebuilt.seller_errors] == ["AR010"]  # one validator: no `und`


def test_books_pickle_and_the_cache_keeps_none(tmp_path: Path) -> None:
    entries, _, options = loader.load_file(str(_write(tmp_path)))
    books = books_of(entries, options)
    assert pickle.loads(pickle.dumps(books)) == books  # noqa: S301 - our own bytes
    assert pickle.loads(pickle.dumps(options[KEPT_KEY])).books is None  # noqa: S301


def test_load_ledger_restores_the_collector(tmp_path: Path) -> None:
    assert gc.isenabled()
    ledger = load_ledger(_write(tmp_path), use_cache=False)
    assert gc.isenabled()
    assert ledger.seller is not None
    assert ledger.receivables.invoices["INV-1"].lines[0].amount == 100
