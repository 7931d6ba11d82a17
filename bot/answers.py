"""Compose the assistant's FAQ replies from the knowledge base (pure Python, no Rasa).

The action server is a thin adapter around these functions, so what a patient reads can be unit
tested without starting a server. Thresholds are here, in one place, and come from
``python -m bot eval`` (see the README for the figures they were chosen on).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

from bot.knowledge import KnowledgeBase

# Answer only when the intent classifier says "faq" AND the ResponseSelector is sure enough.
MIN_INTENT_CONFIDENCE = 0.5
MIN_TOPIC_CONFIDENCE = 0.45
# A close second means the question could be either topic: ask instead of guessing.
MIN_TOPIC_MARGIN = 0.05
CLARIFY_CHOICES = 3

DISCLAIMER = "This is general information, not medical advice. Talk to your clinician about your own care."
DISCLAIMER_MARK = "not medical advice"


@dataclass(frozen=True)
class TopicScore:
    topic: str
    confidence: float


@dataclass(frozen=True)
class Decision:
    """What to do with a question: answer one topic, or ask which of some topics was meant."""

    answer: str | None
    choices: tuple[str, ...]


def topic_payload(topic_id: str) -> str:
    return "/choose_topic" + json.dumps({"topic": topic_id})


def button(kb: KnowledgeBase, topic_id: str) -> dict[str, str]:
    return {"title": kb.faq(topic_id).title, "payload": topic_payload(topic_id)}


def decide(intent: str | None, intent_confidence: float, ranking: Sequence[TopicScore]) -> Decision:
    """Answer when both models are confident and the top topic stands clear of the second."""
    choices = tuple(s.topic for s in ranking[:CLARIFY_CHOICES])
    if not ranking:
        return Decision(None, ())
    top = ranking[0]
    second = ranking[1].confidence if len(ranking) > 1 else 0.0
    confident = (
        intent == "faq"
        and intent_confidence >= MIN_INTENT_CONFIDENCE
        and top.confidence >= MIN_TOPIC_CONFIDENCE
        and top.confidence - second >= MIN_TOPIC_MARGIN
    )
    return Decision(top.topic if confident else None, choices)


def faq_messages(kb: KnowledgeBase, topic_id: str, show_disclaimer: bool) -> list[dict[str, Any]]:
    """The answer, a "Source:" line, and related questions as buttons."""
    entry = kb.faq(topic_id)
    sources = "; ".join(kb.citations_for(entry))
    messages: list[dict[str, Any]] = [{"text": entry.answer}]
    tail = f"Source: {sources}"
    if show_disclaimer:
        tail += f"\n{DISCLAIMER}"
    messages.append(
        {
            "text": tail + "\nRelated questions:",
            "buttons": [button(kb, r) for r in entry.related[:3]],
        }
    )
    return messages


def clarification_messages(kb: KnowledgeBase, choices: Sequence[str]) -> list[dict[str, Any]]:
    """"Did you mean …?" with the top topics and a way out."""
    buttons = [button(kb, t) for t in choices if t in kb.faqs]
    buttons.append({"title": "Something else", "payload": "/something_else"})
    return [{"text": "I'm not sure I understood. Did you mean one of these?", "buttons": buttons}]
