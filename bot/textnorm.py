"""Spelling repair of open text for the FAQ model: misspelt medical and drug words.

Patients type "oxycodon", "hyperalgeisa", "tollerance". The classifier's char n-grams cope with
some of that, but a correction against the knowledge base's own vocabulary makes rare words
reliable. The mechanics (nearest word, known-word test) are ``bot.spelling``'s, shared with the
form answers and the safety screen; this module holds only this reader's vocabulary and
thresholds, and why they are what they are:

- Only words that are neither common English (frequency table from spacy-lookups-data, see
  ``bot.nlp.common_words``) nor already in the domain vocabulary are touched: a message is
  mostly ordinary words, and an ordinary word must never be "repaired" into a medical one.
- Only words of ``MIN_LENGTH`` letters or more, and only towards vocabulary words of that length:
  short words are too alike ("weather" must never become "whether"), and the model reads short
  misspellings well enough from its character n-grams.
- A ratio score (``bot.spelling.RATIO``) of at least ``MIN_SCORE``, within ``LENGTH_WINDOW``
  letters of the typed length: the vocabulary is large (thousands of words), so the bar is high.
- On a tie the alphabetically first word wins: the model only needs *a* stable spelling, and the
  same text must give the same features in training and at run time, in every process.
"""
from __future__ import annotations

import functools
import re

from bot import spelling
from bot.knowledge import cached_knowledge
from bot.nlp import common_words, medication_terms

WORD_RE = re.compile(r"[a-z][a-z'-]+")
MIN_LENGTH = 5
MIN_SCORE = 84.0
LENGTH_WINDOW = 2


@functools.lru_cache(maxsize=1)
def domain_vocabulary() -> tuple[str, ...]:
    """Words from FAQ titles and answers plus medication names, sorted: what misspellings map to."""
    kb = cached_knowledge()
    words: set[str] = set()
    for entry in kb.faqs.values():
        words.update(WORD_RE.findall(f"{entry.title} {entry.answer}".lower()))
    for term in medication_terms():
        words.update(WORD_RE.findall(term))
    words.update({"hyperalgesia", "allodynia", "tolerance", "opioid", "opioids", "withdrawal", "taper"})
    return tuple(sorted(w for w in words if len(w) >= MIN_LENGTH))


@functools.lru_cache(maxsize=1)
def _is_known() -> spelling.Known:
    return spelling.known_in(frozenset(domain_vocabulary()), common_words())


@functools.lru_cache(maxsize=20_000)
def correct_word(word: str) -> str:
    """The vocabulary word ``word`` was meant to be, or ``word`` itself."""
    if len(word) < MIN_LENGTH or _is_known()(word):
        return word
    match = spelling.nearest(
        word, domain_vocabulary(), scorer=spelling.RATIO, cutoff=MIN_SCORE, window=LENGTH_WINDOW
    )
    return match or word


def normalise(text: str) -> str:
    """Lower-risk repair: replace misspelt domain words, keep everything else as typed."""
    def repl(m: re.Match[str]) -> str:
        original = m.group(0)
        fixed = correct_word(original.lower())
        return original if fixed == original.lower() else fixed

    return re.sub(r"[A-Za-z][A-Za-z'-]+", repl, text)
