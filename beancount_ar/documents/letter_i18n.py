"""The words of collection letters and their emails: a catalogue of their own.

    >>> letter_translations("cs_CZ").gettext("Payment reminder")
    'Upomínka'
    >>> letter_translations("cs_CZ").gettext("Invoice")  # the documents' words come too
    'Faktura'

The letters' msgids live in `locale/<language>/LC_MESSAGES/beancount_ar_letters.po`
beside the documents' `beancount_ar.po`, and are merged into it when a letter is
made, so a letter template's `_()` knows both. After editing a letters `.po`::

    .venv/bin/python -m beancount_ar.documents.letter_i18n

compiles each to its `.mo` (both are committed), refusing a catalogue with errors
such as a translation whose `%(name)s` placeholders differ from its msgid's.
"""

from __future__ import annotations

import functools
import io
import sys
from typing import TYPE_CHECKING

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from beancount_ar.documents.i18n import DOMAIN, LOCALE_DIR
from beancount_ar.writer import WriteError, write_output

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["LETTERS_DOMAIN", "catalogues", "compiled", "letter_translations"]

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


def catalogues(root: Path = LOCALE_DIR) -> list[Path]:
    """The letters' `.po` files under `root`, one per language, sorted."""
    return sorted(root.glob(f"*/LC_MESSAGES/{LETTERS_DOMAIN}.po"))


def compiled(po_path: Path) -> bytes:
    """The `.mo` bytes for the letters `.po` at `po_path`.

    Raises:
        ValueError: the catalogue has errors (e.g. mismatched placeholders).
    """
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parent.parent.name, domain=LETTERS_DOMAIN)
    problems = [f"{po_path}: {message.id!r}: {error}"
                for message, errors in catalog.check() for error in errors]
    if problems:
        raise ValueError("\n".join(problems))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def main() -> int:
    """Write every letters catalogue's `.mo` beside its `.po`; 1 if any has errors."""
    try:
        outputs = {po_path.with_suffix(".mo"): compiled(po_path) for po_path in catalogues()}
        for mo_path, data in outputs.items():
            write_output(mo_path, data)
            sys.stdout.write(f"{mo_path.relative_to(LOCALE_DIR)}\n")
    except (ValueError, WriteError) as error:
        sys.stderr.write(f"{error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
