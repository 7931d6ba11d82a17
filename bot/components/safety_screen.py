"""Rasa graph component: the deterministic safety screen (bot/safety.py) on every message.

It runs last in the NLU pipeline, so whatever the models predicted, a message the screen flags
leaves NLU as ``crisis`` or ``ask_dosing`` with full confidence; rules then answer it first, even
inside a form.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.safety import screen

INTENT_FOR = {"crisis": "crisis", "dosing": "ask_dosing"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyScreen(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafetyScreen":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get("original_text") or message.get(TEXT) or ""
            verdict = screen(text)
            if verdict.kind not in INTENT_FOR:
                continue
            intent = {"name": INTENT_FOR[verdict.kind], "confidence": 1.0}
            others = [i for i in message.get(INTENT_RANKING_KEY) or [] if i.get("name") != intent["name"]]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent, *others], add_to_output=True)
            message.set("safety", {"kind": verdict.kind, "category": verdict.category, "rule": verdict.rule}, add_to_output=True)
        return messages
