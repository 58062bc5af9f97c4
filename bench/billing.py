"""Time the billing run: N invoices to PDF, one job at a time against one per core.

Usage::

    .venv/bin/python bench/billing.py [--invoices 200] [--repeat 3] [--jobs N]
                                      [--seed 1] [--workdir DIR]

Generates a ledger of ``--invoices`` invoices (``bench/generate.py``) with an
``ar-company`` (address, tax ID, IBAN: EUR invoices carry the payment QR code),
loads it once and calls ``beancount_ar.documents.batch.billing_run`` in this
process for all of them, as of 2026-10-31: serial (``jobs=1``) and parallel
(``jobs=--jobs``, default ``os.cpu_count()``), interleaved, ``--repeat`` rounds,
each into an empty folder. Wall time (``time.perf_counter``), best round. Every
run must write every invoice, else the script stops (exit 2). Prints a Markdown
table on stdout, progress on stderr.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from beancount_ar.cli.loading import load_ledger
from beancount_ar.documents.batch import billing_run
from beancount_ar.documents.data import invoice_document
from beancount_ar.documents.render import invoice_html

if TYPE_CHECKING:
    from collections.abc import Sequence

    from beancount_ar.core.model import Invoice, Receivables

HERE = Path(__file__).resolve().parent
AS_OF = datetime.date(2026, 10, 31)  # the generator's last day
COMPANY = """
2023-10-01 custom "ar-company" "Bench Consulting Ltd"
  address: "1 Benchmark Street, 10115 Berlin"
  tax-id: "DE123456788"
  iban: "DE89 3704 0044 0532 0130 00"
  bic: "COBADEFFXXX"
  email: "billing@bench.example"
"""


class BenchError(Exception):
    """The run cannot be measured: a failed command, a ledger error, a missing PDF."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def make_ledger(invoices: int, seed: int, folder: Path) -> Path:
    """The generated ledger with an `ar-company` appended."""
    path = folder / f"billing-{invoices}.beancount"
    done = subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(invoices), str(path), "--seed", str(seed)],
        capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"generate.py failed:\n{done.stdout}{done.stderr}")
    with path.open("a", encoding="utf-8") as ledger:
        ledger.write(COMPANY)
    return path


def timed_run(receivables: Receivables, chosen: Sequence[Invoice],
              folder: Path, jobs: int) -> float:
    """Seconds of one billing run into an empty `folder`; every invoice must be written."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    start = time.perf_counter()
    result = billing_run(receivables, chosen, folder, AS_OF, jobs=jobs)
    seconds = time.perf_counter() - start
    if result.failed or len(result.written) != len(chosen):
        raise BenchError(f"jobs={jobs}: {len(result.written)} of {len(chosen)} written; "
                         f"failed: {result.failed[:3]}")
    missing = [p for p in result.written if not p.read_bytes().startswith(b"%PDF-")]
    if missing:
        raise BenchError(f"jobs={jobs}: not a PDF: {missing[:3]}")
    return seconds


def html_seconds(receivables: Receivables, chosen: Sequence[Invoice]) -> float:
    """Seconds for the in-process part alone: documents and their HTML."""
    start = time.perf_counter()
    for invoice in chosen:
        document = invoice_document(receivables, invoice.number, AS_OF)
        if document is None:
            raise BenchError(f"no document for {invoice.number}")
        invoice_html(document)
    return time.perf_counter() - start


def measure(args: argparse.Namespace, workdir: Path) -> int:
    log(f"generating {args.invoices} invoices in {workdir}")
    ledger = load_ledger(make_ledger(args.invoices, args.seed, workdir), use_cache=False)
    if ledger.errors:
        raise BenchError(f"the generated ledger has {len(ledger.errors)} error(s), the first: "
                         f"{ledger.errors[0].message}")
    if ledger.receivables.seller is None:
        raise BenchError("the generated ledger has no ar-company")
    invoices = sorted(ledger.receivables.invoices.values(), key=lambda i: (i.date, i.number))
    chosen = invoices[:args.invoices]
    if len(chosen) < args.invoices:
        raise BenchError(f"the ledger has {len(chosen)} invoices, not {args.invoices}")
    jobs = args.jobs or os.cpu_count() or 1

    log("warming up (2 invoices, untimed)")
    timed_run(ledger.receivables, chosen[:2], workdir / "warm", jobs)
    serial: list[float] = []
    parallel: list[float] = []
    html: list[float] = []
    for round_ in range(1, args.repeat + 1):
        html.append(html_seconds(ledger.receivables, chosen))
        serial.append(timed_run(ledger.receivables, chosen, workdir / "serial", 1))
        parallel.append(timed_run(ledger.receivables, chosen, workdir / "parallel",
                                  jobs))
        log(f"round {round_}/{args.repeat}: serial {serial[-1]:.2f} s, jobs={jobs} "
            f"{parallel[-1]:.2f} s, HTML alone {html[-1]:.2f} s")

    best_serial, best_parallel = min(serial), min(parallel)
    print(f"Billing run, {len(chosen)} invoices as of {AS_OF}, {os.cpu_count()} CPU(s), "
          f"parallel jobs={jobs}; wall time, best of {args.repeat}.\n")
    print("| invoices | serial s | parallel s | speed-up | per invoice ms |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {len(chosen)} | {best_serial:.2f} | {best_parallel:.2f} | "
          f"{best_serial / best_parallel:.2f}x | "
          f"{best_serial / len(chosen) * 1000:.0f} serial / "
          f"{best_parallel / len(chosen) * 1000:.0f} parallel |")
    print(f"\nIn-process share (documents + HTML, best): {min(html):.2f} s "
          f"({min(html) / best_serial:.0%} of the serial run); the rest is wkhtmltopdf.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--invoices", type=int, default=200, help="invoices (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, best counts (default 3)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="parallel jobs (default: os.cpu_count())")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the ledger and PDFs here (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.invoices < 1 or args.repeat < 1 or (args.jobs is not None and args.jobs < 1):
        parser.error("--invoices, --repeat and --jobs must be 1 or more")
    if shutil.which("wkhtmltopdf") is None:
        log("wkhtmltopdf is not installed (Debian package 'wkhtmltopdf')")
        return 2
    try:
        if args.workdir is not None:
            args.workdir.mkdir(parents=True, exist_ok=True)
            return measure(args, args.workdir.resolve())
        with tempfile.TemporaryDirectory(prefix="ar-billing-") as folder:
            return measure(args, Path(folder))
    except BenchError as error:
        log(f"error: {error}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
