"""Pages: numbering a PDF's pages, and splitting a statement's table across pages.

Debian's wkhtmltopdf is built on a Qt without the wkhtmltopdf patches: it ignores
`--footer-center` and repeats no `<thead>` on a continuation page. So the page
numbers are stamped onto the finished PDF (`number_pages`), worded by the template
(`<meta name="page-label" content="Page [page] of [topage]">`, read by
`page_label`), and a statement starts each page's table, header and all, itself
(`Pager`).

    >>> pager = Pager.for_page_size("A4")
    >>> [len(rows) for rows in pager.split(["one line"] * 100)]
    [22, 45, 33]
"""

from __future__ import annotations

import html
import io
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ContentStream,
    DictionaryObject,
    NameObject,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pypdf import PageObject

__all__ = ["DEFAULT_LABEL", "Pager", "number_pages", "page_label"]

DEFAULT_LABEL = "[page] / [topage]"
FONT_SIZE = 8
BOTTOM = 20  # points from the page's lower edge: inside the 15 mm margin
_AVERAGE_WIDTH = 0.5  # Helvetica's mean glyph width in em: enough to centre a short label
_META = re.compile(r'<meta\s+name="page-label"\s+content="([^"]*)"', re.IGNORECASE)

T = TypeVar("T")

# Movement rows a page holds (the first page, after the letter's head, one amount due
# and the payment instructions; a later page) and the description characters a row's
# line holds, per page size: measured on the example's statements, then rounded down.
_ROWS = {"A4": (25, 48), "Letter": (22, 44), "Legal": (35, 60), "A5": (6, 30)}
_LINE = {"A4": 56, "Letter": 60, "Legal": 60, "A5": 28}


def page_label(document: str) -> str:
    """The page label a template wrote in its `page-label` meta tag, else `1 / 2`'s."""
    match = _META.search(document)
    return html.unescape(match.group(1)) if match else DEFAULT_LABEL


def number_pages(pdf: bytes, label: str = DEFAULT_LABEL) -> bytes:
    """`pdf` with `label` (`[page]`, `[topage]` filled in) centred under every page."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, 1):
        text = label.replace("[page]", str(number)).replace("[topage]", str(total))
        _stamp(writer, page, text)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamp(writer: PdfWriter, page: PageObject, text: str) -> None:
    """Draw `text` in Helvetica at the page's foot, in a content stream of its own."""
    try:
        encoded = text.encode("cp1252")  # the standard font's WinAnsi encoding
    except UnicodeEncodeError:
        encoded = text.encode("ascii", "replace")
    literal = encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    width = float(page.mediabox.width)
    x = (width - len(encoded) * FONT_SIZE * _AVERAGE_WIDTH) / 2
    stream = ContentStream(None, None)
    stream.set_data(b"q BT /ARPageFont %d Tf 0.4 g %.1f %d Td (%s) Tj ET Q" % (
        FONT_SIZE, x, BOTTOM, literal))
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
    fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
    fonts[NameObject("/ARPageFont")] = writer._add_object(font)  # noqa: SLF001 - pypdf's way
    page.merge_page(_overlay(page, stream), over=True)


def _overlay(page: PageObject, stream: ContentStream) -> PageObject:
    """A page of the same size holding only `stream`, with `page`'s resources."""
    from pypdf import PageObject as Page  # noqa: PLC0415 - the class, not the type

    overlay = Page.create_blank_page(width=page.mediabox.width, height=page.mediabox.height)
    overlay[NameObject("/Resources")] = page[NameObject("/Resources")]
    overlay.replace_contents(stream)
    return overlay


@dataclass
class Pager:
    """Splits table rows into pages, counting the rows already on the current page."""

    first: int  # rows the first page holds
    rest: int  # rows a later page holds
    line_chars: int  # description characters per printed line
    left: int = field(init=False)  # rows still free on the current page

    def __post_init__(self) -> None:
        """Start on the first page."""
        self.left = self.first

    @classmethod
    def for_page_size(cls, page_size: str) -> Pager:
        """The pager for `A4`, `Letter`, `Legal` or `A5` (A4's for anything else)."""
        first, rest = _ROWS.get(page_size, _ROWS["A4"])
        return cls(first, rest, _LINE.get(page_size, _LINE["A4"]))

    def reserve(self, rows: int) -> str:
        """Count a block the engine keeps whole: on this page if it fits, else the next.

        Returns an empty string, so a template can write `{{ pager.reserve(4) }}`.
        """
        if rows > self.left:
            self.left = self.rest
        self.left -= rows
        return ""

    def split(self, rows: Sequence[T], heading: int = 3) -> list[list[T]]:
        """`rows` as one list per page; each page's table has `heading` rows of its own.

        A row with a `description` takes as many lines as that wraps to.
        """
        pages: list[list[T]] = [[]]
        self.reserve(heading)
        for row in rows:
            need = self.lines(str(getattr(row, "description", "")))
            if need > self.left and pages[-1]:
                pages.append([])
                self.left = self.rest - heading
            self.left -= need
            pages[-1].append(row)
        return pages

    def lines(self, text: str) -> int:
        """The printed lines a description takes."""
        return max(1, math.ceil(len(text) / self.line_chars))
