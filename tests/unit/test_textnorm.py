"""Spelling repair of medical words must fix typos and leave ordinary words alone."""
from __future__ import annotations

import pytest

from bot.textnorm import normalise


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("is oih the same as adiction", "is oih the same as addiction"),
        ("my oxycodon makes pain worse", "my oxycodone makes pain worse"),
        ("what is hyperalgeisa", "what is hyperalgesia"),
        ("tollerance vs oih", "tolerance vs oih"),
        ("allodinia what is it", "allodynia what is it"),
        ("withdrawl or oih", "withdrawal or oih"),
    ],
)
def test_misspelt_medical_words_are_repaired(typed, expected):
    assert normalise(typed) == expected


@pytest.mark.parametrize(
    "text",
    ["the weather is nice today", "my grandmother takes pills", "thanks a lot", "hello there", "", "ОИГ что это"],
)
def test_ordinary_text_is_left_alone(text):
    assert normalise(text) == text
