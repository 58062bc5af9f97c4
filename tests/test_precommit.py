"""The pre-commit hook in `.pre-commit-hooks.yaml`, run by the real pre-commit on a git repo."""

from __future__ import annotations

import importlib
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
BIN = Path(sys.executable).parent
PRE_COMMIT = BIN / "pre-commit"
BEAN_AR = BIN / "bean-ar"
TIMEOUT = 120

LEDGER = """\
plugin "beancount_ar"

2026-01-01 open Assets:Bank:Checking
2026-01-01 open Assets:Receivable:Acme
2026-01-01 open Income:Consulting

2026-01-01 custom "ar-customer" "acme"
  name: "Acme Corp"
  account: Assets:Receivable:Acme

2026-01-05 * "Acme Corp" "Consulting, January" ^INV-2026-001 #invoice
  Assets:Receivable:Acme        1000.00 USD
  Income:Consulting            -1000.00 USD
    description: "Architecture review"
"""

OVERPAYMENT = """
2026-02-01 * "Acme Corp" "Paid too much" ^INV-2026-001
  Assets:Bank:Checking          1200.00 USD
  Assets:Receivable:Acme       -1200.00 USD
"""

# No skip: make install provides every tool these tests run.


def _manifest() -> list[dict[str, Any]]:
    # PyYAML comes with pre-commit; imported by name so mypy needs no stubs for it.
    yaml = importlib.import_module("yaml")
    hooks: list[dict[str, Any]] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return hooks


def _hook() -> dict[str, Any]:
    (hook,) = (h for h in _manifest() if h["id"] == "bean-ar-check")
    return hook


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env["PRE_COMMIT_COLOR"] = "never"
    return env


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.email=ar@example.com", "-c", "user.name=AR", *args],
        check=True, capture_output=True, text=True, timeout=TIMEOUT,
    )


def _local_config() -> str:
    """A `.pre-commit-config.yaml` whose local hook mirrors the published one.

    A remote hook (`repo: <URL or path of beancount-ar>`) would make pre-commit
    create a fresh virtualenv and pip-install this project and all of its
    dependencies from scratch: slow, and impossible offline. So the hook's
    fields are copied from `.pre-commit-hooks.yaml` into a `repo: local` hook
    that runs the bean-ar already installed here (`language: system`); what is
    tested is the manifest's `entry`, `args` wiring, `pass_filenames`, `files`
    and `always_run`, as pre-commit itself interprets them.
    """
    hook = dict(_hook())
    hook["language"] = "system"
    hook["entry"] = shlex.join([str(BEAN_AR), *shlex.split(hook["entry"])[1:]])
    hook["args"] = ["ledger/main.beancount"]
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    return json.dumps(config, indent=2) + "\n"  # JSON is YAML


def _pre_commit(repo: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRE_COMMIT), "run", *args], cwd=repo, env=_env(tmp_path),
        capture_output=True, text=True, check=False, timeout=TIMEOUT,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "books"
    (repo / "ledger").mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / "ledger" / "main.beancount").write_text(LEDGER, encoding="utf-8")
    (repo / "notes.txt").write_text("not a ledger\n", encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(_local_config(), encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "books", "--no-verify")
    return repo


def test_the_manifest_declares_the_documented_hook() -> None:
    hook = _hook()
    assert hook["id"] == "bean-ar-check"
    assert hook["name"]
    assert hook["entry"].split()[:2] == ["bean-ar", "check"]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["always_run"] is False
    assert re.search(hook["files"], "x.beancount")
    assert re.search(hook["files"], "ledger/main.beancount")
    assert not re.search(hook["files"], "x.beancount.gpg")
    assert not re.search(hook["files"], "README.md")


def test_pre_commit_accepts_the_manifest(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(PRE_COMMIT), "validate-manifest", str(MANIFEST)], env=_env(tmp_path),
        capture_output=True, text=True, check=False, timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_hook_passes_a_clean_ledger_and_fails_an_overpayment(
    repo: Path, tmp_path: Path,
) -> None:
    clean = _pre_commit(repo, tmp_path, "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"bean-ar check.*Passed", clean.stdout)

    with (repo / "ledger" / "main.beancount").open("a", encoding="utf-8") as ledger:
        ledger.write(OVERPAYMENT)
    _git(repo, "add", ".")
    broken = _pre_commit(repo, tmp_path, "--all-files")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert re.search(r"bean-ar check.*Failed", broken.stdout)
    assert "AR203" in broken.stdout
    assert "INV-2026-001" in broken.stdout


def test_the_hook_is_skipped_when_no_beancount_file_changes(repo: Path, tmp_path: Path) -> None:
    with (repo / "ledger" / "main.beancount").open("a", encoding="utf-8") as ledger:
        ledger.write(OVERPAYMENT)  # broken, but not part of this run's files
    result = _pre_commit(repo, tmp_path, "--files", "notes.txt")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"bean-ar check.*Skipped", result.stdout)
