"""Control words inside a form: "skip" a question, "stop" the form, "why" do you ask.

Anchored on the whole reply, so that words inside an answer do not trigger them: "the pain never
stops" is an answer, "should I stop my meds?" is a dosing question for the safety screen, and "why
does my pain spread?" is an FAQ question; none of them is a control word. The words are in
``control:`` of knowledge/answer_words.yml; this module only builds the patterns from them.
"""
from __future__ import annotations

import functools
import re
from typing import Literal

from bot.screening.answers import normalize
from bot.screening.words import ControlWords, cached_answer_words

Control = Literal["skip", "stop", "why"]


def _any_of(words: tuple[str, ...]) -> str:
    # The loader only admits lower-case letters, digits and spaces, so no word needs escaping.
    return "|".join(words)


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[Control, re.Pattern[str]]:
    words: ControlWords = cached_answer_words().control
    lead = f"(?:(?:{_any_of(words.lead)}) )*"
    tail = f"(?: (?:{_any_of(words.tail)}))*"
    patterns: dict[Control, re.Pattern[str]] = {
        "why": re.compile(
            f"^(?:(?:{_any_of(words.why_lead)}) )*(?:" + "|".join(words.why_patterns) + ")"
            f"(?: (?:{_any_of(words.why_tail)}))*$"
        )
    }
    for kind in ("stop", "skip"):
        alternatives = "|".join(re.escape(w) for w in words.words[kind])
        patterns[kind] = re.compile("^" + lead + "(?:i )?(?:" + alternatives + ")" + tail + "$")  # type: ignore[index]
    return patterns


def parse_control(text: str) -> Control | None:
    """Return "skip", "stop" or "why" when the whole reply is that request; otherwise None.

    Checked before ``parse_answer`` on every form turn, so "skip" is never read as an answer.
    Only short, whole-reply requests count; anything longer goes on to the answer parser, the
    safety screen and the FAQ, which is what a real question needs. "why" is tried first, then
    "stop", then "skip".
    """
    if not text or not text.strip():
        return None
    norm = normalize(text)
    if not norm:
        return None
    for kind, pattern in _patterns().items():
        if pattern.match(norm):
            return kind
    return None
