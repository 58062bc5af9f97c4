"""Fuzzing the whole suite with mutated copies of `ledger/example.beancount`.

Each example applies one to six random mutations to the example ledger (drop,
duplicate or swap lines; garble amounts and metadata; remove or add links and
tags; put a card number in a narration; truncate a custom directive), writes
the result to a temporary file (the header and the `plugin` line stay) and
loads it with Beancount's real loader, uncached. Whatever the input (AR-SPEC 6):

- no plugin raises: no `Error applying plugin`, no traceback in any error;
- every AR error names a line (> 0) of the file loaded, but configuration AR000s;
- there is no internal AR000 failure (`... failed on this entry`);
- a card number put into a narration earns an AR401 error at that entry, and
  is shown by no error, masked or not, but for its last four digits.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from beancount import loader
from beancount.parser import printer
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

EXAMPLE = Path(__file__).resolve().parent.parent / "ledger" / "example.beancount"
EXAMPLE_LINES = EXAMPLE.read_text(encoding="utf-8").splitlines()
# Everything up to and including the suite's `plugin` line is left alone.
HEADER = 1 + next(
    i for i, line in enumerate(EXAMPLE_LINES) if line.startswith('plugin "beancount_ar'))

CARD = "4111 1111 1111 1111"
CARD_FORMS = (CARD, CARD.replace(" ", ""), CARD.replace(" ", "-"))

# Beancount's own plugins are not the suite's: `beancount.ops.pad` raises on a
# `custom "type"` directive with no values (its `values` is None), a Beancount bug.
BEANCOUNT_OWN = "beancount."

# Beancount ships py.typed but leaves `printer.format_error` unannotated.
format_error: Callable[[Any], str] = printer.format_error

Mutation = tuple[str, int, int]  # (kind, which line, which variant): ints taken modulo

_TXN_HEADER = re.compile(r"^\d{4}-\d{2}-\d{2} [*!] ")
_CUSTOM = re.compile(r"^\d{4}-\d{2}-\d{2} custom ")
_NUMBER = re.compile(r"(?<![\w.-])-?\d+(?:\.\d+)?(?![\w.-])")
_LINK = re.compile(r"\s\^[\w.-]+")
_TOKEN = re.compile(r'"[^"]*"|\S+')
_AR_CODE = re.compile(r"AR\d{3}\b")
_PLUGIN_FAILED = re.compile(r'Error applying plugin "([^"]*)"')

NUMBERS = ("0", "0.00", "-1", "-4622.28", "98765432109876543210.55", "0.0000001", "abc",
           "1e5", "NaN", "-0", "1,000.00")
META_VALUES: dict[str, tuple[str, ...]] = {
    "due": ('"soon"', "2024-02-30", "1999-01-01", '"2026-01-01"', "12", "TRUE", "2026-13-01"),
    "credit-limit": ('"lots"', "-100.00 USD", "0.00 USD", "100", "5000.00 XYZ", "TRUE",
                     '"30000 USD"'),
    "invoice": ("42", '"INV-9999-999"', '""', "2025-01-01", "INV", '"inv-2025-001"',
                "INV-2025-001"),
    "terms": ('"net -5"', '"banana"', '""', "30", '"net 99999999999"', '"2/10 net"',
              '"eom net"', '"0/0 net 0"'),
    "quantity": ('"lots"', "-1", "0", '"1e999"', "FALSE", "1 USD"),
}
TAGS = ("#invoice", "#on-account", "#credit-note")
KINDS = ("drop", "dup", "swap", "amount", *META_VALUES, "add-meta", "link", "tag", "card",
         "custom")


def _pick(candidates: list[int], which: int) -> int | None:
    return candidates[which % len(candidates)] if candidates else None


def _lines_where(lines: list[str], test: Callable[[str], object]) -> list[int]:
    return [i for i in range(HEADER, len(lines)) if test(lines[i])]


def _meta_line(key: str) -> Callable[[str], object]:
    return re.compile(rf"^\s+{re.escape(key)}:").match


def _garble_amount(line: str, variant: int) -> str:
    numbers = list(_NUMBER.finditer(line))
    found = numbers[variant % len(numbers)]
    replacement = NUMBERS[(variant // len(numbers)) % len(NUMBERS)]
    return line[:found.start()] + replacement + line[found.end():]


def _change_link(lines: list[str], index: int, variant: int) -> str:
    line = lines[index]
    links = [m.group(0).strip() for line in lines[HEADER:] for m in _LINK.finditer(line)]
    match variant % 4:
        case 0:  # remove every link
            return _LINK.sub("", line)
        case 1:  # a link to no invoice
            return f"{line} ^INV-2099-999"
        case 2:  # another entry's link: the entry now has two
            return f"{line} {links[variant % len(links)]}" if links else line
        case _:  # the same link twice (Beancount keeps a set)
            first = _LINK.search(line)
            return f"{line} {first.group(0).strip()}" if first else line


def _change_tag(line: str, variant: int) -> str:
    tag = TAGS[variant % len(TAGS)]
    if re.search(rf"\s{tag}\b", line):
        return re.sub(rf"\s{tag}\b", "", line)
    return f"{line} {tag}"


def _insert_card(line: str) -> str:
    end = line.rfind('"')  # the narration's closing quote
    return f"{line[:end]} paid by card {CARD}{line[end:]}"


def _truncate_custom(line: str, variant: int) -> str:
    head, _, rest = line.partition(" custom ")
    tokens = _TOKEN.findall(rest)
    return f"{head} custom {' '.join(tokens[:variant % len(tokens)])}".rstrip()


def _add_meta(line: str, variant: int) -> list[str]:
    key = ("due", "invoice", "terms")[variant % 3]
    values = META_VALUES[key]
    return [line, f"  {key}: {values[(variant // 3) % len(values)]}"]


def mutate(lines: list[str], mutation: Mutation) -> None:  # noqa: C901, PLR0912
    """Apply one mutation to `lines` in place (nothing if it finds nowhere to apply)."""
    kind, which, variant = mutation
    if kind in ("drop", "dup", "swap"):
        index = _pick(list(range(HEADER, len(lines) - (kind == "swap"))), which)
        if index is None:
            return
        if kind == "drop":
            del lines[index]
        elif kind == "dup":
            lines.insert(index, lines[index])
        else:
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
        return
    if kind == "amount":
        test: Callable[[str], object] = _NUMBER.search
    elif kind in META_VALUES:
        test = _meta_line(kind)
    elif kind == "custom":
        test = _CUSTOM.match
    else:
        test = _TXN_HEADER.match
    index = _pick(_lines_where(lines, test), which)
    if index is None:
        return
    line = lines[index]
    if kind == "amount":
        lines[index] = _garble_amount(line, variant)
    elif kind in META_VALUES:
        values = META_VALUES[kind]
        lines[index] = f"{line.split(':', 1)[0]}: {values[variant % len(values)]}"
    elif kind == "add-meta":
        lines[index:index + 1] = _add_meta(line, variant)
    elif kind == "link":
        lines[index] = _change_link(lines, index, variant)
    elif kind == "tag":
        lines[index] = _change_tag(line, variant)
    elif kind == "card":
        lines[index] = _insert_card(line)
    elif kind == "custom":
        lines[index] = _truncate_custom(line, variant)


def mutated(mutations: list[Mutation]) -> str:
    """The example ledger's text after `mutations`."""
    lines = list(EXAMPLE_LINES)
    for mutation in mutations:
        mutate(lines, mutation)
    assert lines[:HEADER] == EXAMPLE_LINES[:HEADER]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module", autouse=True)
