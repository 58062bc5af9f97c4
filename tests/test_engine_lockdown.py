"""The PDF engine takes its options from us alone: a page cannot pass it any."""

from __future__ import annotations

import io

from pypdf import PdfReader

from beancount_ar.documents.render import ENGINE_OPTIONS, engine_html, pdf_bytes

LANDSCAPE_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="pdfkit-orientation" content="Landscape">
<META NAME='pdfkit-enable-local-file-access' content="">
</head><body><p>Hello</p></body></html>"""


def test_meta_tags_cannot_set_engine_options() -> None:
    shown = engine_html(LANDSCAPE_PAGE)
    assert 'name="pdfkit-' not in shown
    assert "NAME='pdfkit-" not in shown
    assert 'name="ignored-pdfkit-orientation"' in shown
    assert engine_html("<p>pdfkit-orientation is just text</p>") == (
        "<p>pdfkit-orientation is just text</p>")


def test_a_page_asking_for_landscape_still_prints_portrait() -> None:
    pdf = PdfReader(io.BytesIO(pdf_bytes(LANDSCAPE_PAGE, "A4")))
    box = pdf.pages[0].mediabox
    assert float(box.width) < float(box.height)


def test_the_engine_runs_locked_down() -> None:
    assert "disable-local-file-access" in ENGINE_OPTIONS
    assert "disable-javascript" in ENGINE_OPTIONS
    assert ENGINE_OPTIONS["proxy"].startswith("http://127.0.0.1:")
