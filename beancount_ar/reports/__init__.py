"""Reports on the model, pure: they read `core.model.Receivables` and return rows.

    rows = aging.aging(receivables, datetime.date(2026, 6, 30))

`aging` and `overdue` on a date, `formatting` (table, CSV and JSON layouts),
`history` (has an issued invoice changed: AR601, AR602) and `diff` (the ledger
against itself at a git commit). Imports only the core; reading git is the CLI's.
"""
