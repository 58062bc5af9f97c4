"""Shared test helpers: load a ledger snippet with Beancount's real loader.

    def test_something(ledger):
        entries, errors, options = ledger('''
            2026-01-05 * "Acme Corp" "Consulting" ^INV-2026-001 #invoice
              Assets:Receivable:Acme   1000.00 USD
              Income:Consulting       -1000.00 USD
        ''')

The snippet is dedented and written after a standard header (operating
currency, the suite's `plugin` line, open directives and two customers:
`acme` on net 30 and `globex` on net 15). `ledger(..., header=False)` writes the
snippet alone; `plugin=`, `config=`, `customers=` and `accounts=` change the header.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest
from beancount import loader
from hypothesis.configuration import set_hypothesis_home_dir

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

# Tests write only under temporary folders: hypothesis keeps its examples and
# caches in the system's, not in `.hypothesis/` of the working directory.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "beancount-ar-hypothesis")

SUITE = "beancount_ar"
OPEN_DATE = "2020-01-01"
BASE_ACCOUNTS = (
    "Assets:Bank:Checking",
    "Assets:Receivable:Acme",
    "Assets:Receivable:Globex",
    "Income:Consulting",
    "Liabilities:SalesTax",
    "Expenses:BadDebt",
)
_CODE = re.compile(r"AR\d{3}\b")


@dataclass(frozen=True)
class CustomerSpec:
    """An `ar-customer` directive for the header (its account is opened too)."""

    id: str
    name: str
    account: str
    terms: str | None = None
    credit_limit: str | None = None  # e.g. "20000.00 USD"
    date: str = "2026-01-01"

    def directive(self) -> str:
        lines = [
            f'{self.date} custom "ar-customer" "{self.id}"',
            f'  name: "{self.name}"',
            f"  account: {self.account}",
        ]
        if self.terms is not None:
            lines.append(f'  terms: "{self.terms}"')
        if self.credit_limit is not None:
            lines.append(f"  credit-limit: {self.credit_limit}")
        return "\n".join(lines)


ACME = CustomerSpec("acme", "Acme Corp", "Assets:Receivable:Acme", "net 30")
GLOBEX = CustomerSpec("globex", "Globex Inc", "Assets:Receivable:Globex", "net 15")
DEFAULT_CUSTOMERS = (ACME, GLOBEX)


class Loaded(NamedTuple):
    """What `beancount.loader.load_file` returned; unpacks as (entries, errors, options)."""

    entries: list[Any]
    errors: list[Any]
    options: dict[str, Any]

    @property
    def path(self) -> str:
        """The ledger file written for the snippet."""
        return str(self.options["filename"])

    @property
    def text(self) -> str:
        """The whole ledger file as written."""
        with open(self.path, encoding="utf-8") as file:  # noqa: PTH123
            return file.read()

    def line(self, marker: str) -> int:
        """The 1-based line number of the one line of the file containing `marker`."""
        found = [n for n, text in enumerate(self.text.splitlines(), 1) if marker in text]
        assert len(found) == 1, f"marker {marker!r} is on lines {found}, want exactly one"
        return found[0]

    @property
    def codes(self) -> set[str]:
        """The set of error codes (`AR203`, ...); other errors appear as their message."""
        return codes(self.errors)


def codes(errors: Iterable[Any]) -> set[str]:
    """Each error's code; a non-AR error (e.g. Beancount's own) by its whole message."""
    out = set()
    for error in errors:
        match = _CODE.match(error.message)
        out.add(match.group(0) if match else f"{type(error).__name__}: {error.message}")
    return out


def ledger_header(
    *,
    plugin: str | None = SUITE,
    config: str | dict[str, Any] | None = None,
    customers: Iterable[CustomerSpec] = DEFAULT_CUSTOMERS,
    accounts: Iterable[str] = (),
) -> str:
    """The standard ledger header."""
    customers = tuple(customers)
    lines = ['option "operating_currency" "USD"']
    if plugin is not None:
        if config is None:
            lines.append(f'plugin "{plugin}"')
        else:
            text = config if isinstance(config, str) else repr(config)
            lines.append(f'plugin "{plugin}" "{text}"')
    lines.append("")
    opened = dict.fromkeys([*BASE_ACCOUNTS, *(c.account for c in customers), *accounts])
    lines.extend(f"{OPEN_DATE} open {account}" for account in opened)
    for customer in customers:
        lines.extend(["", customer.directive()])
    return "\n".join(lines) + "\n\n"


def load(
    text: str,
    tmp_path: Path,
    *,
    header: bool = True,
    filename: str = "ledger.beancount",
    **header_options: Any,
) -> Loaded:
    """Write `text` (dedented, after the standard header unless `header=False`) and load it.

    `header_options` go to `ledger_header`: plugin, config, customers, accounts.
    """
    body = textwrap.dedent(text).strip("\n") + "\n"
    path = tmp_path / filename
    top = ledger_header(**header_options) if header else ""
    path.write_text(top + body, encoding="utf-8")
    entries, errors, options = loader.load_file(str(path))
    return Loaded(entries, errors, options)


@pytest.fixture(autouse=True)
def _cache_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                ) -> Path:
    """Each test's own `$XDG_CACHE_HOME` (`bean-ar check --against` caches there)."""
    folder = tmp_path_factory.mktemp("cache-home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def ledger(tmp_path: Path) -> Callable[..., Loaded]:
    """A factory: `ledger(text, header=True, plugin=..., config=..., customers=..., accounts=...)`.

    Each call writes a new file in the test's `tmp_path`.
    """
    counter = itertools.count(1)

    def factory(text: str, **options: Any) -> Loaded:
        return load(text, tmp_path, filename=f"ledger-{next(counter)}.beancount", **options)

    return factory


# What `make test-fast` leaves out: the files that drive a browser, Fava's app, the
# PDF engine, git, a fresh virtual environment or many subprocesses. Every other test is a
# contract test (marker `contract`), new files included.
HEAVY = {
    "test_fava_browser.py": "browser",
    "test_fava_collections_browser.py": "browser",
    "test_fava_analytics_browser.py": "browser",
    "test_fava_payments_browser.py": "browser",
    "test_fava.py": "fava",
    "test_one_way_in.py": "fava",
    "test_fava_collections.py": "fava",
    "test_fava_payments.py": "fava",
    "test_fava_analytics.py": "fava",
    "test_fava_summary.py": "fava",
    "test_fava_time_filter.py": "fava",
    "test_documents.py": "pdf",
    "test_statement_letter.py": "pdf",
    "test_fava_documents.py": "pdf",
    "test_management_report.py": "pdf",
    "test_deposits_slip.py": "pdf",
    "test_fonts.py": "pdf",
    "test_output_guard.py": "pdf",
    "test_document_ledger_errors.py": "pdf",
    "test_engine_lockdown.py": "pdf",
    "test_letters.py": "pdf",
    "test_bill_pdf.py": "pdf",
    "test_packaging.py": "slow",
    "test_precommit.py": "slow",
    "test_real_ledgers.py": "slow",
    "test_fuzz.py": "slow",
    "test_stdout_errors.py": "slow",
    "test_collections_record_kill.py": "slow",
    "test_bill_kill.py": "slow",
    "test_match_apply_kill.py": "slow",
    "test_deposits_record_kill.py": "slow",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test `contract`, or by what makes it heavy (`browser`, `fava`, `pdf`, `slow`)."""
    for item in items:
        kind = HEAVY.get(item.path.name)
        item.add_marker(getattr(pytest.mark, kind or "contract"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the pictures of pages and documents went, for a person to look at."""
    from ledgers import ARTIFACTS

    if ARTIFACTS.is_dir() and any(ARTIFACTS.iterdir()):
        terminalreporter.write_line(f"pictures of the pages and documents: {ARTIFACTS}")


@pytest.fixture
def gpg_recipient(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A real gpg key without a passphrase in a home of its own; its address.

    Beancount decrypts `.gpg` includes by running gpg, which finds the key there.
    """
    home = Path(tempfile.mkdtemp(prefix="gpg-", dir="/tmp"))  # the agent's socket path is short
    home.chmod(0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    try:
        subprocess.run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key",
                        "AR Test <ar@example.com>", "default", "default", "never"],
                       check=True, capture_output=True)
        yield "ar@example.com"
    finally:
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], check=False, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def encrypt_file(plain: Path, recipient: str) -> Path:
    """`plain` encrypted for `recipient` as `plain.gpg`; the plain file removed."""
    encrypted = plain.with_name(plain.name + ".gpg")
    subprocess.run(["gpg", "--batch", "--yes", "--trust-model", "always", "-r", recipient,
                    "-o", str(encrypted), "-e", str(plain)], check=True, capture_output=True)
    plain.unlink()
    return encrypted


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium (Playwright), for the browser tests of one module."""
    from playwright.sync_api import sync_playwright
    from test_fava_browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
