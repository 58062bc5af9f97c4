"""Time the Receivables page in Fava against Fava's own balance sheet.

Usage::

    .venv/bin/python bench/fava.py [--invoices 50000] [--repeat 5] [--seed 1]
                                   [--load-repeat 3] [--workdir DIR] [--profile]

Generates one ledger (``bench/generate.py``) with ``plugin "beancount_ar"`` and
``custom "fava-extension" "beancount_ar.fava"``, builds the real Fava app on it
(``fava.application.create_app(..., load=True)``) and times, in one process with
Flask's test client, warm (one untimed request first), ``--repeat`` rounds with
every request once per round:

- the Receivables page and its ``aging`` and ``invoices`` JSON endpoints;
- Fava's balance sheet and income statement. Fava 1.30 renders those in the
  browser, so each costs its HTML shell plus the JSON request the frontend makes
  for it (``/<slug>/api/balance_sheet``, ``/<slug>/api/income_statement``); the
  two are timed one after the other and summed per round.

All with ``time=2026-10``. Target: the Receivables page is served no slower
than the balance sheet (shell + data), judged on the best round. Also checks
that the invoices table is paged (at most 50 ``data-invoice=`` rows) and reports
the one-off cost of the extension's model build (on the first request after a
load) next to Fava's own load of the ledger. Prints Markdown tables and a verdict.
Exit status: 0 target met, 1 target or pagination missed, 2 error.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common import EXTENSION, FAVA_TIME, BenchError, fava_app, with_extension

if TYPE_CHECKING:
    from collections.abc import Callable

    from fava.core import FavaLedger
    from fava.ext import FavaExtensionBase
    from flask import Flask
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse

HERE = Path(__file__).resolve().parent
# This script is called fava.py: with its directory first on the import path,
# `import fava` would import the script itself instead of Fava.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
TIME = FAVA_TIME
TARGET = 1.0
PAGE_SIZE = 50
PROFILE_LINES = 30


@dataclass(frozen=True, slots=True)
class Probe:
    """One request: a label for the table, its URL and a check of its answer."""

    key: str
    label: str
    url: str
    check: Callable[[TestResponse], None]


@dataclass(frozen=True, slots=True)
class Timing:
    """Timings of one table row, in seconds, one per round."""

    label: str
    samples: list[float]

    @property
    def best(self) -> float:
        """Fastest round."""
        return min(self.samples)

    @property
    def median(self) -> float:
        """Median round."""
        return statistics.median(self.samples)


# --- the ledger --------------------------------------------------------------


def generate(n: int, seed: int, directory: Path) -> Path:
    """Write the ledger for ``n`` invoices with the Fava extension, unless it exists."""
    path = directory / f"fava-{n}-seed{seed}.beancount"
    if path.exists():
        print(f"reusing {path}", file=sys.stderr)
        return path
    raw = directory / f"fava-{n}-seed{seed}.raw.beancount"
    cmd = [sys.executable, str(HERE / "generate.py"), str(n), str(raw), "--seed", str(seed)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr[-4000:]}")
    text = with_extension(raw.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    raw.unlink()
    print(f"generated {path} ({text.count(chr(10)):,} lines)", file=sys.stderr)
    return path


# --- checks of the answers ---------------------------------------------------


def _ok(response: TestResponse, what: str) -> None:
    if response.status_code != 200:
        body = response.get_data(as_text=True)[:2000]
        raise BenchError(f"{what}: HTTP {response.status_code}\n{body}")


def _html(marker: str) -> Callable[[TestResponse], None]:
    def check(response: TestResponse) -> None:
        _ok(response, response.request.path)
        if marker not in response.get_data(as_text=True):
            raise BenchError(f"{response.request.path}: no {marker!r} in the page")

    return check


def _json(*keys: str) -> Callable[[TestResponse], None]:
    def check(response: TestResponse) -> None:
        _ok(response, response.request.path)
        data: Any = response.get_json()
        if not isinstance(data, dict):
            raise BenchError(f"{response.request.path}: not a JSON object")
        if "data" in data and isinstance(data["data"], dict):  # Fava's API wraps its answers
            data = data["data"]
        if missing := [k for k in keys if not data.get(k)]:
            raise BenchError(f"{response.request.path}: empty or missing {missing}")

    return check


def probes(slug: str) -> list[Probe]:
    """The requests to time, in the order of the table."""
    ext = f"/{slug}/extension/{EXTENSION}"
    q = f"?time={TIME}"
    return [
        Probe("page", "Receivables page (HTML)", f"{ext}/{q}", _html('data-testid="invoices"')),
        Probe("aging", "Receivables `aging` (JSON)", f"{ext}/aging{q}", _json("rows")),
        Probe("invoices", "Receivables `invoices` (JSON)", f"{ext}/invoices{q}", _json("rows")),
        Probe("bs_shell", "balance sheet: shell (HTML)", f"/{slug}/balance_sheet/{q}",
              _html('id="ledger-data"')),
        Probe("bs_data", "balance sheet: data (`api/balance_sheet`)",
              f"/{slug}/api/balance_sheet{q}", _json("trees")),
        Probe("is_shell", "income statement: shell (HTML)", f"/{slug}/income_statement/{q}",
              _html('id="ledger-data"')),
        Probe("is_data", "income statement: data (`api/income_statement`)",
              f"/{slug}/api/income_statement{q}", _json("trees")),
    ]


def check_pagination(client: FlaskClient, slug: str) -> tuple[bool, str]:
    """At most PAGE_SIZE invoice rows per page, on the HTML page and in the JSON."""
    ext = f"/{slug}/extension/{EXTENSION}"
    notes, passed = [], True
    info: Any = client.get(f"{ext}/invoices?time={TIME}").get_json()
    total, pages = int(info["total"]), int(info["pages"])
    if total <= PAGE_SIZE:
        notes.append(f"only {total} open invoices: paging not exercised")
    for page in sorted({1, min(2, pages), pages}):
        html = client.get(f"{ext}/?time={TIME}&page={page}")
        _ok(html, f"page {page}")
        rows = html.get_data(as_text=True).count("data-invoice=")
        expected = min(PAGE_SIZE, total - (page - 1) * PAGE_SIZE)
        data: Any = client.get(f"{ext}/invoices?time={TIME}&page={page}").get_json()
        json_rows = len(data["rows"])
        if rows > PAGE_SIZE or json_rows > PAGE_SIZE or rows != expected:
            passed = False
        notes.append(f"page {page}/{pages}: {rows} rows in the HTML, {json_rows} in the JSON")
    return passed, f"{total:,} open invoices; " + "; ".join(notes)


# --- timing ------------------------------------------------------------------


def request_time(client: FlaskClient, url: str) -> float:
    """Wall time of one GET of ``url``, body included; it must answer 200."""
    started = time.perf_counter()
    response = client.get(url)
    response.get_data()
    elapsed = time.perf_counter() - started
    _ok(response, url)
    return elapsed


def time_requests(client: FlaskClient, todo: list[Probe], repeat: int) -> dict[str, list[float]]:
    """Warm each request once (checking its answer), then time ``repeat`` rounds."""
    for probe in todo:
        probe.check(client.get(probe.url))
    samples: dict[str, list[float]] = {p.key: [] for p in todo}
    for i in range(repeat):
        for probe in todo:
            samples[probe.key].append(request_time(client, probe.url))
        line = ", ".join(f"{p.key} {samples[p.key][-1] * 1000:.0f}" for p in todo)
        print(f"round {i + 1}/{repeat} (ms): {line}", file=sys.stderr)
    return samples


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of ``repeat`` calls of ``func``."""
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        out.append(time.perf_counter() - started)
    return out


