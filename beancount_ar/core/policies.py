"""Dunning policies: when letters fall due, when to escalate, what interest to claim.

    2026-01-01 custom "ar-dunning-policy" "standard"
      levels: "7 21 45"          ; days overdue at which letters 1, 2, 3 fall due
      interval: 14               ; at least this many days between two letters for one invoice
      escalate: 60               ; days overdue from which a last letter is queued for escalation
      interest: "cz"             ; none | cz | eu | uk | "9.5%" (a fixed yearly rate)
      fees: "0 0 25.00"          ; optional: a fee per letter level, in the invoice's currency

Dated versions per id, as `ar-customer`: a policy's first directive takes the
defaults (`DEFAULTS`) for the fields it leaves out, a later one changes the
fields it gives from its date on. Before a policy's first directive the
defaults are in force. `standard` applies to every customer; a customer's
`dunning: "gentle"` picks another, `dunning: "none"` takes it out of
collections. A bad field, or a customer naming no policy, is AR011 at the
directive; the field then keeps the value it had before (or the default).

`fees`, when given, has exactly one fee per level (a later version that
changes `levels` must give `fees` again when their counts would differ).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, NamedTuple

from beancount_ar.core.customers import source
from beancount_ar.core.directives import as_written
from beancount_ar.core.errors import ARError, ar_error

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping

    from beancount.core.data import Custom

    from beancount_ar.core.model import Customer, Source

POLICY_DIRECTIVE = "ar-dunning-policy"
STANDARD = "standard"  # the policy of every customer that names none
NO_DUNNING = "none"  # a customer's `dunning: "none"`: out of collections altogether
CUSTOMER_KEY = "dunning"
STATUTORY = {"cz": "CZ", "eu": "EU", "uk": "UK"}  # interest rule -> its reference-rate series
INTEREST_HINT = 'use "none", "cz", "eu", "uk" or a fixed yearly rate such as "9.5%"'
_FIELDS = ("levels", "interval", "escalate", "interest", "fees")
_FIXED = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%")


class Interest(NamedTuple):
    """What a policy claims on late invoices: `none`, a statutory rule, or a fixed rate."""

    kind: str  # none | cz | eu | uk | fixed
    rate: Decimal | None = None  # the fixed yearly rate, in %
    written: str = "none"  # as the policy writes it: `eu`, `9.5%`

    @property
    def series(self) -> str | None:
        """The reference-rate series a statutory rule reads (`CZ`, `EU`, `UK`), else None."""
        return STATUTORY.get(self.kind)


NO_INTEREST = Interest("none")


@dataclass(frozen=True)
class PolicyVersion:
    """A dunning policy as in force from `date` on (`date` None: the defaults)."""

    date: datetime.date | None
    levels: tuple[int, ...]
    interval: int
    escalate: int
    interest: Interest
    fees: tuple[Decimal, ...]  # one per level, or empty: no fees
    source: Source | None  # the directive; None for the defaults
    policy: str = STANDARD

    @property
    def last_level(self) -> int:
        """The number of the policy's last letter."""
        return len(self.levels)

    def threshold(self, level: int) -> int:
        """Days overdue at which letter `level` (1-based) falls due."""
        return self.levels[level - 1]

    def fee(self, level: int) -> Decimal:
        """The fee of letter `level` alone; zero without fees."""
        return self.fees[level - 1] if 0 < level <= len(self.fees) else Decimal(0)


DEFAULTS = PolicyVersion(None, (7, 21, 45), 14, 60, NO_INTEREST, (), None)


@dataclass(frozen=True)
class Policy:
    """A dunning policy and its dated versions."""

    id: str
    versions: tuple[PolicyVersion, ...]

    def at(self, date: datetime.date) -> PolicyVersion:
        """The version in force on `date`: the defaults before the first directive."""
        chosen = replace(DEFAULTS, policy=self.id)
        for version in self.versions:
            if version.date is not None and version.date > date:
                break
            chosen = version
        return chosen


def policy_for(
    policies: Mapping[str, Policy], customers: Mapping[str, Customer], customer: str,
    date: datetime.date,
) -> PolicyVersion | None:
    """The policy version a customer is under on `date`; None for `dunning: "none"`.

    A customer naming no policy (AR011) is under `standard`.
    """
    found = customers.get(customer)
    name = found.at(date).details.get(CUSTOMER_KEY, STANDARD) if found else STANDARD
    if name == NO_DUNNING:
        return None
    policy = policies.get(name) or policies.get(STANDARD)
    return policy.at(date) if policy else replace(DEFAULTS, policy=name)


