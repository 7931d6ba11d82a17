"""Reading a message the way the safety rules are written: two aligned word strings.

Why a module of its own: this changes when people write in new ways (spelling, slang, emoji,
HTML pasted from elsewhere), not when the policy or the reply texts change.

1. normalise (NFKC, HTML stripped, lower case, control characters out, "k m s" -> "kms",
   "h0w" -> "how", symbols such as the pill emoji -> words from ``symbols:``);
2. split into words, expand contractions and slang ("kms", "od'd", "wont"), squeeze stretched
   letters ("pleeease"), correct misspelled medicine names and key words ("oxycodon",
   "suboxon"; the mechanics shared with the other readers are in bot/spelling.py), map
   medicine aliases to canonical names (knowledge/medications.yml) and lemmatise
   (bot/safety/lemmas.py);
3. ``Reading.blank`` blanks the words of idioms and educational phrases before the rules run.

The contraction tables below (``_NOT_BASES``, ``_IS_PRONOUNS``, ``_SUFFIXES``) stay in Python on
purpose: they are English grammar, part of the tokeniser, and every rule in knowledge/safety.yml
is written against their output; a clinic has no reason to edit them, and an edit would silently
change what every rule sees. The words a clinic may want to add (slang, symbols, key words,
lemma overrides) are in knowledge/safety.yml.
"""
from __future__ import annotations

import bisect
import html
import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Sequence

from bot.safety.config import Config, Span, load_config
from bot.safety.lemmas import lemmas
from bot.spelling import (
    APOSTROPHES,
    RATIO,
    collapse_repeats,
    first_known,
    is_stretched,
    known_in,
    nearest,
    skeleton,
    squeeze_repeats,
    swapped_once,
    vowel_count,
)

_BLANK = "~"

_TAG = re.compile(r"<[^<>]{0,2000}>")
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_APOSTROPHES = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))
_SPACED = re.compile(r"(?<![^\W\d_])(?:[a-z] ){2,}[a-z](?![^\W\d_])")
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+(?:[.,]\d+)*|[.?!,;]")
_ASCII_WORD = re.compile(r"[a-z]+")
_NOT_BASES = {"wo": "will", "ca": "can", "sha": "shall", "ai": "is"}
_IS_PRONOUNS = {"he", "she", "it", "that", "what", "there", "who", "where", "here", "how", "this"}
_SUFFIXES = {"'m": "am", "'re": "are", "'ve": "have", "'ll": "will", "'d": "would"}
#: words whose "'d" is "would" or "had" ("i'd", "they'd"); after any other word it is a past tense
#: typed with an apostrophe ("narcan'd", "ko'd")
_D_IS_WOULD = {"i", "you", "we", "they", "he", "she", "it", "that", "who", "there", "what", "where", "how", "y", "ya"}
_STOP_WORDS: frozenset[str] = frozenset()
_word_cache: dict[str, tuple[str, str]] = {}
# the same without the ratio repairs (``read(..., fuzzy=False)``), for Spanish messages
_exact_cache: dict[str, tuple[str, str]] = {}
#: a year with its century left off ("back in '82", "in '98"); the rules' years have four digits
_SHORT_YEAR = re.compile(r"(?<![\w'])'(\d\d)(?![\d'])")
#: a short year below this is this century ("'05" is 2005), at or above it the last ("'98" is 1998)
SHORT_YEAR_CENTURY_CUTOFF = 30


def _full_year(match: re.Match[str]) -> str:
    """The four-digit year of a short one ("'82" -> "1982")."""
    two = match.group(1)
    return ("20" if int(two) < SHORT_YEAR_CENTURY_CUTOFF else "19") + two


_LEET = re.compile(r"(?<![\w])(?!q\d+h(?![\w]))(?:[a-z]+[0134][a-z]+|[0134][a-z]{3,})(?![\w])")
_LEET_MAP = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a"})
#: Lowest ratio for a fuzzy repair: five-letter words, longer words (one wrong letter in five
#: scores 80, so short words need the higher bar).
FUZZY_CUTOFF = (85.0, 80.0)
#: Most letters a trusted fuzzy repair may add or drop.
FUZZY_LENGTH_WINDOW = 3


def _stop_words() -> frozenset[str]:
    global _STOP_WORDS
    if not _STOP_WORDS:
        from spacy.lang.en.stop_words import STOP_WORDS

        _STOP_WORDS = frozenset(STOP_WORDS)
    return _STOP_WORDS


