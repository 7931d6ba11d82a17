"""The OIH screening questionnaire: definition, free-word answer parsing, scoring and result texts.

The wording lives in ``knowledge/screening.yml`` so that clinicians edit one file; this module only
loads it into typed objects, understands what people type back, and turns the answers into a
result that lists signs in plain words. It never produces a diagnosis: the strongest thing the
result says is "several signs", followed by "this is not a diagnosis" and the advice to talk to the
prescribing clinician.

Everything here is pure Python (no Rasa import), so the form's behaviour is unit-tested without a
server; the Rasa form and actions are thin adapters over these functions.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from rapidfuzz.distance import DamerauLevenshtein

from bot.knowledge import Citation, citation_problem, load_sources
from bot.paths import KNOWLEDGE_DIR

Answer = Literal["yes", "no", "unsure"]
AnswerValue = Literal["yes", "no", "unsure", "skipped"]
Control = Literal["skip", "stop", "why"]
Level = Literal["several signs", "some signs", "few or no signs"]

ANSWER_VALUES: tuple[str, ...] = ("yes", "no", "unsure", "skipped")
LEVELS: tuple[str, ...] = ("several signs", "some signs", "few or no signs")

#: Level thresholds, counted in the 002 article's distinguishing clues only (see ``score``).
SEVERAL_SIGNS_AT = 3
SOME_SIGNS_AT = 2

#: What a question's answer does to the result (``role:`` in knowledge/screening.yml):
#: ``gate``    the setting OIH needs (long-term use): not a sign; unless it is "yes", the level
#:             stays at "few or no signs" whatever else is reported;
#: ``clue``    one of the distinguishing clues of the 002 article ("Clinical Clues That Point to
#:             OIH"): only these carry the level;
#: ``context`` worth telling the clinician but common with tolerance, withdrawal or any chronic
#:             pain (relief wearing off sooner, poor sleep, no known new cause): reported apart,
#:             never counted.
Role = Literal["gate", "clue", "context"]
ROLES: tuple[str, ...] = ("gate", "clue", "context")

SCREENING_FILE = KNOWLEDGE_DIR / "screening.yml"
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_DOSE_RE = re.compile(r"\d|%|\bmg\b|\bmcg\b|\bmilligram", re.IGNORECASE)


class ScreeningError(ValueError):
    """Raised when knowledge/screening.yml is malformed, so a bad edit fails tests, not patients."""


# --------------------------------------------------------------------------------------------
# Definition
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One yes/no question and the sign it asks about.

    ``yes_counts`` is False for an inverted question (one where "no" is the answer that points to
    OIH). Inverting the *scoring* instead of the *wording* keeps the question free of double
    negatives, which are hard to answer at a grade 6-7 reading level.
    """

    id: str
    text: str
    why: str
    sign: str
    sources: tuple[Citation, ...]
    yes_counts: bool = True
    role: Role = "clue"

    @property
    def inverted(self) -> bool:
        return not self.yes_counts

    @property
    def sign_answer(self) -> Answer:
        """The answer that means "this sign is present"."""
        return "yes" if self.yes_counts else "no"

    def points_to_oih(self, answer: str) -> bool:
        return answer == self.sign_answer


@dataclass(frozen=True)
class Screening:
    """The whole questionnaire as loaded from YAML; ``results``/``summary`` hold the result wording."""

    intro_template: str
    questions: tuple[Question, ...]
    reask: str
    buttons: Mapping[str, str]
    skipped: str
    stopped: str
    results: Mapping[str, Any]
    summary: Mapping[str, Any]
    path: Path | None = field(default=None, compare=False)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    @property
    def intro(self) -> str:
        """The intro with the question count filled in, so adding a question never leaves it stale."""
        return self.intro_template.format(count=_number_word(len(self.questions)))


_NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve").split()


