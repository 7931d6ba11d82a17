"""The shared spelling mechanics (bot/spelling.py) and each reader's tricky cases on top of them.

The three readers share one nearest-word function and one letter-squeeze, with different
vocabularies and thresholds; a change to the shared part must keep every reader's known cases.
"""
from __future__ import annotations

import pytest

from bot import spelling
from bot.safety.reading import readings
from bot.screening.answers import ClosedSpeller, normalize
from bot.textnorm import correct_word, domain_vocabulary, normalise

# --- The mechanics -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, two, one",
    [
        ("pleeease", "pleease", "please"),
        ("tooo", "too", "to"),
        ("upppp", "upp", "up"),
        ("too", "too", "too"),  # doubled letters are left as typed
        ("1000", "1000", "1000"),  # digits are never squeezed: a number is not a typing accident
        ("síííí", "síí", "sí"),  # letters of any alphabet
    ],
)
def test_squeeze_repeats_keeps_two_or_one(typed: str, two: str, one: str) -> None:
    assert spelling.squeeze_repeats(typed, keep=2) == two
    assert spelling.squeeze_repeats(typed, keep=1) == one
    assert spelling.is_stretched(typed) == (typed != two)


@pytest.mark.parametrize(
    "typed, expected", [("yess", "yes"), ("diee", "die"), ("nooo", "no"), ("yes", "yes"), ("100", "100")]
)
def test_collapse_repeats_keeps_each_letter_once(typed: str, expected: str) -> None:
    assert spelling.collapse_repeats(typed) == expected


def test_known_in_asks_every_vocabulary_and_first_known_keeps_the_order() -> None:
    known = spelling.known_in({"please"}, {"to": "x"}, ["up"])
    assert known("please") and known("to") and known("up")
    assert not known("pleease")
    assert spelling.first_known(["pleease", "please", "to"], known) == "please"
    assert spelling.first_known(["to", "please"], known) == "to"
    assert spelling.first_known(["qq"], known) is None


def test_nearest_by_ratio_respects_the_cutoff_and_the_length_window() -> None:
    words = ("oxycodone", "oxycontin")
    assert spelling.nearest("oxycodon", words, scorer=spelling.RATIO, cutoff=84) == "oxycodone"
    assert spelling.nearest("oxy", words, scorer=spelling.RATIO, cutoff=84) is None
    # close enough by ratio, but "tolerance" is three letters longer than "tolerant"s typo
    assert spelling.nearest("toleran", ("tolerance",), scorer=spelling.RATIO, cutoff=80) == "tolerance"
    assert spelling.nearest("toleran", ("tolerance",), scorer=spelling.RATIO, cutoff=80, window=1) is None


def test_nearest_ties_take_the_first_or_refuse() -> None:
    # "sevet" is one edit from "seven" and from "sever"
    choices = ("seven", "sever")
    assert spelling.nearest("sevet", choices, scorer=spelling.EDITS, cutoff=1) == "seven"
    assert spelling.nearest("sevet", choices[::-1], scorer=spelling.EDITS, cutoff=1) == "sever"
    assert spelling.nearest("sevet", choices, scorer=spelling.EDITS, cutoff=1, ties="refuse") is None
    assert spelling.nearest("sevenn", choices, scorer=spelling.EDITS, cutoff=1, ties="refuse") == "seven"
    # a swap of two letters is one edit, and a second choice further away is no tie
    assert spelling.nearest("yse", ("yes", "yea"), scorer=spelling.EDITS, cutoff=1, ties="refuse") == "yes"
    assert spelling.nearest("xyz", choices, scorer=spelling.EDITS, cutoff=1, ties="refuse") is None


# --- The FAQ model's open text (bot/textnorm.py) --------------------------------------------------


@pytest.mark.parametrize(
    "typed, expected",
    [("oxycodon", "oxycodone"), ("hyperalgeisa", "hyperalgesia"), ("weather", "weather"), ("grandmother", "grandmother")],
)
def test_faq_reader_repairs_medical_words_only(typed: str, expected: str) -> None:
    assert correct_word(typed) == expected


def test_faq_reader_breaks_ties_the_same_way_in_every_process() -> None:
    """"prescribe" is as near to "prescribed", "prescriber" and "prescribes": the first wins.

    Before the vocabulary was sorted, the winner depended on the process's string-hash seed, so
    training and serving could read the same word differently.
    """
    assert list(domain_vocabulary()) == sorted(domain_vocabulary())
    assert {"prescribed", "prescriber", "prescribes"} <= set(domain_vocabulary())
    assert correct_word("prsecribe") == "prescribed"


def test_faq_reader_keeps_the_case_of_what_it_leaves() -> None:
    assert normalise("The Weather and my OXYCODON") == "The Weather and my oxycodone"


# --- Form answers (bot/screening/answers.py) ------------------------------------------------------

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


@pytest.mark.parametrize(
    "typed, expected",
    [("yse", "yes"), ("now", "now"), ("nooo", "no"), ("absolutley", "absolutely"), ("NOOO!!", "no")],
)
def test_form_answers_with_the_real_answer_words(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


# --- The safety screen (bot/safety/reading.py) ----------------------------------------------------


@pytest.mark.parametrize(
    "typed, surface",
    [
        ("pleeease", "please"),  # stretched, then the known one of "pleease" / "please"
        ("takin", "taking"),  # a dropped g
        ("wnat", "want"),  # two letters swapped, mended to a word of swapped_letters
        ("barely", "barely"),  # ... and never to any other word ("barley")
        ("oxycodon", "oxycodone"),  # a misspelt medicine name
        ("weather", "weather"),  # a known word is never repaired
        ("now", "now"),
        ("1000", "1000"),  # numbers are never squeezed
    ],
)
def test_safety_reader_repairs_words_towards_its_rules(typed: str, surface: str) -> None:
    _, surface_string = readings(typed)
    assert surface_string == surface


def test_safety_reader_reads_plural_medicine_names_as_the_medicine() -> None:
    lemma, surface = readings("tramadols")
    assert surface == "tramadol"


def test_swapped_once_offers_each_neighbouring_swap() -> None:
    """Round fifty-three: "wnat" must offer "want"; a doubled letter offers no swap of itself."""
    assert "want" in spelling.swapped_once("wnat")
    assert spelling.swapped_once("dei") == ["edi", "die"]
    assert spelling.swapped_once("oo") == []


def test_safety_reader_reads_rn_after_an_article_as_a_nurse() -> None:
    """Round fifty-three: "she's an RN now" was read "right now", which the rules read as danger now."""
    assert readings("she is an rn now")[1] == "she is an nurse now"
    assert readings("he is not breathing rn")[1] == "he is not breathing right now"
