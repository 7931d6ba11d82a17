"""The questionnaire's and the callback request's validation actions, run directly on recorded
trackers (tests/unit/conftest.py): each case takes milliseconds, beside the same behaviours
through the real servers in tests/conversation/.

What each test pins is the outcome Rasa acts on: the slots set, the follow-up action, the
responses sent, and, for crisis, dosing and clinic-contact messages, that nothing is filled (Rasa
then rejects the form and the SafetyPolicy or a rule answers).
"""
from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.callback import ValidateCallbackForm
from actions.screening import ValidateScreeningForm

CRISIS = {"kind": "crisis", "category": "suicide", "rule": "unit", "lang": "en"}
DOSING = {"kind": "dosing", "category": "dosing", "rule": "unit", "lang": "en"}
REJECTED = [{"event": "action_execution_rejected", "name": "screening_form"}]


def run(action: Any, tracker: Any, domain: dict[str, Any]) -> tuple[dict[str, Any], list[str], list[str]]:
    """(slots set, follow-up actions, responses sent) of one run of ``action``."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    followups = [e["name"] for e in events if e["event"] == "followup"]
    return slots, followups, [m.get("response") for m in dispatcher.messages]


@pytest.fixture
def screening(tracker_at, domain):
    def reply(text: str, intent: str = "inform", **kw: Any):
        return run(ValidateScreeningForm(), tracker_at("screening_first_question", text, intent, **kw), domain)
    return reply


@pytest.fixture
def callback(tracker_at, domain):
    def reply(text: str, intent: str = "inform", step: str = "callback_contact_step", **kw: Any):
        return run(ValidateCallbackForm(), tracker_at(step, text, intent, **kw), domain)
    return reply


# ---------------------------------------------------------------- questionnaire


def test_an_answer_fills_the_question(screening):
    assert screening("yes", "affirm") == ({"long_term_use": "yes"}, [], [])
    assert screening("not sure", "inform")[0] == {"long_term_use": "unsure"}


@pytest.mark.parametrize("text", ["stop", "not in the mood for this now", "not now"])
def test_ways_out_end_the_questionnaire(screening, text):
    slots, followups, said = screening(text)
    assert slots == {"screening_stopped": True, "requested_slot": None}
    assert followups == ["action_screening_stopped"] and said == []


def test_forget_me_leaves_the_questionnaire_for_the_forget_me_question(screening):
    slots, followups, _ = screening("forget me", "forget_me")
    assert followups == ["action_forget_me_ask"]
    assert slots["requested_slot"] is None and slots["long_term_use"] is None
    assert slots["screening_stopped"] is None


def test_skip_and_why(screening):
    assert screening("skip")[0] == {"long_term_use": "skipped"}
    slots, _, said = screening("why?")
    assert slots == {"long_term_use": None} and said == ["utter_screening_why_long_term_use"]


@pytest.mark.parametrize("text, intent, safety", [
    ("I want to end it all", "crisis", CRISIS),
    ("yes I want to die", "crisis", CRISIS),  # parses as "yes": the screen still wins
    ("yes", "crisis", CRISIS),
    ("how many more pills can I take tonight", "ask_dosing", DOSING),
    ("how many more pills can I take tonight", "ask_dosing", None),
    ("can I talk to someone at the clinic", "talk_to_clinician", None),
    ("can you call me back", "request_callback", None),
])
def test_crisis_dosing_and_clinic_messages_are_left_unfilled(screening, text, intent, safety):
    assert screening(text, intent, safety=safety) == ({}, [], [])


def test_a_short_exact_reply_the_model_alone_mislabelled_is_an_answer(screening):
    # "skip" once came out as ask_dosing (0.59): without the screen's verdict it is a reply.
    assert screening("skip", "ask_dosing", confidence=0.59)[0] == {"long_term_use": "skipped"}
    assert screening("yes", "crisis", confidence=0.5)[0] == {"long_term_use": "yes"}


def test_a_faq_question_is_answered_inside_the_form(screening):
    slots, followups, said = screening("what is oih?", "faq_what_is_oih")
    assert slots["long_term_use"] is None and slots["last_topic"] == "what_is_oih"
    assert followups == [] and said == ["utter_faq_answer", "utter_faq_sources_disclaimer", "utter_screening_back"]


def test_an_unclear_reply_asks_again(screening):
    assert screening("purple elephants", "nlu_fallback", confidence=0.2) == (
        {"long_term_use": None}, [], ["utter_screening_reask"],
    )


def test_the_form_running_again_after_a_rule_reads_nothing(tracker_at, domain):
    tracker = tracker_at("screening_first_question", "yes", "affirm", after=REJECTED + [{"event": "bot", "text": "x"}])
    assert run(ValidateScreeningForm(), tracker, domain) == ({}, [], [])


# ---------------------------------------------------------------- callback request


def test_a_phone_number_fills_the_contact(callback):
    slots, _, said = callback("212 555 0147")
    assert list(slots) == ["callback_contact"] and slots["callback_contact"] and said == []


def test_a_correction_fixes_the_name_given_just_before(callback):
    slots, _, said = callback("sorry, it's Anne")
    assert slots == {"callback_name": "Anne", "callback_contact": None}
    assert said == ["utter_callback_changed"]


def test_a_bad_contact_is_explained(callback):
    assert callback("ann@") == ({"callback_contact": None}, [], ["utter_callback_contact_bad_email"])


@pytest.mark.parametrize("text", ["stop", "never mind", "I don't want to give my number"])
def test_ways_out_end_the_callback_request(callback, text):
    assert callback(text) == ({"callback_contact": None, "requested_slot": None}, [], [])


def test_forget_me_inside_the_callback_request(callback):
    slots, followups, _ = callback("delete my data")
    assert followups == ["action_forget_me_ask"] and slots["requested_slot"] is None
    assert all(slots[s] is None for s in ("callback_consent", "callback_name", "callback_contact"))


@pytest.mark.parametrize("text, intent, safety", [
    ("I took all my pills", "crisis", CRISIS),
    ("can I double my dose", "ask_dosing", None),
    ("I want to talk to the clinic", "talk_to_clinician", None),
])
def test_callback_leaves_crisis_dosing_and_clinic_messages_unfilled(callback, text, intent, safety):
    assert callback(text, intent, safety=safety) == ({}, [], [])


def test_callback_answers_a_faq_question_and_asks_again(callback):
    slots, _, said = callback("what is oih?", "faq_what_is_oih")
    assert slots["callback_contact"] is None and said[-1] == "utter_callback_back"


def test_confirmation_yes_no_and_change(callback):
    step = "callback_confirm_step"
    assert callback("yes", "affirm", step=step)[0] == {"callback_confirm": True}
    assert callback("no", "deny", step=step)[0] == {"callback_confirm": False, "requested_slot": None}
    slots, _, said = callback("change the time to afternoons", step=step)
    assert slots == {"callback_time": "afternoons", "callback_confirm": None}
    assert said == ["utter_callback_changed"]
    assert callback("change the phone", step=step)[0] == {"callback_contact": None, "callback_confirm": None}


# ---------------------------------------------------------------- the base itself


def test_both_forms_extend_the_sdk_instead_of_replacing_run():
    from rasa_sdk.forms import FormValidationAction

    from actions.form_base import InterruptibleFormValidationAction

    for form in (ValidateScreeningForm, ValidateCallbackForm):
        assert issubclass(form, InterruptibleFormValidationAction)
        assert form.run is FormValidationAction.run  # rasa-sdk's template method, not ours
    assert InterruptibleFormValidationAction.run is FormValidationAction.run


def test_the_base_is_not_registered_as_an_action():
    """rasa-sdk's executor registers every non-abstract Action subclass; the base is abstract."""
    import inspect

    from rasa_sdk.executor import ActionExecutor

    from actions.form_base import InterruptibleFormValidationAction

    executor = ActionExecutor()
    executor.register_package("actions")  # would raise TypeError instantiating an abstract class
    assert {"validate_screening_form", "validate_callback_form"} <= set(executor.actions)
    assert inspect.isabstract(InterruptibleFormValidationAction)
    owners = {getattr(run, "__self__", None).__class__ for run in executor.actions.values()}
    assert InterruptibleFormValidationAction not in owners


def test_every_question_has_its_sdk_validator():
    from bot.screening import cached_screening

    for qid in cached_screening().ids:
        assert callable(getattr(ValidateScreeningForm(), f"validate_{qid}"))
