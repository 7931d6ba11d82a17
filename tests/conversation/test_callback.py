"""Callback requests through the real Rasa and action servers, read back with the staff command.

The servers write to their own referrals database (``chat.referrals_url``, a temporary SQLite
file); the staff command reads the same file, as a clinic's staff member would.
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot import referrals
from bot.safety import load_clinic
from bot.screening import cached_screening

ROOT = Path(__file__).resolve().parents[2]
CLINIC = load_clinic()["clinic"]
PERSONAL_SLOTS = ("callback_name", "callback_contact", "callback_time", "callback_consent", "callback_confirm")


def joined(replies: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in replies)


def unique_name() -> str:
    """A name no other test uses (the referrals database is shared by the test session).

    Rare letters only: a random word over the whole alphabet can come close enough to a medicine
    or a medical word for the spelling repair to "correct" it, and then the saved name differs.
    """
    letters = "".join(random.choices("jkqvwxz", k=8))
    return f"Tess {letters.capitalize()}"


def staff(chat, *args: str) -> subprocess.CompletedProcess:
    """``python -m bot referrals ...`` as staff run it, against the servers' database."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "referrals", *args, "--db-url", chat.referrals_url],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def count_requests(chat) -> int:
    return len(referrals.list_requests(None, db_url=chat.referrals_url))


def find_request(chat, name: str) -> referrals.CallbackRequest:
    rows = [r for r in referrals.list_requests(None, db_url=chat.referrals_url) if r.name == name]
    assert len(rows) == 1, rows
    return rows[0]


def assert_consent_question(replies: list[dict[str, Any]]) -> None:
    text = replies[-1]["text"]
    assert "name" in text and "phone number or email" in text  # what is needed
    assert "Only the clinic's staff" in text  # who sees it
    assert [b["title"] for b in replies[-1]["buttons"]] == ["Yes", "No"]


def assert_personal_slots_cleared(chat, sender) -> None:
    slots = chat.tracker(sender)["slots"]
    assert all(slots.get(s) is None for s in PERSONAL_SLOTS), {s: slots.get(s) for s in PERSONAL_SLOTS}


def fill_request(chat, sender, name: str, contact: str = "(212) 555-0147", time: str = "weekday mornings") -> str:
    """From the consent question to the confirmation; returns the confirmation text."""
    assert "What name" in joined(chat.send(sender, "yes"))
    assert "phone number or email address" in joined(chat.send(sender, f"my name is {name}"))
    assert "good time" in joined(chat.send(sender, contact))
    confirmation = chat.send(sender, time)[-1]
    assert "Shall I send this?" in confirmation["text"]
    assert name in confirmation["text"] and time in confirmation["text"]
    return confirmation["text"]


def test_full_request_is_saved_and_read_back_by_staff(chat, sender):
    name = unique_name()
    replies = chat.send(sender, "/request_callback")
    assert_consent_question(replies)
    confirmation = fill_request(chat, sender, name)
    assert "Contact: (212) 555-0147" in confirmation  # shown formatted
    before = count_requests(chat)
    saved = joined(chat.send(sender, "yes"))
    assert "Thank you" in saved and "Your request number is" in saved
    assert count_requests(chat) == before + 1
    assert_personal_slots_cleared(chat, sender)

    listing = staff(chat, "list")
    assert listing.returncode == 0, listing.stderr
    line = next(l for l in listing.stdout.splitlines() if name in l)
    assert "(212) 555-0147" in line and "open" in line and "general" in line and "weekday mornings" in line

    request = find_request(chat, name)
    assert request.contact == "+12125550147"  # stored in E.164
    assert f"Your request number is {request.reference}." in saved and request.reference in line
    assert request.sender_hash and request.sender_hash != sender  # only a hash of the sender id
    shown = staff(chat, "show", str(request.id))
    assert shown.returncode == 0 and name in shown.stdout and "(phone)" in shown.stdout
    done = staff(chat, "done", str(request.id))
    assert done.returncode == 0 and f"Request {request.id} ({request.reference}) is done" in done.stdout
    assert name not in staff(chat, "list").stdout  # open ones only by default
    assert name in staff(chat, "list", "--all").stdout


def test_typed_request_with_email(chat, sender):
    name = unique_name()
    assert_consent_question(chat.send(sender, "can someone call me back"))
    fill_request(chat, sender, name, contact="email me at Tess.Test@Example.ORG", time="any time")
    chat.send(sender, "yes please")
    request = find_request(chat, name)
    assert (request.contact, request.contact_kind) == ("Tess.Test@example.org", "email")


