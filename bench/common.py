"""What the benchmark scripts share: commands and their cost, the git repository, Fava's app."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fava.core import FavaLedger
    from fava.ext import FavaExtensionBase
    from flask import Flask
    from flask.testing import FlaskClient

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
LEDGER = Path("ledger") / "main.beancount"
DAY = "2026-10-31"  # the generator's last day: a new invoice numbers on in date order
PLUGIN_LINE = 'plugin "beancount_ar"'
EXTENSION = "Receivables"
EXTENSION_LINE = '2020-01-01 custom "fava-extension" "beancount_ar.fava"\n'
FAVA_TIME = "2026-10"


class CommandError(Exception):
    """A benchmarked command exited non-zero or printed something unexpected."""

    def __init__(self, cmd: list[str], proc: subprocess.CompletedProcess[str], why: str) -> None:
        """Keep the command and its result for the report."""
        super().__init__(why)
        self.cmd = cmd
        self.proc = proc
        self.why = why


class BenchError(Exception):
    """Something went wrong that makes the numbers meaningless."""


def children_cpu() -> float:
    """CPU time (user + system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def report_failure(err: CommandError) -> int:
    """Print a failed command with its output; return the exit status."""
    print(f"command failed ({err.why}): {' '.join(err.cmd)}", file=sys.stderr)
    for name, text in (("stdout", err.proc.stdout), ("stderr", err.proc.stderr)):
        if text and text.strip():
            print(f"--- {name} ---\n{text.rstrip()[-8000:]}", file=sys.stderr)
    return 2


# --- one command, its CPU time and peak memory --------------------------------


@dataclass(frozen=True, slots=True)
class Child:
    """A finished command: CPU time (user + system, s), peak RSS (MB), its output."""

    cpu: float
    peak_mb: float
    stdout: str
    stderr: str


def clean_env() -> dict[str, str]:
    """The environment without git variables a calling hook may have set."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


def run_child(cmd: list[str], cwd: Path, *, quiet: bool = False,
              env: dict[str, str] | None = None) -> Child:
    """Run ``cmd`` to the end; its CPU time and peak RSS from ``os.wait4``, or CommandError.

    The rusage of ``wait4`` is that child's alone (its own processes it waited
    for included, e.g. ``git archive``), as ``/usr/bin/time`` reports it: CPU time
    rather than wall time, because on a shared 2-core virtual machine wall times
    of the same run vary by 15-40 %, CPU times by a few per cent. Output goes to
    temporary files, so the child is never blocked on a full pipe. With
    ``quiet``, any output at all is a failure (a clean check prints nothing);
    ``env`` is added to the environment.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err,
                                env=clean_env() | (env or {}))
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(cmd, proc.returncode, out.read(), err.read())
    if result.returncode != 0:
        raise CommandError(cmd, result, f"exit status {result.returncode}")
    if quiet and (result.stdout.strip() or result.stderr.strip()):
        raise CommandError(cmd, result, "unexpected output from a clean check")
    # Linux reports ru_maxrss in KiB.
    return Child(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, result.stdout,
                 result.stderr)


def tool(name: str) -> str:
    """Path of a console script installed next to the running interpreter."""
    path = BIN / name
    if not path.exists():
        sys.exit(f"{path} not found: install the project into this environment first")
    return str(path)


def clear_caches(*directories: Path) -> list[Path]:
    """Remove Beancount pickle caches in ``directories``; return what was there."""
    found = sorted(p for d in directories for p in d.glob(".*.picklecache"))
    for path in found:
        path.unlink()
    return found


# --- a git repository holding the ledger -----------------------------------------


@dataclass(frozen=True, slots=True)
class Repo:
    """The ledger's repository: its size after the day's work."""

    invoices: int
    lines: int
    megabytes: float


def git(repo: Path, *args: str) -> None:
    """Run git in ``repo`` with a fixed identity."""
    run_child(["git", "-c", "user.email=bench@example.com", "-c", "user.name=bench",
               "-c", "commit.gpgsign=false", *args], repo)


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


