"""`bean-ar match`: the invoices each imported bank receipt settles (AR-SPEC section 13).

    bean-ar match ledger.beancount receipts.beancount              # propose, write nothing
    bean-ar match ledger.beancount receipts.beancount --format csv
    bean-ar match ledger.beancount receipts.beancount --apply      # rewrite the receipts

The CSV header is
`line,date,payee,currency,amount,customer,invoices,on_account,discounts,reason,confidence`;
`invoices` and `discounts` list `NUMBER:AMOUNT` separated by spaces. JSON gives
the same per receipt, with `invoices` and `discounts` as lists of objects.

`--apply` rewrites, in RECEIPTS only, the receipts settled to invoices or on
account, through the one writer (read before the ledger loads; refused, with
nothing written, when RECEIPTS changed since, is a file of the ledger, or the
result would add an AR error to the ledger). Every other byte stays as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from beancount_ar.cli.console import EXIT_USAGE, fail
from beancount_ar.cli.options import ledger_options, with_ledger

if TYPE_CHECKING:
    from decimal import Decimal

    from beancount_ar.cli.loading import Ledger
    from beancount_ar.core.precision import Precision
    from beancount_ar.reports.matching import Proposal
    from beancount_ar.writer import Snapshot

FIELDS = ("line", "date", "payee", "currency", "amount", "customer", "invoices", "on_account",
          "discounts", "reason", "confidence")
TABLE_HEADER = ("Line", "Date", "Payer", "Cur", "Amount", "Customer", "Invoices", "On account",
                "Conf", "Why")


@click.command("match")
@with_ledger("receipts")
@ledger_options
@click.option("--apply", "apply", is_flag=True,
              help="Rewrite the receipts settled, in RECEIPTS only (never the ledger).")
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True, help="Output layout.")
def match(  # noqa: PLR0913 - one parameter per option
    ledger: Path, receipts: str, output_format: str, *, apply: bool, no_cache: bool,
    ignore_errors: bool,
) -> None:
    """Propose the invoices each receipt in RECEIPTS settles, and why."""
    from beancount_ar.cli.loading import load  # noqa: PLC0415 - fast --help
    from beancount_ar.reports.matching import match_receipts  # noqa: PLC0415

    snapshot = _read(Path(receipts))  # read before the ledger loads: see --apply
    loaded = load(ledger, no_cache=no_cache, ignore_errors=ignore_errors)
    text = _decode(snapshot)
    entries = _parse(text, snapshot.path)
    proposals = match_receipts(loaded.receivables, entries)
    _print(output_format, proposals, loaded.precision, snapshot.path)
    if apply:
        _apply(loaded, snapshot, text, proposals)


def _read(path: Path) -> Snapshot:
    from beancount_ar.writer import WriteError, read_snapshot  # noqa: PLC0415

    try:
        return read_snapshot(path)
    except WriteError as error:
        fail(f"RECEIPTS: {error}", status=EXIT_USAGE)


def _decode(snapshot: Snapshot) -> str:
    try:
        return snapshot.data.decode("utf-8")
    except UnicodeDecodeError as error:
        fail(f"{snapshot.path} is not UTF-8 text (byte {error.start}); Beancount files are UTF-8",
             status=EXIT_USAGE)


def _parse(text: str, path: Path) -> list[Any]:
    """The import file's entries; its syntax errors are printed, its good entries kept."""
    from beancount.parser import parser  # noqa: PLC0415

    entries, errors, _ = parser.parse_string(text, report_filename=str(path))
    for error in errors:
        line = (error.source or {}).get("lineno", "?")
        click.echo(f"{path}:{line}: {error.message} (this entry is not matched)", err=True)
    return list(entries)


def _cells(proposal: Proposal, precision: Precision) -> list[str]:
    receipt = proposal.receipt
    currency = receipt.currency

    def listed(pairs: tuple[tuple[str, Decimal], ...]) -> str:
        return " ".join(f"{n}:{precision.plain(a, currency)}" for n, a in pairs)

    return [str(receipt.line), receipt.date.isoformat(), receipt.payer, currency,
            precision.plain(receipt.amount, currency), proposal.customer or "",
            listed(proposal.invoices), precision.plain(proposal.on_account, currency),
            listed(proposal.discounts), proposal.reason, f"{proposal.confidence:.2f}"]


def _print(output_format: str, proposals: list[Proposal], precision: Precision,
           path: Path) -> None:
    from beancount_ar.reports import formatting  # noqa: PLC0415

    records = [_cells(p, precision) for p in proposals]
    if output_format == "csv":
        click.echo(formatting.to_csv(FIELDS, records), nl=False)
    elif output_format == "json":
        click.echo(json.dumps([_json(p, precision, path) for p in proposals], indent=2,
                              ensure_ascii=False))
    elif not records:
        click.echo(f"No receipts in {path} (transactions to a bank account whose other leg "
                   "is the suspense account or missing).")
    else:
        rows = [[r[0], r[1], r[2], r[3], precision.grouped(p.receipt.amount, r[3]), r[5],
                 " ".join(n for n, _ in p.invoices),
                 precision.grouped(p.on_account, r[3]) if p.on_account else "", r[10], r[9]]
                for r, p in zip(records, proposals, strict=True)]
        right = [name in {"Line", "Amount", "On account", "Conf"} for name in TABLE_HEADER]
        click.echo(formatting.render_table(TABLE_HEADER, rows, right, 0), nl=False)
        click.echo(_summary(proposals))


