"""Contract section 13, measured: `bean-ar match` on labelled receipts (bench/receipts.py).

    bench = receipts.build(invoices=1000, receipts=80, seed=7)
    ledger, receipts_file, labels = bench.write(tmp_path)

The generator writes a ledger (bench/generate.py's plus the customers' aliases,
IBANs and new invoices), 80 bank receipts of every kind and their labels: what
AR-SPEC section 13 says the matcher must link. These tests check the generator
and the scorer themselves, then the matcher against the labels.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sys
from pathlib import Path
from typing import TypeAlias

import pytest
from beancount import loader
from ledgers import invoke

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import generate
import matching
import receipts
from receipts_parties import grouped, iban

Small: TypeAlias = tuple[Path, Path, list[dict[str, object]]]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Small:
    folder = tmp_path_factory.mktemp("match-bench")
    ledger, receipts_file, labels = receipts.build(1000, 80, 7).write(folder)
    return ledger, receipts_file, json.loads(labels.read_text(encoding="utf-8"))["receipts"]


def test_iban_check_digits_follow_iso_13616() -> None:
    assert iban("CZ", "08000000192000145399") == "CZ6508000000192000145399"
    assert iban("DE", "370400440532013000") == "DE89370400440532013000"
    assert grouped("CZ6508000000192000145399") == "CZ65 0800 0000 1920 0014 5399"


def test_the_generated_ledger_is_clean(small: Small) -> None:
    ledger, _, _ = small
    _, errors, _ = loader.load_file(str(ledger))
    assert [e.message for e in errors] == []


def test_every_kind_is_there_and_each_label_says_what_its_kind_means(small: Small) -> None:
    _, _, labels = small
    assert len(labels) == 80
    assert {label["kind"] for label in labels} == {kind for kind, _, _ in receipts.KINDS}
    for label in labels:
        if label["kind"] in receipts.NO_LINK:
            assert label["invoices"] == [], label
        else:
            assert label["invoices"], label
        if label["kind"] in ("unknown", "legal-form-clash", "other-form"):
            assert label["customer"] is None, label
        else:
            assert label["customer"] is not None, label


def test_each_label_stands_on_its_receipts_line(small: Small) -> None:
    _, receipts_file, labels = small
    lines = receipts_file.read_text(encoding="utf-8").splitlines()
    for label in labels:
        head = lines[int(str(label["line"])) - 1]
        assert head.startswith(f"{label['date']} * "), head


def test_the_labels_themselves_score_one_and_a_wrong_link_costs_precision(small: Small) -> None:
    _, _, labels = small
    perfect = matching.score(labels, labels)
    assert (perfect.total.precision, perfect.total.recall) == (1.0, 1.0)
    assert perfect.problems == []
    wrong = [dict(label) for label in labels]
    unknown = next(w for w in wrong if w["kind"] == "unknown")
    unknown["invoices"] = [{"invoice": "INV-2026-000001", "amount": "1.00"}]
    result = matching.score(labels, wrong)
    assert result.rows["unknown"].proposed == 1
    assert result.rows["unknown"].correct == 0
    assert result.total.precision < 1.0
    assert result.total.recall == 1.0
    assert not matching.passed(matching.score(labels, []))


def match_json(ledger: Path, receipts_file: Path) -> list[dict[str, object]]:
    result = invoke("match", ledger, receipts_file, "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert isinstance(answer, list)
    return answer


@pytest.fixture(scope="module")
def answer(small: Small) -> list[dict[str, object]]:
    """`bean-ar match --format json` on the labelled receipts, run once for the module."""
    ledger, receipts_file, _ = small
    return match_json(ledger, receipts_file)


def test_match_meets_the_targets_on_the_labelled_receipts(
        small: Small, answer: list[dict[str, object]]) -> None:
    _, _, labels = small
    result = matching.score(labels, answer)
    assert result.total.precision >= matching.PRECISION, result.problems
    assert result.total.recall >= matching.RECALL, result.problems


def test_unknown_payers_get_no_link_and_no_customer(
        small: Small, answer: list[dict[str, object]]) -> None:
    _, _, labels = small
    by_line = {p["line"]: p for p in answer}
    strangers = [label["line"] for label in labels
                 if label["kind"] in ("unknown", "legal-form-clash", "other-form")]
    assert strangers
    for line in strangers:
        assert by_line[line]["invoices"] == [], by_line[line]
        assert by_line[line]["customer"] is None, by_line[line]


def test_apply_rewrites_the_receipts_copy_only(small: Small, tmp_path: Path) -> None:
    ledger, receipts_file, labels = small
    copy = tmp_path / "receipts.beancount"
    shutil.copyfile(receipts_file, copy)
    before = ledger.read_bytes()
    result = invoke("match", ledger, copy, "--apply", "--no-cache")
    assert result.exit_code == 0, result.output
    assert ledger.read_bytes() == before
    assert copy.read_bytes() != receipts_file.read_bytes()
    original = receipts_file.read_text(encoding="utf-8")
    after = copy.read_text(encoding="utf-8")
    for label in labels:
        if label["kind"] in ("unknown", "legal-form-clash", "other-form"):
            block = block_at(original, int(str(label["line"])))
            assert f"\n{block}\n" in after, block


def block_at(text: str, line: int) -> str:
    """The entry that starts on 1-based `line`, up to the blank line after it."""
    return "\n".join(itertools.takewhile(bool, text.splitlines()[line - 1:]))


def test_bank_lines_that_are_no_receipts_are_not_taken_for_receipts(
        small: Small, answer: list[dict[str, object]]) -> None:
    _, receipts_file, _ = small
    labels = json.loads((receipts_file.parent / "labels.json").read_text(encoding="utf-8"))
    assert labels["not_receipts"]
    lines = {p["line"] for p in answer}
    assert lines.isdisjoint(labels["not_receipts"])


def test_the_ledger_opens_with_generate_py_s_ledger_unchanged(small: Small) -> None:
    ledger, _, _ = small
    text, _ = generate.generate(1000, 7)
    assert ledger.read_text(encoding="utf-8").startswith(text)
