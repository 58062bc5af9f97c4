"""Measure what the beancount-ar suite costs on top of Beancount and Fava (issue 9, "Speed").

Usage::

    .venv/bin/python bench/run.py [--sizes 10000,100000] [--repeat 5] [--seed 1]
                                  [--only load,memory,aging,collections,check,fava]
                                  [--workdir DIR]

For each size, generate a ledger (``bench/generate.py``) with and without
``plugin "beancount_ar"``, a copy with the Fava extension's line, and a git
repository holding the plugin ledger with a day's work not yet committed. Then
``--repeat`` rounds, every pair of commands side by side (their order reversed
from one round to the next), each in a fresh process, uncached:

- ``load``: ``loader.load_file`` without / with the suite (CPU time in the
  process), and the suite's share of one load from ``bean-check -C -v``'s own
  timing log (the in-run ratio);
- ``memory``: peak RSS of ``bean-check -C`` on the plugin / the plain ledger;
- ``aging``: ``bean-ar aging --no-cache`` against ``bean-check -C``;
- ``collections``: ``bean-ar collections --period month --no-cache`` against
  ``bean-check -C``;
- ``check``: ``bean-ar check --against HEAD`` against ``bean-check -C``, time
  and peak memory, twice in a row: with its fingerprint cache empty (cold; its
  target: no slower than before the cache, 1.87) and then filled (warm, the
  pre-commit hook's second run);
- ``fava``: Fava's start-up (``create_app(load=True)``) and its first balance
  sheet with / without the extension.

CPU time (user + system) and peak RSS of each command come from ``os.wait4``;
the best (lowest) round counts, except for the in-run ratio (the median).
Prints one Markdown table, a row per figure and a column per size, with the
issue's target and a verdict per row, and ``Overall: PASS|FAIL``.
Exit status: 0 all targets met, 1 a target missed, 2 a command failed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from common import (
    HERE,
    LEDGER,
    PLUGIN_LINE,
    Child,
    CommandError,
    build_repo,
    clear_caches,
    generate,
    report_failure,
    run_child,
    tool,
    with_extension,
)

if TYPE_CHECKING:
    from collections.abc import Callable

AS_OF = "2026-10-31"
AGING_HEADER = "customer,currency,unapplied,current,1-30,31-60,61-90,90+,total"
GROUPS = ("load", "memory", "aging", "collections", "check", "fava")
COLLECTIONS_HEADER = ("period,currency,invoiced,credited,collected,written_off,open,open_count,"
                      "overdue,overdue_count")

# Runs in a fresh interpreter: imports Beancount first, then times only the load
# (with the suite, importing beancount_ar happens inside the load and counts).
LOAD_SNIPPET = """\
import sys, time
from beancount import loader
from beancount.parser import printer
loader.initialize(use_cache=False)
started = time.process_time()
entries, errors, _ = loader.load_file(sys.argv[1])
elapsed = time.process_time() - started
if errors:
    printer.print_errors(errors[:20], file=sys.stderr)
    sys.exit(f"{len(errors)} error(s) loading {sys.argv[1]}")
