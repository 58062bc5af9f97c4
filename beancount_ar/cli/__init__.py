"""`bean-ar`: receivables reports from a Beancount ledger.

    bean-ar aging ledger/example.beancount --as-of 2026-06-30 --format csv
    BEANCOUNT_FILE=ledger/example.beancount bean-ar invoice INV-2026-054 -o inv.pdf

Every command takes the ledger as its first argument, as `-f/--file LEDGER` (before
or after the command's name) or from the BEANCOUNT_FILE environment variable.
Exit status: 0 success; 1 the ledger has errors (listed on stderr, no report
unless --ignore-errors) or a write failed; 2 bad usage, such as a missing file, a
bad option or an output the writer refuses.
"""

from __future__ import annotations

import sys

import click

from beancount_ar.cli.analytics import collections_command
from beancount_ar.cli.billing import bill
from beancount_ar.cli.collections import disputes, dunning, escalations, interest
from beancount_ar.cli.commits import check, diff
from beancount_ar.cli.console import EXIT_LEDGER_ERRORS, silence_stdout
from beancount_ar.cli.deposits import deposit
from beancount_ar.cli.documents import invoice, invoices, statement
from beancount_ar.cli.forecast import forecast
from beancount_ar.cli.invoicing import InvoiceCommands, new
from beancount_ar.cli.kpi import collectors, kpi_command
from beancount_ar.cli.matching import match
from beancount_ar.cli.reports import aging, overdue
from beancount_ar.core.build import no_collection_pauses


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-f", "--file", "ledger_file", metavar="LEDGER", default=None,
              help="The ledger file, for any command (default: $BEANCOUNT_FILE).")
@click.version_option(package_name="beancount-ar")
def main(ledger_file: str | None) -> None:
    """Accounts receivable from a Beancount ledger.

    LEDGER is each command's first argument, or -f/--file LEDGER (before or
    after the command), or the BEANCOUNT_FILE environment variable, as in Fava.
    Exit status: 0 success, 1 the ledger has errors, 2 bad usage (or an output
    refused).
    """
    del ledger_file  # read by each command, which may also be given its own -f



for command in (aging, overdue, dunning, escalations, disputes, interest,
                InvoiceCommands(invoice, new), statement, invoices, check, diff):
    main.add_command(command)
main.add_command(forecast)
main.add_command(collections_command)
main.add_command(kpi_command)
main.add_command(collectors)
main.add_command(bill)
main.add_command(deposit)
main.add_command(match)


def run() -> None:
    """The `bean-ar` command: `main`, where a full or closed standard output is a message.

    A report printed to a full disk (`> /dev/full`) or a closed pipe would
    otherwise end in a traceback, and Python would retry the write at exit.
    """
    try:
        # One command, one report: what it loads lives until the process ends and
        # makes no reference cycles, so the collector stays paused throughout.
        with no_collection_pauses():
            main()
    except OSError as error:
        silence_stdout()
        click.echo(f"bean-ar: cannot write the output: {error.strerror or error}", err=True)
        sys.exit(EXIT_LEDGER_ERRORS)

