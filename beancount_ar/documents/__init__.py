"""Invoices and statements of account as HTML and PDF, printed from the ledger.

    bean-ar invoice ledger.beancount INV-2026-001 -o INV-2026-001.pdf
    bean-ar statement ledger.beancount acme --as-of 2026-06-30 -o acme.pdf
"""
