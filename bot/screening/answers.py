"""What people type back to a yes/no question or an offer, read as "yes", "no" or "unsure".

How parsing works, and why:
1. Normalise: NFKC, lower case, apostrophes dropped ("don't" == "dont"), letters/digits only.
2. Repair tokens (``ClosedSpeller``, on the shared mechanics of ``bot.spelling``): squeeze
   repeated letters ("yesss", "nooo"), a table of common misspellings ("definately", "idk",
   "yse"), then an edit-distance match for long words only ("absolutley"). Short words are never
   fuzzy-matched: "now" must not become "no", nor "year" become "yeah".
3. Find every known phrase; a phrase inside a longer one is dropped, so "absolutely not" is
   "no", "not sure" is "unsure" and "no idea" is "unsure", not "no".
4. Decide: any hedge ("kinda", "sometimes", "a little", "idk") -> "unsure"; yes and no together
   ("yes... no wait") -> None, so the bot asks again with buttons rather than guess.
Bare negations ("doesn't", "not", "never") inside a sentence often describe the pain rather
than answer the question ("it never goes away" is a yes), so they only count as "no" when they
are the whole reply, or in fixed phrases such as "not at all".

The words themselves are content, in knowledge/answer_words.yml (``bot.screening.words``); this
module is the grammar over them and changes only when the way of reading changes.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.screening.definition import Answer
from bot.screening.words import AnswerWords, cached_answer_words
from bot.spelling import EDITS, apostrophe_free, collapse_repeats, first_known, nearest, squeeze_repeats

#: Words shorter than this are never fuzzy-repaired: "now" must not become "no", nor "year" "yeah".
MIN_FUZZY_LENGTH = 5


@dataclass(frozen=True)
class ClosedSpeller:
    """Repairs one token towards a closed vocabulary; returns it unchanged when unsure.

    Why its own thresholds: the FAQ reader (``bot.textnorm``) repairs open text against a large
    vocabulary and leaves short words alone. Form answers are the opposite case: short words
    ("yse", "nope", "nooo") from a list of a few hundred, where one wrong word flips an answer. A
    ratio score is too coarse there (one wrong letter in a five-letter word scores 80), so this
    repair counts edits (``bot.spelling.EDITS``: a swap of two letters is one edit) and accepts
    only a single best candidate (a tie is refused); short words only by an exact table of
    misspellings.

    ``typos`` maps known misspellings to what they mean (the only way a short word is repaired);
    ``vocabulary`` is every word that needs no repair; ``fuzzy_targets`` are the long words worth an
    edit-distance match; ``guard`` holds real words one edit away from a target, never repaired.
    """

    vocabulary: frozenset[str]
    typos: Mapping[str, str]
    fuzzy_targets: tuple[str, ...]
    guard: frozenset[str]

    def _known(self, word: str) -> bool:
        return word in self.typos or word in self.vocabulary

    def repair(self, token: str) -> str:
        if token.isdigit():
            return token
        squeezed = squeeze_repeats(token)
        found = first_known((token, squeezed, collapse_repeats(token)), self._known)
        if found is not None:
            return self.typos.get(found, found)
        if len(token) >= MIN_FUZZY_LENGTH and token not in self.guard:
            # one edit for words of up to six letters, two for longer ones
            limit = 1 if len(token) <= 6 else 2
            fixed = nearest(token, self.fuzzy_targets, scorer=EDITS, cutoff=limit, window=limit, ties="refuse")
            if fixed is not None:
                return fixed
        return squeezed


@dataclass(frozen=True)
class _Reader:
    """The answer words compiled for reading: built once per process from ``AnswerWords``."""

    words: AnswerWords
    speller: ClosedSpeller
    phrase_re: re.Pattern[str]

    @property
    def phrase_label(self) -> Mapping[str, Answer]:
        return self.words.phrases


def _compile(words: AnswerWords) -> _Reader:
    # Longest first, so the regex alternation prefers "not at all" over "not".
    phrases = sorted(words.phrases, key=lambda p: (-len(p), p))
    phrase_re = re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(p) for p in phrases) + r")(?![a-z0-9])")
    whole = words.whole_reply["yes"] | words.whole_reply["no"] | words.fillers
    vocabulary = frozenset(w for p in phrases for w in p.split()) | frozenset(w for s in whole for w in s.split())
    speller = ClosedSpeller(
        vocabulary=vocabulary, typos=words.typos, fuzzy_targets=words.fuzzy_targets, guard=words.fuzzy_guard
    )
    return _Reader(words=words, speller=speller, phrase_re=phrase_re)


@functools.lru_cache(maxsize=1)
def _reader() -> _Reader:
    return _compile(cached_answer_words())


def normalize(text: str) -> str:
    """Lower-case, apostrophe-free, typo-repaired words joined by single spaces."""
    t = apostrophe_free(text).replace("&", " and ")
    tokens = re.findall(r"[a-z0-9]+", t)
    speller = _reader().speller
    return " ".join(speller.repair(tok) for tok in tokens)


def strip_fillers(norm: str) -> str:
    """``norm`` without the filler words at its start and end ("um yes thanks" -> "yes")."""
    fillers = _reader().words.fillers
    words = norm.split()
    while words and words[0] in fillers:
        words.pop(0)
    while words and words[-1] in fillers:
        words.pop()
    return " ".join(words)


def _phrase_labels(norm: str) -> set[Answer]:
    """Labels of the phrases found, ignoring phrases that sit inside a longer match."""
    reader = _reader()
    spans: list[tuple[int, int, Answer]] = []
    # finditer with longest-first alternation finds non-overlapping longest matches; also look for
    # matches starting inside earlier ones so that overlapping phrases are all seen.
    for start in range(len(norm)):
        if start and norm[start - 1] != " ":
            continue
        m = reader.phrase_re.match(norm, start)
        if m:
            spans.append((m.start(), m.end(), reader.phrase_label[m.group(1)]))
    kept = [
        s for s in spans
        if not any(o is not s and o[0] <= s[0] and s[1] <= o[1] and (o[1] - o[0]) > (s[1] - s[0])
                   for o in spans)
    ]
    return {label for _, _, label in kept}


def parse_answer(text: str) -> Answer | None:
    """Map a free-word reply to "yes", "no" or "unsure"; None when it is not clear.

    None is a normal outcome, not an error: the form then repeats the question with buttons.
    Guessing would be worse, because a wrong "yes" or "no" changes the result silently.
    """
    if not text or not text.strip():
        return None
    words = _reader().words
    labels: set[Answer] = {label for ch, label in words.emoji.items() if ch in text}
    norm = normalize(text)
    core = strip_fillers(norm)
    if core in words.whole_reply["yes"]:
        labels.add("yes")
    elif core in words.whole_reply["no"]:
        labels.add("no")
    elif norm:
        labels |= _phrase_labels(norm)
    if not labels:
        return None
    if "unsure" in labels:
        return "unsure"
    if labels == {"yes"}:
        return "yes"
    if labels == {"no"}:
        return "no"
    return None  # yes and no together: ask again


def parse_consent(text: str) -> Answer | None:
    """"yes" or "no" to an offer or a confirmation in people's words; None when not clear.

    Everything ``parse_answer`` reads as yes or no, plus the consent words (``consent:`` in
    knowledge/answer_words.yml: "ok", "sounds good", "go ahead", "not now", "maybe later"), which
    mean yes or no to an offer although they would not answer a questionnaire item. "unsure" is
    not an answer to an offer.
    """
    if not text or not text.strip():
        return None
    consent = _reader().words.consent
    norm = normalize(text)
    for candidate in (norm, strip_fillers(norm)):
        if candidate in consent["yes"]:
            return "yes"
        if candidate in consent["no"]:
            return "no"
    answer = parse_answer(text)
    return answer if answer in ("yes", "no") else None
