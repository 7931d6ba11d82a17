"""Spelling repair for medical and drug words, before the model sees a message.

Patients type "oxycodon", "hyperalgeisa", "tollerance". The classifier's char n-grams cope with
some of that, but a correction against the knowledge base's own vocabulary makes rare words
reliable. Only words that are neither common English (frequency table from spacy-lookups-data,
see ``bot.nlp.common_words``) nor already in the domain vocabulary get corrected, and only to a
close, long-enough match, so that "weather" never becomes "whether".
"""
from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz, process

from bot.knowledge import cached_knowledge
from bot.nlp import common_words, medication_terms

WORD_RE = re.compile(r"[a-z][a-z'-]+")
MIN_LENGTH = 5
MIN_SCORE = 84.0


@functools.lru_cache(maxsize=1)
def domain_vocabulary() -> frozenset[str]:
    """Words from FAQ titles and answers plus medication names: what misspellings are mapped to."""
    kb = cached_knowledge()
    words: set[str] = set()
    for entry in kb.faqs.values():
        words.update(WORD_RE.findall(f"{entry.title} {entry.answer}".lower()))
    for term in medication_terms():
        words.update(WORD_RE.findall(term))
    words.update({"hyperalgesia", "allodynia", "tolerance", "opioid", "opioids", "withdrawal", "taper"})
    return frozenset(w for w in words if len(w) >= MIN_LENGTH)


def _is_known(word: str) -> bool:
    return word in domain_vocabulary() or word in common_words()


@functools.lru_cache(maxsize=20_000)
def correct_word(word: str) -> str:
    """The vocabulary word ``word`` was meant to be, or ``word`` itself."""
    if len(word) < MIN_LENGTH or _is_known(word):
        return word
    candidates = [w for w in domain_vocabulary() if abs(len(w) - len(word)) <= 2]
    match = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
    return match[0] if match else word


def normalise(text: str) -> str:
    """Lower-risk repair: replace misspelt domain words, keep everything else as typed."""
    def repl(m: re.Match[str]) -> str:
        original = m.group(0)
        fixed = correct_word(original.lower())
        return original if fixed == original.lower() else fixed

    return re.sub(r"[A-Za-z][A-Za-z'-]+", repl, text)
