"""The other form actions (start, ask, result, submit-free endings), run directly on recorded
trackers (tests/unit/conftest.py), without servers."""
from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.callback import ActionAskCallbackConfirm, ActionCallbackStart
from actions.screening import ASK_ACTIONS, ActionScreeningResult, ActionScreeningStart


def run(action: Any, tracker: Any, domain: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    return asyncio.run(action.run(dispatcher, tracker, domain)), dispatcher.messages


def test_the_result_is_said_in_three_messages_and_the_answers_are_forgotten(tracker_at, domain):
    events, messages = run(ActionScreeningResult(), tracker_at("screening_all_answered"), domain)
    assert [m["response"] for m in messages] == [
        "utter_screening_findings", "utter_screening_next_steps", "utter_screening_offer",
    ]
    assert messages[0]["findings"] and messages[-1]["summary"]
    assert all(e["event"] == "slot" and e["value"] is None for e in events)
    assert {e["name"] for e in events} >= {"long_term_use", "sleep_trouble", "screening_stopped"}


def test_starting_the_questionnaire_clears_old_answers(tracker_at, domain):
    events, messages = run(ActionScreeningStart(), tracker_at("screening_all_answered"), domain)
    assert [m["response"] for m in messages] == ["utter_screening_intro"]
    assert {e["name"]: e["value"] for e in events}["long_term_use"] is None


def test_a_question_is_asked_again_with_the_way_back_after_an_interruption(tracker_at, domain):
    ask = ASK_ACTIONS["long_term_use"]()
    _, plain = run(ask, tracker_at("screening_first_question", "what", "inform"), domain)
    assert [m["response"] for m in plain] == ["utter_screening_question_long_term_use"]
    rejected = [{"event": "action_execution_rejected", "name": "screening_form"}]
    _, back = run(ask, tracker_at("screening_first_question", "call me", "talk_to_clinician", after=rejected), domain)
    assert [m["response"] for m in back] == ["utter_screening_back", "utter_screening_question_long_term_use"]
    _, crisis = run(ask, tracker_at("screening_first_question", "help", "crisis", after=rejected), domain)
    assert [m["response"] for m in crisis][0] == "utter_form_after_crisis"


def test_the_confirmation_asks_which_detail_for_a_vague_change(tracker_at, domain):
    _, messages = run(ActionAskCallbackConfirm(), tracker_at("callback_confirm_step", "I want to change something"), domain)
    assert [m["response"] for m in messages] == ["utter_callback_which_detail"]
    _, summary = run(ActionAskCallbackConfirm(), tracker_at("callback_confirm_step", "hmm"), domain)
    assert summary[0]["response"] == "utter_callback_confirm" and summary[0]["name"] == "Ann Lee"


def test_a_callback_request_that_ends_the_questionnaire_says_so(tracker_at, domain):
    ended = [{"event": "action", "name": "action_deactivate_loop"}]
    events, messages = run(
        ActionCallbackStart(), tracker_at("screening_first_question", "/request_callback", "request_callback", after=ended), domain,
    )
    assert [m["response"] for m in messages] == ["utter_callback_screening_ended"]
    names = {e["name"] for e in events}
    assert {"long_term_use", "callback_consent", "requested_slot"} <= names