def _prepare(text: str, cfg: Config) -> str:
    """Unicode, HTML, case, control characters, stretched letters, spaced letters, symbols."""
    text = unicodedata.normalize("NFKC", text)
    if "<" in text or "&" in text:
        text = _TAG.sub(" ", html.unescape(text))
        text = _TAG.sub(" ", text)  # tags that were entity-escaped ("&lt;b&gt;")
    text = _CONTROL.sub("", text).translate(_APOSTROPHES).lower()
    if "'" in text:
        # "'98" -> "1998", "'05" -> "2005": otherwise a history told with a short year ("tried to gas
        # himself in '98") has no year the history marks can read
        text = _SHORT_YEAR.sub(_full_year, text)
    for symbol, words in cfg.symbols.items():
        if symbol in text:
            text = text.replace(symbol, words)
    if any(ch in text for ch in "0134"):
        # "h0w many 0xys c4n i take": digits used as letters inside words (not "10mg", "m30s")
        text = _LEET.sub(lambda m: m.group(0).translate(_LEET_MAP), text)
    if " " in text:
        text = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    return text


def _split_apostrophe(tok: str) -> list[str]:
    """Expand "won't", "i'm", "mom's" into words the rules are written for."""
    if tok.endswith("n't"):
        base = tok[:-3]
        return [_NOT_BASES.get(base, base), "not"]
    if tok.endswith("'s"):
        base = tok[:-2]
        return [base, "is"] if base in _IS_PRONOUNS else [base]
    if tok.endswith("'d") and tok[:-2] not in _D_IS_WOULD:
        return [tok[:-2] + "ed"]  # "narcan'd" -> narcaned
    for suffix, word in _SUFFIXES.items():
        if tok.endswith(suffix):
            return [tok[: -len(suffix)], word]
    return [tok.replace("'", "")]


def _words(prepared: str, cfg: Config) -> list[str]:
    """Tokens after contractions and slang (a slang value may be several words)."""
    out: list[str] = []
    previous = ""
    for tok in _TOKEN.findall(prepared):
        if tok == previous:
            continue  # "!!!!", "no no no", "1 1 1 ...": repeats add nothing and cost time
        previous = tok
        if out and out[-1] in cfg.articles and tok in cfg.after_an_article:
            out.append(cfg.after_an_article[tok])  # "she's an rn now": a nurse, not "right now"
            continue
        mapped = cfg.slang.get(tok)
        if mapped is not None:
            out.extend(mapped)
            continue
        if "'" in tok:
            for part in _split_apostrophe(tok):
                out.extend(cfg.slang.get(part, (part,)))
            continue
        out.append(tok)
    return out


def _expand_slang(word: str, cfg: Config) -> str:
    """A repaired word as the rules read it: slang spelt out ("kms" -> "kill myself"), else itself.
    (A repair can land on slang, which the first pass over the words has already gone by.)"""
    return " ".join(cfg.slang.get(word, (word,)))


def _correct(word: str, cfg: Config, fuzzy: bool = True) -> tuple[str, str]:
    """(surface, lemma) of one word: stretched letters, medicine names, misspellings, lemma.

    The mechanics are ``bot.spelling``'s (shared with the FAQ reader and the form answers); the
    vocabulary and the thresholds are this screen's own, and differ on purpose:

    - known words are everything a rule may be written against (medicine names, lemma overrides,
      slang, stop words, every form spaCy's lemma table knows), so ordinary words stay as typed;
    - repairs that keep a word's letters come first, because they cannot turn one word into
      another: stretched letters ("pleeease"), doubled letters ("diee"), a dropped g ("takin"),
      a plural medicine name ("tramadols");
    - only then a ratio match (``FUZZY_CUTOFF``) against the key words and medicine names of the
      same first letter, from five letters on: the choices are few and chosen, so the bar can be
      lower than the FAQ reader's, and a missed "oxycodon" costs more here than a wrong guess;
    - that best match is trusted only when its length is within ``FUZZY_LENGTH_WINDOW`` letters
      of the word typed (no second-best is tried: a long word that is best matched by a much
      shorter key word is something else, not a typo of it).

    Cached per word: patients repeat the same words, and the rapidfuzz look-up is the only part
    that costs more than a dict access.
    """
    cache = _word_cache if fuzzy else _exact_cache
    hit = cache.get(word)
    if hit is not None:
        return hit
    lem = lemmas()
    is_known = known_in(cfg.med_single, cfg.lemma_overrides, cfg.slang, _stop_words(), lem)

    surface = word
    if is_stretched(word):
        # stretched letters: "upppp" -> "upp" -> "up", "pleeease" -> "please", "tooo" -> "too"
        two = squeeze_repeats(word, keep=2)
        surface = first_known((two, squeeze_repeats(word, keep=1)), is_known) or two
        surface = _expand_slang(surface, cfg)
    word_in = word
    word = surface
    if _ASCII_WORD.fullmatch(word):
        known = is_known(word)
        if not known and len(word) >= 4:
            single = collapse_repeats(word)  # "diee" -> "die", "pleease" -> "please"
            if single != word and is_known(single):
                surface, known = single, True
        if not known and 3 <= len(word) <= 6:
            # two letters swapped ("wnat", "dei"): only to a word of ``swapped_letters``, never to
            # any known word ("barely" would become "barley", "pre" "per")
            mended = {w for w in swapped_once(word) if w in cfg.swap_targets}
            if len(mended) == 1:
                surface, known = mended.pop(), True
        if not known and word.endswith("in") and is_known(word + "g"):
            surface, known = word + "g", True  # "cuttin", "takin", "thinkin"
        if not known and word.endswith("s") and word[:-1] in cfg.med_single:
            surface, known = word[:-1], True  # "tramadols", "norcos"
        if not known and len(word) >= 2 and vowel_count(word) <= 1:
            # texted without vowels: "brth" -> breathe, "accdnt" -> accident, "dnt" -> do not
            meant = cfg.vowelless.get(skeleton(word))
            if meant is not None and vowel_count(meant) > vowel_count(word):
                surface, known = _expand_slang(meant, cfg), True
        if fuzzy and not known and len(word) >= 5:
            choices = cfg.fuzzy_by_initial.get(word[0], ())
            cutoff = FUZZY_CUTOFF[0] if len(word) <= 5 else FUZZY_CUTOFF[1]
            best = nearest(word, choices, scorer=RATIO, cutoff=cutoff)
            if best is not None and abs(len(best) - len(word)) <= FUZZY_LENGTH_WINDOW:
                surface = best
    if surface in cfg.med_single:
        lemma = cfg.med_single[surface]
    else:
        lemma = cfg.lemma_overrides.get(surface) or lem.lemma(surface)
    result = (surface, lemma)
    if len(cache) < 200_000:
        cache[word_in] = result
    return result


