"""The pure core: the receivables model and everything it is built from; no I/O.

    receivables = read_receivables(entries, options_map)  # core.build: the one way in

One module per concept, each raising the codes of its concept: `customers`
(AR001, AR002 in `build`), `invoices` (AR101-AR103, AR105), `numbering` (AR104),
`applications` (AR201-AR208: payments, credit notes, write-offs), `credit_limits`
(AR301), `cards` (AR401), `events` (AR501), `directives` (AR502), `seller`
(AR010, `ar-company`), `locales`, `precision`, `config` (the plugin's
configuration). Imports only the standard library, Beancount and small pure
libraries (python-stdnum, Babel: each reads only the data it ships with); never
the reports, the fronts, or a web, template or PDF library.
"""
