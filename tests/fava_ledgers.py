"""Helpers for the Fava tests: a real Fava app on a ledger file, its HTML read back, `bean-ar`.

    site = FavaSite.open(write_fava_ledger(tmp_path, '''
        2026-04-01 * "Acme Corp" "Consulting" ^INV-A1 #invoice
          Assets:Receivable:Acme     1000.00 USD
          Income:Consulting         -1000.00 USD
    '''))
    page = site.html(time="2026-06")          # the Receivables page, parsed
    site = FavaSite.open(path, today=datetime.date(2026, 7, 15))  # the page's "today"
    rows = site.json("aging", time="2026-06")["rows"]
    assert rows == bean_ar_csv("aging", site.path, "2026-06-30")

Every snippet is written below `FAVA_HEADER`: a title, the suite with its defaults,
the Fava extension, the usual accounts and three customers (acme net 30, globex
net 15, umbrella net 30).
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from click.testing import CliRunner
from fava.application import create_app

from beancount_ar.cli import main

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterator, Mapping

    from flask import Flask
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse

EXAMPLE = Path(__file__).resolve().parent.parent / "ledger" / "example.beancount"
EXAMPLE_SLUG = "seed-consulting-receivables-example"

FAVA_HEADER = textwrap.dedent("""\
    option "title" "AR Fava test"
    option "operating_currency" "USD"
    plugin "beancount_ar"

    2026-01-01 custom "fava-extension" "beancount_ar.fava"

    2026-01-01 open Assets:Bank:Checking
    2026-01-01 open Assets:Receivable:Acme
    2026-01-01 open Assets:Receivable:Globex
    2026-01-01 open Assets:Receivable:Umbrella
    2026-01-01 open Income:Consulting
    2026-01-01 open Liabilities:SalesTax
    2026-01-01 open Expenses:BadDebt

    2026-01-01 custom "ar-customer" "acme"
      name: "Acme Corp"
      account: Assets:Receivable:Acme
      terms: "net 30"

    2026-01-01 custom "ar-customer" "globex"
      name: "Globex Inc"
      account: Assets:Receivable:Globex
      terms: "net 15"

    2026-01-01 custom "ar-customer" "umbrella"
      name: "Umbrella Corp"
      account: Assets:Receivable:Umbrella
      terms: "net 30"
""")


def write_fava_ledger(directory: Path, body: str, *, header: str = FAVA_HEADER,
                      name: str = "ledger.beancount") -> Path:
    """Write `header` and the dedented `body` to `directory/name`; return the absolute path."""
    path = (directory / name).resolve()
    path.write_text(header + "\n" + textwrap.dedent(body), encoding="utf-8")
    return path


# --- bean-ar --------------------------------------------------------------------------


def bean_ar_csv(command: str, path: Path, as_of: str) -> list[dict[str, str]]:
    """`bean-ar COMMAND PATH --as-of AS_OF --format csv`, one dict per row."""
    result = CliRunner().invoke(main, [command, str(path), "--as-of", as_of, "--format", "csv"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


# --- Fava -----------------------------------------------------------------------------


@dataclass
class FavaSite:
    """A Fava app serving one ledger, and a test client for it."""

    path: Path
    app: Flask
    client: FlaskClient
    slug: str

    @classmethod
    def open(cls, path: Path, *, poll_watcher: bool = False,
             today: datetime.date | None = None) -> FavaSite:
        """Load the ledger in Fava; the slug is where `/` redirects to.

        With `today`, the Receivables page takes that day for today (Fava's own
        relative filters such as `month` still follow the real clock).
        """
        app = create_app([str(path)], load=True, poll_watcher=poll_watcher)
        client = app.test_client()
        response = client.get("/")
        assert response.status_code == 302, response.status_code
        slug = response.headers["Location"].strip("/").split("/")[0]
        site = cls(path, app, client, slug)
        if today is not None:
            site.extension().clock = lambda: today
        return site

    def url(self, endpoint: str = "") -> str:
        """The Receivables page (`endpoint=""`) or one of its endpoints."""
        return f"/{self.slug}/extension/Receivables/{endpoint}"

    def get(self, endpoint: str = "", **params: str | int) -> TestResponse:
        """GET the page or an endpoint with query parameters."""
        return self.client.get(self.url(endpoint),
                               query_string={k: str(v) for k, v in params.items()})

    def html(self, **params: str | int) -> Element:
        """The Receivables page for `params`, parsed (it must answer 200)."""
        return self.html_answer(200, **params)

    def html_answer(self, code: int, /, **params: str | int) -> Element:
        """The Receivables page for `params`, parsed; it must answer HTTP `code` in HTML."""
        response = self.get("", **params)
        assert response.status_code == code, (response.status_code, response.text[:500])
        assert response.mimetype == "text/html"
        return parse_html(response.text)

    def json(self, endpoint: str, **params: str | int) -> dict[str, Any]:
        """A JSON endpoint's answer for `params` (it must answer 200)."""
        response = self.get(endpoint, **params)
        assert response.status_code == 200, response.text[:500]
        assert response.mimetype == "application/json"
        data = response.get_json()
        assert isinstance(data, dict)
        return data

    def all_invoices(self, **params: str | int) -> list[dict[str, Any]]:
        """Every page of the `invoices` endpoint, in order."""
        first = self.json("invoices", **params)
        rows: list[dict[str, Any]] = list(first["rows"])
        for page in range(2, int(first["pages"]) + 1):
            rows += self.json("invoices", **params, page=page)["rows"]
        assert len(rows) == first["total"]
        return rows

    def extension(self) -> Any:
        """The Receivables extension instance of the loaded ledger."""
        ledger = self.app.config["LEDGERS"][self.slug]
        extension = ledger.extensions.get_extension("Receivables")
        assert extension is not None
        return extension


