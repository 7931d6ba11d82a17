"""The second opinion: the nearest known phrasings, titles and answers (k-nearest neighbours).

Different in kind from the classifier (it compares with single examples instead of weighing
features over a whole intent), so the two make different mistakes and agreeing means more. A
label's score is the mean cosine similarity (0-1) of its ``K`` closest texts; topics are also indexed by
their title and answer, so a topic is found by the words of its answer even with few examples.
This is also the staff search (bot/retrieval.py): one engine for patients and staff.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

import numpy as np

from bot.understanding.classifier import Scored
from bot.understanding.features import Featurizer, Prepared, prepare

K = 3


class Retriever:
    def __init__(self, k: int = K) -> None:
        self.k = k
        self.featurizer = Featurizer()
        self.labels: list[str] = []

    def fit(self, texts: Sequence[str], labels: Sequence[str], prepared: Prepared | None = None) -> "Retriever":
        prepared = prepared or prepare(texts)
        self.matrix = self.featurizer.fit(prepared).transform(prepared)
        # the index transposed once (features x docs, row-major): a query row times it is one
        # sparse product, with no conversion per message
        self.index_t = self.matrix.T.tocsr()
        self.labels = list(labels)
        self.label_names = sorted(set(self.labels))
        index = {name: i for i, name in enumerate(self.label_names)}
        self.label_index = np.array([index[name] for name in self.labels])
        return self

    def rank(self, prepared: Prepared) -> list[list[Scored]]:
        """For each text, every label with its score (0-1), best first."""
        # each of the two feature blocks is unit length, so a dot product is at most 2
        sims = (self.featurizer.transform(prepared) @ self.index_t).toarray() / 2.0
        out = []
        for row in sims:
            best: dict[int, list[float]] = defaultdict(list)
            for i in np.argsort(-row)[: 40 * self.k]:
                lst = best[self.label_index[i]]
                if len(lst) < self.k:
                    lst.append(float(row[i]))
            scores = {
                self.label_names[j]: sum(v) / self.k for j, v in best.items()
            }
            ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
            out.append([Scored(label, score) for label, score in ranked])
        return out
