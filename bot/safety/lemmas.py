"""Word -> lemma for the safety screen, from the project's own spaCy pipeline (bot/nlp.py).

Why not run spaCy per message: ``bot.nlp`` builds a lookup lemmatizer whose table is a plain
word -> lemma map, so reading it once gives exactly the lemma spaCy would give a single
lower-case token, at dict speed (the screen's p99 target is 2 ms). Both the configuration
(medicine names are matched as lemmas too) and the reading of a message need it, so it lives
here, below both.
"""
from __future__ import annotations

import threading


class Lemmas:
    """The lookup table of the spaCy pipeline, with a per-word cache."""

    def __init__(self) -> None:
        from bot import nlp  # imported here: loading spaCy is only needed once, on first use

        table = nlp.load_pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self._table = table
        self._values = frozenset(str(v) for v in table.values())
        self._cache: dict[str, str] = {}

    def lemma(self, word: str) -> str:
        hit = self._cache.get(word)
        if hit is None:
            hit = str(self._table.get(word, word)).lower()
            if len(self._cache) < 200_000:
                self._cache[word] = hit
        return hit

    def known(self, word: str) -> bool:
        """Is this an English word form the table knows (as a form or as a lemma)?"""
        return word in self._values or word in self._table

    def __contains__(self, word: object) -> bool:
        """``word in lemmas()``: the table as one of the vocabularies of ``bot.spelling.known_in``."""
        return isinstance(word, str) and self.known(word)


_LEMMAS: Lemmas | None = None
_LOCK = threading.Lock()


def lemmas() -> Lemmas:
    """The process-wide table, loaded on first use (double-checked: servers call from threads)."""
    global _LEMMAS
    if _LEMMAS is None:
        with _LOCK:
            if _LEMMAS is None:
                _LEMMAS = Lemmas()
    return _LEMMAS