# --- HTML read back -------------------------------------------------------------------

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                   "meta", "source", "track", "wbr"})
_SPACE = re.compile(r"\s+")


@dataclass
class Element:
    """An HTML element: tag, attributes, children (elements and text, entities decoded)."""

    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str | None) -> list[Element]:
        """Elements below (and including) this one; `data_testid="x"` matches
        `data-testid="x"`, and an attribute given as None need only be present."""
        wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [
            e for e in self.iter()
            if (tag is None or e.tag == tag)
            and all(k in e.attrs and (v is None or e.attrs[k] == v) for k, v in wanted.items())
        ]

    def find(self, tag: str | None = None, **attrs: str | None) -> Element:
        """The one element that matches."""
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}> elements, want exactly one"
        return found[0]

    def text(self) -> str:
        """All text below, whitespace collapsed."""
        parts = [child if isinstance(child, str) else f" {child.text()} "
                 for child in self.children]
        return _SPACE.sub(" ", "".join(parts)).strip()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Element:
    """The document tree of an HTML page."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def plain_number(text: str) -> str:
    """`1,500.00` as the CSV writes it: `1500.00`."""
    return text.replace(",", "")


def aging_table(page: Element) -> list[dict[str, str]]:
    """The page's aging table in the CSV's terms: customer id, currency, plain numbers."""
    table = page.find("table", data_testid="aging")
    header = [th.text().lower() for th in table.find_all("th")]
    assert header[:2] == ["customer", "currency"], header
    rows = []
    for tr in table.find_all("tr", data_customer=None):
        cells = [td.text() for td in tr.find_all("td")]
        rows.append({"customer": tr.attrs["data-customer"], "currency": tr.attrs["data-currency"],
                     **{h: plain_number(c) for h, c in zip(header[2:], cells[2:], strict=True)}})
    return rows


def invoice_numbers(page: Element) -> list[str]:
    """The open-invoice table's invoice numbers, top to bottom."""
    return [tr.attrs["data-invoice"]
            for tr in page.find("table", data_testid="invoices").find_all("tr", data_invoice=None)]


def invoice_table(page: Element) -> list[dict[str, str]]:
    """The open-invoice table in the overdue CSV's terms (the customer shows as its name,
    the status as the filter names it; days overdue are empty when not yet due)."""
    rows = []
    for tr in page.find("table", data_testid="invoices").find_all("tr", data_invoice=None):
        cells = [td.text() for td in tr.find_all("td")]
        amount, currency = cells[5].rsplit(" ", 1)
        rows.append({"invoice": tr.attrs["data-invoice"], "customer_name": cells[1],
                     "currency": currency, "date": cells[2], "due": cells[3],
                     "days_overdue": cells[4], "amount": plain_number(amount),
                     "open": plain_number(cells[6]), "status": tr.attrs["data-status"]})
    return rows


def customer_fields(page: Element) -> dict[str, str]:
    """The customer view's first table: row heading -> value."""
    section = page.find("section", data_testid="customer-view")
    table = section.find_all("table")[0]
    return {tr.find("th").text(): tr.find("td").text() for tr in table.find_all("tr")}


def inside_fava(page: Element) -> bool:
    """Whether the HTML is Fava's whole layout (its <article> and ledger data), not bare."""
    return bool(page.find_all("article")) and bool(page.find_all("script", id="ledger-data"))


def summary(page: Element, currency: str) -> dict[str, str]:
    """One currency's summary box: label -> figure."""
    box = page.find("dl", data_currency=currency)
    out = {}
    for dd in box.find_all("dd"):
        label, value = (span.text() for span in dd.find_all("span"))
        out[label] = value
    return out


def by_key(rows: list[dict[str, Any]], key: str) -> Mapping[str, dict[str, Any]]:
    """Rows by one field's value (which must be unique)."""
    out = {str(row[key]): row for row in rows}
    assert len(out) == len(rows), f"{key} is not unique"
    return out
