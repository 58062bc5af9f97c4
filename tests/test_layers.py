"""The package reads as three floors, and every import points down.

    core (the model and what it is built from)  <-  reports  <-  fronts

Every module under beancount_ar/ and plugins/ is parsed with `ast`; its imports,
at module level and inside functions alike, must stay on its own floor or below:

- `beancount_ar/core/` imports the standard library, Beancount and small pure
  libraries (python-stdnum, dateutil) only: no reports, no front, no web,
  template, PDF or locale library (Babel's locale check is injected by the fronts).
- `beancount_ar/reports/` imports the core and the reports (and wcwidth, for the
  width of names in terminal tables).
- The fronts (`plugins/`, the `beancount_ar` plugin itself, `cli/`, `fava/`)
  import what is below them and never one another. Below them, shared by them:
  `suite.py` (running the suite as Beancount plugins), `documents/` (rendering
  invoices and statements) and `writer.py` (the one module that writes to disk).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "beancount_ar"
PLUGINS = ROOT / "plugins"

# What each place of the house may import from the package (besides itself).
ALLOWED = {
    "core": set(),
    "reports": {"core"},
    "writer": set(),
    "suite": {"core"},
    "documents": {"core", "reports", "writer"},
    "root": {"suite"},  # beancount_ar/__init__.py: the `plugin "beancount_ar"` function
    "plugins": {"suite"},
    "cli": {"core", "reports", "suite", "documents", "writer"},
    "fava": {"core", "reports", "documents", "writer"},
    "importing": {"core", "reports"},  # the beangulp hook
}
# Babel and python-stdnum read only the data they ship with (CLDR, check tables).
PURE = {"beancount", "stdnum", "dateutil", "babel"}
# Outside libraries each place may import, besides the standard library.
LIBRARIES = {
    "core": PURE,
    "reports": PURE | {"wcwidth"},
    "writer": set(),
    "suite": PURE,
    "documents": PURE | {"jinja2", "pdfkit", "pypdf", "segno"},
    "root": set(),
    "plugins": set(),
    "cli": PURE | {"click"},
    "fava": PURE | {"fava", "flask", "markupsafe"},
    "importing": PURE | {"click"},  # beangulp's own command line, for its -e ledger
}


def place_of(path: Path) -> str:
    """Which floor (or front) a source file belongs to."""
    if path.is_relative_to(PLUGINS):
        return "plugins"
    parts = path.relative_to(PACKAGE).parts
    if parts == ("__init__.py",):
        return "root"
    if len(parts) == 1:
        return parts[0].removesuffix(".py")
    return parts[0]


def place_of_module(module: str) -> str | None:
    """The place an imported `beancount_ar...` module lives in; None for another library."""
    parts = module.split(".")
    if parts[0] != "beancount_ar":
        return None
    if len(parts) == 1:
        return "root"
    return parts[1]


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports, anywhere in it, with the line; relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = _package_of(path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if base == "beancount_ar" or (node.level and not node.module):
                # `from beancount_ar import x` names submodule x, or a name of the root
                found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, base))
    return found


def _package_of(path: Path) -> str:
    if path.is_relative_to(PLUGINS):
        return "beancount_ar.plugins"
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1])


def sources() -> list[Path]:
    """Every module of the package and the plugins, tests left out."""
    return sorted(p for p in [*PACKAGE.rglob("*.py"), *PLUGINS.glob("*.py")]
                  if not p.name.endswith("_test.py"))


def violations(path: Path) -> list[str]:
    """`file:line: place imports module (...)` for each import that points up or sideways."""
    place = place_of(path)
    shown = path.relative_to(ROOT)
    out = []
    for lineno, module in imports(path):
        target = place_of_module(module)
        top = module.split(".")[0]
        if target is None:
            if top in sys.stdlib_module_names or top == "__future__" or top in LIBRARIES[place]:
                continue
            out.append(f"{shown}:{lineno}: {place} imports {module} (not allowed on its floor)")
        elif module == "beancount_ar.plugins" or module.startswith("beancount_ar.plugins."):
            if place != "plugins":
                out.append(f"{shown}:{lineno}: {place} imports the plugins front ({module})")
        elif target != place and target not in ALLOWED[place]:
            out.append(f"{shown}:{lineno}: {place} imports {module} ({target} is not below it)")
    return out


def test_every_source_file_has_a_place() -> None:
    places = {place_of(path) for path in sources()}
    assert places <= set(ALLOWED), places - set(ALLOWED)
    assert {"core", "reports", "cli", "fava", "plugins", "documents"} <= places


def test_imports_point_down() -> None:
    found = [line for path in sources() for line in violations(path)]
    assert not found, "imports that point up or sideways:\n" + "\n".join(found)


@pytest.mark.parametrize(("place", "module", "bad"), [
    ("core", "beancount_ar.reports.aging", True),
    ("core", "click", True),
    ("core", "jinja2", True),
    ("core", "stdnum.luhn", False),
    ("reports", "beancount_ar.cli.git", True),
    ("reports", "beancount_ar.core.model", False),
    ("cli", "beancount_ar.fava.view", True),
    ("fava", "beancount_ar.cli.loading", True),
    ("fava", "beancount_ar.documents.render", False),
])
def test_the_check_catches_an_upward_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, place: str, module: str, bad: bool,  # noqa: FBT001
) -> None:
    package = tmp_path / "beancount_ar"
    folder = package if place in {"writer", "suite"} else package / place
    folder.mkdir(parents=True)
    path = folder / "probe.py"
    # Inside a function, as the package's lazy imports are written.
    path.write_text(f"def probe() -> None:\n    import {module}\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    monkeypatch.setattr(sys.modules[__name__], "PLUGINS", tmp_path / "plugins")
    found = violations(path)
    assert bool(found) == bad, found
    if bad:
        assert found[0].startswith(f"beancount_ar/{place}/probe.py:2: ")


MAX_LINES = 410  # "small modules (under ~400 lines)"


def test_modules_stay_small_and_named_after_what_they_own() -> None:
    too_long = [f"{p.relative_to(ROOT)}: {n} lines" for p in sources()
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not too_long, too_long
    vague = [p.relative_to(ROOT) for p in sources()
             if p.stem in {"utils", "helpers", "checks", "misc", "common"}]
    assert not vague, vague
