"""The screening questionnaire through the real Rasa and action servers (issue 5).

Question texts, buttons and result wording are read from knowledge/screening.yml through
bot.screening, so editing the wording never breaks these tests; what they pin down is the flow.
"""
from __future__ import annotations

from typing import Any

import pytest

from bot.knowledge import cached_knowledge
from bot.safety import load_clinic
from bot.screening import cached_screening

S = cached_screening()
Q = S.questions
CLINIC = load_clinic()["clinic"]


def joined(replies: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in replies)


def asks(replies: list[dict[str, Any]], index: int) -> bool:
    """The reply asks question ``index`` (0-based), as its last message, with answer buttons."""
    if not replies:
        return False
    last = replies[-1]
    titles = [b["title"] for b in last.get("buttons") or []]
    return Q[index].text in (last.get("text") or "") and titles[:3] == [
        S.buttons["yes"], S.buttons["no"], S.buttons["unsure"]
    ]


def start(chat, sender) -> list[dict[str, Any]]:
    replies = chat.send(sender, "/start_screening")  # the greeting's button
    assert asks(replies, 0), joined(replies)
    return replies


def answer(chat, sender, replies_in_order: list[str]) -> list[dict[str, Any]]:
    """Answer consecutive questions; checks each answer moves on to the next question."""
    replies: list[dict[str, Any]] = []
    for reply in replies_in_order:
        before = current_question(chat, sender)
        replies = chat.send(sender, reply)
        if before is not None and before + 1 < len(Q):
            assert asks(replies, before + 1), f"{reply!r} did not move on:\n{joined(replies)}"
    return replies


def current_question(chat, sender) -> int | None:
    slot = chat.tracker(sender)["slots"].get("requested_slot")
    return S.ids.index(slot) if slot in S.ids else None


def summary_answers(text: str) -> dict[str, str]:
    """Question id -> answer label, read from the printable summary."""
    found = {}
    for q in Q:
        for line in text.splitlines():
            if line.startswith(f"- {q.text} Answer: "):
                found[q.id] = line.split(" Answer: ", 1)[1]
    return found


def assert_result(replies: list[dict[str, Any]]) -> str:
    text = joined(replies)
    assert "not a diagnosis" in text
    assert "clinician who prescribes" in text
    assert "Do not change your dose on your own" in text
    assert S.summary["title"] in text
    offer = replies[-1]
    assert "callback" in offer["text"].lower()
    assert "/request_callback" in [b["payload"] for b in offer.get("buttons") or []]
    return text


def test_starts_from_words_and_says_what_it_is(chat, sender):
    replies = chat.send(sender, "can you check if I have OIH")
    intro = replies[0]["text"]
    assert intro == S.intro
    assert "two minutes" in intro and "not a diagnosis" in intro and '"stop"' in intro
    assert asks(replies, 0)
    assert f"Question 1 of {len(Q)}" in replies[-1]["text"]
    titles = [b["title"] for b in replies[-1]["buttons"]]
    assert titles == ["Yes", "No", "Not sure", "Skip"]


def test_greeting_button_starts_it(chat, sender):
    greeting = chat.send(sender, "hi")
    payloads = [b["payload"] for b in greeting[0]["buttons"]]
    assert "/start_screening" in payloads
    start(chat, sender)


def test_all_yes(chat, sender):
    start(chat, sender)
    text = assert_result(answer(chat, sender, ["Yes"] * len(Q)))
    for q in Q:
        if q.yes_counts:
            assert q.sign in text
    inverted = [q for q in Q if not q.yes_counts]
    assert inverted and all(q.sign not in text for q in inverted)  # "yes" there is not a sign
    assert S.results["levels"]["several signs"] in text
    assert set(summary_answers(text).values()) == {"Yes"}
    # The answers are not kept once the result is shown.
    tracker = chat.tracker(sender)
    assert all(tracker["slots"].get(qid) is None for qid in S.ids)
    assert not (tracker.get("active_loop") or {}).get("name")


def test_all_no(chat, sender):
    start(chat, sender)
    text = assert_result(answer(chat, sender, ["No"] * len(Q)))
    assert "few or none of the signs" in text
    assert "OIH is rare after short-term opioid use" in text
    assert set(summary_answers(text).values()) == {"No"}


def test_mixed_with_not_sure(chat, sender):
    start(chat, sender)
    replies_in_order = ["Yes", "Not sure", "Yes", "No", "Not sure", "Yes", "No", "Yes", "No"]
    text = assert_result(answer(chat, sender, replies_in_order))
    assert S.results["unsure_intro"] in text
    unsure_part = text.split(S.results["unsure_intro"], 1)[1].split("\n\n", 1)[0]
    assert Q[1].sign in unsure_part and Q[4].sign in unsure_part
    labels = summary_answers(text)
    assert labels[Q[1].id] == S.summary["answer_labels"]["unsure"]
    assert labels[Q[0].id] == "Yes" and labels[Q[3].id] == "No"


