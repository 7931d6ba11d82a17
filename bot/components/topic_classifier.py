"""Rasa graph component: the understanding model (bot/understanding/) as the intent classifier.

It replaces DIET and the FallbackClassifier. Both opinions (a linear classifier and a retriever
over the knowledge base) are trained here from Rasa's own training data, and the decision rule
sets the intent: the agreed intent, or ``nlu_fallback`` with the topics to offer under
``clarify_choices`` (bot/answers.py reads them), or ``nlu_fallback`` without choices when neither
opinion has a real guess. The thresholds are this component's config in config.yml, chosen on the
dev set with ``python -m bot eval --tune``.
"""
from __future__ import annotations

import pickle
from dataclasses import fields
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.answers import CHOICES_KEY
from bot.knowledge import cached_knowledge
from bot.paths import KNOWLEDGE_DIR
from bot.rasa_seams import CodeFingerprint
from bot.understanding.decision import FAQ_PREFIX, Thresholds, decide
from bot.understanding.model import MODEL_FILE, Understanding

UNDERSTANDING_DIR = Path(__file__).resolve().parents[1] / "understanding"
RANKING_LENGTH = 10
#: Parse-result key with both opinions' best guess (labels and scores only, never text).
OPINIONS_KEY = "opinions"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicClassifier(CodeFingerprint, GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {f.name: f.default for f in fields(Thresholds)}

    @classmethod
    def fingerprint_files(cls) -> List[Path]:
        """The code of the model and the knowledge base it indexes, so that Rasa's training cache
        never hands back a model trained by older code (``bot.rasa_seams.CodeFingerprint``)."""
        return sorted(UNDERSTANDING_DIR.glob("*.py")) + [Path(__file__)] + sorted(KNOWLEDGE_DIR.rglob("*.yml"))

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[Understanding] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self.thresholds = Thresholds(**{f.name: float(self.config[f.name]) for f in fields(Thresholds)})
        self._storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TopicClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        self.model = Understanding(self.thresholds).fit(
            [m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples], cached_knowledge()
        )
        with self._storage.write_to(self._resource) as directory:
            (directory / MODEL_FILE).write_bytes(pickle.dumps(self.model))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TopicClassifier":
        with model_storage.read_from(resource) as directory:
            model = pickle.loads((directory / MODEL_FILE).read_bytes())  # our own training output
        return cls(config, model_storage, resource, model)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        texts = [m.get(TEXT) or "" for m in messages]
        if self.model is None or not messages:
            return messages
        for message, opinion in zip(messages, self.model.opinions(texts)):
            decision = decide(opinion.classifier, opinion.retriever, self.thresholds)
            ranking = [
                {INTENT_NAME_KEY: s.label, PREDICTED_CONFIDENCE_KEY: s.score}
                for s in opinion.classifier[:RANKING_LENGTH]
            ]
            message.set(INTENT, {INTENT_NAME_KEY: decision.intent, PREDICTED_CONFIDENCE_KEY: decision.confidence},
                        add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            if decision.clarifies:
                choices = [c[len(FAQ_PREFIX):] for c in decision.choices]
                message.set(CHOICES_KEY, choices, add_to_output=True)
            near = opinion.retriever[0] if opinion.retriever else None
            message.set(OPINIONS_KEY, {
                "classifier": [opinion.classifier[0].label, round(opinion.classifier[0].score, 3)],
                "retriever": [near.label, round(near.score, 3)] if near else None,
                "agreed": decision.agreed,
            }, add_to_output=True)
        return messages
