"""Precision and recall of `bean-ar match`'s invoice links on labelled bank receipts.

Usage::

    .venv/bin/python bench/matching.py [--receipts 600] [--invoices 4000] [--seed 1]
                                       [--workdir DIR] [--verbose]
    .venv/bin/python bench/matching.py --speed [matching_speed.py's options]

Writes, with ``receipts.py``, a ledger of ``--invoices`` generated invoices plus
the customers' aliases and IBANs and November-December invoices, a receipts file
of ``--receipts`` bank lines of every kind (``receipts.KINDS``) and their labels
(``labels.json``), all in ``--workdir``; runs ``bean-ar match LEDGER RECEIPTS
--format json`` and scores its (receipt, invoice) links against the labels. A
link is correct when the labelled receipt expects that invoice; its amount is
checked on its own (column "amount off"), as is the customer. Prints a Markdown
table per kind and the total against the targets (precision >= 0.99, recall >=
0.95: a wrong link is worse than none); ``--verbose`` lists every wrong and
missed link on stderr. Exit status: 0 targets met, 1 one missed, 2 the command
failed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from common import BIN
from receipts import KINDS, build
from receipts_parties import NOT_RECEIPT

PRECISION, RECALL = 0.99, 0.95


@dataclass(slots=True)
class Row:
    """One kind's counts: receipts, links expected, proposed, correct, and other misses."""

    kind: str
    receipts: int = 0
    expected: int = 0
    proposed: int = 0
    correct: int = 0
    amount_off: int = 0
    customer_wrong: int = 0

    def add(self, other: Row) -> None:
        """Add ``other``'s counts into this row."""
        self.receipts += other.receipts
        self.expected += other.expected
        self.proposed += other.proposed
        self.correct += other.correct
        self.amount_off += other.amount_off
        self.customer_wrong += other.customer_wrong

    @property
    def precision(self) -> float:
        """Correct links over proposed ones (1.0 when none is proposed)."""
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        """Correct links over expected ones (1.0 when none is expected)."""
        return self.correct / self.expected if self.expected else 1.0


@dataclass
class Score:
    """The rows by kind, their total and every wrong or missed link, described."""

    rows: dict[str, Row]
    total: Row
    problems: list[str] = field(default_factory=list)


def links(record: dict[str, object]) -> dict[str, str]:
    """Invoice -> amount of a label's or a proposal's invoice links."""
    found = record.get("invoices") or []
    if not isinstance(found, list):
        raise TypeError(f"invoices is not a list: {found!r}")
    return {str(link["invoice"]): str(link["amount"]) for link in found}


def score(labels: list[dict[str, object]], proposals: list[dict[str, object]]) -> Score:
    """Score ``proposals`` (the command's JSON) against ``labels`` (labels.json's receipts)."""
    by_line = {int(str(p["line"])): p for p in proposals}
    rows = {kind: Row(kind) for kind, _, _ in KINDS}
    problems = []
    for label in labels:
        line = int(str(label["line"]))
        proposal = by_line.pop(line, {})
        row = rows.setdefault(str(label["kind"]), Row(str(label["kind"])))
        want, got = links(label), links(proposal)
        row.receipts += 1
        row.expected += len(want)
        row.proposed += len(got)
        row.correct += len(want.keys() & got.keys())
        row.amount_off += sum(1 for n in want.keys() & got.keys() if want[n] != got[n])
        row.customer_wrong += label["customer"] != proposal.get("customer")
        if want.keys() != got.keys():
            problems.append(f"line {line} [{label['kind']}]: expected {sorted(want) or 'none'}, "
                            f"proposed {sorted(got) or 'none'} "
                            f"(reason: {proposal.get('reason', 'no output for this line')})")
    for line, proposal in sorted(by_line.items()):
        row = rows.setdefault("no receipt, taken for one", Row("no receipt, taken for one"))
        row.receipts += 1  # taken for a receipt
        row.proposed += len(links(proposal))
        problems.append(f"line {line}: no receipt, taken for one, proposed "
                        f"{sorted(links(proposal)) or 'none'}")
    total = Row("total")
    for row in rows.values():
        total.add(row)
    return Score(rows, total, problems)


def cell(value: float, count: int) -> str:
    """A ratio, or a dash when nothing was counted."""
    return f"{value:.3f}" if count else "-"


def table(result: Score, precision: float = PRECISION, recall: float = RECALL) -> str:
    """The Markdown table: one row per kind, the total, the targets and the verdict."""
    out = [("| kind | receipts | links expected | proposed | correct | precision | recall "
            "| amount off | customer wrong |"), "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    result.rows.setdefault("no receipt, taken for one", Row("no receipt, taken for one"))
    for row in [*result.rows.values(), result.total]:
        name = f"**{row.kind}**" if row is result.total else row.kind
        out.append(f"| {name} | {row.receipts} | {row.expected} | {row.proposed} | {row.correct} "
                   f"| {cell(row.precision, row.proposed)} | {cell(row.recall, row.expected)} "
                   f"| {row.amount_off} | {row.customer_wrong} |")
    total = result.total
    out += ["", (f"Precision {total.precision:.4f} (target >= {precision}): "
                 f"{'PASS' if total.precision >= precision else 'FAIL'}"),
            (f"Recall {total.recall:.4f} (target >= {recall}): "
             f"{'PASS' if total.recall >= recall else 'FAIL'}")]
    return "\n".join(out)


def passed(result: Score, precision: float = PRECISION, recall: float = RECALL) -> bool:
    """Whether both targets are met."""
    return result.total.precision >= precision and result.total.recall >= recall


def run_match(ledger: Path, receipts: Path) -> list[dict[str, object]]:
    """``bean-ar match LEDGER RECEIPTS --format json``'s answer; exit 2 when it fails."""
    cmd = [str(BIN / "bean-ar"), "match", str(ledger), str(receipts), "--format", "json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(f"command failed (exit {proc.returncode}): {' '.join(cmd)}\n{proc.stdout[-4000:]}"
              f"\n{proc.stderr[-4000:]}", file=sys.stderr)
        sys.exit(2)
    answer = json.loads(proc.stdout)
    if not isinstance(answer, list):
        raise TypeError("bean-ar match --format json printed no JSON array")
    return answer


def main(argv: list[str] | None = None) -> int:
    """Build the labelled receipts, run the matcher, print the table and the verdict."""
    argv = sys.argv[1:] if argv is None else argv
    if "--speed" in argv:
        from matching_speed import main as speed  # noqa: PLC0415 - the other bench, on demand

        status: int = speed([a for a in argv if a != "--speed"])
        return status
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--receipts", type=int, default=600)
    parser.add_argument("--invoices", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="ar-match-"))
    bench = build(args.invoices, args.receipts, args.seed)
    ledger, receipts, labels = bench.write(folder)
    count = sum(r.kind != NOT_RECEIPT for r in bench.receipts)
    print(f"{count} receipts and {len(bench.receipts) - count} other bank lines in {receipts}, "
          f"labels in {labels}"
          + (f"; kinds short: {bench.shortfall}" if bench.shortfall else ""), file=sys.stderr)
    result = score(json.loads(labels.read_text(encoding="utf-8"))["receipts"],
                   run_match(ledger, receipts))
    if args.verbose:
        for problem in result.problems:
            print(problem, file=sys.stderr)
    print(f"`bean-ar match` on {count} labelled receipts, {args.invoices:,} "
          f"generated invoices, seed {args.seed}\n")
    print(table(result))
    ok = passed(result)
    print(f"\nOverall: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