def time_loads(
    client: FlaskClient, ledger: FavaLedger, todo: list[Probe], repeat: int
) -> tuple[list[float], dict[str, list[float]]]:
    """Time ``ledger.load_file()``, each followed by the first requests on the fresh load.

    A load empties every cache, Fava's filtered ledgers and the extension's
    alike; Fava's filter cache is cleared again before each Fava report so that
    each page pays for its own first request.
    """
    url = {p.key: p.url for p in todo}
    loads: list[float] = []
    cold: dict[str, list[float]] = {"page": [], "bs": [], "is": []}
    for i in range(repeat):
        loads.extend(timed(ledger.load_file, 1))
        cold["page"].append(request_time(client, url["page"]))
        for key in ("bs", "is"):
            ledger.get_filtered.cache_clear()
            cold[key].append(request_time(client, url[f"{key}_shell"])
                             + request_time(client, url[f"{key}_data"]))
        print(f"load {i + 1}/{repeat}: {loads[-1]:.2f} s, first requests (ms): "
              + ", ".join(f"{k} {v[-1] * 1000:.0f}" for k, v in cold.items()), file=sys.stderr)
    return loads, cold


def rows_of(todo: list[Probe], samples: dict[str, list[float]]) -> tuple[list[Timing], Timing]:
    """Table rows, with shell + data summed per round; and the baseline row."""
    label = {p.key: p.label for p in todo}

    def one(key: str) -> Timing:
        return Timing(label[key], samples[key])

    def both(name: str, shell: str, data: str) -> Timing:
        summed = [a + b for a, b in zip(samples[shell], samples[data], strict=True)]
        return Timing(f"**{name}: shell + data**", summed)

    baseline = both("balance sheet", "bs_shell", "bs_data")
    rows = [
        Timing(f"**{label['page']}**", samples["page"]), one("aging"), one("invoices"),
        one("bs_shell"), one("bs_data"), baseline,
        one("is_shell"), one("is_data"), both("income statement", "is_shell", "is_data"),
    ]
    return rows, baseline


def table(rows: list[Timing], baseline: Timing) -> str:
    """The request timings as a Markdown table."""
    lines = [
        "| request | best ms | median ms | ratio to balance sheet (best) | ratio (median) |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.label} | {r.best * 1000:.1f} | {r.median * 1000:.1f} "
        f"| {r.best / baseline.best:.2f} | {r.median / baseline.median:.2f} |"
        for r in rows
    ]
    return "\n".join(lines)


