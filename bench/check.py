"""Measure what `bean-ar check --against` costs on a ledger commit, next to `bean-check`.

Usage::

    .venv/bin/python bench/check.py [--invoices 50000] [--repeat 3] [--seed 1] [--workdir DIR]

Generates a ledger with ``bench/generate.py`` into a fresh git repository as
``ledger/main.beancount`` and commits it; appends one more invoice and its
payment (the kind of change a day's bookkeeping makes) and commits again. Then
times, best of ``--repeat`` interleaved rounds, the CPU time (user + system) of

(c) ``bean-check -C ledger/main.beancount``, and
(k) ``bean-ar check ledger/main.beancount --against HEAD~1``, which loads the
    ledger, scans its text for card numbers, extracts the previous commit with
    ``git archive``, loads that too and compares the issued invoices.

Both must exit 0 with no output (the ledger is clean and no issued invoice
changed). Target: k / c <= 2.0, what a pre-commit hook or CI job that checks
history may cost over a plain bean-check. Prints a Markdown table and a verdict.
Exit status: 0 target met, 1 target missed, 2 a command failed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common import LEDGER, CommandError, Repo, build_repo, report_failure, run_child, tool

TARGET = 2.0


@dataclass(slots=True)
class Result:
    """Best-of-R CPU times."""

    repo: Repo
    check: float = float("inf")
    ar_check: float = float("inf")

    @property
    def ratio(self) -> float:
        """``bean-ar check --against`` over ``bean-check``."""
        return self.ar_check / self.check


def measure(n: int, seed: int, repeat: int, repo: Path) -> Result:
    """Build the repository, then time both checks, interleaved, best of ``repeat``."""
    result = Result(build_repo(n, seed, repo))
    plain = [tool("bean-check"), "-C", str(LEDGER)]
    ours = [tool("bean-ar"), "check", str(LEDGER), "--against", "HEAD~1"]
    for i in range(repeat):
        # Alternate the order so neither command always runs on a warmer machine.
        if i % 2 == 0:
            check = run_child(plain, repo, quiet=True).cpu
            ar_check = run_child(ours, repo, quiet=True).cpu
        else:
            ar_check = run_child(ours, repo, quiet=True).cpu
            check = run_child(plain, repo, quiet=True).cpu
        result.check = min(result.check, check)
        result.ar_check = min(result.ar_check, ar_check)
        print(f"round {i + 1}/{repeat}: bean-check {check:.2f} s, "
              f"bean-ar check --against {ar_check:.2f} s", file=sys.stderr)
    if found := sorted(repo.rglob("*.picklecache")):
        print(f"warning: a run wrote {found[0].name} despite disabling the cache",
              file=sys.stderr)
    return result


def table(r: Result) -> str:
    """The result as a Markdown table and a verdict line."""
    verdict = "PASS" if r.ratio <= TARGET else "FAIL"
    return "\n".join([
        ("| invoices | lines | MB | bean-check -C (s) | bean-ar check --against HEAD~1 (s) "
         "| ratio | target |"),
        "|---:|---:|---:|---:|---:|---:|---:|",
        (f"| {r.repo.invoices:,} | {r.repo.lines:,} | {r.repo.megabytes:.1f} | {r.check:.2f} "
         f"| {r.ar_check:.2f} | {r.ratio:.3f} | <= {TARGET:.1f} |"),
        "",
        f"Overall: {verdict}",
    ])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=50_000,
                        help="invoices in the generated ledger (default 50000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best wins (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--workdir", type=Path,
                        help="build the git repository here and keep it (default: temporary)")
    args = parser.parse_args(argv)
    if args.invoices < 1 or args.repeat < 1:
        parser.error("--invoices and --repeat must be positive")
    return args




def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args = parse_args(argv)
    if shutil.which("git") is None:
        print("git is not installed", file=sys.stderr)
        return 2
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ar-bench-check-"))
    repo = workdir.resolve() / "books"
    if repo.exists():
        print(f"{repo} already exists; give an empty --workdir", file=sys.stderr)
        return 2
    repo.mkdir(parents=True)
    print(f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, repository {repo}",
          file=sys.stderr)
    try:
        result = measure(args.invoices, args.seed, args.repeat, repo)
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
