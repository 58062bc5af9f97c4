"""`bean-ar dunning -o DIR [--send]`: the letters due, as PDFs and email drafts, and sending them.

    bean-ar dunning ledger.beancount -o letters/ --send --smtp-host mail.example.com

The `dunning` command (`cli/collections.py`) takes these options with
`@letter_options` and hands its rows to `deliver_letters`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Sequence

    from beancount_ar.cli.loading import Ledger


def letter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`-o/--output DIR`, `--send` and the SMTP settings, passed on as `letters=`."""

    @click.option("-o", "--output", "letters_folder", default=None,
                  type=click.Path(file_okay=False, path_type=Path),
                  help="Write one letter per customer (PDF) and an email draft (.eml) here.")
    @click.option("--send", is_flag=True, help="Send the drafts through SMTP (needs -o).")
    @functools.wraps(command)
    def with_letters(*args: Any, letters_folder: Path | None, send: bool,  # noqa: ANN401
                     **kwargs: Any) -> Any:  # noqa: ANN401
        return command(*args, letters={"folder": letters_folder, "send": send}, **kwargs)

    return with_letters


def deliver_letters(ledger: Ledger, rows: Sequence[Any], as_of: datetime.date,
                    letters: dict[str, Any]) -> None:
    """Write (and with `--send` send) the letters for `rows`, one per customer."""
    del ledger, rows, as_of
    if letters.get("folder") is None and not letters.get("send"):
        return
    raise click.UsageError("-o/--send: letters are not written yet in this build")