def _uncached_loader() -> Iterator[None]:
    """Beancount's loader without its pickle cache: no cache files next to the ledgers."""
    loader.initialize(use_cache=False)
    yield
    loader.initialize(os.getenv("BEANCOUNT_DISABLE_LOAD_CACHE") is None)


def describe(error: Any) -> str:
    """An error as bean-check prints it (its entry included); printing it must not raise."""
    try:
        return format_error(error)
    except Exception as exc:  # noqa: BLE001 - the failure is the finding
        pytest.fail(f"bean-check cannot print this error, it raises {exc!r}: "
                    f"{error.source} {error.message!r} entry={error.entry!r}")


def check_loaded(text: str, filename: str, entries: list[Any], errors: list[Any]) -> None:
    """The properties every load must have (see the module's docstring)."""
    for error in errors:
        message = str(error.message)
        shown = describe(error)
        failed = _PLUGIN_FAILED.search(message)
        if failed and failed.group(1).startswith(BEANCOUNT_OWN):
            continue  # Beancount's own plugin crashed, e.g. `pad` on a `custom` with no values
        assert "Error applying plugin" not in message, shown
        assert "Traceback" not in message, shown
        assert "Traceback" not in shown, shown
        code = _AR_CODE.match(message)
        if code is None:
            continue
        if code.group(0) == "AR000":
            assert message.startswith("AR000 plugin beancount_ar:"), f"internal failure: {shown}"
            continue
        source = error.source
        assert isinstance(source, dict), shown
        lineno = source.get("lineno")
        assert isinstance(lineno, int), shown
        assert not isinstance(lineno, bool), shown
        assert lineno > 0, shown
        assert source.get("filename") == filename, shown
    if CARD not in text:
        return
    for error in errors:
        shown = describe(error)
        for form in CARD_FORMS:
            assert form not in shown, f"unmasked card number in an error: {shown}"
    card_lines = {n for n, line in enumerate(text.splitlines(), 1) if CARD in line}
    parsed = {e.meta.get("lineno") for e in entries
              if e.meta is not None and e.meta.get("filename") == filename}
    reported = {e.source.get("lineno") for e in errors
                if str(e.message).startswith("AR401") and isinstance(e.source, dict)}
    for lineno in card_lines & parsed:
        assert lineno in reported, f"no AR401 for the card number on line {lineno}"


