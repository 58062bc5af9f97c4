"""The example's bank statement, `ledger/receipts.beancount`, as `make demo` matches it.

Each of its receipts shows one rule of AR-SPEC section 13 on the example
ledger: a name and an amount, an invoice number, a Czech variable symbol that
is also the digits of another series' invoice, a name without its legal form,
and an unknown payer left alone.
"""

from __future__ import annotations

from pathlib import Path

from ledgers import csv_text, invoke

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "ledger" / "example.beancount"
RECEIPTS = ROOT / "ledger" / "receipts.beancount"


def test_the_example_statement_is_matched_one_rule_a_receipt() -> None:
    result = invoke("match", LEDGER, RECEIPTS, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == csv_text("""
        line,date,payee,currency,amount,customer,invoices,on_account,discounts,reason,confidence
        5,2026-12-01,INITECH LLC,USD,1690.00,initech,INV-2026-098:1690.00,0.00,,name 'INITECH LLC'; the amount of INV-2026-098,0.90
        9,2026-12-01,Hooli,USD,1631.50,hooli,INV-2026-081:1631.50,0.00,,reference INV-2026-081,0.99
        13,2026-12-01,STROJIRNY NOVAK A DVORAK,CZK,33622.75,novak,FA-2026-005:33622.75,0.00,,variable symbol FA-2026-005,0.97
        17,2026-12-01,Cyberdyne Systems,EUR,2643.85,cyberdyne,INV-2026-082:2643.85,0.00,,name without legal form 'Cyberdyne Systems'; the amount of INV-2026-082,0.80
        21,2026-12-01,Jan Novotny,USD,500.00,,,0.00,,unknown payer: left alone,0.00
    """)  # noqa: E501 - one receipt per line, as the CSV has it