def load_table(fava_load: Timing, after_load: Timing, first: float) -> str:
    """The one-off load costs as a Markdown table."""
    lines = [
        "| one-off cost | best s | median s | share of Fava's load (best) |",
        "|---|---:|---:|---:|",
        (f"| first `create_app(load=True)` (once, imports included) | {first:.2f} "
         f"| {first:.2f} | |"),
    ]
    lines += [
        f"| {fava_load.label} | {fava_load.best:.2f} | {fava_load.median:.2f} | |",
        (f"| {after_load.label} | {after_load.best:.2f} | {after_load.median:.2f} "
         f"| {after_load.best / fava_load.best:.1%} |"),
    ]
    return "\n".join(lines)


def profile_page(client: FlaskClient, url: str, repeat: int) -> str:
    """cProfile of ``repeat`` warm requests of ``url``, by cumulative and by own time."""
    client.get(url).get_data()  # warm, as timed
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(url).get_data()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs()
    out.write(f"cProfile of {repeat} request(s) of {url}, by cumulative time:\n")
    stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
    out.write("by own time:\n")
    stats.sort_stats("tottime").print_stats(PROFILE_LINES)
    return out.getvalue()


# --- driver ------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=50000, help="ledger size (default 50000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds per request")
    parser.add_argument("--load-repeat", type=int, default=3,
                        help="timed ledger loads and after_load_file calls (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--workdir", type=Path,
                        help="keep the ledger here and reuse it (default: a temporary directory)")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of the Receivables page even when it passes")
    args = parser.parse_args(argv)
    if min(args.invoices, args.repeat, args.load_repeat) < 1:
        parser.error("--invoices, --repeat and --load-repeat must be positive")
    return args


def build_app(path: Path) -> tuple[Flask, str, FavaLedger, FavaExtensionBase]:
    """Fava's app on ``path``: the app, the ledger's slug, the ledger and the extension."""
    app, slug, ledger, ext = fava_app(path, extension=True)
    if ext is None:  # fava_app raises first; for the type checker
        raise BenchError(f"extension {EXTENSION} not loaded")
    return app, slug, ledger, ext


def first_use(ext: FavaExtensionBase) -> None:
    """What the first Receivables request after a load pays: the model build."""
    ext.after_load_file()
    getattr(ext, "receivables")  # noqa: B009 - the property builds it; the type does not say


def bench(args: argparse.Namespace, workdir: Path) -> int:
    """Generate, load, time, report; return the exit status."""
    path = generate(args.invoices, args.seed, workdir)
    started = time.perf_counter()
    app, slug, ledger, ext = build_app(path)
    first = time.perf_counter() - started
    print(f"Fava loaded {len(ledger.all_entries):,} entries in {first:.1f} s; slug {slug!r}",
          file=sys.stderr)
    client = app.test_client()
    todo = probes(slug)
    samples = time_requests(client, todo, args.repeat)
    rows, baseline = rows_of(todo, samples)
    page = rows[0]
    paged, paging_note = check_pagination(client, slug)

    print("timing after_load_file, ledger.load_file and first requests ...", file=sys.stderr)
    # `after_load_file` only forgets the last model; the first request that needs
    # one builds it (`ext.receivables`): timed together, as a load then costs.
    after_load = Timing("extension's model build (first use after a load)",
                        timed(lambda: first_use(ext), args.load_repeat))
    loads, cold = time_loads(client, ledger, todo, args.load_repeat)
    fava_load = Timing("Fava `ledger.load_file()` (the extension builds nothing then)", loads)
    cold_rows = [
        Timing("Receivables page (HTML)", cold["page"]),
        Timing("balance sheet: shell + data", cold["bs"]),
        Timing("income statement: shell + data", cold["is"]),
    ]

    ratio = page.best / baseline.best
    passed = ratio <= TARGET
    print(f"{args.invoices:,} invoices, {len(ledger.all_entries):,} entries, time={TIME}, "
          f"wall time (perf_counter)\n")
    print(f"Warm requests, {args.repeat} rounds after one untimed request each:\n")
    print(table(rows, baseline))
    print(f"\nFirst request after a load, {args.load_repeat} loads (not judged):\n")
    print(table(cold_rows, cold_rows[1]))
    print()
    print(load_table(fava_load, after_load, first))
    print()
    print(f"- Receivables page / balance sheet (shell + data), warm: {ratio:.2f} best, "
          f"{page.median / baseline.median:.2f} median (target <= {TARGET:.2f}) "
          f"{'PASS' if passed else 'FAIL'}")
    print(f"- Pagination (<= {PAGE_SIZE} rows per page): {'PASS' if paged else 'FAIL'} "
          f"({paging_note})")
    if not passed or args.profile:
        print(profile_page(client, todo[0].url, args.repeat), file=sys.stderr)
    ok = passed and paged
    print(f"\nOverall: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args = parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ar-fava-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, ledger in {workdir}",
          file=sys.stderr)
    try:
        return bench(args, workdir.resolve())
    except BenchError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except Exception:  # noqa: BLE001  (any failure of Fava or the extension is an error)
        traceback.print_exc()
        return 2
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
