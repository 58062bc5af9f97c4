"""The words of collection letters and their emails: a catalogue of their own.

    >>> letter_translations("cs_CZ").gettext("Payment reminder")
    'Upomínka'
    >>> letter_translations("cs_CZ").gettext("Invoice")  # the documents' words come too
    'Faktura'

The letters' msgids live in `locale/<language>/LC_MESSAGES/beancount_ar_letters.po`
beside the documents' `beancount_ar.po`, and are merged into it when a letter is
made, so a letter template's `_()` knows both. After editing a letters `.po`,
`locale/compile.py` compiles it to its `.mo` with the documents' (both are
committed), refusing a catalogue with errors such as a translation whose
`%(name)s` placeholders differ from its msgid's.
"""

from __future__ import annotations

import functools

from babel.support import NullTranslations, Translations

from beancount_ar.documents.i18n import DOMAIN, LOCALE_DIR

__all__ = ["LETTERS_DOMAIN", "letter_translations"]

LETTERS_DOMAIN = "beancount_ar_letters"


@functools.cache
def letter_translations(locale: str) -> NullTranslations:
    """The documents' catalogue for `locale` with the letters' merged in; cached, read only.

    A locale with no catalogue (`de_DE`) gets the msgids, as documents do.
    """
    documents = Translations.load(str(LOCALE_DIR), locales=[locale], domain=DOMAIN)
    letters = Translations.load(str(LOCALE_DIR), locales=[locale], domain=LETTERS_DOMAIN)
    if isinstance(documents, Translations):  # a fresh object, not i18n's cached one
        return documents.merge(letters) if isinstance(letters, Translations) else documents
    return letters
