"""The SafetyScreen graph component on Rasa Message objects, without a server.

What matters: when the screen fires, the message leaves NLU with the intent `crisis` or
`ask_dosing` at confidence 1.0, first in the ranking (the model's other guesses kept below it),
and a `safety` record naming the rule; when it does not fire, the message is untouched.
"""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.safety_screen import ORIGINAL_TEXT, SAFETY_KEY, SafetyScreen


@pytest.fixture(scope="module")
def component(tmp_path_factory: pytest.TempPathFactory) -> SafetyScreen:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("model_storage")))
    return SafetyScreen.create(
        SafetyScreen.get_default_config(),
        storage,
        Resource("safety_screen"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def classified(text: str, intent: str = "faq_what_is_oih", confidence: float = 0.83) -> Message:
    """A message as the ML classifiers leave it (intent + ranking), before the screen runs."""
    message = Message(data={TEXT: text})
    ranking = [
        {"name": intent, "confidence": confidence},
        {"name": "ask_dosing", "confidence": 0.1},
        {"name": "greet", "confidence": 0.07},
    ]
    message.set(INTENT, dict(ranking[0]), add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
    return message


def test_crisis_overrides_the_model(component: SafetyScreen) -> None:
    [message] = component.process([classified("my husband took his pills and now he won't wake up")])
    assert message.get(INTENT) == {"name": "crisis", "confidence": 1.0}
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0] == {"name": "crisis", "confidence": 1.0}
    assert [r["name"] for r in ranking[1:]] == ["faq_what_is_oih", "ask_dosing", "greet"]
    assert message.get(SAFETY_KEY)["kind"] == "crisis"
    assert message.get(SAFETY_KEY)["category"] == "overdose"
    assert message.get(SAFETY_KEY)["rule"]


def test_dosing_overrides_the_model_without_duplicating_the_intent(component: SafetyScreen) -> None:
    [message] = component.process([classified("can i double my oxy tonight")])
    assert message.get(INTENT) == {"name": "ask_dosing", "confidence": 1.0}
    names = [r["name"] for r in message.get(INTENT_RANKING_KEY)]
    assert names == ["ask_dosing", "faq_what_is_oih", "greet"]
    assert message.get(SAFETY_KEY) == {
        "kind": "dosing",
        "category": message.get(SAFETY_KEY)["category"],
        "rule": message.get(SAFETY_KEY)["rule"],
        "lang": "en",
    }


def test_output_properties_include_the_override(component: SafetyScreen) -> None:
    """What Rasa sends on (parse data, tracker) holds the new intent and the safety record."""
    [message] = component.process([classified("kms")])
    out = message.as_dict(only_output_properties=True)
    assert out[INTENT]["name"] == "crisis"
    assert out[INTENT_RANKING_KEY][0]["name"] == "crisis"
    assert out[SAFETY_KEY]["kind"] == "crisis"


def test_benign_message_is_untouched(component: SafetyScreen) -> None:
    before = classified("this pain is killing me, is it oih?")
    expected = copy.deepcopy(before.data)
    [after] = component.process([before])
    assert after.data == expected
    assert after.get(SAFETY_KEY) is None


def test_message_without_model_prediction(component: SafetyScreen) -> None:
    """Works wherever it sits in the pipeline, even before any classifier."""
    [message] = component.process([Message(data={TEXT: "how many percs can i take"})])
    assert message.get(INTENT)["name"] == "ask_dosing"
    assert message.get(INTENT_RANKING_KEY) == [{"name": "ask_dosing", "confidence": 1.0}]


def test_patients_own_words_are_screened_too(component: SafetyScreen) -> None:
    """If a normalizer changed the text, the original (kept under original_text) still counts."""
    message = classified("what is oih")
    message.set(ORIGINAL_TEXT, "what is oih and honestly i want to die")
    [message] = component.process([message])
    assert message.get(INTENT)["name"] == "crisis"


def test_crisis_wins_over_dosing_across_texts(component: SafetyScreen) -> None:
    message = classified("can i take 2 more percs")
    message.set(ORIGINAL_TEXT, "can i take 2 more percs, i want it all to end")
    [message] = component.process([message])
    assert message.get(INTENT)["name"] == "crisis"


@pytest.mark.parametrize("text", ["", "   ", "/request_callback", '/choose_topic{"topic": "tapering"}'])
def test_empty_text_and_button_payloads_pass(component: SafetyScreen, text: str) -> None:
    [message] = component.process([classified(text, intent="request_callback")])
    assert message.get(INTENT)["name"] == "request_callback"
    assert message.get(SAFETY_KEY) is None


def test_many_messages_in_one_call(component: SafetyScreen) -> None:
    texts = ["hi", "he is not breathing", "is 30mg of oxy a lot", "what is allodynia"]
    messages = component.process([classified(t) for t in texts])
    assert [m.get(INTENT)["name"] for m in messages] == ["faq_what_is_oih", "crisis", "ask_dosing", "faq_what_is_oih"]


def test_training_data_passes_unchanged(component: SafetyScreen) -> None:
    examples = [
        Message(data={TEXT: "i want to die", INTENT: "crisis"}),
        Message(data={TEXT: "what is oih", INTENT: "faq_what_is_oih"}),
    ]
    data = TrainingData(training_examples=examples)
    before = [copy.deepcopy(m.data) for m in data.training_examples]
    out = component.process_training_data(data)
    assert out is data
    assert [m.data for m in out.training_examples] == before


def test_registered_as_a_non_trainable_intent_classifier() -> None:
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    registered = DefaultV1Recipe._from_registry(SafetyScreen.__name__)
    assert registered.clazz is SafetyScreen
    assert DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER in registered.types
    assert registered.is_trainable is False


def test_a_spanish_message_without_risk_carries_its_language(component: SafetyScreen) -> None:
    message = classified("hola, que es la hiperalgesia inducida por opioides", intent="nlu_fallback")
    message.set(ORIGINAL_TEXT, "hola, que es la hiperalgesia inducida por opioides")
    [message] = component.process([message])
    assert message.get(SAFETY_KEY)["lang"] == "es" and message.get(SAFETY_KEY)["kind"] == "none"


def test_a_risky_message_the_model_is_unsure_about_gets_the_safe_intent(component: SafetyScreen) -> None:
    verdict = SafetyScreen.unsure_verdict_for(classified("pills pills pills tonight", intent="nlu_fallback"))
    assert verdict is None or verdict.kind in ("crisis", "dosing")