def test_free_word_answers(chat, sender):
    start(chat, sender)
    words = ["yeah", "kinda", "not really", "idk", "I think so", "it's been like that for months",
             "nope", "sometimes", "yep"]
    expected = ["yes", "unsure", "no", "unsure", "yes", "yes", "no", "unsure", "yes"]
    text = assert_result(answer(chat, sender, words))
    labels = summary_answers(text)
    assert [labels[q.id] for q in Q] == [S.summary["answer_labels"][e] for e in expected]


def test_why_do_you_ask_explains_then_asks_again(chat, sender):
    start(chat, sender)
    answer(chat, sender, ["yes"])
    replies = chat.send(sender, "why do you ask?")
    assert Q[1].why in replies[0]["text"]
    assert asks(replies, 1)
    assert asks(chat.send(sender, "yes"), 2)


def test_unclear_answer_asks_again_with_buttons(chat, sender):
    start(chat, sender)
    replies = chat.send(sender, "the weather is nice today")
    assert S.reask in joined(replies)
    assert asks(replies, 0)
    assert current_question(chat, sender) == 0


def test_skip_moves_on_and_is_reported(chat, sender):
    start(chat, sender)
    replies = chat.send(sender, "skip")
    assert S.skipped in joined(replies)
    assert asks(replies, 1)
    text = assert_result(answer(chat, sender, ["no"] * (len(Q) - 1)))
    assert S.results["skipped_intro"] in text
    assert summary_answers(text)[Q[0].id] == S.summary["answer_labels"]["skipped"]


def test_faq_question_mid_form_is_answered_then_resumes(chat, sender):
    start(chat, sender)
    answer(chat, sender, ["yes", "yes"])
    replies = chat.send(sender, "what is opioid induced hyperalgesia?")
    texts = [m.get("text") for m in replies]
    assert cached_knowledge().faq("what_is_oih").answer in texts
    assert asks(replies, 2)
    assert current_question(chat, sender) == 2
    assert asks(chat.send(sender, "no"), 3)


def test_crisis_mid_form_gets_help_first_and_resumes_only_when_asked(chat, sender):
    """Issue 11: the questionnaire waits after a crisis reply; it goes on when the person asks."""
    start(chat, sender)
    answer(chat, sender, ["yes"])
    replies = chat.send(sender, "I took too many pills and I feel really strange")
    first = replies[0]["text"].splitlines()[0]
    assert "911" in first
    assert not asks(replies, 1), joined(replies)
    assert asks(chat.send(sender, "/start_screening"), 1)  # back to the question it was on
    assert asks(chat.send(sender, "no"), 2)


def test_dosing_question_mid_form_gets_no_advice_then_resumes(chat, sender):
    start(chat, sender)
    answer(chat, sender, ["yes", "yes", "no"])
    replies = chat.send(sender, "should I double my oxycodone dose?")
    text = joined(replies)
    assert "not able to answer" in text
    assert CLINIC["phone"] in text
    assert asks(replies, 3)
    assert asks(chat.send(sender, "yes"), 4)


def test_stop_ends_without_a_result(chat, sender):
    start(chat, sender)
    answer(chat, sender, ["yes", "no"])
    replies = chat.send(sender, "stop")
    text = joined(replies)
    assert "stopped the questions" in text
    assert "not a diagnosis" not in text and S.summary["title"] not in text
    tracker = chat.tracker(sender)
    assert not (tracker.get("active_loop") or {}).get("name")
    assert all(tracker["slots"].get(qid) is None for qid in S.ids)
    # A "yes" now is not taken as a yes to a callback offer (there was none).
    assert "Is that okay with you?" not in joined(chat.send(sender, "yes"))


def test_start_again_after_stop_begins_at_question_one(chat, sender):
    start(chat, sender)
    answer(chat, sender, ["yes", "yes"])
    chat.send(sender, "I want to stop")
    start(chat, sender)


@pytest.mark.parametrize("message", ["talk to a clinician", "can I speak to someone"])
def test_clinician_routing_gives_contact_and_callback_offer(chat, sender, message):
    replies = chat.send(sender, message)
    text = joined(replies)
    assert CLINIC["phone"] in text and CLINIC["name"] in text
    assert "/request_callback" in [b["payload"] for m in replies for b in m.get("buttons") or []]
