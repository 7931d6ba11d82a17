"""FAQ actions: answer a topic from the knowledge base, or ask which topic was meant."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import disclaimer_shown, send
from bot import unanswered
from bot.answers import (
    clarification_messages,
    clarify_choices,
    faq_messages,
    topic_of_intent,
)
from bot.followups import named_medicine, resolve
from bot.knowledge import cached_knowledge
from bot.tracker_events import latest_intent, latest_text

#: The topic answered last and the medicine named last: follow-ups refer back to them.
LAST_TOPIC = "last_topic"
LAST_MEDICINE = "last_medicine"


def _medicine_events(text: str) -> list[Dict[Text, Any]]:
    medicine = named_medicine(text)
    return [SlotSet(LAST_MEDICINE, medicine[1])] if medicine and medicine[1] != "opioids" else []


class ActionAnswerFaq(Action):
    """A topic intent (``faq_<id>``) or a topic chosen with a button: answer, source, related."""

    def name(self) -> Text:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        kb = cached_knowledge()
        topic = topic_of_intent(latest_intent(tracker)) or tracker.get_slot("topic")
        if topic in kb.faqs:
            send(dispatcher, faq_messages(kb, topic, not disclaimer_shown(tracker)))
            text = latest_text(tracker)
            return [SlotSet("topic", None), SlotSet(LAST_TOPIC, topic), *_medicine_events(text)]
        dispatcher.utter_message(response="utter_help")
        return [SlotSet("topic", None)]


class ActionFollowUp(Action):
    """"same for tramadol?", "why?", "tell me more": resolved against ``last_topic``."""

    def name(self) -> Text:
        return "action_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        kb = cached_knowledge()
        text = latest_text(tracker)
        follow = resolve(latest_intent(tracker) or "", text, tracker.get_slot(LAST_TOPIC), kb, tracker.get_slot(LAST_MEDICINE))
        if follow.intro:
            send(dispatcher, [follow.intro])
        if follow.topic in kb.faqs:
            send(dispatcher, faq_messages(kb, follow.topic, not disclaimer_shown(tracker)))
            return [SlotSet(LAST_TOPIC, follow.topic), *_medicine_events(text)]
        return _medicine_events(text)


class ActionClarify(Action):
    """Low confidence: offer the top topics plus "something else"; note the question."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        kb = cached_knowledge()
        message = tracker.latest_message or {}
        choices = clarify_choices(message, kb)
        unanswered.record(message.get("text") or "", choices, sender_id=tracker.sender_id)
        send(dispatcher, clarification_messages(kb, choices))
        return []