def parse_interest(value: object) -> Interest | None:
    """`none`, `cz`, `eu`, `uk` or a fixed yearly rate such as `9.5%`; None if none of them."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text == "none":
        return NO_INTEREST
    if text in STATUTORY:
        return Interest(text, None, text)
    match = _FIXED.fullmatch(text)
    if match:
        return Interest("fixed", Decimal(match.group(1)), f"{match.group(1)}%")
    return None


class PolicyBook:
    """Collects `ar-dunning-policy` directives, in date order, into dated versions."""

    def __init__(self) -> None:
        """Start with no policies."""
        self.versions: dict[str, list[PolicyVersion]] = {}
        self.errors: list[ARError] = []

    def add(self, entry: Custom) -> None:
        """Take one `ar-dunning-policy` directive."""
        values = entry.values or []
        pid = values[0].value if values and isinstance(values[0].value, str) else None
        if not pid or pid == NO_DUNNING:
            what = (f'is named "{NO_DUNNING}", which means no dunning' if pid == NO_DUNNING
                    else "has no id")
            self._error(entry, f"ar-dunning-policy at {entry.date} {what}; name it, e.g. "
                        'custom "ar-dunning-policy" "standard" (or "gentle")')
            return
        versions = self.versions.setdefault(pid, [])
        previous = versions[-1] if versions else replace(DEFAULTS, policy=pid)
        versions.append(self._version(entry, pid, previous))

    def policies(self) -> dict[str, Policy]:
        """The policies read so far, by id."""
        return {pid: Policy(pid, tuple(vs)) for pid, vs in self.versions.items()}

    def _error(self, entry: Custom, message: str) -> None:
        self.errors.append(ar_error("AR011", entry.meta, message, entry))

    def _version(self, entry: Custom, pid: str, previous: PolicyVersion) -> PolicyVersion:
        meta: Mapping[str, Any] = entry.meta
        name = f'ar-dunning-policy "{pid}"'
        for key in meta:
            if key not in _FIELDS and key not in {"filename", "lineno"} \
                    and not key.startswith("__"):
                self._error(entry, f"{name} has unknown field {key}; the fields are "
                            + ", ".join(_FIELDS))
        levels = previous.levels
        if "levels" in meta:
            read = _levels(meta["levels"])
            if read is None:
                self._error(entry, f"{name} has levels {as_written(meta['levels'])}; write "
                            'increasing positive days overdue, e.g. levels: "7 21 45"')
            else:
                levels = read
        interval = self._days(entry, name, "interval", previous.interval,
                              "at least this many days between two letters, e.g. 14")
        escalate = self._days(entry, name, "escalate", previous.escalate,
                              "the days overdue from which to escalate, e.g. 60")
        interest = previous.interest
        if "interest" in meta:
            parsed = parse_interest(meta["interest"])
            if parsed is None:
                self._error(entry, f"{name} has unknown interest "
                            f"{as_written(meta['interest'])}; {INTEREST_HINT}")
            else:
                interest = parsed
        fees = self._fees(entry, name, previous.fees, levels)
        return PolicyVersion(entry.date, levels, interval, escalate, interest, fees,
                             source(entry.meta), pid)

    def _days(self, entry: Custom, name: str, key: str, previous: int, hint: str) -> int:
        if key not in entry.meta:
            return previous
        value = entry.meta[key]
        if isinstance(value, Decimal) and value == value.to_integral_value() and value >= 1:
            return int(value)
        self._error(entry, f"{name} has {key} {as_written(value)}; write a positive whole "
                    f"number of days: {hint}")
        return previous

    def _fees(self, entry: Custom, name: str, previous: tuple[Decimal, ...],
              levels: tuple[int, ...]) -> tuple[Decimal, ...]:
        meta = entry.meta
        fees = previous
        if "fees" in meta:
            read = _fees(meta["fees"])
            if read is None:
                self._error(entry, f"{name} has fees {as_written(meta['fees'])}; write one "
                            'amount of zero or more per level, e.g. fees: "0 0 25.00"')
                return previous if len(previous) == len(levels) else ()
            fees = read
        if fees and len(fees) != len(levels):
            self._error(entry, f"{name} has {len(fees)} fee(s) for {len(levels)} level(s); "
                        "write one fee per level (0 for a letter without a fee), e.g. "
                        f'fees: "{" ".join(["0"] * (len(levels) - 1) + ["25.00"])}"')
            return fees if "fees" not in meta else ()
        return fees


def _levels(value: object) -> tuple[int, ...] | None:
    """`"7 21 45"` (or a single whole number) as increasing positive days; None if not."""
    words = str(value).replace(",", " ").split() if isinstance(value, (str, Decimal)) else []
    if not words or not all(word.isdigit() for word in words):
        return None
    days = tuple(int(word) for word in words)
    if days[0] < 1 or any(b <= a for a, b in zip(days, days[1:], strict=False)):  # noqa: RUF007
        return None
    return days


def _fees(value: object) -> tuple[Decimal, ...] | None:
    """`"0 0 25.00"` as non-negative amounts; None if not."""
    if not isinstance(value, (str, Decimal)):
        return None
    try:
        fees = tuple(Decimal(word) for word in str(value).replace(",", " ").split())
    except InvalidOperation:
        return None
    if not fees or any(not fee.is_finite() or fee < 0 for fee in fees):
        return None
    return fees


def customer_policy_errors(
    customers: Mapping[str, Customer], policies: Mapping[str, Policy],
) -> list[ARError]:
    """AR011 at each `ar-customer` whose `dunning` names no policy (where it is written)."""
    errors = []
    for customer in customers.values():
        before = None
        for version in customer.versions:
            name = version.details.get(CUSTOMER_KEY)
            if name is not None and name != before and name not in (NO_DUNNING, STANDARD) \
                    and name not in policies:
                known = ", ".join(f'"{p}"' for p in sorted({STANDARD, *policies}))
                errors.append(ar_error(
                    "AR011", {"filename": version.source.filename,
                              "lineno": version.source.lineno},
                    f'customer "{customer.id}" has dunning "{name}", which names no '
                    f"ar-dunning-policy; define it, or use one of {known} or "
                    f'"{NO_DUNNING}"'))
            before = name
    return errors
