"""Errors the suite reports, in Beancount's shape: source, message, entry."""

from __future__ import annotations

from typing import Any, NamedTuple


class ARError(NamedTuple):
    """A receivables problem at an entry, with its stable code from the contract.

    The message opens with the code too (`AR203 ...`), as bean-check and Fava
    print only the message; code reads the field, never the message.
    """

    source: dict[str, Any]
    message: str
    entry: object
    code: str | None = None  # `AR203`; None only for an error made without `ar_error`


def code_of(error: object) -> str | None:
    """The AR code of any error in a ledger's list; None for Beancount's own errors."""
    code = getattr(error, "code", None)
    return code if isinstance(code, str) else None


def source_of(meta: dict[str, Any] | None) -> dict[str, Any]:
    """Only the location of an entry: never copy its metadata into an error."""
    meta = meta or {}
    return {"filename": meta.get("filename", "<unknown>"), "lineno": meta.get("lineno", 0)}


def ar_error(code: str, meta: dict[str, Any] | None, message: str, entry: object = None) -> ARError:
    """An error with `code` at the entry carrying `meta`."""
    return ARError(source_of(meta), f"{code} {message}", printable(entry), code)


def printable(entry: object) -> object:
    """An entry bean-check can print under its error.

    A `custom` line with only its type parses with `values=None`, which
    Beancount's printer cannot format: it would end bean-check with a traceback.
    """
    if "values" in getattr(entry, "_fields", ()) and getattr(entry, "values", []) is None:
        return entry._replace(values=[])  # type: ignore[attr-defined]
    return entry
