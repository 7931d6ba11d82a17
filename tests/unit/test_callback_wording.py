"""knowledge/callback.yml: every text of the callback request, in one place, checked like the FAQ."""
from __future__ import annotations

import re

import pytest
import textstat

from actions import callback

PLACEHOLDERS = {
    "name": "Ann", "contact": "(212) 555-0147", "time": "mornings", "reference": "K7M2QX",
    "detail": "phone number", "value": "(212) 555-0199", "example": "(201) 555-0123",
}
STIGMA = re.compile(r"\b(?:addicts?|abusers?|junkies|junkie|clean|dirty)\b", re.IGNORECASE)


def test_all_texts_are_there_and_fill_in() -> None:
    texts = callback.texts()
    assert set(callback.REQUIRED_TEXTS) <= set(texts)
    for key, text in texts.items():
        filled = text.format(**callback.clinic_fields(), **PLACEHOLDERS)
        assert "{" not in filled and filled.strip(), key


def test_plain_language_and_person_first_words() -> None:
    texts = callback.texts()
    whole = " ".join(t.format(**callback.clinic_fields(), **PLACEHOLDERS) for t in texts.values())
    assert textstat.flesch_kincaid_grade(whole) <= 7.0
    for key, text in texts.items():
        assert not STIGMA.search(text), key
        longest = max(len(s.split()) for s in re.split(r"[.?!:]\s", text) if s.strip())
        assert longest <= 25, key  # short sentences


@pytest.mark.parametrize("key", ["yes_no", "times", "change"])
def test_buttons(key: str) -> None:
    buttons = callback._buttons(key)
    assert buttons and all(b["title"] == b["payload"] for b in buttons)


def test_change_buttons_are_read_as_changes() -> None:
    from bot.form_replies import parse_change

    assert [parse_change(b["title"]) for b in callback._buttons("change")] == ["name", "contact", "time"]
