"""Rasa graph component: repairs misspelt medical words (bot/textnorm.py) before tokenising.

It must stay the first component of the pipeline: it also collapses symbol runs
(bot/input_limits.py), which spaCy's tokenizer takes quadratic time on.

It runs on training data too, so the model learns from the same repaired text it will see.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.input_limits import collapse_runs
from bot.textnorm import normalise

ORIGINAL_TEXT = "original_text"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class TextNormalizer(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TextNormalizer":
        return cls()

    def _fix(self, message: Message) -> None:
        text = message.get(TEXT)
        if not text:
            return
        # First of all, before any tokenizer: symbol runs made harmless (bot/input_limits.py). Also
        # for Rasa's HTTP API (/model/parse), which does not pass through our channels.
        collapsed = collapse_runs(text)
        if collapsed != text:
            message.set(TEXT, collapsed)
            text = collapsed
        if text.startswith("/"):
            return  # a button payload such as /choose_topic{...}
        fixed = normalise(text)
        if fixed != text:
            message.set(ORIGINAL_TEXT, text, add_to_output=False)
            message.set(TEXT, fixed)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._fix(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._fix(message)
        return messages
