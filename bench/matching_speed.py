"""Time `bean-ar match` on 5,000 receipts against `bean-check` on the ledger.

Usage::

    .venv/bin/python bench/matching_speed.py [--sizes 10000,100000] [--receipts 5000]
                                             [--repeat 2] [--seed 1] [--workdir DIR]
    .venv/bin/python bench/matching.py --speed ...     # the same

For each size, ``receipts.py`` writes a ledger of that many generated invoices
(plus the customers' aliases, IBANs and the November-December invoices) and
``--receipts`` bank receipts of every kind (reused from ``--workdir`` when there).
Then ``--repeat`` interleaved rounds (the order reversed every other round), each
command in a fresh process, no pickle cache (``-C``, ``--no-cache`` when ``match``
has it; caches removed before every run), CPU time (user + system) and peak RSS
of the child from ``os.wait4``, of

(c) ``bean-check -C LEDGER`` and
(m) ``bean-ar match LEDGER RECEIPTS --format csv``;

the best round of each. The files are written by a child process, so that the
parent (and the peak RSS its children inherit at the fork) stays small.
Target: m / c <= 1.5. Exit status: 0 met, 1 missed, 2 a command failed or
printed no table.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from common import HERE, Child, CommandError, clear_caches, report_failure, run_child, tool

TARGET = 1.5


def workspace(folder: Path, invoices: int, receipts: int, seed: int) -> tuple[Path, Path]:
    """The ledger and receipts of one size, written unless ``folder`` has them already."""
    ledger, receipts_file = folder / "ledger.beancount", folder / "receipts.beancount"
    if not (ledger.exists() and receipts_file.exists()):
        print(f"writing {invoices:,} invoices and {receipts:,} receipts to {folder}",
              file=sys.stderr)
        # In a process of its own: a child's peak RSS starts from its parent's at the fork,
        # and the labels need the model of the whole ledger in memory.
        code = (f"import receipts; receipts.build({invoices}, {receipts}, {seed})"
                f".write(__import__('pathlib').Path({str(folder)!r}))")
        run_child([sys.executable, "-c", code], HERE)
    return ledger, receipts_file


def commands(ledger: Path, receipts: Path) -> dict[str, list[str]]:
    """The two commands timed, by name."""
    match = [tool("bean-ar"), "match", str(ledger), str(receipts), "--format", "csv"]
    helped = subprocess.run([*match[:2], "--help"], capture_output=True, text=True, check=False)
    if "--no-cache" in helped.stdout:
        match.append("--no-cache")
    return {"check": [tool("bean-check"), "-C", str(ledger)], "match": match}


def measure(ledger: Path, receipts: Path, repeat: int) -> dict[str, list[Child]]:
    """Every round's figures of each command; a match without rows is a failure."""
    todo = commands(ledger, receipts)
    runs: dict[str, list[Child]] = {name: [] for name in todo}
    for round_ in range(repeat):
        for name in list(todo) if round_ % 2 == 0 else list(todo)[::-1]:
            clear_caches(ledger.parent)
            child = run_child(todo[name], ledger.parent)
            if name == "match" and child.stdout.count("\n") < 2:
                proc = subprocess.CompletedProcess(todo[name], 0, child.stdout, child.stderr)
                raise CommandError(todo[name], proc, "no match table")
            runs[name].append(child)
            print(f"round {round_ + 1}: {name} {child.cpu:.2f} s, {child.peak_mb:.0f} MB",
                  file=sys.stderr)
    return runs


def row(invoices: int, receipts: int, runs: dict[str, list[Child]]) -> tuple[str, bool]:
    """One Markdown row of the best rounds, and whether it meets the target."""
    check = min(c.cpu for c in runs["check"])
    match = min(c.cpu for c in runs["match"])
    ratio = match / check
    peak = (max(c.peak_mb for c in runs["match"]), max(c.peak_mb for c in runs["check"]))
    ok = ratio <= TARGET
    return (f"| {invoices:,} | {receipts:,} | {check:.2f} | {match:.2f} | **{ratio:.3f}** "
            f"{'PASS' if ok else 'FAIL'} | <= {TARGET} | {peak[0]:.0f} / {peak[1]:.0f} "
            f"({peak[0] / peak[1]:.2f}x) |"), ok


def main(argv: list[str] | None = None) -> int:
    """Write (or reuse) each size's files, time the commands, print the table and verdict."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--receipts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ar-match-speed-"))
    rows, passed = [], True
    for size in (int(s) for s in args.sizes.split(",")):
        folder = workdir / f"match-{size}-{args.receipts}-{args.seed}"
        ledger, receipts = workspace(folder, size, args.receipts, args.seed)
        try:
            runs = measure(ledger, receipts, args.repeat)
        except CommandError as err:
            return report_failure(err)
        text, ok = row(size, args.receipts, runs)
        rows.append(text)
        passed = passed and ok
    print(f"| invoices | receipts | `bean-check -C` CPU s | `bean-ar match` CPU s "
          f"| ratio (best of {args.repeat}) | target | peak RSS MB, match / check |\n"
          "|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print(f"\nOverall: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
