""""Forget me" (data/rules/privacy.yml): ask first, then delete; thin adapter over bot/privacy.py.

``action_forget_me_ask`` asks for confirmation. ``action_forget_me`` runs on the answer: on "yes"
it deletes the callback requests, says so, and returns ``AllSlotsReset``, which tells Rasa's
tracker store (bot/tracker_store.py) to delete the conversation when it saves this turn; on "no"
it deletes nothing.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import say
from bot import privacy
from bot.tracker_events import latest_intent

log = logging.getLogger(__name__)


class ActionForgetMeAsk(Action):
    def name(self) -> Text:
        return "action_forget_me_ask"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        say(dispatcher, "utter_forget_me_confirm")
        return []


class ActionForgetMe(Action):
    def name(self) -> Text:
        return "action_forget_me"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if latest_intent(tracker) != "affirm":
            say(dispatcher, "utter_forget_me_kept")
            return []
        deleted = privacy.forget_person_data(tracker.sender_id)
        say(dispatcher, privacy.done_response(deleted), count=str(deleted))
        return [AllSlotsReset()]