def beside_example_files(directory: Path, text: str) -> Path:
    """`text` as a ledger in `directory`, with the logo and templates its ar-company names."""
    shutil.copy(EXAMPLE.parent / "logo.png", directory)
    shutil.copytree(EXAMPLE.parent / "templates", directory / "templates")
    path = directory / "fuzz.beancount"
    path.write_text(text, encoding="utf-8")
    return path


def load_mutated(mutations: list[Mutation]) -> None:
    """Write the mutated example, load it with Beancount's loader and check the load."""
    text = mutated(mutations)
    with tempfile.TemporaryDirectory(prefix="ar-fuzz-") as directory:
        path = beside_example_files(Path(directory), text)
        entries, errors, _ = loader.load_file(str(path))
        check_loaded(text, str(path), list(entries), list(errors))


def test_example_loads_clean() -> None:
    """The unmutated example has no errors at all: every error below is a mutation's."""
    with tempfile.TemporaryDirectory(prefix="ar-fuzz-") as directory:
        path = beside_example_files(Path(directory), mutated([]))
        _, errors, _ = loader.load_file(str(path))
    assert [describe(e) for e in errors] == []


mutations_strategy = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(0, 10_000), st.integers(0, 10_000)),
    min_size=1, max_size=6,
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mutations_strategy)
@example([("card", 1, 0)])  # a card number in an invoice's narration
@example([("card", 0, 0), ("dup", 12, 0)])
@example([("due", 0, 1)])  # due: 2024-02-30
@example([("due", 1, 0), ("credit-limit", 0, 0)])  # due: "soon"; credit-limit: "lots"
@example([("invoice", 0, 0), ("invoice", 1, 1)])  # invoice: 42; unknown invoice
@example([("terms", 0, 1), ("quantity", 0, 0)])  # terms: "banana"; quantity: "lots"
@example([("link", 1, 0), ("link", 2, 1), ("link", 3, 2)])
@example([("tag", 1, 0), ("tag", 0, 2), ("tag", 5, 1)])
@example([("custom", 1, 0), ("custom", 0, 1), ("custom", 30, 2)])
@example([("custom", 1, 1)])  # `custom "ar-company"` with no value: AR010 must still print
@example([("custom", 2, 1)])  # `custom "ar-customer"` with no id: AR001 must still print
@example([("amount", 31, 4), ("amount", 32, 6), ("amount", 20, 0)])  # huge; abc; limit 0
@example([("amount", 31, 3), ("add-meta", 3, 0)])  # a negative invoice; due: "soon"
def test_mutated_example_never_raises(mutations: list[Mutation]) -> None:
    load_mutated(mutations)
