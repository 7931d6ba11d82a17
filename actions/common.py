"""Helpers shared by the action modules."""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.answers import DISCLAIMER_MARK
from bot.safety import contains_dose_amount
from bot.tracker_events import bot_texts

logger = logging.getLogger(__name__)


def disclaimer_shown(tracker: Tracker) -> bool:
    """True when an earlier bot message in this conversation already said "not medical advice"."""
    return any(DISCLAIMER_MARK in text for text in bot_texts(tracker.events))


def send(dispatcher: CollectingDispatcher, messages: list[dict[str, Any]]) -> None:
    """Send messages through the output guard: nothing with a dose amount ever leaves."""
    for message in messages:
        text = message.get("text", "")
        if contains_dose_amount(text):
            logger.error("content bug: a reply contained a dose amount; replaced")
            dispatcher.utter_message(response="utter_dosing")
            continue
        # Other keys (e.g. an FAQ answer's provenance) land in the bot event's metadata.
        extra = {k: v for k, v in message.items() if k not in ("text", "buttons")}
        dispatcher.utter_message(text=text, buttons=message.get("buttons") or [], **extra)