print(f"{elapsed:.6f} {len(entries)}")
"""

# Runs in a fresh interpreter. The bench folder goes last on the import path:
# first, `import fava` would find bench/fava.py.
FAVA_SNIPPET = f"""\
import sys
from pathlib import Path
sys.path.append({str(HERE)!r})
from common import fava_startup
startup, page = fava_startup(Path(sys.argv[1]), extension=sys.argv[2] == "ext")
print(f"{{startup:.6f}} {{page:.6f}}")
"""

_TIMING = re.compile(r"Operation: '(?P<name>[^']+)'\s+Time:\s+(?P<ms>\d+) ms")


@dataclass(frozen=True, slots=True)
class Figure:
    """One row of the table: a ratio of two sampled quantities and its target."""

    group: str
    label: str
    target: float
    num: str
    den: str = ""
    unit: str = "s"


FIGURES = (
    Figure("load", "suite's share of `loader.load_file`, in-run (`bean-check -C -v` phase "
           "timings; median)", 1.05, "share"),
    Figure("load", "whole `loader.load_file`, with / without the suite (fresh process)",
           1.10, "load_suite", "load_plain"),
    Figure("memory", "peak RSS of `bean-check -C`, suite / plain ledger", 1.05,
           "check_suite_mb", "check_plain_mb", "MB"),
    Figure("aging", "`bean-ar aging --no-cache` / `bean-check -C`, time", 1.0,
           "aging", "check_suite"),
    Figure("collections", "`bean-ar collections --period month --no-cache` / `bean-check -C`, "
           "time", 1.15, "collections", "check_suite"),
    Figure("check", "`bean-ar check --against HEAD` / `bean-check -C`, time, cold cache", 1.87,
           "against", "check_suite"),
    Figure("check", "`bean-ar check --against HEAD` / `bean-check -C`, peak RSS, cold cache",
           1.2, "against_mb", "check_suite_mb", "MB"),
    Figure("check", "`bean-ar check --against HEAD` / `bean-check -C`, time, warm cache", 1.2,
           "against_warm", "check_suite"),
    Figure("check", "`bean-ar check --against HEAD` / `bean-check -C`, peak RSS, warm cache",
           1.2, "against_warm_mb", "check_suite_mb", "MB"),
    Figure("fava", "Fava start-up (`create_app(load=True)`), with / without the extension",
           1.03, "fava_ext", "fava_plain"),
    Figure("fava", "first Fava page after the load (balance sheet: shell + data), "
           "with / without the extension", 1.1, "page_ext", "page_plain"),
)


@dataclass(slots=True)
class Size:
    """The ledgers of one size and the samples of every round."""

    invoices: int
    plain: Path
    suite: Path
    fava_ext: Path
    repo: Path | None
    entries: int = 0
    megabytes: float = 0.0
    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, values: dict[str, float]) -> None:
        """Record one round's values."""
        for key, value in values.items():
            self.samples.setdefault(key, []).append(value)

    def ratio(self, fig: Figure) -> tuple[float, str]:
        """The figure's ratio and what it is made of, as a table cell's detail."""
        if fig.num == "share":
            shares = self.samples["share"]
            plugin, total = min(self.samples["plugin_ms"]), min(self.samples["loader_ms"])
            us = plugin * 1000 / self.invoices
            return statistics.median(shares), (
                f"{min(shares):.3f}-{max(shares):.3f}; plugin {plugin:,.0f} of {total:,.0f} ms, "
                f"{us:.0f} µs/invoice"
            )
        num, den = min(self.samples[fig.num]), min(self.samples[fig.den])
        digits = 0 if fig.unit == "MB" else 2
        return num / den, f"{num:,.{digits}f} / {den:,.{digits}f} {fig.unit}"


# --- the commands ---------------------------------------------------------------


def timed_load(path: Path, directory: Path) -> tuple[float, int]:
    """Uncached in-process load time of ``path`` and its number of entries."""
    out = run_child([sys.executable, "-c", LOAD_SNIPPET, str(path)], directory).stdout
    elapsed, entries = out.split()
    return float(elapsed), int(entries)


def bean_check(path: Path, directory: Path) -> tuple[Child, dict[str, int]]:
    """``bean-check -C -v``: the finished command and Beancount's phase timings (ms)."""
    child = run_child([tool("bean-check"), "-C", "-v", str(path)], directory)
    times: dict[str, int] = {}
    for m in _TIMING.finditer(child.stderr):
        times[m["name"]] = times.get(m["name"], 0) + int(m["ms"])
    return child, times


def plain_check(path: Path, directory: Path) -> dict[str, float]:
    """``bean-check -C -v`` on the ledger without the plugin."""
    child, _ = bean_check(path, directory)
    return {"check_plain": child.cpu, "check_plain_mb": child.peak_mb}


def suite_check(path: Path, directory: Path) -> dict[str, float]:
    """``bean-check -C -v`` on the plugin ledger, with the suite's share of its load.

    The share is loader total / (loader total - the plugin's time), both from
    the one process, so the virtual machine's noise, which moves whole runs by
    15-40 %, cancels out. Importing the plugin is outside Beancount's timer.
    """
    child, times = bean_check(path, directory)
    total = times.get("beancount.loader (total)")
    names = [n for n in times if n == "beancount_ar" or n.startswith("beancount_ar.")]
    if not total or not names:
        cmd = [tool("bean-check"), "-C", "-v", str(path)]
        proc = subprocess.CompletedProcess(cmd, 0, child.stdout, child.stderr)
        raise CommandError(cmd, proc, "no timing log for the loader or the suite")
    plugin = sum(times[n] for n in names)
    return {"check_suite": child.cpu, "check_suite_mb": child.peak_mb,
            "share": total / (total - plugin), "plugin_ms": plugin, "loader_ms": total}