def _number_word(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def _require(raw: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in raw or raw[key] in (None, ""):
        raise ScreeningError(f"{where}: missing `{key}`")
    return raw[key]


def _parse_question(raw: Any, index: int) -> Question:
    where = f"questions[{index}]"
    if not isinstance(raw, Mapping):
        raise ScreeningError(f"{where}: must be a mapping")
    qid = str(_require(raw, "id", where))
    where = f"question {qid!r}"
    if not _ID_RE.match(qid):
        raise ScreeningError(f"{where}: id must be lower case letters, digits and underscores")
    text = " ".join(str(_require(raw, "text", where)).split())
    if text.count("?") != 1 or not text.endswith("?"):
        raise ScreeningError(f"{where}: text must be exactly one question ending in '?'")
    yes_counts = raw.get("yes_counts", True)
    if not isinstance(yes_counts, bool):
        raise ScreeningError(f"{where}: yes_counts must be true or false")
    role = raw.get("role", "clue")
    if role not in ROLES:
        raise ScreeningError(f"{where}: role must be one of {', '.join(ROLES)}")
    sources_raw = _require(raw, "sources", where)
    sources = []
    for s in sources_raw:
        if not isinstance(s, Mapping) or not s.get("id") or not s.get("heading"):
            raise ScreeningError(f"{where}: each source needs `id` and `heading`")
        sources.append(Citation(str(s["id"]), str(s["heading"])))
    q = Question(
        id=qid,
        text=text,
        why=" ".join(str(_require(raw, "why", where)).split()),
        sign=" ".join(str(_require(raw, "sign", where)).split()),
        sources=tuple(sources),
        yes_counts=yes_counts,
        role=role,
    )
    for name in ("text", "why", "sign"):
        if _DOSE_RE.search(getattr(q, name)):
            raise ScreeningError(f"{where}: `{name}` must not contain numbers, doses or percentages")
    return q


def parse_screening(data: Any, path: Path | None = None) -> Screening:
    """Build a ``Screening`` from already-parsed YAML (tests use this with small definitions)."""
    if not isinstance(data, Mapping):
        raise ScreeningError(f"{path}: top level must be a mapping")
    questions = tuple(_parse_question(q, i) for i, q in enumerate(_require(data, "questions", "file")))
    ids = [q.id for q in questions]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ScreeningError(f"{path}: duplicate question ids: {', '.join(dupes)}")
    if sum(q.role == "gate" for q in questions) > 1:
        raise ScreeningError(f"{path}: at most one question can be the gate")
    buttons = {str(k): str(v) for k, v in dict(data.get("buttons") or {}).items()}
    for key in ("yes", "no", "unsure"):
        if key not in buttons:
            raise ScreeningError(
                f"{path}: buttons need `{key}` (quote yes/no: YAML reads them as booleans)"
            )
    results = dict(_require(data, "results", "file"))
    missing_levels = [lv for lv in LEVELS if lv not in (results.get("levels") or {})]
    if missing_levels:
        raise ScreeningError(f"{path}: results.levels misses {missing_levels}")
    for key in ("reported_intro", "none_reported", "not_diagnosis", "advice", "callback_offer"):
        _require(results, key, "results")
    summary = dict(_require(data, "summary", "file"))
    return Screening(
        intro_template=" ".join(str(_require(data, "intro", "file")).split()),
        questions=questions,
        reask=str(_require(data, "reask", "file")),
        buttons=buttons,
        skipped=str(data.get("skipped") or ""),
        stopped=" ".join(str(_require(data, "stopped", "file")).split()),
        results=results,
        summary=summary,
        path=path,
    )


def load_screening(path: Path | str | None = None) -> Screening:
    """Load and check the questionnaire; ``ScreeningError`` names what is wrong."""
    p = Path(path) if path is not None else SCREENING_FILE
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScreeningError(f"{p}: not valid YAML: {exc}") from exc
    return parse_screening(data, p)


@functools.lru_cache(maxsize=4)
def cached_screening(path: str = str(SCREENING_FILE)) -> Screening:
    """The default definition, loaded once per process (actions call this on every turn)."""
    return load_screening(path)


def check_sources(screening: Screening, knowledge_dir: Path = KNOWLEDGE_DIR) -> list[str]:
    """Problems with the questions' citations against knowledge/sources.yml (empty when fine).

    Kept out of ``load_screening`` so the form still loads if the sources catalogue is mid-edit;
    the unit tests and ``python -m bot check`` call it.
    """
    sources = load_sources(knowledge_dir)
    problems = []
    for q in screening.questions:
        for ref in q.sources:
            problem = citation_problem(sources, ref)
            if problem:
                problems.append(f"{q.id}: {problem}")
    return problems


# --------------------------------------------------------------------------------------------
# Free-word answers
# --------------------------------------------------------------------------------------------
#
# How parsing works, and why:
# 1. Normalise: NFKC, lower case, apostrophes dropped ("don't" == "dont"), letters/digits only.
# 2. Repair tokens: squeeze repeated letters ("yesss", "nooo"), a table of common misspellings
#    ("definately", "idk", "yse"), then a Damerau-Levenshtein match for long words only
#    ("absolutley"). Short words are never fuzzy-matched: "now" must not become "no", nor "year"
#    become "yeah".
# 3. Find every known phrase; a phrase inside a longer one is dropped, so "absolutely not" is
#    "no", "not sure" is "unsure" and "no idea" is "unsure", not "no".
# 4. Decide: any hedge ("kinda", "sometimes", "a little", "idk") -> "unsure"; yes and no together
#    ("yes... no wait") -> None, so the bot asks again with buttons rather than guess.
# Bare negations ("doesn't", "not", "never") inside a sentence often describe the pain rather
# than answer the question ("it never goes away" is a yes), so they only count as "no" when they
# are the whole reply, or in fixed phrases such as "not at all".

_YES_PHRASES: tuple[str, ...] = (
    "yes", "yeah", "yep", "yup", "ya", "yea", "yah", "ye", "yess", "yessir", "yes sir", "yes maam",
    "oh yes", "sure", "surely", "sure thing", "definitely", "absolutely", "certainly", "of course",
    "totally", "for sure", "indeed", "correct", "exactly", "true", "that is true", "thats true",
    "thats right", "that is right", "affirmative", "uh huh", "mhm", "mmhm", "mm hmm", "you bet",
    "i think so", "i believe so", "i guess so", "i suppose so", "i would think so", "probably",
    "most likely", "likely", "pretty sure", "im sure", "i am sure", "very sure", "pretty much",
    "no doubt", "without a doubt", "always", "all the time", "constantly", "every day",
    "every night", "every time", "most days", "most nights", "a lot", "lots", "very much",
    "big time", "for months", "for years", "for weeks", "for a while", "for a long time",
    "for ages", "for so long", "since forever", "months", "years", "weeks", "like that for",
    "more and more", "worse and worse", "never goes away", "never go away", "never went away",
    "never stops", "never stop", "never ends", "never lets up", "never let up", "never leaves",
    "doesnt go away", "does not go away", "wont go away", "doesnt stop", "does not stop",
    "cant sleep", "cannot sleep", "keeps me up", "keeps me awake", "wakes me up", "hard to sleep",
    "trouble sleeping", "havent been able to sleep", "barely sleep", "hardly sleep", "a year",
    "over a year", "a month", "100",
)

_NO_PHRASES: tuple[str, ...] = (
    "no", "nope", "nah", "naw", "nay", "nada", "no sir", "no maam", "negative",
    "not at all", "not really", "not much", "not a lot", "not that much", "not too much",
    "not very much", "not often", "hardly ever", "not once", "absolutely not",
    "definitely not", "certainly not", "surely not", "of course not", "no way",
    "nothing like that", "none of that", "none of those", "no never", "never ever",
    "not that i know", "not that i know of", "none that i know of",
    "i dont know of any", "i dont know of", "dont know of any", "i do not know of any",
    "no not really", "i dont think so", "dont think so", "i do not think so", "i dont believe so",
    "i doubt it", "doubt it", "probably not", "i guess not", "i think not", "not me", "not true",
    "false", "not for me", "not that i remember", "not that i can remember", "not that i recall",
    "not in my case", "few days",
    "a few days", "only a few days", "just a few days",
)

_UNSURE_PHRASES: tuple[str, ...] = (
    "not sure", "unsure", "not certain", "uncertain", "not too sure", "not really sure",
    "im not sure", "no idea", "no clue", "not a clue", "idk", "i dont know", "dont know",
    "i do not know", "do not know", "dont no", "i dont no", "dunno", "i dunno", "hard to say",
    "hard to tell", "cant tell", "cant say", "cannot say", "cannot tell", "not able to say",
    "maybe", "maybe not", "perhaps", "possibly", "might be", "could be", "may be", "kinda",
    "kind of", "sorta", "sort of", "a little", "a bit", "a little bit", "a tiny bit", "slightly",
    "somewhat", "partly", "partially", "sometimes", "at times", "occasionally", "now and then",
    "every now and then", "on and off", "off and on", "here and there", "some days", "some nights",
    "not always", "yes and no", "yes or no", "depends", "it depends", "who knows", "i guess",
    "i suppose", "50 50", "fifty fifty", "iffy", "i cant remember", "i dont remember",
    "not exactly", "more or less", "so so",
)

# Whole-reply answers: only when the reply is nothing else (see the note above).
_SHORT_YES = {
    "y", "i do", "it does", "i have", "it has", "it is", "i am", "they do", "there is", "it did",
    "i did", "right", "same", "me too", "that is me", "thats me", "it does yes", "it has yes",
}
_SHORT_NO = {
    "n", "not", "i dont", "it doesnt", "i havent", "it hasnt", "it isnt", "im not", "i am not",
    "i do not", "it does not", "i have not", "it has not", "it is not", "there isnt",
    "there is not", "it didnt", "i didnt", "they dont", "doesnt", "dont", "havent", "hasnt",
    "isnt", "didnt", "wrong", "never", "nothing", "none", "hardly", "rarely", "never had",
    "never had that", "never had it", "never have", "never noticed", "i never have", "i never did",
}
_FILLERS = {
    "um", "umm", "uh", "er", "well", "oh", "ah", "so", "honestly", "actually", "ok", "okay",
    "hmm", "hm", "and", "but", "like", "lol", "tbh", "please", "thanks", "thank", "you",
}

# Misspellings and chat spellings that the fuzzy step must not be trusted with (short words).
_TYPOS = {
    "yse": "yes", "ys": "yes", "yas": "yes", "yass": "yes", "yez": "yes", "yis": "yes", "yees": "yes",
    "yesh": "yes", "ues": "yes", "yeh": "yeah", "yaeh": "yeah", "yeha": "yeah", "yeag": "yeah",
    "yaa": "ya", "yeap": "yep", "yepp": "yep", "yupp": "yup", "yuh": "yeah",
    "nop": "nope", "noep": "nope", "nopes": "nope", "nopw": "nope", "na": "nah",
    "nahh": "nah", "nahhh": "nah", "mhmm": "mhm", "uhuh": "uh huh", "uhhuh": "uh huh",
    "definately": "definitely", "definatly": "definitely", "definetly": "definitely",
    "defiantly": "definitely", "deffo": "definitely", "def": "definitely", "defo": "definitely",
    "absolutly": "absolutely", "absolutley": "absolutely",
    "probly": "probably", "prolly": "probably", "probaly": "probably", "prob": "probably",
    "maybee": "maybe", "mayb": "maybe", "mabye": "maybe", "mybe": "maybe", "maby": "maybe",
    "idek": "idk", "idfk": "idk", "dk": "idk", "dno": "dunno", "duno": "dunno", "donno": "dunno",
    "kida": "kinda", "knda": "kinda", "kinnda": "kinda", "kindof": "kind of", "sortof": "sort of",
    "notsure": "not sure", "nosure": "not sure", "nit": "not", "nto": "not", "noot": "not",
    "shure": "sure", "suer": "sure", "sur": "sure",
    "realy": "really", "rly": "really", "relly": "really", "raelly": "really",
    "nevr": "never", "nver": "never", "neva": "never", "allways": "always", "alwys": "always",
    "sometims": "sometimes", "somtimes": "sometimes", "smtimes": "sometimes",
    "tho": "though", "thnk": "think", "thik": "think", "dnt": "dont",
    "dosnt": "doesnt", "dosent": "doesnt", "doesent": "doesnt",
    "ofc": "of course", "ofcourse": "of course", "iam": "i am", "lil": "little", "litle": "little",
    "alot": "a lot", "lotz": "lots", "yrs": "years", "mths": "months", "mos": "months",
}
_FUZZY_TARGETS = (
    "definitely", "absolutely", "certainly", "sometimes", "probably", "possibly", "totally",
    "exactly", "correct", "always", "constantly", "occasionally", "affirmative", "negative",
    "really", "unsure", "little", "maybe", "never", "kinda", "sorta", "dunno", "surely",
)
# Real words one edit away from a target: never "correct" these.
_GUARD = {
    "rally", "fever", "lever", "sever", "seven", "newer", "kinds", "sorts", "ensure", "insure",
    "infinitely", "litter", "totals", "mayor", "surety", "nerve", "early",
}


def _phrase_table() -> list[tuple[str, Answer]]:
    """All phrases with their labels, longest first (the regex alternation then prefers them)."""
    table: dict[str, Answer] = {}
    for phrases, label in ((_YES_PHRASES, "yes"), (_NO_PHRASES, "no"), (_UNSURE_PHRASES, "unsure")):
        for phrase in phrases:
            if phrase in table and table[phrase] != label:
                raise RuntimeError(f"phrase {phrase!r} listed under two answers")
            table[phrase] = label  # type: ignore[assignment]
    return sorted(table.items(), key=lambda kv: (-len(kv[0]), kv[0]))


_PHRASES = _phrase_table()
_PHRASE_LABEL: dict[str, Answer] = dict(_PHRASES)
_PHRASE_RE = re.compile(
    r"(?<![a-z0-9])(" + "|".join(re.escape(p) for p, _ in _PHRASES) + r")(?![a-z0-9])"
)
_VOCAB = frozenset(w for p, _ in _PHRASES for w in p.split()) | frozenset(
    w for s in (_SHORT_YES | _SHORT_NO | _FILLERS) for w in s.split()
)

_EMOJI: dict[str, Answer] = {
    "\U0001F44D": "yes", "\u2705": "yes", "\u2714": "yes", "\u2611": "yes", "\U0001F44C": "yes",
    "\U0001F4AF": "yes", "\U0001F646": "yes",
    "\U0001F44E": "no", "\u274C": "no", "\u2716": "no", "\U0001F6AB": "no", "\U0001F645": "no",
    "\u26D4": "no", "\u274E": "no",
    "\U0001F937": "unsure", "\U0001F914": "unsure", "\U0001F615": "unsure", "\U0001FAE4": "unsure",
}
_APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc"


def _fix_token(tok: str) -> str:
    """Repair one token; returns it unchanged when there is nothing safe to repair."""
    if tok.isdigit():
        return tok
    if tok in _TYPOS:
        return _TYPOS[tok]
    if tok in _VOCAB:
        return tok
    squeezed = re.sub(r"(.)\1{2,}", r"\1\1", tok)  # "yesss" -> "yess", "reallly" -> "really"
    single = re.sub(r"(.)\1+", r"\1", tok)  # "yess" -> "yes", "noo" -> "no"
    for cand in (squeezed, single):
        if cand in _TYPOS:
            return _TYPOS[cand]
        if cand in _VOCAB:
            return cand
    if len(tok) >= 5 and tok not in _GUARD:
        limit = 1 if len(tok) <= 6 else 2
        scored = sorted(
            (DamerauLevenshtein.distance(tok, t), t)
            for t in _FUZZY_TARGETS
            if abs(len(t) - len(tok)) <= limit
        )
        if scored and scored[0][0] <= limit and (len(scored) == 1 or scored[1][0] > scored[0][0]):
            return scored[0][1]
    return squeezed


def normalize(text: str) -> str:
    """Lower-case, apostrophe-free, typo-repaired words joined by single spaces."""
    t = unicodedata.normalize("NFKC", text).lower()
    for a in _APOSTROPHES:
        t = t.replace(a, "")
    t = t.replace("&", " and ")
    tokens = re.findall(r"[a-z0-9]+", t)
    return " ".join(_fix_token(tok) for tok in tokens)


def _strip_fillers(norm: str) -> str:
    words = norm.split()
    while words and words[0] in _FILLERS:
        words.pop(0)
    while words and words[-1] in _FILLERS:
        words.pop()
    return " ".join(words)


def _phrase_labels(norm: str) -> set[Answer]:
    """Labels of the phrases found, ignoring phrases that sit inside a longer match."""
    spans: list[tuple[int, int, Answer]] = []
    # finditer with longest-first alternation finds non-overlapping longest matches; also look for
    # matches starting inside earlier ones so that overlapping phrases are all seen.
    for start in range(len(norm)):
        if start and norm[start - 1] != " ":
            continue
        m = _PHRASE_RE.match(norm, start)
        if m:
            spans.append((m.start(), m.end(), _PHRASE_LABEL[m.group(1)]))
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
    labels: set[Answer] = {label for ch, label in _EMOJI.items() if ch in text}
    norm = normalize(text)
    core = _strip_fillers(norm)
    if core in _SHORT_YES:
        labels.add("yes")
    elif core in _SHORT_NO:
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


#: Replies to an offer or a permission question ("Shall I ...?", "Is this right?") that mean yes or
#: no there, although they would not answer a questionnaire item ("ok" to "Has your pain spread?"
#: is not a yes; "ok" to "Shall I send it?" is).
_CONSENT_YES = {
    "ok", "okay", "k", "kk", "okie", "okey", "alright", "all right", "fine", "sounds good",
    "sound good", "go ahead", "do it", "please do", "do that", "yes do that", "sure thing",
    "of course", "course", "yh", "yea", "yeah go ahead", "that works", "works for me",
    "lets do it", "go for it", "please", "yes please", "ok please", "why not", "send it",
}
_CONSENT_NO = {
    "not now", "later", "maybe later", "not today", "no thanks", "no thank you", "rather not",
    "id rather not", "i would rather not", "skip", "skip it", "dont", "i dont want to",
    "no need", "never mind", "nevermind", "not interested", "pass", "im good", "i am good",
    "no im good", "nah im good",
}


def parse_consent(text: str) -> Answer | None:
    """"yes" or "no" to an offer or a confirmation in people's words; None when not clear.

    Everything ``parse_answer`` reads as yes or no, plus the consent phrases above ("ok", "sounds
    good", "go ahead", "not now", "maybe later"). "unsure" is not an answer to an offer.
    """
    if not text or not text.strip():
        return None
    norm = normalize(text)
    for candidate in (norm, _strip_fillers(norm)):
        if candidate in _CONSENT_YES:
            return "yes"
        if candidate in _CONSENT_NO:
            return "no"
    answer = parse_answer(text)
    return answer if answer in ("yes", "no") else None


# --------------------------------------------------------------------------------------------
# Control words
# --------------------------------------------------------------------------------------------
# Anchored on the whole reply, so that words inside an answer do not trigger them: "the pain
# never stops" is an answer, "should I stop my meds?" is a dosing question for the safety screen,
# and "why does my pain spread?" is an FAQ question; none of them is a control word.

_CTRL_PREFIX = (
    r"(?:(?:please|pls|ok|okay|no|nah|actually|just|um|uh|hmm|sorry|so|can we|can you|could we|"
    r"could you|i want to|i wanna|i would like to|id like to|i need to|lets|let us|let me|"
    r"i would rather|id rather|i will|ill) )*"
)
_CTRL_SUFFIX = (
    r"(?: (?:it|this|that|now|please|pls|here|for now|for today|the screening|screening|"
    r"the questions|questions|the question|question|the quiz|quiz|the test|test|"
    r"the questionnaire|questionnaire|the survey|survey|this one|that one|one|this question|"
    r"that question|thanks|thank you|already|then|on|instead|asking|asking me|for me))*"
)
_CTRL_WORDS: dict[Control, tuple[str, ...]] = {
    "skip": (
        "skip", "skp", "sikp", "skipp", "pass", "next", "next question", "next one", "move on",
        "go to the next", "go to next", "go on to the next", "rather not say", "rather not answer",
        "prefer not to say", "prefer not to answer", "not answer", "not say",
        "dont want to answer", "do not want to answer", "no comment", "rather not",
    ),
    "stop": (
        "stop", "stpo", "sotp", "quit", "qiut", "cancel", "cancle", "end", "exit", "abort",
        "enough", "done", "im done", "i am done", "were done", "thats enough", "that is enough",
        "enough questions", "no more questions", "never mind", "nevermind", "forget it",
        "stop asking", "leave", "finish", "dont want to continue", "do not want to continue",
        "dont want to do this", "dont want to do this anymore", "dont want to do it",
        "not do this", "not continue", "end this", "stop this",
    ),
}
_CTRL_RES: dict[Control, re.Pattern[str]] = {
    kind: re.compile(
        "^" + _CTRL_PREFIX + "(?:i )?(?:" + "|".join(re.escape(w) for w in words) + ")"
        + _CTRL_SUFFIX + "$"
    )
    for kind, words in _CTRL_WORDS.items()
}
_WHY_RE = re.compile(
    r"^(?:(?:but|and|so|ok|okay|hmm|um|wait|sorry|just) )*(?:"
    r"why|how come|what for|explain|explain please|please explain|can you explain(?: that| this| why)?|"
    r"why (?:is |do |does |would |are |did )?(?:that|this|it|you|u)(?: question)?"
    r"(?: (?:ask|asking|asked|matter|matters|important|relevant|needed|need|want|wanna|"
    r"care|count|is|a sign|ask me that|ask that|ask this|question|to know|know|need to know|"
    r"want to know|so|there|do|me|that|this|about|for|of))*|"
    r"why ask(?: me)?(?: that| this)?|why (?:that|this) question|whys that|why so|why is that|"
    r"why does (?:that|this|it) matter|why would (?:that|this|it) matter|"
    r"why is (?:that|this|it) (?:important|relevant|asked|needed)|"
    r"what does (?:that|this|it) (?:have|has) to do with (?:it|this|that|anything|my pain|oih|me)|"
    r"whats (?:that|this|it) got to do with (?:it|this|that|anything|my pain|oih|me)|"
    r"what (?:does|has) (?:that|this|it) got to do with (?:it|this|that|anything|my pain|oih|me)|"
    r"how is (?:that|this|it) relevant|how does (?:that|this|it) (?:matter|help|relate)|"
    r"whats the point(?: of (?:that|this|it))?(?: question)?|"
    r"what is the point(?: of (?:that|this|it))?(?: question)?|"
    r"whats (?:that|this) for|what is (?:that|this) for|what is (?:that|this) about"
    r")(?: (?:please|pls|though|tho|then|exactly|again|here))*$"
)


def parse_control(text: str) -> Control | None:
    """Return "skip", "stop" or "why" when the whole reply is that request; otherwise None.

    Checked before ``parse_answer`` on every form turn, so "skip" is never read as an answer.
    Only short, whole-reply requests count; anything longer goes on to the answer parser, the
    safety screen and the FAQ, which is what a real question needs.
    """
    if not text or not text.strip():
        return None
    norm = normalize(text)
    if not norm:
        return None
    if _WHY_RE.match(norm):
        return "why"
    for kind in ("stop", "skip"):
        if _CTRL_RES[kind].match(norm):  # type: ignore[index]
            return kind  # type: ignore[return-value]
    return None


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningResult:
    """The outcome of one completed screening. Holds no personal data: only the answers."""

    screening: Screening = field(repr=False)
    answers: Mapping[str, AnswerValue]
    reported: tuple[Question, ...]  # distinguishing clues present: the only ones that count
    unsure: tuple[Question, ...]
    skipped: tuple[Question, ...]
    level: Level
    context: tuple[Question, ...] = ()  # context items present: listed apart, never counted
    gate: Question | None = None

    @property
    def sign_count(self) -> int:
        """Distinguishing clues present (a "no" on an inverted question would count, a "yes" not)."""
        return len(self.reported)

    @property
    def gate_open(self) -> bool:
        """The setting for OIH is there (long-term use answered "yes"), or there is no gate."""
        return self.gate is None or self.answers.get(self.gate.id) == "yes"

    @property
    def gate_unclear(self) -> bool:
        return self.gate is not None and self.answers.get(self.gate.id) in ("unsure", "skipped")

    @property
    def yes_count(self) -> int:
        """Raw "yes" answers, as typed; see ``sign_count`` for what the level is based on."""
        return sum(1 for v in self.answers.values() if v == "yes")

    @property
    def no_count(self) -> int:
        return sum(1 for v in self.answers.values() if v == "no")

    @property
    def unsure_count(self) -> int:
        return len(self.unsure)

    @property
    def skipped_count(self) -> int:
        return len(self.skipped)

    @property
    def incomplete(self) -> bool:
        """More than half of the questions were skipped or unsure: the level says little then."""
        return (self.unsure_count + self.skipped_count) * 2 > len(self.screening.questions)

    @property
    def short_term_only(self) -> bool:
        """The person said no to long-term use; OIH is rare then (source 002), worth a note."""
        return self.gate is not None and self.answers.get(self.gate.id) == "no"


def _normalize_value(value: Any) -> AnswerValue:
    if value is None or value == "" or value == "skip":
        return "skipped"
    if isinstance(value, str) and value in ANSWER_VALUES:
        return value  # type: ignore[return-value]
    raise ValueError(f"answer must be one of {ANSWER_VALUES} or None, got {value!r}")


def level_for(sign_count: int, gate_open: bool = True) -> Level:
    """The level for a number of the 002 article's distinguishing clues.

    Only the clues count (worse pain after a dose increase, spreading pain, a new kind of pain,
    pain from light touch, pain that stays bad on a steady dose): three or more -> "several signs";
    two -> "some signs"; zero or one -> "few or no signs". Long-term use is the setting for OIH,
    not a sign of it, so it is a gate: unless the person said "yes" to it, the level stays at
    "few or no signs". Relief wearing off sooner, trouble sleeping and "no known new cause" are
    common with tolerance, withdrawal and any chronic pain (content audit, section 7), so they are
    reported apart and never counted: ordinary tolerance with poor sleep cannot reach a level.
    "Unsure" and skipped answers never add to the level either, so the result can only
    understate, never overstate. None of the levels is a diagnosis and the texts say so.
    """
    if not gate_open:
        return "few or no signs"
    if sign_count >= SEVERAL_SIGNS_AT:
        return "several signs"
    if sign_count >= SOME_SIGNS_AT:
        return "some signs"
    return "few or no signs"


def score(answers: Mapping[str, Any], screening: Screening | None = None) -> ScreeningResult:
    """Score answers keyed by question id; values "yes"/"no"/"unsure"/"skipped" (None = skipped).

    A question that is missing from ``answers`` counts as skipped, so a form that lost a slot
    still produces an honest (incomplete) result. Keys that are not question ids are ignored,
    because the Rasa form passes its whole slot dictionary. An unknown value raises ValueError:
    it would mean a bug in the form, and a silent guess could change the result.
    """
    s = screening or cached_screening()
    normalized: dict[str, AnswerValue] = {
        q.id: _normalize_value(answers.get(q.id)) for q in s.questions
    }
    present = [q for q in s.questions if q.points_to_oih(normalized[q.id])]
    reported = tuple(q for q in present if q.role == "clue")
    context = tuple(q for q in present if q.role == "context")
    gate = next((q for q in s.questions if q.role == "gate"), None)
    unsure = tuple(q for q in s.questions if normalized[q.id] == "unsure")
    skipped = tuple(q for q in s.questions if normalized[q.id] == "skipped")
    gate_open = gate is None or normalized[gate.id] == "yes"
    return ScreeningResult(
        screening=s,
        answers=normalized,
        reported=reported,
        unsure=unsure,
        skipped=skipped,
        level=level_for(len(reported), gate_open),
        context=context,
        gate=gate,
    )


# --------------------------------------------------------------------------------------------
# Result texts
# --------------------------------------------------------------------------------------------

_CLINIC_KEYS = {
    "name": ("name", "clinic_name"),
    "phone": ("phone", "telephone", "phone_number"),
    "hours": ("hours", "opening_hours"),
    "web": ("web", "website", "url", "web_page"),
}


def _clinic_fields(clinic: Any) -> dict[str, str]:
    """Read name/phone/hours/web from a mapping (knowledge/clinic.yml, with or without its top
    `clinic:` key) or from an object with those attributes; missing values are left out."""
    if clinic is None:
        return {}
    if isinstance(clinic, Mapping) and isinstance(clinic.get("clinic"), Mapping):
        clinic = clinic["clinic"]
    out: dict[str, str] = {}
    for key, aliases in _CLINIC_KEYS.items():
        for alias in aliases:
            value = clinic.get(alias) if isinstance(clinic, Mapping) else getattr(clinic, alias, None)
            if value not in (None, ""):
                out[key] = str(value).strip()
                break
    return out


def _bullets(items: list[str], prefix: str = "- ") -> str:
    return "\n".join(prefix + item for item in items)


#: The result is never longer than this many chat messages (issue 14: it was up to 7, and more
#: once a channel split long texts; on a phone that is a wall of bubbles).
MAX_RESULT_MESSAGES = 3


def result_messages(
    result: ScreeningResult, clinic: Any = None, include_summary: bool = True
) -> list[str]:
    """The result as at most three chat messages; the callback offer is always the last one.

    1. What was found (``findings_text``): the signs reported (a short list), the unsure and
       skipped ones, the level, and "not a diagnosis".
    2. What to do next (``next_steps_text``): go over it with the prescribing clinician, no dose
       changes alone, and how to reach the clinic.
    3. The printable summary (when asked for) and the offer of a callback (``offer_text``), last so
       the question sits right above its yes/no buttons.

    ``clinic`` is the clinic block of knowledge/clinic.yml (a mapping or an object); without it
    the contact line is left out and the offer names "the clinic". The assistant sends the same
    three messages as domain responses (``result_replies``); this form is for reading them whole.
    """
    s = result.screening
    summary = printable_summary(result) if include_summary else None
    return [findings_text(result), next_steps_text(s, clinic), offer_text(s, clinic, summary)]


#: Where the printable summary goes in the offer's domain response; Rasa's NLG fills it in.
SUMMARY_PLACEHOLDER = "{summary}"


def result_replies(result: ScreeningResult) -> list[dict[str, Any]]:
    """The result as the three domain responses the action sends (bot/replies.py builds them).

    Only the parts that depend on the answers are values: the findings and the printable summary.
    The next steps and the offer's words, with the clinic's details, are in the domain already.
    """
    return [
        {"response": "utter_screening_findings", "findings": findings_text(result)},
        {"response": "utter_screening_next_steps"},
        {"response": "utter_screening_offer", "summary": printable_summary(result)},
    ]


def findings_text(result: ScreeningResult) -> str:
    """Message 1: the signs reported, the unsure and skipped ones, the level, not a diagnosis."""
    texts = result.screening.results
    found: list[str] = []
    if result.reported:
        found.append(texts["reported_intro"] + "\n" + _bullets([q.sign for q in result.reported]))
    else:
        found.append(texts["none_reported"])
    if result.gate is not None and result.gate_open and texts.get("gate_intro"):
        found.append(_squash(texts["gate_intro"]) + "\n" + _bullets([result.gate.sign]))
    if result.context and texts.get("context_intro"):
        found.append(_squash(texts["context_intro"]) + "\n" + _bullets([q.sign for q in result.context]))
    if result.unsure:
        found.append(texts["unsure_intro"] + "\n" + _bullets([q.sign for q in result.unsure]))
    if result.skipped:
        found.append(texts["skipped_intro"] + "\n" + _bullets([q.text for q in result.skipped]))
    level_text = [_squash(texts["levels"][result.level]), _squash(texts["not_diagnosis"])]
    if (result.reported or result.context) and texts.get("also_common"):
        level_text.append(_squash(texts["also_common"]))
    if result.incomplete and texts.get("incomplete"):
        level_text.append(_squash(texts["incomplete"]))
    if result.short_term_only and texts.get("short_term_note"):
        level_text.append(_squash(texts["short_term_note"]))
    if result.gate_unclear and texts.get("gate_unclear"):
        level_text.append(_squash(texts["gate_unclear"]))
    found.append(" ".join(level_text))
    # Single line breaks inside a message: Rasa's REST channel (CollectingOutputChannel) splits a
    # text without buttons at every blank line into separate messages, which is how the result
    # once arrived as 11 bubbles.
    return "\n".join(found)


def next_steps_text(screening: Screening, clinic: Any = None) -> str:
    """Message 2: the same for every result (built into the domain by ``python -m bot build``)."""
    texts = screening.results
    next_steps = [_squash(texts["advice"])]
    fields = _clinic_fields(clinic)
    if "name" in fields and "phone" in fields:
        contact = [texts["contact"].format(**fields)]
        if "hours" in fields and texts.get("contact_hours"):
            contact.append(texts["contact_hours"].format(**fields))
        if "web" in fields and texts.get("contact_web"):
            contact.append(texts["contact_web"].format(**fields))
        next_steps.append(" ".join(contact))
    return "\n".join(next_steps)


def offer_text(screening: Screening, clinic: Any = None, summary: str | None = None) -> str:
    """Message 3: the printable summary (when given) and the callback offer. It carries buttons,
    so Rasa sends it whole, blank lines and all."""
    texts = screening.results
    fields = _clinic_fields(clinic)
    offer = _squash(texts["callback_offer"]).format(clinic_name=fields.get("name", "the clinic"))
    if summary is not None:
        offer = _squash(texts["summary_offer"]) + "\n\n" + summary + "\n\n" + offer
    return offer


def _squash(text: str) -> str:
    return " ".join(str(text).split())


def printable_summary(result: ScreeningResult, date: dt.date | None = None) -> str:
    """A short plain-text summary to copy or print for the appointment.

    It holds no personal data (no name, no contact, no conversation id), only the date and the
    answers, so it is safe to show on a shared screen or print. Each question is repeated with its
    answer so the clinician sees exactly what was asked, including the inverted question.
    """
    s = result.screening.summary
    labels = s["answer_labels"]
    day = (date or dt.date.today()).isoformat()
    lines = [s["title"], f"{s['date_label']}: {day}", ""]
    if result.reported:
        lines.append(s["reported"])
        lines.extend("- " + q.sign for q in result.reported)
    else:
        lines.append(s["none_reported"])
    if result.context and s.get("context_reported"):
        lines += ["", _squash(s["context_reported"])]
        lines.extend("- " + q.sign for q in result.context)
    lines += ["", s["answers"]]
    for q in result.screening.questions:
        lines.append(f"- {q.text} Answer: {labels[result.answers[q.id]]}")
    if s.get("questions"):
        lines += ["", s["questions_to_ask"]]
        lines.extend("- " + item for item in s["questions"])
    lines.append("")
    lines.extend(_squash(item) for item in s["footer"])
    return "\n".join(lines)
