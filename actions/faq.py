"""Answer FAQ questions from the knowledge base, or ask which topic was meant."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import disclaimer_shown, send
from bot import unanswered
from bot.answers import (
    TopicScore,
    clarification_messages,
    decide,
    faq_messages,
)
from bot.knowledge import cached_knowledge


def topic_ranking(latest_message: Dict[str, Any]) -> List[TopicScore]:
    """The ResponseSelector's ranking for the ``faq`` retrieval intent, as topic ids."""
    selector = (latest_message.get("response_selector") or {}).get("faq") or {}
    ranking = []
    for item in selector.get("ranking") or []:
        key = item.get("intent_response_key") or ""
        if key.startswith("faq/"):
            ranking.append(TopicScore(key.split("/", 1)[1], float(item.get("confidence") or 0.0)))
    return ranking


class ActionAnswerFaq(Action):
    def name(self) -> Text:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        kb = cached_knowledge()
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        chosen = tracker.get_slot("topic") if intent == "choose_topic" else None
        if chosen in kb.faqs:
            send(dispatcher, faq_messages(kb, chosen, not disclaimer_shown(tracker)))
            return [SlotSet("topic", None)]
        ranking = [s for s in topic_ranking(message) if s.topic in kb.faqs]
        decision = decide(intent, float((message.get("intent") or {}).get("confidence") or 0.0), ranking)
        if decision.answer:
            send(dispatcher, faq_messages(kb, decision.answer, not disclaimer_shown(tracker)))
        else:
            unanswered.record(message.get("text") or "", decision.choices)
            send(dispatcher, clarification_messages(kb, decision.choices))
        return [SlotSet("topic", None)]
