"""Compose the assistant's FAQ replies from the knowledge base (pure Python, no Rasa).

The action server is a thin adapter around these functions, so what a patient reads can be unit
tested without starting a server. Each FAQ topic is its own intent, ``faq_<topic id>``; when the
classifier is unsure, Rasa's FallbackClassifier (threshold and ambiguity margin in config.yml,
chosen with ``python -m bot eval``) turns it into ``nlu_fallback`` and we ask "Did you mean ...?".
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from bot.knowledge import KnowledgeBase, texts
from bot.paths import KNOWLEDGE_DIR
from bot.signoff import PROVENANCE_KEY, provenance

FAQ_INTENT_PREFIX = "faq_"
CLARIFY_CHOICES = 3
# With 50+ intents, chance level is about 0.02; a topic below this is not a real guess.
MIN_CHOICE_CONFIDENCE = 0.05
#: Parse-result key with the topics the decision offers when it clarifies.
CHOICES_KEY = "clarify_choices"

#: Words of the disclaimer (knowledge/conversation.yml ``faq.disclaimer``) that show it was said.
DISCLAIMER_MARK = "not medical advice"


@dataclass(frozen=True)
class TopicScore:
    topic: str
    confidence: float


def topic_of_intent(intent: str | None) -> str | None:
    """``faq_what_is_oih`` -> ``what_is_oih``; None for intents that are not FAQ topics."""
    if intent and intent.startswith(FAQ_INTENT_PREFIX):
        return intent[len(FAQ_INTENT_PREFIX):]
    return None


def topic_ranking(parsed: dict[str, Any]) -> list[TopicScore]:
    """FAQ topics in the intent ranking of a parse result, best first."""
    ranking = []
    for item in parsed.get("intent_ranking") or []:
        topic = topic_of_intent(item.get("name"))
        if topic:
            ranking.append(TopicScore(topic, float(item.get("confidence") or 0.0)))
    return ranking


def topic_payload(topic_id: str) -> str:
    return "/choose_topic" + json.dumps({"topic": topic_id})


def button(kb: KnowledgeBase, topic_id: str) -> dict[str, str]:
    return {"title": kb.faq(topic_id).title, "payload": topic_payload(topic_id)}


def faq_messages(kb: KnowledgeBase, topic_id: str, show_disclaimer: bool,
                 kb_dir: Path = KNOWLEDGE_DIR) -> list[dict[str, Any]]:
    """The answer, then one short "Source:" line (and the disclaimer once) with related questions.

    Domain responses (wording: knowledge/conversation.yml ``faq``; bot/replies.py): the answer and
    its source are the values Rasa's NLG fills in. Which text the patient saw, and whether it was
    signed off, rides in both bot events' metadata, so a transcript can be traced back to one
    version (bot/signoff.py).
    """
    entry = kb.faq(topic_id)
    origin = provenance(entry, kb_dir)
    response = "utter_faq_sources_disclaimer" if show_disclaimer else "utter_faq_sources"
    related = {"response": response, "sources": kb.source_reference(entry),
               "buttons": [button(kb, r) for r in entry.related[:3]], PROVENANCE_KEY: origin}
    return [{"response": "utter_faq_answer", "answer": entry.answer, PROVENANCE_KEY: origin}, related]


def clarify_choices(parsed: dict[str, Any], kb: KnowledgeBase | None = None) -> list[str]:
    """The topics to offer for a parse result: the decision's own choices (drawn from both
    opinions, bot/understanding/decision.py) when present, else the best of the intent ranking."""
    if parsed.get(CHOICES_KEY) is not None:
        return [str(t) for t in parsed[CHOICES_KEY]][:CLARIFY_CHOICES]
    topics = [s.topic for s in topic_ranking(parsed) if s.confidence >= MIN_CHOICE_CONFIDENCE]
    if kb is not None:
        topics = [t for t in topics if t in kb.faqs]
    return topics[:CLARIFY_CHOICES]


def clarification_messages(kb: KnowledgeBase, choices: Sequence[str]) -> list[dict[str, Any]]:
    """"Did you mean …?" with the top topics and a way out; the menu when there is no guess."""
    buttons = [button(kb, t) for t in choices if t in kb.faqs]
    if not buttons:
        return [{"response": "utter_faq_not_understood"}]  # its menu buttons are in the domain
    other = str(texts("conversation.yml")["faq"]["something_else"])
    buttons.append({"title": other, "payload": "/something_else"})
    return [{"response": "utter_faq_clarify", "buttons": buttons}]
