"""`ar-dunning-policy`, contract section 11: AR011 at the directive, as bean-check loads it.

Each ledger goes through Beancount's real loader with the suite's plugin line;
errors are checked by code, file, line and message.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from beancount_ar.core.build import read_receivables
from beancount_ar.core.policies import DEFAULTS, PolicyVersion, parse_interest, policy_for

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Loaded


def only_error(loaded: Loaded) -> tuple[str, int, str]:
    assert len(loaded.errors) == 1, [e.message for e in loaded.errors]
    error = loaded.errors[0]
    return error.source["filename"], error.source["lineno"], error.message


@pytest.mark.parametrize(("field", "message"), [
    ('levels: "21 7 45"', ('levels "21 7 45"; write increasing positive days overdue, e.g. '
                          'levels: "7 21 45"')),
    ('levels: "0 7"', ('levels "0 7"; write increasing positive days overdue, e.g. '
                      'levels: "7 21 45"')),
    ('levels: "7 7"', ('levels "7 7"; write increasing positive days overdue, e.g. '
                      'levels: "7 21 45"')),
    ('levels: "seven"', ('levels "seven"; write increasing positive days overdue, e.g. '
                        'levels: "7 21 45"')),
    ("interval: 0", ("interval 0; write a positive whole number of days: at least this many "
                    "days between two letters, e.g. 14")),
    ("interval: 1.5", ("interval 1.5; write a positive whole number of days: at least this many "
                      "days between two letters, e.g. 14")),
    ('escalate: "soon"', ('escalate "soon"; write a positive whole number of days: the days '
                         "overdue from which to escalate, e.g. 60")),
    ('interest: "us"', ('unknown interest "us"; use "none", "cz", "eu", "uk" or a fixed yearly '
                       'rate such as "9.5%"')),
    ('interest: "9.5"', ('unknown interest "9.5"; use "none", "cz", "eu", "uk" or a fixed yearly '
                        'rate such as "9.5%"')),
    ('fees: "0 -5 25"', ('fees "0 -5 25"; write one amount of zero or more per level, e.g. '
                        'fees: "0 0 25.00"')),
    ('fees: "0 25.00"', ('2 fee(s) for 3 level(s); write one fee per level (0 for a letter '
                        'without a fee), e.g. fees: "0 0 25.00"')),
    ('intrest: "cz"', ("unknown field intrest; the fields are levels, interval, escalate, "
                      "interest, fees")),
])
def test_a_bad_field_is_ar011_at_the_directive(ledger: Callable[..., Loaded], field: str,
                                               message: str) -> None:
    loaded = ledger(f"""
        2026-01-01 custom "ar-dunning-policy" "standard"
          {field}
    """)
    filename, lineno, text = only_error(loaded)
    assert (filename, lineno) == (loaded.path, loaded.line('"ar-dunning-policy"'))
    assert text == f'AR011 ar-dunning-policy "standard" has {message}'


def test_a_policy_named_none_or_nothing_is_ar011(ledger: Callable[..., Loaded]) -> None:
    loaded = ledger('2026-01-01 custom "ar-dunning-policy" "none"\n  interval: 7')
    assert only_error(loaded)[2].startswith(
        'AR011 ar-dunning-policy at 2026-01-01 is named "none", which means no dunning')


def test_a_customer_naming_no_policy_is_ar011_at_the_customer(
        ledger: Callable[..., Loaded]) -> None:
    loaded = ledger("""
        2026-01-01 custom "ar-dunning-policy" "gentle"
          levels: "30"
        2026-02-01 custom "ar-customer" "acme"
          dunning: "gentel"
    """)
    filename, lineno, text = only_error(loaded)
    assert (filename, lineno) == (loaded.path, loaded.line("2026-02-01"))
    assert text == ('AR011 customer "acme" has dunning "gentel", which names no '
                    'ar-dunning-policy; define it, or use one of "gentle", "standard" or "none"')


def test_good_policies_and_customers_are_clean(ledger: Callable[..., Loaded]) -> None:
    loaded = ledger("""
        2026-01-01 custom "ar-dunning-policy" "standard"
          levels: "7 21 45"
          interval: 14
          escalate: 60
          interest: "cz"
          fees: "0 0 25.00"
        2026-01-01 custom "ar-dunning-policy" "gentle"
          interest: "9.5%"
        2026-02-01 custom "ar-customer" "acme"
          dunning: "gentle"
        2026-02-01 custom "ar-customer" "globex"
          dunning: "none"
    """)
    assert loaded.errors == []


def test_versions_defaults_and_the_policy_of_each_customer(ledger: Callable[..., Loaded]) -> None:
    entries, _, options = ledger("""
        2026-03-01 custom "ar-dunning-policy" "standard"
          levels: "10 20"
          fees: "5 10"
        2026-06-01 custom "ar-dunning-policy" "standard"
          interest: "eu"
        2026-01-01 custom "ar-dunning-policy" "gentle"
          interval: 30
        2026-02-01 custom "ar-customer" "acme"
          dunning: "gentle"
        2026-05-01 custom "ar-customer" "globex"
          dunning: "none"
    """)
    receivables = read_receivables(entries, options)
    policies, customers = receivables.policies, receivables.customers

    def at(customer: str, day: str) -> PolicyVersion | None:
        return policy_for(policies, customers, customer, datetime.date.fromisoformat(day))

    before = at("globex", "2026-02-28")  # before standard's first directive: the defaults
    assert before is not None
    assert (before.levels, before.interval, before.escalate, before.interest.kind,
            before.fees) == (DEFAULTS.levels, 14, 60, "none", ())
    march = at("globex", "2026-03-01")
    assert march is not None
    assert (march.levels, march.fee(2), march.interest.kind) == ((10, 20), Decimal(10), "none")
    june = at("acme", "2026-02-01")
    assert june is not None
    assert (june.policy, june.interval, june.levels) == ("gentle", 30, (7, 21, 45))
    assert at("globex", "2026-05-01") is None  # dunning: "none"
    later = policies["standard"].at(datetime.date(2026, 6, 1))
    assert (later.levels, later.fees, later.interest.kind) == (
        (10, 20), (Decimal(5), Decimal(10)), "eu")


@pytest.mark.parametrize(("written", "kind", "rate"), [
    ("none", "none", None), ("cz", "cz", None), ("EU", "eu", None), ("uk", "uk", None),
    ("9.5%", "fixed", Decimal("9.5")), ("12 %", "fixed", Decimal(12)),
])
def test_interest_rules(written: str, kind: str, rate: Decimal | None) -> None:
    parsed = parse_interest(written)
    assert parsed is not None
    assert (parsed.kind, parsed.rate) == (kind, rate)


@pytest.mark.parametrize("written", ["9.5", "-1%", "us", "", "8 + repo"])
def test_unknown_interest_rules(written: str) -> None:
    assert parse_interest(written) is None


def test_status_events_with_bad_values_are_still_ar501(ledger: Callable[..., Loaded]) -> None:
    loaded = ledger("""
        2026-05-01 * "Acme Corp" "Consulting" ^INV-1 #invoice
          Assets:Receivable:Acme         1000.00 USD
          Income:Consulting             -1000.00 USD
        2026-06-01 custom "ar-promise" "INV-1" "soon"
        2026-06-01 custom "ar-dunning" "INV-9" 1
    """)
    assert loaded.codes == {"AR501"}
    assert [e.source["lineno"] for e in loaded.errors] == [
        loaded.line('"ar-promise"'), loaded.line('"INV-9"')]
