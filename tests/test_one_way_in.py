"""One way in: every front reads the model `read_receivables(entries, options_map)` builds.

    receivables = read_receivables(entries, options_map)   # beancount_ar.core.build

A load (the plugins, in `bean-check`, `bean-ar` and Fava alike) builds it once
without history and keeps nothing; `bean-ar` builds it once with history from
the loaded entries; Fava once, on the first request that needs it, and again
only after the ledger is loaded again. The model carries the configuration, the
seller, each currency's precision and every AR error, each with its code.
"""

from __future__ import annotations

import datetime
import textwrap
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from beancount import loader
from click.testing import CliRunner
from fava_ledgers import FavaSite, write_fava_ledger

import beancount_ar.cli.loading
import beancount_ar.fava
import beancount_ar.suite
from beancount_ar.cli import main
from beancount_ar.core.build import read_receivables

if TYPE_CHECKING:
    from pathlib import Path

LEDGER = """\
plugin "beancount_ar" "{'default_terms': 'net 15'}"

2026-01-01 open Assets:Receivable:Acme
2026-01-01 open Assets:Bank:Checking
2026-01-01 open Income:Consulting
2026-01-01 custom "ar-company" "Example s.r.o."
  locale: "xx_YY"
2026-01-01 custom "ar-customer" "acme"
  name: "Acme Corp"
  account: Assets:Receivable:Acme
2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
  Assets:Receivable:Acme   100.000 USD
  Income:Consulting
2026-01-20 * "Acme Corp" "Payment" ^INV-1
  Assets:Bank:Checking      40.000 USD
  Assets:Receivable:Acme   -40.000 USD
"""


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count the real `read_receivables` calls of each front, by history or not."""
    calls: Counter[str] = Counter()

    def counting(where: str) -> Any:
        def read(*args: Any, **kwargs: Any) -> Any:
            calls[f"{where}, history={kwargs.get('history', True)}"] += 1
            return read_receivables(*args, **kwargs)
        return read

    for module, where in ((beancount_ar.suite, "load"), (beancount_ar.cli.loading, "bean-ar"),
                          (beancount_ar.fava, "fava")):
        monkeypatch.setattr(module, "read_receivables", counting(where))
    return calls


def test_the_model_carries_configuration_seller_precision_and_coded_errors(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ledger.beancount"
    path.write_text(LEDGER, encoding="utf-8")
    entries, _, options = loader.load_file(str(path))
    receivables = read_receivables(entries, options)
    assert str(receivables.config.default_terms) == "net 15"
    assert receivables.seller is not None
    assert receivables.seller.at(datetime.date(2026, 1, 5)).name == "Example s.r.o."
    assert receivables.precision.plain(Decimal(60), "USD") == "60.000"
    assert [(e.code, e.source["lineno"]) for e in receivables.errors] == [("AR010", 6)]
    assert receivables.invoices["INV-1"].open_amount(datetime.date(2026, 2, 1)) == 60


def test_bean_check_s_load_builds_once_without_history_and_keeps_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _count_builds(monkeypatch)
    path = tmp_path / "ledger.beancount"
    path.write_text(LEDGER, encoding="utf-8")
    loader.initialize(use_cache=False)
    _, errors, options = loader.load_file(str(path))
    assert calls == {"load, history=False": 1}
    assert [getattr(e, "code", None) for e in errors] == ["AR010"]
    assert not [key for key in options if "beancount_ar" in str(key).lower()]


def test_bean_ar_builds_the_model_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_builds(monkeypatch)
    path = tmp_path / "ledger.beancount"
    path.write_text(LEDGER.replace('  locale: "xx_YY"\n', ""), encoding="utf-8")
    result = CliRunner().invoke(main, ["aging", str(path), "--as-of", "2026-02-01",
                                       "--format", "csv", "--no-cache"])
    assert result.exit_code == 0, result.output
    # net 15 from the plugin line's configuration: due 2026-01-20, 12 days late
    assert result.stdout.splitlines()[1] == "acme,USD,0.000,0.000,60.000,0.000,0.000,0.000,60.000"
    assert calls == {"load, history=False": 1, "bean-ar, history=True": 1}


@pytest.mark.fava
def test_fava_builds_the_model_once_per_load_on_the_first_request_that_needs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _count_builds(monkeypatch)
    body = textwrap.dedent(LEDGER).replace('  locale: "xx_YY"\n', "").split("\n", 1)[1]
    site = FavaSite.open(write_fava_ledger(tmp_path, body), today=datetime.date(2026, 2, 1))
    assert calls == {"load, history=False": 1}  # Fava's own load: the plugin only
    for _ in range(2):
        assert site.get("").status_code == 200
        assert site.json("aging")["rows"]
    assert calls == {"load, history=False": 1, "fava, history=True": 1}
    ledger = site.app.config["LEDGERS"][site.slug]
    ledger.load_file()
    assert site.json("aging")["rows"]
    assert calls == {"load, history=False": 2, "fava, history=True": 2}
