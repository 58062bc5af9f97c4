"""Time `bean-ar bill` on 1,000 recurring contracts against `bean-check` (issue 12, "Speed").

Usage::

    .venv/bin/python bench/billing_contracts.py [--invoices 50000] [--contracts 1000]
                                                [--repeat 3] [--seed 1] [--workdir DIR]

Generates a ledger of ``--invoices`` invoices (``bench/generate.py``), numbered
``INV-<year>-<6 digits>`` (the plugin's ``invoice_number`` says so), and adds
``--contracts`` ``ar-contract`` directives, every ``week``, ``month`` or
``quarter`` in turn, each for one of the generator's customers in its currency,
starting between 2025-11-01 and 2026-01-29; the ledger includes an empty
``bills.beancount``. Then ``--repeat`` rounds, interleaved (the order reversed
from one round to the next), each in a fresh process, uncached:

(c) ``bean-check -C main.beancount``, and
(b) ``bean-ar bill main.beancount --through 2026-10-31 --to bills.beancount
    --no-cache``, a year of periods, on a fresh ``bills.beancount`` each round.

Every bill round must write every period (the same count each time) and leave
a ledger that loads without errors (checked once, after the rounds). CPU time
(user + system) and peak RSS from ``os.wait4``, best round. Target: b / c <= 1.2.
Prints a Markdown table and a verdict on stdout, progress on stderr.
Exit status: 0 target met, 1 target missed, 2 a command failed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common import Child, CommandError, generate, report_failure, run_child, tool

TARGET = 1.2
START = datetime.date(2025, 11, 1)
THROUGH = datetime.date(2026, 10, 31)  # a year after the start: the generator's last day
EVERY = ("week", "month", "quarter")
NUMBERS = "plugin \"beancount_ar\" \"{'invoice_number': 'INV-{year}-{seq:06d}'}\""
_CUSTOMER = re.compile(r'open (Assets:Receivable:\S+) (\w+)\n\n\S+ custom "ar-customer" '
                       r'"([^"]+)"')


@dataclass(slots=True)
class Result:
    """Best-of-R CPU times (s) and peak RSS (MB) of both commands."""

    contracts: int
    invoices: int
    lines: int
    billed: int = 0
    check: float = float("inf")
    check_mb: float = 0.0
    bill: float = float("inf")
    bill_mb: float = 0.0

    @property
    def ratio(self) -> float:
        """``bean-ar bill`` over ``bean-check``."""
        return self.bill / self.check


def contracts(text: str, count: int) -> str:
    """`count` contracts over the ledger's customers, in each customer's currency."""
    customers = [(cid, currency) for _, currency, cid in _CUSTOMER.findall(text)]
    if not customers:
        raise ValueError("no ar-customer in the generated ledger")
    blocks = []
    for k in range(count):
        cid, currency = customers[k % len(customers)]
        day = START + datetime.timedelta(days=k % 90)
        blocks.append(f'{day} custom "ar-contract" "contract-{k:04d}"\n'
                      f'  customer: "{cid}"\n  every: "{EVERY[k % len(EVERY)]}"\n'
                      f"  amount: {100 + k % 400}.00 {currency}\n  account: Income:Support\n"
                      f'  description: "Retainer {k:04d}"\n')
    return "\n".join(blocks)


def prepare(n: int, count: int, seed: int, folder: Path) -> Result:
    """The ledger: the generator's, its numbering pattern, the contracts, the bills file."""
    ledger = folder / "main.beancount"
    print(f"generated {n} invoices in {generate(n, seed, ledger):.2f} s", file=sys.stderr)
    text = ledger.read_text(encoding="utf-8").replace('plugin "beancount_ar"\n',
                                                      NUMBERS + "\n", 1)
    text += "\n" + contracts(text, count) + '\ninclude "bills.beancount"\n'
    ledger.write_text(text, encoding="utf-8")
    (folder / "bills.beancount").write_text("", encoding="utf-8")
    return Result(count, n, text.count("\n"))


def check_once(folder: Path) -> Child:
    """One bean-check of the ledger as generated (its bills file empty)."""
    (folder / "bills.beancount").write_text("", encoding="utf-8")
    return run_child([tool("bean-check"), "-C", "main.beancount"], folder, quiet=True)


def bill_once(folder: Path) -> tuple[float, float, int]:
    """One bill run on an empty bills file: CPU time, peak MB, invoices written."""
    bills = folder / "bills.beancount"
    bills.write_text("", encoding="utf-8")
    child = run_child([tool("bean-ar"), "bill", "main.beancount", "--through",
                       THROUGH.isoformat(), "--to", "bills.beancount", "--no-cache"], folder)
    return child.cpu, child.peak_mb, bills.read_text(encoding="utf-8").count(" #invoice\n")


def measure(n: int, count: int, seed: int, repeat: int, folder: Path) -> Result:
    """Prepare the ledger, then time both commands, interleaved, best of ``repeat``."""
    result = prepare(n, count, seed, folder)
    for i in range(repeat):
        if i % 2 == 0:
            check = check_once(folder)
            cpu, peak, billed = bill_once(folder)
        else:
            cpu, peak, billed = bill_once(folder)
            check = check_once(folder)
            bill_once(folder)  # for the check below: the bills of a round
        if result.billed and billed != result.billed:
            print(f"round {i + 1} billed {billed}, before {result.billed}", file=sys.stderr)
            raise SystemExit(2)
        result.billed = billed
        result.check, result.bill = min(result.check, check.cpu), min(result.bill, cpu)
        result.check_mb = max(result.check_mb, check.peak_mb)
        result.bill_mb = max(result.bill_mb, peak)
        print(f"round {i + 1}/{repeat}: bean-check {check.cpu:.2f} s {check.peak_mb:.0f} MB, "
              f"bean-ar bill {cpu:.2f} s {peak:.0f} MB ({billed} invoices)", file=sys.stderr)
    # The ledger with a round's bills loads clean.
    run_child([tool("bean-check"), "-C", "main.beancount"], folder, quiet=True)
    return result


def table(r: Result) -> str:
    """The result as a Markdown table and a verdict line."""
    verdict = "PASS" if r.ratio <= TARGET else "FAIL"
    return "\n".join([
        ("| contracts | invoices | lines | invoices billed | bean-check -C (s) | peak MB "
         "| bean-ar bill (s) | peak MB | ratio | target |"),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        (f"| {r.contracts:,} | {r.invoices:,} | {r.lines:,} | {r.billed:,} | {r.check:.2f} "
         f"| {r.check_mb:.0f} | {r.bill:.2f} | {r.bill_mb:.0f} | {r.ratio:.3f} "
         f"| <= {TARGET:.1f} |"),
        "",
        f"Overall: {verdict}",
    ])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=50_000,
                        help="invoices in the generated ledger (default 50000)")
    parser.add_argument("--contracts", type=int, default=1000,
                        help="ar-contract directives (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best wins (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--workdir", type=Path,
                        help="write the ledger here and keep it (default: temporary)")
    args = parser.parse_args(argv)
    if min(args.invoices, args.contracts, args.repeat) < 1:
        parser.error("--invoices, --contracts and --repeat must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args = parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ar-bench-bill-"))
    folder = workdir.resolve() / "books"
    if folder.exists():
        print(f"{folder} already exists; give an empty --workdir", file=sys.stderr)
        return 2
    folder.mkdir(parents=True)
    print(f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, ledger in {folder}",
          file=sys.stderr)
    try:
        result = measure(args.invoices, args.contracts, args.seed, args.repeat, folder)
    except CommandError as err:
        return report_failure(err)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(result))
    return 0 if result.ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
