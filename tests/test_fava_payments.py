"""Recording payments, write-offs and billing from the Receivables page (Flask test client).

    POST /<slug>/extension/Receivables/pay        token, file_sha256, invoice, date, amount, account
    POST /<slug>/extension/Receivables/write_off  token, file_sha256, invoice, date, amount, account
    POST /<slug>/extension/Receivables/bill       token, file_sha256, plan

each appends exactly one text to the top ledger file through the one writer, then
Fava reloads and the page shows what was written. A GET, another origin, a wrong
token, a file changed since the page was shown (a second click), a bad amount or
date, an account not open, a stale billing plan or one that adds an AR error is
refused with the file left byte for byte.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

import pytest
from beancount import loader
from fava_ledgers import FavaSite, write_fava_ledger

if TYPE_CHECKING:
    from pathlib import Path

    from werkzeug.test import TestResponse

TODAY = datetime.date(2026, 7, 1)
ORIGIN = "http://localhost"
BODY = """
    2026-01-01 open Assets:Bank:Savings
    2026-01-01 open Assets:Bank:Old
    2026-03-31 close Assets:Bank:Old

    2026-03-01 * "Globex Inc" "Consulting" ^INV-G0 #invoice
      Assets:Receivable:Globex    200.00 USD
      Income:Consulting          -200.00 USD

    2026-03-20 * "Globex Inc" "Payment" ^INV-G0
      Assets:Bank:Savings         200.00 USD
      Assets:Receivable:Globex   -200.00 USD

    2026-04-01 * "Acme Corp" "Consulting" ^INV-A1 #invoice
      Assets:Receivable:Acme     1000.00 USD
      Income:Consulting         -1000.00 USD

    2026-05-01 * "Globex Inc" "Consulting" ^INV-G1 #invoice
      Assets:Receivable:Globex    500.00 USD
      Income:Consulting          -500.00 USD
"""
PAID_A1 = """\
2026-07-01 * "Acme Corp" "Payment" ^INV-A1
  Assets:Bank:Savings      1000.00 USD
  Assets:Receivable:Acme  -1000.00 USD
"""
WRITTEN_OFF_G1 = """\
2026-06-30 * "Globex Inc" "Write-off" ^INV-G1 #write-off
  Expenses:BadDebt           500.00 USD
  Assets:Receivable:Globex  -500.00 USD
"""
CONTRACT = """
    2026-05-01 custom "ar-contract" "acme-support"
      customer: "acme"
      every: "month"
      amount: 1500.00 USD
      account: Income:Consulting
      description: "Support retainer"
"""
BILLED = """\
2026-05-01 * "Acme Corp" "Support retainer" ^INV-2026-0001 #invoice
  contract: "acme-support"
  period: 2026-05-01
  Assets:Receivable:Acme   1500.00 USD
  Income:Consulting       -1500.00 USD

2026-06-01 * "Acme Corp" "Support retainer" ^INV-2026-0002 #invoice
  contract: "acme-support"
  period: 2026-06-01
  Assets:Receivable:Acme   1500.00 USD
  Income:Consulting       -1500.00 USD

2026-07-01 * "Acme Corp" "Support retainer" ^INV-2026-0003 #invoice
  contract: "acme-support"
  period: 2026-07-01
  Assets:Receivable:Acme   1500.00 USD
  Income:Consulting       -1500.00 USD
