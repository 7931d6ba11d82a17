"""Issue 14 through the real servers: contact details that work, corrections, changes before
sending, ways out in people's words, "forget me" inside a form, a short questionnaire result,
and request references that are never reused.

Numbers used here are real-format US numbers of the 555-01xx range reserved for fiction, in
existing area codes ((212) 555-0147): libphonenumber refuses made-up area codes such as 555.
"""
from __future__ import annotations

from typing import Any

import pytest

from bot import referrals
from bot.screening import cached_screening
from tests.conversation.test_callback import (
    assert_personal_slots_cleared,
    count_requests,
    find_request,
    joined,
    unique_name,
)

S = cached_screening()
WAYS_OUT = [
    "stop", "not now", "cancel", "never mind", "I don't want to", "later",
    "not in the mood for this now",
]


def to_contact_step(chat, sender) -> str:
    chat.send(sender, "/request_callback")
    chat.send(sender, "yes")
    name = unique_name()
    assert "phone number or email address" in joined(chat.send(sender, f"my name is {name}"))
    return name


def to_time_step(chat, sender, contact: str = "(212) 555-0147") -> str:
    name = to_contact_step(chat, sender)
    assert "good time" in joined(chat.send(sender, contact))
    return name


def requested(chat, sender) -> Any:
    return chat.tracker(sender)["slots"]["requested_slot"]


def active_loop(chat, sender) -> Any:
    return (chat.tracker(sender).get("active_loop") or {}).get("name")


# ------------------------------------------------------------------ 1. contact details that work

def test_a_number_with_a_digit_missing_is_asked_again_with_the_reason(chat, sender):
    to_contact_step(chat, sender)
    replies = chat.send(sender, "(212) 555-014")
    text = joined(replies)
    assert "phone number does not look right" in text and "digit may be missing" in text
    assert "What phone number or email address" in replies[-1]["text"]
    assert requested(chat, sender) == "callback_contact"
    assert "phone number does not look right" in joined(chat.send(sender, "555 201 3344"))  # no such area code


def test_a_correction_replaces_the_number_instead_of_answering_the_next_question(chat, sender):
    name = to_time_step(chat, sender, "212 555 0147")
    replies = chat.send(sender, "sorry, it's 212 555 0199")
    text = joined(replies)
    assert "I changed the phone number to (212) 555-0199" in text
    assert "good time" in replies[-1]["text"]  # the time is asked again, not filled
    confirmation = chat.send(sender, "afternoons")[-1]["text"]
    assert "Contact: (212) 555-0199" in confirmation and "Best time: afternoons" in confirmation
    chat.send(sender, "yes")
    request = find_request(chat, name)
    assert request.contact == "+12125550199" and request.preferred_time == "afternoons"


def test_no_wait_asks_the_last_detail_again(chat, sender):
    to_time_step(chat, sender)
    replies = chat.send(sender, "no wait")
    assert "What phone number or email address" in replies[-1]["text"]
    assert requested(chat, sender) == "callback_contact"
    assert "good time" in joined(chat.send(sender, "ann.lee@example.org"))


def test_a_name_correction_at_the_contact_step(chat, sender):
    to_contact_step(chat, sender)
    replies = chat.send(sender, "sorry, I meant Annabel")
    assert "I changed the name to Annabel" in joined(replies)
    assert "What phone number or email address" in replies[-1]["text"]
    chat.send(sender, "(212) 555-0147")
    assert "Name: Annabel" in chat.send(sender, "mornings")[-1]["text"]


# ------------------------------------------------------------------ 2. change before sending

def test_change_the_phone_at_the_confirmation(chat, sender):
    name = to_time_step(chat, sender)
    confirmation = chat.send(sender, "mornings")[-1]
    assert "Change a detail" in [b["title"] for b in confirmation["buttons"]]
    replies = chat.send(sender, "change the phone")
    assert "What phone number or email address" in replies[-1]["text"]
    summary = chat.send(sender, "212-555-0123")[-1]["text"]
    assert "Shall I send this?" in summary and "Contact: (212) 555-0123" in summary
    assert "Best time: mornings" in summary  # the other details are kept
    chat.send(sender, "yes")
    assert find_request(chat, name).contact == "+12125550123"


def test_the_name_is_wrong_at_the_confirmation(chat, sender):
    to_time_step(chat, sender)
    chat.send(sender, "mornings")
    assert "What name" in chat.send(sender, "the name is wrong")[-1]["text"]
    summary = chat.send(sender, "Rosalind")[-1]["text"]
    assert "Name: Rosalind" in summary and "Contact: (212) 555-0147" in summary


def test_wrong_number_with_the_new_one_in_the_same_reply(chat, sender):
    to_time_step(chat, sender)
    chat.send(sender, "mornings")
    replies = chat.send(sender, "wrong number, it's 646 555 0100")
    assert "I changed the phone number to (646) 555-0100" in joined(replies)
    assert "Contact: (646) 555-0100" in replies[-1]["text"] and "Shall I send this?" in replies[-1]["text"]


