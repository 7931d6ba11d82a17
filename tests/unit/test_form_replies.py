"""Replies that steer a form (bot/form_replies.py): ways out, forget me, corrections, changes."""
from __future__ import annotations

import pytest

from bot import form_replies as fr


@pytest.mark.parametrize("text", [
    "stop", "not now", "Not now, thanks", "later", "maybe later", "cancel", "never mind",
    "nevermind", "I don't want to", "i dont want to", "I don’t want to do this", "no thanks, not today",
    "not in the mood for this now", "I'm not in the mood right now", "nah not now", "forget it",
    "I changed my mind", "not up for this", "too tired", "leave me alone",
])
def test_ways_out_in_peoples_words(text: str) -> None:
    assert fr.wants_to_leave(text)


@pytest.mark.parametrize("text", [
    "", "no", "yes", "later in the afternoon", "weekday mornings", "now is fine",
    "Ann Lee", "(212) 555-0147", "the pain never stops", "I don't want to take more pills",
])
def test_answers_are_not_ways_out(text: str) -> None:
    assert not fr.wants_to_leave(text)


@pytest.mark.parametrize("text", [
    "forget me", "Forget about me", "delete my data", "please delete my data", "erase this conversation",
    "remove my details", "delete everything",
])
def test_forget_me_inside_a_form(text: str) -> None:
    assert fr.wants_to_forget(text)


@pytest.mark.parametrize("text", ["forget it", "I forget", "my data is fine", "(212) 555-0147", "Ann"])
def test_not_forget_me(text: str) -> None:
    assert not fr.wants_to_forget(text)


@pytest.mark.parametrize(("text", "value"), [
    ("no wait", ""),
    ("No wait!", ""),
    ("sorry, it's 212 555 0147", "212 555 0147"),
    ("sorry it’s (212) 555-0147", "(212) 555-0147"),
    ("I meant Ann", "Ann"),
    ("actually, mornings", "mornings"),
    ("no, it's ann@example.org", "ann@example.org"),
    ("oops, my number is 212-555-0147", "212-555-0147"),
    ("wait, the email is ann@example.org", "ann@example.org"),
    ("sorry I meant 2125550147", "2125550147"),
])
def test_corrections(text: str, value: str) -> None:
    assert fr.parse_correction(text) == (True, value)


@pytest.mark.parametrize("text", ["no", "No.", "nope", "yes", "Ann Lee", "weekday mornings", "2125550147"])
def test_not_corrections(text: str) -> None:
    assert fr.parse_correction(text)[0] is False


@pytest.mark.parametrize(("text", "detail"), [
    ("change the phone", "contact"), ("the name is wrong", "name"), ("wrong number", "contact"),
    ("Change the phone or email", "contact"), ("can I change my email?", "contact"),
    ("Change the time", "time"), ("the time is wrong", "time"), ("fix my name", "name"),
    ("no, the number is wrong", "contact"), ("change the name to Ann", "name"),
])
def test_what_to_change(text: str, detail: str) -> None:
    assert fr.parse_change(text) == detail


@pytest.mark.parametrize("text", ["yes", "no", "change", "send it", "Change a detail", "the name and the time are wrong"])
def test_no_single_detail_to_change(text: str) -> None:
    assert fr.parse_change(text) is None


def test_change_without_a_detail() -> None:
    assert fr.wants_some_change("Change a detail") and fr.wants_some_change("something is wrong")
    assert not fr.wants_some_change("yes") and not fr.wants_some_change("send it")
