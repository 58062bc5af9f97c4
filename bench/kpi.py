"""Time `bean-ar kpi` and `bean-ar kpi --trend 12` against `bean-check` on a generated ledger.

Usage::

    .venv/bin/python bench/kpi.py [--invoices 100000] [--repeat 3] [--seed 1] [--workdir DIR]

Writes a ledger with ``bench/generate.py`` (or reuses ``DIR/kpi-N.beancount``),
then times ``--repeat`` interleaved rounds (the order reversed every other
round) of the CPU time (user + system, from ``os.wait4``) of

(c) ``bean-check -C LEDGER``,
(k) ``bean-ar kpi LEDGER --as-of 2026-10-31 --format csv --no-cache`` and
(t) the same with ``--trend 12``,

each in a fresh process, uncached, and prints a Markdown table of the best
rounds. Targets: k / c <= 1.15 and t / c <= 1.3. Exit status: 0 both met,
1 one missed, 2 a command failed or printed no report.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from common import DAY, CommandError, clear_caches, generate, report_failure, run_child, tool

HEADER = ("scope,currency,receivables,sales,dso,countback_dso,best_possible_dso,"
          "average_days_delinquent,cei,average_days_to_pay,average_days_late")
TARGETS = {"kpi": 1.15, "trend": 1.3}
LABELS = {"kpi": "bean-ar kpi", "trend": "bean-ar kpi --trend 12"}


def commands(path: Path) -> dict[str, list[str]]:
    """The three commands timed, by name."""
    kpi = [tool("bean-ar"), "kpi", str(path), "--as-of", DAY, "--format", "csv", "--no-cache"]
    return {"check": [tool("bean-check"), "-C", str(path)], "kpi": kpi,
            "trend": [*kpi, "--trend", "12"]}


def measure(path: Path, repeat: int) -> dict[str, list[float]]:
    """Every round's CPU time of each command; a report without rows is a failure."""
    todo = commands(path)
    times: dict[str, list[float]] = {name: [] for name in todo}
    for round_ in range(repeat):
        for name in list(todo) if round_ % 2 == 0 else list(todo)[::-1]:
            clear_caches(path.parent)
            child = run_child(todo[name], path.parent)
            header = "month," + HEADER if name == "trend" else HEADER
            if name != "check" and not child.stdout.startswith(header + "\n"):
                proc = subprocess.CompletedProcess(todo[name], 0, child.stdout, child.stderr)
                raise CommandError(todo[name], proc, "no kpi report")
            times[name].append(child.cpu)
            print(f"round {round_ + 1}: {name} {child.cpu:.2f} s", file=sys.stderr)
    return times


def main(argv: list[str] | None = None) -> int:
    """Generate (or reuse) the ledger, time the commands, print the table and the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ar-kpi-"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"kpi-{args.invoices}-{args.seed}.beancount"
    if not path.exists():
        generate(args.invoices, args.seed, path)
    try:
        times = measure(path, args.repeat)
    except CommandError as err:
        return report_failure(err)
    best = {name: min(values) for name, values in times.items()}
    print(f"| figure ({args.invoices:,} invoices, best of {args.repeat}) | target | ratio "
          "| CPU s |\n|---|---:|---:|---:|")
    passed = True
    for name, target in TARGETS.items():
        ratio = best[name] / best["check"]
        passed = passed and ratio <= target
        print(f"| `{LABELS[name]}` / `bean-check -C` | <= {target} | **{ratio:.3f}** "
              f"{'PASS' if ratio <= target else 'FAIL'} | {best[name]:.2f} / "
              f"{best['check']:.2f} |")
    print(f"\nOverall: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
