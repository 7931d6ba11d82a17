"""What the SafetyPolicy plans for a turn (pure logic on tracker events, no model, no server)."""
from __future__ import annotations

from typing import Any

from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered

from bot.build import safety_responses
from bot.components.safety_policy import (
    GENERAL_CRISIS,
    choose_followup,
    crisis_context,
    next_in_plan,
    next_safety_action,
    plan_turn,
)

RESPONSES = set(safety_responses())


def user(text: str, intent: str, category: str = "", lang: str = "en") -> UserUttered:
    parse: dict[str, Any] = {"intent": {"name": intent, "confidence": 1.0}}
    if category or lang != "en":
        parse["safety"] = {"kind": "crisis" if intent == "crisis" else "none", "category": category, "rule": "x", "lang": lang}
    return UserUttered(text, {"name": intent, "confidence": 1.0}, parse_data=parse)


def plan(intent: str, events: list, text: str = "", category: str = "", lang: str = "en", loop: str | None = None):
    record = {"category": category, "lang": lang, "kind": "crisis" if intent == "crisis" else "none"} if (category or lang != "en") else {}
    return plan_turn(intent, record, text, crisis_context(events), loop, RESPONSES)


def test_each_crisis_kind_gets_its_own_reply_and_then_listens() -> None:
    for category, first in [
        ("overdose", "utter_crisis_overdose"),
        ("suicide", "utter_crisis_suicide"),
        ("self_harm", "utter_crisis_suicide"),
        ("extra_dose", "utter_crisis_extra_dose"),
        ("red_flag", "utter_crisis_red_flag"),
    ]:
        seq, then = plan("crisis", [user("x", "crisis", category)], category=category)
        assert seq[0] == first and then == "action_listen"
    seq, then = plan("crisis", [user("x", "crisis", "unsure")], category="unsure")
    assert seq == GENERAL_CRISIS
    seq, _ = plan("crisis", [user("x", "crisis", "overdose", "es")], category="overdose", lang="es")
    assert seq[0] == "utter_crisis_es_overdose"


def test_a_crisis_inside_a_form_does_not_resume_the_form() -> None:
    seq, then = plan("crisis", [user("x", "crisis", "suicide")], category="suicide", loop="screening_form")
    assert then == "action_listen"
    # past harm is no emergency now: the questionnaire may go on
    seq, then = plan("crisis", [user("x", "crisis", "past_harm")], category="past_harm", loop="screening_form")
    assert seq == ["utter_crisis_past_harm"] and then == "screening_form"


def crisis_then(*later: UserUttered, category: str = "overdose") -> list:
    return [SessionStarted(), user("he took pills and wont wake", "crisis", category),
            ActionExecuted("utter_crisis_overdose"), *later]


def test_crisis_mode_follow_ups_by_what_the_person_says() -> None:
    cases = {
        "i don't have narcan": "utter_crisis_followup_no_naloxone",
        "ok he is breathing now": "utter_crisis_followup_better",
        "i'm so scared": "utter_crisis_followup_scared",
        "what do i do": "utter_crisis_followup_overdose",
    }
    for text, expected in cases.items():
        events = crisis_then(user(text, "nlu_fallback"))
        seq, then = plan("nlu_fallback", events, text=text)
        assert seq == [expected] and then == "action_listen", text


def test_crisis_mode_keeps_the_numbers_even_for_a_dosing_message() -> None:
    events = crisis_then(user("how much narcan do i give him", "ask_dosing"))
    seq, then = plan("ask_dosing", events, text="how much narcan do i give him")
    assert seq[0].startswith("utter_crisis_followup") and then == "action_listen"


def test_crisis_mode_in_a_form_adds_the_way_back_and_resumes_only_when_asked() -> None:
    events = crisis_then(user("what now", "nlu_fallback"))
    seq, then = plan("nlu_fallback", events, text="what now", loop="callback_form")
    assert seq[-1] == "utter_resume_hint_callback_form" and then == "action_listen"
    events = crisis_then(user("what now", "nlu_fallback"), user("/request_callback", "request_callback"))
    seq, then = plan("request_callback", events, loop="callback_form")
    assert seq == ["utter_resume_form"] and then == "callback_form"
    # even many turns later, a form never resumes by itself
    many = [user(f"msg {i}", "nlu_fallback") for i in range(8)]
    seq, then = plan("affirm", crisis_then(*many, user("yes", "affirm")), text="yes", loop="screening_form")
    assert then == "action_listen"


