"""The pure core: the receivables model and everything it is built from; no I/O.

    receivables, errors = build_receivables(entries, ARConfig())  # core.build

One module per concept, each raising the codes of its concept: `customers`
(AR001, AR002 in `build`), `invoices` (AR101-AR103, AR105), `numbering` (AR104),
`applications` (AR201-AR208: payments, credit notes, write-offs), `credit_limits`
(AR301), `cards` (AR401), `events` (AR501), `directives` (AR502), `seller`
(AR010, `ar-company`), `config` (the plugin's configuration). Imports only the
standard library, Beancount and small pure libraries (python-stdnum); never the
reports, the fronts, or a web, template or PDF library.
"""
