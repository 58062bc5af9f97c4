"""What a matched receipt becomes: its receivable postings, as entries and as text.

    2026-03-02 * "ACME CORP." "Payment VS 20260042"
      Assets:Bank:Checking   1764.00 USD
      Income:Uncategorized

settled to `INV-2026-0042` less its 2 % discount becomes

    2026-03-02 * "ACME CORP." "Payment VS 20260042"
      Assets:Bank:Checking   1764.00 USD
      Assets:Receivable:Acme  -1764.00 USD
        invoice: "INV-2026-0042"

    2026-03-02 * "Acme Corp" "Early-payment discount, INV-2026-0042" ^INV-2026-0042 #credit-note
      Assets:Receivable:Acme  -36.00 USD
      Income:Discounts  36.00 USD

The suspense posting (or, when it is missing, nothing) is replaced; the rest
of the receipt, its metadata and comments included, stays as written. Money on
account adds the `#on-account` tag. `settled_text` rewrites a file's text,
`settled_entries` the entries of a beangulp import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount.core.amount import Amount
from beancount.core.data import Posting, Transaction, new_metadata

from beancount_ar.core.ledger_text import quoted

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from decimal import Decimal

    from beancount_ar.core.model import Receivables
    from beancount_ar.reports.matching import Proposal

ON_ACCOUNT = "on-account"
CREDIT_NOTE = "credit-note"


Posted = tuple[str, "Decimal", "str | None"]  # (account, amount, invoice)


def _postings(proposal: Proposal, receivables: Receivables) -> list[Posted]:
    """(account, amount, invoice) for each receivable posting the receipt gets."""
    receipt = proposal.receipt
    postings: list[Posted] = [
        (receivables.invoices[number].account, -amount, number)
        for number, amount in proposal.invoices]
    if proposal.on_account > 0 and proposal.customer is not None:
        account = receivables.customers[proposal.customer].at(receipt.date).account
        postings.append((account, -proposal.on_account, None))
    return postings


def _discount_note(proposal: Proposal, number: str, amount: Decimal,
                   receivables: Receivables) -> tuple[str, str, str, Decimal]:
    """(payee, narration, receivable account, amount) of the discount's credit note."""
    invoice = receivables.invoices[number]
    name = receivables.customers[invoice.customer].at(proposal.receipt.date).name
    return name, f"Early-payment discount, {number}", invoice.account, amount


def settled_entries(proposal: Proposal, receivables: Receivables) -> list[Transaction]:
    """The receipt as settled, then its discount credit notes: for a beangulp hook."""
    receipt = proposal.receipt
    entry = receipt.entry
    currency = receipt.currency
    kept = [p for i, p in enumerate(entry.postings) if i != receipt.suspense_posting]
    for account, amount, number in _postings(proposal, receivables):
        meta = {"invoice": number} if number is not None else None
        kept.append(Posting(account, Amount(amount, currency), None, None, None, meta))
    tags = (entry.tags or frozenset()) | ({ON_ACCOUNT} if proposal.on_account > 0 else set())
    settled = [entry._replace(postings=kept, tags=frozenset(tags))]
    discount_account = receivables.config.discount_account
    for number, discount in proposal.discounts:
        payee, narration, account, amount = _discount_note(proposal, number, discount, receivables)
        settled.append(Transaction(
            new_metadata(entry.meta.get("filename", "<match>"), entry.meta.get("lineno", 0)),
            receipt.date, "*", payee, narration, frozenset({CREDIT_NOTE}),
            frozenset({number}), [
                Posting(account, Amount(-amount, currency), None, None, None, None),
                Posting(discount_account, Amount(amount, currency), None, None, None, None)]))
    return settled