@dataclass
class Reading:
    """A message as two aligned strings of words: as typed (corrected) and as lemmas."""

    surface: list[str]
    lemma: list[str]

    def strings(self) -> tuple[str, str]:
        return " ".join(self.lemma), " ".join(self.surface)

    def blank(self, spans: Sequence[Span]) -> list[str]:
        """Replace the words of every span that matches (and whose ``unless`` reads nothing in
        the whole message) by "~"; return the ids that matched.
        (``Config.in_play`` leaves out the spans that could not match this message.)"""
        hits: list[str] = []
        lemma_str, surface_str = self.strings()
        for span in spans:
            text, words = (surface_str, self.surface) if span.on_surface else (lemma_str, self.lemma)
            if span.gate and not any(g in text for g in span.gate):
                continue
            matches = [m for m in span.regex.finditer(text) if m.end() > m.start()]
            if not matches or any(rx.search(text) for rx in span.unless):
                continue
            hits.append(span.id)
            starts = list(itertools.accumulate((len(w) + 1 for w in words[:-1]), initial=0))
            for m in matches:
                # words overlapping [m.start(), m.end()): binary search, not a scan per match
                first = max(bisect.bisect_right(starts, m.start()) - 1, 0)
                last = bisect.bisect_left(starts, m.end())
                for i in range(first, last):
                    if starts[i] + len(words[i]) > m.start():
                        self.surface[i] = _BLANK
                        self.lemma[i] = _BLANK
            lemma_str, surface_str = self.strings()
        return hits


def read(text: str, cfg: Config, fuzzy: bool = True) -> Reading:
    """The message as the rules read it (surface and lemma words, aligned).

    ``fuzzy=False`` leaves out the ratio repairs: in a Spanish message they turn Spanish words
    into English key words ("suicidarse" -> "suicide"), and the English rules then fire on a
    message the Spanish rules had read and, by their own ``unless``, let be (round twenty-two).
    """
    words = _words(_prepare(text, cfg), cfg)
    surface: list[str] = []
    lemma: list[str] = []
    for w in words:
        s, lm = _correct(w, cfg, fuzzy)
        surface.append(s)
        lemma.append(lm)
    # multi-word medicine names ("pain pills", "ms contin", "tylenol with codeine")
    if cfg.med_multi:
        i = 0
        while i < len(lemma):
            for n in range(min(cfg.med_max_len, len(lemma) - i), 1, -1):
                key_l = tuple(lemma[i : i + n])
                key_s = tuple(surface[i : i + n])
                canonical = cfg.med_multi.get(key_l) or cfg.med_multi.get(key_s)
                if canonical:
                    surface[i : i + n] = [" ".join(key_s)]
                    lemma[i : i + n] = [canonical]
                    break
            i += 1
    return Reading(surface, lemma)


def readings(text: str) -> tuple[str, str]:
    """The (lemma, surface) strings the rules see: for debugging and for writing new rules."""
    reading = read(as_text(text), load_config())
    return reading.strings()


def as_text(text: Any) -> str:
    """Any input as a string: the screen and the guard must never raise on None, bytes or numbers."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        return text.decode("utf-8", errors="replace")
    return text if isinstance(text, str) else str(text)


def clear_cache() -> None:
    """Forget the per-word corrections (their inputs -- slang, medicine names -- may have changed)."""
    _word_cache.clear()
    _exact_cache.clear()
