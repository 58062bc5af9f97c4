"""The built wheel carries the plugins as `beancount_ar.plugins` and works installed alone."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import textwrap
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ("customers", "invoices", "payments", "status_events", "credit_limits", "card_numbers")

LEDGER = """\
plugin "beancount_ar"
2026-01-01 open Assets:Receivable:Acme
2026-01-01 open Income:Consulting
2026-01-01 custom "ar-customer" "acme"
  name: "Acme Corp"
  account: Assets:Receivable:Acme
2026-01-05 * "Acme Corp" "Consulting" ^INV-1 #invoice
  Assets:Receivable:Acme   100.00 USD
  Income:Consulting
2026-01-06 * "Acme Corp" "Payment" ^INV-2
  Assets:Receivable:Acme  -100.00 USD
  Income:Consulting
"""


def _build_wheel(out: Path) -> Path:
    # Built from a copy: setuptools writes build/ and *.egg-info beside the sources.
    source = out.parent / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "artifacts", "out", ".*_cache",
        ".hypothesis", "__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out),
         str(source)],
        check=True, capture_output=True, text=True,
    )
    return next(out.glob("beancount_ar-*.whl"))


def test_wheel_installs_plugins_as_a_subpackage(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    for plugin in PLUGINS:
        assert f"beancount_ar/plugins/{plugin}.py" in names
    assert not any(name.startswith("plugins/") for name in names)

    clean = tmp_path / "venv"
    venv.create(clean, with_pip=False)
    python = clean / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip()
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    ledger = tmp_path / "ledger.beancount"
    ledger.write_text(LEDGER)
    # Dependencies come from the development environment; beancount_ar from the wheel only.
    script = textwrap.dedent(f"""
        import beancount_ar, beancount_ar.plugins.payments
        from beancount import loader
        assert beancount_ar.__file__.startswith({site!r}), beancount_ar.__file__
        _, errors, _ = loader.load_file({str(ledger)!r})
        print(sorted(e.message.split()[0] for e in errors))
    """)
    result = subprocess.run(
        [str(python), "-c", script], capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": sysconfig.get_paths()["purelib"], "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['AR202']"