def generate(n: int, seed: int, path: Path, *, plugin: bool = True) -> float:
    """Write the generator's ledger of ``n`` invoices to ``path``; return its CPU time."""
    cmd = [sys.executable, str(HERE / "generate.py"), str(n), str(path), "--seed", str(seed)]
    return run_child([*cmd, *([] if plugin else ["--no-plugin"])], path.parent).cpu


def build_repo(n: int, seed: int, repo: Path, *, commit_today: bool = True,
               source: Path | None = None) -> Repo:
    """A git repository whose ``ledger/main.beancount`` has a day's work after a commit.

    The ledger is ``source`` copied, or else generated (``n`` invoices, ``seed``);
    it is committed, then one more invoice and its payment are appended: committed
    too with ``commit_today`` (compare with ``HEAD~1``), or left in the work tree,
    as a pre-commit hook sees it (compare with ``HEAD``).
    """
    ledger = repo / LEDGER
    ledger.parent.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q")
    if source is None:
        print(f"generated {n} invoices in {generate(n, seed, ledger):.2f} s", file=sys.stderr)
    else:
        ledger.write_bytes(source.read_bytes())
    git(repo, "add", ".")
    git(repo, "commit", "-qm", f"{n} invoices")
    text = ledger.read_text(encoding="utf-8")
    with ledger.open("a", encoding="utf-8") as out:
        out.write(todays_work(text))
    if commit_today:
        git(repo, "commit", "-qam", "one more invoice, paid")
    data = ledger.read_bytes()
    return Repo(n, data.count(b"\n"), len(data) / 1e6)


# --- Fava ------------------------------------------------------------------------


def with_extension(text: str) -> str:
    """The ledger ``text`` with the Fava extension's line after the plugin line."""
    lines = text.splitlines(keepends=True)
    at = next((i + 1 for i, line in enumerate(lines) if line.strip() == PLUGIN_LINE), len(lines))
    lines.insert(at, EXTENSION_LINE)
    return "".join(lines)


def fava_app(
    path: Path, *, extension: bool = True
) -> tuple[Flask, str, FavaLedger, FavaExtensionBase | None]:
    """Fava's app on ``path``: the app, the ledger's slug, the ledger and the extension.

    Raises BenchError on a ledger error, or when the extension is (not) loaded
    as ``extension`` says it should be.
    """
    from fava.application import create_app  # noqa: PLC0415  (Fava only where it is used)

    app = create_app([str(path.resolve())], load=True)
    slug, ledger = next(iter(app.config["LEDGERS"].items()))
    if ledger.errors:
        shown = "\n".join(f"  {getattr(e, 'message', e)}" for e in ledger.errors[:10])
        raise BenchError(f"{len(ledger.errors)} error(s) in the ledger:\n{shown}")
    ext = ledger.extensions.get_extension(EXTENSION)
    if extension and ext is None:
        raise BenchError(f"extension {EXTENSION} not loaded: {ledger.extensions.errors}")
    if not extension and ext is not None:
        raise BenchError(f"extension {EXTENSION} loaded from a ledger without its line")
    return app, slug, ledger, ext


def balance_sheet(client: FlaskClient, slug: str) -> None:
    """Fava's balance sheet as a browser gets it: the HTML shell, then its data."""
    q = f"?time={FAVA_TIME}"
    for url in (f"/{slug}/balance_sheet/{q}", f"/{slug}/api/balance_sheet{q}"):
        response = client.get(url)
        response.get_data()
        if response.status_code != 200:
            raise BenchError(f"{url}: HTTP {response.status_code}")


def fava_startup(path: Path, *, extension: bool) -> tuple[float, float]:
    """CPU time of Fava's start-up on ``path`` and of the first balance sheet after it.

    Meant for a fresh interpreter: Fava is imported before the clock starts; the
    start-up is ``create_app(load=True)``, the uncached load with the plugin and,
    with the extension, its import and ``after_load_file`` (which builds nothing:
    the first request that needs the model builds it).
    """
    import fava.application  # noqa: F401, PLC0415  (imports are not start-up)

    started = time.process_time()
    app, slug, _, _ = fava_app(path, extension=extension)
    startup = time.process_time() - started
    client = app.test_client()
    started = time.process_time()
    balance_sheet(client, slug)
    return startup, time.process_time() - started