def test_change_a_detail_button_asks_which_one(chat, sender):
    to_time_step(chat, sender)
    chat.send(sender, "mornings")
    replies = chat.send(sender, "Change a detail")
    assert "Which detail" in replies[-1]["text"]
    assert [b["title"] for b in replies[-1]["buttons"]] == [
        "Change the name", "Change the phone or email", "Change the time",
    ]
    assert "good time" in chat.send(sender, "Change the time")[-1]["text"]
    assert "Best time: evenings" in chat.send(sender, "evenings")[-1]["text"]


# ------------------------------------------------------------------ 3. ways out

@pytest.mark.parametrize("words", WAYS_OUT)
def test_ways_out_of_the_callback_request(chat, sender, words):
    before = count_requests(chat)
    to_contact_step(chat, sender)
    text = joined(chat.send(sender, words))
    assert "did not send anything" in text
    assert active_loop(chat, sender) is None
    assert count_requests(chat) == before
    assert_personal_slots_cleared(chat, sender)


@pytest.mark.parametrize("words", WAYS_OUT)
def test_ways_out_of_the_questionnaire(chat, sender, words):
    chat.send(sender, "/start_screening")
    chat.send(sender, "yes")
    text = joined(chat.send(sender, words))
    assert S.stopped in text
    assert "not a diagnosis" not in text
    tracker = chat.tracker(sender)
    assert not (tracker.get("active_loop") or {}).get("name")
    assert all(tracker["slots"].get(qid) is None for qid in S.ids)


@pytest.mark.parametrize("words", ["forget me", "delete my data"])
def test_forget_me_inside_the_callback_request(chat, sender, words):
    # One saved request first, then a second request is started and left with "forget me".
    chat.send(sender, "/request_callback")
    chat.send(sender, "yes")
    name = unique_name()
    chat.send(sender, f"my name is {name}")
    chat.send(sender, "(212) 555-0147")
    chat.send(sender, "any time")
    chat.send(sender, "yes")
    find_request(chat, name)
    to_contact_step(chat, sender)
    replies = chat.send(sender, words)
    text = joined(replies)
    assert "Do you want me to delete it?" in text
    assert "does not look right" not in text and "I need a phone number" not in text
    assert active_loop(chat, sender) is None
    assert_personal_slots_cleared(chat, sender)
    done = joined(chat.send(sender, "yes"))
    assert "I deleted this conversation" in done and "I also deleted your callback request" in done
    assert not [r for r in referrals.list_requests(None, db_url=chat.referrals_url) if r.name == name]


def test_forget_me_inside_the_questionnaire_then_keep(chat, sender):
    chat.send(sender, "/start_screening")
    chat.send(sender, "yes")
    text = joined(chat.send(sender, "delete my data"))
    assert "Do you want me to delete it?" in text and "Question 2" not in text
    tracker = chat.tracker(sender)
    assert not (tracker.get("active_loop") or {}).get("name")
    assert all(tracker["slots"].get(qid) is None for qid in S.ids)
    assert "did not delete anything" in joined(chat.send(sender, "no"))


# ------------------------------------------------------------------ 4. short result

@pytest.mark.parametrize("answers", [["yes"] * len(S.questions), ["no", "skip", "not sure"] * 3])
def test_the_result_is_at_most_three_messages(chat, sender, answers):
    chat.send(sender, "/start_screening")
    for reply in answers[:-1]:
        chat.send(sender, reply)
    replies = chat.send(sender, answers[-1])
    assert 1 <= len(replies) <= 3, [m.get("text") for m in replies]
    assert "not a diagnosis" in replies[0]["text"]
    assert "clinician who prescribes" in joined(replies)
    assert S.summary["title"] in replies[-1]["text"]
    assert "/request_callback" in [b["payload"] for b in replies[-1].get("buttons") or []]


# ------------------------------------------------------------------ 6. references

def test_references_are_shown_unique_and_match_the_store(chat):
    seen = []
    for i in range(3):
        sender = f"test-ref-{i}-{unique_name().split()[1].lower()}"
        name = to_time_step(chat, sender)
        chat.send(sender, "mornings")
        text = joined(chat.send(sender, "yes"))
        request = find_request(chat, name)
        assert f"Your request number is {request.reference}." in text
        assert set(request.reference) <= set(referrals.REFERENCE_ALPHABET)
        seen.append(request.reference)
    assert len(set(seen)) == len(seen)
    all_refs = [r.reference for r in referrals.list_requests(None, db_url=chat.referrals_url)]
    assert len(all_refs) == len(set(all_refs))


def test_a_correction_at_the_name_step_is_the_name(chat, sender):
    chat.send(sender, "/request_callback")
    chat.send(sender, "yes")
    assert "phone number or email address" in joined(chat.send(sender, "sorry, it's Marguerite"))
    chat.send(sender, "(212) 555-0147")
    assert "Name: Marguerite" in chat.send(sender, "mornings")[-1]["text"]
