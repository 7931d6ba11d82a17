"""The OIH screening questionnaire: definition, free-word answer parsing, scoring and result texts.

The wording lives in ``knowledge/screening.yml`` and the words people answer with in
``knowledge/answer_words.yml``, so that clinicians edit files, not code. This package only loads
them into typed objects, understands what people type back, and turns the answers into a result
that lists signs in plain words. It never produces a diagnosis: the strongest thing the result
says is "several signs", followed by "this is not a diagnosis" and the advice to talk to the
prescribing clinician.

One module per reason to change:

- ``definition``: knowledge/screening.yml loaded and checked (questions, roles, wording);
- ``words``: knowledge/answer_words.yml loaded and checked (yes/no/unsure words, consent words,
  control words, misspellings);
- ``answers``: reading a reply as "yes", "no" or "unsure", and consent to an offer;
- ``control``: "skip", "stop" and "why?" inside a form;
- ``scoring``: the level and the signs behind it;
- ``result``: the result messages and the printable summary.

Everything here is pure Python (no Rasa import), so the form's behaviour is unit-tested without a
server; the Rasa forms and actions are thin adapters over the names exported below.
"""
from __future__ import annotations

from bot.screening.answers import normalize, parse_answer, parse_consent
from bot.screening.control import Control, parse_control
from bot.screening.definition import (
    ANSWER_VALUES,
    LEVELS,
    ROLES,
    SCREENING_FILE,
    Answer,
    AnswerValue,
    Level,
    Question,
    Role,
    Screening,
    ScreeningError,
    cached_screening,
    check_sources,
    load_screening,
    parse_screening,
)
from bot.screening.result import (
    MAX_RESULT_MESSAGES,
    SUMMARY_PLACEHOLDER,
    findings_text,
    next_steps_text,
    offer_text,
    printable_summary,
    result_messages,
    result_replies,
)
from bot.screening.scoring import SEVERAL_SIGNS_AT, SOME_SIGNS_AT, ScreeningResult, level_for, score
from bot.screening.words import WORDS_FILE, AnswerWords, load_answer_words, parse_answer_words

__all__ = [
    "ANSWER_VALUES", "LEVELS", "MAX_RESULT_MESSAGES", "ROLES", "SCREENING_FILE", "SEVERAL_SIGNS_AT",
    "SOME_SIGNS_AT", "SUMMARY_PLACEHOLDER", "WORDS_FILE", "Answer", "AnswerValue", "AnswerWords",
    "Control", "Level", "Question", "Role", "Screening", "ScreeningError", "ScreeningResult",
    "cached_screening", "check_sources", "findings_text", "level_for", "load_answer_words",
    "load_screening", "next_steps_text", "normalize", "offer_text", "parse_answer",
    "parse_answer_words", "parse_consent", "parse_control", "parse_screening", "printable_summary",
    "result_messages", "result_replies", "score",
]
