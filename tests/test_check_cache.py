"""`bean-ar check` keeps the fingerprints of the ledgers it reads between runs.

The cache (under `$XDG_CACHE_HOME/beancount-ar/check/`, entries named by the
ledger's files and their git blob ids) must change nothing but the time: a warm
run reports exactly what a cold one does, another content at REF is never served
from it (an edited include, a glob that may pick up another file, an include
naming no file), a corrupt file is ignored and rewritten, and nothing is written
in the repository. Which ledgers a run reads is counted through the real loader.
"""

from __future__ import annotations

import datetime
import json
import os
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conftest import encrypt_file
from test_check import CUSTOMERS, LEDGER, PAYMENT, _check, _git, _repo

from beancount_ar.cli import checking
from beancount_ar.cli.fingerprint_cache import _decoded, _encoded
from beancount_ar.cli.loading import load_ledger
from beancount_ar.reports.history import Fingerprint

if TYPE_CHECKING:
    import pytest

    from beancount_ar.cli.loading import Ledger

EDITED = (LEDGER.replace("1800.00 USD", "1700.00 USD")
          .replace('description: "Architecture review"', 'description: "Review"')
          .split("\n2026-02-05", maxsplit=1)[0] + "\n")


def _cache_files(kind: str = "") -> list[Path]:
    """The cache's files: `ref-` (a ledger read at a ref), `tree-`, `ledger-` (today's)."""
    return sorted(Path(os.environ["XDG_CACHE_HOME"]).rglob(f"{kind}*.json"))


def _count_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The ledgers the check loads from now on, each through Beancount's real loader."""
    loads: list[Path] = []

    def counting(path: Path, **options: Any) -> Ledger:
        loads.append(path)
        return load_ledger(path, **options)

    monkeypatch.setattr("beancount_ar.cli.checking.load_ledger", counting)
    return loads


def _no_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> Path:
        raise AssertionError("the ledger at the ref was read again")

    monkeypatch.setattr(checking, "checkout_revision", refuse)


def test_a_warm_cache_gives_exactly_the_errors_of_a_cold_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    path.write_text(EDITED)
    for output_format in ("text", "json", "github"):
        cold = _check(path, "--against", "HEAD", "--format", output_format)
        assert cold[0] == 1
        assert "AR601" in cold[1]
        assert "AR602" in cold[1]
        with monkeypatch.context() as patched:
            _no_checkout(patched)
            assert _check(path, "--against", "HEAD", "--format", output_format) == cold
        for cache in _cache_files():
            cache.unlink()


def test_fingerprints_survive_the_cache_exactly() -> None:
    prints = Fingerprint(
        "INV-1", datetime.date(2026, 1, 5), "acme", "USD", Decimal("1800.00"),
        (("Income:A", "Review", None, Decimal("150.00"), Decimal("0.10"), "USD"),
         ("Income:B", "Ünïcode", Decimal(3), None, Decimal("-0"), "USD")),
        "books/ledger.beancount", 6)
    row = json.loads(json.dumps(_encoded(prints)))
    number, decoded = _decoded(row)
    assert (number, decoded) == ("INV-1", prints)
    assert [str(x) for x in decoded.lines[0][2:5] if x is not None] == ["150.00", "0.10"]


