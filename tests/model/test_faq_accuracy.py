"""Floors for how well the trained model understands wording it never saw (issue 10).

The figures come from `python -m bot eval` (the same functions, the same trained model, the whole
NLU pipeline including the safety screen). Dev = tests/heldout + tests/eval/dev_blind.yml (tuned
on); test = tests/eval/test_blind.yml (reported only). The floors sit a little below the measured
values, so a real regression fails and noise does not.
"""
from __future__ import annotations

import time

import pytest

from bot.evaluation import evaluate_model, report
from bot.training import model_path
from bot.understanding.data import dev_set, test_set

# measured when the floors were set: see the closing note of issue 10 and `python -m bot eval`
FLOORS = {
    "dev": {"right": 0.94, "wrong": 0.015, "clarified": 0.05, "safety": 0.04, "non_faq": 0.70},
    "test": {"right": 0.93, "wrong": 0.015, "clarified": 0.05, "safety": 0.05, "non_faq": 0.70},
}


@pytest.fixture(scope="module", params=["dev", "test"])
def result(request):
    if not model_path().exists():
        pytest.fail("no trained model: run `make test` (it trains first)")
    items = dev_set() if request.param == "dev" else test_set()
    return evaluate_model(str(model_path()), items, request.param)


def test_clear_questions_are_answered_directly_and_right(result):
    assert result.faq >= 290
    assert result.rate(result.right) >= FLOORS[result.name]["right"], report(result, True)


def test_wrong_answers_are_rare(result):
    assert result.rate(result.wrong) <= FLOORS[result.name]["wrong"], report(result, True)


def test_clear_questions_rarely_get_a_safety_reply_instead(result):
    assert result.rate(result.safety_reply) <= FLOORS[result.name]["safety"], report(result, True)


def test_few_clarifications(result):
    clarified = result.clarified + result.not_understood
    assert result.rate(clarified) <= FLOORS[result.name]["clarified"], report(result, True)


def test_clinic_admin_small_talk_and_questionnaire_requests_are_recognised(result):
    assert result.non_faq >= 50
    assert result.rate(result.non_faq_right, result.non_faq) >= FLOORS[result.name]["non_faq"], report(result, True)


def test_staff_search_finds_the_topic_staff_ask_about():
    """Issue 10, point 7: the staff-voice phrasings of the blind test batch, right topic first."""
    from bot.retrieval import search

    staff = [i for i in test_set() if i.voice == "staff" and i.is_faq]
    started = time.monotonic()
    first = [search(i.text, limit=1) for i in staff]
    per_search = (time.monotonic() - started) / len(staff)
    right = sum(bool(h) and "faq_" + h[0].topic in i.intents for h, i in zip(first, staff))
    assert len(staff) >= 30
    assert right / len(staff) >= 0.9, f"{right}/{len(staff)}"
    assert per_search < 1.0  # generous: measured in milliseconds once loaded


def test_symbols_and_random_letters_get_no_confident_answer():
    """Issue 12, point 3: garbage is never answered with a topic and its source."""
    import asyncio

    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path()))
    for text in ["$" * 300, "asdkjh qwpoeiru zxcmnb", "!!!???", "(((((((((", "🙂🙂🙂", "lorem ipsum dolor sit amet"]:
        parsed = asyncio.run(agent.parse_message(text))
        assert not parsed["intent"]["name"].startswith("faq_"), (text, parsed["intent"])
