"""Rasa graph component: the deterministic safety screen (bot/safety/) on every message.

Why a component and not only an action: NLU runs on every message on every channel, inside forms
too, before any policy. Placed after the intent classifiers, it lets the ML models predict first
and then overrides their intent with ``crisis`` or ``ask_dosing`` (confidence 1.0, first in the
ranking) whenever the rules in knowledge/safety.yml fire. Rules in data/rules make those two
intents outrank everything, including an active form. The trained models are the second net for
phrasings the rules miss; they never get the last word on a message the rules caught.

It writes intent and ranking the way Rasa's own classifiers do (``message.set(...,
add_to_output=True)``), plus ``{"kind", "category", "rule", "lang"}`` under ``"safety"`` so that
the SafetyPolicy can pick the reply of the crisis's kind and language, and actions, logs and tests
can see which rule fired. A message in another language with no risk gets the record too (kind
``none``), so that the policy can answer with a note in that language.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.text_normalizer import ORIGINAL_TEXT  # the patient's own words, if repaired
from bot.safety import NO_VERDICT, Verdict, load_config, screen

#: Message key under which the verdict is recorded (also in the parse output and the tracker).
SAFETY_KEY = "safety"
#: Intent names the domain and rules use for the two kinds of verdict.
INTENT_FOR = {"crisis": "crisis", "dosing": "ask_dosing"}
_RANK = {"crisis": 2, "dosing": 1, "none": 0}
# a button payload ("/request_callback", '/choose{"x": 1}') carries its intent already
_PAYLOAD = re.compile(r"^/[A-Za-z_][\w.-]*(?:\{.*\}|@[\d.]+)?\s*$", re.DOTALL)


def _worst(verdicts: List[Verdict]) -> Verdict:
    """Crisis outranks dosing outranks none (first one wins a tie, so the language of the
    patient's own words is kept when nothing fired)."""
    best = verdicts[0] if verdicts else NO_VERDICT
    for verdict in verdicts:
        if _RANK[verdict.kind] > _RANK[best.kind]:
            best = verdict
    return best


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class SafetyScreen(GraphComponent, IntentClassifier):
    """Overrides the predicted intent with ``crisis`` / ``ask_dosing`` when the screen fires."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """No options: the policy is knowledge/safety.yml, on purpose not a pipeline setting."""
        return {}

    def __init__(self, config: Optional[Dict[Text, Any]] = None) -> None:
        self.component_config = {**self.get_default_config(), **(config or {})}
        # Compile the rules now (and load the spaCy lemma table, the language detector and the
        # learned net), so that a YAML error stops the server at start-up and the first patient
        # does not wait for the loading.
        load_config()
        screen("warm up: is it ok to take two pills?")
        screen("hola, necesito ayuda con mi medicina por favor")

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyScreen:
        """Creates the component (nothing to train, nothing to persist)."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes unchanged: the screen is not trained, and ``crisis`` and
        ``ask_dosing`` examples in data/nlu are labelled already."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Screen each message; on a hit, set intent, ranking and the ``safety`` record."""
        for message in messages:
            verdict = self.verdict_for(message)
            if not verdict.fired:
                self._drop_unbacked_risk_guess(message, verdict)
            if not verdict.fired and verdict.lang in ("en", "es") and self._model_unsure(message):
                verdict = self.unsure_verdict_for(message) or verdict
            if verdict.fired:
                self._override(message, verdict)
            elif verdict.lang != "en":
                # no risk, but not English: the SafetyPolicy answers with a note in that language
                message.set(SAFETY_KEY, verdict.as_dict(), add_to_output=True)
        return messages

    @staticmethod
    def verdict_for(message: Message) -> Verdict:
        """Screen what the patient typed and, if a normalizer repaired it, the repaired text too.

        Both are screened because either may be the one a rule recognises; crisis wins.
        """
        texts: List[str] = []
        for key in (ORIGINAL_TEXT, TEXT):
            value = message.get(key)
            if isinstance(value, str) and value.strip() and value not in texts:
                texts.append(value)
        texts = [t for t in texts if not _PAYLOAD.match(t.strip())]
        return _worst([screen(t) for t in texts])

    @staticmethod
    def _model_unsure(message: Message) -> bool:
        """The FAQ model is unsure: the message would get "Did you mean ..." (or nothing)."""
        intent = message.get(INTENT) or {}
        return intent.get(INTENT_NAME_KEY) in (None, "nlu_fallback")

    @staticmethod
    def unsure_verdict_for(message: Message) -> Optional[Verdict]:
        """A risky message the FAQ model is unsure about gets the safe reply, never a list."""
        from bot.safety.net import unsure_verdict

        text = message.get(ORIGINAL_TEXT) or message.get(TEXT)
        if not isinstance(text, str) or not text.strip() or _PAYLOAD.match(text.strip()):
            return None
        try:
            return unsure_verdict(text)
        except Exception:  # noqa: BLE001 - the second net failing leaves the first in place
            return None

    @staticmethod
    def _drop_unbacked_risk_guess(message: Message, verdict: Verdict) -> None:
        """The FAQ model guessed ``crisis`` or ``ask_dosing`` where the screen found nothing:
        keep the guess only when the learned net backs it (``confirms``) and the rules did not
        exempt the message; otherwise the message is unsure (``nlu_fallback``, with the model's
        other guesses as choices). Why: the FAQ model's two risk intents flag look-alikes
        ("suicide prevention week", "what are pinpoint pupils"), and an unneeded emergency reply
        also harms: people learn to ignore it."""
        intent = message.get(INTENT) or {}
        name = intent.get(INTENT_NAME_KEY)
        kind = {v: k for k, v in INTENT_FOR.items()}.get(name)
        if kind is None:
            return
        text = message.get(ORIGINAL_TEXT) or message.get(TEXT)
        if verdict.category != "exempted" and isinstance(text, str):
            try:
                from bot.safety.net import confirms

                if confirms(text, kind):
                    return
            except Exception:  # noqa: BLE001 - no net: keep the model's guess (the safe side)
                return
        ranking = [
            dict(item) for item in (message.get(INTENT_RANKING_KEY) or [])
            if isinstance(item, dict) and item.get(INTENT_NAME_KEY) not in INTENT_FOR.values()
        ]
        message.set(INTENT, {INTENT_NAME_KEY: "nlu_fallback", PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    @staticmethod
    def _override(message: Message, verdict: Verdict) -> None:
        intent = {
            INTENT_NAME_KEY: INTENT_FOR[verdict.kind],
            PREDICTED_CONFIDENCE_KEY: 1.0,
        }
        ranking = [
            dict(item)
            for item in (message.get(INTENT_RANKING_KEY) or [])
            if isinstance(item, dict) and item.get(INTENT_NAME_KEY) != intent[INTENT_NAME_KEY]
        ]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)
        message.set(SAFETY_KEY, verdict.as_dict(), add_to_output=True)
