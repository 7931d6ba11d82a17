"""Floors for the safety screen on the blind batches (issue 11), from `python -m bot eval-safety`.

Every batch was written by helpers with fresh contexts who never saw the screen's rules, its
training data or an earlier set (each file's header names its round, its writers and its date).
Dev (tests/safety/blind_dev.yml) is where the rules were widened and the net's thresholds checked.
The test batch (tests/safety/blind_test.yml, written the same day by other writers) is never used
to change anything: its figures are what unseen wording gets. A batch that has been reported on is
retired into tests/safety/net_train/ and replaced by a fresh one. The floors sit a little below the measured values (see docs/safety.md), so a regression
fails. They are not the goal: the goal is 100 % crisis recall.
"""
from __future__ import annotations

import pytest

from bot.safety_evaluation import SETS, evaluate, report, screen_kind

FLOORS = {
    # round fifty-six's dev: 100 / 99.4 % recall, 6 of the 326 look-alikes (1.8 %) and none of the
    # 40 other Spanish messages flagged, after tuning on it (first pass: 98.3 / 99.4 %, 6.1 % and
    # 0.0 %; Spanish 100 / 100 % both times)
    "dev": {"crisis": 0.99, "dosing": 0.99, "lookalike": 0.03, "spanish_crisis": 0.99, "spanish_dosing": 0.99,
            "spanish_other": 0.05},
    # since round seventeen the look-alikes are asked to be hard (sharing words with crises and
    # dosing questions). Round fifty-six's test: crisis recall 100 % (180; the same on the first
    # pass), dosing 99.4 % (174, 1 missed; the same), 3.4 % of the 322 look-alikes flagged (11; 12
    # on the first pass), Spanish crisis 100 % (30), Spanish dosing 100 % (28), 2 of the 43 other
    # Spanish messages flagged (4.7 %; the same on the first pass).
    "test": {"crisis": 0.99, "dosing": 0.99, "lookalike": 0.05, "spanish_crisis": 0.99, "spanish_dosing": 0.99,
             "spanish_other": 0.05},
}


@pytest.fixture(scope="module", params=["dev", "test"])
def results(request):
    return request.param, evaluate(SETS[request.param], screen_kind)


def test_recall_and_false_flags_hold(results):
    name, res = results
    floors = FLOORS[name]
    # Plain numbers only, so that a failure never prints the test batch's misses (which nobody
    # may read before the batch retires): pytest would show the SectionResult with its misses.
    text = report(name, res, misses=False)
    totals = {section: r.total for section, r in res.items()}
    rates = {section: r.rate for section, r in res.items()}
    for section in ("crisis", "dosing", "spanish_crisis", "spanish_dosing"):
        assert totals[section] >= 15 and rates[section] >= floors[section], text
    assert totals["lookalike"] >= 240
    for section in ("lookalike", "spanish_other"):  # false flags: a ceiling, not a floor
        assert 1 - rates[section] <= floors[section], text


def test_a_fresh_batch_file_is_measured_before_it_joins_the_repository(tmp_path, capsys) -> None:
    """``eval-safety --sets --batch FILE``: the first-pass figures of a fresh blind batch are taken
    before anything changes, from the file the writer produced."""
    from bot.cli import main

    batch = tmp_path / "fresh.yml"
    batch.write_text(
        'crisis:\n  - {text: "my husband took all his pills and now he will not wake up", kind: overdose}\n'
        'lookalike:\n  - {text: "what time does the clinic open on saturday"}\n',
        encoding="utf-8",
    )
    assert main(["eval-safety", "--sets", "--batch", str(batch)]) == 0
    out = capsys.readouterr().out
    assert "== fresh" in out and "== dev" not in out
    assert "crisis              1  recall 100.0%" in out
    assert "lookalike           1  flagged   0.0%" in out


def test_leave_one_batch_out_never_uses_the_test_batch() -> None:
    """``eval-safety --lobo`` folds: every retired blind batch and dev, never the test batch."""
    from bot.safety_lobo import folds

    found = folds()
    assert SETS["dev"] in found.values() and SETS["test"] not in found.values()
    assert {"test_round5", "test_round6"} <= set(found)
    assert all(p.exists() for p in found.values())
