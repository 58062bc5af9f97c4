"""The Collections page in Fava, and recording from it: only a same-origin POST with the token.

    POST /<slug>/extension/Collections/record
      token, file_sha256 (from the page), invoice, kind, detail

appends one status event to the top ledger file through the one writer, then
Fava reloads. A GET, another origin, a missing or wrong token, a file changed
since the page was shown, or an event that would be an AR501 is refused with
nothing written.
"""

from __future__ import annotations

import datetime
import re
import subprocess
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
    2026-04-01 * "Acme Corp" "Consulting" ^INV-A1 #invoice
      Assets:Receivable:Acme     1000.00 USD
      Income:Consulting         -1000.00 USD

    2026-05-01 * "Globex Inc" "Consulting" ^INV-G1 #invoice
      Assets:Receivable:Globex    500.00 USD
      Income:Consulting          -500.00 USD

    2026-05-20 custom "ar-dispute" "INV-G1" "Hours disputed"
    2026-06-10 custom "ar-promise" "INV-A1" 2026-06-30
"""


@pytest.fixture
def site(tmp_path: Path) -> FavaSite:
    return FavaSite.open(write_fava_ledger(tmp_path, BODY), today=TODAY)


def _page(site: FavaSite) -> str:
    response = site.client.get(f"/{site.slug}/extension/Collections/")
    assert response.status_code == 200, response.text[:300]
    return response.text


def _form(site: FavaSite) -> dict[str, str]:
    page = _page(site)
    token = re.search(r'name="token" value="([^"]+)"', page)
    sha = re.search(r'name="file_sha256" value="([0-9a-f]{64})"', page)
    assert token
    assert sha
    return {"token": token.group(1), "file_sha256": sha.group(1)}


def _post(site: FavaSite, fields: dict[str, str], **headers: str) -> TestResponse:
    return site.client.post(f"/{site.slug}/extension/Collections/record", data=fields,
                            headers=headers or {"Origin": ORIGIN})


def _errors(path: Path) -> list[Any]:
    loader.initialize(use_cache=False)
    return loader.load_file(str(path))[1]


def test_the_page_lists_open_disputes_and_promises(site: FavaSite) -> None:
    page = _page(site)
    disputes = page[page.index('data-testid="disputes"'):page.index('data-testid="promises"')]
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", disputes)).count("INV-G1 globex "
                                                                          "2026-05-20 42") == 1
    promises = page[page.index('data-testid="promises"'):]
    assert "2026-06-30 (broken)" in promises
    assert "INV-A1" in promises


@pytest.mark.parametrize(("kind", "detail", "written"), [
    ("ar-dispute", 'He said "no" \\ twice',
     '2026-07-01 custom "ar-dispute" "INV-A1" "He said \\"no\\" \\\\ twice"'),
    ("ar-dunning", "2", '2026-07-01 custom "ar-dunning" "INV-A1" 2'),
    ("ar-promise", "2026-07-15", '2026-07-01 custom "ar-promise" "INV-A1" 2026-07-15'),
    ("ar-escalate", "legal", '2026-07-01 custom "ar-escalate" "INV-A1" "legal"'),
    ("ar-resolve", "", '2026-07-01 custom "ar-resolve" "INV-A1"'),
])
def test_a_recording_is_appended_and_fava_reloads(
    site: FavaSite, kind: str, detail: str, written: str,
) -> None:
    before = site.path.read_text(encoding="utf-8")
    response = _post(site, {**_form(site), "invoice": "INV-A1", "kind": kind, "detail": detail})
    assert response.status_code == 303, response.text
    assert response.headers["Location"].endswith("/extension/Collections/?recorded=INV-A1")
    after = site.path.read_text(encoding="utf-8")
    assert after == before + "\n" + written + "\n"
    assert _errors(site.path) == []
    events = site.extension().receivables.invoices["INV-A1"].events
    assert events[-1].kind.value == kind  # the reloaded model has it


def test_a_dispute_recorded_shows_on_the_page(site: FavaSite) -> None:
    _post(site, {**_form(site), "invoice": "INV-A1", "kind": "ar-dispute", "detail": "Late"})
    assert "Recorded for INV-A1" in site.client.get(
        f"/{site.slug}/extension/Collections/?recorded=INV-A1").text
    disputes = _page(site).split('data-testid="disputes"')[1].split('data-testid="promises"')[0]
    assert "INV-A1" in disputes
    assert "Late" in disputes


def test_a_get_is_refused_and_writes_nothing(site: FavaSite) -> None:
    before = site.path.read_bytes()
    response = site.client.get(f"/{site.slug}/extension/Collections/record",
                               query_string={**_form(site), "invoice": "INV-A1",
                                             "kind": "ar-resolve"})
    assert response.status_code == 405
    assert site.path.read_bytes() == before


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Referer": "http://evil.example/page"},
    {"Origin": "http://localhost:8080"},  # another port is another origin
    {"X-Nothing": "1"},  # neither Origin nor Referer: a form from nowhere
])
def test_a_cross_site_post_is_refused_and_writes_nothing(
    site: FavaSite, headers: dict[str, str],
) -> None:
    before = site.path.read_bytes()
    response = _post(site, {**_form(site), "invoice": "INV-A1", "kind": "ar-resolve"},
                     **headers)
    assert response.status_code == 403
    assert "nothing was written" in response.text
    assert site.path.read_bytes() == before


@pytest.mark.parametrize("headers", [
    {"Referer": f"{ORIGIN}/ar-fava-test/extension/Collections/"},
    {"Origin": "https://localhost"},  # TLS ended by a proxy: the page is https, Fava sees http
])
def test_a_same_origin_post_is_taken(site: FavaSite, headers: dict[str, str]) -> None:
    response = _post(site, {**_form(site), "invoice": "INV-A1", "kind": "ar-resolve"},
                     **headers)
    assert response.status_code == 303


@pytest.mark.parametrize("token", [None, "", "forged"])
def test_a_missing_or_wrong_token_is_refused(site: FavaSite, token: str | None) -> None:
    before = site.path.read_bytes()
    fields = {**_form(site), "invoice": "INV-A1", "kind": "ar-resolve"}
    if token is None:
        del fields["token"]
    else:
        fields["token"] = token
    response = _post(site, fields)
    assert response.status_code == 403
    assert site.path.read_bytes() == before


def test_a_file_changed_since_the_page_was_shown_is_refused(site: FavaSite) -> None:
    shown = _form(site)
    with site.path.open("a", encoding="utf-8") as ledger:  # someone else saves meanwhile
        ledger.write("\n; a note added in an editor\n")
    changed = site.path.read_bytes()
    response = _post(site, {**shown, "invoice": "INV-A1", "kind": "ar-resolve"})
    assert response.status_code == 409
    assert "changed since this page was shown" in response.text
    assert site.path.read_bytes() == changed
    assert _post(site, {**_form(site), "invoice": "INV-A1", "kind": "ar-resolve"}
                 ).status_code == 303  # after a reload of the page, it records


@pytest.mark.parametrize(("fields", "reason"), [
    ({"invoice": "INV-NONE", "kind": "ar-resolve"}, "no invoice 'INV-NONE'"),
    ({"invoice": "INV-A1", "kind": "ar-pay"}, "cannot record 'ar-pay'"),
    ({"invoice": "INV-A1", "kind": "ar-dunning", "detail": "0"}, "needs its level"),
    ({"invoice": "INV-A1", "kind": "ar-promise", "detail": "2026-06-01"}, "today or later"),
    ({"invoice": "INV-A1", "kind": "ar-escalate", "detail": "police"}, "agency or legal"),
    ({"invoice": "INV-A1", "kind": "ar-dispute", "detail": "two\nlines"}, "one line"),
])
def test_an_event_that_would_be_an_error_is_refused(
    site: FavaSite, fields: dict[str, str], reason: str,
) -> None:
    before = site.path.read_bytes()
    response = _post(site, {**_form(site), **fields})
    assert response.status_code == 400
    assert reason in response.text
    assert site.path.read_bytes() == before


def test_the_letters_due_are_listed_and_one_click_records_one(site: FavaSite) -> None:
    letters = _page(site).split('data-testid="letters"')[1].split('data-testid="escalations"')[0]
    # INV-A1: 61 days late, its promise broken yesterday; INV-G1 is disputed
    assert re.findall(r'data-invoice="([^"]+)"', letters) == ["INV-A1"]
    assert 'name="detail" value="1"' in letters
    response = _post(site, {**_form(site), "invoice": "INV-A1", "kind": "ar-dunning",
                            "detail": "1"})
    assert response.status_code == 303
    assert site.path.read_text(encoding="utf-8").endswith(
        '\n2026-07-01 custom "ar-dunning" "INV-A1" 1\n')
    letters = _page(site).split('data-testid="letters"')[1].split('data-testid="escalations"')[0]
    assert "No letters due." in letters  # the same day, nothing more to send


def test_the_letter_due_is_previewed_as_html_and_downloaded_as_pdf(
    site: FavaSite, tmp_path: Path,
) -> None:
    base = f"/{site.slug}/extension/Collections/letter"
    html = site.client.get(base, query_string={"customer": "acme", "time": "2026-07-01"})
    assert html.status_code == 200
    assert html.mimetype == "text/html"
    assert "default-src 'none'" in html.headers["Content-Security-Policy"]
    assert "INV-A1" in html.text
    pdf = site.client.get(base, query_string={"customer": "acme", "time": "2026-07-01",
                                              "format": "pdf"})
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")
    (tmp_path / "letter.pdf").write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "letter.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert "INV-A1" in text
    assert "1,000.00" in text


def test_no_letter_for_a_customer_with_none_due(site: FavaSite) -> None:
    response = site.client.get(f"/{site.slug}/extension/Collections/letter",
                               query_string={"customer": "globex"})  # disputed: no letter
    assert response.status_code == 404
    assert response.mimetype == "text/plain"


def test_the_receivables_page_shows_a_promise_as_bean_ar_overdue_does(tmp_path: Path) -> None:
    site = FavaSite.open(write_fava_ledger(tmp_path, BODY + """
        2026-06-25 custom "ar-promise" "INV-A1" 2026-07-10
    """), today=TODAY)
    rows = {r["invoice"]: r["status"] for r in site.all_invoices(time="2026-07-01")}
    assert rows == {"INV-A1": "promised", "INV-G1": "disputed"}
    promised = site.json("invoices", time="2026-07-01", status="promised")["rows"]
    assert [r["invoice"] for r in promised] == ["INV-A1"]
