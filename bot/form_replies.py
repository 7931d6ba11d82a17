"""Replies inside a form that are about the form itself, in people's words.

``bot.screening.parse_control`` reads the short control words ("stop", "skip", "why?"). This
module reads the rest of what people type to steer a form, for the callback request and the
questionnaire alike:

- ``wants_to_leave``: ways out in people's own words ("not now", "later", "I don't want to",
  "not in the mood for this now"). Only the whole reply counts, so an answer that happens to
  contain "now" or "later" ("later in the afternoon") is still an answer.
- ``wants_to_forget``: "forget me", "delete my data": leave the form and run the forget-me flow.
- ``parse_correction``: "no wait, it's 555 201 3344", "sorry, I meant Ann", "actually, mornings":
  the person fixes the detail they just gave instead of answering the next question.
- ``parse_change``: at the confirmation, "change the phone", "the name is wrong", "wrong
  number": which detail to ask again.

Pure functions over text: no Rasa here, so everything is unit-tested in milliseconds.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Literal

from bot.spelling import APOSTROPHES, apostrophe_free

Detail = Literal["name", "contact", "time"]


def _norm(text: str) -> str:
    """Lower case, no apostrophes, words of letters/digits joined by single spaces."""
    return " ".join(re.findall(r"[a-z0-9]+", apostrophe_free(text or "")))


# --------------------------------------------------------------------------------------------
# Ways out
# --------------------------------------------------------------------------------------------

_LEAVE_LEAD = (
    r"(?:(?:no|nah|nope|ok|okay|sorry|um|uh|hmm|actually|honestly|just|please|pls|thanks|"
    r"thank you|no thanks|no thank you|oh|well|i think|lets|let s) )*"
)
_LEAVE_CORE = (
    # not now / later
    r"not now|not right now|not today|not at the moment|not yet|not this time|another time|"
    r"some other time|maybe later|later|later maybe|ill do it later|i will do it later|"
    r"lets do this later|do it later|do this later|some other day|another day|"
    # cancel / stop / never mind
    r"cancel|cancel it|cancel that|cancel this|stop|stop it|stop this|stop now|stop please|"
    r"never mind|nevermind|nvm|forget it|forget about it|leave it|drop it|quit|exit|"
    r"i changed my mind|changed my mind|ive changed my mind|i have changed my mind|"
    # unwillingness
    r"i dont want to|i do not want to|dont want to|i dont wanna|dont wanna|i dont want this|"
    r"i dont want that|i dont want it|i dont want any|i dont want to do this|"
    r"i dont want to do that|i dont want to continue|i dont want to go on|"
    r"i dont want to answer|i dont want to answer this|i dont want to answer these|"
    r"i dont want a callback|i dont want a call|i dont want a call back|"
    r"i dont want to give my number|i dont want to give my details|"
    r"i would rather not|id rather not|rather not|no i dont|i dont feel like it|"
    r"i dont feel like doing this|i dont feel like answering|dont feel like it|"
    r"not interested|no interest|"
    # mood
    r"not in the mood|im not in the mood|i am not in the mood|not in the mood for this|"
    r"not in the mood for that|not in the mood for it|not in the mood for questions|"
    r"im not in the mood for this|i am not in the mood for this|not feeling it|"
    r"im not feeling it|im not up for this|i am not up for this|not up for this|"
    r"not up for it|im not up for it|too tired|im too tired|i am too tired|"
    r"no energy for this|i have no energy for this|"
    r"im done|i am done|done|enough|thats enough|that is enough|no more|"
    r"no more questions|stop asking|stop asking me|leave me alone|go away|bye|goodbye"
)
_LEAVE_TAIL = (
    r"(?: (?:now|right now|for now|today|please|pls|thanks|thank you|then|anymore|any more|"
    r"sorry|at the moment|just now|maybe|this time|thx|ty))*"
)
_LEAVE_RE = re.compile(f"^{_LEAVE_LEAD}(?:{_LEAVE_CORE}){_LEAVE_TAIL}$")


def wants_to_leave(text: str) -> bool:
    """The whole reply says "not now / not this": leave the form, keep nothing.

    >>> wants_to_leave("not in the mood for this now"), wants_to_leave("later in the afternoon")
    (True, False)
    """
    norm = _norm(text)
    return bool(norm) and bool(_LEAVE_RE.match(norm))


_FORGET_RE = re.compile(
    r"\b(?:forget (?:me|about me|my (?:data|details|info|information|number|name|conversation|chat))|"
    r"(?:delete|erase|remove|wipe|clear|destroy) (?:all )?(?:of )?(?:my|this|the) "
    r"(?:data|details|info|information|personal data|conversation|chat|messages|history|"
    r"number|phone number|records?)|"
    r"(?:delete|erase|remove|wipe) (?:me|everything|it all|all of it|all my data)|"
    r"right to be forgotten|gdpr)\b"
)


def wants_to_forget(text: str) -> bool:
    """ "forget me", "delete my data", "erase this conversation", ... anywhere in a short reply."""
    norm = _norm(text)
    return bool(norm) and len(norm.split()) <= 12 and bool(_FORGET_RE.search(norm))


# --------------------------------------------------------------------------------------------
# Corrections of the detail just given
# --------------------------------------------------------------------------------------------

_CORRECTION_RE = re.compile(
    r"^\s*(?:(?:no+|nope|oh|oops|whoops|sorry|wait|hold on|hang on|actually|correction|my bad|"
    r"my mistake|i meant|i mean|meant|not that|thats wrong|that is wrong|thats not right|"
    r"that is not right|wrong|typo|scratch that|let me correct that|i made a mistake|"
    r"i got it wrong|mistake)\b[\s,.:;!\-]*)+"
    r"(?:(?:it s|its|it is|it should be|should be|make (?:that|it)|change (?:that|it) to|"
    r"i meant|i mean|meant|the right one is|the correct one is|"
    r"(?:my|the) (?:number|phone|phone number|cell|mobile|email|e mail|email address|name|time)"
    r"(?: is|s)?|my names|its actually|it is actually)\b[\s,.:;!\-]*)*",
    re.IGNORECASE,
)
_CORRECTION_START = re.compile(
    r"^\s*(?:no+ wait|wait|hold on|hang on|sorry|oops|whoops|actually|correction|my bad|"
    r"my mistake|i meant|i mean|scratch that|typo|wrong|thats wrong|that is wrong|no+[,.!])",
    re.IGNORECASE,
)


def parse_correction(text: str) -> tuple[bool, str]:
    """(True, the new value) when the reply corrects the detail just given; else (False, "").

    The value may be empty ("no wait!"): the person wants to fix the last detail but has not said
    it yet; the form then asks for it again. Apostrophes are straightened first so "it's" and
    "it’s" read the same; the value keeps its own spelling (a name, an address).
    """
    if not text or not text.strip():
        return False, ""
    t = unicodedata.normalize("NFKC", text)
    for a in APOSTROPHES:
        t = t.replace(a, " ")  # "it's" -> "it s", "I'm" -> "I m"
    if not _CORRECTION_START.match(t):
        return False, ""
    m = _CORRECTION_RE.match(t)
    rest = t[m.end():] if m else t
    rest = re.sub(r"\bI m\b", "I'm", rest).strip(" ,.;:!-")
    if not rest and re.fullmatch(r"\s*no+\s*[,.!]*\s*", t, re.IGNORECASE):
        return False, ""  # a bare "No." is an answer, not a correction
    return True, rest


# --------------------------------------------------------------------------------------------
# "Change the phone" at the confirmation
# --------------------------------------------------------------------------------------------

_DETAIL_WORDS: dict[Detail, str] = {
    "name": r"name|first name|last name|surname|spelling of my name|spelled|spelt",
    "contact": (
        r"phone|phone number|number|cell|cell number|mobile|mobile number|telephone|tel|"
        r"email|e mail|email address|mail|address|contact|contact details|contact info|digits?"
    ),
    "time": r"time|times|best time|the time|hour|hours|when|day|days|morning|afternoon|evening",
}
_CHANGE_VERBS = (
    r"change|chnage|chang|edit|fix|correct|update|redo|re do|modify|alter|replace|amend|"
    r"different|another|new|wrong|incorrect|not right|isnt right|is not right|mistake|typo|"
    r"not correct|isnt correct|is wrong|are wrong|bad|off"
)
_CHANGE_RE = re.compile(rf"\b(?:{_CHANGE_VERBS})\b")


def parse_change(text: str) -> Detail | None:
    """Which detail the person wants to change at the confirmation, or None.

    Needs both a change word ("change", "wrong", "fix", ...) and exactly one detail ("phone",
    "name", "time", ...): "change the phone" and "the name is wrong" qualify, "wrong number" too,
    while a bare "change" or "no" does not (the form then asks which one, or reads a no).
    """
    norm = _norm(text)
    if not norm or len(norm.split()) > 14 or not _CHANGE_RE.search(norm):
        return None
    found = [
        detail for detail, words in _DETAIL_WORDS.items()
        if re.search(rf"\b(?:{words})\b", norm)
    ]
    return found[0] if len(found) == 1 else None


def wants_some_change(text: str) -> bool:
    """ "I want to change something", "something is wrong", "edit": a change, detail unknown."""
    norm = _norm(text)
    return bool(norm) and len(norm.split()) <= 10 and bool(
        re.search(r"\b(?:change|edit|fix|correct|wrong|mistake|typo|not right|incorrect)\b", norm)
    )
