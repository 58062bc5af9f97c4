"""Locales: the language and country documents are written in.

    2026-01-01 custom "ar-company" "Example s.r.o."
      locale: "cs_CZ"                 ; known: cs_CZ, cs, en_US, de_AT ...
    2026-01-01 custom "ar-company" "Example s.r.o."
      locale: "xx_YY"                 ; AR010: unknown locale

One answer everywhere: a locale is known when Babel, which formats the
documents, can parse it. The check, the documents and Fava ask this function.
"""

from __future__ import annotations


def known_locale(name: str) -> bool:
    """Whether Babel knows the locale `name` (`en_US`, `cs_CZ`, `cs`; not `xx_YY`)."""
    # Imported here: only a ledger that names a locale pays for Babel, which,
    # like python-stdnum, reads nothing but the data it ships with.
    from babel import Locale, UnknownLocaleError  # noqa: PLC0415

    try:
        Locale.parse(name)
    except (ValueError, TypeError, UnknownLocaleError):
        return False
    return True
