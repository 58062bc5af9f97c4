"""Reading `ar-customer` directives into customers with dated versions.

    2026-01-01 custom "ar-customer" "acme"
      name: "Acme Corp"
      account: Assets:Receivable:Acme
      terms: "net 30"
      credit-limit: 20000.00 USD
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount_ar.core.directives import as_written
from beancount_ar.core.errors import ARError, ar_error
from beancount_ar.core.identifiers import CHECKSUM_KEYS, VAT_KEYS, vat_problem
from beancount_ar.core.model import CreditLimit, Customer, CustomerVersion, Source, new_record
from beancount_ar.core.terms import TERMS_HINT, parse_terms

if TYPE_CHECKING:
    from beancount.core.data import Custom, Posting, Transaction

    from beancount_ar.core.config import ARConfig

CUSTOMER_DIRECTIVE = "ar-customer"
_RESERVED = {"filename", "lineno", "name", "account", "terms", "credit-limit"}
_HOW = 'write it as custom "ar-customer" "<id>" with name: and account: metadata'


def source(meta: dict[str, Any]) -> Source:
    """The model's location for an entry's metadata."""
    try:
        return new_record(Source, (meta["filename"], meta["lineno"]))
    except KeyError:
        return Source(str(meta.get("filename", "<unknown>")), int(meta.get("lineno", 0)))


def customer_id(entry: Custom) -> str | None:
    """The id a customer-like directive names, if its first value is a string."""
    if entry.values and isinstance(entry.values[0].value, str) and entry.values[0].value:
        return entry.values[0].value
    return None


class CustomerBook:
    """Collects customers from their directives, one at a time, in date order."""

    def __init__(self, config: ARConfig) -> None:
        """Start with no customers."""
        self.config = config
        self.versions: dict[str, list[CustomerVersion]] = {}
        self.account_owner: dict[str, str] = {}
        self.errors: list[ARError] = []

    def add(self, entry: Custom) -> None:
        """Take one `ar-customer` directive."""
        cid = customer_id(entry)
        if cid is None:
            written = entry.values[0].value if entry.values else None
            what = ("has no customer id" if written in (None, "") else
                    f"has customer id {as_written(written)}, which is not text")
            self._error(entry, f"ar-customer at {entry.date} {what}; {_HOW}")
            return
        previous = self.versions[cid][-1] if cid in self.versions else None
        version = self._version(entry, cid, previous)
        if version is not None:
            self.versions.setdefault(cid, []).append(version)
            self.account_owner.setdefault(version.account, cid)

    def customers(self) -> dict[str, Customer]:
        """The customers read so far, by id."""
        return {cid: Customer(cid, tuple(vs)) for cid, vs in self.versions.items()}

    def _error(self, entry: Custom, message: str) -> None:
        self.errors.append(ar_error("AR001", entry.meta, message, entry))

    def _version(
        self, entry: Custom, cid: str, previous: CustomerVersion | None
    ) -> CustomerVersion | None:
        meta = entry.meta
        name = meta.get("name", previous.name if previous else None)
        account = self._account(entry, cid, previous)
        if account is None:
            return None
        if not isinstance(name, str) or not name.strip():
            what = ("has no name" if name is None or isinstance(name, str) else
                    f"has name {as_written(name)}, which is not text")
            self._error(entry, f'customer "{cid}" {what}; write name: "..." in double quotes')
            name = cid
        terms = previous.terms if previous else None
        if "terms" in meta:
            terms = parse_terms(meta["terms"]) if isinstance(meta["terms"], str) else None
            if terms is None:
                self._error(entry, f'customer "{cid}" has unknown terms '
                            f"{as_written(meta['terms'])}; {TERMS_HINT}")
                terms = previous.terms if previous else None
        limit = self._credit_limit(entry, cid, previous)
        details = dict(previous.details) if previous else {}
        details.update({k: str(v) for k, v in meta.items() if k not in _RESERVED
                        and not k.startswith("__")})
        for key in VAT_KEYS:
            problem = (vat_problem(details[key], checksum=key in CHECKSUM_KEYS)
                   if key in meta else None)
            if problem is not None:
                self._error(entry, f'customer "{cid}" has {key} "{details[key]}", which is not '
                            f"a valid EU VAT number ({problem}); correct it, or write a "
                            "national tax number without the country prefix")
        return CustomerVersion(entry.date, name, account, terms, limit, details, source(meta))

    def _account(
        self, entry: Custom, cid: str, previous: CustomerVersion | None
    ) -> str | None:
        account = entry.meta.get("account", previous.account if previous else None)
        if not isinstance(account, str) or not account:
            what = ("has no account" if account in (None, "") else
                    f"has account {as_written(account)}, which is not an account name")
            self._error(entry, f'customer "{cid}" {what}; '
                        f"add account: {self.config.root}:<Name>")
            return None
        if not account.startswith(self.config.root + ":"):
            self._error(entry, f'customer "{cid}" account {account} is not under '
                        f"{self.config.root}; use an account below it")
            return None
        owner = self.account_owner.get(account)
        if owner is not None and owner != cid:
            self._error(entry, f'customer "{cid}" account {account} already belongs to '
                        f'customer "{owner}"; give each customer its own account')
            return None
        return account

    def _credit_limit(
        self, entry: Custom, cid: str, previous: CustomerVersion | None
    ) -> CreditLimit | None:
        if "credit-limit" not in entry.meta:
            return previous.credit_limit if previous else None
        value = entry.meta["credit-limit"]
        number = getattr(value, "number", None)
        currency = getattr(value, "currency", None)
        if isinstance(number, Decimal) and isinstance(currency, str) and number >= 0:
            return CreditLimit(number, currency)
        self._error(entry, f'customer "{cid}" has a bad credit-limit {as_written(value)}; '
                    "write an amount of zero or more such as 20000.00 USD")
        return previous.credit_limit if previous else None


def no_customer_error(posting: Posting, entry: Transaction) -> ARError:
    """AR002 at the first posting to a receivable account that belongs to no customer."""
    return ar_error(
        "AR002", posting.meta or entry.meta, f"receivable account "
        f"{posting.account} belongs to no customer; add a custom "
        f'"ar-customer" directive with account: {posting.account}', entry)