def test_invalid_phone_is_asked_again_with_a_reason(chat, sender):
    chat.send(sender, "/request_callback")
    chat.send(sender, "yes")
    chat.send(sender, f"I'm {unique_name()}")
    replies = chat.send(sender, "555-12")
    text = joined(replies)
    assert "phone number does not look right" in text and "area code" in text
    assert "What phone number or email address" in replies[-1]["text"]
    assert chat.tracker(sender)["slots"]["requested_slot"] == "callback_contact"
    replies = chat.send(sender, "anna@example")
    assert "email address does not look complete" in joined(replies)
    assert "good time" in joined(chat.send(sender, "+44 20 7946 0958")).lower()


def test_declined_consent_stores_nothing(chat, sender):
    before = count_requests(chat)
    replies = chat.send(sender, "/request_callback")
    assert_consent_question(replies)
    text = joined(chat.send(sender, "no"))
    assert "did not save anything" in text
    assert CLINIC["phone"] in text
    assert count_requests(chat) == before
    assert_personal_slots_cleared(chat, sender)
    assert not (chat.tracker(sender).get("active_loop") or {}).get("name")


def test_no_at_the_confirmation_stores_nothing(chat, sender):
    before = count_requests(chat)
    chat.send(sender, "/request_callback")
    fill_request(chat, sender, unique_name())
    assert "did not send anything" in joined(chat.send(sender, "no"))
    assert count_requests(chat) == before
    assert_personal_slots_cleared(chat, sender)


def test_stop_during_the_request_stores_nothing(chat, sender):
    before = count_requests(chat)
    chat.send(sender, "/request_callback")
    chat.send(sender, "yes")
    chat.send(sender, f"my name is {unique_name()}")
    assert "did not send anything" in joined(chat.send(sender, "cancel"))
    assert count_requests(chat) == before
    assert_personal_slots_cleared(chat, sender)


def test_crisis_during_the_request_gets_help_and_the_form_waits_until_asked(chat, sender):
    """Issue 11: after a crisis reply the form does not resume on its own, only when asked."""
    chat.send(sender, "/request_callback")
    chat.send(sender, "yes")
    replies = chat.send(sender, "i want to end my life")
    assert "988" in replies[0]["text"].splitlines()[0]  # the numbers first
    assert not any("What name" in r.get("text", "") for r in replies)
    resumed = chat.send(sender, "/request_callback")  # the person asks to go back to it
    assert any("What name" in r.get("text", "") for r in resumed)


def test_callback_after_the_screening_result_is_filed_under_screening(chat, sender):
    s = cached_screening()
    chat.send(sender, "/start_screening")
    for _ in s.questions:
        replies = chat.send(sender, "no")
    assert "callback" in replies[-1]["text"].lower()
    replies = chat.send(sender, "yes")  # typed, not the button
    assert_consent_question(replies)
    name = unique_name()
    fill_request(chat, sender, name)
    chat.send(sender, "yes")
    assert find_request(chat, name).topic == "screening"


def test_callback_after_a_dosing_question_is_filed_under_dosing(chat, sender):
    replies = chat.send(sender, "can I take an extra pill when the pain is bad?")
    assert "/request_callback" in [b["payload"] for m in replies for b in m.get("buttons") or []]
    assert_consent_question(chat.send(sender, "yes"))
    name = unique_name()
    fill_request(chat, sender, name)
    chat.send(sender, "yes")
    assert find_request(chat, name).topic == "dosing"


def test_callback_button_during_the_screening_switches_to_the_request(chat, sender):
    chat.send(sender, "/start_screening")
    chat.send(sender, "yes")
    chat.send(sender, "should I stop taking my oxycodone?")  # dosing answer with the callback button
    replies = chat.send(sender, "/request_callback")
    assert "I stopped the questions" in replies[0]["text"]
    assert_consent_question(replies)
    slots = chat.tracker(sender)["slots"]
    assert all(slots.get(qid) is None for qid in cached_screening().ids)  # answers forgotten
    name = unique_name()
    fill_request(chat, sender, name)
    chat.send(sender, "yes")
    assert find_request(chat, name).topic == "dosing"


def test_no_to_the_offer_is_taken_kindly(chat, sender):
    chat.send(sender, "talk to a clinician")
    text = joined(chat.send(sender, "no"))
    assert "change your mind" in text and CLINIC["phone"] in text