def test_another_content_at_the_ref_is_not_served_from_the_cache(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    assert _check(path, "--against", "HEAD") == (0, "")
    assert len(_cache_files()) == 1
    # HEAD now holds INV-1 at 1700.00 (another blob), today's file 1800.00 again.
    path.write_text(LEDGER.replace("1800.00 USD", "1700.00 USD"))
    _git(repo, "commit", "-q", "--amend", "-am", "issued at 1700")
    path.write_text(LEDGER)
    code, output = _check(path, "--against", "HEAD")
    assert code == 1
    assert "AR601 invoice INV-1" in output
    assert "amount 1700.00 -> 1800.00" in output
    assert len(_cache_files()) == 2


def test_a_corrupt_cache_file_is_ignored_and_rewritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    path.write_text(EDITED)
    expected = _check(path, "--against", "HEAD")
    (cache,) = _cache_files("ref-")  # HEAD's; today's is in a ledger- slot
    good = cache.read_bytes()
    header, body, end = good.split(b"\n")
    assert (json.loads(header)["files"], end) == (
        [["customers.beancount", _git(repo, "rev-parse", "HEAD:customers.beancount").strip()],
         ["ledger.beancount", _git(repo, "rev-parse", "HEAD:ledger.beancount").strip()]], b"")
    document = json.loads(header)
    another_key = json.dumps({**document, "key": "0" * 64}).encode()
    other_files = json.dumps({**document, "files": document["files"][1:]}).encode()
    for corrupt in (b"", b"\xff\xfe{", good[: len(good) // 2], b"[]", b"null", header,
                    header + b"\n[[1,2,3,4,5,6,7,8]]", header + b'\n[["INV-1"]]',
                    header + b"\n{}", another_key + b"\n" + body, other_files + b"\n" + body,
                    body + b"\n" + header):
        cache.write_bytes(corrupt)
        assert _check(path, "--against", "HEAD") == expected
        assert cache.read_bytes() == good
    cache.unlink()
    cache.mkdir()  # not even a file: ignored, and not written
    assert _check(path, "--against", "HEAD") == expected
    cache.rmdir()
    with monkeypatch.context() as patched:  # a rewritten cache serves the warm run
        assert _check(path, "--against", "HEAD") == expected
        _no_checkout(patched)
        assert _check(path, "--against", "HEAD") == expected


def _files(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime for p in folder.rglob("*")
            if ".git" not in p.relative_to(folder).parts}


def test_nothing_is_written_inside_the_repository(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    path.write_text(EDITED)
    before = _files(repo)
    expected = _check(path, "--against", "HEAD")
    _check(path, "--against", "HEAD")
    assert _files(repo) == before
    assert len(_cache_files("ref-")) == len(_cache_files("ledger-")) == 1
    # A cache home inside the repository is not used at all.
    monkeypatch.setenv("XDG_CACHE_HOME", str(repo / ".cache"))
    assert _check(path, "--against", "HEAD") == expected
    assert _check(path, "--against", "HEAD") == expected
    assert _files(repo) == before


def test_an_encrypted_include_is_never_cached(
        tmp_path: Path, gpg_recipient: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # What was encrypted at the ref is never written out decrypted: a real key, a
    # real encrypted include, Beancount's own decryption through gpg.
    repo = _repo(tmp_path)
    encrypt_file(repo / "customers.beancount", gpg_recipient)
    path = repo / "ledger.beancount"
    path.write_text(LEDGER.replace('"customers.beancount"', '"customers.beancount.gpg"'))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "customers encrypted")
    loads = _count_loads(monkeypatch)
    for run in (1, 2):
        assert _check(path, "--against", "HEAD") == (0, "")
        assert _cache_files() == []
        assert len(loads) == 2 * run  # its files unchanged, HEAD is read all the same


def _ar601(path: Path, number: str, line: int, then: int, change: str) -> str:
    return (f"{path}:{line}: AR601 invoice {number} was issued at HEAD (ledger.beancount:{then}) "
            f"and has changed since: {change}; restore it and correct it with a credit note\n")


def test_a_clean_tree_against_head_reads_one_ledger(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # HEAD holds the very files read today: their fingerprints are HEAD's, nothing
    # is taken from git or the cache (the cache is empty, and stays so but for today's).
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    loads = _count_loads(monkeypatch)
    _no_checkout(monkeypatch)
    assert _check(path, "--against", "HEAD") == (0, "")
    assert loads == [path]
    assert [p.name.split("-")[0] for p in _cache_files()] == ["ledger"]
    assert _check(path, "--against", "HEAD") == (0, "")
    assert loads == [path, path]


def test_the_pre_commit_flow_never_reads_head(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The hook checks what is committed, then the next commit's hook compares with
    # it: the first check kept the fingerprints of exactly the files HEAD now holds.
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    with path.open("a") as ledger:
        ledger.write(PAYMENT)
    assert _check(path, "--against", "HEAD") == (0, "")
    _git(repo, "commit", "-qam", "payment")
    path.write_text(path.read_text().replace("2026-01-05 *", "2026-01-06 *"))
    loads = _count_loads(monkeypatch)
    _no_checkout(monkeypatch)
    assert _check(path, "--against", "HEAD") == (
        1, _ar601(path, "INV-1", 6, 6, "date 2026-01-05 -> 2026-01-06"))
    assert loads == [path]


def test_an_include_edited_at_the_ref_is_a_miss(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    assert _check(path) == (0, "")  # keeps today's: ledger.beancount and customers.beancount
    # HEAD: the same top file, another customers.beancount (and so customer id).
    (repo / "customers.beancount").write_text(CUSTOMERS.replace('"acme"', '"acme-corp"'))
    _git(repo, "commit", "-qam", "acme is acme-corp")
    (repo / "customers.beancount").write_text(CUSTOMERS)  # back to what was kept
    loads = _count_loads(monkeypatch)
    change = "customer acme-corp -> acme"
    assert _check(path, "--against", "HEAD") == (
        1, _ar601(path, "INV-1", 6, 6, change) + _ar601(path, "INV-2", 11, 11, change))
    assert len(loads) == 2
    assert loads[0] == path
    assert loads[1].name == "ledger.beancount"
    assert not loads[1].is_relative_to(repo)  # HEAD's, from git


def test_a_glob_include_is_never_reused_across_trees(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    path.write_text(LEDGER.replace('"customers.beancount"', '"parts/*.beancount"'))
    (repo / "parts").mkdir()
    _git(repo, "mv", "customers.beancount", "parts/customers.beancount")
    _git(repo, "commit", "-qam", "includes by a pattern")
    loads = _count_loads(monkeypatch)
    assert _check(path, "--against", "HEAD") == (0, "")
    assert len(loads) == 2  # what the pattern picks up at HEAD is HEAD's to say
    assert [p.name.split("-")[0] for p in _cache_files()] == ["tree"]
    assert _check(path, "--against", "HEAD") == (0, "")
    assert len(loads) == 3  # the same tree: served
    # The next commit adds a file the pattern picks up; the work tree lacks it. The
    # ledger's other files are the same blobs, yet its invoice is HEAD's.
    (repo / "parts" / "march.beancount").write_text(
        '2026-03-05 * "Acme Corp" "Consulting, March" ^INV-3 #invoice\n'
        "  Assets:Receivable:Acme         500.00 USD\n"
        "  Income:Consulting             -500.00 USD\n")
    _git(repo, "add", "parts/march.beancount")
    _git(repo, "commit", "-qm", "INV-3")
    (repo / "parts" / "march.beancount").unlink()
    assert _check(path, "--against", "HEAD") == (
        1, (f"{path}:1: AR602 invoice INV-3 issued at HEAD (parts/march.beancount:1) is gone; "
            "restore it and cancel it with a credit note instead\n"))
    assert len(loads) == 5
    assert [p.name.split("-")[0] for p in _cache_files()] == ["tree", "tree"]


def test_an_include_that_names_no_file_is_never_taken_for_the_ref(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Today's files have HEAD's blobs, but the include of february.beancount names
    # nothing today and HEAD's invoice at HEAD: today is not HEAD.
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    ledger, february = LEDGER.split("\n2026-02-05")
    path.write_text(ledger.replace('"customers.beancount"',
                                   '"customers.beancount"\ninclude "february.beancount"') + "\n")
    (repo / "february.beancount").write_text("2026-02-05" + february)
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "february on its own")
    (repo / "february.beancount").unlink()
    loads = _count_loads(monkeypatch)
    expected = (1, (f"{path}:1: AR602 invoice INV-2 issued at HEAD (february.beancount:1) is "
                    "gone; restore it and cancel it with a credit note instead\n"
                    '<load>:1: File glob "february.beancount" does not match any files\n'))
    assert _check(path, "--against", "HEAD") == expected
    assert _check(path, "--against", "HEAD") == expected
    assert len(loads) == 3  # HEAD read once, then cached under its own files
    assert [p.name.split("-")[0] for p in _cache_files()] == ["ref"]


def test_a_ref_read_serves_another_commit_holding_the_same_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The tree changed, the ledger's files did not: what a tree id alone missed.
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    path.write_text(EDITED)
    loads = _count_loads(monkeypatch)
    expected = _check(path, "--against", "HEAD")
    assert len(loads) == 2
    (repo / "README").write_text("books\n")
    _git(repo, "add", "README")
    _git(repo, "commit", "-qm", "a readme", "--", "README")
    _no_checkout(monkeypatch)
    assert _check(path, "--against", "HEAD") == expected
    assert len(loads) == 3


def test_another_version_of_beancount_ar_misses(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    path.write_text(EDITED)
    loads = _count_loads(monkeypatch)
    expected = _check(path, "--against", "HEAD")
    assert _check(path, "--against", "HEAD") == expected
    assert len(loads) == 3
    monkeypatch.setattr(
        "beancount_ar.cli.fingerprint_cache._version",
        lambda name: "0.0.0+other" if name == "beancount-ar" else metadata.version(name))
    assert _check(path, "--against", "HEAD") == expected
    assert len(loads) == 5
    assert len(_cache_files("ref-")) == 2


def test_a_file_changed_while_it_was_read_is_not_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Beancount read the old customers.beancount: its fingerprints are not the new one's.
    repo = _repo(tmp_path)
    path = repo / "ledger.beancount"
    def edited_meanwhile(ledger: Path, **options: Any) -> Ledger:
        loaded = load_ledger(ledger, **options)
        with (repo / "customers.beancount").open("a") as customers:
            customers.write("; edited while bean-ar read it\n")
        return loaded

    with monkeypatch.context() as patched:
        patched.setattr("beancount_ar.cli.checking.load_ledger", edited_meanwhile)
        assert _check(path) == (0, "")
    assert _cache_files() == []
    assert _check(path) == (0, "")
    assert len(_cache_files("ledger-")) == 1


def test_an_include_through_a_symbolic_link_is_kept_for_its_tree_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The link's blob names the link, not the file read: only HEAD's tree says which.
    repo = _repo(tmp_path)
    (repo / "contacts").mkdir()
    _git(repo, "mv", "customers.beancount", "contacts/customers.beancount")
    (repo / "customers.beancount").symlink_to("contacts/customers.beancount")
    _git(repo, "add", "customers.beancount")
    _git(repo, "commit", "-qm", "customers linked")
    path = repo / "ledger.beancount"
    loads = _count_loads(monkeypatch)
    assert _check(path, "--against", "HEAD") == (0, "")
    assert _check(path, "--against", "HEAD") == (0, "")
    assert len(loads) == 3
    assert [p.name.split("-")[0] for p in _cache_files()] == ["tree"]


def test_a_ledger_outside_a_repository_keeps_nothing(tmp_path: Path) -> None:
    (tmp_path / "ledger.beancount").write_text(LEDGER)
    (tmp_path / "customers.beancount").write_text(CUSTOMERS)
    assert _check(tmp_path / "ledger.beancount") == (0, "")
    assert _cache_files() == []
