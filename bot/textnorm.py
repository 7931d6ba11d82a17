"""Spelling repair for medical and drug words, before the model sees a message.

Patients type "oxycodon", "hyperalgeisa", "tollerance". The classifier's char n-grams cope with
some of that, but a correction against the knowledge base's own vocabulary makes rare words
reliable. Only words that are neither common English (frequency table from spacy-lookups-data,
see ``bot.nlp.common_words``) nor already in the domain vocabulary get corrected, and only to a
close, long-enough match, so that "weather" never becomes "whether".

The answers to form questions ("yse", "nooo", "absolutley") are repaired here too, by
``ClosedSpeller``: the same idea (repair only towards a known vocabulary, only when the match is
unambiguous) tuned for short words from a small list (see the section at the end).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

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


# --------------------------------------------------------------------------------------------
# Repair towards a small, closed vocabulary (the words of form answers)
# --------------------------------------------------------------------------------------------
# ``correct_word`` above repairs open text against a large vocabulary and leaves short words
# alone. Form answers are the opposite case: short words ("yse", "nope", "nooo") from a list of a
# few hundred. A ratio score is too coarse there (one wrong letter in a five-letter word scores
# 80), so this repair counts edits (Damerau-Levenshtein: a swap of two letters is one edit) and
# only accepts a single best candidate; short words only by an exact table of misspellings.

#: Apostrophes people type: straight, curly, backtick, acute accent, modifier letter.
APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc"
#: Words shorter than this are never fuzzy-repaired: "now" must not become "no", nor "year" "yeah".
MIN_FUZZY_LENGTH = 5


def squeeze_repeats(word: str) -> str:
    """Letters typed three times or more, kept twice: "yesss" -> "yess", "reallly" -> "really"."""
    return re.sub(r"(.)\1{2,}", r"\1\1", word)


def collapse_repeats(word: str) -> str:
    """Every doubled letter kept once: "yess" -> "yes", "noo" -> "no"."""
    return re.sub(r"(.)\1+", r"\1", word)


@dataclass(frozen=True)
class ClosedSpeller:
    """Repairs one token towards a closed vocabulary; returns it unchanged when unsure.

    ``typos`` maps known misspellings to what they mean (the only way a short word is repaired);
    ``vocabulary`` is every word that needs no repair; ``fuzzy_targets`` are the long words worth an
    edit-distance match; ``guard`` holds real words one edit away from a target, never repaired.
    """

    vocabulary: frozenset[str]
    typos: Mapping[str, str]
    fuzzy_targets: tuple[str, ...]
    guard: frozenset[str]

    def repair(self, token: str) -> str:
        if token.isdigit():
            return token
        if token in self.typos:
            return self.typos[token]
        if token in self.vocabulary:
            return token
        squeezed = squeeze_repeats(token)
        for candidate in (squeezed, collapse_repeats(token)):
            if candidate in self.typos:
                return self.typos[candidate]
            if candidate in self.vocabulary:
                return candidate
        if len(token) >= MIN_FUZZY_LENGTH and token not in self.guard:
            nearest = self._nearest(token)
            if nearest is not None:
                return nearest
        return squeezed

    def _nearest(self, token: str) -> str | None:
        """The one target within one edit (two for words of seven letters or more); None on a tie."""
        limit = 1 if len(token) <= 6 else 2
        scored = sorted(
            (DamerauLevenshtein.distance(token, t), t)
            for t in self.fuzzy_targets
            if abs(len(t) - len(token)) <= limit
        )
        if scored and scored[0][0] <= limit and (len(scored) == 1 or scored[1][0] > scored[0][0]):
            return scored[0][1]
        return None
