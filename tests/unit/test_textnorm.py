"""Spelling repair of medical words must fix typos and leave ordinary words alone."""
from __future__ import annotations

import pytest

from bot.textnorm import ClosedSpeller, normalise


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


# --- Repair towards a closed vocabulary (the words of form answers) -------------------------------

SPELLER = ClosedSpeller(
    vocabulary=frozenset({"yes", "no", "now", "never", "absolutely", "sometimes"}),
    typos={"yse": "yes", "nop": "no"},
    fuzzy_targets=("never", "absolutely", "sometimes", "seven", "sever"),
    guard=frozenset({"fever"}),
)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("yse", "yes"),  # the table of misspellings
        ("yessss", "yes"),  # stretched letters
        ("nooo", "no"),
        ("absolutley", "absolutely"),  # long word: two edits allowed
        ("nevar", "never"),  # five letters: one edit
        ("smoetimes", "sometimes"),  # a swap of two letters is one edit
        ("now", "now"),  # known word
        ("noe", "noe"),  # short words are never fuzzy-repaired ("now" must not become "no")
        ("fever", "fever"),  # a guarded real word
        ("sevet", "sevet"),  # one edit from both "seven" and "sever": a tie is left alone
        ("2024", "2024"),
        ("qqqqq", "qq"),  # nothing close: only the stretch is squeezed
    ],
)
def test_closed_speller_repairs_only_when_sure(typed: str, expected: str) -> None:
    assert SPELLER.repair(typed) == expected
