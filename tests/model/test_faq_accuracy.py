"""Floors for how well the trained model answers phrasings it never saw (tests/heldout/).

The figures themselves come from `python -m bot eval`; these floors are set below the measured
values (94.0% top-1, 1.5% wrong answers when the floor was set) so that a real regression fails.
"""
from __future__ import annotations

import asyncio

import pytest

from bot.evaluation import evaluate, load_heldout, report
from bot.paths import ROOT
from bot.training import model_path

TOP1_FLOOR = 0.92
WRONG_ANSWER_CEILING = 0.04


@pytest.fixture(scope="module")
def result():
    if not model_path().exists():
        pytest.fail("no trained model: run `make test` (it trains first)")
    return asyncio.run(evaluate(model_path(), load_heldout(ROOT / "tests/heldout/faq_heldout.yml")))


def test_heldout_top1_accuracy_floor(result):
    assert result.total >= 150
    assert result.top1 >= TOP1_FLOOR, report(result)


def test_confident_wrong_answers_are_rare(result):
    assert result.rate(result.answered_wrong) <= WRONG_ANSWER_CEILING, report(result)


def test_no_heldout_question_is_taken_for_a_crisis_or_dosing_question(result):
    assert result.flagged_by_safety == 0, report(result)
