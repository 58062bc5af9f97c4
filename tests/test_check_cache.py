"""`bean-ar check --against REF` keeps the fingerprints of the ledger at REF between runs.

The cache (under `$XDG_CACHE_HOME/beancount-ar/check/`, one file per tree of
files at REF) must change nothing but the time: a warm run reports exactly
what a cold one does, another content at REF is never served from it, a
corrupt file is ignored and rewritten, and nothing is written in the repository.
"""

from __future__ import annotations

import datetime
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from conftest import encrypt_file
from test_check import LEDGER, _check, _git, _repo

from beancount_ar.cli import checking
from beancount_ar.cli.fingerprint_cache import _decoded, _encoded
from beancount_ar.reports.history import Fingerprint

if TYPE_CHECKING:
    import pytest

EDITED = (LEDGER.replace("1800.00 USD", "1700.00 USD")
          .replace('description: "Architecture review"', 'description: "Review"')
          .split("\n2026-02-05", maxsplit=1)[0] + "\n")


def _cache_files() -> list[Path]:
    return sorted(Path(os.environ["XDG_CACHE_HOME"]).rglob("*.json"))


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
    (cache,) = _cache_files()
    good = cache.read_bytes()
    document = json.loads(good)
    wrong_types = json.dumps({**document, "invoices": [[1, 2, 3, 4, 5, 6, 7, 8]]})
    another_key = json.dumps({**document, "key": "0" * 64})
    truncated = good[: len(good) // 2]
    for corrupt in (b"", b"\xff\xfe{", truncated, b"[]", b"null", wrong_types.encode(),
                    json.dumps({**document, "invoices": [["INV-1"]]}).encode(),
                    another_key.encode()):
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
    assert len(_cache_files()) == 1
    # A cache home inside the repository is not used at all.
    monkeypatch.setenv("XDG_CACHE_HOME", str(repo / ".cache"))
    assert _check(path, "--against", "HEAD") == expected
    assert _check(path, "--against", "HEAD") == expected
    assert _files(repo) == before


def test_an_encrypted_include_is_never_cached(tmp_path: Path, gpg_recipient: str) -> None:
    # What was encrypted at the ref is never written out decrypted: a real key, a
    # real encrypted include, Beancount's own decryption through gpg.
    repo = _repo(tmp_path)
    encrypt_file(repo / "customers.beancount", gpg_recipient)
    path = repo / "ledger.beancount"
    path.write_text(LEDGER.replace('"customers.beancount"', '"customers.beancount.gpg"'))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "customers encrypted")
    assert _check(path, "--against", "HEAD") == (0, "")
    assert _cache_files() == []
