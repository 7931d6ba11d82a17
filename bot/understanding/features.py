"""TF-IDF features of a prepared message: lemma word 1-2 grams beside character 2-5 grams.

Word n-grams carry meaning ("go away", "more sensitive"); character n-grams carry misspellings and
texting forms the spelling repair does not know ("hyperalgsia", "tollerence", "u", "meds").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.understanding.text import lemmas, surface


@dataclass
class Prepared:
    surface: list[str]
    lemmas: list[str]


def prepare(texts: Sequence[str]) -> Prepared:
    surfaces = [surface(t) for t in texts]
    return Prepared(surfaces, [lemmas(s) for s in surfaces])


class Featurizer:
    """Fitted once on the training texts; ``transform`` is then a pure function of the text."""

    def __init__(self, char_weight: float = 1.0) -> None:
        self.words = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"[^ ]+"
        )
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        self.char_weight = char_weight

    def fit(self, prepared: Prepared) -> "Featurizer":
        self.words.fit(prepared.lemmas)
        self.chars.fit(prepared.surface)
        return self

    def transform(self, prepared: Prepared) -> csr_matrix:
        words = self.words.transform(prepared.lemmas)
        chars = self.chars.transform(prepared.surface) * self.char_weight
        return hstack([words, chars]).tocsr()
