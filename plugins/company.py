"""The seller: `ar-company` directives that documents can print.

    2026-01-01 custom "ar-company" "Seed Consulting s.r.o."
      iban: "CZ65 0800 0000 1920 0014 5399"
      logo: "logo.png"
      locale: "cs_CZ"

Reports AR010 for a company directive without a name, with a locale Babel does
not know, an unknown page size, or a logo that is not a readable image file.

Codes: AR010, raised in `beancount_ar/core/seller.py` (the seller); the locale and
the files on disk are looked up by `beancount_ar/suite.py`.

Works alone as `plugin "beancount_ar.plugins.company"`, or with the rest of the
suite as `plugin "beancount_ar"`.
"""

from __future__ import annotations

from typing import Any

from beancount_ar.suite import printable_result, run_checks

__plugins__ = ("company",)

CODES = ("AR010",)


def company(
    entries: list[Any], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[Any], list[Any]]:
    """Check the company directives."""
    del config  # read by the one way in from the plugin line, as Beancount keeps it
    return printable_result(run_checks(entries, options_map, __name__, CODES))
