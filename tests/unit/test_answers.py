"""Reply composition from the knowledge base (what a patient reads after a question)."""
from __future__ import annotations

import json

from bot.answers import clarification_messages, faq_messages, topic_of_intent, topic_ranking
from bot.knowledge import cached_knowledge, texts
from bot.replies import render

KB = cached_knowledge()
DISCLAIMER = texts("conversation.yml")["faq"]["disclaimer"]


def _read(messages):
    """What a person reads: the domain responses filled in as Rasa fills them."""
    return [render(m) for m in messages]


def test_answer_has_source_line_and_related_buttons():
    messages = _read(faq_messages(KB, "oih_vs_addiction", show_disclaimer=True))
    assert messages[0]["text"] == KB.faq("oih_vs_addiction").answer
    tail = messages[1]
    assert tail["text"].startswith("Source: ")
    assert tail["text"].splitlines()[0] == KB.source_line(KB.faq("oih_vs_addiction"))  # one short line
    assert DISCLAIMER in tail["text"]
    assert 2 <= len(tail["buttons"]) <= 3
    for b in tail["buttons"]:
        payload = b["payload"]
        assert payload.startswith("/choose_topic")
        assert json.loads(payload[len("/choose_topic"):])["topic"] in KB.faqs


def test_disclaimer_only_when_asked():
    assert DISCLAIMER not in _read(faq_messages(KB, "what_is_oih", show_disclaimer=False))[1]["text"]


def test_clarification_offers_choices_and_a_way_out():
    [message] = _read(clarification_messages(KB, ["what_is_oih", "symptoms", "not_a_topic"]))
    titles = [b["title"] for b in message["buttons"]]
    assert titles == [KB.faq("what_is_oih").title, KB.faq("symptoms").title, "Something else"]
    assert "did you mean" in message["text"].lower()


def test_topic_ranking_reads_only_faq_intents():
    parsed = {"intent_ranking": [
        {"name": "faq_symptoms", "confidence": 0.5},
        {"name": "greet", "confidence": 0.3},
        {"name": "faq_allodynia", "confidence": 0.2},
    ]}
    assert [t.topic for t in topic_ranking(parsed)] == ["symptoms", "allodynia"]
    assert topic_of_intent("greet") is None
    assert topic_of_intent("faq_what_is_oih") == "what_is_oih"


def test_no_real_guess_gives_the_menu_instead_of_random_topics():
    from bot.answers import CHOICES_KEY, clarify_choices

    # the decision's own choices win (bot/understanding/decision.py); none means no real guess
    assert clarify_choices({CHOICES_KEY: []}, KB) == []
    assert clarify_choices({CHOICES_KEY: ["symptoms", "allodynia"]}, KB) == ["symptoms", "allodynia"]
    [message] = _read(clarification_messages(KB, []))
    assert "didn't understand" in message["text"]
    assert {b["payload"] for b in message["buttons"]} >= {"/start_screening", "/talk_to_clinician"}
    # a parse without them (an older model): the ranking's real guesses only
    ranking = {"intent_ranking": [{"name": "faq_symptoms", "confidence": 0.3}, {"name": "faq_allodynia", "confidence": 0.02}]}
    assert clarify_choices(ranking, KB) == ["symptoms"]
