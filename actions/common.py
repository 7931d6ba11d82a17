"""Helpers shared by the action modules."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.answers import DISCLAIMER_MARK
from bot.tracker_events import bot_texts


def disclaimer_shown(tracker: Tracker) -> bool:
    """True when an earlier bot message in this conversation already said "not medical advice"."""
    return any(DISCLAIMER_MARK in text for text in bot_texts(tracker.events))


def _value(value: Any) -> Any:
    """A value as Rasa's NLG can fill it in.

    Rasa's interpolation (rasa.core.nlg.interpolator) gives up and returns the bare template when
    the filled text contains "0[" (its own marker), so a typed "before 10[am" would show
    "{time}". A space keeps the person's words readable and the reply whole.
    """
    return value.replace("0[", "0 [") if isinstance(value, str) else value


def send(dispatcher: CollectingDispatcher, messages: Iterable[Mapping[str, Any]]) -> None:
    """Send replies as domain responses: ``{"response": "utter_...", "buttons": [...], **values}``.

    The words are in knowledge/ (bot/replies.py builds the responses); Rasa's NLG fills in the
    values and passes every reply through the one output guard (bot.nlg.GuardedNLG), which
    replaces a reply with a dose amount by the dosing-routing message.
    """
    for message in messages:
        values = {k: _value(v) for k, v in message.items() if k not in ("response", "buttons")}
        dispatcher.utter_message(response=message["response"], buttons=list(message.get("buttons") or []), **values)


def say(dispatcher: CollectingDispatcher, response: str, buttons: list[dict[str, str]] | None = None,
        **values: Any) -> None:
    """One reply: ``send`` for a single domain response."""
    send(dispatcher, [{"response": response, "buttons": buttons or [], **values}])