"""


def _open(tmp_path: Path, body: str = BODY) -> FavaSite:
    return FavaSite.open(write_fava_ledger(tmp_path, body), today=TODAY)


@pytest.fixture
def site(tmp_path: Path) -> FavaSite:
    return _open(tmp_path)


def _page(site: FavaSite, **params: str) -> str:
    response = site.get("", **params)
    assert response.status_code == 200, response.text[:300]
    return response.text


def _form(site: FavaSite) -> dict[str, str]:
    page = _page(site)
    token = re.search(r'name="token" value="([^"]+)"', page)
    sha = re.search(r'name="file_sha256" value="([0-9a-f]{64})"', page)
    assert token
    assert sha
    return {"token": token.group(1), "file_sha256": sha.group(1)}


def _post(site: FavaSite, endpoint: str, fields: dict[str, str],
          **headers: str) -> TestResponse:
    return site.client.post(site.url(endpoint), data=fields,
                            headers=headers or {"Origin": ORIGIN})


def _pay(**fields: str) -> dict[str, str]:
    return {"invoice": "INV-A1", "date": "2026-07-01", "amount": "1000.00",
            "account": "Assets:Bank:Savings", **fields}


def _errors(path: Path) -> list[Any]:
    loader.initialize(use_cache=False)
    return loader.load_file(str(path))[1]


def _shown(site: FavaSite, response: TestResponse) -> str:
    """The text the page shows as written, after the redirect."""
    assert response.status_code == 303, response.text
    location = response.headers["Location"]
    assert "/extension/Receivables/?written=" in location
    page = site.client.get(location).text
    found = re.search(r'data-testid="written">.*?<pre>(.*?)</pre>', page, re.DOTALL)
    assert found, page[:500]
    return found.group(1).replace("&#34;", '"').replace("&quot;", '"')


def test_the_payment_form_offers_the_defaults(site: FavaSite) -> None:
    page = _page(site)
    form = page[page.index('data-testid="pay-INV-A1"'):page.index('data-testid="write-off-INV-A1"')]
    assert 'name="date" value="2026-07-01"' in form
    assert 'name="amount" value="1000.00"' in form
    accounts = re.findall(r'<option value="([^"]+)"( selected)?>', form)
    # open Assets accounts that are no receivable account; the last payment's is chosen
    assert accounts == [("Assets:Bank:Checking", ""), ("Assets:Bank:Savings", " selected")]
    write_off = page[page.index('data-testid="write-off-INV-A1"'):]
    assert 'name="account" value="Expenses:BadDebt"' in write_off.split("</details>")[0]


def test_without_a_payment_the_first_bank_account_is_the_default(tmp_path: Path) -> None:
    payment = BODY[BODY.index("    2026-03-20"):BODY.index("    2026-04-01")]
    site = _open(tmp_path, BODY.replace(payment, ""))
    form = _page(site).split('data-testid="pay-INV-A1"')[1].split("</details>")[0]
    assert '<option value="Assets:Bank:Checking" selected>' in form


def test_a_payment_is_appended_shown_and_the_invoice_paid(site: FavaSite) -> None:
    before = site.path.read_text(encoding="utf-8")
    response = _post(site, "pay", {**_form(site), **_pay()})
    assert site.path.read_text(encoding="utf-8") == before + "\n" + PAID_A1
    assert _shown(site, response) == PAID_A1
    assert _errors(site.path) == []
    invoice = site.extension().receivables.invoices["INV-A1"]  # Fava reloaded
    assert invoice.open_amount() == 0
    assert "INV-A1" not in [r["invoice"] for r in site.all_invoices()]


def test_a_part_payment_leaves_the_rest_open(site: FavaSite) -> None:
    before = site.path.read_text(encoding="utf-8")
    response = _post(site, "pay", {**_form(site), **_pay(amount="250.5",
                                                         account="Assets:Bank:Checking")})
    assert response.status_code == 303, response.text
    assert site.path.read_text(encoding="utf-8") == before + "\n" + (
        '2026-07-01 * "Acme Corp" "Payment" ^INV-A1\n'
        "  Assets:Bank:Checking     250.50 USD\n"
        "  Assets:Receivable:Acme  -250.50 USD\n")
    rows = {r["invoice"]: r["open"] for r in site.all_invoices()}
    assert rows["INV-A1"] == "749.50"


def test_a_write_off_is_appended_tagged(site: FavaSite) -> None:
    before = site.path.read_text(encoding="utf-8")
    response = _post(site, "write_off", {**_form(site), "invoice": "INV-G1",
                                         "date": "2026-06-30", "amount": "500.00",
                                         "account": "Expenses:BadDebt"})
    assert site.path.read_text(encoding="utf-8") == before + "\n" + WRITTEN_OFF_G1
    assert _shown(site, response) == WRITTEN_OFF_G1
    assert _errors(site.path) == []
    assert site.extension().receivables.invoices["INV-G1"].open_amount() == 0


def test_each_currency_offers_the_accounts_that_take_it_and_its_own_last_one(
        tmp_path: Path) -> None:
    site = _open(tmp_path, BODY.replace("2026-01-01 open Assets:Bank:Savings",
                                        "2026-01-01 open Assets:Bank:Savings USD\n"
                                        "    2026-01-01 open Assets:Bank:EUR EUR") + """
    2026-05-02 * "Acme Corp" "Consulting in Europe" ^INV-K1 #invoice
      Assets:Receivable:Acme      300.00 EUR
      Income:Consulting          -300.00 EUR
