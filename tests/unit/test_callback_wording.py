"""knowledge/callback.yml: every text of the callback request, in one place, checked like the FAQ.

The texts reach people as domain responses ``utter_callback_<key>`` (bot/replies.py); the tests read
them as Rasa fills them in (``bot.replies.render``), clinic details and all.
"""
from __future__ import annotations

import re

import pytest
import textstat

from actions import callback
from bot.replies import placeholders, render

PLACEHOLDERS = {
    "name": "Ann", "contact": "(212) 555-0147", "time": "mornings", "reference": "K7M2QX",
    "detail": "phone number", "value": "(212) 555-0199", "example": "(201) 555-0123",
}
STIGMA = re.compile(r"\b(?:addicts?|abusers?|junkies|junkie|clean|dirty)\b", re.IGNORECASE)


def _filled() -> dict[str, str]:
    return {key: render({"response": f"utter_callback_{key}", **PLACEHOLDERS})["text"]
            for key in callback.wording()["texts"]}


def test_all_texts_are_there_and_fill_in() -> None:
    texts = callback.wording()["texts"]
    assert set(callback.REQUIRED_TEXTS) <= set(texts)
    for key, text in _filled().items():
        assert "{" not in text and text.strip(), key
        assert placeholders(str(texts[key])) <= set(PLACEHOLDERS) | {"clinic", "phone", "hours", "emergency"}, key


def test_plain_language_and_person_first_words() -> None:
    filled = _filled()
    assert textstat.flesch_kincaid_grade(" ".join(filled.values())) <= 7.0
    for key, text in filled.items():
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