def aging(path: Path, directory: Path) -> dict[str, float]:
    """``bean-ar aging`` as CSV, checking that it printed the report."""
    cmd = [tool("bean-ar"), "aging", str(path), "--as-of", AS_OF, "--format", "csv", "--no-cache"]
    child = run_child(cmd, directory)
    lines = child.stdout.splitlines()
    if not lines or lines[0] != AGING_HEADER or not any(x.startswith("TOTAL,") for x in lines):
        proc = subprocess.CompletedProcess(cmd, 0, child.stdout, child.stderr)
        raise CommandError(cmd, proc, "unexpected aging output")
    return {"aging": child.cpu}


def collections(path: Path, directory: Path) -> dict[str, float]:
    """``bean-ar collections --period month`` as CSV, checking that it printed the report."""
    cmd = [tool("bean-ar"), "collections", str(path), "--period", "month", "--to", AS_OF,
           "--format", "csv", "--no-cache"]
    child = run_child(cmd, directory)
    lines = child.stdout.splitlines()
    if len(lines) < 2 or lines[0] != COLLECTIONS_HEADER:
        proc = subprocess.CompletedProcess(cmd, 0, child.stdout, child.stderr)
        raise CommandError(cmd, proc, "unexpected collections output")
    return {"collections": child.cpu}


def against(repo: Path, cache: Path) -> dict[str, float]:
    """``bean-ar check --against HEAD``, cache emptied then filled: clean, it prints nothing."""
    cmd = [tool("bean-ar"), "check", str(LEDGER), "--against", "HEAD"]
    shutil.rmtree(cache, ignore_errors=True)
    env = {"XDG_CACHE_HOME": str(cache)}
    cold = run_child(cmd, repo, quiet=True, env=env)
    if not any(cache.rglob("*.json")):
        raise CommandError(cmd, subprocess.CompletedProcess(cmd, 0, "", ""),
                           f"the cold run left no fingerprint cache in {cache}")
    warm = run_child(cmd, repo, quiet=True, env=env)
    return {"against": cold.cpu, "against_mb": cold.peak_mb,
            "against_warm": warm.cpu, "against_warm_mb": warm.peak_mb}


def fava(path: Path, directory: Path, *, extension: bool) -> dict[str, float]:
    """Fava's start-up and first balance sheet, in a fresh process."""
    side = "ext" if extension else "plain"
    out = run_child([sys.executable, "-c", FAVA_SNIPPET, str(path), side], directory).stdout
    startup, page = (float(x) for x in out.split())
    return {f"fava_{side}": startup, f"page_{side}": page}


# --- the rounds -------------------------------------------------------------------


def prepare(n: int, seed: int, groups: set[str], workdir: Path) -> Size:
    """Write the ledgers of ``n`` invoices (and the repository, for ``check``)."""
    directory = workdir / f"{n}"
    directory.mkdir(parents=True, exist_ok=True)
    plain, suite = directory / "plain.beancount", directory / "suite.beancount"
    for path, plugin in ((plain, False), (suite, True)):
        elapsed = generate(n, seed, path, plugin=plugin)
        print(f"generated {n} invoices, {path.name} in {elapsed:.2f} s", file=sys.stderr)
    text = suite.read_text(encoding="utf-8")
    if PLUGIN_LINE not in text:
        sys.exit(f"{suite}: no {PLUGIN_LINE!r} line")
    fava_ext = directory / "fava-ext.beancount"
    fava_ext.write_text(with_extension(text), encoding="utf-8")
    repo = None
    if "check" in groups:
        repo = directory / "books"
        if repo.exists():
            shutil.rmtree(repo)
        repo.mkdir()
        build_repo(n, seed, repo, commit_today=False, source=suite)
    return Size(n, plain, suite, fava_ext, repo, megabytes=len(text.encode()) / 1e6)


