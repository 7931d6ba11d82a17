"""The trained understanding model: both opinions, fitted together, and the decision rule.

Used by the Rasa component (bot/components/topic_classifier.py), by ``python -m bot eval`` and by
the staff search, so there is one model and one set of figures.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from bot.knowledge import KnowledgeBase
from bot.understanding import augment
from bot.understanding.classifier import IntentClassifier, Scored
from bot.understanding.decision import FAQ_PREFIX, Decision, Thresholds, decide
from bot.understanding.features import prepare
from bot.understanding.retriever import Retriever


@dataclass(frozen=True)
class Opinions:
    classifier: list[Scored]
    retriever: list[Scored]


#: File name of the pickled model inside the Rasa model (TopicClassifier writes it, the staff
#: search reads it back from models/oih.tar.gz).
MODEL_FILE = "understanding.pkl"


class Understanding:
    def __init__(self, thresholds: Thresholds | None = None, c: float = 1.0, n_variants: int = 2) -> None:
        self.thresholds = thresholds or Thresholds()
        self.classifier = IntentClassifier(c=c)
        self.retriever = Retriever()
        self.n_variants = n_variants

    def fit(self, texts: Sequence[str], intents: Sequence[str], kb: KnowledgeBase | None = None) -> "Understanding":
        """Train both opinions. FAQ phrasings get generated variants (the classifier only);
        the retriever also indexes each topic's title and answer."""
        x, y = list(texts), list(intents)
        for text, intent in zip(texts, intents):
            if intent.startswith(FAQ_PREFIX):
                for v in augment.variants(text, self.n_variants):
                    x.append(v)
                    y.append(intent)
        self.classifier.fit(prepare(x), y)
        docs, labels = list(texts), list(intents)
        if kb is not None:
            for entry in kb.faqs.values():
                docs += [entry.title, entry.answer]
                labels += [FAQ_PREFIX + entry.id] * 2
        self.retriever.fit(docs, labels)
        return self

    def opinions(self, texts: Iterable[str]) -> list[Opinions]:
        prepared = prepare(list(texts))
        return [Opinions(c, r) for c, r in zip(self.classifier.rank(prepared), self.retriever.rank(prepared))]

    def decide(self, texts: Iterable[str], thresholds: Thresholds | None = None) -> list[Decision]:
        t = thresholds or self.thresholds
        return [decide(o.classifier, o.retriever, t) for o in self.opinions(texts)]
