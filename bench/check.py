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
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common import CommandError, children_cpu, report_failure

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
TARGET = 2.0
LEDGER = Path("ledger") / "main.beancount"
DAY = "2026-10-31"  # the generator's last day: the new invoice numbers on in date order




@dataclass(slots=True)
class Result:
    """Best-of-R CPU times."""

    invoices: int
    lines: int
    megabytes: float
    check: float = float("inf")
    ar_check: float = float("inf")

    @property
    def ratio(self) -> float:
        """``bean-ar check --against`` over ``bean-check``."""
        return self.ar_check / self.check




def _env() -> dict[str, str]:
    """The environment without git variables a calling hook may have set."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


def run(cmd: list[str], cwd: Path, *, quiet: bool = False) -> float:
    """Run ``cmd``; return its CPU time, or raise CommandError.

    With ``quiet``, any output at all is a failure (a clean check prints nothing).
    """
    started = children_cpu()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False, env=_env())
    elapsed = children_cpu() - started
    if proc.returncode != 0:
        raise CommandError(cmd, proc, f"exit status {proc.returncode}")
    if quiet and (proc.stdout.strip() or proc.stderr.strip()):
        raise CommandError(cmd, proc, "unexpected output from a clean check")
    return elapsed


def git(repo: Path, *args: str) -> None:
    """Run git in ``repo`` with a fixed identity."""
    run(["git", "-c", "user.email=bench@example.com", "-c", "user.name=bench",
         "-c", "commit.gpgsign=false", *args], repo)


def tool(name: str) -> str:
    """Path of a console script installed next to the running interpreter."""
    path = BIN / name
    if not path.exists():
        sys.exit(f"{path} not found: install the project into this environment first")
    return str(path)


def _first_customer(text: str) -> tuple[str, str]:
    """Name and receivable account of the generator's customer 0 (USD)."""
    block = re.search(
        r'custom "ar-customer" "[^"]+"\n  name: "(?P<name>[^"]+)"\n  account: (?P<account>\S+)',
        text,
    )
    if block is None:
        raise ValueError("no ar-customer in the generated ledger")
    return block["name"], block["account"]


def todays_work(text: str) -> str:
    """One new invoice, numbered after the last one, and its payment by link."""
    numbers = [int(n) for n in re.findall(r"\^INV-2026-(\d{6})", text)]
    if not numbers:
        raise ValueError("no 2026 invoice in the generated ledger")
    number = f"INV-2026-{max(numbers) + 1:06d}"
    name, account = _first_customer(text)
    return f"""
{DAY} * "{name}" "Consulting, benchmark day" ^{number} #invoice
  {account}  106.25 USD
  Income:Consulting  -100.00 USD
    description: "Code review"
    quantity: 1
    rate: 100.00 USD
  Liabilities:SalesTax  -6.25 USD

{DAY} * "{name}" "Payment" ^{number}
  Assets:Bank:Checking  106.25 USD
  {account}  -106.25 USD
"""


def build_repo(n: int, seed: int, repo: Path) -> Result:
    """Generate, commit, append a day's work, commit again."""
    ledger = repo / LEDGER
    ledger.parent.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q")
    elapsed = run(
        [sys.executable, str(HERE / "generate.py"), str(n), str(ledger), "--seed", str(seed)], repo
    )
    print(f"generated {n} invoices in {elapsed:.2f} s", file=sys.stderr)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", f"{n} invoices")
    text = ledger.read_text(encoding="utf-8")
    with ledger.open("a", encoding="utf-8") as out:
        out.write(todays_work(text))
    git(repo, "commit", "-qam", "one more invoice, paid")
    data = ledger.read_bytes()
    return Result(n, data.count(b"\n"), len(data) / 1e6)


def measure(n: int, seed: int, repeat: int, repo: Path) -> Result:
    """Build the repository, then time both checks, interleaved, best of ``repeat``."""
    result = build_repo(n, seed, repo)
    plain = [tool("bean-check"), "-C", str(LEDGER)]
    ours = [tool("bean-ar"), "check", str(LEDGER), "--against", "HEAD~1"]
    for i in range(repeat):
        # Alternate the order so neither command always runs on a warmer machine.
        if i % 2 == 0:
            check, ar_check = run(plain, repo, quiet=True), run(ours, repo, quiet=True)
        else:
            ar_check, check = run(ours, repo, quiet=True), run(plain, repo, quiet=True)
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
        (f"| {r.invoices:,} | {r.lines:,} | {r.megabytes:.1f} | {r.check:.2f} "
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
