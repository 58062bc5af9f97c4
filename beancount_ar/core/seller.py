"""The seller on invoices and statements: `ar-company` directives with dated changes.

    2026-01-01 custom "ar-company" "Seed Consulting s.r.o."
      address: "Vinohradská 1, 120 00 Praha 2"
      tax-id: "CZ12345679"
      iban: "CZ65 0800 0000 1920 0014 5399"
      email: "billing@seed.example"
      logo: "logo.png"                     ; relative to the ledger file
      locale: "cs_CZ"

An IBAN whose country format or check digits are wrong, and a tax id in EU VAT
form (`CZ…`, `DE…`) that `stdnum.eu.vat` refuses, are AR010 at the directive; the
bad IBAN is left out of the seller's details, so no document prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from beancount_ar.core.customers import source
from beancount_ar.core.errors import ARError, ar_error
from beancount_ar.core.identifiers import CHECKSUM_KEYS, VAT_KEYS, iban_problem, vat_problem

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Mapping

    from beancount.core.data import Custom

    from beancount_ar.core.model import Source

COMPANY_DIRECTIVE = "ar-company"
PAGE_SIZES = ("A4", "Letter", "Legal", "A5")
_OWN = {"filename", "lineno", "locale", "page-size", "logo", "templates"}


@dataclass(frozen=True)
class CompanyVersion:
    """The seller as in force from `date` on."""

    date: datetime.date
    name: str
    details: Mapping[str, str]  # address, tax-id, iban, bic, bank, email, phone, ...
    locale: str
    page_size: str
    logo: str | None  # absolute: written relative to the directive's file
    templates: str | None  # a folder of the user's own templates, likewise
    source: Source


@dataclass(frozen=True)
class Company:
    """The seller and its dated changes."""

    versions: tuple[CompanyVersion, ...]

    def at(self, date: datetime.date) -> CompanyVersion:
        """The record in force on `date` (the first one before the first date)."""
        chosen = self.versions[0]
        for version in self.versions:
            if version.date > date:
                break
            chosen = version
        return chosen


def read_company(
    entries: list[Any], known_locale: Callable[[str], bool]
) -> tuple[Company | None, list[ARError]]:
    """The company from its directives (in date order) and AR010 for each bad one."""
    versions: list[CompanyVersion] = []
    errors: list[ARError] = []
    for entry in entries:
        if getattr(entry, "type", None) == COMPANY_DIRECTIVE:
            version = _version(entry, versions[-1] if versions else None, known_locale, errors)
            if version is not None:
                versions.append(version)
    return (Company(tuple(versions)) if versions else None), errors


def _version(
    entry: Custom, previous: CompanyVersion | None, known_locale: Callable[[str], bool],
    errors: list[ARError],
) -> CompanyVersion | None:
    values = entry.values or []
    name = values[0].value if values and isinstance(values[0].value, str) else None
    name = name or (previous.name if previous else None)
    if not name:
        errors.append(ar_error("AR010", entry.meta, 'ar-company needs the company name as its '
                               'value: custom "ar-company" "Your Company Ltd"', entry))
        return None
    meta = entry.meta
    locale = str(meta.get("locale", previous.locale if previous else "en_US"))
    if not known_locale(locale):
        errors.append(ar_error("AR010", meta, f'ar-company "{name}" has unknown locale '
                               f'"{locale}"; use a locale such as en_US or cs_CZ', entry))
        locale = previous.locale if previous else "en_US"
    page_size = str(meta.get("page-size", previous.page_size if previous else "A4"))
    if page_size not in PAGE_SIZES:
        errors.append(ar_error("AR010", meta, f'ar-company "{name}" has unknown page-size '
                               f'"{page_size}"; use one of ' + ", ".join(PAGE_SIZES), entry))
        page_size = previous.page_size if previous else "A4"
    details = dict(previous.details) if previous else {}
    details.update({k: str(v) for k, v in meta.items() if k not in _OWN and not k.startswith("__")})
    _check_identifiers(entry, name, details, errors)
    return CompanyVersion(
        entry.date, name, details, locale, page_size,
        _path(meta, "logo", previous.logo if previous else None),
        _path(meta, "templates", previous.templates if previous else None),
        source(meta),
    )


def _check_identifiers(entry: Custom, name: str, details: dict[str, str],
                       errors: list[ARError]) -> None:
    """AR010 for a bad IBAN (then left out) or a bad VAT id written on this directive."""
    meta = entry.meta
    if "iban" in meta:
        problem = iban_problem(details["iban"])
        if problem is not None:
            written = details.pop("iban")  # a wrong IBAN on an invoice sends payments nowhere
            errors.append(ar_error("AR010", meta, f'ar-company "{name}" has iban "{written}", '
                                   f"which is not a valid IBAN ({problem}); copy it from your "
                                   "bank statement", entry))
    for key in VAT_KEYS:
        problem = (vat_problem(details[key], checksum=key in CHECKSUM_KEYS)
                   if key in meta else None)
        if problem is not None:
            errors.append(ar_error("AR010", meta, f'ar-company "{name}" has {key} '
                                   f'"{details[key]}", which is not a valid EU VAT number '
                                   f"({problem}); correct it, or write a national tax number "
                                   "without the country prefix", entry))


def _path(meta: Mapping[str, Any], key: str, previous: str | None) -> str | None:
    """A path written relative to the directive's own file, made absolute (no I/O)."""
    value = meta.get(key)
    if not value:
        return previous
    return str(PurePath(str(meta.get("filename", ""))).parent / str(value))


LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg")


def file_errors(
    version: CompanyVersion, previous: CompanyVersion | None, *,
    is_file: Callable[[str], bool], is_dir: Callable[[str], bool],
) -> list[ARError]:
    """AR010 for a logo or templates folder not on disk, where it is first written.

    The caller says what is on disk (`is_file`, `is_dir`): the core reads no files.
    """
    meta = {"filename": version.source.filename, "lineno": version.source.lineno}
    errors = []
    logo = PurePath(version.logo) if version.logo else None
    if previous is not None and version.logo == previous.logo:
        logo = None  # inherited: reported where it was written
    if logo is not None and (not is_file(str(logo)) or logo.suffix.lower() not in LOGO_SUFFIXES):
        errors.append(ar_error("AR010", meta, f'ar-company "{version.name}": logo {logo} '
                               "is not a readable PNG, JPEG, GIF or SVG file; correct the "
                               "path (relative to this file)"))
    templates = PurePath(version.templates) if version.templates else None
    if previous is not None and version.templates == previous.templates:
        templates = None
    if templates is not None and not is_dir(str(templates)):
        errors.append(ar_error("AR010", meta, f'ar-company "{version.name}": templates '
                               f"{templates} is not a folder; create it with your own "
                               "invoice.html or statement.html, or correct the path "
                               "(relative to this file)"))
    return errors
