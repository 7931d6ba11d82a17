"""The assistant's basic manners, through the real Rasa and action servers."""
from __future__ import annotations


def test_greeting_lists_what_the_assistant_does(chat, sender):
    replies = chat.send(sender, "hi")
    text = replies[0]["text"].lower()
    assert "opioid-induced hyperalgesia" in text
    assert "questions" in text and "clinic" in text
    titles = [b["title"].lower() for b in replies[0].get("buttons", [])]
    assert any("questionnaire" in t for t in titles)
    assert any("clinic" in t for t in titles)


def test_help_says_what_it_can_do(chat, sender):
    text = " ".join(chat.texts(sender, "what can you do?")).lower()
    assert "questionnaire" in text and "clinic" in text and "oih" in text


def test_out_of_scope_is_polite_and_redirects(chat, sender):
    text = " ".join(chat.texts(sender, "what's a good recipe for lasagna?")).lower()
    assert "sorry" in text
    assert "oih" in text or "opioid-induced hyperalgesia" in text


def test_bot_challenge_says_it_is_not_a_person(chat, sender):
    text = " ".join(chat.texts(sender, "am I talking to a real person?")).lower()
    assert "not a person" in text


def test_goodbye(chat, sender):
    assert "take care" in " ".join(chat.texts(sender, "bye")).lower()


def test_disclaimer_shown_once_per_conversation(chat, sender):
    first = " ".join(chat.texts(sender, "is oih the same as addiction?"))
    second = " ".join(chat.texts(sender, "does it go away if i stop?"))
    assert "not medical advice" in first
    assert "not medical advice" not in second


def test_two_senders_do_not_share_state(chat, sender):
    other = sender + "-other"
    chat.send(sender, "hi")
    chat.send(sender, "is oih the same as addiction?")
    tracker_a = chat.tracker(sender)
    tracker_b = chat.tracker(other)
    user_a = [e["text"] for e in tracker_a["events"] if e["event"] == "user"]
    user_b = [e["text"] for e in tracker_b["events"] if e["event"] == "user"]
    assert len(user_a) == 2
    assert user_b == []
    chat.send(other, "hello")
    user_b = [e["text"] for e in chat.tracker(other)["events"] if e["event"] == "user"]
    assert user_b == ["hello"]