def tasks(size: Size, groups: set[str], directory: Path) -> list[Callable[[], dict[str, float]]]:
    """One round's commands, pairs side by side."""
    todo: list[Callable[[], dict[str, float]]] = []
    if "load" in groups:

        def load(path: Path, key: str) -> Callable[[], dict[str, float]]:
            def go() -> dict[str, float]:
                elapsed, size.entries = timed_load(path, directory)
                return {key: elapsed}

            return go

        todo += [load(size.plain, "load_plain"), load(size.suite, "load_suite")]
    if "memory" in groups:
        todo.append(lambda: plain_check(size.plain, directory))
    if groups & {"load", "memory", "aging", "collections", "check"}:
        todo.append(lambda: suite_check(size.suite, directory))
    if "aging" in groups:
        todo.append(lambda: aging(size.suite, directory))
    if "collections" in groups:
        todo.append(lambda: collections(size.suite, directory))
    if "check" in groups and size.repo is not None:
        repo, cache = size.repo, directory / "xdg-cache"
        todo.append(lambda: against(repo, cache))
    if "fava" in groups:
        todo += [lambda: fava(size.suite, directory, extension=False),
                 lambda: fava(size.fava_ext, directory, extension=True)]
    return todo


def measure(size: Size, groups: set[str], repeat: int) -> None:
    """``repeat`` rounds; the order of the commands is reversed every other round."""
    directory = size.suite.parent
    caches = [directory] + ([size.repo / LEDGER.parent] if size.repo else [])
    todo = tasks(size, groups, directory)
    for i in range(repeat):
        clear_caches(*caches)
        values: dict[str, float] = {}
        for task in todo if i % 2 == 0 else reversed(todo):
            values.update(task())
        size.add(values)
        if written := clear_caches(*caches):
            print(f"warning: a run wrote {written[0].name} despite disabling the cache",
                  file=sys.stderr)
        shown = ", ".join(f"{k} {v:.3f}" for k, v in values.items())
        print(f"{size.invoices} invoices, round {i + 1}/{repeat}: {shown}", file=sys.stderr)


# --- the table ----------------------------------------------------------------------


def table(sizes: list[Size], groups: set[str], repeat: int) -> tuple[str, bool]:
    """The Markdown table (a row per figure, a column per size) and whether all passed."""
    head = " | ".join(f"{s.invoices:,} invoices" for s in sizes)
    lines = [
        f"| figure | target | {head} | verdict |",
        "|---|---:|" + "---:|" * len(sizes) + "---|",
    ]
    passed = True
    for fig in FIGURES:
        if fig.group not in groups:
            continue
        cells, ok = [], True
        for size in sizes:
            ratio, detail = size.ratio(fig)
            good = ratio <= fig.target
            ok = ok and good
            cells.append(f"**{ratio:.3f}** {'PASS' if good else 'FAIL'} ({detail})")
        passed = passed and ok
        lines.append(f"| {fig.label} | <= {fig.target:.2f} | {' | '.join(cells)} "
                     f"| {'PASS' if ok else 'FAIL'} |")
    lines.append("")
    lines.append(f"CPU time (user + system) and peak RSS per process (`os.wait4`), best of "
                 f"{repeat} interleaved rounds (in-run: median, range in brackets), uncached.")
    for s in sizes:
        entries = f"{s.entries:,} entries, " if s.entries else ""
        lines.append(f"- {s.invoices:,} invoices: {entries}{s.megabytes:.1f} MB")
    return "\n".join(lines), passed


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="comma-separated invoice counts (default 10000,100000)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="rounds; the best wins (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--only", default=",".join(GROUPS),
                        help=f"comma-separated rows to run, of {','.join(GROUPS)} (default all)")
    parser.add_argument("--workdir", type=Path,
                        help="keep the ledgers in this directory (default: a temporary one)")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    except ValueError:
        parser.error(f"--sizes: not a list of integers: {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 1 or args.repeat < 1:
        parser.error("sizes and --repeat must be positive")
    args.only = {g.strip() for g in args.only.split(",") if g.strip()}
    unknown = args.only - set(GROUPS)
    if not args.only or unknown:
        parser.error(f"--only: unknown {','.join(sorted(unknown)) or 'nothing'}; "
                     f"choose among {','.join(GROUPS)}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args = parse_args(argv)
    if "check" in args.only and shutil.which("git") is None:
        print("git is not installed (needed for the check rows)", file=sys.stderr)
        return 2
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ar-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, ledgers in {workdir}",
          file=sys.stderr)
    try:
        sizes = [prepare(n, args.seed, args.only, workdir.resolve()) for n in args.sizes]
        for size in sizes:
            measure(size, args.only, args.repeat)
    except CommandError as err:
        return report_failure(err)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    text, passed = table(sizes, args.only, args.repeat)
    print(text)
    print(f"\nOverall: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
