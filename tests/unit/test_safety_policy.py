"""The order of safety replies the SafetyPolicy predicts (pure logic, no model)."""
from __future__ import annotations

from bot.components.safety_policy import next_safety_action


def test_crisis_reply_comes_first_then_support_then_listen():
    assert next_safety_action("crisis", [], None) == "utter_crisis_emergency"
    assert next_safety_action("crisis", ["utter_crisis_emergency"], None) == "utter_crisis_support"
    assert next_safety_action("crisis", ["utter_crisis_emergency", "utter_crisis_support"], None) == "action_listen"


def test_an_active_form_resumes_after_the_safety_reply():
    done = ["utter_crisis_emergency", "utter_crisis_support"]
    assert next_safety_action("crisis", done, "screening_form") == "screening_form"
    assert next_safety_action("ask_dosing", ["utter_dosing"], "screening_form") == "screening_form"


def test_policy_steps_aside_for_other_intents_and_after_its_turn():
    assert next_safety_action("greet", [], None) is None
    assert next_safety_action(None, [], None) is None
    done = ["utter_crisis_emergency", "utter_crisis_support", "screening_form"]
    assert next_safety_action("crisis", done, "screening_form") is None
    assert next_safety_action("crisis", ["action_something_else"], None) is None
