"""Questions patients ask, answered through the real servers with a citation and related topics."""
from __future__ import annotations

import json

import pytest

from bot.knowledge import cached_knowledge

KB = cached_knowledge()


def _answer(replies):
    texts = [r.get("text", "") for r in replies]
    buttons = [b for r in replies for b in r.get("buttons", [])]
    return texts, buttons


@pytest.mark.parametrize(
    "question, topic",
    [
        ("is OIH the same as addiction?", "oih_vs_addiction"),
        ("does it go away if I stop?", "does_it_go_away"),
        ("my clothes hurt my skin now, is that from my pills?", "allodynia"),
        ("whats the diffrence between tolerence and oih", "oih_vs_tolerance"),
        ("which painkillers can cause this", "which_opioids"),
    ],
)
def test_question_gets_its_answer_with_source_and_related(chat, sender, question, topic):
    texts, buttons = _answer(chat.send(sender, question))
    assert KB.faq(topic).answer in texts
    source_lines = [t for t in texts if t.startswith("Source: ")]
    # One short line a person can read: the main article's title and section (issue 13, point 5).
    assert source_lines and source_lines[0].splitlines()[0] == KB.source_line(KB.faq(topic))
    related = [json.loads(b["payload"][len("/choose_topic"):])["topic"] for b in buttons]
    assert related == list(KB.faq(topic).related[:3])


def test_related_button_answers_that_topic(chat, sender):
    chat.send(sender, "is OIH the same as addiction?")
    target = KB.faq("oih_vs_addiction").related[0]
    texts = chat.texts(sender, '/choose_topic{"topic": "%s"}' % target)
    assert KB.faq(target).answer in texts


def test_unclear_message_gets_did_you_mean_not_a_wrong_answer(chat, sender):
    replies = chat.send(sender, "pain thing question")
    texts, buttons = _answer(replies)
    assert any("did you mean" in t.lower() for t in texts)
    assert buttons[-1]["title"] == "Something else"
    assert not any(t.startswith("Source: ") for t in texts)


def test_something_else_is_acknowledged_and_recorded(chat, sender):
    from bot import unanswered

    chat.send(sender, "pain thing question")
    texts = chat.texts(sender, "/something_else")
    assert any("noted" in t for t in texts)
    recorded = [r["question"] for r in unanswered.read_all(chat.var_dir)]
    assert "pain thing question" in recorded
