"""The suite's configuration: one dict literal on the ledger's `plugin` line.

    plugin "beancount_ar" "{'root': 'Assets:Receivable', 'default_terms': 'net 30'}"

Beancount keeps each plugin line's string in the options map; the one way in
(`beancount_ar.core.build.read_receivables`) parses it from there for every front.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from beancount_ar.core.numbering import number_regex
from beancount_ar.core.terms import Terms, parse_terms

if TYPE_CHECKING:
    from collections.abc import Iterable

SUITE_MODULE = "beancount_ar"
PLUGIN_PREFIX = "beancount_ar.plugins."
CONFIG_KEYS = ("root", "default_terms", "invoice_tag", "credit_limit", "numbering", "sensitive",
               "invoice_number", "suspense", "discount_account")
CREDIT_LIMIT_MODES = ("error", "off")
NUMBERING_MODES = ("off", "sequential")


@dataclass(frozen=True)
class ARConfig:
    """What the suite checks and where receivables live."""

    root: str = "Assets:Receivable"
    default_terms: Terms = field(default_factory=lambda: parse_terms("net 30") or Terms(0))
    invoice_tag: str = "invoice"
    credit_limit: str = "error"
    numbering: str = "off"
    sensitive: tuple[str, ...] = ("iban", "tax-id", "card", "bank-account")
    invoice_number: str = "INV-{year}-{seq:04d}"  # what `bean-ar bill` numbers new invoices
    suspense: str = "Income:Uncategorized"  # an imported receipt's other leg, before matching
    discount_account: str = "Income:Discounts"  # early-payment discounts granted on matching

    def is_receivable(self, account: str) -> bool:
        """Whether an account is the receivable root or lies beneath it."""
        return account == self.root or account.startswith(self.root + ":")


def parse_config(text: str | None) -> tuple[ARConfig, list[str]]:
    """Parse the plugin's configuration string; problems come back as messages."""
    if text is None or not text.strip():
        return ARConfig(), []
    try:
        raw = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return ARConfig(), [f"configuration {text!r} is not a Python dict literal"]
    if not isinstance(raw, dict):
        return ARConfig(), [f"configuration {text!r} is not a Python dict literal"]
    return _config_from_dict(raw)


def _config_from_dict(raw: dict[Any, Any]) -> tuple[ARConfig, list[str]]:
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, value in raw.items():
        problem = _check_key(key, value, values)
        if problem:
            problems.append(problem)
    return ARConfig(**values), problems


def _check_key(key: object, value: object, values: dict[str, Any]) -> str | None:
    choices = {"credit_limit": CREDIT_LIMIT_MODES, "numbering": NUMBERING_MODES}
    checks = {"root": _check_name, "invoice_tag": _check_name, "invoice_number": _check_pattern,
              "suspense": _check_name, "discount_account": _check_name}
    if isinstance(key, str) and key in checks:
        return checks[key](key, value, values)
    if key == "default_terms":
        terms = parse_terms(value) if isinstance(value, str) else None
        if terms is None:
            return f"configuration 'default_terms' {value!r} is not a terms string like 'net 30'"
        values[key] = terms
    elif key in choices:
        if value not in choices[key]:
            return f"configuration {key!r} must be one of {', '.join(choices[key])}"
        values[key] = value
    elif key == "sensitive":
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            return "configuration 'sensitive' must be a list of metadata keys"
        values[key] = tuple(value)
    else:
        return (f"unknown configuration key {key!r}; the keys are "
                f"{', '.join(CONFIG_KEYS)}")
    return None


def _check_pattern(key: str, value: object, values: dict[str, Any]) -> str | None:
    problem = number_pattern_problem(value)
    if problem:
        return f"configuration {key!r} {value!r} {problem}"
    values[key] = value
    return None


def number_pattern_problem(pattern: object) -> str | None:
    """Why `pattern` is no invoice number pattern like 'INV-{year}-{seq:04d}'; None if it is."""
    how = "; write a pattern like 'INV-{year}-{seq:04d}' ({year} optional, {seq} once)"
    if not isinstance(pattern, str):
        return "is not text" + how
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None]
        example = pattern.format(year=2026, seq=1)
    except (ValueError, KeyError, IndexError, TypeError):
        return "is not a format pattern of {year} and {seq}" + how
    if fields.count("seq") != 1 or not set(fields) <= {"year", "seq"}:
        return "must hold {seq} once and no fields but {year} and {seq}" + how
    if not _TAG.fullmatch(example):
        return f"makes {example!r}, which is no link (letters, digits, - _ / . only)" + how
    if not number_regex(pattern, 2026).fullmatch(pattern.format(year=2026, seq=123)):
        return "must write {seq} in decimal digits, e.g. {seq:04d}" + how
    return None


def _check_name(key: str, value: object, values: dict[str, Any]) -> str | None:
    """The `root`, `suspense` or `discount_account` account, or the `invoice_tag`."""
    if not isinstance(value, str) or not value:
        return f"configuration key {key!r} must be a non-empty string"
    problem = (_tag_problem if key == "invoice_tag" else _account_problem)(value.rstrip(":"))
    if problem:
        return f"configuration {key!r}: {problem}"
    values[key] = value.rstrip(":")
    return None


_TAG = re.compile(r"[A-Za-z0-9\-_/.]+")  # what Beancount's lexer takes after `#`
_ACCOUNT_PART = re.compile(r"[A-Z][A-Za-z0-9\-]*")


def _tag_problem(tag: str) -> str | None:
    if tag.startswith("#") and _TAG.fullmatch(tag[1:]):
        return f"write the tag without its #: '{tag[1:]}'"
    if not _TAG.fullmatch(tag):
        return f"'{tag}' is not a tag (letters, digits, - _ / . only)"
    return None


def _account_problem(root: str) -> str | None:
    if all(_ACCOUNT_PART.fullmatch(part) for part in root.split(":")):
        return None
    return (f"'{root}' is not an account name; write it as the ledger does, each part "
            "capitalised, e.g. 'Assets:Receivable'")


def find_config_text(
    plugins: Iterable[tuple[str, str | None]], plugin: str | None = None
) -> str | None:
    """The configuration on the ledger's `plugin` line of module `plugin`.

    Without `plugin`: the suite's line, else the first of its single plugins'
    lines that has one.
    """
    plugins = list(plugins)
    if plugin is not None:
        return next((text for name, text in plugins if name == plugin), None)
    for name, text in plugins:
        if name == SUITE_MODULE:
            return text
    for name, text in plugins:
        if name.startswith(PLUGIN_PREFIX) and text:
            return text
    return None


def suite_enabled(plugins: list[tuple[str, str | None]]) -> bool:
    """Whether the ledger runs the suite or any of its plugins."""
    return any(name == SUITE_MODULE or name.startswith(PLUGIN_PREFIX) for name, _ in plugins)
