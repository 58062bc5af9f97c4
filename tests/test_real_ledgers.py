"""Public ledgers this project did not write: enabling the suite changes nothing on them.

Beancount's own examples and Fava's test ledgers (copies in `tests/real_ledgers/`,
see its README; the hold-out set in `../shared/real-ledgers/` too, when present),
each ending in `plugin "beancount_ar"`. Loaded with and without that line, they
must give the same errors and the same entries, and `bean-ar` must not fail on them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from beancount import loader
from beancount.parser import printer

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "tests" / "real_ledgers", ROOT.parent / "shared" / "real-ledgers")
PLUGIN_LINE = 'plugin "beancount_ar"'
BEAN_AR = Path(sys.executable).parent / "bean-ar"


def _ledgers() -> list[Path]:
    chosen: dict[str, Path] = {}
    for folder in FOLDERS:
        for path in sorted(folder.glob("*.beancount")):
            chosen.setdefault(path.name, path)  # the shared copy may add ledgers, same names
    return list(chosen.values())


LEDGERS = _ledgers()


def _load(path: Path) -> tuple[list[str], list[tuple[str, int, str]]]:
    entries, errors, _ = loader.load_file(str(path))
    folder = str(path.parent)  # the two copies stand in two folders
    shown = [printer.format_entry(entry).replace(folder, "<folder>") for entry in entries]
    found = [(type(e).__name__, int((e.source or {}).get("lineno") or 0),
              e.message.replace(folder, "<folder>")) for e in errors]
    return shown, found


def _variants(path: Path, tmp_path: Path) -> tuple[Path, Path]:
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    assert PLUGIN_LINE in text, f"{path.name} does not enable the suite"
    without = "\n".join(
        "" if line.strip() == PLUGIN_LINE else line for line in text.split("\n"))
    pairs = []
    for name, content in (("with", text), ("without", without)):
        folder = tmp_path / name
        folder.mkdir()
        target = folder / path.name  # same name: messages that name the file stay equal
        target.write_text(content, encoding="utf-8", errors="surrogateescape")
        pairs.append(target)
    return pairs[0], pairs[1]


def test_there_are_real_ledgers() -> None:
    assert len(LEDGERS) >= 10


@pytest.mark.parametrize("path", LEDGERS, ids=[p.name for p in LEDGERS])
def test_the_suite_changes_nothing(path: Path, tmp_path: Path) -> None:
    with_suite, without_suite = _variants(path, tmp_path)
    entries, errors = _load(with_suite)
    plain_entries, plain_errors = _load(without_suite)
    assert errors == plain_errors
    assert entries == plain_entries


@pytest.mark.parametrize("path", LEDGERS, ids=[p.name for p in LEDGERS])
def test_bean_ar_reports_nothing_owed(path: Path, tmp_path: Path) -> None:
    with_suite, _ = _variants(path, tmp_path)
    result = subprocess.run(
        [str(BEAN_AR), "aging", str(with_suite),
         "--as-of", "2026-11-30", "--ignore-errors"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Nothing is owed" in result.stdout