def settled_text(text: str, proposals: Sequence[Proposal], receivables: Receivables) -> str:
    """`text` (the import file the receipts were parsed from) with `proposals` applied.

    Lines outside the settled receipts are kept byte for byte.
    """
    # Split at "\n" only, as Beancount counts lines (str.splitlines also splits at \f, \x1c...).
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    if not lines[-1]:
        lines.pop()
    newline = "\r\n" if "\r\n" in text[:4096] else "\n"
    unterminated = bool(lines) and not lines[-1].endswith("\n")
    if unterminated:
        lines[-1] += newline
    # Rewritten from the last receipt up, so earlier line numbers stay valid.
    for proposal in sorted((p for p in proposals if p.settles),
                           key=lambda p: p.receipt.line, reverse=True):
        lines, touched_end = _rewrite(lines, proposal, receivables, newline)
        unterminated = unterminated and not touched_end
    result = "".join(lines)
    return result[:-len(newline)] if unterminated else result


def _rewrite(lines: list[str], proposal: Proposal, receivables: Receivables,
             newline: str) -> tuple[list[str], bool]:
    """The lines with one receipt settled; True when its entry ends the file."""
    receipt = proposal.receipt
    header = receipt.line - 1
    end = _block_end(lines, header)
    bank_line = _line(receipt.entry.postings[_bank_index(proposal)].meta) - 1
    indent = _indent(lines[bank_line])
    currency = receipt.currency
    precision = receivables.precision
    new = []
    for account, amount, number in _postings(proposal, receivables):
        new.append(f"{indent}{account}  {precision.plain(amount, currency)} {currency}{newline}")
        if number is not None:
            new.append(f"{indent}  invoice: {quoted(number)}{newline}")
    if receipt.suspense_posting is not None:
        at = _line(receipt.entry.postings[receipt.suspense_posting].meta) - 1
        until = at + 1
        while until <= end and _indent_width(lines[until]) > _indent_width(lines[at]) \
                and lines[until].strip():
            until += 1
    else:
        at = until = end + 1
    block = lines[header:at] + new + lines[until:end + 1]
    if proposal.on_account > 0 and ON_ACCOUNT not in (receipt.entry.tags or ()):
        block[0] = _with_tag(block[0], ON_ACCOUNT)
    notes = [_note_text(proposal, number, discount, receivables, (indent, newline))
             for number, discount in proposal.discounts]
    block += [newline + note for note in notes]
    return lines[:header] + block + lines[end + 1:], end + 1 >= len(lines)


def _line(meta: Mapping[str, object] | None) -> int:
    """A posting's line, as the parser gave it."""
    return int(str((meta or {}).get("lineno", 0)))


def _bank_index(proposal: Proposal) -> int:
    postings = proposal.receipt.entry.postings
    return next(i for i in range(len(postings)) if i != proposal.receipt.suspense_posting)


def _note_text(proposal: Proposal, number: str, discount: Decimal, receivables: Receivables,
               layout: tuple[str, str]) -> str:
    indent, newline = layout
    payee, narration, account, amount = _discount_note(proposal, number, discount, receivables)
    currency = proposal.receipt.currency
    plain = receivables.precision.plain
    return (f"{proposal.receipt.date} * {quoted(payee)} {quoted(narration)} ^{number} "
            f"#{CREDIT_NOTE}{newline}"
            f"{indent}{account}  {plain(-amount, currency)} {currency}{newline}"
            f"{indent}{receivables.config.discount_account}  {plain(amount, currency)} "
            f"{currency}{newline}")


def _block_end(lines: Sequence[str], header: int) -> int:
    """The last line of the entry starting at `header`: its indented lines that follow."""
    end = header
    for index in range(header + 1, len(lines)):
        if not lines[index].strip() or not lines[index][:1].isspace():
            break
        end = index
    return end


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip())] or "  "


def _indent_width(line: str) -> int:
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())


def _with_tag(header: str, tag: str) -> str:
    """The header line with `#tag` added before its comment (outside quoted strings)."""
    body = header.rstrip("\r\n")
    ending = header[len(body):]
    in_string = False
    cut = len(body)
    for index, char in enumerate(body):
        if char == '"' and (index == 0 or body[index - 1] != "\\"):
            in_string = not in_string
        elif char == ";" and not in_string:
            cut = index
            break
    head, comment = body[:cut].rstrip(), body[cut:]
    return f"{head} #{tag}" + (f"  {comment}" if comment else "") + ending
