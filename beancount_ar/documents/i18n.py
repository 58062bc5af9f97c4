r"""Numbers, money and dates as the document's locale writes them, and its translations.

    >>> import datetime
    >>> from decimal import Decimal
    >>> cs, en = Formatter("cs_CZ"), Formatter("en_US")
    >>> cs.money(Decimal("1500.00"), "CZK") == "1\u00a0500,00\u00a0Kč"
    True
    >>> cs.date(datetime.date(2026, 4, 14)), en.long_date(datetime.date(2026, 4, 14))
    ('14. 4. 2026', 'April 14, 2026')
    >>> translations("cs_CZ").gettext("Balance due")
    'K úhradě'

Babel (CLDR) writes the spaces inside Czech, French or German amounts and before a
currency sign as no-break spaces (U+00A0 or U+202F): keep them, they stop a line
break between the digits. Nothing is rounded: an amount keeps at least its currency's
decimals (`1 500,00 Kč`) and any further digits it has (`0,125 €` for a rate).

The catalogues are `locale/<language>/LC_MESSAGES/beancount_ar.mo` beside this module,
compiled from the `.po` files by `locale/compile.py`. A locale without a catalogue
(`de_DE`) gets the English msgids; its numbers and dates are still German.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

from beancount_ar.core.locales import known_locale

if TYPE_CHECKING:
    import datetime

__all__ = ["DOMAIN", "LOCALE_DIR", "Formatter", "known_locale", "translations"]

DOMAIN = "beancount_ar"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Formatter:
    """Formats for one locale, e.g. `Formatter("cs_CZ")`; the templates call it `fmt`.

    Raises:
        ValueError: Babel does not know the locale.
    """

    locale: str

    def __post_init__(self) -> None:
        """Refuse an unknown locale now rather than in the middle of a template."""
        if not known_locale(self.locale):
            raise ValueError(f"unknown locale {self.locale!r}; use e.g. en_US or cs_CZ")

    def money(self, amount: Decimal, currency: str) -> str:
        """`1 500,00 Kč` (cs_CZ, CZK), `$1,500.00` (en_US, USD), `-€12.50`."""
        return format_currency(amount, currency, locale=self.locale, decimal_quantization=False)

    def number(self, value: Decimal) -> str:
        """`1 234,5678` (cs_CZ), `1,234.5678` (en_US): grouped, every digit kept."""
        return format_decimal(value, locale=self.locale, decimal_quantization=False)

    def date(self, d: datetime.date) -> str:
        """`14. 4. 2026` (cs_CZ), `Apr 14, 2026` (en_US): CLDR's medium format."""
        return format_date(d, format="medium", locale=self.locale)

    def long_date(self, d: datetime.date) -> str:
        """`14. dubna 2026` (cs_CZ), `April 14, 2026` (en_US): CLDR's long format."""
        return format_date(d, format="long", locale=self.locale)

    def percent(self, value: Decimal) -> str:
        """`21 %` (cs_CZ), `2.5%` (en_US) for `value` in per cent (21, 2.5), not a fraction."""
        return format_percent(value / _HUNDRED, locale=self.locale, decimal_quantization=False)


@functools.cache
def translations(locale: str) -> NullTranslations:
    """The `beancount_ar` catalogue for `locale` (`cs_CZ` finds `cs`), else the msgids.

    The result is a `babel.support.Translations` when a catalogue exists and a
    `babel.support.NullTranslations` (English, the msgids) otherwise; both serve
    Jinja's `install_gettext_translations`. Cached per locale: do not modify it.
    """
    return Translations.load(str(LOCALE_DIR), locales=[locale], domain=DOMAIN)
