"""bot/tracker_events.py reads rasa-sdk's dict events and Rasa's event objects alike."""
from __future__ import annotations

from collections import deque
from types import SimpleNamespace

import pytest

from bot import tracker_events as te

DICT_EVENTS = [
    {"event": "session_started"},
    {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}},
    {"event": "bot", "text": "Hello! Not medical advice."},
    {"event": "action", "name": "action_listen"},
    {"event": "user", "text": "what is oih", "parse_data": {"intent": {"name": "faq_what_is_oih"}}},
    {"event": "action", "name": "action_answer_faq"},
    {"event": "bot", "text": "OIH is ..."},
    {"event": "bot"},
]


def test_since_latest_user_dicts():
    tail = te.since_latest_user(DICT_EVENTS)
    assert tail == DICT_EVENTS[5:]
    assert te.since_latest_user([]) == []
    assert te.since_latest_user(DICT_EVENTS[:1]) == DICT_EVENTS[:1]  # no user message: everything
    assert te.since_latest(DICT_EVENTS, "session_started") == DICT_EVENTS[1:]


def test_texts_and_action_names():
    assert te.bot_texts(DICT_EVENTS) == ["Hello! Not medical advice.", "OIH is ...", ""]
    assert te.action_names(DICT_EVENTS) == ["action_listen", "action_answer_faq"]


def test_intent_name_and_latest():
    assert te.intent_name(DICT_EVENTS[4]["parse_data"]) == "faq_what_is_oih"
    assert te.intent_name(None) is None and te.intent_name({}) is None
    tracker = SimpleNamespace(latest_message={"text": "yes", "intent": {"name": "affirm"}})
    assert te.latest_intent(tracker) == "affirm" and te.latest_text(tracker) == "yes"
    empty = SimpleNamespace(latest_message=None)
    assert te.latest_intent(empty) is None and te.latest_text(empty) == ""


def test_rasa_event_objects():
    events_mod = pytest.importorskip("rasa.shared.core.events")
    user = events_mod.UserUttered("hi", {"name": "greet", "confidence": 1.0})
    events = deque([
        events_mod.SessionStarted(),
        user,
        events_mod.ActionExecuted("utter_greet"),
        events_mod.BotUttered("hello"),
    ])
    assert te.event_kind(user) == "user"
    assert te.since_latest_user(events) == list(events)[2:]
    assert te.action_names(events) == ["utter_greet"]
    assert te.bot_texts(events) == ["hello"]
    assert te.intent_name(user) == "greet"
    assert te.latest_intent(SimpleNamespace(latest_message=user)) == "greet"
    assert te.latest_text(SimpleNamespace(latest_message=user)) == "hi"
