# ruff: noqa: INP001 - a script beside the catalogues, not a module of the package
"""Compile the catalogues: every `<lang>/LC_MESSAGES/<domain>.po` here to its `.mo`.

The domains are the documents' `beancount_ar` and the letters' `beancount_ar_letters`.

Both files are committed: the `.po` is what translators edit, the `.mo` is what
`beancount_ar.documents.i18n.translations` loads at run time (no build step compiles
them). After editing a `.po`, run::

    .venv/bin/python beancount_ar/documents/locale/compile.py

The script stops without writing anything if a catalogue has errors, such as a
translation whose `%(name)s` placeholders differ from its msgid's. A test checks that
the committed `.mo` files match their `.po` files.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "beancount_ar"
DOMAINS = (DOMAIN, "beancount_ar_letters")
HERE = Path(__file__).resolve().parent


def catalogues(root: Path = HERE, domain: str = DOMAIN) -> list[Path]:
    """The `.po` files of `domain` under `root`, one per language, sorted."""
    return sorted(root.glob(f"*/LC_MESSAGES/{domain}.po"))


def compiled(po_path: Path) -> bytes:
    """The `.mo` bytes for the `.po` at `po_path`.

    Raises:
        ValueError: The catalogue has errors (e.g. mismatched placeholders).
    """
    with po_path.open("rb") as po_file:  # the file's name is its domain
        catalog = read_po(po_file, locale=po_path.parent.parent.name, domain=po_path.stem)
    problems = [
        f"{po_path}: {message.id!r}: {error}"
        for message, errors in catalog.check()
        for error in errors
    ]
    if problems:
        raise ValueError("\n".join(problems))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def main() -> int:
    """Write every catalogue's `.mo` beside its `.po`; 1 if any has errors."""
    try:
        outputs = {po_path.with_suffix(".mo"): compiled(po_path)
                   for domain in DOMAINS for po_path in catalogues(HERE, domain)}
    except ValueError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    for mo_path, data in outputs.items():
        mo_path.write_bytes(data)
        sys.stdout.write(f"{mo_path.relative_to(HERE)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
