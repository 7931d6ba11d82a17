"""FAQ actions: answer a topic from the knowledge base, or ask which topic was meant."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import disclaimer_shown, send
from bot import unanswered
from bot.answers import (
    clarification_choices,
    clarification_messages,
    faq_messages,
    topic_of_intent,
    topic_ranking,
)
from bot.knowledge import cached_knowledge


class ActionAnswerFaq(Action):
    """A topic intent (``faq_<id>``) or a topic chosen with a button: answer, source, related."""

    def name(self) -> Text:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        kb = cached_knowledge()
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        topic = topic_of_intent(intent) or tracker.get_slot("topic")
        if topic in kb.faqs:
            send(dispatcher, faq_messages(kb, topic, not disclaimer_shown(tracker)))
        else:
            dispatcher.utter_message(response="utter_help")
        return [SlotSet("topic", None)]


class ActionClarify(Action):
    """Low confidence: offer the top topics plus "something else"; note the question."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        kb = cached_knowledge()
        message = tracker.latest_message or {}
        choices = clarification_choices(topic_ranking(message), kb)
        unanswered.record(message.get("text") or "", choices, sender_id=tracker.sender_id)
        send(dispatcher, clarification_messages(kb, choices))
        return []
