"""knowledge/answer_words.yml: the words people answer a form with are content, loaded and checked.

The parsing itself is pinned by tests/unit/test_screening.py and test_form_replies.py; these tests
pin that the words come from the file (an edit there changes what is understood) and that a bad
edit fails loudly instead of never matching.
"""
from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from bot.screening import ScreeningError, answers, control, parse_answer, parse_consent, parse_control
from bot.screening.words import WORDS_FILE, load_answer_words, parse_answer_words

RAW: dict[str, Any] = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))


def _with(change) -> dict[str, Any]:
    data = copy.deepcopy(RAW)
    change(data)
    return data


def test_the_file_loads_with_every_part() -> None:
    words = load_answer_words()
    labels = {label for label in words.phrases.values()}
    assert labels == {"yes", "no", "unsure"}
    assert len(words.phrases) > 200 and len(words.typos) > 80
    assert {"skip", "stop"} == set(words.control.words)
    assert words.control.why_patterns and set(words.emoji.values()) == {"yes", "no", "unsure"}


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["answers"]["yes"].append(True), "quote it"),  # an unquoted yes
        (lambda d: d["whole_reply"]["no"].append(100), "quote it"),
        (lambda d: d["answers"]["no"].append("don't"), "without apostrophes"),
        (lambda d: d["consent"]["yes"].append("Sounds Good"), "lower-case"),
        (lambda d: d["fillers"].append("um  uh"), "single spaces"),
        (lambda d: d["answers"]["unsure"].append("nope"), "listed under two answers"),
        (lambda d: d["typos"]["yes"].append("nop"), "listed twice"),
        (lambda d: d["answers"].pop("unsure"), "needs exactly the keys"),
        (lambda d: d.pop("fuzzy_guard"), "missing `fuzzy_guard`"),
        (lambda d: d["control"]["why"]["patterns"].append("why (that"), "not a valid pattern"),
        (lambda d: d["emoji"]["yes"].append("ok"), "one emoji character"),
    ],
)
def test_a_bad_edit_fails_loudly_and_says_what_is_wrong(change, message: str) -> None:
    with pytest.raises(ScreeningError, match=message):
        parse_answer_words(_with(change))


@pytest.fixture
def words_from(monkeypatch):
    """Read replies with an edited copy of the file (the real parsers, other words)."""

    def use(change) -> None:
        compiled = answers._compile(parse_answer_words(_with(change)))
        monkeypatch.setattr(answers, "_reader", lambda: compiled)
        monkeypatch.setattr(control, "cached_answer_words", lambda: compiled.words)
        control._patterns.cache_clear()

    yield use
    control._patterns.cache_clear()


def test_an_added_word_is_understood_without_a_code_change(words_from) -> None:
    assert parse_answer("aye") is None and parse_answer("Ayeee!") is None and parse_consent("righto") is None
    assert parse_control("bail") is None
    words_from(lambda d: (d["answers"]["yes"].append("aye"), d["consent"]["yes"].append("righto"),
                          d["control"]["stop"].append("bail")))
    assert parse_answer("aye") == "yes"
    assert parse_answer("Ayeee!") == "yes"  # the speller repairs towards the new word too
    assert parse_consent("righto") == "yes"
    assert parse_control("please bail") == "stop"


def test_a_removed_word_is_no_longer_understood(words_from) -> None:
    assert parse_answer("nope") == "no"
    words_from(lambda d: d["answers"]["no"].remove("nope"))
    assert parse_answer("nope") is None