def test_crisis_mode_ends_when_the_person_moves_on() -> None:
    events = crisis_then(user("/help", "help"), user("what is oih", "faq_what_is_oih"))
    assert plan("faq_what_is_oih", events, text="what is oih") is None
    many = [user(f"msg {i}", "nlu_fallback") for i in range(4)]
    events = crisis_then(*many, user("what is oih", "faq_what_is_oih"))
    assert plan("faq_what_is_oih", events, text="what is oih") is None  # free chat: after 4 turns
    events = crisis_then(user("/help", "help"))
    assert plan("help", events, text="/help") is None  # the "I am safe now" button
    # but "help" typed in an emergency is not a way out of crisis mode
    events = crisis_then(user("what do i do", "help"))
    seq, _ = plan("help", events, text="what do i do")
    assert seq == ["utter_crisis_followup_overdose"]


def test_hello_right_after_a_crisis_stays_with_the_emergency() -> None:
    """"hello??" reads as `greet`: not a request to move on."""
    planned = plan("greet", crisis_then(user("hello??", "greet")), text="hello??")
    assert planned is not None and planned[0][0].startswith("utter_crisis_followup"), planned


def test_past_harm_starts_no_crisis_mode() -> None:
    events = [SessionStarted(), user("i attempted years ago, fine now", "crisis", "past_harm"),
              ActionExecuted("utter_crisis_past_harm"), user("what is oih", "faq_what_is_oih")]
    assert plan("faq_what_is_oih", events, text="what is oih") is None


def test_spanish_crisis_mode_answers_in_spanish() -> None:
    events = [SessionStarted(), user("mi esposo no despierta", "crisis", "overdose", "es"),
              ActionExecuted("utter_crisis_es_overdose"), user("no tengo narcan", "nlu_fallback")]
    seq, _ = plan("nlu_fallback", events, text="no tengo narcan")
    assert seq == ["utter_crisis_es_followup_no_naloxone"]


def test_dosing_and_language_notes() -> None:
    assert plan("ask_dosing", [user("x", "ask_dosing")]) == (["utter_dosing"], "action_listen")
    assert plan("ask_dosing", [user("x", "ask_dosing", lang="es")], lang="es") == (["utter_dosing_es"], "action_listen")
    assert plan("ask_dosing", [user("x", "ask_dosing")], loop="screening_form") == (["utter_dosing"], "screening_form")
    assert plan("greet", [user("hola", "greet", lang="es")], lang="es") == (["utter_language_es"], "action_listen")
    assert plan("greet", [user("bonjour", "greet", lang="other")], lang="other") == (["utter_language_other"], "action_listen")
    assert plan("greet", [user("hi", "greet")]) is None


def test_next_in_plan_steps_and_stops() -> None:
    seq = ["utter_crisis_overdose", "utter_crisis_overdose_more"]
    assert next_in_plan(seq, "action_listen", []) == "utter_crisis_overdose"
    assert next_in_plan(seq, "action_listen", seq[:1]) == "utter_crisis_overdose_more"
    assert next_in_plan(seq, "action_listen", seq) == "action_listen"
    assert next_in_plan(seq, "action_listen", seq + ["action_listen"]) is None
    assert next_in_plan(seq, "action_listen", ["action_something_else"]) is None
    assert next_safety_action("greet", [], None) is None
    assert next_safety_action("crisis", [], "screening_form") == "utter_crisis_emergency"


def test_followup_choice_falls_back_to_the_kind() -> None:
    assert choose_followup("please tell me what to do", "en", "suicide") == "suicide"
    assert choose_followup("no tengo naloxona", "es", "overdose") == "no_naloxone"


def test_in_crisis_mode_an_unsure_crisis_is_a_follow_up_and_a_rule_crisis_a_new_reply() -> None:
    events = crisis_then(user("he's breathing now", "crisis", "unsure"))
    seq, _ = plan("crisis", events, text="he's breathing now", category="unsure")
    assert seq == ["utter_crisis_followup_better"]
    events = crisis_then(user("i want to die", "crisis", "suicide"))
    seq, _ = plan("crisis", events, text="i want to die", category="suicide")
    assert seq[0] == "utter_crisis_suicide"
