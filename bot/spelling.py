"""Spelling repair mechanics, shared by every reader of what people type.

Three readers repair spelling, each towards its own words and with its own caution:
- the FAQ model's open text (``bot.textnorm``): misspelt medical words, against the knowledge
  base's vocabulary;
- form answers (``bot.screening.answers``): short words ("yse", "nooo") against a closed list;
- the safety screen (``bot.safety.reading``): stretched letters, slang, key words and medicine
  names, word by word.

The *mechanics* are the same idea and live here once: squeezing letters typed again and again,
asking whether a word is already known, and finding the one nearest word in a vocabulary. What
differs between the readers -- which words count as known, how close is close enough, how long a
word must be, what to do on a tie -- is data each reader passes in, next to a docstring saying why
its numbers are what they are. Nothing here knows any vocabulary: this module imports no
knowledge, so the safety screen does not load the FAQ's words, nor the FAQ reader the safety
screen's.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Iterable, Sequence
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

#: Apostrophes people type: straight, curly, backtick, acute accent, modifier letter.
APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc"

#: A test of whether a word needs no repair.
Known = Callable[[str], bool]
#: A scorer compares two words: a similarity in 0..100 (higher is closer) or a count of edits.
Scorer = Callable[..., float]
#: Similarity 0..100 from the edits needed, relative to both lengths: suits long words, where one
#: wrong letter in ten is a small part of the word.
RATIO: Scorer = fuzz.ratio
#: Number of edits, a swap of two neighbouring letters counting as one ("yse" -> "yes"): suits
#: short words, where a ratio is too coarse (one wrong letter in five already scores 80).
EDITS: Scorer = DamerauLevenshtein.distance

#: A letter (any alphabet) typed three times or more in a row. Letters only: "1000" is a number,
#: and a repeated digit is never a typing accident to squeeze away.
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")
#: A letter typed twice or more in a row.
_DOUBLED = re.compile(r"([^\W\d_])\1+")


def apostrophe_free(text: str) -> str:
    """NFKC, lower case, every apostrophe dropped: "Don’t" -> "dont".

    For readers that match whole words against word lists (form answers, form replies), where
    "don't", "don’t" and "dont" must be one word; the safety screen keeps apostrophes, to expand
    contractions, and straightens them with ``APOSTROPHES`` instead.
    """
    t = unicodedata.normalize("NFKC", text).lower()
    for a in APOSTROPHES:
        t = t.replace(a, "")
    return t


def squeeze_repeats(word: str, keep: int = 2) -> str:
    """Letters typed three times or more, kept ``keep`` times (1 or 2).

    "pleeease" -> "pleease" (keep=2) or "please" (keep=1); doubled letters are left as typed, so
    "tooo" -> "too" with keep=2. Readers try both and keep the one that is a known word.
    """
    return _STRETCHED.sub(r"\1\1" if keep == 2 else r"\1", word)


def is_stretched(word: str) -> bool:
    """Has ``word`` a letter typed three times or more ("pleeease", "nooo")?"""
    return _STRETCHED.search(word) is not None


def collapse_repeats(word: str) -> str:
    """Every run of a repeated letter kept once: "yess" -> "yes", "diee" -> "die"."""
    return _DOUBLED.sub(r"\1", word)


_VOWELS = re.compile(r"[aeiou]")


def skeleton(word: str) -> str:
    """The consonants of a word, each run of one letter kept once: "breathe" -> "brth",
    "passed" -> "psd", "anymore" -> "nymr". Texters who drop vowels ("pssd out", "cnt brth")
    keep these letters, so a word typed that way has the same skeleton as the word meant."""
    return collapse_repeats(_VOWELS.sub("", word))


def vowel_count(word: str) -> int:
    """How many of a, e, i, o, u the word has ("y" is not counted: "nymr", "gy")."""
    return len(_VOWELS.findall(word))


def known_in(*vocabularies: Container[str]) -> Known:
    """One "is this a known word?" test over several word lists (sets, dicts, lookup tables)."""
    def known(word: str) -> bool:
        return any(word in vocabulary for vocabulary in vocabularies)

    return known


def swapped_once(word: str) -> list[str]:
    """Every spelling with two neighbouring letters swapped back ("wnat" -> ..., "want", ...).

    A swap is the commonest slip when texting fast, and on a short word the ratio match cannot
    mend it (the screen's starts at five letters): "i wnat to die" must still read "want".
    """
    return [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1) if word[i] != word[i + 1]]


def first_known(candidates: Iterable[str], known: Known) -> str | None:
    """The first candidate spelling that is a known word, or None: the order is the preference."""
    return next((c for c in candidates if known(c)), None)


def nearest(
    word: str,
    choices: Sequence[str],
    *,
    scorer: Scorer,
    cutoff: float,
    window: int | None = None,
    ties: Literal["first", "refuse"] = "first",
) -> str | None:
    """The vocabulary word ``word`` was most likely meant to be, or None when none is close enough.

    ``scorer`` is ``RATIO`` (``cutoff`` is the lowest similarity accepted) or ``EDITS``
    (``cutoff`` is the most edits accepted). ``window`` keeps only choices whose length differs
    by at most that many letters (a typo rarely changes a word's length by more). On a tie
    between the best choices, ``ties="first"`` takes the first in the order of ``choices`` (pass
    them sorted for a repeatable answer), ``ties="refuse"`` returns None: a guess between two
    equally near words is worse than leaving the word as typed. (The safety screen passes no
    window and judges the length of the single best match itself: see ``bot.safety.reading``.)
    """
    if window is not None:
        choices = [c for c in choices if abs(len(c) - len(word)) <= window]
    if ties == "first":
        best = process.extractOne(word, choices, scorer=scorer, score_cutoff=cutoff)
        return None if best is None else best[0]
    top = process.extract(word, choices, scorer=scorer, score_cutoff=cutoff, limit=2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]