def _json(proposal: Proposal, precision: Precision, path: Path) -> dict[str, object]:
    receipt = proposal.receipt
    currency = receipt.currency

    def listed(pairs: tuple[tuple[str, Decimal], ...]) -> list[dict[str, str]]:
        return [{"invoice": n, "amount": precision.plain(a, currency)} for n, a in pairs]

    return {"file": str(path), "line": receipt.line, "date": receipt.date.isoformat(),
            "payee": receipt.entry.payee, "narration": receipt.entry.narration,
            "amount": precision.plain(receipt.amount, currency), "currency": currency,
            "customer": proposal.customer, "invoices": listed(proposal.invoices),
            "discounts": listed(proposal.discounts),
            "on_account": precision.plain(proposal.on_account, currency),
            "reason": proposal.reason, "confidence": round(proposal.confidence, 2)}


def _summary(proposals: list[Proposal]) -> str:
    to_invoices = sum(1 for p in proposals if p.invoices)
    on_account = sum(1 for p in proposals if not p.invoices and p.settles)
    alone = len(proposals) - to_invoices - on_account
    return (f"\n{len(proposals)} receipt(s): {to_invoices} to invoices, {on_account} on "
            f"account, {alone} left alone (unknown payer)")


def _apply(loaded: Ledger, snapshot: Snapshot, text: str, proposals: list[Proposal]) -> None:
    """Rewrite the settled receipts in RECEIPTS; refuse with nothing written."""
    from beancount_ar.cli.recording import _is_one_of as is_ledger_file  # noqa: PLC0415
    from beancount_ar.reports.settlement import settled_text  # noqa: PLC0415
    from beancount_ar.writer import (  # noqa: PLC0415
        WriteError,
        WriteRefusedError,
        ledger_files,
        replace_ledger_file,
    )

    if is_ledger_file(snapshot.path, ledger_files(loaded.options, loaded.entries)):
        fail(f"--apply: {snapshot.path} is a file of the ledger; match rewrites an import "
             "file only, never the ledger (match the file before it is included); nothing "
             "written", status=EXIT_USAGE)
    settled = [p for p in proposals if p.settles]
    if not settled:
        click.echo(f"bean-ar: nothing to apply in {snapshot.path}", err=True)
        return
    new_text = settled_text(text, proposals, loaded.receivables)
    problem = _check_result(loaded, text, new_text, snapshot.path) or _refusal(loaded, settled)
    if problem is not None:
        fail(f"--apply: {problem}; nothing written")
    try:
        replace_ledger_file(snapshot, new_text.encode("utf-8"))
    except WriteRefusedError as error:
        fail(f"--apply: {error}", status=EXIT_USAGE)
    except WriteError as error:
        fail(f"--apply: {error}")
    click.echo(f"bean-ar: settled {len(settled)} receipt(s) in {snapshot.path}", err=True)


def _check_result(loaded: Ledger, old: str, new: str, path: Path) -> str | None:
    """Why the rewritten file must not be written, or None.

    It must parse as cleanly as before, and every receipt settled must balance.
    """
    from beancount.parser import parser  # noqa: PLC0415

    old_entries, old_errors, _ = parser.parse_string(old, report_filename=str(path))
    entries, errors, _ = parser.parse_string(new, report_filename=str(path))
    if len(errors) > len(old_errors):
        return f"the rewritten file would not parse ({errors[-1].message})"
    unbalanced = _unbalanced(entries, loaded)
    if unbalanced - _unbalanced(old_entries, loaded):
        return f"a settled receipt would not balance ({min(unbalanced)})"
    return None


def _unbalanced(entries: list[Any], loaded: Ledger) -> set[str]:
    """The transactions with receivable postings whose amounts do not add up to zero."""
    from beancount.core.data import Transaction  # noqa: PLC0415

    root = loaded.receivables.config
    found = set()
    for entry in entries:
        if isinstance(entry, Transaction) and any(
                root.is_receivable(p.account) for p in entry.postings):
            numbers = [getattr(p.units, "number", None) for p in entry.postings]
            if any(n is None for n in numbers) or sum(numbers) != 0:  # type: ignore[arg-type]
                found.add(f"{entry.date} {entry.payee or ''} {entry.narration}".strip())
    return found


def _refusal(loaded: Ledger, settled: list[Proposal]) -> str | None:
    """What bean-check would reject once the settled receipts are in the ledger.

    Only what matching adds is checked (the receivable and discount postings):
    the bank postings were there before. All receipts at once: one model build.
    """
    from beancount_ar.reports.appending import appending_refusals  # noqa: PLC0415
    from beancount_ar.reports.settlement import settled_entries  # noqa: PLC0415

    added = []
    for proposal in settled:
        bank = proposal.receipt.entry.postings[_bank_index(proposal)]
        added += [entry._replace(postings=[p for p in entry.postings if p is not bank])
                  for entry in settled_entries(proposal, loaded.receivables)]
    problems = appending_refusals(loaded.entries, loaded.options, loaded.receivables.errors,
                                  added)
    if not problems:
        return None
    discounts = loaded.receivables.config.discount_account
    hint = (f" (discounts go to {discounts}: open it, or name another account in the "
            "plugin configuration's discount_account)" if problems[0].startswith(discounts)
            else "")
    return f"the settled receipts: {problems[0]}{hint}"


def _bank_index(proposal: Proposal) -> int:
    receipt = proposal.receipt
    return next(i for i in range(len(receipt.entry.postings)) if i != receipt.suspense_posting)