""")
    page = _page(site)
    euro = page.split('data-testid="pay-INV-K1"')[1].split("</details>")[0]
    # the last payment went into Savings, which takes USD only: not offered for EUR
    assert re.findall(r'<option value="([^"]+)"( selected)?>', euro) == [
        ("Assets:Bank:Checking", ""), ("Assets:Bank:EUR", " selected")]
    dollar = page.split('data-testid="pay-INV-A1"')[1].split("</details>")[0]
    assert '<option value="Assets:Bank:Savings" selected>' in dollar


def test_the_write_off_account_defaults_to_the_last_one_used(tmp_path: Path) -> None:
    site = _open(tmp_path, BODY + """
    2026-01-01 open Expenses:Uncollectible
    2026-06-01 * "Globex Inc" "Write-off" ^INV-G1 #write-off
      Expenses:Uncollectible      100.00 USD
      Assets:Receivable:Globex   -100.00 USD
""")
    form = _page(site).split('data-testid="write-off-INV-A1"')[1].split("</details>")[0]
    assert 'name="account" value="Expenses:Uncollectible"' in form


@pytest.mark.parametrize(("endpoint", "fields", "reason"), [
    ("pay", _pay(amount="0"), "more than zero"),
    ("pay", _pay(amount="-5.00"), "more than zero"),
    ("pay", _pay(amount="1000.01"), "at most what is open on INV-A1, 1000.00 USD"),
    ("pay", _pay(amount="10.001"), "USD takes 2 decimals"),
    ("pay", _pay(amount="ten"), "must be a number"),
    ("pay", _pay(amount="NaN"), "must be a number"),
    ("pay", _pay(date="2026-03-31"), "between the invoice's, 2026-04-01, and today"),
    ("pay", _pay(date="2026-07-02"), "between the invoice's, 2026-04-01, and today"),
    ("pay", _pay(date="yesterday"), "YYYY-MM-DD"),
    ("pay", _pay(account="Assets:Bank:Old"), "'Assets:Bank:Old' is not open on 2026-07-01"),
    ("pay", _pay(account="Assets:Bank:Nowhere"), "is not open"),
    ("pay", _pay(account="Assets:Receivable:Globex"), "no receivable"),
    ("pay", _pay(account="Income:Consulting"), "no receivable"),
    ("pay", _pay(invoice="INV-NONE"), "no invoice 'INV-NONE'"),
    ("write_off", _pay(account="Expenses:Nowhere", amount="1000.00"),
     "the expense account 'Expenses:Nowhere' is not open on 2026-07-01"),
    ("write_off", _pay(account="Assets:Bank:Savings"), "must be an Expenses account"),
])
def test_a_bad_form_is_refused_and_writes_nothing(
    site: FavaSite, endpoint: str, fields: dict[str, str], reason: str,
) -> None:
    before = site.path.read_bytes()
    response = _post(site, endpoint, {**_form(site), **fields})
    assert response.status_code == 400, response.text
    assert reason in response.text
    assert "nothing was written" in response.text
    assert response.mimetype == "text/plain"
    assert site.path.read_bytes() == before


def test_a_write_off_of_another_amount_than_shown_is_refused(site: FavaSite) -> None:
    before = site.path.read_bytes()
    response = _post(site, "write_off", {**_form(site), **_pay(
        amount="900.00", account="Expenses:BadDebt")})
    assert response.status_code == 409
    assert "1000.00 USD open, not 900.00" in response.text
    assert site.path.read_bytes() == before


@pytest.mark.parametrize("endpoint", ["pay", "write_off", "bill"])
def test_a_get_is_refused_and_writes_nothing(site: FavaSite, endpoint: str) -> None:
    before = site.path.read_bytes()
    response = site.client.get(site.url(endpoint), query_string={**_form(site), **_pay()})
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert site.path.read_bytes() == before


@pytest.mark.parametrize("endpoint", ["pay", "write_off", "bill"])
@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Referer": "http://evil.example/page"},
    {"Origin": "http://localhost:8080"},
    {"X-Nothing": "1"},
])
def test_another_origin_is_refused(site: FavaSite, endpoint: str,
                                   headers: dict[str, str]) -> None:
    before = site.path.read_bytes()
    response = _post(site, endpoint, {**_form(site), **_pay()}, **headers)
    assert response.status_code == 403
    assert site.path.read_bytes() == before


@pytest.mark.parametrize("token", [None, "", "forged"])
def test_a_missing_or_wrong_token_is_refused(site: FavaSite, token: str | None) -> None:
    before = site.path.read_bytes()
    fields = {**_form(site), **_pay()}
    if token is None:
        del fields["token"]
    else:
        fields["token"] = token
    assert _post(site, "pay", fields).status_code == 403
    assert site.path.read_bytes() == before


def test_a_file_changed_since_the_page_was_shown_is_refused(site: FavaSite) -> None:
    shown = _form(site)
    with site.path.open("a", encoding="utf-8") as ledger:
        ledger.write("\n; a note added in an editor\n")
    changed = site.path.read_bytes()
    response = _post(site, "pay", {**shown, **_pay()})
    assert response.status_code == 409
    assert "changed since this page was shown" in response.text
    assert site.path.read_bytes() == changed
    assert _post(site, "pay", {**_form(site), **_pay()}).status_code == 303


def test_a_second_submit_of_the_same_form_records_nothing(site: FavaSite) -> None:
    before = site.path.read_text(encoding="utf-8")
    fields = {**_form(site), **_pay()}
    assert _post(site, "pay", fields).status_code == 303
    once = site.path.read_bytes()
    again = _post(site, "pay", fields)
    assert again.status_code == 409
    assert "it was not written again" in again.text
    assert site.path.read_bytes() == once
    assert site.path.read_text(encoding="utf-8") == before + "\n" + PAID_A1


# --- billing --------------------------------------------------------------------------


def _plan(page: str) -> str:
    found = re.search(r'name="plan" value="([^"]*)"', page)
    assert found
    return found.group(1)


def test_the_bill_preview_lists_the_plan(tmp_path: Path) -> None:
    site = _open(tmp_path, BODY + CONTRACT)
    page = _page(site)
    preview = page[page.index('data-testid="bill-preview"'):page.index('data-testid="bill-form"')]
    cells = [re.sub(r"<[^>]+>", "", c).strip()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", preview, re.DOTALL)]
    assert cells == ["INV-2026-0001", "2026-05-01", "Acme Corp", "acme-support", "1,500.00 USD",
                     "INV-2026-0002", "2026-06-01", "Acme Corp", "acme-support", "1,500.00 USD",
                     "INV-2026-0003", "2026-07-01", "Acme Corp", "acme-support", "1,500.00 USD"]
    assert _plan(page) == "INV-2026-0001 INV-2026-0002 INV-2026-0003"


def test_billing_appends_the_plan_as_bean_ar_bill_does(tmp_path: Path) -> None:
    site = _open(tmp_path, BODY + CONTRACT)
    before = site.path.read_text(encoding="utf-8")
    response = _post(site, "bill", {**_form(site), "plan": _plan(_page(site))})
    assert site.path.read_text(encoding="utf-8") == before + "\n" + BILLED
    assert _shown(site, response) == BILLED
    assert _errors(site.path) == []
    assert "Nothing to bill through 2026-07-01" in _page(site)


def test_a_stale_plan_is_refused(tmp_path: Path) -> None:
    site = _open(tmp_path, BODY + CONTRACT)
    before = site.path.read_bytes()
    response = _post(site, "bill", {**_form(site), "plan": "INV-2026-0001 INV-2026-0002"})
    assert response.status_code == 409
    assert "the plan changed since this preview was shown" in response.text
    assert site.path.read_bytes() == before


def test_a_plan_that_adds_an_ar_error_is_refused(tmp_path: Path) -> None:
    site = _open(tmp_path, BODY + """
    2026-01-01 open Assets:Receivable:Initech
    2026-01-01 custom "ar-customer" "initech"
      name: "Initech"
      account: Assets:Receivable:Initech
      credit-limit: 2000.00 USD
    2026-06-01 custom "ar-contract" "initech-support"
      customer: "initech"
      every: "month"
      amount: 1500.00 USD
      account: Income:Consulting
      description: "Support"
""")
    before = site.path.read_bytes()
    response = _post(site, "bill", {**_form(site), "plan": _plan(_page(site))})
    assert response.status_code == 400, response.text
    assert "would add error(s) to the ledger" in response.text
    assert "AR301" in response.text or "credit limit" in response.text
    assert site.path.read_bytes() == before


def test_no_contracts_no_billing_and_nothing_due_says_so(tmp_path: Path) -> None:
    assert 'data-testid="bill"' not in _page(_open(tmp_path))
    late = FavaSite.open(write_fava_ledger(tmp_path, BODY + CONTRACT.replace(
        "2026-05-01", "2026-08-01"), name="late.beancount"), today=TODAY)
    page = _page(late)
    assert "Nothing to bill through 2026-07-01" in page
    assert 'data-testid="bill-form"' not in page
